"""Leitstern's OKR quality coach: pure Python, German and English, no Django.

Use :func:`review_key_result`, :func:`review_objective` and
:func:`review_team_cycle`. Each returns a frozen dataclass with ``to_dict()``.
The five kinds of key result and every finding code are explained in
``docs/coach.md``; word lists live in :mod:`leitstern.coach.wordlists`.
"""

from __future__ import annotations

from leitstern.coach.kinds import KINDS, Classification, classify
from leitstern.coach.lang import detect_language
from leitstern.coach.messages import CODES
from leitstern.coach.results import CycleReview, Finding, KeyResultReview, ObjectiveReview
from leitstern.coach.review import review_key_result, review_objective, review_team_cycle

__all__ = [
    "CODES",
    "KINDS",
    "Classification",
    "CycleReview",
    "Finding",
    "KeyResultReview",
    "ObjectiveReview",
    "classify",
    "detect_language",
    "review_key_result",
    "review_objective",
    "review_team_cycle",
]
