"""Weekly check-ins, the problems they raise and the help other teams offer.

A check-in belongs to its team through the key result. No person is stored on a
check-in. Problems and help offers may carry a display name only when the
organisation's attribution setting asks for it — as text, never as a link to a
person, so nothing can count per person.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from leitstern.okrs.models import KeyResult, LeadingIndicator
from leitstern.orgs.models import OrgOwned, Team


class CheckIn(OrgOwned):
    key_result = models.ForeignKey(KeyResult, on_delete=models.CASCADE, related_name="checkins")
    # Monday of the week the check-in counts for; one check-in per key result and week.
    week = models.DateField(_("week"))
    checked_on = models.DateField(_("date"))
    value = models.DecimalField(_("value"), max_digits=16, decimal_places=4)
    confidence = models.PositiveSmallIntegerField(
        _("confidence (0–10)"), validators=[MaxValueValidator(10)]
    )
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("check-in")
        ordering: ClassVar[list[str]] = ["-week"]
        constraints: ClassVar[list[Any]] = [
            models.UniqueConstraint(
                fields=["key_result", "week"],
                name="checkin_once_per_week",
                violation_error_message=_("This key result already has a check-in for that week."),
            ),
            models.CheckConstraint(
                condition=models.Q(confidence__lte=10),
                name="checkin_confidence_0_10",
                violation_error_message=_("Confidence is a number from 0 to 10."),
            ),
        ]
        indexes: ClassVar[list[Any]] = [models.Index(fields=["key_result", "-week"])]

    def __str__(self) -> str:
        return f"{self.key_result} @ {self.week}"


class IndicatorValue(OrgOwned):
    checkin = models.ForeignKey(CheckIn, on_delete=models.CASCADE, related_name="indicator_values")
    indicator = models.ForeignKey(LeadingIndicator, on_delete=models.CASCADE, related_name="values")
    value = models.DecimalField(_("value"), max_digits=16, decimal_places=4)

    class Meta:
        constraints: ClassVar[list[Any]] = [
            models.UniqueConstraint(fields=["checkin", "indicator"], name="indicator_value_once")
        ]


class ProblemStatus(models.TextChoices):
    OPEN = "open", _("Open")
    RESOLVED = "resolved", _("Resolved")


class ProblemQuerySet(models.QuerySet["Problem"]):
    def open(self) -> ProblemQuerySet:
        return self.filter(status=ProblemStatus.OPEN)


class Problem(OrgOwned):
    """A visible problem raised in a check-in: an invitation for help, not a warning."""

    checkin = models.OneToOneField(CheckIn, on_delete=models.CASCADE, related_name="problem")
    key_result = models.ForeignKey(KeyResult, on_delete=models.CASCADE, related_name="problems")
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="problems")
    text = models.TextField(_("problem"))
    status = models.CharField(
        _("status"), max_length=10, choices=ProblemStatus.choices, default=ProblemStatus.OPEN
    )
    resolved_at = models.DateTimeField(null=True, blank=True)
    signed_as = models.CharField(_("written by"), max_length=150, blank=True)

    objects = ProblemQuerySet.as_manager()

    class Meta:
        verbose_name = _("problem")
        ordering: ClassVar[list[str]] = ["-created_at"]
        # Boards list the newest open problems first: the index returns them in that order.
        indexes: ClassVar[list[Any]] = [
            models.Index(fields=["organization", "status", "-created_at"], name="problem_board_idx")
        ]

    def __str__(self) -> str:
        return self.text[:60]


class HelpOffer(OrgOwned):
    problem = models.ForeignKey(Problem, on_delete=models.CASCADE, related_name="help_offers")
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="help_offers")
    message = models.TextField(_("how we can help"))
    signed_as = models.CharField(_("written by"), max_length=150, blank=True)

    class Meta:
        verbose_name = _("help offer")
        ordering: ClassVar[list[str]] = ["created_at"]

    def __str__(self) -> str:
        return self.message[:60]
