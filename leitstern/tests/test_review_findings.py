"""Regression tests for defects a code review found (import privileges, kind changes,
names under team attribution, hostile YAML, future health readings)."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from leitstern.checkins.models import Problem
from leitstern.checkins.services import record_checkin
from leitstern.exchange.document import DocumentError, load_data, parse
from leitstern.exchange.importer import import_file
from leitstern.health.models import HealthMetric, HealthReading
from leitstern.lib.progress import ordinal_progress
from leitstern.okrs.services import update_key_result
from leitstern.orgs.models import Attribution, Team
from leitstern.tests import factories as f
from leitstern.tests.apiclient import ApiClient, assert_problem

pytestmark = pytest.mark.django_db


def test_facilitator_import_cannot_change_settings_or_teams(world: f.World) -> None:
    raw = (
        b'{"leitstern": 1, "settings": {"attribution": "team_and_name", "language": "en", '
        b'"max_objectives_per_team": 5, "max_key_results_per_objective": 5, '
        b'"pulse_min_responses": 3, "audit_retention_days": 1, "late_checkin_days": 7}, '
        b'"teams": [{"slug": "newteam", "name": "New team"}]}'
    )
    report = import_file(raw, world.org, name="x.json", admin=False)
    messages = " ".join(m for _p, m in report.errors)
    assert "only admins change the organisation's settings" in messages
    assert "only admins create or rename teams" in messages
    world.org.refresh_from_db()
    assert world.org.attribution == Attribution.TEAM and world.org.pulse_min_responses == 5
    assert not Team.objects.filter(slug="newteam").exists()
    assert not import_file(raw, world.org, name="x.json", admin=True).errors


def test_kind_stays_once_a_key_result_has_checkins(world: f.World) -> None:
    record_checkin(key_result=world.key_result, value=Decimal("17.5"), confidence=5)
    with pytest.raises(ValidationError) as exc:
        update_key_result(key_result=world.key_result, kind="ordinal", target_level="Five")
    assert "kind stays" in " ".join(exc.value.messages)
    assert ordinal_progress(17).known is False  # defensive: never a KeyError on a page


def test_api_hides_names_under_team_attribution(world: f.World) -> None:
    world.org.attribution = Attribution.TEAM_AND_NAME
    world.org.save()
    record_checkin(
        key_result=world.key_result,
        value=Decimal("12"),
        confidence=5,
        problem="Blocked",
        signed_as="Erika",
    )
    api = ApiClient(world.member)
    assert api.get("/problems").json()["items"][0]["signed_as"] == "Erika"
    world.org.attribution = Attribution.TEAM
    world.org.save()
    assert api.get("/problems").json()["items"][0]["signed_as"] == ""
    assert Problem.objects.get().signed_as == "Erika"  # stored, but not shown


def test_web_signature_is_the_name_never_the_email(client: Client, world: f.World) -> None:
    world.org.attribution = Attribution.TEAM_AND_NAME
    world.org.save()
    client.force_login(world.member.person)  # the persona has no name set
    prefix = f"kr-{world.key_result.uuid}"
    client.post(
        f"/o/acme/teams/{world.team.slug}/check-in/",
        {f"{prefix}-value": "12", f"{prefix}-confidence": "5", f"{prefix}-problem": "Blocked"},
    )
    assert Problem.objects.get().signed_as == ""


def test_yaml_aliases_and_deep_nesting_are_refused() -> None:
    bomb = b"a: &a [x, x]\nb: &b [*a, *a]\nc: [*b, *b]\n"
    with pytest.raises(DocumentError) as exc:
        load_data(bomb, name="bomb.yaml")
    assert "aliases" in str(exc.value.errors)
    with pytest.raises(DocumentError) as exc:
        parse(load_data(b"[" * 5000 + b"]" * 5000, name="deep.json"))
    assert "nested too deeply" in str(exc.value.errors)


def test_health_api_refuses_future_readings(world: f.World) -> None:
    metric = HealthMetric.objects.create(
        organization=world.org, team=world.team, name="Uptime", healthy_min=Decimal("99")
    )
    future = (timezone.localdate() + datetime.timedelta(days=3)).isoformat()
    response = ApiClient(world.member).post(
        f"/health-metrics/{metric.uuid}/readings", {"measured_on": future, "value": "99.5"}
    )
    assert_problem(response, 422)
    assert not HealthReading.objects.exists()
