"""API: cycles, objectives, key results and leading indicators, for every role."""

from __future__ import annotations

import datetime

import pytest
from django.core.cache import cache

from leitstern.frame.models import Moal
from leitstern.okrs.models import Cycle, KeyResult, LeadingIndicator, Objective
from leitstern.tests import factories
from leitstern.tests.apiclient import ApiClient, assert_problem

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_rate_counters() -> None:
    cache.clear()


def _objective_payload(world, **extra):
    return {"team": world.team.slug, "cycle": str(world.cycle.uuid), "title": "Happy", **extra}


# ---- cycles


def test_cycles_list_and_detail(world) -> None:
    client = ApiClient(world.member)
    body = client.get("/cycles").json()
    assert [c["name"] for c in body["items"]] == [world.cycle.name]
    detail = client.get(f"/cycles/{world.cycle.uuid}")
    assert detail.json()["phase"] == "running" and detail["ETag"]


def test_cycles_filter_by_phase(world) -> None:
    assert ApiClient(world.member).get("/cycles", {"phase": "planning"}).json()["count"] == 0
    assert_problem(ApiClient(world.member).get("/cycles", {"phase": "nonsense"}), 422)


def test_foreign_cycle_is_404(world) -> None:
    foreign = Cycle.objects.get(organization=world.other_org)
    assert_problem(ApiClient(world.member).get(f"/cycles/{foreign.uuid}"), 404)


def test_facilitator_plans_a_cycle_members_may_not(world) -> None:
    start = world.cycle.ends_on + datetime.timedelta(days=1)
    payload = {
        "name": "Next",
        "starts_on": start.isoformat(),
        "ends_on": (start + datetime.timedelta(days=90)).isoformat(),
    }
    assert_problem(ApiClient(world.member).post("/cycles", payload), 403)
    response = ApiClient(world.facilitator).post("/cycles", payload)
    assert response.status_code == 201 and response.json()["phase"] == "planning"


def test_overlapping_cycle_is_refused_with_the_reason(world) -> None:
    payload = {
        "name": "Overlap",
        "starts_on": world.cycle.starts_on.isoformat(),
        "ends_on": world.cycle.ends_on.isoformat(),
    }
    response = ApiClient(world.facilitator).post("/cycles", payload)
    assert "overlaps" in assert_problem(response, 422)["detail"]


def test_cycle_moves_phase_through_the_service(world) -> None:
    client = ApiClient(world.facilitator)
    moved = client.post(f"/cycles/{world.cycle.uuid}/phase", {"to": "reflecting"})
    assert moved.status_code == 200 and moved.json()["phase"] == "reflecting"
    jump = ApiClient(world.admin).post(f"/cycles/{world.cycle.uuid}/phase", {"to": "planning"})
    assert "one phase at a time" in assert_problem(jump, 422)["detail"]
    back = ApiClient(world.admin).post(f"/cycles/{world.cycle.uuid}/phase", {"to": "running"})
    assert back.status_code == 200  # admins may reopen, one step back
    too_far = client.post(f"/cycles/{world.cycle.uuid}/phase", {"to": "closed"})
    assert "one step at a time" in assert_problem(too_far, 422)["detail"]
    assert_problem(
        ApiClient(world.member).post(f"/cycles/{world.cycle.uuid}/phase", {"to": "running"}), 403
    )


def test_facilitator_renames_a_cycle(world) -> None:
    client = ApiClient(world.facilitator)
    response = client.patch(f"/cycles/{world.cycle.uuid}", {"name": "Q4"})
    assert response.status_code == 200 and response.json()["name"] == "Q4"
    assert_problem(ApiClient(world.member).patch(f"/cycles/{world.cycle.uuid}", {"name": "x"}), 403)


# ---- objectives


def test_objectives_list_filters_and_stays_flat_in_queries(
    world, django_assert_max_num_queries
) -> None:
    for n in range(4):
        objective = factories.objective(world.other_team, world.cycle, f"Objective {n}")
        factories.key_result(objective)
    client = ApiClient(world.member)
    with django_assert_max_num_queries(10):
        body = client.get("/objectives").json()
    assert body["count"] == 5
    assert body["items"][0]["key_results"][0]["html_url"].startswith("http://testserver/o/acme/")
    only_alpha = client.get("/objectives", {"team": world.team.slug}).json()
    assert [o["title"] for o in only_alpha["items"]] == [world.objective.title]
    by_name = client.get("/objectives", {"cycle": world.cycle.name, "status": "draft"}).json()
    assert by_name["count"] == 5
    assert client.get("/objectives", {"status": "committed"}).json()["count"] == 0


