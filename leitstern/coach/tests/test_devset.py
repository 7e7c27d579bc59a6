"""The development set stays well-formed and the coach stays above an accuracy floor."""

from __future__ import annotations

from collections import Counter

from leitstern.coach.evaluate import DEVSET, load, report, score
from leitstern.coach.kinds import KINDS


def test_devset_is_large_balanced_and_bilingual() -> None:
    examples = load(DEVSET)
    assert len(examples) >= 400
    labels = Counter(e.label for e in examples)
    assert set(labels) == set(KINDS)
    assert 0.30 <= labels["outcome"] / len(examples) <= 0.40
    langs = Counter(e.lang for e in examples)
    assert abs(langs["de"] - langs["en"]) <= 0.1 * len(examples)
    assert sum(e.split.startswith("heldout") for e in examples) >= 100


def test_accuracy_floor() -> None:
    scores = score(load(DEVSET))
    assert scores.accuracy >= 0.85
    assert scores.outcome_accuracy >= 0.90
    assert scores.lang_accuracy >= 0.95


def test_report_has_the_figures() -> None:
    text = report(load(DEVSET))
    assert "five-class accuracy" in text and "Held-out part A" in text and "part B" in text
    assert "| label \\ coach |" in text
