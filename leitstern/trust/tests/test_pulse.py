"""The team pulse: anonymous by construction, k-anonymous in what it shows."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse

from leitstern.orgs.models import Membership, Role
from leitstern.tests import factories
from leitstern.trust import services
from leitstern.trust.models import AuditEvent, PulseAnswer, PulseParticipation, PulseRound
from leitstern.trust.questionnaire import ITEMS, THEMES

pytestmark = pytest.mark.django_db


def all_answers(value: int) -> dict[str, str]:
    return {item.code: str(value) for item in ITEMS}


def staff_team(world: factories.World, size: int) -> list[Membership]:
    """Fill world.team (which already holds world.member) up to `size` members."""
    extra = [factories.member(world.org, teams=(world.team,)) for _ in range(size - 1)]
    return [world.member, *extra]


def open_round(world: factories.World) -> PulseRound:
    return services.open_round(team=world.team, by=world.facilitator)


def answer(client: Any, membership: Membership, pulse_round: PulseRound, value: int) -> Any:
    client.force_login(membership.person)
    url = reverse(
        "pulse_answer",
        kwargs={"org": "acme", "team": pulse_round.team.slug, "pulse_round": pulse_round.uuid},
    )
    return client.post(url, all_answers(value))


def team_url(world: factories.World) -> str:
    return reverse("pulse_team", kwargs={"org": "acme", "team": world.team.slug})


def test_a_facilitator_opens_a_round_and_members_answer_anonymously(client, world) -> None:
    members = staff_team(world, 5)
    client.force_login(world.facilitator.person)
    response = client.post(reverse("pulse_open", kwargs={"org": "acme", "team": world.team.slug}))
    assert response.status_code == 302
    pulse_round = PulseRound.objects.get(team=world.team)
    assert pulse_round.is_open and pulse_round.min_responses == 5
    assert AuditEvent.objects.filter(action="pulse.opened", object_uuid=pulse_round.uuid).exists()

    response = answer(client, members[0], pulse_round, 4)
    assert response.status_code == 302
    assert PulseParticipation.objects.filter(round=pulse_round).count() == 1
    assert PulseAnswer.objects.filter(round=pulse_round).count() == len(ITEMS)
    page = client.get(team_url(world))
    assert "You have answered this round" in page.content.decode()


def test_an_answer_has_no_link_to_the_person_no_time_and_no_insertion_order() -> None:
    fields = {f.name for f in PulseAnswer._meta.get_fields()}
    assert fields == {"id", "round", "item", "value"}
    assert PulseAnswer._meta.pk.get_internal_type() == "UUIDField"
    assert PulseAnswer._meta.ordering == ["id"]
    participation = {f.name for f in PulseParticipation._meta.get_fields()}
    assert participation == {"id", "round", "membership"}  # no time, nothing to join on
    assert PulseParticipation._meta.pk.get_internal_type() == "UUIDField"


def test_one_answer_per_person_and_round(client, world) -> None:
    staff_team(world, 5)
    pulse_round = open_round(world)
    assert answer(client, world.member, pulse_round, 3).status_code == 302
    response = answer(client, world.member, pulse_round, 1)
    assert response.status_code == 302
    assert PulseAnswer.objects.filter(round=pulse_round).count() == len(ITEMS)
    with pytest.raises(ValidationError, match="already answered"):
        services.answer_round(
            pulse_round=pulse_round,
            membership=world.member,
            answers={i.code: 1 for i in ITEMS},
        )


def test_incomplete_or_out_of_range_answers_show_inline_errors_and_save_nothing(
    client, world
) -> None:
    staff_team(world, 5)
    pulse_round = open_round(world)
    client.force_login(world.member.person)
    url = reverse(
        "pulse_answer",
        kwargs={"org": "acme", "team": world.team.slug, "pulse_round": pulse_round.uuid},
    )
    bad = {**all_answers(3), ITEMS[0].code: "9"}
    bad.pop(ITEMS[1].code)
    response = client.post(url, bad)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Please choose an answer." in body and "Select a valid choice" in body
    assert not PulseAnswer.objects.exists() and not PulseParticipation.objects.exists()


def test_results_need_a_closed_round_with_at_least_k_answers(client, world) -> None:
    """The k-anonymity attack: with k-1 answers, or while open, no figure appears anywhere."""
    members = staff_team(world, 6)
    pulse_round = open_round(world)
    k = pulse_round.min_responses
    for membership, value in zip(members[: k - 1], [1, 2, 5, 4], strict=True):
        answer(client, membership, pulse_round, value)
    client.force_login(world.facilitator.person)
    open_page = client.get(team_url(world)).content.decode()
    assert services.round_result(pulse_round) is None
    assert_no_figures(open_page)

    answer(client, members[k - 1], pulse_round, 3)  # k answers, but still open
    client.force_login(world.facilitator.person)
    assert services.round_result(pulse_round) is None
    assert_no_figures(client.get(team_url(world)).content.decode())

    services.close_round(pulse_round=pulse_round, by=world.facilitator)
    result = services.round_result(pulse_round)
    assert result is not None and result.responses == k
    page = client.get(team_url(world)).content.decode()
    assert "5 answers" in page
    assert [label for _c, label, _m in result.themes] == [t.label for t in THEMES]


def test_a_closed_round_with_k_minus_1_answers_stays_hidden_forever(client, world) -> None:
    members = staff_team(world, 5)
    pulse_round = open_round(world)
    for membership in members[:4]:
        answer(client, membership, pulse_round, 2)
    services.close_round(pulse_round=pulse_round, by=world.facilitator)
    assert services.round_result(pulse_round) is None
    assert services.team_trend(world.team) == []
    with pytest.raises(ValidationError):
        services.answer_round(
            pulse_round=pulse_round, membership=members[4], answers={i.code: 5 for i in ITEMS}
        )
    client.force_login(world.facilitator.person)
    page = client.get(team_url(world)).content.decode()
    assert_no_figures(page)
    assert "too few answers" in page


def test_lowering_the_threshold_later_does_not_reveal_an_old_round(world) -> None:
    members = staff_team(world, 5)
    pulse_round = open_round(world)
    for membership in members[:4]:
        services.answer_round(
            pulse_round=pulse_round, membership=membership, answers={i.code: 4 for i in ITEMS}
        )
    services.close_round(pulse_round=pulse_round, by=world.facilitator)
    world.org.pulse_min_responses = 3
    world.org.save()
    pulse_round.refresh_from_db()
    assert services.round_result(pulse_round) is None


def test_the_trend_shows_only_closed_rounds_and_no_difference_attack(world) -> None:
    """Consecutive views of the trend never differ by one answer: open rounds are not in it."""
    members = staff_team(world, 5)
    first = open_round(world)
    for value, membership in zip([1, 2, 3, 4, 5], members, strict=True):
        services.answer_round(
            pulse_round=first, membership=membership, answers={i.code: value for i in ITEMS}
        )
    services.close_round(pulse_round=first, by=world.facilitator)
    second = open_round(world)
    before = services.team_trend(world.team)
    for membership in members[:4]:
        services.answer_round(
            pulse_round=second, membership=membership, answers={i.code: 5 for i in ITEMS}
        )
        assert services.team_trend(world.team) == before
    assert [r.pulse_round for r in before] == [first]
    means = {code: mean for code, _label, mean in before[0].themes}
    assert all(str(m) == "3.0" for m in means.values())


def test_reverse_worded_items_are_scored_so_that_higher_is_safer(world) -> None:
    members = staff_team(world, 5)
    pulse_round = open_round(world)
    answers = {i.code: (1 if i.reverse else 5) for i in ITEMS}
    for membership in members:
        services.answer_round(pulse_round=pulse_round, membership=membership, answers=answers)
    services.close_round(pulse_round=pulse_round, by=world.facilitator)
    result = services.round_result(pulse_round)
    assert result is not None
    assert {str(mean) for _c, _l, mean in result.themes} == {"5.0"}


def assert_no_figures(page: str) -> None:
    """No mean, no meter, no per-theme figure in the page's content."""
    page = page[page.index("<main") : page.index("</main>")]
    assert "<meter" not in page
    assert not re.search(r"\b[1-5][.,]\d\b", page)
    for theme in THEMES:
        assert str(theme.label) not in page