def test_objectives_never_show_another_organisation(world) -> None:
    body = ApiClient(world.member).get("/objectives").json()
    assert world.foreign_objective.title not in str(body)
    assert_problem(ApiClient(world.member).get(f"/objectives/{world.foreign_objective.uuid}"), 404)


def test_member_adds_an_objective_for_own_team_only(world) -> None:
    client = ApiClient(world.member)
    created = client.post("/objectives", _objective_payload(world))
    assert created.status_code == 201, created.content
    assert created.json()["status"] == "draft" and created.json()["team"] == world.team.slug
    other = client.post("/objectives", _objective_payload(world, team=world.other_team.slug))
    assert "Only members of Beta" in assert_problem(other, 403)["detail"]


def test_facilitator_adds_an_objective_for_any_team(world) -> None:
    response = ApiClient(world.facilitator).post(
        "/objectives", _objective_payload(world, team=world.other_team.slug)
    )
    assert response.status_code == 201


def test_objective_limit_of_the_organisation_holds(world) -> None:
    world.org.max_objectives_per_team = 1
    world.org.save()
    response = ApiClient(world.member).post("/objectives", _objective_payload(world))
    assert "limit" in assert_problem(response, 422)["detail"]


@pytest.mark.parametrize("field", ["owner", "assignee", "person", "user", "email"])
def test_a_person_as_owner_is_refused_with_the_team_okr_explanation(world, field) -> None:
    response = ApiClient(world.member).post(
        "/objectives", _objective_payload(world, **{field: "anna@example.test"})
    )
    body = assert_problem(response, 422)
    assert body["type"] == "urn:leitstern:problem:team-okrs-only"
    assert "team OKRs only" in body["detail"] and body["errors"][0]["field"] == field
    assert not Objective.objects.filter(title="Happy").exists()


def test_objective_in_a_foreign_team_or_cycle_is_404(world) -> None:
    foreign_cycle = Cycle.objects.get(organization=world.other_org)
    response = ApiClient(world.member).post(
        "/objectives", _objective_payload(world, cycle=str(foreign_cycle.uuid))
    )
    assert_problem(response, 404)


def test_update_objective_honours_if_match(world) -> None:
    client = ApiClient(world.member)
    path = f"/objectives/{world.objective.uuid}"
    etag = client.get(path)["ETag"]
    first = client.patch(path, {"title": "Sharper"}, **{"If-Match": etag})
    assert first.status_code == 200 and first.json()["title"] == "Sharper"
    second = client.patch(path, {"title": "Overwrite"}, **{"If-Match": etag})
    assert_problem(second, 412)
    world.objective.refresh_from_db()
    assert world.objective.title == "Sharper"


def test_member_of_another_team_cannot_change_the_objective(world) -> None:
    outsider_member = factories.member(world.org, teams=(world.other_team,))
    response = ApiClient(outsider_member).patch(f"/objectives/{world.objective.uuid}", {"why": "x"})
    assert_problem(response, 403)


def test_objective_aligns_to_moals_and_objectives_without_loops(world) -> None:
    moal = Moal.objects.create(organization=world.org, title="Grow")
    other = factories.objective(world.other_team, world.cycle, "Beta goal")
    client = ApiClient(world.facilitator)
    response = client.patch(
        f"/objectives/{world.objective.uuid}",
        {"moals": [str(moal.uuid)], "contributes_to": [str(other.uuid)]},
    )
    assert response.status_code == 200, response.content
    assert response.json()["moals"] == [str(moal.uuid)]
    assert response.json()["contributes_to"] == [str(other.uuid)]
    loop = client.patch(
        f"/objectives/{other.uuid}", {"contributes_to": [str(world.objective.uuid)]}
    )
    assert "loop" in assert_problem(loop, 422)["detail"]


def test_drop_an_objective(world) -> None:
    response = ApiClient(world.member).patch(
        f"/objectives/{world.objective.uuid}", {"status": "dropped"}
    )
    assert response.json()["status"] == "dropped"


