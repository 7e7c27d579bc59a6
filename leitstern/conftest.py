from __future__ import annotations

from typing import Any

import pytest

from leitstern.tests import factories


@pytest.fixture(autouse=True)
def _fast_and_collected(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture
def world(db: None) -> factories.World:
    """Two organisations with personas: admin, facilitator, member, outsider."""
    return factories.world()
