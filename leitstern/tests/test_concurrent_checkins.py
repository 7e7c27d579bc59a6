"""50 simultaneous check-ins on one team lose nothing and leave the derived values right.

Real threads, each with its own database connection, released together by a barrier, and no
test transaction around them (`transaction=True`): the locking in `record_checkin` (SELECT …
FOR UPDATE of the key result on PostgreSQL; SQLite's single writer with IMMEDIATE
transactions and a busy timeout) is what keeps the data right.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection

from leitstern.tests import concurrency
from leitstern.tests.concurrency import run_in_sqlite_file

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(scope="module")
def sqlite_file_run(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """Both scenarios against a fresh file-based SQLite database, as production runs it."""
    return run_in_sqlite_file("leitstern.tests.concurrency", tmp_path_factory.mktemp("concurrency"))


def _scenario(name: str, sqlite_file_run: Any) -> dict[str, Any]:
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        return dict(sqlite_file_run()[name])
    return getattr(concurrency, f"{name}_checkins")()  # type: ignore[no-any-return]


@pytest.fixture
def scenario(request: pytest.FixtureRequest) -> Any:
    return lambda name: _scenario(name, lambda: request.getfixturevalue("sqlite_file_run"))


def test_fifty_checkins_on_one_team_lose_nothing(scenario: Any) -> None:
    result = scenario("distinct")
    assert result["errors"] == []
    assert result["checkins"] == concurrency.THREADS
    assert result["problems"] == concurrency.THREADS
    assert result["learnings"] == concurrency.THREADS
    # every key result shows its latest week (week 4: value 14, confidence 4)
    assert [list(d) for d in result["derived"]] == [list(d) for d in result["expected_derived"]]


def test_fifty_checkins_on_the_same_key_result_and_week_end_consistent(scenario: Any) -> None:
    result = scenario("same")
    assert result["errors"] == []
    assert result["checkins"] == 1  # one per week: the later ones updated it
    assert result["derived_matches"]
    assert result["one_writer"]  # one writer's values, never a mixture


def test_fifty_people_posting_the_form_at_once_end_consistent(scenario: Any) -> None:
    result = scenario("form")
    assert result["errors"] == []
    assert result["statuses"] == [302] * concurrency.THREADS
    assert result["checkins"] == 1
    assert result["one_writer"]
    assert result["derived_matches"]