def test_a_round_cannot_open_for_a_team_smaller_than_k(client, world) -> None:
    client.force_login(world.facilitator.person)
    response = client.post(
        reverse("pulse_open", kwargs={"org": "acme", "team": world.team.slug}), follow=True
    )
    assert "could never show results" in response.content.decode()
    assert not PulseRound.objects.exists()


def test_only_one_open_round_per_team(world) -> None:
    staff_team(world, 5)
    open_round(world)
    with pytest.raises(ValidationError, match="already has an open"):
        open_round(world)


def test_members_do_not_run_rounds_and_other_teams_do_not_see_or_answer(client, world) -> None:
    staff_team(world, 5)
    outsider_team_member = factories.member(world.org, teams=(world.other_team,))
    client.force_login(world.member.person)
    open_url = reverse("pulse_open", kwargs={"org": "acme", "team": world.team.slug})
    assert client.post(open_url).status_code == 403
    pulse_round = open_round(world)
    client.force_login(outsider_team_member.person)
    assert client.get(team_url(world)).status_code == 403
    assert answer(client, outsider_team_member, pulse_round, 5).status_code == 403
    close_url = reverse(
        "pulse_close",
        kwargs={"org": "acme", "team": world.team.slug, "pulse_round": pulse_round.uuid},
    )
    client.force_login(world.member.person)
    assert client.post(close_url).status_code == 403
    assert not PulseAnswer.objects.exists()
    assert PulseRound.objects.get().is_open


