"""Pages of this app, all below /o/<org>/ (see leitstern/urls.py)."""

from __future__ import annotations

from django.urls import path

from leitstern.trust import pulse_views, views

urlpatterns = [
    path("charter/", views.charter, name="charter"),
    path("privacy/", views.privacy_record, name="privacy_record"),
    path("settings/", views.org_settings, name="org_settings"),
    path("audit/", views.audit_log, name="audit_log"),
    path("pulse/", pulse_views.pulse_index, name="pulse_index"),
    path("pulse/<slug:team>/", pulse_views.pulse_team, name="pulse_team"),
    path("pulse/<slug:team>/open/", pulse_views.pulse_open, name="pulse_open"),
    path(
        "pulse/<slug:team>/rounds/<uuid:pulse_round>/answer/",
        pulse_views.pulse_answer,
        name="pulse_answer",
    ),
    path(
        "pulse/<slug:team>/rounds/<uuid:pulse_round>/close/",
        pulse_views.pulse_close,
        name="pulse_close",
    ),
]
