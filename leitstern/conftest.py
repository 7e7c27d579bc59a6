from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings as django_settings
from django.utils import translation

from leitstern.tests import factories


@pytest.fixture(autouse=True)
def _fast_and_collected(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _default_language() -> None:
    # A request with Accept-Language: de leaves German active in the thread (LocaleMiddleware
    # activates, nothing deactivates), and a later test on the same xdist worker that calls a
    # service directly would then get German messages. Every test starts in English.
    translation.activate(django_settings.LANGUAGE_CODE)


@pytest.fixture
def world(db: None) -> factories.World:
    """Two organisations with personas: admin, facilitator, member, outsider."""
    return factories.world()
