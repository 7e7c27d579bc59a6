"""The check-ins of a chunk of objectives, read as plain rows (see rows.py).

Most of an export is check-ins: 234,000 in one cycle of 2,000 teams. Each is one row of its
own table; the few problems, help offers, learnings and indicator values are read by their
own queries and put in place by the check-in's primary key.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from leitstern.checkins.models import CheckIn, HelpOffer, IndicatorValue, Problem
from leitstern.exchange.values import Keys, moment, number
from leitstern.learning.models import Learning
from leitstern.okrs.models import LeadingIndicator


def checkins_by_key_result(
    chunk: list[int], indicators: dict[int, str], keys: Keys
) -> dict[int, list[dict[str, Any]]]:
    """Check-ins per key result, by week, with indicator values, problem and learning."""
    by_key_result: dict[int, list[dict[str, Any]]] = defaultdict(list)
    by_id: dict[int, dict[str, Any]] = {}
    rows = CheckIn.objects.filter(key_result__objective_id__in=chunk).order_by(
        "key_result_id", "week"
    )
    # Problems and learnings come by their own queries: few check-ins have one, and joining
    # them would convert their (empty) columns for every check-in.
    for pk, kr_id, week, checked_on, value, confidence, note in rows.values_list(
        "pk", "key_result_id", "week", "checked_on", "value", "confidence", "note"
    ):
        checkin: dict[str, Any] = {
            "week": week.isoformat(),
            "checked_on": checked_on.isoformat(),
            "value": number(value),
            "confidence": confidence,
            "note": note,
            "indicator_values": {},
            "problem": None,
            "learning": None,
        }
        by_key_result[kr_id].append(checkin)
        by_id[pk] = checkin
    _indicator_values(chunk, indicators, keys, by_id)
    _problems(chunk, by_id)
    learnings = Learning.objects.filter(checkin__key_result__objective_id__in=chunk)
    for checkin_id, text in learnings.order_by().values_list("checkin_id", "text"):
        by_id[checkin_id]["learning"] = text
    return by_key_result


def _problems(chunk: list[int], checkins: dict[int, dict[str, Any]]) -> None:
    problems: dict[int, dict[str, Any]] = {}
    rows = Problem.objects.filter(checkin__key_result__objective_id__in=chunk).order_by()
    for pk, checkin_id, text, status, resolved_at, signed_as in rows.values_list(
        "pk", "checkin_id", "text", "status", "resolved_at", "signed_as"
    ):
        checkins[checkin_id]["problem"] = problems[pk] = {
            "text": text,
            "status": status,
            "resolved_at": moment(resolved_at),
            "signed_as": signed_as,
            "help_offers": [],
        }
    offers = HelpOffer.objects.filter(problem__checkin__key_result__objective_id__in=chunk)
    for problem_id, team, message, signed_as in offers.order_by("created_at", "pk").values_list(
        "problem_id", "team__slug", "message", "signed_as"
    ):
        problems[problem_id]["help_offers"].append(
            {"team": team, "message": message, "signed_as": signed_as}
        )


def _indicator_values(
    chunk: list[int], indicators: dict[int, str], keys: Keys, checkins: dict[int, dict[str, Any]]
) -> None:
    values: dict[int, list[tuple[str, Any]]] = defaultdict(list)
    rows = IndicatorValue.objects.filter(checkin__key_result__objective_id__in=chunk).order_by()
    found = list(rows.values_list("checkin_id", "indicator_id", "value"))
    elsewhere = {i for _c, i, _v in found if i not in indicators}  # another key result's
    for pk, u in LeadingIndicator.objects.filter(pk__in=elsewhere).values_list("pk", "uuid"):
        indicators[pk] = keys.of("indicator", u)
    for checkin_id, indicator_id, value in found:
        values[checkin_id].append((indicators[indicator_id], number(value)))
    for checkin_id, pairs in values.items():
        checkins[checkin_id]["indicator_values"] = dict(sorted(pairs))
