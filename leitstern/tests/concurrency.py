"""Concurrent check-in scenarios, shared by test_concurrent_checkins.py: through the service,
and through the check-in form's view.

Run in the test process on PostgreSQL, and as `python -m leitstern.tests.concurrency` against a
fresh file-based SQLite database (Django's in-memory test database for SQLite uses table locks
that ignore the busy timeout, so it cannot show how production SQLite behaves).
"""

from __future__ import annotations

import datetime
import json
import os
import subprocess
import sys
import threading
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

THREADS = 50


def run_together(jobs: list[Callable[[], None]]) -> list[str]:
    """Run `jobs` in threads released at the same moment; return the errors raised."""
    from django.db import connections

    barrier = threading.Barrier(len(jobs))
    errors: list[str] = []

    def worker(job: Callable[[], None]) -> None:
        try:
            barrier.wait(timeout=30)
            job()
        except Exception as exc:
            errors.append(repr(exc))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=180)
    return errors


def run_in_sqlite_file(module: str, var_dir: Path) -> dict[str, Any]:
    """Run `python -m module` against a fresh file-based SQLite database (as production runs
    it; the test database is in memory) and return the JSON its last line prints."""
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["LEITSTERN_VAR_DIR"] = str(var_dir)
    env["PYTHONWARNINGS"] = "error"
    result = subprocess.run(
        [sys.executable, "-m", module],
        env=env,
        cwd=Path(__file__).resolve().parents[2],
        capture_output=True,
        text=True,
        timeout=600,
        check=True,
    )
    return dict(json.loads(result.stdout.strip().splitlines()[-1]))


def _team_with_key_results(slug: str, count: int) -> tuple[list[Any], datetime.date]:
    from leitstern.tests import factories

    org = factories.organization(slug)
    team = factories.team(org, "Busy")
    cycle = factories.cycle(org, weeks_ago=4)
    objectives = [factories.objective(team, cycle, f"Objective {n}") for n in range(2)]
    krs = [factories.key_result(objectives[i % 2], f"KR {i}") for i in range(count)]
    return krs, cycle.starts_on


def distinct_checkins() -> dict[str, Any]:
    """10 key results × 5 weeks, one thread each: all 50 check-ins must arrive."""
    from leitstern.checkins.models import CheckIn, Problem
    from leitstern.checkins.services import record_checkin
    from leitstern.learning.models import Learning
    from leitstern.okrs.models import KeyResult

    krs, start = _team_with_key_results("busy-distinct", 10)

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
    last = start + datetime.timedelta(weeks=4)
    derived = {
        (str(kr.current_value), kr.current_confidence, kr.last_checkin_on.isoformat())
        for kr in KeyResult.objects.filter(pk__in=[k.pk for k in krs])
        if kr.last_checkin_on
    }
    return {
        "errors": errors,
        "checkins": CheckIn.objects.filter(key_result__in=krs).count(),
        "problems": Problem.objects.filter(key_result__in=krs).count(),
        "learnings": Learning.objects.filter(key_result__in=krs).count(),
        "derived": sorted(derived),
        "expected_derived": [("14.0000", 4, last.isoformat())],
    }


def same_checkins() -> dict[str, Any]:
    """50 threads check in the same key result for the same week: one consistent winner."""
    from leitstern.checkins.models import CheckIn
    from leitstern.checkins.services import record_checkin

    krs, start = _team_with_key_results("busy-same", 1)
    kr = krs[0]

    def job(i: int) -> Callable[[], None]:
        return lambda: record_checkin(
            key_result=kr, value=Decimal(i), confidence=i % 11, on=start, note=f"n{i}"
        )

    errors = run_together([job(i) for i in range(THREADS)])
    checkins = list(CheckIn.objects.filter(key_result=kr))
    kr.refresh_from_db()
    c = checkins[0] if checkins else None
    return {
        "errors": errors,
        "checkins": len(checkins),
        "derived_matches": c is not None
        and (kr.current_value, kr.current_confidence) == (c.value, c.confidence),
        "one_writer": c is not None
        and c.note == f"n{int(c.value)}"
        and c.confidence == int(c.value) % 11,
    }


def form_checkins() -> dict[str, Any]:
    """50 people post the weekly check-in form for the same key result at once, through the
    view (which finds and locks the rows itself, checkins/views.py): one check-in, one
    writer's values, derived values that match."""
    from django.test import Client

    from leitstern.checkins.models import CheckIn
    from leitstern.okrs.models import KeyResult
    from leitstern.tests import factories as f

    world = f.world()
    kr = world.key_result
    url = f"/o/{world.org.slug}/teams/{world.team.slug}/check-in/"
    clients = []
    for _ in range(THREADS):
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(world.member.person)
        clients.append(client)
    statuses: list[int] = []

    def job(i: int) -> Callable[[], None]:
        data = {
            f"kr-{kr.uuid}-value": str(100 + i),
            f"kr-{kr.uuid}-confidence": str(i % 11),
            f"kr-{kr.uuid}-note": f"w{i}",
        }
        return lambda: statuses.append(clients[i].post(url, data).status_code)

    errors = run_together([job(i) for i in range(THREADS)])
    checkins = list(CheckIn.objects.filter(key_result=kr))
    stored = KeyResult.objects.get(pk=kr.pk)
    c = checkins[0] if checkins else None
    writer = int(c.value) - 100 if c is not None and c.value is not None else -1
    return {
        "errors": errors,
        "statuses": statuses,
        "checkins": len(checkins),
        "one_writer": c is not None and (c.confidence, c.note) == (writer % 11, f"w{writer}"),
        "derived_matches": c is not None
        and (stored.current_value, stored.current_confidence) == (c.value, c.confidence),
    }


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "leitstern.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    print(
        json.dumps(
            {"distinct": distinct_checkins(), "same": same_checkins(), "form": form_checkins()}
        )
    )


if __name__ == "__main__":
    main()
