"""One page of the learning library, newest first, fast in a library of 100,000 learnings.

Two queries per page. The first counts the matches, stopping after COUNT_LIMIT (or after the
requested page, for deep pages): an exact count of 20,000 matches costs more than the page.
The count then picks the plan for the second, which neither database can pick by itself,
because neither knows how often a word occurs:

- many matches: walk the (organization, created_at) index and stop after one page;
- few matches: fetch them all by primary key and sort them. Walking the date index for a rare
  word would read every learning of the organisation before giving up.

SQLite counts from its full-text table (`LearningQuerySet.count_search`); PostgreSQL reads a
page's team, cycle, objective and key result by subqueries (`_values`), not joins.

If the word search finds nothing, PostgreSQL tries the words as parts of words (trigram
index); see LearningQuerySet.search_inside_words.

Asked with a `Scope` (an organisation and field values) rather than a queryset, the page is
read through a query compiled once per shape of the search (which filters, a query or none,
which plan, which page; lib/sqlrows.PreparedRows): building and compiling it through the ORM
costs more CPU than PostgreSQL spends running it.
"""

from __future__ import annotations

import functools
import math
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any, cast

from django.core.cache import caches
from django.db import connections, models

from leitstern.learning.models import Learning, LearningQuerySet, SearchText
from leitstern.lib.sqlrows import PreparedRows

COUNT_LIMIT = 1000
# How long a search known to find more than the count limit is not counted again.
MANY_SECONDS = 600
# Not the organisation: the caller has it, and a fifth join costs PostgreSQL 5 ms of planning.
RELATED = ("team", "cycle", "objective", "key_result")


@dataclass(frozen=True)
class Scope:
    """The learnings of one organisation whose fields have these values, e.g.
    `Scope(org.pk, (("team__slug", "sales"),))`: what a queryset says, in a form whose page
    query can be compiled once per shape (the lookups' names) and rerun with new values."""

    organization_id: int
    lookups: tuple[tuple[str, Any], ...] = ()

    def queryset(self) -> LearningQuerySet:
        return Learning.objects.filter(organization_id=self.organization_id, **dict(self.lookups))


@dataclass(frozen=True)
class LibraryPage:
    """A page of learnings (instances, or dicts of `fields`); `count` is exact unless `more`
    (counting stopped after it)."""

    learnings: list[Any]
    number: int
    size: int
    count: int
    more: bool

    def __iter__(self) -> Iterator[Any]:
        return iter(self.learnings)

    @property
    def num_pages(self) -> int | None:
        return None if self.more else max(1, math.ceil(self.count / self.size))

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.more or self.number * self.size < self.count

    @property
    def previous_page_number(self) -> int:
        return self.number - 1

    @property
    def next_page_number(self) -> int:
        return self.number + 1


def find_learnings(
    learnings: LearningQuerySet | Scope,
    query: str,
    *,
    number: int,
    size: int,
    exact: bool = False,
    clamp: bool = True,
    fields: Sequence[str] = (),
    count_key: str | None = None,
) -> LibraryPage:
    """Page `number` of `learnings` matching `query`, newest first.

    Counts at most COUNT_LIMIT matches (more for deep pages) unless `exact`. With `clamp`, a
    page beyond the last shows the last page; without, it is empty (the API's answer). With
    `fields`, the page holds dicts of those values instead of Learning instances.

    `count_key` names the search (organisation, words, filters): once it found more than
    the limit, it is not counted again for MANY_SECONDS. A library mostly grows while
    people work; after deletions (an edited check-in, an erased account) the page may say
    "more than 1,000" for up to MANY_SECONDS too long. The count costs more than the page
    (up to 4 ms of PostgreSQL's CPU for a frequent word).

    With a `Scope` and `fields`, the page's rows come from a prepared query (see above).
    """
    scope = learnings if isinstance(learnings, Scope) else None
    queryset = learnings if isinstance(learnings, LearningQuerySet) else None

    def in_scope() -> LearningQuerySet:  # built only when needed: it costs 0.2 ms
        return scope.queryset() if scope is not None else cast(LearningQuerySet, queryset)

    limit = max(COUNT_LIMIT, number * size)
    known_many = count_key is not None and not exact and _many().get(f"{count_key}:{limit}")
    count = limit + 1 if known_many else in_scope().count_search(query, None if exact else limit)
    if count_key is not None and not exact and count > limit and not known_many:
        _many().set(f"{count_key}:{limit}", True, MANY_SECONDS)
    inside = None
    if not count and (inside := in_scope().search_inside_words(query)) is not None:
        count = _count(inside, limit, exact)
    more = not exact and count > limit
    if clamp and not more:
        number = max(1, min(number, math.ceil(count / size)))
    start = (number - 1) * size
    many = count > COUNT_LIMIT
    if not count:
        rows: list[Any] = []
    elif scope is not None and fields and inside is None:
        rows = _prepared_rows(scope, query, many=many, start=start, size=size, fields=fields)
    else:
        matches = inside if inside is not None else in_scope().search(query)
        rows = _newest(matches, many=many, start=start, size=size, fields=fields)
    return LibraryPage(rows, number, size, limit if more else count, more)


def _many() -> Any:
    return caches["default"]


def _count(matches: LearningQuerySet, limit: int, exact: bool) -> int:
    unordered = matches.order_by()
    return unordered.count() if exact else unordered[: limit + 1].count()


