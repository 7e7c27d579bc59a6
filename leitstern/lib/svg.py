"""Tiny helpers for server-rendered SVG charts (no Django, no domain words).

A chart here is a list of numbers mapped into a box of `width` × `height` user units,
y growing downwards as in SVG. Templates draw the result with `<polyline points=…>`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

Number = float | int | Decimal


@dataclass(frozen=True)
class LinearScale:
    """Maps a numeric domain linearly onto a pixel range; a flat domain maps to the middle."""

    domain_min: float
    domain_max: float
    range_min: float
    range_max: float

    def __call__(self, value: Number) -> float:
        span = self.domain_max - self.domain_min
        if span == 0:
            return round((self.range_min + self.range_max) / 2, 2)
        ratio = (float(value) - self.domain_min) / span
        return round(self.range_min + ratio * (self.range_max - self.range_min), 2)


@dataclass(frozen=True)
class Sparkline:
    """Points of a line chart plus the scales, so callers can place extra marks (bands, lines)."""

    coords: tuple[tuple[float, float], ...]
    x: LinearScale
    y: LinearScale
    width: float
    height: float

    @property
    def points(self) -> str:
        """The `points` attribute of an SVG `<polyline>`."""
        return " ".join(f"{_fmt(px)},{_fmt(py)}" for px, py in self.coords)

    @property
    def last(self) -> tuple[float, float] | None:
        return self.coords[-1] if self.coords else None

    @property
    def view_box(self) -> str:
        return f"0 0 {_fmt(self.width)} {_fmt(self.height)}"

    def band(self, low: Number | None, high: Number | None) -> tuple[float, float]:
        """Top y and height of a horizontal band between `low` and `high` (open ends = edge)."""
        top = self.y(high) if high is not None else 0.0
        bottom = self.y(low) if low is not None else float(self.height)
        top, bottom = max(0.0, min(top, bottom)), min(float(self.height), max(top, bottom))
        return round(top, 2), round(bottom - top, 2)


def sparkline(
    values: Sequence[Number],
    *,
    width: float,
    height: float,
    padding: float = 2.0,
    xs: Sequence[Number] | None = None,
    include: Iterable[Number | None] = (),
) -> Sparkline:
    """Map `values` (oldest first) into a `width` × `height` box.

    `xs` gives x positions (e.g. day numbers); without it values are evenly spaced.
    `include` widens the y domain so reference values (a target, a range) stay in view.
    """
    if xs is not None and len(xs) != len(values):
        raise ValueError("xs and values must have the same length")
    ys = [float(v) for v in values]
    extra = [float(v) for v in include if v is not None]
    positions = [float(v) for v in xs] if xs is not None else [float(i) for i in range(len(ys))]
    y_domain = ys + extra or [0.0]
    x_domain = positions or [0.0]
    x_scale = LinearScale(min(x_domain), max(x_domain), padding, width - padding)
    # Larger values sit higher, so the pixel range runs from the bottom edge up.
    y_scale = LinearScale(min(y_domain), max(y_domain), height - padding, padding)
    coords = tuple((x_scale(px), y_scale(py)) for px, py in zip(positions, ys, strict=True))
    return Sparkline(coords=coords, x=x_scale, y=y_scale, width=width, height=height)


def _fmt(number: float) -> str:
    """Compact, locale-independent number text for SVG attributes."""
    text = f"{number:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text
