"""The quality coach applied to stored objectives and key results, in the reader's language."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import get_language

from leitstern.coach import review_key_result, review_objective
from leitstern.coach.results import KeyResultReview, ObjectiveReview
from leitstern.okrs.models import KeyResult, Objective, ObjectiveKind


def reader_language() -> str:
    return "de" if (get_language() or "en").startswith("de") else "en"


def number(value: Any) -> float | None:
    try:
        return float(Decimal(str(value).replace(",", ".").strip()))
    except (InvalidOperation, ValueError):
        return None


def review_key_result_of(key_result: KeyResult) -> KeyResultReview:
    """Coach review of a stored key result, in the reader's language."""
    return review_key_result(
        key_result.title,
        reader_lang=reader_language(),
        objective=key_result.objective.title,
        baseline=None if key_result.baseline is None else float(key_result.baseline),
        target=None if key_result.target is None else float(key_result.target),
        unit=key_result.unit or None,
    )


def review_objective_of(objective: Objective) -> ObjectiveReview:
    """Coach review of a stored objective with its key results."""
    key_results = [kr.title for kr in objective.key_results.all()]
    indicators = [
        li.name for kr in objective.key_results.all() for li in kr.leading_indicators.all()
    ]
    return review_objective(
        objective.title,
        why=objective.why,
        key_results=key_results,
        aspirational=objective.kind == ObjectiveKind.ASPIRATIONAL,
        leading_indicators=indicators,
        max_key_results=objective.team.organization.max_key_results_per_objective,
        reader_lang=reader_language(),
    )


def review_key_result_input(data: Any, objective: str | None = None) -> KeyResultReview | None:
    """Coach review of key-result form input (a QueryDict or dict); None without a title."""
    text = str(data.get("title") or "").strip()[:500]
    if not text:
        return None
    return review_key_result(
        text,
        reader_lang=reader_language(),
        objective=objective,
        baseline=number(data.get("baseline")),
        target=number(data.get("target")),
        unit=str(data.get("unit") or "") or None,
    )


def review_objective_input(data: Any) -> ObjectiveReview | None:
    """Coach review of objective form input; None without a title."""
    title = str(data.get("title") or "").strip()[:300]
    if not title:
        return None
    return review_objective(
        title,
        why=str(data.get("why", ""))[:3000],
        aspirational=data.get("kind") == ObjectiveKind.ASPIRATIONAL,
        reader_lang=reader_language(),
    )
