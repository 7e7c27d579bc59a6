"""The security audit trail and the team psychological-safety pulse.

Both are designed so that the database itself cannot answer "what did person X do":
- AuditEvent keeps a keyed pseudonym of the actor, never a link or a name.
- PulseAnswer has no link to a person, no timestamp and a random primary key, so neither a
  join nor the insertion order ties an answer to a PulseParticipation row.
"""

from __future__ import annotations

import uuid
from typing import Any, ClassVar

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from leitstern.orgs.models import Membership, Organization, OrgOwned, Team


class AuditEvent(models.Model):
    """Who changed what, when — with the "who" replaced by a keyed pseudonym."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    action = models.CharField(_("action"), max_length=60)
    object_type = models.CharField(_("object type"), max_length=60, blank=True)
    object_uuid = models.UUIDField(_("object id"), null=True, blank=True)
    # HMAC of the person id (see services.pseudonym); stable within one organisation.
    actor = models.CharField(_("actor (pseudonym)"), max_length=32, blank=True)
    occurred_at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        verbose_name = _("audit event")
        ordering: ClassVar[list[str]] = ["-occurred_at"]
        indexes: ClassVar[list[Any]] = [models.Index(fields=["organization", "-occurred_at"])]

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d %H:%M} {self.action}"


class PulseRoundQuerySet(models.QuerySet["PulseRound"]):
    def open(self) -> PulseRoundQuerySet:
        return self.filter(closed_on__isnull=True)

    def closed(self) -> PulseRoundQuerySet:
        return self.filter(closed_on__isnull=False)


class PulseRound(OrgOwned):
    """One run of the psychological-safety questionnaire for one team."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="pulse_rounds")
    opened_on = models.DateField(_("opened on"), default=timezone.localdate)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    # The threshold promised when the round opened; lowering the organisation setting later
    # must not reveal a round whose participants were promised more company.
    min_responses = models.PositiveSmallIntegerField(
        _("minimum answers"), default=5, validators=[MinValueValidator(3)]
    )

    objects = PulseRoundQuerySet.as_manager()

    class Meta:
        verbose_name = _("pulse round")
        ordering: ClassVar[list[str]] = ["opened_on", "created_at"]
        constraints: ClassVar[list[Any]] = [
            models.UniqueConstraint(
                fields=["team"],
                condition=models.Q(closed_on__isnull=True),
                name="pulse_one_open_round_per_team",
                violation_error_message=_("This team already has an open pulse round."),
            ),
            models.CheckConstraint(
                condition=models.Q(min_responses__gte=3),
                name="pulse_round_threshold_at_least_3",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.team} {self.opened_on}"

    def clean(self) -> None:
        self.require_same_organization("team")

    @property
    def is_open(self) -> bool:
        return self.closed_on is None


class PulseParticipation(models.Model):
    """That a member answered a round — and nothing about what they answered."""

    # Random keys and no timestamp: row order says nothing about when someone answered.
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    round = models.ForeignKey(PulseRound, on_delete=models.CASCADE, related_name="participations")
    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints: ClassVar[list[Any]] = [
            models.UniqueConstraint(
                fields=["round", "membership"],
                name="pulse_answer_once_per_round",
                violation_error_message=_("You have already answered this pulse round."),
            )
        ]

    def __str__(self) -> str:
        return "participation"  # deliberately says nothing about who


class PulseAnswer(models.Model):
    """One anonymous rating of one item. No person, no time, no submission grouping."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    round = models.ForeignKey(PulseRound, on_delete=models.CASCADE, related_name="answers")
    item = models.CharField(_("item"), max_length=30)
    value = models.PositiveSmallIntegerField(
        _("answer (1–5)"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )

    class Meta:
        # Ordered by the random key, never by insertion.
        ordering: ClassVar[list[str]] = ["id"]
        constraints: ClassVar[list[Any]] = [
            models.CheckConstraint(
                condition=models.Q(value__gte=1, value__lte=5),
                name="pulse_answer_1_to_5",
                violation_error_message=_("Answers are on a scale from 1 to 5."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.item}: {self.value}"
