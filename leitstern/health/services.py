"""Recording health readings: one per metric and day, a second one the same day corrects it."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from leitstern.health.models import HealthMetric, HealthReading


@dataclass(frozen=True)
class RecordedReading:
    """The reading as stored, and the value it replaced (None: the day had no reading yet)."""

    reading: HealthReading
    replaced_value: Decimal | None

    @property
    def replaced(self) -> bool:
        return self.replaced_value is not None


@transaction.atomic
def record_reading(
    *, metric: HealthMetric, value: Decimal, measured_on: datetime.date | None = None
) -> RecordedReading:
    """Record a metric's reading for a day; a second reading of the same day replaces the first.

    Says what it replaced, so the person can be told: nothing is overwritten silently. The
    day's row is locked while it changes, so two people correcting at once take turns.
    Readings are watched, never scored: nothing here compares metrics or teams.
    """
    day = measured_on or timezone.localdate()
    if day > timezone.localdate():
        raise ValidationError({"measured_on": _("A reading cannot be dated in the future.")})
    reading, created = HealthReading.objects.select_for_update().get_or_create(
        metric=metric,
        measured_on=day,
        defaults={"organization_id": metric.organization_id, "value": value},
    )
    if created:
        return RecordedReading(reading=reading, replaced_value=None)
    replaced_value = reading.value
    reading.value = value
    reading.save(update_fields=["value", "updated_at"])
    return RecordedReading(reading=reading, replaced_value=replaced_value)
