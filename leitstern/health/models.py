"""Health metrics: business-as-usual indicators kept apart from OKRs and never scored."""

from __future__ import annotations

from typing import Any, ClassVar

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from leitstern.orgs.models import OrgOwned, Team


class HealthMetric(OrgOwned):
    team = models.ForeignKey(
        Team,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="health_metrics",
        help_text=_("Leave empty for an organisation-wide metric."),
    )
    name = models.CharField(_("health metric"), max_length=200)
    description = models.TextField(_("why we watch it"), blank=True)
    unit = models.CharField(_("unit"), max_length=40, blank=True)
    healthy_min = models.DecimalField(
        _("healthy from"), max_digits=16, decimal_places=4, null=True, blank=True
    )
    healthy_max = models.DecimalField(
        _("healthy up to"), max_digits=16, decimal_places=4, null=True, blank=True
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("health metric")
        ordering: ClassVar[list[str]] = ["position", "name"]
        constraints: ClassVar[list[Any]] = [
            models.CheckConstraint(
                condition=models.Q(healthy_min__isnull=True)
                | models.Q(healthy_max__isnull=True)
                | models.Q(healthy_min__lte=models.F("healthy_max")),
                name="health_range_ordered",
                violation_error_message=_("The healthy range must start below where it ends."),
            )
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        self.require_same_organization("team")
        if self.healthy_min is None and self.healthy_max is None:
            raise ValidationError(
                _("Give the healthy range: a lower bound, an upper bound or both.")
            )

    def is_healthy(self, value: Any) -> bool:
        low_ok = self.healthy_min is None or value >= self.healthy_min
        high_ok = self.healthy_max is None or value <= self.healthy_max
        return low_ok and high_ok


class HealthReading(OrgOwned):
    metric = models.ForeignKey(HealthMetric, on_delete=models.CASCADE, related_name="readings")
    measured_on = models.DateField(_("measured on"))
    value = models.DecimalField(_("value"), max_digits=16, decimal_places=4)

    class Meta:
        ordering: ClassVar[list[str]] = ["-measured_on"]
        constraints: ClassVar[list[Any]] = [
            models.UniqueConstraint(
                fields=["metric", "measured_on"],
                name="health_reading_once_per_day",
                violation_error_message=_("This metric already has a reading for that day."),
            )
        ]

    def clean(self) -> None:
        self.require_same_organization("metric")
