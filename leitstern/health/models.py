"""Health metrics: business-as-usual indicators kept apart from OKRs and never scored."""

from __future__ import annotations

from typing import Any, ClassVar

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from leitstern.orgs.models import Organization, OrgOwned, Team

RECENT_READINGS = 12


class HealthMetricQuerySet(models.QuerySet["HealthMetric"]):
    def in_org(self, organization: Organization) -> HealthMetricQuerySet:
        return self.filter(organization=organization)

    def of_team(self, team: Team) -> HealthMetricQuerySet:
        return self.filter(team=team)

    def org_wide(self) -> HealthMetricQuerySet:
        return self.filter(team__isnull=True)

    def with_recent_readings(self, limit: int = RECENT_READINGS) -> HealthMetricQuerySet:
        """Attach `recent_readings` (newest first, at most `limit`): two queries in total.

        `metric.latest_reading` and `metric.sparkline_values` read from it.
        """
        recent = HealthReading.objects.order_by("-measured_on")[:limit]
        return self.prefetch_related(
            models.Prefetch("readings", queryset=recent, to_attr="recent_readings")
        )


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

    objects = HealthMetricQuerySet.as_manager()

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

    def _recent(self) -> list[HealthReading]:
        recent = getattr(self, "recent_readings", None)
        if recent is None:  # not prefetched: fall back to one query
            recent = list(self.readings.order_by("-measured_on")[:RECENT_READINGS])
        return recent

    @property
    def latest_reading(self) -> HealthReading | None:
        recent = self._recent()
        return recent[0] if recent else None

    @property
    def latest_is_healthy(self) -> bool | None:
        latest = self.latest_reading
        return None if latest is None else self.is_healthy(latest.value)

    @property
    def chronological_readings(self) -> list[HealthReading]:
        return list(reversed(self._recent()))


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
