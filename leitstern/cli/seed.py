"""`leitstern seed-scale`: a large, realistic organisation written with bulk inserts.

The services (`record_checkin`, `write_retrospective`, …) do one object at a time; here the
same invariants are kept by construction instead:

- one check-in per key result and week, weeks are Mondays inside the cycle, never in the future;
- a key result's current value, confidence and last check-in date are those of its latest
  check-in; closed cycles have supported/refuted/inconclusive hypotheses with evidence that is
  also in the learning library (as `write_retrospective` does);
- problems and learnings from check-ins point at the check-in, its key result, objective, cycle
  and team; help offers come from another team; nothing links an OKR to a person;
- only the last cycle is running, earlier cycles are closed and do not overlap.
"""

from __future__ import annotations

import datetime
import os
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Model
from django.utils import timezone

from leitstern.accounts.models import Person
from leitstern.checkins.models import CheckIn, HelpOffer, IndicatorValue, Problem
from leitstern.cli import seed_text as text
from leitstern.cli.seed_rows import Chunk, Ids, TeamRef, write_chunk
from leitstern.frame.models import Frame, Moal, StrategyTime
from leitstern.health.models import HealthMetric, HealthReading
from leitstern.learning.models import Learning, Retrospective
from leitstern.lib.bulk import (
    Adapt,
    IdBlock,
    ProgressBar,
    insert_rows,
    large_cache,
    lock_tables,
)
from leitstern.okrs.models import (
    Contribution,
    Cycle,
    KeyResult,
    LeadingIndicator,
    Objective,
    Phase,
    Revision,
)
from leitstern.orgs.models import Membership, Organization, Role, Team, TeamMembership

TEAMS_PER_CHUNK = 100
PERSONA_ROLES = (("admin", Role.ADMIN), ("facilitator", Role.FACILITATOR), ("member", Role.MEMBER))


@dataclass(frozen=True)
class ScaleSpec:
    slug: str
    teams: int
    cycles: int
    weeks: int
    people: int
    password: str
    seed: int = 7


@dataclass
class SeedReport:
    organization: Organization
    seconds: float
    cpu_seconds: float = 0.0
    server_cpu_seconds: float | None = None
    counts: dict[str, int] = field(default_factory=dict)
    personas: list[tuple[str, str]] = field(default_factory=list)


def persona_email(slug: str, role: str) -> str:
    return f"{role}@{slug}.example"


def seed_scale(
    spec: ScaleSpec, *, replace: bool = False, progress: IO[str] | None = None
) -> SeedReport:
    """Create the organisation `spec.slug` at scale; refuse if it exists unless `replace`."""
    _check(spec)
    started, cpu, server_cpu = time.monotonic(), time.process_time(), server_cpu_seconds()
    existing = Organization.objects.filter(slug=spec.slug).first()
    if existing is not None and not replace:
        raise ValidationError(
            f"The organisation “{spec.slug}” exists already. Choose another --org or add "
            "--replace to delete it and seed it again."
        )
    if existing is not None:
        delete_organization(existing)
    with large_cache(), transaction.atomic():
        report = _seed(spec, progress)
    analyze()
    report.seconds = time.monotonic() - started
    report.cpu_seconds = time.process_time() - cpu
    after = server_cpu_seconds()
    if server_cpu is not None and after is not None:
        report.server_cpu_seconds = after - server_cpu
    return report


def server_cpu_seconds() -> float | None:
    """CPU time of this connection's PostgreSQL backend, when the server runs on this machine.

    Wall time alone misleads on a busy machine; seed timings report both.
    """
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _check(spec: ScaleSpec) -> None:
    if spec.teams < 1 or spec.cycles < 1 or spec.weeks < 1:
        raise ValidationError("--teams, --cycles and --weeks must be at least 1.")
    if spec.weeks > 26:
        raise ValidationError("--weeks is the length of a cycle: at most 26.")
    if spec.people < len(PERSONA_ROLES):
        raise ValidationError(f"--people must be at least {len(PERSONA_ROLES)}.")


