"""Cycles, objectives, key results (outcome hypotheses) and leading indicators.

No field here refers to a person: objectives belong to a team, and so does
everything below them.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any, ClassVar

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from leitstern.frame.models import Moal
from leitstern.lib.progress import Progress, metric_progress, ordinal_progress
from leitstern.orgs.models import OrgOwned, Team


class Phase(models.TextChoices):
    PLANNING = "planning", _("Planning")
    RUNNING = "running", _("Running")
    REFLECTING = "reflecting", _("Reflecting")
    CLOSED = "closed", _("Closed")


PHASE_ORDER = [Phase.PLANNING, Phase.RUNNING, Phase.REFLECTING, Phase.CLOSED]


class CycleQuerySet(models.QuerySet["Cycle"]):
    def containing(self, day: datetime.date) -> CycleQuerySet:
        return self.filter(starts_on__lte=day, ends_on__gte=day)

    def overlapping(self, starts_on: datetime.date, ends_on: datetime.date) -> CycleQuerySet:
        return self.filter(starts_on__lte=ends_on, ends_on__gte=starts_on)

    def current(self) -> Cycle | None:
        """The cycle people work in now: running or reflecting, else planning, else the last."""
        active = self.filter(phase__in=[Phase.RUNNING, Phase.REFLECTING]).order_by("-starts_on")
        return (
            active.first()
            or self.filter(phase=Phase.PLANNING).order_by("starts_on").first()
            or self.order_by("-starts_on").first()
        )


class Cycle(OrgOwned):
    """A time box, usually a quarter, moving forward through its phases."""

    name = models.CharField(_("name"), max_length=80)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    phase = models.CharField(
        _("phase"), max_length=12, choices=Phase.choices, default=Phase.PLANNING
    )

    objects = CycleQuerySet.as_manager()

    class Meta:
        verbose_name = _("cycle")
        ordering: ClassVar[list[str]] = ["-starts_on"]
        constraints: ClassVar[list[Any]] = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gt=models.F("starts_on")),
                name="cycle_ends_after_start",
                violation_error_message=_("A cycle must end after it starts."),
            ),
            models.UniqueConstraint(
                fields=["organization", "name"],
                name="cycle_name_unique_per_org",
                violation_error_message=_("Another cycle of this organisation has this name."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if not (self.starts_on and self.ends_on and self.organization_id):
            return
        others = Cycle.objects.filter(organization_id=self.organization_id).exclude(pk=self.pk)
        clash = others.overlapping(self.starts_on, self.ends_on).first()
        if clash is not None:
            raise ValidationError(
                _(
                    "This cycle overlaps with “%(name)s” (%(start)s – %(end)s). Cycles of one "
                    "organisation follow each other without overlap."
                )
                % {"name": clash.name, "start": clash.starts_on, "end": clash.ends_on}
            )

    def phase_index(self) -> int:
        return PHASE_ORDER.index(Phase(self.phase))

    def accepts_checkins(self) -> bool:
        return self.phase in (Phase.RUNNING, Phase.REFLECTING)


class ObjectiveKind(models.TextChoices):
    COMMITTED = "committed", _("Committed")
    ASPIRATIONAL = "aspirational", _("Aspirational")


class ObjectiveStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    COMMITTED = "committed", _("Committed by the team")
    CLOSED = "closed", _("Closed")
    DROPPED = "dropped", _("Dropped")


class ObjectiveQuerySet(models.QuerySet["Objective"]):
    def in_cycle(self, cycle: Cycle) -> ObjectiveQuerySet:
        return self.filter(cycle=cycle)

    def of_team(self, team: Team) -> ObjectiveQuerySet:
        return self.filter(team=team)

    def live(self) -> ObjectiveQuerySet:
        return self.exclude(status=ObjectiveStatus.DROPPED)


class Objective(OrgOwned):
    """A qualitative, inspiring goal owned by exactly one team."""

    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="objectives")
    cycle = models.ForeignKey(Cycle, on_delete=models.PROTECT, related_name="objectives")
    title = models.CharField(_("objective"), max_length=200)
    why = models.TextField(_("why this matters now"), blank=True)
    open_questions = models.TextField(_("open questions (what we do not know yet)"), blank=True)
    kind = models.CharField(
        _("kind"), max_length=12, choices=ObjectiveKind.choices, default=ObjectiveKind.COMMITTED
    )
    status = models.CharField(
        _("status"), max_length=10, choices=ObjectiveStatus.choices, default=ObjectiveStatus.DRAFT
    )
    committed_at = models.DateTimeField(_("committed at"), null=True, blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    carried_over_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="carried_into"
    )
    moals = models.ManyToManyField(
        Moal, blank=True, related_name="objectives", verbose_name=_("contributes to MOALs")
    )
    contributes_to = models.ManyToManyField(
        "self",
        through="Contribution",
        symmetrical=False,
        related_name="contributors",
        blank=True,
        verbose_name=_("contributes to objectives"),
    )

    objects = ObjectiveQuerySet.as_manager()

    class Meta:
        verbose_name = _("objective")
        ordering: ClassVar[list[str]] = ["position", "created_at"]
        indexes: ClassVar[list[Any]] = [models.Index(fields=["cycle", "team"])]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        self.require_same_organization("team", "cycle", "carried_over_from")


class Contribution(OrgOwned):
    """Objective → objective alignment across teams (contribution, not cascade)."""

    source = models.ForeignKey(Objective, on_delete=models.CASCADE, related_name="+")
    target = models.ForeignKey(Objective, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints: ClassVar[list[Any]] = [
            models.UniqueConstraint(
                fields=["source", "target"],
                name="contribution_once",
                violation_error_message=_("This objective already contributes to that one."),
            ),
            models.CheckConstraint(
                condition=~models.Q(source=models.F("target")),
                name="contribution_not_to_itself",
                violation_error_message=_("An objective cannot contribute to itself."),
            ),
        ]

    def clean(self) -> None:
        self.require_same_organization("source", "target")


class HypothesisStatus(models.TextChoices):
    UNTESTED = "untested", _("Untested")
    SUPPORTED = "supported", _("Supported")
    REFUTED = "refuted", _("Refuted")
    INCONCLUSIVE = "inconclusive", _("Inconclusive")


class KeyResultKind(models.TextChoices):
    METRIC = "metric", _("Metric: baseline → target")
    ORDINAL = "ordinal", _("Levels described in words")


class OrdinalLevel(models.IntegerChoices):
    BELOW = 0, _("Not yet at the commit level")
    COMMIT = 1, _("Commit level reached")
    TARGET = 2, _("Target level reached")
    STRETCH = 3, _("Stretch level reached")


def progress_of(
    kind: str, baseline: Decimal | None, target: Decimal | None, current: Decimal | None
) -> Progress:
    """A key result's progress from its values: also for rows read without a model instance."""
    if kind != KeyResultKind.METRIC:
        return ordinal_progress(None if current is None else int(current))
    assert baseline is not None and target is not None
    return metric_progress(baseline, target, current)


