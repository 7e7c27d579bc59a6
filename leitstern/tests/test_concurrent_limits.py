"""Twenty simultaneous creates never push a team or an objective past the focus limits.

Real threads, each with its own database connection, released together by a barrier, and no
test transaction around them (`transaction=True`): the row lock in `add_objective` and
`add_key_result` (SELECT … FOR NO KEY UPDATE of the team or objective on PostgreSQL; SQLite's
single writer with IMMEDIATE transactions and a busy timeout) is what keeps the limit.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection

from leitstern.tests import concurrency_limits as race
from leitstern.tests.concurrency import run_in_sqlite_file

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(scope="module")
def sqlite_file_run(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """Both scenarios against a fresh file-based SQLite database, as production runs it."""
    return run_in_sqlite_file(
        "leitstern.tests.concurrency_limits", tmp_path_factory.mktemp("limits")
    )


@pytest.fixture
def scenario(request: pytest.FixtureRequest) -> Any:
    def run(name: str) -> dict[str, Any]:
        if connection.vendor == "sqlite" and connection.is_in_memory_db():
            return dict(request.getfixturevalue("sqlite_file_run")[name])
        return getattr(race, f"{name}_limit")()  # type: ignore[no-any-return]

    return run


@pytest.mark.parametrize("name", ["objective", "key_result"])
def test_simultaneous_creates_stop_at_the_limit(scenario: Any, name: str) -> None:
    result = scenario(name)
    assert result["errors"] == []
    # exactly LIMIT created, one after the other (no two counted the same siblings) ...
    assert result["positions"] == list(range(race.LIMIT))
    # ... and every other thread was told why, not failed
    assert len(result["refusals"]) == race.THREADS - race.LIMIT
    assert all("limit" in message for message in result["refusals"])
