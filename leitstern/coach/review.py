"""The coach's public reviews: one key result, one objective, one team's cycle."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from leitstern.coach import kinds as c
from leitstern.coach import rules as r
from leitstern.coach.findings import KeyResultContext, Raw, key_result_findings
from leitstern.coach.lang import LANGS, detect_language, language_scores
from leitstern.coach.messages import render
from leitstern.coach.results import CycleReview, Finding, KeyResultReview, ObjectiveReview
from leitstern.coach.suggest import suggest

DEFAULT_MAX_KEY_RESULTS = 5
DEFAULT_MAX_OBJECTIVES = 5

KeyResultInput = str | Mapping[str, Any]
ObjectiveInput = Mapping[str, Any]

_TOKEN = re.compile(r"[a-zäöüß]{3,}", re.IGNORECASE)


def _check_lang(value: str | None, name: str) -> str | None:
    if value is not None and value not in LANGS:
        raise ValueError(f"{name} must be 'de', 'en' or None, not {value!r}")
    return value


def _findings(raws: Iterable[Raw], reader_lang: str) -> tuple[Finding, ...]:
    return tuple(
        Finding(code, render(code, reader_lang, certainty, **details), rule, certainty)
        for code, rule, certainty, details in raws
    )


def review_key_result(
    text: str,
    *,
    lang: str | None = None,
    reader_lang: str | None = None,
    objective: str | None = None,
    baseline: float | None = None,
    target: float | None = None,
    unit: str | None = None,
) -> KeyResultReview:
    """Review one key result.

    ``lang`` is the text's language ("de"/"en"; detected when None).
    ``reader_lang`` is the language of the findings (default: the text's).
    ``objective`` gives context (an improvement objective turns a bare threshold
    into an outcome). ``baseline``/``target`` are values stored in separate
    fields; ``unit`` is informational. Suggestions follow the text's language.
    """
    if not isinstance(text, str):
        raise TypeError("text must be a string")
    text_lang = _check_lang(lang, "lang") or detect_language(text)
    reader = _check_lang(reader_lang, "reader_lang") or text_lang
    classification = c.classify(
        text,
        objective=objective or "",
        has_target=target is not None,
        has_baseline=baseline is not None,
    )
    ctx = KeyResultContext(text, classification, baseline, target)
    kind = classification.kind
    return KeyResultReview(
        text=text,
        kind=kind,
        lang=text_lang,
        reader_lang=reader,
        certainty=classification.certainty,
        rule=classification.rule,
        findings=_findings(key_result_findings(ctx), reader),
        suggestion=suggest(text, kind, text_lang, has_baseline=baseline is not None),
    )


def _kr_review(item: KeyResultInput, objective: str, reader: str | None) -> KeyResultReview:
    if isinstance(item, str):
        return review_key_result(item, objective=objective, reader_lang=reader)
    return review_key_result(
        str(item.get("text", "")),
        lang=item.get("lang"),
        objective=objective,
        reader_lang=reader,
        baseline=item.get("baseline"),
        target=item.get("target"),
        unit=item.get("unit"),
    )


def _content_tokens(text: str) -> frozenset[str]:
    plain = r.CHANGE.sub(" ", r.VAGUE.sub(" ", text))
    stop = _stopwords()
    return frozenset(t.lower()[:6] for t in _TOKEN.findall(plain) if t.lower() not in stop)


def _stopwords() -> frozenset[str]:
    from leitstern.coach.lang import _DE_STOP, _EN_STOP

    return _DE_STOP | _EN_STOP


def _similarity(a: frozenset[str], b: frozenset[str]) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


def check_duplicates(texts: Sequence[str]) -> list[Raw]:
    """Near-duplicate key results of one objective (same content words, numbers aside)."""
    tokens = [_content_tokens(t) for t in texts]
    found: list[Raw] = []
    for i in range(len(texts)):
        for j in range(i + 1, len(texts)):
            score = _similarity(tokens[i], tokens[j])
            if score == 1.0 or (score >= 0.7 and min(len(tokens[i]), len(tokens[j])) >= 2):
                certainty = c.LIKELY if score == 1.0 else c.POSSIBLY
                details: dict[str, object] = {"first": texts[i], "second": texts[j]}
                found.append(
                    ("DUPLICATE_KEY_RESULTS", "objective.near-duplicate", certainty, details)
                )
    return found


def check_objective_metric(title: str) -> list[Raw]:
    """An objective that reads like a KPI: a number, or "increase revenue" alone."""
    if r.OBJECTIVE_METRIC.search(r.strip_dates(title)):
        return [("OBJECTIVE_IS_METRIC", "objective.metric", c.LIKELY, {})]
    short = len(title.split()) <= 4
    if short and r.CHANGE.match(title.strip()) and r.OUTCOME_METRICS.search(title):
        return [("OBJECTIVE_IS_METRIC", "objective.metric", c.POSSIBLY, {})]
    return []


def check_why(title: str, why: str) -> list[Raw]:
    """An objective without a stated reason."""
    if why.strip() or r.WHY_MARKERS.search(title):
        return []
    return [("OBJECTIVE_WITHOUT_WHY", "objective.no-why", c.LIKELY, {})]


def check_kr_limit(count: int, limit: int) -> list[Raw]:
    """More key results than the organisation allows."""
    if count <= limit:
        return []
    details: dict[str, object] = {"count": count, "limit": limit}
    return [("TOO_MANY_KEY_RESULTS", "objective.kr-limit", "certain", details)]


def check_leading(aspirational: bool, has_indicators: bool) -> list[Raw]:
    """An aspirational objective with no leading indicator."""
    if not aspirational or has_indicators:
        return []
    return [("NO_LEADING_INDICATOR", "objective.no-leading-indicator", c.LIKELY, {})]


def _has_indicators(items: Sequence[KeyResultInput], given: Sequence[str] | bool | None) -> bool:
    if isinstance(given, bool):
        return given
    if given:
        return True
    return any(isinstance(i, Mapping) and i.get("leading_indicators") for i in items)


def review_objective(
    title: str,
    *,
    why: str = "",
    key_results: Sequence[KeyResultInput] = (),
    aspirational: bool = False,
    leading_indicators: Sequence[str] | bool | None = None,
    max_key_results: int = DEFAULT_MAX_KEY_RESULTS,
    reader_lang: str | None = None,
) -> ObjectiveReview:
    """Review an objective and its key results.

    ``key_results`` holds texts or mappings with ``text`` and optional
    ``baseline``, ``target``, ``unit``, ``lang`` and ``leading_indicators``.
    ``leading_indicators`` lists the objective's leading indicators (or says
    with True/False whether there are any). Findings use ``reader_lang``,
    default the language of the title and why.
    """
    lang = detect_language(f"{title} {why}")
    reader = _check_lang(reader_lang, "reader_lang") or lang
    reviews = tuple(_kr_review(item, title, reader_lang) for item in key_results)
    raws = [
        *check_objective_metric(title),
        *check_why(title, why),
        *check_kr_limit(len(reviews), max_key_results),
        *check_duplicates([kr.text for kr in reviews]),
        *check_leading(aspirational, _has_indicators(key_results, leading_indicators)),
    ]
    return ObjectiveReview(title, lang, reader, _findings(raws, reader), reviews)


def _cycle_reader(objectives: Sequence[ObjectiveInput]) -> str:
    text = " ".join(f"{o.get('title', '')} {o.get('why', '')}" for o in objectives)
    scores = language_scores(text)
    return "de" if scores["de"] > scores["en"] else "en"


def review_team_cycle(
    objectives: Sequence[ObjectiveInput],
    *,
    max_objectives: int = DEFAULT_MAX_OBJECTIVES,
    max_key_results: int = DEFAULT_MAX_KEY_RESULTS,
    reader_lang: str | None = None,
) -> CycleReview:
    """Review one team's objectives for a cycle.

    Each objective is a mapping with ``title`` and optional ``why``,
    ``key_results``, ``aspirational`` and ``leading_indicators`` (the keyword
    arguments of :func:`review_objective`). Limits come from the organisation.
    """
    reader = _check_lang(reader_lang, "reader_lang") or _cycle_reader(objectives)
    reviews = tuple(
        review_objective(
            str(o.get("title", "")),
            why=str(o.get("why", "") or ""),
            key_results=o.get("key_results", ()) or (),
            aspirational=bool(o.get("aspirational", False)),
            leading_indicators=o.get("leading_indicators"),
            max_key_results=max_key_results,
            reader_lang=reader_lang,
        )
        for o in objectives
    )
    raws: list[Raw] = []
    if len(reviews) > max_objectives:
        details: dict[str, object] = {"count": len(reviews), "limit": max_objectives}
        raws.append(("TOO_MANY_OBJECTIVES", "cycle.objective-limit", "certain", details))
    return CycleReview(_findings(raws, reader), reviews)