def test_other_organisations_get_404_and_anonymous_visitors_sign_in(client, world) -> None:
    staff_team(world, 5)
    pulse_round = open_round(world)
    client.force_login(world.outsider.person)
    assert client.get(team_url(world)).status_code == 404
    assert client.get(reverse("pulse_index", kwargs={"org": "acme"})).status_code == 404
    assert answer(client, world.outsider, pulse_round, 5).status_code == 404
    foreign_team = factories.team(world.other_org, "Gamma2")
    client.force_login(world.admin.person)
    url = reverse(
        "pulse_answer",
        kwargs={"org": "acme", "team": foreign_team.slug, "pulse_round": pulse_round.uuid},
    )
    assert client.post(url, all_answers(5)).status_code == 404
    client.logout()
    response = client.get(team_url(world))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_pulse_index_lists_teams_alphabetically_without_figures(client, world) -> None:
    staff_team(world, 5)
    open_round(world)
    client.force_login(world.facilitator.person)
    page = client.get(reverse("pulse_index", kwargs={"org": "acme"})).content.decode()
    assert page.index("Alpha") < page.index("Beta")
    assert "a round is open" in page
    client.force_login(world.member.person)
    page = client.get(reverse("pulse_index", kwargs={"org": "acme"})).content.decode()
    assert "Alpha" in page and "Beta" not in page


def test_the_team_page_queries_stay_flat_as_rounds_grow(
    client, world, django_assert_max_num_queries
) -> None:
    members = staff_team(world, 5)
    for _ in range(6):
        pulse_round = open_round(world)
        for membership in members:
            services.answer_round(
                pulse_round=pulse_round, membership=membership, answers={i.code: 4 for i in ITEMS}
            )
        services.close_round(pulse_round=pulse_round, by=world.facilitator)
    client.force_login(world.member.person)
    with django_assert_max_num_queries(14):
        response = client.get(team_url(world))
    assert response.content.decode().count("<meter") == 6 * len(THEMES)
    assert connection.vendor in {"sqlite", "postgresql"}


def test_the_pulse_page_is_german_too(client, world) -> None:
    staff_team(world, 5)
    open_round(world)
    client.force_login(world.member.person)
    page = client.get(team_url(world), HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert "Puls" in page and "trifft" in page


def test_facilitators_who_are_not_in_the_team_see_but_do_not_answer(client, world) -> None:
    staff_team(world, 5)
    open_round(world)
    client.force_login(world.facilitator.person)
    page = client.get(team_url(world)).content.decode()
    assert "Close this round" in page and "Send my answers" not in page
    assert world.facilitator.role == Role.FACILITATOR
