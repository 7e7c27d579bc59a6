from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _fresh_rate_limits() -> Iterator[None]:
    """allauth counts sign-in attempts in the cache; start every test from zero."""
    cache.clear()
    yield
    cache.clear()