def _newest(
    matches: LearningQuerySet, *, many: bool, start: int, size: int, fields: Sequence[str]
) -> list[Any]:
    page = _in_date_order(matches, many)
    if fields:
        # Plain values: 25 learnings with four related objects each cost 6 ms as instances.
        rows = _values(page, fields)[start : start + size]
        return [dict(zip(fields, row, strict=True)) for row in rows]
    return list(page.select_related(*RELATED)[start : start + size])


def _in_date_order(matches: LearningQuerySet, many: bool) -> LearningQuerySet:
    page = matches
    if not many:
        # At most COUNT_LIMIT matches: look them up by primary key. Without the organisation's
        # condition the date index cannot be walked, so the planner cannot try.
        page = Learning.objects.filter(pk__in=matches.order_by().values("pk")[: COUNT_LIMIT + 1])
    return page.order_by("-created_at", "-id")


def _prepared_rows(
    scope: Scope, query: str, *, many: bool, start: int, size: int, fields: Sequence[str]
) -> list[dict[str, Any]]:
    names = tuple(name for name, _value in scope.lookups)
    searched = bool(query.strip())
    prepared = _page_query(names, searched, many, start, size, tuple(fields), COUNT_LIMIT)
    values = [value for _name, value in scope.lookups]
    rows = prepared.rows(scope.organization_id, *values, *([query] if searched else []))
    return [dict(zip(fields, row, strict=True)) for row in rows]


@functools.lru_cache(maxsize=256)
def _page_query(
    names: tuple[str, ...],
    searched: bool,
    many: bool,
    start: int,
    size: int,
    fields: tuple[str, ...],
    _count_limit: int,  # a part of the query (tests change it)
) -> PreparedRows:
    """The page query of `_newest` for one shape of search."""
    lookup_fields = tuple(_lookup_field(name) for name in names)
    query_field: tuple[Any, ...] = (SearchText(),) if searched else ()

    def build(organization: int, *values: Any) -> Any:
        scope = Scope(organization, tuple(zip(names, values[: len(names)], strict=True)))
        matches = scope.queryset()
        if searched:
            matches = matches.search(values[-1])
        return _values(_in_date_order(matches, many), fields)[start : start + size]

    markers = (_MARKER_ID, *(_marker(f, i) for i, f in enumerate(lookup_fields)))
    return PreparedRows(
        build,
        fields=(Learning._meta.get_field("organization"), *lookup_fields, *query_field),
        markers=(*markers, *(("leitsternsearchmarker",) if searched else ())),
    )


_MARKER_ID = 1_987_654_321


def _lookup_field(lookup: str) -> models.Field[Any, Any]:
    """The field a lookup such as "objective__moals__uuid" compares with."""
    model: Any = Learning
    field: Any = None
    for part in lookup.split("__"):
        field = model._meta.get_field(part)
        model = field.related_model
    return cast("models.Field[Any, Any]", field)


def _marker(field: models.Field[Any, Any], n: int) -> Any:
    """A value of the field's type no search would use, distinct for each argument."""
    if isinstance(field, models.UUIDField):
        return uuid.UUID(int=0xC0DE0000 + n)
    if field.get_internal_type() in {"ForeignKey", "IntegerField", "BigIntegerField"}:
        return _MARKER_ID + 1 + n
    return f"leitstern-marker-{n}"


class _Related(models.Expression):
    """A field of the object a learning's foreign key points to, by a scalar subquery:
    `(SELECT "orgs_team"."name" FROM "orgs_team" WHERE "orgs_team"."id" = <team_id>)`; NULL
    without one, as with a LEFT JOIN."""

    def __init__(self, name: str, attr: str) -> None:
        super().__init__()
        self.foreign_key = Learning._meta.get_field(name)
        self.model = cast(type[models.Model], self.foreign_key.related_model)
        self.output_field = self.model._meta.get_field(attr)  # type: ignore[assignment]
        self.key: Any = models.F(self.foreign_key.attname)  # type: ignore[union-attr]

    def get_source_expressions(self) -> list[Any]:
        return [self.key]

    def set_source_expressions(self, exprs: Sequence[Any]) -> None:
        (self.key,) = exprs

    def as_sql(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, Any]:
        key, params = compiler.compile(self.key)
        qn, meta = connection.ops.quote_name, self.model._meta
        table = qn(meta.db_table)
        column = self.output_field.column  # type: ignore[attr-defined]
        return (
            f"(SELECT {table}.{qn(column)} FROM {table} "
            f"WHERE {table}.{qn(meta.pk.column)} = {key})",
            params,
        )


def _values(page: LearningQuerySet, fields: Sequence[str]) -> Any:
    """`page.values_list(*fields)`; on PostgreSQL with a related
    object's field ("team__name") read by a subquery instead of a join: four joins cost
    PostgreSQL 2 ms of planning, more than the page; the subqueries are planned in a tenth of
    that and run for the page's rows only. (SQLite plans joins in no time.)"""
    if connections[page.db].vendor != "postgresql":
        return page.values_list(*fields)
    related: dict[str, _Related] = {}
    columns: list[str] = []
    for field in fields:
        name, _, attr = field.partition("__")
        if attr and "__" not in attr and Learning._meta.get_field(name).concrete:
            alias = f"_related{len(related)}"
            related[alias] = _Related(name, attr)
            columns.append(alias)
        else:
            columns.append(field)
    return page.annotate(**related).values_list(*columns)
