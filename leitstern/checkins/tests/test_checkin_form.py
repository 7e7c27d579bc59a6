"""The weekly check-in page through the front door."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from leitstern.checkins import views
from leitstern.checkins.models import CheckIn, IndicatorValue, Problem
from leitstern.learning.models import Learning
from leitstern.okrs.models import KeyResult, LeadingIndicator, Phase
from leitstern.okrs.services import add_key_result
from leitstern.orgs.models import Attribution, Role
from leitstern.tests import factories as f

pytestmark = pytest.mark.django_db


def as_(client: Client, membership: Any) -> Client:
    client.force_login(membership.person)
    return client


def url(world: f.World, team: Any = None) -> str:
    return f"/o/acme/teams/{(team or world.team).slug}/check-in/"


def row(kr: KeyResult, **values: Any) -> dict[str, Any]:
    return {f"kr-{kr.uuid}-{name}": value for name, value in values.items()}


def second_kr(world: f.World) -> KeyResult:
    return f.key_result(world.objective, "Weekly active clinics", baseline="5", target="50")


def test_member_sees_one_form_for_all_key_results(client: Client, world: f.World) -> None:
    kr2 = second_kr(world)
    page = as_(client, world.member).get(url(world)).text
    assert world.key_result.title in page and kr2.title in page
    form = page.split('class="ls-checkin">')[1].split("</form>")[0]
    assert form.count('type="submit"') == 1  # one submit for all key results
    assert 'inputmode="decimal"' in page and 'inputmode="numeric"' in page
    assert page.count("autofocus") == 1
    assert f'name="kr-{world.key_result.uuid}-value"' in page
    assert f'href="/o/acme/teams/{world.team.slug}/"' in page  # back to the team page


def test_checkin_saves_every_key_result_with_problem_learning_and_indicators(
    client: Client, world: f.World
) -> None:
    kr2 = second_kr(world)
    indicator = LeadingIndicator.objects.create(
        organization=world.org, key_result=kr2, name="Trials started"
    )
    data = {
        **row(world.key_result, value="15", confidence="7", note="Good week"),
        **row(kr2, value="9", confidence="4", problem="No test clinic", learning="Mondays work"),
        f"kr-{kr2.uuid}-indicator_{indicator.pk}": "3",
    }
    response = as_(client, world.member).post(url(world), data)
    assert response.status_code == 302
    assert response["Location"] == f"/o/acme/teams/{world.team.slug}/"
    assert CheckIn.objects.count() == 2
    assert Problem.objects.get().text == "No test clinic"
    assert Learning.objects.get().text == "Mondays work"
    assert IndicatorValue.objects.get().value == Decimal("3")
    kr2.refresh_from_db()
    assert (kr2.current_value, kr2.current_confidence) == (Decimal("9"), 4)


def test_same_week_updates_and_prefills(client: Client, world: f.World) -> None:
    c = as_(client, world.member)
    c.post(url(world), row(world.key_result, value="12", confidence="6", learning="Ask early"))
    c.post(url(world), row(world.key_result, value="14.5", confidence="6", learning="Ask early"))
    checkin = CheckIn.objects.get()
    assert checkin.value == Decimal("14.5") and Learning.objects.count() == 1
    page = c.get(url(world)).text
    assert 'value="14.5"' in page and 'value="Ask early"' in page
    assert "already checked in this week" in page


def test_confidence_drop_needs_a_sentence(client: Client, world: f.World) -> None:
    f.checkin(world.key_result, "12", 7, weeks_ago=1)
    kr2 = second_kr(world)
    data = {
        **row(world.key_result, value="13", confidence="4"),
        **row(kr2, value="8", confidence="5"),
    }
    response = as_(client, world.member).post(url(world), data)
    assert response.status_code == 200
    assert "What changed? One sentence helps the others understand." in response.text
    assert 'aria-invalid="true"' in response.text
    assert CheckIn.objects.count() == 1  # only last week's; the valid row waited too
    data[f"kr-{world.key_result.uuid}-note"] = "The partner paused the pilot."
    assert as_(client, world.member).post(url(world), data).status_code == 302
    assert CheckIn.objects.count() == 3


def test_confidence_drop_question_in_german(client: Client, world: f.World) -> None:
    f.checkin(world.key_result, "12", 7, weeks_ago=1)
    response = as_(client, world.member).post(
        url(world), row(world.key_result, value="13", confidence="3"), HTTP_ACCEPT_LANGUAGE="de"
    )
    assert "Was hat sich verändert?" in response.text
    assert "Wöchentlicher Check-in" in response.text


@pytest.mark.parametrize(
    ("value", "confidence", "message"),
    [
        ("abc", "5", "Enter a number."),
        ("12", "11", "less than or equal to 10"),
        ("12", "", "How confident are you, from 0 to 10?"),
        ("", "5", "Enter the current value."),
        ("1.123456", "5", "decimal places"),
    ],
)
def test_bad_input_shows_inline_errors_and_saves_nothing(
    client: Client, world: f.World, value: str, confidence: str, message: str
) -> None:
    kr2 = second_kr(world)
    data = {
        **row(world.key_result, value=value, confidence=confidence),
        **row(kr2, value="9", confidence="5"),
    }
    response = as_(client, world.member).post(url(world), data)
    assert response.status_code == 200 and message in response.text
    assert "Nothing was saved yet" in response.text
    assert CheckIn.objects.count() == 0


def test_an_error_from_the_service_rolls_back_every_row(
    client: Client, world: f.World, monkeypatch: pytest.MonkeyPatch
) -> None:
    kr2 = second_kr(world)
    real = views.record_checkin

    def fail_on_second(*, key_result: KeyResult, **kwargs: Any) -> Any:
        if key_result.pk == kr2.pk:
            raise ValidationError({"value": "The sensor says no."})
        return real(key_result=key_result, **kwargs)

    monkeypatch.setattr(views, "record_checkin", fail_on_second)
    data = {
        **row(world.key_result, value="12", confidence="6"),
        **row(kr2, value="9", confidence="5"),
    }
    response = as_(client, world.member).post(url(world), data)
    assert response.status_code == 200 and "The sensor says no." in response.text
    assert CheckIn.objects.count() == 0
    world.key_result.refresh_from_db()
    assert world.key_result.current_value is None


def test_empty_rows_are_skipped_and_an_empty_form_saves_nothing(
    client: Client, world: f.World
) -> None:
    kr2 = second_kr(world)
    c = as_(client, world.member)
    response = c.post(url(world), {**row(world.key_result, value="", confidence="")})
    assert response.status_code == 200 and "Nothing to save yet" in response.text
    assert CheckIn.objects.count() == 0
    assert c.post(url(world), row(kr2, value="7", confidence="5")).status_code == 302
    assert list(CheckIn.objects.values_list("key_result", flat=True)) == [kr2.pk]


def test_ordinal_key_result_offers_the_described_levels(client: Client, world: f.World) -> None:
    kr = add_key_result(
        objective=world.objective,
        title="Partners trust us",
        kind="ordinal",
        commit_level="Two partners try it",
        target_level="Five partners use it weekly",
    )
    c = as_(client, world.member)
    page = c.get(url(world)).text
    assert "Five partners use it weekly" in page and "Two partners try it" in page
    assert c.post(url(world), row(kr, value="2", confidence="6")).status_code == 302
    kr.refresh_from_db()
    assert kr.current_value == 2
    response = c.post(url(world), row(kr, value="7", confidence="6"))
    assert "Select a valid choice" in response.text


def test_stale_key_results_get_a_friendly_prompt(client: Client, world: f.World) -> None:
    kr2 = second_kr(world)
    f.checkin(world.key_result, "12", 6, weeks_ago=3)
    f.checkin(kr2, "8", 6, weeks_ago=1)
    page = as_(client, world.member).get(url(world)).text
    assert page.count("No check-in for two weeks") == 1
    assert "last time" in page and "confidence 6/10" in page


def test_other_team_reads_but_cannot_submit(client: Client, world: f.World) -> None:
    beta = f.member(world.org, Role.MEMBER, teams=(world.other_team,))
    c = as_(client, beta)
    page = c.get(url(world))
    assert page.status_code == 200
    assert "Only members of Alpha check in" in page.text
    assert 'class="ls-checkin"' not in page.text
    response = c.post(url(world), row(world.key_result, value="12", confidence="6"))
    assert response.status_code == 403
    assert CheckIn.objects.count() == 0


def test_facilitator_may_check_in_for_any_team(client: Client, world: f.World) -> None:
    response = as_(client, world.facilitator).post(
        url(world), row(world.key_result, value="12", confidence="6")
    )
    assert response.status_code == 302 and CheckIn.objects.count() == 1


def test_outsiders_and_other_tenants_get_404(client: Client, world: f.World) -> None:
    assert as_(client, world.outsider).get(url(world)).status_code == 404
    foreign_team = world.foreign_objective.team
    assert as_(client, world.member).get(url(world, foreign_team)).status_code == 404
    response = as_(client, world.member).post(url(world, foreign_team), {})
    assert response.status_code == 404


def test_anonymous_is_sent_to_sign_in(client: Client, world: f.World) -> None:
    response = client.get(url(world))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("phase", [Phase.PLANNING, Phase.CLOSED])
def test_no_running_cycle_explains_itself(client: Client, world: f.World, phase: str) -> None:
    world.cycle.phase = phase
    world.cycle.save()
    page = as_(client, world.member).get(url(world)).text
    assert "No cycle is running right now" in page
    as_(client, world.member).post(url(world), row(world.key_result, value="1", confidence="1"))
    assert CheckIn.objects.count() == 0


def test_team_without_key_results_has_an_empty_state(client: Client, world: f.World) -> None:
    page = as_(client, world.facilitator).get(url(world, world.other_team)).text
    assert "Beta has no key results" in page


def test_names_on_problems_follow_the_attribution_setting(client: Client, world: f.World) -> None:
    world.member.person.name = "Maria"
    world.member.person.save()
    world.org.attribution = Attribution.TEAM_AND_NAME
    world.org.save()
    as_(client, world.member).post(
        url(world), row(world.key_result, value="12", confidence="6", problem="Blocked")
    )
    assert Problem.objects.get().signed_as == "Maria"


def _grow(world: f.World, objectives: int, krs: int) -> None:
    for i in range(objectives):
        objective = f.objective(world.team, world.cycle, f"Objective {i}")
        for j in range(krs):
            kr = f.key_result(objective, f"KR {i}.{j}")
            LeadingIndicator.objects.create(organization=world.org, key_result=kr, name="Lead")
            for week in range(3):
                f.checkin(kr, str(11 + week), 5, weeks_ago=week, problem="p", learning="l")


@pytest.mark.parametrize(("objectives", "krs"), [(1, 1), (4, 5)])
def test_checkin_page_queries_stay_flat(
    client: Client, world: f.World, django_assert_max_num_queries: Any, objectives: int, krs: int
) -> None:
    world.org.max_objectives_per_team = 10
    world.org.save()
    _grow(world, objectives, krs)
    c = as_(client, world.member)
    with django_assert_max_num_queries(10):
        assert c.get(url(world)).status_code == 200


def test_team_catches_up_on_an_earlier_week(client: Client, world: f.World) -> None:
    import datetime

    from django.utils import timezone

    from leitstern.checkins.models import CheckIn

    earlier = timezone.localdate() - datetime.timedelta(weeks=2)
    monday = earlier - datetime.timedelta(days=earlier.weekday())
    c = as_(client, world.member)
    page = c.get(url(world), {"day": monday.isoformat()})
    assert f'value="{monday.isoformat()}" selected' in page.text
    data = {**row(world.key_result, value="14", confidence="6"), "day": monday.isoformat()}
    assert c.post(url(world), data).status_code == 302
    assert CheckIn.objects.get(key_result=world.key_result).week == monday
    future = {**data, "day": "2999-01-01"}  # never in the future: it becomes today
    c.post(url(world), future)
    assert CheckIn.objects.filter(key_result=world.key_result).count() == 2


def _browser_form(world: f.World, filled: KeyResult, **values: str) -> dict[str, str]:
    """What a browser posts: every row's fields, empty but for the one filled in."""
    data: dict[str, str] = {}
    for kr in KeyResult.objects.filter(objective__team=world.team).prefetch_related(
        "leading_indicators"
    ):
        names = ["value", "confidence", "note", "problem", "learning"]
        names += [f"indicator_{i.pk}" for i in kr.leading_indicators.all()]
        data.update(row(kr, **dict.fromkeys(names, "")))
    data.update(row(filled, **values))
    return data


