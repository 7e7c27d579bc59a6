"""Recording health readings: one per metric and day, a second one the same day corrects it."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from leitstern.health.models import HealthMetric, HealthReading


@transaction.atomic
def record_reading(
    *, metric: HealthMetric, value: Decimal, measured_on: datetime.date | None = None
) -> HealthReading:
    """Record a metric's reading for a day; a second reading of the same day replaces the first.

    Readings are watched, never scored: nothing here compares metrics or teams.
    """
    day = measured_on or timezone.localdate()
    if day > timezone.localdate():
        raise ValidationError({"measured_on": _("A reading cannot be dated in the future.")})
    reading, _created = HealthReading.objects.update_or_create(
        metric=metric,
        measured_on=day,
        defaults={"organization_id": metric.organization_id, "value": value},
    )
    return reading
