"""50 simultaneous check-ins on one team lose nothing and leave the derived values right.

Real threads, each with its own database connection, started together by a barrier; the
database is not wrapped in a test transaction (`transaction=True`), so the locking in
`record_checkin` (SELECT … FOR UPDATE of the key result on PostgreSQL; SQLite's single writer
with IMMEDIATE transactions) is what keeps the data right.
"""

from __future__ import annotations

import datetime
import threading
from collections.abc import Callable
from decimal import Decimal

import pytest
from django.db import connection, connections

from leitstern.checkins.models import CheckIn, Problem
from leitstern.checkins.services import record_checkin
from leitstern.learning.models import Learning
from leitstern.okrs.models import KeyResult
from leitstern.tests import factories

THREADS = 50
pytestmark = pytest.mark.django_db(transaction=True)


def _shared_memory_sqlite() -> bool:
    # Django's default SQLite test database is an in-memory shared-cache database, whose
    # table locks bypass the busy timeout; a file database behaves like production.
    return connection.vendor == "sqlite" and connection.is_in_memory_db()


@pytest.fixture
def file_sqlite(tmp_path: object, settings: object) -> None:
    if _shared_memory_sqlite():
        pytest.skip("needs a file-based SQLite database (run with DATABASE_URL=sqlite:///…)")


def run_together(jobs: list[Callable[[], None]]) -> list[BaseException]:
    """Run `jobs` in threads released at the same moment; return the errors raised."""
    barrier = threading.Barrier(len(jobs))
    errors: list[BaseException] = []

    def worker(job: Callable[[], None]) -> None:
        try:
            barrier.wait(timeout=30)
            job()
        except BaseException as exc:  # noqa: BLE001 - reported by the test
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return errors


def _team_with_key_results(count: int) -> tuple[list[KeyResult], datetime.date]:
    org = factories.organization("busy")
    team = factories.team(org, "Busy")
    cycle = factories.cycle(org, weeks_ago=4)
    objective = factories.objective(team, cycle)
    krs = [factories.key_result(objective, f"KR {i}") for i in range(count)]
    return krs, cycle.starts_on


def test_fifty_checkins_on_one_team_lose_nothing(file_sqlite: None) -> None:
    krs, start = _team_with_key_results(10)
    weeks = 5  # 10 key results × 5 weeks = 50 distinct check-ins

    def job(i: int) -> Callable[[], None]:
        kr, week = krs[i % 10], i // 10
        return lambda: record_checkin(
            key_result=kr,
            value=Decimal(10 + week),
            confidence=week,
            on=start + datetime.timedelta(weeks=week),
            problem=f"problem {i}",
            learning=f"learning {i}",
        )

    errors = run_together([job(i) for i in range(THREADS)])

    assert errors == []
    assert CheckIn.objects.filter(key_result__in=krs).count() == THREADS
    assert Problem.objects.filter(key_result__in=krs).count() == THREADS
    assert Learning.objects.filter(key_result__in=krs).count() == THREADS
    for kr in KeyResult.objects.filter(pk__in=[k.pk for k in krs]):
        assert kr.current_value == Decimal(10 + weeks - 1)
        assert kr.current_confidence == weeks - 1
        assert kr.last_checkin_on == start + datetime.timedelta(weeks=weeks - 1)


def test_fifty_checkins_on_the_same_key_result_and_week_end_consistent(
    file_sqlite: None,
) -> None:
    krs, start = _team_with_key_results(1)
    kr = krs[0]

    def job(i: int) -> Callable[[], None]:
        return lambda: record_checkin(
            key_result=kr, value=Decimal(i), confidence=i % 11, on=start, note=f"n{i}"
        )

    errors = run_together([job(i) for i in range(THREADS)])

    assert errors == []
    checkin = CheckIn.objects.get(key_result=kr)  # one per week: the later ones updated it
    kr.refresh_from_db()
    assert (kr.current_value, kr.current_confidence) == (checkin.value, checkin.confidence)
    assert checkin.note == f"n{int(checkin.value)}"  # one writer's values, not a mixture
    assert checkin.confidence == int(checkin.value) % 11
