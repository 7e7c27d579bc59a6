"""The key-result page comes from the fragment cache (okrs/views.py, web/fragments.py): every
change shown on it must reach the next request, in every language and for every viewer.

Page versions are written after a commit; inside a test's transaction nothing commits, so each
change runs inside `django_capture_on_commit_callbacks(execute=True)`, as a request's would.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from contextlib import AbstractContextManager
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from leitstern.checkins.models import IndicatorValue, Problem
from leitstern.checkins.services import resolve_problem
from leitstern.learning.models import Learning
from leitstern.okrs.models import KeyResult, LeadingIndicator, Phase
from leitstern.okrs.services import commit_objectives, update_key_result, update_objective
from leitstern.orgs.models import Membership, Role, Team
from leitstern.tests import factories as f

pytestmark = pytest.mark.django_db

Commit = Callable[..., AbstractContextManager[Any]]


@pytest.fixture
def committed(django_capture_on_commit_callbacks: Commit) -> Callable[[], Any]:
    return lambda: django_capture_on_commit_callbacks(execute=True)


def kr_page(client: Client, membership: Membership, kr: KeyResult, **headers: str) -> str:
    client.force_login(membership.person)
    response = client.get(f"/o/{kr.organization.slug}/key-results/{kr.uuid}/", headers=headers)
    assert response.status_code == 200
    return response.text


@pytest.fixture
def warm(client: Client, world: f.World) -> None:
    """The page rendered once, so the next request would come from the cache."""
    kr_page(client, world.member, world.key_result)


def indicator(kr: KeyResult, name: str = "Trial sign-ups") -> LeadingIndicator:
    return LeadingIndicator.objects.create(organization=kr.organization, key_result=kr, name=name)


def _tokens(page: str) -> set[str]:
    return set(re.findall(r'(?:csrfmiddlewaretoken" value="|"X-CSRFToken": ")([^"]+)', page))


def test_a_warm_page_reads_no_check_ins(client: Client, world: f.World) -> None:
    f.checkin(world.key_result, "20", 6, note="Halfway", problem="No data", learning="Ask")
    client.force_login(world.member.person)
    url = f"/o/acme/key-results/{world.key_result.uuid}/"
    first = client.get(url).text
    with CaptureQueriesContext(connection) as hot:
        second = client.get(url).text
    normal = re.compile(r'(csrfmiddlewaretoken" value="|"X-CSRFToken": ")[^"]+')
    assert normal.sub("", first) == normal.sub("", second)
    assert len(hot) == 3  # session, person, membership with key result and team membership
    assert not any("checkins_checkin" in q["sql"] for q in hot.captured_queries)


def test_a_check_in_shows_with_its_problem_and_learning(
    client: Client, world: f.World, warm: None, committed: Callable[[], Any]
) -> None:
    with committed():
        f.checkin(world.key_result, "27", 3, note="Nearly", problem="No data", learning="Ask")
    page = kr_page(client, world.member, world.key_result)
    for text in ("Nearly", "No data", "Ask", "confidence 3/10", "85 %"):
        assert text in page


def test_a_problem_or_learning_changed_without_its_check_in_shows(
    client: Client, world: f.World, committed: Callable[[], Any]
) -> None:
    # An import rewrites a problem's or learning's text without saving its check-in.
    with committed():
        checkin = f.checkin(world.key_result, problem="No data", learning="Ask early")
    kr_page(client, world.member, world.key_result)
    with committed():
        problem = Problem.objects.get(checkin=checkin)
        problem.text = "Data arrives late"
        problem.save()
    assert "Data arrives late" in kr_page(client, world.member, world.key_result)
    with committed():
        learning = Learning.objects.get(checkin=checkin)
        learning.text = "Ask in week one"
        learning.save()
    assert "Ask in week one" in kr_page(client, world.member, world.key_result)


def test_resolving_a_problem_keeps_the_cache(
    client: Client, world: f.World, committed: Callable[[], Any]
) -> None:
    with committed():
        problem = f.problem(world.key_result, "No data")
    kr_page(client, world.member, world.key_result)
    version = Team.objects.get(pk=world.team.pk).page_version
    with committed():
        resolve_problem(problem=problem)
    assert Team.objects.get(pk=world.team.pk).page_version == version


def test_a_nameless_indicator_is_refused_beside_its_field_in_german(
    client: Client, world: f.World
) -> None:
    client.force_login(world.member.person)
    url = f"/o/acme/key-results/{world.key_result.uuid}/indicators/"
    response = client.post(url, {"name": "", "unit": "Anrufe"}, HTTP_ACCEPT_LANGUAGE="de")
    page = response.text
    assert response.status_code == 400 and 'lang="de"' in page and 'value="Anrufe"' in page
    assert re.search(r'id="id_name_error"[^>]*>Gebt dem Frühindikator einen Namen\.<', page)
    assert not LeadingIndicator.objects.filter(key_result=world.key_result).exists()


def test_leading_indicators_and_their_values_show(
    client: Client, world: f.World, warm: None, committed: Callable[[], Any]
) -> None:
    client.force_login(world.member.person)
    url = f"/o/acme/key-results/{world.key_result.uuid}/"
    with committed():
        assert client.post(f"{url}indicators/", {"name": "Trial sign-ups"}).status_code == 302
    assert "Trial sign-ups" in kr_page(client, world.member, world.key_result)
    signups = LeadingIndicator.objects.get(key_result=world.key_result)
    with committed():
        f.checkin(world.key_result, indicator_values={signups: Decimal("12")})
    assert "Trial sign-ups</strong>: 12<" in kr_page(client, world.member, world.key_result)
    with committed():  # the API renames it
        signups.name = "Trial activations"
        signups.save()
    assert "Trial activations</strong>: 12<" in kr_page(client, world.member, world.key_result)
    with committed():  # an import rewrites a value without saving its check-in
        value = IndicatorValue.objects.get(indicator=signups)
        value.value = Decimal("14")
        value.save()
    assert "Trial activations</strong>: 14<" in kr_page(client, world.member, world.key_result)


def test_an_indicator_moved_to_another_teams_key_result_leaves_the_page(
    client: Client, world: f.World, committed: Callable[[], Any]
) -> None:
    with committed():
        elsewhere = f.key_result(f.objective(world.other_team, world.cycle, "Beta's goal"))
        moving = indicator(world.key_result, "Referral clicks")
    assert "Referral clicks" in kr_page(client, world.member, world.key_result)
    with committed():
        moving.key_result = elsewhere
        moving.save()
    assert "Referral clicks" not in kr_page(client, world.member, world.key_result)
    assert "Referral clicks" in kr_page(client, world.member, elsewhere)


def test_wording_changes_and_their_history_show(
    client: Client, world: f.World, committed: Callable[[], Any]
) -> None:
    with committed():
        commit_objectives(team=world.team, cycle=world.cycle)
    kr_page(client, world.member, world.key_result)
    kr = KeyResult.objects.select_related("objective__cycle").get(pk=world.key_result.pk)
    with committed():
        update_key_result(key_result=kr, title="Share of weekly active users")
    page = kr_page(client, world.member, world.key_result)
    assert "<h1>Share of weekly active users</h1>" in page
    assert "„Share of active users“ → „Share of weekly active users“" in page


def test_objective_and_team_names_in_the_breadcrumb_show(
    client: Client, world: f.World, warm: None, committed: Callable[[], Any]
) -> None:
    with committed():
        update_objective(objective=world.objective, title="Newcomers feel at home fast")
    assert "Newcomers feel at home fast" in kr_page(client, world.member, world.key_result)
    with committed():
        world.team.name = "Alpha squad"
        world.team.save()
    assert "Alpha squad" in kr_page(client, world.member, world.key_result)


def test_a_closed_cycle_hides_the_edit_controls(
    client: Client, world: f.World, warm: None, committed: Callable[[], Any]
) -> None:
    assert "Edit key result" in kr_page(client, world.member, world.key_result)
    with committed():
        world.cycle.phase = Phase.CLOSED
        world.cycle.save()
    page = kr_page(client, world.member, world.key_result)
    assert "Edit key result" not in page and "Add leading indicator" not in page


def test_each_viewer_gets_their_own_controls_and_token(client: Client, world: f.World) -> None:
    reader = f.member(world.org, Role.MEMBER, teams=(world.other_team,))
    for _round in range(2):  # the second round comes from the cache
        editor_page = kr_page(client, world.member, world.key_result)
        reader_page = kr_page(client, reader, world.key_result)
        assert "Add leading indicator" in editor_page and "Quality coach" in editor_page
        assert "Add leading indicator" not in reader_page and "Quality coach" not in reader_page
        assert "Edit key result" not in reader_page
        # the form's token is the page's own, never one rendered for somebody else
        assert len(_tokens(editor_page)) == 1 and not _tokens(editor_page) & _tokens(reader_page)


def test_each_language_gets_its_own_parts(client: Client, world: f.World) -> None:
    english = kr_page(client, world.member, world.key_result)
    german = kr_page(client, world.member, world.key_result, accept_language="de")
    assert "Leading indicators" in english and "Change history" in english
    assert "Leading indicators" not in german and "Change history" not in german


def test_an_ordinal_key_result_has_levels_and_no_chart(client: Client, world: f.World) -> None:
    kr = KeyResult.objects.create(
        organization=world.org,
        objective=world.objective,
        title="Clinics describe us as reliable",
        kind="ordinal",
        target_level="Most clinics say so unprompted",
    )
    page = kr_page(client, world.member, kr)
    assert "Most clinics say so unprompted" in page and "<svg" not in page