class KeyResult(OrgOwned):
    """An outcome hypothesis: what change we expect to see, measured from baseline to target."""

    objective = models.ForeignKey(Objective, on_delete=models.CASCADE, related_name="key_results")
    title = models.CharField(_("key result"), max_length=300)
    hypothesis = models.TextField(
        _("hypothesis"), blank=True, help_text=_("We believe … We will see it in …")
    )
    hypothesis_status = models.CharField(
        _("hypothesis status"),
        max_length=12,
        choices=HypothesisStatus.choices,
        default=HypothesisStatus.UNTESTED,
    )
    hypothesis_evidence = models.TextField(_("evidence"), blank=True)
    kind = models.CharField(
        _("kind"), max_length=8, choices=KeyResultKind.choices, default=KeyResultKind.METRIC
    )
    unit = models.CharField(_("unit"), max_length=40, blank=True)
    baseline = models.DecimalField(
        _("baseline"), max_digits=16, decimal_places=4, null=True, blank=True
    )
    target = models.DecimalField(
        _("target"), max_digits=16, decimal_places=4, null=True, blank=True
    )
    commit_level = models.CharField(_("commit level"), max_length=300, blank=True)
    target_level = models.CharField(_("target level"), max_length=300, blank=True)
    stretch_level = models.CharField(_("stretch level"), max_length=300, blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    # Derived from the latest check-in; written only by checkins.services in one transaction.
    current_value = models.DecimalField(max_digits=16, decimal_places=4, null=True, blank=True)
    current_confidence = models.PositiveSmallIntegerField(null=True, blank=True)
    last_checkin_on = models.DateField(null=True, blank=True)

    class Meta:
        verbose_name = _("key result")
        ordering: ClassVar[list[str]] = ["position", "created_at"]
        constraints: ClassVar[list[Any]] = [
            models.CheckConstraint(
                condition=models.Q(kind="ordinal")
                | models.Q(baseline__isnull=False, target__isnull=False),
                name="kr_metric_has_baseline_and_target",
                violation_error_message=_("A metric key result needs a baseline and a target."),
            ),
            models.CheckConstraint(
                condition=models.Q(kind="ordinal") | ~models.Q(baseline=models.F("target")),
                name="kr_baseline_differs_from_target",
                violation_error_message=_(
                    "Baseline and target are the same: the key result would describe no change. "
                    "If the aim is to keep a level, it belongs in the health metrics."
                ),
            ),
            models.CheckConstraint(
                condition=models.Q(kind="metric") | ~models.Q(target_level=""),
                name="kr_ordinal_has_target_level",
                violation_error_message=_("Describe at least the target level in words."),
            ),
            models.CheckConstraint(
                condition=models.Q(current_confidence__isnull=True)
                | models.Q(current_confidence__lte=10),
                name="kr_current_confidence_0_10",
                violation_error_message=_("Confidence is a number from 0 to 10."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        self.require_same_organization("objective")

    @property
    def is_metric(self) -> bool:
        return self.kind == KeyResultKind.METRIC

    def progress(self) -> Progress:
        return progress_of(self.kind, self.baseline, self.target, self.current_value)

    def is_stale(self, today: datetime.date, days: int = 14) -> bool:
        """No check-in for `days` days: a prompt to the team, not a blame."""
        reference = self.last_checkin_on or self.created_at.date()
        return (today - reference).days >= days

    def validate_value(self, value: Decimal | None) -> None:
        if value is None:
            raise ValidationError({"value": _("Enter the current value.")})
        if not self.is_metric and value not in {Decimal(level) for level in OrdinalLevel.values}:
            raise ValidationError({"value": _("Choose one of the described levels.")})


class LeadingIndicator(OrgOwned):
    """An early signal tracked alongside a key result, ideally a behaviour of the target group."""

    key_result = models.ForeignKey(
        KeyResult, on_delete=models.CASCADE, related_name="leading_indicators"
    )
    name = models.CharField(_("leading indicator"), max_length=200)
    unit = models.CharField(_("unit"), max_length=40, blank=True)
    baseline = models.DecimalField(
        _("baseline"), max_digits=16, decimal_places=4, null=True, blank=True
    )
    target = models.DecimalField(
        _("target"), max_digits=16, decimal_places=4, null=True, blank=True
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("leading indicator")
        ordering: ClassVar[list[str]] = ["position", "created_at"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        self.require_same_organization("key_result")


class Revision(OrgOwned):
    """A change of an objective's or key result's wording, attributed to the team.

    Keeps the history honest ("stealth mid-cycle changes" are an OKR anti-pattern)
    without recording which person changed what.
    """

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="+")
    objective = models.ForeignKey(Objective, on_delete=models.CASCADE, related_name="revisions")
    key_result = models.ForeignKey(
        KeyResult, null=True, blank=True, on_delete=models.CASCADE, related_name="revisions"
    )
    field = models.CharField(max_length=40)
    old = models.TextField(blank=True)
    new = models.TextField(blank=True)

    class Meta:
        ordering: ClassVar[list[str]] = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.field}: {self.old[:30]} → {self.new[:30]}"

    def field_label(self) -> str:
        model = KeyResult if self.key_result_id else Objective
        return str(getattr(model._meta.get_field(self.field), "verbose_name", self.field))
