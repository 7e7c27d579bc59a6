from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client

from leitstern.checkins.services import record_checkin
from leitstern.frame.models import Moal
from leitstern.okrs.models import Cycle, KeyResult, Objective, ObjectiveStatus, Phase, Revision
from leitstern.okrs.services import commit_objectives
from leitstern.tests import factories as f

pytestmark = pytest.mark.django_db


def as_(client: Client, membership: object) -> Client:
    client.force_login(membership.person)  # type: ignore[attr-defined]
    return client


def test_objective_page_shows_why_questions_key_results(client: Client, world: f.World) -> None:
    world.objective.why = "Customers leave in week one"
    world.objective.open_questions = "Do they read emails?"
    world.objective.save()
    page = as_(client, world.facilitator).get(f"/o/acme/objectives/{world.objective.uuid}/")
    assert page.status_code == 200
    for text in ("Customers leave in week one", "Do they read emails?", world.key_result.title):
        assert text in page.text


def test_key_result_page_draws_a_chart_and_history(client: Client, world: f.World) -> None:
    record_checkin(
        key_result=world.key_result,
        value=Decimal("20"),
        confidence=6,
        note="Halfway",
        problem="No data",
    )
    page = as_(client, world.member).get(f"/o/acme/key-results/{world.key_result.uuid}/")
    assert page.status_code == 200
    assert "<svg" in page.text and "ls-chart-values" in page.text
    assert "Halfway" in page.text and "No data" in page.text
    assert "confidence 6/10" in page.text


def test_member_creates_objective_and_key_result(client: Client, world: f.World) -> None:
    moal = Moal.objects.create(organization=world.org, title="Referrals")
    c = as_(client, world.member)
    response = c.post(
        f"/o/acme/teams/{world.team.slug}/objectives/new/",
        {
            "title": "Clinics trust our sync",
            "why": "Double bookings",
            "kind": "committed",
            "moals": [moal.pk],
        },
    )
    obj = Objective.objects.get(title="Clinics trust our sync")
    assert response.status_code == 302 and obj.team == world.team
    assert list(obj.moals.all()) == [moal]
    response = c.post(
        f"/o/acme/objectives/{obj.uuid}/key-results/new/",
        {
            "title": "Share of conflict-free syncs",
            "kind": "metric",
            "unit": "%",
            "baseline": "94",
            "target": "99.5",
            "hypothesis": "We believe checks help",
        },
    )
    assert response.status_code == 302
    assert obj.key_results.get().target == Decimal("99.5")


def test_key_result_form_shows_inline_errors_and_saves_nothing(
    client: Client, world: f.World
) -> None:
    c = as_(client, world.member)
    url = f"/o/acme/objectives/{world.objective.uuid}/key-results/new/"
    response = c.post(url, {"title": "Flat", "kind": "metric", "baseline": "5", "target": "5"})
    assert response.status_code == 200
    assert "health metrics" in response.text
    response = c.post(url, {"title": "", "kind": "metric", "baseline": "x"})
    assert response.status_code == 200 and "ls-error" in response.text
    assert KeyResult.objects.filter(objective=world.objective).count() == 1


def test_other_team_member_may_not_write(client: Client, world: f.World) -> None:
    other = f.member(world.org, teams=(world.other_team,))
    c = as_(client, other)
    assert c.get(f"/o/acme/teams/{world.team.slug}/objectives/new/").status_code == 403
    assert (
        c.post(
            f"/o/acme/objectives/{world.objective.uuid}/edit/",
            {"title": "Hijacked", "kind": "committed"},
        ).status_code
        == 403
    )
    world.objective.refresh_from_db()
    assert world.objective.title != "Hijacked"
    # …but reads everything
    assert c.get(f"/o/acme/objectives/{world.objective.uuid}/").status_code == 200


def test_wording_change_after_commit_is_kept_as_team_history(
    client: Client, world: f.World
) -> None:
    commit_objectives(team=world.team, cycle=world.cycle)
    c = as_(client, world.member)
    c.post(
        f"/o/acme/key-results/{world.key_result.uuid}/edit/",
        {
            "title": "Share of weekly active users",
            "kind": "metric",
            "unit": "%",
            "baseline": "10",
            "target": "35",
        },
    )
    revisions = Revision.objects.filter(key_result=world.key_result)
    assert {r.field for r in revisions} == {"title", "target"}
    page = c.get(f"/o/acme/key-results/{world.key_result.uuid}/").text
    assert "Share of active users" in page and world.team.name in page


def test_team_commits_drafts_from_its_page(client: Client, world: f.World) -> None:
    c = as_(client, world.member)
    page = c.get(f"/o/acme/teams/{world.team.slug}/")
    assert "Commit our objectives" in page.text
    c.post(f"/o/acme/teams/{world.team.slug}/objectives/commit/")
    world.objective.refresh_from_db()
    assert world.objective.status == ObjectiveStatus.COMMITTED


