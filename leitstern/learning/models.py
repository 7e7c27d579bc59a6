"""Retrospectives and the organisation-wide learning library.

Check-ins (one app to the right) write learnings here; this app never imports them.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from typing import Any, ClassVar

from django.core.exceptions import EmptyResultSet
from django.db import NotSupportedError, connections, models
from django.utils.translation import gettext_lazy as _

from leitstern.okrs.models import Cycle, KeyResult, Objective
from leitstern.orgs.models import Organization, OrgOwned, Team


class Retrospective(OrgOwned):
    """Per objective at the end of a cycle: what held, what was refuted, what we carry on."""

    objective = models.OneToOneField(
        Objective, on_delete=models.CASCADE, related_name="retrospective"
    )
    what_held = models.TextField(_("what held"), blank=True)
    what_refuted = models.TextField(_("what was refuted"), blank=True)
    carry_forward = models.TextField(_("what we carry forward"), blank=True)
    # A learning aid for the team itself; never aggregated across teams.
    self_assessment = models.DecimalField(
        _("self-assessment (0.0–1.0)"), max_digits=3, decimal_places=2, null=True, blank=True
    )

    class Meta:
        verbose_name = _("retrospective")
        constraints: ClassVar[list[Any]] = [
            models.CheckConstraint(
                condition=models.Q(self_assessment__isnull=True)
                | models.Q(self_assessment__gte=0, self_assessment__lte=1),
                name="retro_self_assessment_0_1",
                violation_error_message=_("The self-assessment is a number from 0.0 to 1.0."),
            )
        ]

    def __str__(self) -> str:
        return f"Retrospective: {self.objective}"

    def clean(self) -> None:
        self.require_same_organization("objective")


class Outcome(models.TextChoices):
    NONE = "", _("—")
    SUPPORTED = "supported", _("Supported")
    REFUTED = "refuted", _("Refuted")
    INCONCLUSIVE = "inconclusive", _("Inconclusive")


class Source(models.TextChoices):
    CHECKIN = "checkin", _("Check-in")
    RETROSPECTIVE = "retrospective", _("Retrospective")
    OTHER = "other", _("Other")


# Full-text configurations on PostgreSQL: the UI languages, so "learned" finds "learning"
# and "Kunden" finds "Kunde".
SEARCH_CONFIGS = ("english", "german")
MAX_SEARCH_WORDS = 10
# Letters and digits; everything else (quotes, *, parentheses, colons) only separates words,
# so no input can change the structure of a full-text query.
_WORD = re.compile(r"[^\W_]+")


def search_words(query: str) -> list[str]:
    """The words of a search query, at most MAX_SEARCH_WORDS, punctuation dropped."""
    return _WORD.findall(unicodedata.normalize("NFC", query))[:MAX_SEARCH_WORDS]


def fts_match(query: str) -> str:
    """The FTS5 query (SQLite) for a search: each word quoted (a string, never an operator such
    as NEAR or NOT); words of three letters or more also match longer words ("onboard" →
    "onboarding"). A prefix of two letters would match half the vocabulary and cost more than
    it finds."""
    return " ".join(f'"{word}"*' if len(word) >= 3 else f'"{word}"' for word in search_words(query))


class SearchText(models.TextField):  # type: ignore[type-arg]
    """A search query as TextMatch passes it to the database: for a query compiled once and
    run with new words (search.PreparedRows), which adapts each value through its field."""

    def get_db_prep_value(self, value: Any, connection: Any, prepared: bool = False) -> Any:
        return search_parameter(value, connection.vendor)


def search_parameter(query: str, vendor: str) -> str:
    """The parameter TextMatch gives the database for `query`."""
    return fts_match(query) if vendor == "sqlite" else query.replace("\x00", " ")


class TextMatch(models.Expression):
    """True for a learning whose text matches the query, through the database's search index.

    PostgreSQL: the stored `search` column (English and German tsvector, GIN index) against
    `websearch_to_tsquery` in both languages. SQLite: the FTS5 table `learning_fts`, every
    word as a word or a word's beginning. Both structures are created and kept current by
    the database (migration 0003), not by the ORM: the model has no field for them.
    """

    output_field = models.BooleanField()

    def __init__(self, query: str) -> None:
        super().__init__()
        self.query = query
        self.pk: Any = models.F("pk")

    def get_source_expressions(self) -> list[Any]:
        return [self.pk]

    def set_source_expressions(self, exprs: Sequence[Any]) -> None:
        (self.pk,) = exprs

    def as_sql(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, Any]:
        raise NotSupportedError("Learning search needs PostgreSQL or SQLite.")

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, Any]:
        column = f"{compiler.quote_name_unless_alias(self.pk.alias)}.search"
        tsquery = " || ".join(
            f"websearch_to_tsquery('{config}'::regconfig, %s)" for config in SEARCH_CONFIGS
        )
        # PostgreSQL takes no NUL in a string: search_parameter() replaces it.
        query = search_parameter(self.query, connection.vendor)
        return f"{column} @@ ({tsquery})", [query] * len(SEARCH_CONFIGS)

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, Any]:
        pk, params = compiler.compile(self.pk)
        match = search_parameter(self.query, connection.vendor)
        query = compiler.query
        if query.is_sliced and query.order_by:
            # A page in date order: walk the date index and look each learning up in the
            # matches; "+" keeps SQLite from sorting every match first.
            pk = f"+{pk}"
        return (
            f"{pk} IN (SELECT rowid FROM learning_fts WHERE learning_fts MATCH %s)",
            [*params, match],
        )


class LearningQuerySet(models.QuerySet["Learning"]):
    def search(self, query: str) -> LearningQuerySet:
        """Learnings whose text contains every word of `query`; all of them for an empty query.

        PostgreSQL: English or German word forms ("learned" finds "learning"), and the
        `websearch` syntax ("quoted phrase", -word, or). SQLite: each word as a word or, from
        three letters on, the beginning of one; case and accents ignored. A query of only
        punctuation matches nothing.
        """
        if not query.strip():
            return self
        if not search_words(query):
            return self.none()
        return self.filter(TextMatch(query))

    def count_search(self, query: str, limit: int | None = None) -> int:
        """How many learnings `search(query)` finds; with `limit`, at most `limit` + 1.

        SQLite: from the FTS5 table, joined to these learnings. `id IN (SELECT rowid FROM
        learning_fts ...)`, as `search` has it, first collects every match (20,000 of 100,000
        learnings for a common word) and costs 4 ms; the join stops after `limit` + 1.
        """
        if connections[self.db].vendor != "sqlite" or not search_words(query):
            matches = self.search(query).order_by()
            return matches.count() if limit is None else matches[: limit + 1].count()
        try:
            ids = self.order_by().values("pk").query
            learnings, params = ids.get_compiler(using=self.db).as_sql()
        except EmptyResultSet:
            return 0
        sql = (
            "SELECT COUNT(*) FROM (SELECT 1 FROM learning_fts "
            f"JOIN ({learnings}) AS learning ON learning.pk = learning_fts.rowid "
            "WHERE learning_fts MATCH %s"
        )
        params = (*params, fts_match(query))
        if limit is not None:
            sql, params = sql + " LIMIT %s", (*params, limit + 1)
        with connections[self.db].cursor() as cursor:
            cursor.execute(sql + ")", params)
            return int(cursor.fetchone()[0])

    def search_inside_words(self, query: str) -> LearningQuerySet | None:
        """Every word of `query` anywhere in the text, also inside a longer word ("board" in
        "onboarding", "kunden" in "Bestandskunden"): the fallback when `search` finds nothing.

        PostgreSQL only, where a trigram index serves it, and only with a word of at least
        three letters (a trigram); None where it would read every learning.
        """
        words = search_words(query)
        if connections[self.db].vendor != "postgresql" or max(map(len, words), default=0) < 3:
            return None
        inside = models.Q()
        for word in words:
            inside &= models.Q(text__icontains=word)
        return self.filter(inside)

    def in_org(self, organization: Organization) -> LearningQuerySet:
        return self.filter(organization=organization)


class Learning(OrgOwned):
    """Something a team learned; searchable across the organisation."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="learnings")
    cycle = models.ForeignKey(
        Cycle, null=True, blank=True, on_delete=models.SET_NULL, related_name="learnings"
    )
    objective = models.ForeignKey(
        Objective, null=True, blank=True, on_delete=models.SET_NULL, related_name="learnings"
    )
    key_result = models.ForeignKey(
        KeyResult, null=True, blank=True, on_delete=models.SET_NULL, related_name="learnings"
    )
    # A string reference: check-ins write learnings, the library never needs check-ins.
    checkin = models.OneToOneField(
        "checkins.CheckIn", null=True, blank=True, on_delete=models.CASCADE, related_name="learning"
    )
    text = models.TextField(_("what we learned"))
    hypothesis_outcome = models.CharField(
        _("hypothesis outcome"), max_length=12, choices=Outcome.choices, blank=True
    )
    source = models.CharField(_("source"), max_length=14, choices=Source.choices)

    objects = LearningQuerySet.as_manager()

    class Meta:
        verbose_name = _("learning")
        ordering: ClassVar[list[str]] = ["-created_at"]
        indexes: ClassVar[list[models.Index]] = [
            # The library's order: a page of the newest learnings without a sort.
            models.Index(fields=["organization", "-created_at", "-id"], name="learning_org_newest")
        ]

    def __str__(self) -> str:
        return self.text[:60]

    def clean(self) -> None:
        self.require_same_organization("team", "cycle", "objective", "key_result", "checkin")
