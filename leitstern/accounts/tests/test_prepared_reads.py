"""The session and person reads of every request, through queries compiled once, give what
Django's ORM gives (on SQLite and PostgreSQL)."""

from __future__ import annotations

import datetime

import pytest
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore as DjangoSessionStore
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from leitstern.accounts import models, sessions
from leitstern.accounts.models import Person
from leitstern.accounts.sessions import SessionStore
from leitstern.tests import factories as f

pytestmark = pytest.mark.django_db


def fields(obj: object) -> dict[str, object]:
    return {k: v for k, v in vars(obj).items() if k != "_state"}


def test_the_app_uses_the_prepared_session_store() -> None:
    assert settings.SESSION_ENGINE == "leitstern.accounts.sessions"


def test_a_person_by_primary_key_is_the_orms_person() -> None:
    person = f.person(name="Ada Example", language="de")
    person.last_login = timezone.now()
    person.save()
    for pk in (person.pk, str(person.pk)):  # the session keeps it as text
        found = Person.objects.get(pk=pk)
        expected = Person.objects.filter(pk=person.pk).get()  # the ORM's own path
        assert type(found) is Person and fields(found) == fields(expected)
        assert found._state.db == "default" and not found._state.adding
    with pytest.raises(Person.DoesNotExist):
        Person.objects.get(pk=person.pk + 1000)
    with pytest.raises(ValueError):  # as the ORM: not a number
        Person.objects.get(pk="not-a-number")
    # Other lookups still go through the ORM.
    assert Person.objects.get(email=person.email) == person


def test_a_session_reads_what_djangos_store_reads() -> None:
    store = DjangoSessionStore()
    store["answer"] = 42
    store.set_expiry(3600)
    store.save()
    ours, theirs = SessionStore(store.session_key), DjangoSessionStore(store.session_key)
    assert ours.load() == theirs.load() == {"answer": 42, "_session_expiry": 3600}
    mine, django = ours._get_session_from_db(), theirs._get_session_from_db()
    assert fields(mine) == fields(django)


def test_an_expired_or_unknown_session_is_empty_and_forgotten() -> None:
    store = DjangoSessionStore()
    store["answer"] = 42
    store.save()
    Session.objects.filter(session_key=store.session_key).update(
        expire_date=timezone.now() - datetime.timedelta(seconds=1)
    )
    for key in (store.session_key, "no-such-session-key-0123456789ab"):
        ours = SessionStore(key)
        assert ours.load() == {}
        assert ours.session_key is None


def test_a_signed_in_request_reads_session_and_person_once_each(
    client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    world = f.world()
    client.force_login(world.member.person)
    client.get(f"/o/{world.org.slug}/")
    prepared: list[str] = []
    for name, query in (("session", sessions._SESSION), ("person", models._by_pk())):
        real = query.rows
        monkeypatch.setattr(
            query,
            "rows",
            lambda *a, _real=real, _name=name, **k: prepared.append(_name) or _real(*a, **k),
        )
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(f"/o/{world.org.slug}/").status_code == 200
    sql = [q["sql"] for q in ctx.captured_queries]
    assert sum('FROM "django_session"' in s for s in sql) == 1
    assert sum('FROM "accounts_person"' in s for s in sql) == 1
    assert prepared == ["session", "person"]  # both through the compiled-once queries
