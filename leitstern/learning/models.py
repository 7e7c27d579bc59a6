"""Retrospectives and the organisation-wide learning library.

Check-ins (one app to the right) write learnings here; this app never imports them.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.db import connections, models
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
# and "Kunden" finds "Kunde". A substring match stays as a fallback for partial words.
SEARCH_CONFIGS = ("english", "german")


class LearningQuerySet(models.QuerySet["Learning"]):
    def search(self, query: str) -> LearningQuerySet:
        """Learnings whose text matches `query`; the whole queryset for an empty query.

        PostgreSQL: full-text search (English and German stemming) or a substring match.
        Other databases (SQLite): a case-insensitive substring match.
        """
        query = query.strip()
        if not query:
            return self
        match = models.Q(text__icontains=query)
        if connections[self.db].vendor != "postgresql":
            # Every word somewhere in the text, not only the exact phrase.
            words = models.Q()
            for word in query.split()[:10]:
                words &= models.Q(text__icontains=word)
            return self.filter(match | words)
        from django.contrib.postgres.search import SearchQuery, SearchVector

        queryset = self
        for config in SEARCH_CONFIGS:
            queryset = queryset.alias(**{f"fts_{config}": SearchVector("text", config=config)})
            match |= models.Q(
                **{f"fts_{config}": SearchQuery(query, config=config, search_type="websearch")}
            )
        return queryset.filter(match)

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

    def __str__(self) -> str:
        return self.text[:60]

    def clean(self) -> None:
        self.require_same_organization("team", "cycle", "objective", "key_result", "checkin")