@pytest.mark.parametrize(("objectives", "krs"), [(1, 1), (4, 5)])
def test_saving_one_row_costs_the_same_queries_however_big_the_team(
    client: Client, world: f.World, django_assert_num_queries: Any, objectives: int, krs: int
) -> None:
    world.org.max_objectives_per_team = 10
    world.org.save()
    _grow(world, objectives, krs)
    c = as_(client, world.member)
    data = _browser_form(world, world.key_result, value="17", confidence="6")
    # session, person, membership with the team (and whether the person is in it);
    # savepoint, the filled row's key result in the cycle the team checks in for, locked
    # (with its previous confidence; its leading indicators only when its row has indicator
    # fields), this week on, insert, key result, release. The blank rows are not even fetched.
    with django_assert_num_queries(9):
        assert c.post(url(world), data).status_code == 302
    assert CheckIn.objects.get(key_result=world.key_result).value == Decimal("17")


def test_a_service_error_on_the_only_filled_row_shows_every_row_again(
    client: Client, world: f.World, monkeypatch: pytest.MonkeyPatch
) -> None:
    kr2 = second_kr(world)

    def fail(**kwargs: Any) -> Any:
        raise ValidationError({"value": "The sensor says no."})

    monkeypatch.setattr(views, "record_checkin", fail)
    data = _browser_form(world, world.key_result, value="12", confidence="6")
    response = as_(client, world.member).post(url(world), data)
    assert response.status_code == 200 and "The sensor says no." in response.text
    assert world.key_result.title in response.text and kr2.title in response.text
    assert f'name="kr-{world.key_result.uuid}-value" value="12"' in response.text
    assert CheckIn.objects.count() == 0


