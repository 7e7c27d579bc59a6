"""`{% health_sparkline metric %}`: a small server-rendered SVG of a metric's recent readings."""

from __future__ import annotations

from typing import Any

from django import template

from leitstern.health.models import HealthMetric
from leitstern.lib.svg import sparkline

register = template.Library()

WIDTH, HEIGHT = 160, 36


@register.inclusion_tag("health/_sparkline.html")
def health_sparkline(metric: HealthMetric) -> dict[str, Any]:
    readings = metric.chronological_readings
    line = sparkline(
        [r.value for r in readings],
        width=WIDTH,
        height=HEIGHT,
        padding=3,
        include=(metric.healthy_min, metric.healthy_max),
    )
    band_y, band_height = line.band(metric.healthy_min, metric.healthy_max)
    return {
        "metric": metric,
        "readings": readings,
        "line": line,
        "band_y": band_y,
        "band_height": band_height,
    }
