"""Progress of an outcome hypothesis between a baseline and a target (no Django)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class Progress:
    """How far the current value has moved from baseline towards target.

    `ratio` is unclamped: below 0 means the metric moved away from the target,
    above 1 means over-achievement. Screens show `percent` (clamped 0–100) and
    state `over_percent` separately.
    """

    ratio: float | None

    @property
    def known(self) -> bool:
        return self.ratio is not None

    @property
    def percent(self) -> int | None:
        if self.ratio is None:
            return None
        return round(min(max(self.ratio, 0.0), 1.0) * 100)

    @property
    def over_percent(self) -> int:
        if self.ratio is None or self.ratio <= 1.0:
            return 0
        return round((self.ratio - 1.0) * 100)


def metric_progress(baseline: Decimal, target: Decimal, current: Decimal | None) -> Progress:
    """(current − baseline) / (target − baseline); works for decreasing metrics too."""
    if current is None or baseline == target:
        return Progress(None)
    return Progress(float((current - baseline) / (target - baseline)))


# Ordinal levels: 0 below commit, 1 commit reached, 2 target reached, 3 stretch reached.
ORDINAL_RATIOS = {0: 0.0, 1: 0.5, 2: 1.0, 3: 1.5}


def ordinal_progress(level: int | None) -> Progress:
    """Progress of a key result described by levels in words rather than a number."""
    if level is None or int(level) not in ORDINAL_RATIOS:
        return Progress(None)
    return Progress(ORDINAL_RATIOS[int(level)])