def test_a_row_posted_without_indicator_fields_is_shown_again_with_them(
    client: Client, world: f.World
) -> None:
    """Leading indicators are read only for rows posted with their fields; a row shown again
    after an error still gets its indicator inputs."""
    indicator = LeadingIndicator.objects.create(
        organization=world.org, key_result=world.key_result, name="Trials started"
    )
    response = as_(client, world.member).post(
        url(world), row(world.key_result, value="abc", confidence="5")
    )
    assert response.status_code == 200 and "Enter a number." in response.text
    assert f'name="kr-{world.key_result.uuid}-indicator_{indicator.pk}"' in response.text
    assert f'name="kr-{world.key_result.uuid}-value" value="abc"' in response.text


def test_saving_this_weeks_checkin_again_shows_on_the_cached_pages(
    client: Client, world: f.World, django_capture_on_commit_callbacks: Any
) -> None:
    """The second check-in of a week is an UPDATE without Model.save(): it bumps the team's
    page version itself, so the team page and the organisation home show it at once."""
    c = as_(client, world.member)
    pages = (f"/o/acme/teams/{world.team.slug}/", "/o/acme/")
    with django_capture_on_commit_callbacks(execute=True):
        c.post(url(world), row(world.key_result, value="15", confidence="6"))
    for page in pages:
        assert "25 %" in c.get(page).text  # (15 - 10) / (30 - 10), now cached
    with django_capture_on_commit_callbacks(execute=True):
        response = c.post(url(world), row(world.key_result, value="27", confidence="3", note="x"))
    assert response.status_code == 302
    for page in pages:
        text = c.get(page).text
        assert "85 %" in text and "3/10" in text and "25 %" not in text
