"""Server-rendered SVG geometry for a key result: value over time against the plan line.

Returns numbers for the template to draw; no JavaScript, no chart library.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

WIDTH, HEIGHT, PAD = 600, 220, 28


@dataclass(frozen=True)
class Point:
    x: float
    y: float


@dataclass
class KeyResultChart:
    width: int = WIDTH
    height: int = HEIGHT
    plan: tuple[Point, Point] | None = None
    values: list[Point] = field(default_factory=list)
    confidence: list[Point] = field(default_factory=list)
    y_labels: list[tuple[float, str]] = field(default_factory=list)

    @property
    def values_path(self) -> str:
        return " ".join(f"{p.x:.1f},{p.y:.1f}" for p in self.values)

    @property
    def confidence_path(self) -> str:
        return " ".join(f"{p.x:.1f},{p.y:.1f}" for p in self.confidence)


def _x(day: datetime.date, start: datetime.date, end: datetime.date) -> float:
    span = max((end - start).days, 1)
    return PAD + (WIDTH - 2 * PAD) * min(max((day - start).days / span, 0.0), 1.0)


def key_result_chart(
    *,
    start: datetime.date,
    end: datetime.date,
    baseline: Decimal,
    target: Decimal,
    points: Sequence[tuple[datetime.date, Decimal, int]],
) -> KeyResultChart:
    """Geometry for values (date, value, confidence) between a cycle's start and end."""
    numbers = [float(baseline), float(target), *(float(v) for _d, v, _c in points)]
    low, high = min(numbers), max(numbers)
    if high == low:
        high = low + 1

    def y(value: float) -> float:
        return HEIGHT - PAD - (HEIGHT - 2 * PAD) * (value - low) / (high - low)

    chart = KeyResultChart(
        plan=(
            Point(_x(start, start, end), y(float(baseline))),
            Point(_x(end, start, end), y(float(target))),
        ),
    )
    chart.values = [Point(_x(d, start, end), y(float(v))) for d, v, _c in points]
    # Confidence 0–10 drawn on the same width, scaled to the plot height.
    chart.confidence = [
        Point(_x(d, start, end), HEIGHT - PAD - (HEIGHT - 2 * PAD) * c / 10) for d, _v, c in points
    ]
    chart.y_labels = [(y(float(baseline)), _fmt(baseline)), (y(float(target)), _fmt(target))]
    return chart


def _fmt(value: Decimal) -> str:
    return f"{value.normalize():f}"
