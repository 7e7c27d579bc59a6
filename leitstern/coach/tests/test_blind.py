"""The blind sets stay well-formed and the coach stays above an accuracy floor on them.

The blind sets were written without looking at the coach's rules (docs/coach.md,
"Blind evaluation"); do not tune rules on ``coach_blind2.jsonl``.
"""

from __future__ import annotations

from collections import Counter

import pytest

from leitstern.coach.evaluate import BLIND_SETS, blind_report, load, main, score
from leitstern.coach.kinds import KINDS


@pytest.mark.parametrize(("path", "size"), [(BLIND_SETS[0][0], 160), (BLIND_SETS[1][0], 60)])
def test_blind_set_is_bilingual_and_covers_every_class(path, size) -> None:
    examples = load(path)
    assert len(examples) == size
    assert set(Counter(e.label for e in examples)) == set(KINDS)
    langs = Counter(e.lang for e in examples)
    assert langs["de"] == langs["en"]


@pytest.mark.parametrize("path", [path for path, _ in BLIND_SETS])
def test_blind_accuracy_floor(path) -> None:
    scores = score(load(path))
    assert scores.accuracy >= 0.80
    assert scores.outcome_accuracy >= 0.90


def test_report_includes_the_blind_sets(capsys) -> None:
    assert "Blind set 2" in blind_report()
    assert main(["--file", str(BLIND_SETS[1][0])]) == 0
    assert "five-class accuracy" in capsys.readouterr().out
