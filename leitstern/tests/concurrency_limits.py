"""Concurrent creates against the focus limits, shared by test_concurrent_limits.py.

Run in the test process on PostgreSQL, and as `python -m leitstern.tests.concurrency_limits`
against a fresh file-based SQLite database (Django's in-memory test database for SQLite uses
table locks that ignore the busy timeout, so it cannot show how production SQLite behaves).
"""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from leitstern.tests.concurrency import run_together

THREADS = 20
LIMIT = 3


def _race(create: Callable[[int], object]) -> dict[str, Any]:
    """Run `create(i)` in THREADS threads at once; sort the outcomes into refusals and errors."""
    from django.core.exceptions import ValidationError

    refusals: list[str] = []
    lock = threading.Lock()

    def job(i: int) -> Callable[[], None]:
        def run() -> None:
            try:
                create(i)
            except ValidationError as exc:
                with lock:
                    refusals.append(exc.messages[0])

        return run

    errors = run_together([job(i) for i in range(THREADS)])
    return {"errors": errors, "refusals": refusals}


def objective_limit() -> dict[str, Any]:
    """THREADS simultaneous new objectives for one team whose limit is LIMIT."""
    from leitstern.okrs.models import Objective
    from leitstern.okrs.services import add_objective
    from leitstern.tests import factories

    org = factories.organization("busy-objectives", max_objectives_per_team=LIMIT)
    team = factories.team(org, "Busy")
    cycle = factories.cycle(org, weeks_ago=1)
    outcome = _race(lambda i: add_objective(team=team, cycle=cycle, title=f"Objective {i}"))
    positions = Objective.objects.filter(team=team).values_list("position", flat=True)
    return {**outcome, "positions": sorted(positions)}


def key_result_limit() -> dict[str, Any]:
    """THREADS simultaneous new key results for one objective whose limit is LIMIT."""
    from leitstern.okrs.models import KeyResult
    from leitstern.okrs.services import add_key_result
    from leitstern.tests import factories

    org = factories.organization("busy-key-results", max_key_results_per_objective=LIMIT)
    objective = factories.objective(factories.team(org, "Busy"), factories.cycle(org))

    def create(i: int) -> object:
        return add_key_result(
            objective=objective,
            title=f"Share of active users {i}",
            baseline=Decimal(10),
            target=Decimal(30),
            unit="%",
        )

    outcome = _race(create)
    positions = KeyResult.objects.filter(objective=objective).values_list("position", flat=True)
    return {**outcome, "positions": sorted(positions)}


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "leitstern.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    print(json.dumps({"objective": objective_limit(), "key_result": key_result_limit()}))


if __name__ == "__main__":
    main()
