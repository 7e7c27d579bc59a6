"""Admins change the settings the charter is generated from; each change is audited."""

from __future__ import annotations

import pytest
from django.urls import reverse

from leitstern.orgs.models import Organization
from leitstern.trust.models import AuditEvent
from leitstern.trust.services import pseudonym

pytestmark = pytest.mark.django_db

URL = reverse("org_settings", kwargs={"org": "acme"})


def form_data(org: Organization, **changes: object) -> dict[str, object]:
    data = {
        "name": org.name,
        "language": org.language,
        "attribution": org.attribution,
        "max_objectives_per_team": org.max_objectives_per_team,
        "max_key_results_per_objective": org.max_key_results_per_objective,
        "pulse_min_responses": org.pulse_min_responses,
        "audit_retention_days": org.audit_retention_days,
        "late_checkin_days": org.late_checkin_days,
    }
    return {**data, **changes}


def test_an_admin_changes_settings_and_an_audit_event_is_written(client, world) -> None:
    client.force_login(world.admin.person)
    assert client.get(URL).status_code == 200
    response = client.post(URL, form_data(world.org, pulse_min_responses=6))
    assert response.status_code == 302
    world.org.refresh_from_db()
    assert world.org.pulse_min_responses == 6
    event = AuditEvent.objects.get(organization=world.org, action="settings.changed")
    assert event.actor == pseudonym(organization=world.org, person=world.admin.person)
    assert world.admin.person.email not in event.actor and event.actor
    assert (
        "at least 6 people answered"
        in client.get(reverse("charter", kwargs={"org": "acme"})).content.decode()
    )


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("pulse_min_responses", 2),
        ("pulse_min_responses", "x"),
        ("audit_retention_days", 0),
        ("max_objectives_per_team", 99),
        ("late_checkin_days", -1),
        ("attribution", "per_person"),
    ],
)
def test_bad_values_show_inline_errors_and_change_nothing(client, world, field, value) -> None:
    client.force_login(world.admin.person)
    response = client.post(URL, form_data(world.org, **{field: value}))
    assert response.status_code == 200
    assert 'class="ls-error"' in response.content.decode()
    fresh = Organization.objects.get(pk=world.org.pk)
    assert getattr(fresh, field) == getattr(world.org, field)
    assert not AuditEvent.objects.exists()


def test_only_admins_change_settings(client, world) -> None:
    for membership in (world.member, world.facilitator):
        client.force_login(membership.person)
        assert client.get(URL).status_code == 403
        assert client.post(URL, form_data(world.org, name="Taken over")).status_code == 403
    client.force_login(world.outsider.person)
    assert client.post(URL, form_data(world.org, name="Taken over")).status_code == 404
    client.logout()
    assert client.post(URL, form_data(world.org, name="Taken over")).status_code == 302
    world.org.refresh_from_db()
    assert world.org.name == "Acme"


def test_an_unchanged_form_writes_no_audit_event(client, world) -> None:
    client.force_login(world.admin.person)
    client.post(URL, form_data(world.org))
    assert not AuditEvent.objects.exists()


def test_the_settings_page_is_german_too(client, world) -> None:
    client.force_login(world.admin.person)
    page = client.get(URL, HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert "Einstellungen der Organisation" in page