def test_commit_objectives_of_a_team(world) -> None:
    client = ApiClient(world.member)
    body = {"team": world.team.slug, "cycle": world.cycle.name}
    assert client.post("/objectives/commit", body).json() == {"committed": 1}
    world.objective.refresh_from_db()
    assert world.objective.status == "committed"
    assert_problem(
        client.post(
            "/objectives/commit", {"team": world.other_team.slug, "cycle": world.cycle.name}
        ),
        403,
    )


# ---- key results and indicators


def test_member_adds_a_metric_key_result(world) -> None:
    response = ApiClient(world.member).post(
        "/key-results",
        {"objective": str(world.objective.uuid), "title": "NPS", "baseline": 10, "target": "30.5"},
    )
    assert response.status_code == 201, response.content
    assert response.json()["target"] == 30.5 and response.json()["progress_percent"] is None


def test_key_result_with_equal_baseline_and_target_is_refused(world) -> None:
    response = ApiClient(world.member).post(
        "/key-results",
        {"objective": str(world.objective.uuid), "title": "Keep", "baseline": 5, "target": 5},
    )
    assert "health metrics" in assert_problem(response, 422)["detail"]


def test_key_result_with_an_owner_is_refused(world) -> None:
    response = ApiClient(world.member).post(
        "/key-results",
        {
            "objective": str(world.objective.uuid),
            "title": "X",
            "baseline": 1,
            "target": 2,
            "owner": "kim",
        },
    )
    assert assert_problem(response, 422)["type"].endswith("team-okrs-only")


def test_key_results_list_filters_and_detail(world, django_assert_max_num_queries) -> None:
    for n in range(3):
        factories.key_result(world.objective, f"KR {n}")
    client = ApiClient(world.member)
    client.get("/me")  # the token's first use of the day writes its date
    with django_assert_max_num_queries(4):  # token, count, page, leading indicators
        body = client.get("/key-results", {"team": world.team.slug}).json()
    assert body["count"] == 4
    assert (
        client.get("/key-results", {"objective": str(world.foreign_objective.uuid)}).json()["count"]
        == 0
    )
    detail = client.get(f"/key-results/{world.key_result.uuid}")
    assert detail.json()["baseline"] == 10.0 and detail["ETag"]
    foreign = KeyResult.objects.get(objective=world.foreign_objective)
    assert_problem(client.get(f"/key-results/{foreign.uuid}"), 404)


def _follow(client: ApiClient, first: str, params: dict[str, str]) -> list[dict]:
    """Every page of a list, by its `next` links."""
    bodies = [client.get(first, params).json()]
    while bodies[-1]["next"]:
        path = bodies[-1]["next"].split("/api/v1", 1)[1]
        bodies.append(client.get(path).json())
    return bodies


def test_key_results_page_by_page_show_each_exactly_once(world) -> None:
    """Equal positions do not make pages overlap: the order ends with the key result's id."""
    for n in range(4):
        factories.key_result(world.objective, f"KR {n}")
    KeyResult.objects.filter(objective=world.objective).update(position=0)
    bodies = _follow(ApiClient(world.member), "/key-results", {"page_size": "2"})
    seen = [item["uuid"] for body in bodies for item in body["items"]]
    assert len(bodies) == 3 and bodies[0]["count"] == 5 and bodies[1]["page"] == 2
    assert sorted(seen) == sorted(
        str(k.uuid) for k in KeyResult.objects.filter(organization=world.org)
    )


def test_key_results_walked_with_a_cursor_newest_first(world, django_assert_num_queries) -> None:
    for n in range(4):
        factories.key_result(world.objective, f"KR {n}")
    client = ApiClient(world.member)
    bodies = _follow(client, "/key-results", {"cursor": "", "page_size": "2"})
    newest_first = KeyResult.objects.filter(organization=world.org).order_by("-pk")
    assert [i["uuid"] for b in bodies for i in b["items"]] == [str(k.uuid) for k in newest_first]
    assert [len(b["items"]) for b in bodies] == [2, 2, 1]
    assert all(b["count"] is None and b["page"] is None and b["previous"] is None for b in bodies)
    assert "cursor=" in bodies[0]["next"] and "page_size=2" in bodies[0]["next"]
    # the same queries on every page, however deep: token, page, leading indicators
    with django_assert_num_queries(3):
        client.get(bodies[0]["next"].split("/api/v1", 1)[1])
    filtered = client.get("/key-results", {"cursor": "", "team": world.other_team.slug}).json()
    assert filtered["items"] == [] and filtered["next"] is None


