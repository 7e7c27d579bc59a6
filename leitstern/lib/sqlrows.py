"""Model instances from one hand-written SQL statement, for the few lookups every busy page
makes (the viewer's membership with the team or key result a page is about).

Building such a query through the ORM costs more CPU than running it: compiling a join with
annotations takes ~1–2 ms, the statement itself ~0.1 ms. A `Columns` knows a model's
concrete columns in field order and applies the same converters Django's compiler would
(SQLite returns datetimes, UUIDs and booleans as text and numbers), so the instances are the
ones the ORM would have built.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Generic, TypeVar

from django.db import connections
from django.db.models import Model

M = TypeVar("M", bound=Model)

Converter = Callable[[Any, Any, Any], Any]


class Columns(Generic[M]):
    """The concrete columns of `model`, to select under a table alias and to read back."""

    def __init__(self, model: type[M]) -> None:
        self.model = model
        self.fields = list(model._meta.concrete_fields)
        self.attnames = [f.attname for f in self.fields]
        self.pk_index = self.attnames.index(model._meta.pk.attname)
        self._converters: dict[str, list[tuple[Any, list[Converter]]]] = {}

    def __len__(self) -> int:
        return len(self.fields)

    def select(self, alias: str) -> str:
        """`alias."col", …` in field order."""
        return ", ".join(f'{alias}."{f.column}"' for f in self.fields)

    def _converters_for(self, using: str) -> list[tuple[Any, list[Converter]]]:
        if using not in self._converters:
            connection = connections[using]
            found = []
            for field in self.fields:
                col = field.get_col(self.model._meta.db_table)
                found.append(
                    (
                        col,
                        connection.ops.get_db_converters(col) + field.get_db_converters(connection),
                    )
                )
            self._converters[using] = found
        return self._converters[using]

    def build(self, row: Sequence[Any], start: int, using: str) -> M | None:
        """The instance whose columns start at `row[start]`; None when its primary key is NULL
        (a LEFT JOIN that found nothing)."""
        values = list(row[start : start + len(self.fields)])
        if values[self.pk_index] is None:
            return None
        connection = connections[using]
        for i, (col, converters) in enumerate(self._converters_for(using)):
            for converter in converters:
                values[i] = converter(values[i], col, connection)
        return self.model.from_db(using, self.attnames, values)
