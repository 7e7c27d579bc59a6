"""Speed benchmark of the OKR quality coach.

Reviews every key result of the development set many times and prints the
median and 95th percentile time per key result in milliseconds. Target: a
median under 2 ms on a 2-core machine. Run: ``python bench/coach_bench.py``.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from leitstern.coach import review_key_result
from leitstern.coach.evaluate import DEVSET, load


def measure(texts: list[tuple[str, str]], rounds: int) -> list[float]:
    """Return one timing in milliseconds per review."""
    timings = []
    for _ in range(rounds):
        for text, objective in texts:
            start = time.perf_counter()
            review_key_result(text, objective=objective or None)
            timings.append((time.perf_counter() - start) * 1000)
    return timings


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print its figures."""
    parser = argparse.ArgumentParser(prog="python bench/coach_bench.py")
    parser.add_argument("--rounds", type=int, default=20, help="reviews per key result")
    args = parser.parse_args(argv)
    texts = [(e.text, e.objective) for e in load(DEVSET)]
    measure(texts, 1)  # warm-up
    timings = sorted(measure(texts, args.rounds))
    p95 = timings[int(0.95 * (len(timings) - 1))]
    print(f"key results: {len(texts)}, reviews: {len(timings)}")
    print(f"median: {statistics.median(timings):.3f} ms per key result")
    print(f"p95:    {p95:.3f} ms per key result")
    print(f"max:    {timings[-1]:.3f} ms per key result")
    return 0


if __name__ == "__main__":
    sys.exit(main())