def _seed(spec: ScaleSpec, progress: IO[str] | None) -> SeedReport:
    rng = random.Random(spec.seed)
    org = Organization.objects.create(slug=spec.slug, name=f"{spec.slug.title()} (scale)")
    Frame.objects.create(
        organization=org,
        vision="Every team learns faster than the market changes.",
        purpose="We make good work visible and help each other get there.",
    )
    moals = Moal.objects.bulk_create(
        Moal(organization=org, title=t, description=d, position=i)
        for i, (t, d) in enumerate(text.MOALS)
    )
    cycles = _cycles(org, spec)
    personas = _personas(org, spec)
    lock_tables(BULK_MODELS)
    ids = Ids({model: IdBlock(model) for model in BULK_MODELS})
    adapt = Adapt()
    teams = _teams(org, spec, ids, adapt, rng)
    _people(org, spec, teams, personas, ids, adapt)
    total_checkins = spec.teams * spec.cycles * 9 * spec.weeks
    bar = ProgressBar(total_checkins, progress, label=f"seed {spec.slug}")
    counts: dict[str, int] = {}
    for start in range(0, len(teams), TEAMS_PER_CHUNK):
        chunk = Chunk(
            org_id=org.pk,
            teams=teams,
            team_range=range(start, min(start + TEAMS_PER_CHUNK, len(teams))),
            cycles=cycles,
            moal_ids=[m.pk for m in moals],
            weeks=spec.weeks,
            today=timezone.localdate(),
        )
        written = write_chunk(chunk, ids, adapt, rng)
        for name, n in written.items():
            counts[name] = counts.get(name, 0) + n
        bar.advance(written.get("checkins", 0), f"{counts.get('checkins', 0):,} check-ins")
    bar.close()
    _health(org, teams, ids, adapt, rng)
    for block in ids.blocks.values():
        block.finish()
    counts.update(teams=len(teams), cycles=len(cycles), people=spec.people)
    report = SeedReport(organization=org, seconds=0.0, counts=counts)
    report.personas = [(persona_email(spec.slug, r), r) for r, _role in PERSONA_ROLES]
    return report


BULK_MODELS: list[type[Model]] = [
    Person, Membership, Team, TeamMembership, StrategyTime, Objective, Objective.moals.through,
    KeyResult, LeadingIndicator, CheckIn, IndicatorValue, Problem, HelpOffer, Learning,
    Retrospective, HealthMetric, HealthReading,
]  # fmt: skip


def _cycles(org: Organization, spec: ScaleSpec) -> list[Cycle]:
    """`spec.cycles` back-to-back cycles; the last one runs and ends this Sunday."""
    today = timezone.localdate()
    monday = today - datetime.timedelta(days=today.weekday())
    last_start = monday - datetime.timedelta(weeks=spec.weeks - 1)
    cycles = []
    for k in range(spec.cycles):
        start = last_start - datetime.timedelta(weeks=spec.weeks * (spec.cycles - 1 - k))
        end = start + datetime.timedelta(weeks=spec.weeks, days=-1)
        phase = Phase.RUNNING if k == spec.cycles - 1 else Phase.CLOSED
        name = f"Cycle {k + 1}: {start:%d %b %Y} – {end:%d %b %Y}"
        cycles.append(Cycle(organization=org, name=name, starts_on=start, ends_on=end, phase=phase))
    return Cycle.objects.bulk_create(cycles)


def _personas(org: Organization, spec: ScaleSpec) -> dict[str, Membership]:
    """A handful of people who can sign in (one password hash for all of them)."""
    hashed = make_password(spec.password)
    result = {}
    for label, role in PERSONA_ROLES:
        email = persona_email(spec.slug, label)
        person = Person.objects.filter(email=email).first()
        if person is None:
            person = Person(email=email, name=f"{label.title()} of {spec.slug}", password=hashed)
            person.save()
        result[label] = Membership.objects.create(organization=org, person=person, role=role)
    return result


