"""Rows without the ORM's per-query compiling, for the few reads every busy request makes.

- `Columns`: model instances from one hand-written statement (the viewer's membership with
  the team or key result a page is about).
- `PreparedRows`: a values_list() query compiled once, then run with new values (the API's
  token and key-result reads).

Building such a query through the ORM costs more CPU than running it: compiling a join with
annotations takes ~1–2 ms, the statement itself ~0.1 ms. A `Columns` knows a model's
concrete columns in field order and applies the same converters Django's compiler would
(SQLite returns datetimes, UUIDs and booleans as text and numbers), so the instances are the
ones the ORM would have built.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Sequence
from typing import Any, Generic, NamedTuple, TypeVar

from django.db import connections, models
from django.db.models import Model

M = TypeVar("M", bound=Model)

Converter = Callable[[Any, Any, Any], Any]


FieldConverters = list[tuple[int, Any, list[Converter]]]
_FIELD_CONVERTERS: dict[tuple[tuple[Any, ...], str], FieldConverters] = {}


def field_converters(fields: Sequence[models.Field[Any, Any]], using: str) -> FieldConverters:
    """What Django's compiler applies to each column of `fields` read from the database
    `using` (SQLite returns datetimes, UUIDs and booleans as text and numbers): (position,
    column, converters) for the columns that need any."""
    key = (tuple(fields), using)
    if key not in _FIELD_CONVERTERS:
        connection = connections[using]
        found: FieldConverters = []
        for i, field in enumerate(fields):
            col = field.get_col(field.model._meta.db_table)
            converters = connection.ops.get_db_converters(col) + field.get_db_converters(connection)
            if converters:
                found.append((i, col, converters))
        _FIELD_CONVERTERS[key] = found
    return _FIELD_CONVERTERS[key]


def convert(values: list[Any], converters: FieldConverters, using: str) -> list[Any]:
    """`values` (a row) converted in place by field_converters()' converters."""
    connection = connections[using]
    for i, col, functions in converters:
        for function in functions:
            values[i] = function(values[i], col, connection)
    return values


class Columns(Generic[M]):
    """The concrete columns of `model`, to select under a table alias and to read back."""

    def __init__(self, model: type[M]) -> None:
        self.model = model
        self.fields = list(model._meta.concrete_fields)
        self.attnames = [f.attname for f in self.fields]
        self.pk_index = self.attnames.index(model._meta.pk.attname)
        self._converters: dict[str, FieldConverters] = {}  # by database alias

    def __len__(self) -> int:
        return len(self.fields)

    def select(self, alias: str) -> str:
        """`alias."col", …` in field order."""
        return ", ".join(f'{alias}."{f.column}"' for f in self.fields)

    def build(self, row: Sequence[Any], start: int, using: str) -> M | None:
        """The instance whose columns start at `row[start]`; None when its primary key is NULL
        (a LEFT JOIN that found nothing)."""
        values = list(row[start : start + len(self.fields)])
        if values[self.pk_index] is None:
            return None
        if using not in self._converters:
            self._converters[using] = field_converters(self.fields, using)
        convert(values, self._converters[using], using)
        return self.model.from_db(using, self.attnames, values)


class PreparedRows:
    """A values_list() query built and compiled once per connection, then run with new values.

    For the reads of every API request (the token, one key result): building and compiling
    such a query through the ORM costs several times the CPU of running it. `build(*markers)`
    makes the query, whose shape must not depend on the values (LIMIT and OFFSET are written
    into the SQL: one PreparedRows per page). The markers are distinct values that locate each
    argument among the compiled parameters; `fields[i]` adapts argument i as the ORM would (a
    UUID becomes hex text on SQLite). SQL, parameters and converters are the ORM's own, so the
    rows are the ones values_list() returns (tests compare them). Nothing in the query may
    depend on the moment it is built (now(), the language): it is built once.
    """

    def __init__(
        self,
        build: Callable[..., models.QuerySet[Any]],
        fields: tuple[models.Field[Any, Any], ...],
        markers: tuple[Any, ...],
    ) -> None:
        self.build, self.fields, self.markers = build, fields, markers
        # Per connection (one per thread): converters belong to their connection.
        self._compiled: weakref.WeakKeyDictionary[Any, _Compiled] = weakref.WeakKeyDictionary()

    def rows(self, *args: Any, using: str = "default") -> list[list[Any]]:
        connection = connections[using]
        compiled = self._compiled.get(connection) or self._compile(connection, using)
        params = list(compiled.params)
        for position, argument in compiled.slots:
            field = self.fields[argument]
            params[position] = field.get_db_prep_value(args[argument], connection)
        with connection.cursor() as cursor:
            cursor.execute(compiled.sql, params)
            found = cursor.fetchall()
        return [_converted(row, compiled.converters, connection) for row in found]

    def _compile(self, connection: Any, using: str) -> _Compiled:
        compiler = self.build(*self.markers).query.get_compiler(using=using)
        sql, params = compiler.as_sql()
        adapted = [
            f.get_db_prep_value(m, connection)
            for f, m in zip(self.fields, self.markers, strict=True)
        ]
        # Same type and value: True must not stand for a marker 1, nor 0 for False.
        slots = [
            (i, a)
            for i, p in enumerate(params)
            for a, marker in enumerate(adapted)
            if type(p) is type(marker) and p == marker
        ]
        if {a for _i, a in slots} != set(range(len(adapted))):
            raise ValueError("every marker must be a parameter of the query")
        select = [s[0] for s in compiler.select[: compiler.col_count]]
        converters = list(compiler.get_converters(select).items())
        self._compiled[connection] = _Compiled(sql, tuple(params), slots, converters)
        return self._compiled[connection]


class _Compiled(NamedTuple):
    sql: str
    params: tuple[Any, ...]
    slots: list[tuple[int, int]]  # (parameter position, argument index)
    converters: list[tuple[int, tuple[list[Any], Any]]]


def _converted(row: tuple[Any, ...], converters: list[Any], connection: Any) -> list[Any]:
    values = list(row)
    for position, (functions, expression) in converters:
        value = values[position]
        for function in functions:
            value = function(value, expression, connection)
        values[position] = value
    return values
