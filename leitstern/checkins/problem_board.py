"""The problems board's rows, read with hand-written SQL.

Three fixed-shape statements a page: the count, the page's problems with their offers, and
the viewer's first teams. Through the ORM, compiling them cost more CPU than running them
(leitstern.lib.sqlrows says why). A search matches with the backend's own icontains, as the
ORM's filter did; Django's own converters turn the values into what the ORM would give (for
a card's values, only when the card is rendered: the cache key needs the raw ones alone).
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any, cast

from django.db import connections
from django.db.models import Field, Model

from leitstern.checkins.models import HelpOffer, Problem, ProblemStatus
from leitstern.lib.sqlrows import field_converters
from leitstern.okrs.models import KeyResult
from leitstern.orgs.models import Membership, Organization, Role, Team, TeamMembership

PAGE_SIZE = 25
# What a card shows, read as plain values: model instances for 25 problems, their teams and
# key results cost more than the query.
CARD_FIELDS = (
    "id",
    "uuid",
    "status",
    "text",
    "created_at",
    "resolved_at",
    "signed_as",
    "team_id",
    "team__name",
    "key_result__uuid",
    "key_result__title",
)


Offer = tuple[str, str, str]  # team name, message, signed as

_PROBLEM, _TEAM, _KEY_RESULT, _OFFER = (
    model._meta.db_table for model in (Problem, Team, KeyResult, HelpOffer)
)
_TEAM_MEMBER = TeamMembership._meta.db_table
_SEARCHED = (("p.text", "TextField"), ("t.name", "CharField"), ("kr.title", "CharField"))
_JOINED = f"JOIN {_TEAM} t ON t.id = p.team_id JOIN {_KEY_RESULT} kr ON kr.id = p.key_result_id"
# The page's ids first, from the board's index alone: joined before the LIMIT, the teams and
# key results of every open problem were read (SQLite sorts problems raised at the same
# moment after the join). Then the problems in CARD_FIELDS order with their offers (none:
# NULLs), oldest offer first.
_PAGE_SQL = (
    "SELECT p.id, p.uuid, p.status, p.text, p.created_at, p.resolved_at, p.signed_as,"
    " p.team_id, t.name, kr.uuid, kr.title, ht.name, h.message, h.signed_as"
    f" FROM (SELECT p.id FROM {_PROBLEM} p {{joins}} WHERE {{where}}"
    " ORDER BY p.{order} DESC, p.id DESC LIMIT %s OFFSET %s) page"
    f" JOIN {_PROBLEM} p ON p.id = page.id {_JOINED}"
    f" LEFT JOIN {_OFFER} h ON h.problem_id = p.id LEFT JOIN {_TEAM} ht ON ht.id = h.team_id"
    " ORDER BY p.{order} DESC, p.id DESC, h.created_at, h.id"
)


def _field(model: type[Model], name: str) -> Field[Any, Any]:
    return cast("Field[Any, Any]", model._meta.get_field(name))


_PAGE_FIELDS = (
    *(_field(Problem, name) for name in CARD_FIELDS[:8]),
    _field(Team, "name"),
    _field(KeyResult, "uuid"),
    _field(KeyResult, "title"),
    _field(Team, "name"),
    _field(HelpOffer, "message"),
    _field(HelpOffer, "signed_as"),
)
_UUID = CARD_FIELDS.index("uuid")
_TEAM_FIELDS = tuple(_field(Team, name) for name in ("id", "organization", "uuid", "name"))
_TEAMS_SQL = (
    f"SELECT t.id, t.organization_id, t.uuid, t.name FROM {_TEAM} t{{mine}}"
    " WHERE t.organization_id = %s ORDER BY t.name LIMIT %s"
)
_MINE = f" JOIN {_TEAM_MEMBER} tm ON tm.team_id = t.id AND tm.membership_id = %s"


def _fetch(
    sql: str, params: list[Any], fields: tuple[Field[Any, Any], ...], only: Collection[int] = ()
) -> list[list[Any]]:
    """The rows of `sql` with the columns of `fields` converted (`only` these, if given)."""
    connection = connections[Problem.objects.db]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = [list(row) for row in cursor.fetchall()]
    for i, col, converters in field_converters(fields, connection.alias):
        if only and i not in only:
            continue
        for row in rows:
            for converter in converters:
                row[i] = converter(row[i], col, connection)
    return rows


def converted(row: dict[str, Any]) -> dict[str, Any]:
    """A row of Board.page() with every value as the ORM would give it."""
    connection = connections[Problem.objects.db]
    values = dict(row)
    for i, col, converters in field_converters(_PAGE_FIELDS, connection.alias):
        if i < len(CARD_FIELDS) and i != _UUID:
            for converter in converters:
                values[CARD_FIELDS[i]] = converter(values[CARD_FIELDS[i]], col, connection)
    return values


class Board:
    """One organisation's problems of one status, newest first, matching `query`."""

    def __init__(self, organization: Organization, status: str, query: str) -> None:
        self.order = "resolved_at" if status == ProblemStatus.RESOLVED else "created_at"
        self.where = "p.organization_id = %s AND p.status = %s"
        self.params: list[Any] = [organization.pk, status]
        self.joins = ""  # what a search looks into
        if query:
            self.joins = _JOINED
            connection = connections[Problem.objects.db]
            like = cast(Any, connection).operators["icontains"]
            self.where += (
                " AND ("
                + " OR ".join(
                    f"{connection.ops.lookup_cast('icontains', kind) % column} {like}"
                    for column, kind in _SEARCHED
                )
                + ")"
            )
            self.params += [f"%{connection.ops.prep_for_like_query(query)}%"] * 3

    def count(self) -> int:
        sql = f"SELECT COUNT(*) FROM {_PROBLEM} p {self.joins} WHERE {self.where}"
        connection = connections[Problem.objects.db]
        with connection.cursor() as cursor:
            cursor.execute(sql, self.params)
            return int(cursor.fetchone()[0])

    def page(self, offset: int) -> tuple[list[dict[str, Any]], dict[int, list[Offer]]]:
        """The problems from `offset` on as CARD_FIELDS values, and the offers on each.

        The values as the database gives them, but the problem's UUID: they tell cards
        apart; converted() makes the rest what the ORM would give, for a card to render."""
        sql = _PAGE_SQL.format(joins=self.joins, where=self.where, order=self.order)
        params = [*self.params, PAGE_SIZE, offset]
        rows: list[dict[str, Any]] = []
        offers: dict[int, list[Offer]] = {}
        for row in _fetch(sql, params, _PAGE_FIELDS, only=(_UUID,)):
            if row[0] not in offers:
                rows.append(dict(zip(CARD_FIELDS, row[:11], strict=True)))
                offers[row[0]] = []
            if row[12] is not None:  # the message: NOT NULL in every offer
                offers[row[0]].append((row[11], row[12], row[13]))
        return rows, offers


def first_teams(membership: Membership, limit: int) -> list[Team]:
    """The first `limit` teams, by name, this person speaks for: their own; facilitators and
    admins any team."""
    params: list[Any] = [membership.organization_id, limit]
    mine = ""
    if not membership.has_role(Role.FACILITATOR):
        mine = _MINE
        params.insert(0, membership.pk)
    using = Team.objects.db
    names = [field.attname for field in _TEAM_FIELDS]
    rows = _fetch(_TEAMS_SQL.format(mine=mine), params, _TEAM_FIELDS)
    return [Team.from_db(using, names, row) for row in rows]
