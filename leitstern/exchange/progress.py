"""A small terminal progress bar on standard error, shown only when that is a terminal."""

from __future__ import annotations

from typing import TextIO

MIN_ITEMS = 20  # short runs finish before a bar would help


class ProgressBar:
    def __init__(self, label: str, stream: TextIO, *, width: int = 30) -> None:
        self.label, self.stream, self.width = label, stream, width
        self.enabled = bool(getattr(stream, "isatty", lambda: False)())
        self._last = -1

    def __call__(self, done: int, total: int) -> None:
        if not self.enabled or total < MIN_ITEMS:
            return
        filled = self.width * done // total
        if filled == self._last and done != total:
            return
        self._last = filled
        bar = "█" * filled + "·" * (self.width - filled)
        self.stream.write(f"\r{self.label} {bar} {done}/{total}")
        if done == total:
            self.stream.write("\n")
        self.stream.flush()
