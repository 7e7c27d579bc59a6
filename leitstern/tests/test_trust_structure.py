"""Structural guard: no OKR object can be linked to a person, whatever a later change adds."""

from __future__ import annotations

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
