"""Structural guard: no OKR object can be linked to a person, whatever a later change adds."""

from __future__ import annotations

import importlib
import importlib.util
import inspect
import re
from typing import Any

import pytest
from django.apps import apps
from django.conf import settings

TEAM_OWNED_APPS = {"okrs", "checkins", "learning", "health", "frame"}
PERSON_MODELS = {settings.AUTH_USER_MODEL.lower(), "orgs.membership", "orgs.teammembership"}


def test_no_okr_model_has_a_relation_to_a_person() -> None:
    offenders = []
    for model in apps.get_models():
        if model._meta.app_label not in TEAM_OWNED_APPS:
            continue
        for field in model._meta.get_fields():
            related = getattr(field, "related_model", None)
            if related is None:
                continue
            if related._meta.label_lower in PERSON_MODELS:
                offenders.append(f"{model._meta.label}.{field.name}")
    assert offenders == []


def test_no_okr_model_has_a_person_like_field_name() -> None:
    suspicious = {
        "owner",
        "person",
        "user",
        "assignee",
        "author",
        "employee",
        "manager",
        "created_by",
        "updated_by",
    }
    names = [
        f"{m._meta.label}.{f.name}"
        for m in apps.get_models()
        if m._meta.app_label in TEAM_OWNED_APPS
        for f in m._meta.get_fields()
        if f.name in suspicious
    ]
    assert names == []


def test_the_guard_sees_the_team_owned_models() -> None:
    labels = {m._meta.label for m in apps.get_models() if m._meta.app_label in TEAM_OWNED_APPS}
    assert {"okrs.Objective", "okrs.KeyResult", "checkins.CheckIn", "learning.Learning"} <= labels


# --- beyond models: the API schema, export formats, page contexts, anonymous tables -------

SUSPICIOUS_PROPERTIES = {
    "owner",
    "owners",
    "person",
    "persons",
    "people",
    "user",
    "users",
    "assignee",
    "assignees",
    "email",
    "author",
    "employee",
    "manager",
    "created_by",
    "updated_by",
    "checked_in_by",
}
PER_PERSON = re.compile(r"(per|by)_(person|member|user|people)|leaderboard|ranking|top_people")
# API schemas that describe people on purpose (the signed-in person, the people admin).
PEOPLE_SCHEMAS = re.compile(r"^(Me|Person|People|Member|Membership|Token|ApiToken|Invitation)")


def _schema_properties(schema: dict[str, Any]) -> set[str]:
    names = set(schema.get("properties", {}))
    for part in schema.get("allOf", []) + schema.get("anyOf", []):
        names |= _schema_properties(part)
    return names


def test_no_api_schema_of_okr_resources_names_a_person() -> None:
    from leitstern.api import api

    openapi = api.get_openapi_schema()
    schemas = openapi.get("components", {}).get("schemas", {})
    offenders = [
        f"{name}.{prop}"
        for name, schema in schemas.items()
        if not PEOPLE_SCHEMAS.match(name)
        for prop in _schema_properties(schema)
        if prop.lower() in SUSPICIOUS_PROPERTIES or PER_PERSON.search(prop.lower())
    ]
    assert offenders == []
    params = [
        f"{path} ?{p['name']}"
        for path, operations in openapi["paths"].items()
        for op in operations.values()
        if isinstance(op, dict)
        for p in op.get("parameters", [])
        if p["name"].lower() in SUSPICIOUS_PROPERTIES or PER_PERSON.search(p["name"].lower())
    ]
    assert params == []


def test_no_export_format_has_a_person_field() -> None:
    """The exchange document schema (pydantic) and CSV columns carry no person fields."""
    document = importlib.import_module("leitstern.exchange.document")
    export = importlib.import_module("leitstern.exchange.export")
    fields = [
        f"{name}.{field}"
        for name, cls in inspect.getmembers(document, inspect.isclass)
        if hasattr(cls, "model_fields") and cls.__module__ == document.__name__
        for field in cls.model_fields
        if field.lower() in SUSPICIOUS_PROPERTIES or PER_PERSON.search(field.lower())
    ]
    assert fields == []
    columns = [str(c) for c in getattr(export, "CSV_COLUMNS", [])]
    assert [c for c in columns if c.lower() in SUSPICIOUS_PROPERTIES] == []


@pytest.mark.django_db
def test_exports_of_the_demo_contain_no_person(settings: Any) -> None:
    """Full exports of a populated organisation mention no member's email or name."""
    from leitstern.accounts.models import Person
    from leitstern.tests.demo_world import demo_world

    world = demo_world()
    export = importlib.import_module("leitstern.exchange.export")
    doc = export.build_document(world.own)
    texts = [export.to_json(doc), export.to_yaml(doc), export.to_csv(world.own)]
    people = Person.objects.filter(memberships__organization=world.own)
    for text in texts:
        for person in people:
            assert person.email not in text
            assert not person.name or person.name not in text


def test_pulse_answers_and_audit_events_cannot_point_to_a_person() -> None:
    for label in ("trust.PulseAnswer", "trust.AuditEvent"):
        model = apps.get_model(label)
        related = [
            f.name
            for f in model._meta.get_fields()
            if getattr(f, "related_model", None) is not None
            and f.related_model._meta.label_lower in PERSON_MODELS
        ]
        assert related == [], label
    answer_fields = {f.name for f in apps.get_model("trust.PulseAnswer")._meta.get_fields()}
    assert not {"created_at", "updated_at", "answered_at", "submission"} & answer_fields


# Pages that list people on purpose: the people admin and a team's member list.
PEOPLE_PAGES = {"people", "person_edit", "person_invite", "team_detail", "team_edit"}


@pytest.mark.django_db
def test_page_contexts_hold_no_people_and_no_per_person_aggregates() -> None:
    """Render every org page for a demo member and an admin; inspect what the template got."""
    from django.test import Client

    from leitstern.tests.demo_world import demo_world
    from leitstern.tests.urlwalk import fill, org_routes

    world = demo_world()
    problems: list[str] = []
    for person in (world.member, world.admin):
        client = Client()
        client.force_login(person)
        for route in org_routes():
            try:
                url = route.url(world.own.slug, fill(route, world.own))
            except LookupError as error:
                problems.append(str(error))
                continue
            response = client.get(url)
            if response.status_code != 200 or response.context is None:
                continue
            problems += _context_problems(route.name, person, response.context)
    assert sorted(set(problems)) == []


def _context_problems(page: str, viewer: Any, context: Any) -> list[str]:
    from leitstern.accounts.models import Person
    from leitstern.orgs.models import Membership, TeamMembership

    people_types = (Person, Membership, TeamMembership)
    found = []
    for ctx in context:
        for key, value in ctx.flatten().items():
            if PER_PERSON.search(str(key).lower()):
                found.append(f"{page}: context '{key}' looks like a per-person aggregate")
            if page in PEOPLE_PAGES:
                continue
            for item in _items(value):
                if isinstance(item, people_types) and not _is_viewer(item, viewer):
                    found.append(f"{page}: context '{key}' holds {type(item).__name__} objects")
                    break
    return found


def _items(value: Any) -> list[Any]:
    from django.db.models import QuerySet

    if isinstance(value, QuerySet):
        return list(value[:50]) if value.model else []
    if isinstance(value, dict):
        return list(value.keys()) + list(value.values())
    if isinstance(value, (list, tuple, set)):
        return list(value)
    return [value]


def _is_viewer(item: Any, viewer: Any) -> bool:
    person = getattr(item, "person", None) or getattr(
        getattr(item, "membership", None), "person", None
    )
    return item == viewer or person == viewer
