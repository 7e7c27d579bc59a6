"""The security audit trail: pseudonymous, admin-only, purged after the retention period."""

from __future__ import annotations

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from leitstern.trust.models import AuditEvent
from leitstern.trust.services import audit, pseudonym

pytestmark = pytest.mark.django_db


def test_audit_stores_a_keyed_pseudonym_and_the_object_uuid_not_names(world) -> None:
    event = audit(
        organization=world.org, actor=world.member, action="objective.changed", obj=world.objective
    )
    assert event.object_type == "okrs.objective" and event.object_uuid == world.objective.uuid
    assert len(event.actor) == 16
    person = world.member.person
    assert person.email not in event.actor and str(person.pk) != event.actor
    assert event.actor == pseudonym(organization=world.org, person=person)
    # the same person is a different pseudonym in another organisation: trails do not join
    assert pseudonym(organization=world.other_org, person=person) != event.actor
    assert audit(organization=world.org, actor=None, action="system").actor == ""


def test_the_pseudonym_depends_on_the_secret_key(world, settings) -> None:
    before = pseudonym(organization=world.org, person=world.member.person)
    settings.SECRET_KEY = "another-secret-key-" * 4
    assert pseudonym(organization=world.org, person=world.member.person) != before


def test_admins_see_events_not_names(client, world) -> None:
    audit(organization=world.org, actor=world.member.person, action="settings.changed")
    audit(organization=world.other_org, actor=world.outsider, action="foreign.secret")
    client.force_login(world.admin.person)
    page = client.get(reverse("audit_log", kwargs={"org": "acme"})).content.decode()
    assert "settings.changed" in page and "foreign.secret" not in page
    assert world.member.person.email not in page
    assert pseudonym(organization=world.org, person=world.member.person) in page


def test_only_admins_see_the_audit_trail(client, world) -> None:
    url = reverse("audit_log", kwargs={"org": "acme"})
    for membership in (world.member, world.facilitator):
        client.force_login(membership.person)
        assert client.get(url).status_code == 403
    client.force_login(world.outsider.person)
    assert client.get(url).status_code == 404


def test_the_audit_page_is_paged_with_flat_queries(client, world, django_assert_max_num_queries):
    for index in range(120):
        audit(organization=world.org, actor=world.admin, action=f"a.{index}")
    client.force_login(world.admin.person)
    with django_assert_max_num_queries(6):
        page = client.get(reverse("audit_log", kwargs={"org": "acme"}) + "?page=3").content.decode()
    assert "Page 3 of 3" in page
    empty = client.get(reverse("audit_log", kwargs={"org": "acme"}) + "?page=x")
    assert empty.status_code == 200


def test_purge_deletes_events_past_each_organisations_retention_and_is_idempotent(world):
    world.other_org.audit_retention_days = 10
    world.other_org.save()
    now = timezone.now()
    for org in (world.org, world.other_org):
        for days in (5, 20, 100):
            event = audit(organization=org, actor=None, action=f"old.{days}")
            AuditEvent.objects.filter(pk=event.pk).update(
                occurred_at=now - datetime.timedelta(days=days)
            )
    out = StringIO()
    call_command("purge", stdout=out)
    assert "3 audit events" in out.getvalue()
    kept = sorted(AuditEvent.objects.values_list("organization__slug", "action"))
    assert kept == [("acme", "old.20"), ("acme", "old.5"), ("globex", "old.5")]
    out = StringIO()
    call_command("purge", stdout=out)
    assert "0 audit events" in out.getvalue()
    assert AuditEvent.objects.count() == 3