@pytest.mark.parametrize(
    "cursor", ["nonsense", "cGs6LTE", "eDox", "cGs6MTIzNDU2Nzg5MDEyMzQ1Njc4OTAxMg"]
)
def test_a_broken_cursor_is_refused(world, cursor: str) -> None:
    client = ApiClient(world.member)
    body = assert_problem(client.get("/key-results", {"cursor": cursor}), 422)
    assert body["errors"][0]["field"] == "cursor"
    german = client.get("/key-results", {"cursor": cursor}, **{"Accept-Language": "de"})
    assert "Cursor ist ungültig" in german.json()["errors"][0]["message"]


def test_key_results_link_to_their_pages(world) -> None:
    factories.key_result(world.objective, "Second")
    client = ApiClient(world.member)
    items = client.get("/key-results", {"team": world.team.slug}).json()["items"]
    for item in items:
        detail = client.get(f"/key-results/{item['uuid']}").json()
        assert item == detail
        assert item["html_url"] == f"http://testserver/o/acme/key-results/{item['uuid']}/"


def test_key_results_read_as_rows_show_what_the_model_shows(world) -> None:
    """Lists and details build key results from rows (no model instances); an objective
    shows its key results from model instances. Both must say the same, progress included."""
    from decimal import Decimal

    from leitstern.okrs.services import add_key_result

    factories.checkin(world.key_result, "27", 3)  # 85 %
    falling = factories.key_result(world.objective, "Waiting days", baseline="30", target="10")
    factories.checkin(falling, "5", 8)  # beyond the target: 100 % and 25 % over
    levels = add_key_result(
        objective=world.objective, title="Partners", kind="ordinal", target_level="Five use it"
    )
    factories.checkin(levels, "3", 9)  # stretch level: 100 % and 50 % over
    factories.key_result(world.objective, "Not checked in yet")
    LeadingIndicator.objects.create(
        organization=world.org, key_result=falling, name="Calls", baseline=Decimal("1.5")
    )
    client = ApiClient(world.member)
    listed = client.get("/key-results", {"objective": str(world.objective.uuid)}).json()
    nested = client.get(f"/objectives/{world.objective.uuid}").json()["key_results"]
    by_uuid = {item["uuid"]: item for item in nested}
    assert len(listed["items"]) == len(nested) == 4
    for item in listed["items"]:
        assert item == by_uuid[item["uuid"]] == client.get(f"/key-results/{item['uuid']}").json()
    shown = {item["title"]: item for item in listed["items"]}
    progress = {title: (i["progress_percent"], i["over_percent"]) for title, i in shown.items()}
    assert progress == {
        world.key_result.title: (85, 0),
        "Waiting days": (100, 25),
        "Partners": (100, 50),
        "Not checked in yet": (None, 0),
    }
    assert shown["Waiting days"]["leading_indicators"][0]["baseline"] == 1.5


def test_update_key_result_and_stale_if_match(world) -> None:
    client = ApiClient(world.member)
    path = f"/key-results/{world.key_result.uuid}"
    etag = client.get(path)["ETag"]
    response = client.patch(path, {"target": 40}, **{"If-Match": etag})
    assert response.status_code == 200 and response.json()["target"] == 40.0
    assert_problem(client.patch(path, {"target": 50}, **{"If-Match": etag}), 412)


def test_indicators_are_added_and_changed_by_the_team(world) -> None:
    client = ApiClient(world.member)
    added = client.post(
        f"/key-results/{world.key_result.uuid}/indicators", {"name": "Weekly logins", "unit": "%"}
    )
    assert added.status_code == 201
    indicator = LeadingIndicator.objects.get(key_result=world.key_result)
    changed = client.patch(f"/indicators/{indicator.uuid}", {"name": "Daily logins"})
    assert changed.json()["leading_indicators"][0]["name"] == "Daily logins"
    outsider_member = factories.member(world.org, teams=(world.other_team,))
    assert_problem(
        ApiClient(outsider_member).patch(f"/indicators/{indicator.uuid}", {"name": "x"}), 403
    )
