"""Schemathesis against the live OpenAPI schema: no server errors, responses as documented.

A bounded number of generated requests per operation (fast enough for every `make test`),
with a valid token of a member of an organisation that has data to work on.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from leitstern.accounts.tokens import create_token
from leitstern.checkins.services import record_checkin
from leitstern.wsgi import application

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)
EXAMPLES = 6


@pytest.fixture(autouse=True)
def _keep_the_test_connection() -> Iterator[None]:
    # The raw WSGI app closes "old" connections after each request, which would close the
    # test's transaction on PostgreSQL; Django's own test client disconnects this the same way.
    signals = (request_started, request_finished)
    for signal in signals:
        signal.disconnect(close_old_connections)
    yield
    for signal in signals:
        signal.connect(close_old_connections)


@pytest.fixture
def bearer(world: Any, settings: Any) -> dict[str, str]:
    settings.LEITSTERN_API_RATE_LIMIT = 100_000
    cache.clear()
    record_checkin(key_result=world.key_result, value=12, confidence=4, problem="Need data")
    _row, text = create_token(membership=world.facilitator, name="schemathesis")
    return {"Authorization": f"Bearer {text}"}


def test_api_answers_as_documented_and_never_with_a_server_error(
    bearer: dict[str, str],
) -> None:
    # One test over all operations shares the data set-up; each operation gets a bounded
    # number of generated requests.
    checked = 0
    for result in schema.get_all_operations():
        operation = result.ok()

        @given(case=operation.as_strategy())
        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            database=None,
        )
        def run(case: Any) -> None:
            case.call_and_validate(
                headers=bearer, checks=[not_a_server_error, response_schema_conformance]
            )

        run()
        checked += 1
    assert checked >= 30
