"""Fast bulk inserts for generated data: COPY on PostgreSQL, executemany on SQLite.

`bulk_create` builds a model instance per row and one large INSERT per batch; for millions of
rows that Python overhead dominates. Here rows are plain tuples in the order of `fields`, with
explicit primary keys handed out by `IdBlock`, so related rows can point at each other before
anything is written. Domain-free: the caller keeps the domain's invariants.
"""

from __future__ import annotations

import contextlib
import datetime
import os
import sys
import time
from collections.abc import Iterable, Iterator, Sequence
from typing import IO, Any

from django.db import connection
from django.db.models import Model

_VARIANT = {digit: "89ab"[int(digit, 16) & 3] for digit in "0123456789abcdef"}


class Adapt:
    """Converts uuid/date/datetime values to what the current database takes fastest."""

    def __init__(self) -> None:
        self.postgres = connection.vendor == "postgresql"
        self._datetimes: dict[datetime.datetime, Any] = {}
        self._pool: list[str] = []

    def uuid(self) -> str:
        """A random (version 4) UUID as 32 hex digits, which both databases accept.

        Drawn from one os.urandom call per 4,096 ids: uuid.uuid4() costs more than the
        insert itself at millions of rows.
        """
        if not self._pool:
            raw = os.urandom(16 * 4096).hex()
            self._pool = [raw[i : i + 32] for i in range(0, len(raw), 32)]
        h = self._pool.pop()
        return f"{h[:12]}4{h[13:16]}{_VARIANT[h[16]]}{h[17:]}"

    def date(self, value: datetime.date) -> Any:
        return value if self.postgres else value.isoformat()

    def datetime(self, value: datetime.datetime) -> Any:
        """An aware datetime as stored by Django (SQLite: naive UTC text)."""
        if self.postgres:
            return value
        cached = self._datetimes.get(value)
        if cached is None:
            cached = connection.ops.adapt_datetimefield_value(value)
            self._datetimes[value] = cached
        return cached


@contextlib.contextmanager
def large_cache() -> Iterator[None]:
    """SQLite: a 256 MB page cache while writing, so index pages stay in memory."""
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        before = cursor.fetchone()[0]
        cursor.execute("PRAGMA cache_size = -262144")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {int(before)}")


def table_of(model: type[Model]) -> str:
    return model._meta.db_table


def columns_of(model: type[Model], fields: Sequence[str]) -> list[str]:
    columns = []
    for name in fields:
        field = model._meta.get_field(name)
        column = getattr(field, "column", None)
        if not isinstance(column, str):
            raise ValueError(f"{model.__name__}.{name} is not a column")
        columns.append(column)
    return columns


def lock_tables(models: Iterable[type[Model]]) -> None:
    """PostgreSQL: keep other writers out while we hand out primary keys ourselves.

    SQLite needs nothing: an IMMEDIATE transaction already holds the only write lock.
    """
    if connection.vendor != "postgresql":
        return
    names = ", ".join(connection.ops.quote_name(table_of(m)) for m in models)
    with connection.cursor() as cursor:
        cursor.execute(f"LOCK TABLE {names} IN EXCLUSIVE MODE")


class IdBlock:
    """Primary keys for one table, continuing after the highest id in use or ever issued."""

    def __init__(self, model: type[Model]) -> None:
        self.model = model
        self.next = _highest_id(model) + 1
        self.first = self.next

    def take(self) -> int:
        value = self.next
        self.next += 1
        return value

    def finish(self) -> None:
        """Move PostgreSQL's sequence past the ids we used (SQLite's AUTOINCREMENT follows)."""
        if connection.vendor != "postgresql" or self.next == self.first:
            return
        table = table_of(self.model)
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT setval(pg_get_serial_sequence(%s, 'id'), %s)", [table, self.next - 1]
            )


def _highest_id(model: type[Model]) -> int:
    table = table_of(model)
    quoted = connection.ops.quote_name(table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {quoted}")
        highest = cursor.fetchone()[0]
        if connection.vendor == "postgresql":
            cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [table])
            sequence = cursor.fetchone()[0]
            cursor.execute(f"SELECT last_value, is_called FROM {sequence}")
            last, called = cursor.fetchone()
            issued = last if called else last - 1
        else:
            cursor.execute(
                "SELECT COALESCE(MAX(seq), 0) FROM sqlite_sequence WHERE name=%s", [table]
            )
            issued = cursor.fetchone()[0]
    return max(int(highest), int(issued))


SQLITE_MAX_VARIABLES = 32_766  # SQLite's default limit since 3.32


def insert_rows(model: type[Model], fields: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    """Insert `rows` (tuples in the order of `fields`) into `model`'s table; return the count."""
    table = connection.ops.quote_name(table_of(model))
    names = ", ".join(connection.ops.quote_name(c) for c in columns_of(model, fields))
    written = 0
    with connection.cursor() as cursor:
        raw = cursor.cursor  # the driver's cursor: no per-row work in Django's wrapper
        if connection.vendor == "postgresql":
            with raw.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
                    written += 1
        else:
            # Many rows per INSERT: triggers that maintain an index (the learning library's
            # FTS5 table) run per statement, and so does SQLite's per-statement overhead.
            per_statement = max(1, min(500, SQLITE_MAX_VARIABLES // len(fields)))
            one = "(" + ", ".join("?" for _ in fields) + ")"
            full = f"INSERT INTO {table} ({names}) VALUES " + ", ".join([one] * per_statement)
            batch: list[Any] = []
            for row in rows:
                batch.extend(row)
                written += 1
                if len(batch) >= per_statement * len(fields):
                    raw.execute(full, batch)
                    batch = []
            if batch:
                left = len(batch) // len(fields)
                raw.execute(
                    f"INSERT INTO {table} ({names}) VALUES " + ", ".join([one] * left), batch
                )
    return written


class ProgressBar:
    """A one-line progress bar on a terminal; silent when the stream is not a TTY."""

    def __init__(self, total: int, stream: IO[str] | None = None, label: str = "") -> None:
        self.total = max(total, 1)
        self.stream = stream if stream is not None else sys.stderr
        self.enabled = hasattr(self.stream, "isatty") and self.stream.isatty()
        self.label = label
        self.done = 0
        self.started = time.monotonic()

    def advance(self, amount: int, note: str = "") -> None:
        self.done = min(self.total, self.done + amount)
        if not self.enabled:
            return
        share = self.done / self.total
        filled = int(share * 30)
        elapsed = time.monotonic() - self.started
        self.stream.write(
            f"\r{self.label} [{'#' * filled}{'.' * (30 - filled)}] {share:4.0%} "
            f"{elapsed:5.0f}s {note:<30}"
        )
        self.stream.flush()

    def close(self) -> None:
        if self.enabled:
            self.stream.write("\n")
            self.stream.flush()
