"""The leadership frame: vision, purpose, mid-term goals (MOALs) and strategy time."""

from __future__ import annotations

from typing import Any, ClassVar

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from leitstern.orgs.models import Organization, OrgOwned, Team


class Frame(models.Model):
    """Vision and purpose of an organisation: the orientation above all OKRs."""

    organization = models.OneToOneField(
        Organization, on_delete=models.CASCADE, primary_key=True, related_name="frame"
    )
    vision = models.TextField(_("vision"), blank=True)
    purpose = models.TextField(_("purpose"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Frame of {self.organization}"


class MoalQuerySet(models.QuerySet["Moal"]):
    def active(self) -> MoalQuerySet:
        return self.filter(archived=False)


class Moal(OrgOwned):
    """A mid-term goal (1–3 years) that team objectives may contribute to."""

    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    horizon = models.DateField(_("by when"), null=True, blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    archived = models.BooleanField(_("archived"), default=False)

    objects = MoalQuerySet.as_manager()

    class Meta:
        verbose_name = _("mid-term goal (MOAL)")
        verbose_name_plural = _("mid-term goals (MOALs)")
        ordering: ClassVar[list[str]] = ["position", "title"]

    def __str__(self) -> str:
        return self.title


class StrategyTime(OrgOwned):
    """A team's declared protected time for OKR work, set by the team itself."""

    team = models.OneToOneField(Team, on_delete=models.CASCADE, related_name="strategy_time")
    hours_per_week = models.DecimalField(
        _("hours per week"),
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(60)],
    )
    slot = models.CharField(
        _("fixed slot"), max_length=120, blank=True, help_text=_("e.g. Tuesdays 9–11")
    )

    class Meta:
        verbose_name = _("strategy time")
        constraints: ClassVar[list[Any]] = [
            models.CheckConstraint(
                condition=models.Q(hours_per_week__isnull=True)
                | models.Q(hours_per_week__gte=0, hours_per_week__lte=60),
                name="strategy_time_hours_range",
                violation_error_message=_("Hours per week must be between 0 and 60."),
            )
        ]

    def __str__(self) -> str:
        return f"Strategy time of {self.team}"

    def clean(self) -> None:
        self.require_same_organization("team")
        if self.hours_per_week is None and not self.slot.strip():
            raise ValidationError(_("Give hours per week, a fixed slot, or both."))