def test_facilitator_plans_and_moves_cycles(client: Client, world: f.World) -> None:
    c = as_(client, world.facilitator)
    response = c.post(
        "/o/acme/cycles/new/",
        {
            "name": "Overlap",
            "starts_on": str(world.cycle.starts_on),
            "ends_on": str(world.cycle.ends_on),
        },
    )
    assert response.status_code == 400 and "overlaps" in response.text
    c.post(f"/o/acme/cycles/{world.cycle.uuid}/phase/", {"to": "reflecting"})
    world.cycle.refresh_from_db()
    assert world.cycle.phase == Phase.REFLECTING
    c.post(f"/o/acme/cycles/{world.cycle.uuid}/phase/", {"to": "nonsense"})
    world.cycle.refresh_from_db()
    assert world.cycle.phase == Phase.REFLECTING
    assert (
        as_(Client(), world.member)
        .post(f"/o/acme/cycles/{world.cycle.uuid}/phase/", {"to": "closed"})
        .status_code
        == 403
    )


def test_carry_over_into_next_cycle(client: Client, world: f.World) -> None:
    nxt = f.cycle(world.org, phase=Phase.PLANNING, weeks_ago=-10, name="Next")
    response = as_(client, world.member).post(
        f"/o/acme/objectives/{world.objective.uuid}/carry-over/", {"cycle": str(nxt.uuid)}
    )
    copy = Objective.objects.get(cycle=nxt)
    assert response.status_code == 302 and copy.carried_over_from == world.objective


@pytest.mark.parametrize(
    "path",
    [
        "/o/acme/objectives/{foreign}/",
        "/o/acme/objectives/{foreign}/edit/",
        "/o/acme/key-results/{foreign_kr}/",
        "/o/globex/objectives/{mine}/",
    ],
)
def test_other_organisations_objects_are_404(client: Client, world: f.World, path: str) -> None:
    url = path.format(
        foreign=world.foreign_objective.uuid,
        mine=world.objective.uuid,
        foreign_kr=world.foreign_objective.key_results.get().uuid,
    )
    assert as_(client, world.admin).get(url).status_code == 404


def test_alignment_map_groups_objectives_by_moal(client: Client, world: f.World) -> None:
    moal = Moal.objects.create(organization=world.org, title="Grow by referrals")
    world.objective.moals.add(moal)
    page = as_(client, world.member).get("/o/acme/alignment/").text
    assert page.index("Grow by referrals") < page.index(world.objective.title)
    assert world.foreign_objective.title not in page


def grow(world: f.World, teams: int) -> None:
    for i in range(teams):
        team = f.team(world.org, f"Extra {i}")
        obj = f.objective(team, world.cycle, f"Extra objective {i}")
        kr = f.key_result(obj, f"Extra KR {i}")
        record_checkin(key_result=kr, value=Decimal("15"), confidence=5, problem="Help")


@pytest.mark.parametrize(
    "page", ["/o/acme/", "/o/acme/alignment/", "/o/acme/teams/", "/o/acme/cycles/"]
)
def test_org_pages_use_a_flat_number_of_queries(
    client: Client, world: f.World, django_assert_max_num_queries: object, page: str
) -> None:
    c = as_(client, world.member)
    grow(world, 2)
    with django_assert_max_num_queries(25) as small:  # type: ignore[operator]
        assert c.get(page).status_code == 200
    grow(world, 12)
    with django_assert_max_num_queries(len(small.captured_queries)):  # type: ignore[operator]
        assert c.get(page).status_code == 200


def test_team_page_queries_stay_flat(
    client: Client, world: f.World, django_assert_max_num_queries: object
) -> None:
    c = as_(client, world.member)
    url = f"/o/acme/teams/{world.team.slug}/"
    with django_assert_max_num_queries(30) as small:  # type: ignore[operator]
        c.get(url)
    for i in range(3):
        kr = f.key_result(world.objective, f"More {i}")
        record_checkin(key_result=kr, value=Decimal("12"), confidence=4)
    with django_assert_max_num_queries(len(small.captured_queries)):  # type: ignore[operator]
        assert c.get(url).status_code == 200


def test_cycle_report_prints_objectives_problems_learnings(client: Client, world: f.World) -> None:
    record_checkin(
        key_result=world.key_result,
        value=Decimal("20"),
        confidence=6,
        problem="Need data",
        learning="Sundays win",
    )
    page = as_(client, world.member).get(f"/o/acme/cycles/{world.cycle.uuid}/report/").text
    for text in (world.objective.title, "Need data", "Sundays win", "50 %"):
        assert text in page
    assert Cycle.objects.count() == 2


def test_chart_coordinates_stay_machine_readable_in_german(client: Client, world: f.World) -> None:
    import re

    record_checkin(key_result=world.key_result, value=Decimal("20"), confidence=6)
    page = (
        as_(client, world.member)
        .get(f"/o/acme/key-results/{world.key_result.uuid}/", HTTP_ACCEPT_LANGUAGE="de")
        .text
    )
    svg = page[page.index("<svg") : page.index("</svg>")]
    coordinates = re.findall(r'(?:x1|y1|x2|y2|cx|cy|y)="([^"]*)"', svg)
    assert coordinates and all("," not in c for c in coordinates)