def _teams(
    org: Organization, spec: ScaleSpec, ids: Ids, adapt: Adapt, rng: random.Random
) -> list[TeamRef]:
    """A tree: a few areas at the top, every team below has at most eight children."""
    roots = max(1, min(8, spec.teams // 20))
    now = adapt.datetime(timezone.now())
    teams: list[TeamRef] = []
    rows = []
    for i in range(spec.teams):
        area = text.AREAS[i % len(text.AREAS)]
        parent = None if i < roots else teams[(i - roots) // 8 if roots > 1 else 0]
        name = f"{area}" if parent is None else f"{area} {text.GROUPS[i % 8]} {i}"
        ref = TeamRef(index=i, id=ids.take(Team), slug=f"team-{i:04d}", area=area)
        teams.append(ref)
        parent_id = parent.id if parent is not None else None
        rows.append(
            (ref.id, org.pk, adapt.uuid(), now, now, ref.slug, name, f"{name}: {area}", parent_id)
        )
    fields = ["id", "organization", "uuid", "created_at", "updated_at", "slug", "name"]
    insert_rows(Team, [*fields, "description", "parent"], rows)
    strategy = [
        (ids.take(StrategyTime), org.pk, adapt.uuid(), now, now, t.id, 4, "Tuesdays 9–11")
        for t in teams[::3]
    ]
    st_fields = ["id", "organization", "uuid", "created_at", "updated_at", "team"]
    insert_rows(StrategyTime, [*st_fields, "hours_per_week", "slot"], strategy)
    return teams


def _people(
    org: Organization,
    spec: ScaleSpec,
    teams: list[TeamRef],
    personas: dict[str, Membership],
    ids: Ids,
    adapt: Adapt,
) -> None:
    """`spec.people` memberships in all; everyone but the admin and facilitator in one team."""
    now = adapt.datetime(timezone.now())
    bulk = spec.people - len(personas)
    person_ids = [ids.take(Person) for _ in range(bulk)]
    insert_rows(
        Person,
        PERSON_FIELDS,
        (
            (pid, "!", False, f"p{n}@{spec.slug}.seed.example", f"Person {n}", "", True, False, now)
            for n, pid in enumerate(person_ids)
        ),
    )
    membership_ids = [ids.take(Membership) for _ in person_ids]
    insert_rows(
        Membership,
        ["id", "organization", "person", "role", "created_at"],
        (
            (mid, org.pk, pid, Role.MEMBER.value, now)
            for mid, pid in zip(membership_ids, person_ids, strict=True)
        ),
    )
    in_teams = [(personas["member"].pk, 0), *((mid, n) for n, mid in enumerate(membership_ids))]
    insert_rows(
        TeamMembership,
        ["id", "team", "membership"],
        ((ids.take(TeamMembership), teams[n % len(teams)].id, mid) for mid, n in in_teams),
    )


PERSON_FIELDS = ["id", "password", "is_superuser", "email", "name", "language", "is_active"]
PERSON_FIELDS += ["is_staff", "date_joined"]


def _health(
    org: Organization, teams: list[TeamRef], ids: Ids, adapt: Adapt, rng: random.Random
) -> None:
    """An organisation-wide health metric and one for every tenth team, twelve weekly readings."""
    now = adapt.datetime(timezone.now())
    today = timezone.localdate()
    owners: list[int | None] = [None, *(t.id for t in teams[::10])]
    metric_rows, reading_rows = [], []
    for team_id in owners:
        metric_id = ids.take(HealthMetric)
        metric_rows.append(
            (
                metric_id,
                org.pk,
                adapt.uuid(),
                now,
                now,
                team_id,
                "Incidents per week",
                "",
                "",
                0,
                3,
                0,
            )
        )
        for week in range(12):
            day = adapt.date(today - datetime.timedelta(weeks=week))
            value = rng.randint(0, 5)
            reading_rows.append(
                (ids.take(HealthReading), org.pk, adapt.uuid(), now, now, metric_id, day, value)
            )
    base = ["id", "organization", "uuid", "created_at", "updated_at"]
    insert_rows(
        HealthMetric,
        [*base, "team", "name", "description", "unit", "healthy_min", "healthy_max", "position"],
        metric_rows,
    )
    insert_rows(HealthReading, [*base, "metric", "measured_on", "value"], reading_rows)


def delete_organization(org: Organization) -> None:
    """Delete an organisation quickly: the large tables with one statement each, then the rest."""
    org_tables = [
        HelpOffer, Problem, Learning, IndicatorValue, CheckIn, Retrospective, LeadingIndicator,
        Revision, Contribution,
    ]  # fmt: skip
    with transaction.atomic():
        quote = connection.ops.quote_name
        with connection.cursor() as cursor:
            for model in org_tables:
                cursor.execute(
                    f"DELETE FROM {quote(model._meta.db_table)} WHERE organization_id = %s",
                    [org.pk],
                )
            through = Objective.moals.through._meta.db_table
            cursor.execute(
                f"DELETE FROM {quote(through)} WHERE objective_id IN "
                f"(SELECT id FROM {quote(Objective._meta.db_table)} WHERE organization_id = %s)",
                [org.pk],
            )
            cursor.execute(
                f"DELETE FROM {quote(TeamMembership._meta.db_table)} WHERE team_id IN "
                f"(SELECT id FROM {quote(Team._meta.db_table)} WHERE organization_id = %s)",
                [org.pk],
            )
            for model in (KeyResult, Objective):  # foreign keys are checked at commit
                cursor.execute(
                    f"DELETE FROM {quote(model._meta.db_table)} WHERE organization_id = %s",
                    [org.pk],
                )
        seeded = f"@{org.slug}.seed.example"
        org.delete()  # the ORM cascades through what is left (objectives, key results, teams…)
        Person.objects.filter(email__endswith=seeded, memberships__isnull=True).delete()


def analyze() -> None:
    """Fresh planner statistics after millions of new rows (outside the transaction)."""
    # VACUUM also fills PostgreSQL's visibility map, so index-only scans work at once; it
    # cannot run inside a transaction (as in tests), where a plain ANALYZE has to do.
    vacuum = "ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE"
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            for model in BULK_MODELS:
                cursor.execute(f"{vacuum} {connection.ops.quote_name(model._meta.db_table)}")
        else:
            cursor.execute("ANALYZE")


def describe(report: SeedReport, write: Callable[[str], Any]) -> None:
    counts = ", ".join(f"{n:,} {name}" for name, n in report.counts.items())
    cpu = f"{report.cpu_seconds:.1f} s CPU"
    if report.server_cpu_seconds is not None:
        cpu += f" + {report.server_cpu_seconds:.1f} s CPU in the PostgreSQL server"
    write(f"Seeded “{report.organization.slug}” in {report.seconds:.1f} s ({cpu}): {counts}.")
