"""Helpers for the generated cross-cutting tests: walk every org page and fill its kwargs.

The tests built on this cover pages other engineers add later without anybody touching
them. A URL kwarg or API path parameter the helpers cannot fill makes the tests FAIL with a
message naming the kwarg: add it to KWARG_MODELS below.
"""

from __future__ import annotations

import re
from collections import deque
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.db import models
from django.urls import URLPattern, URLResolver, get_resolver

from leitstern.orgs.models import Organization

ORG_ROUTE_START = "o/<slug:org>/"
PARAM = re.compile(r"<(?:(?P<converter>\w+):)?(?P<name>\w+)>")

# URL kwarg / API path parameter name -> model label. Extend this when you add a page or an
# endpoint whose kwarg the tests cannot guess (they fail and tell you so).
KWARG_MODELS: dict[str, str] = {
    "team": "orgs.Team",
    "slug": "orgs.Team",
    "person": "orgs.Membership",
    "membership": "orgs.Membership",
    "objective": "okrs.Objective",
    "key_result": "okrs.KeyResult",
    "cycle": "okrs.Cycle",
    "indicator": "okrs.LeadingIndicator",
    "moal": "frame.Moal",
    "checkin": "checkins.CheckIn",
    "problem": "checkins.Problem",
    "help_offer": "checkins.HelpOffer",
    "learning": "learning.Learning",
    "retrospective": "learning.Retrospective",
    "metric": "health.HealthMetric",
    "reading": "health.HealthReading",
    "pulse_round": "trust.PulseRound",
}


@dataclass(frozen=True)
class OrgRoute:
    route: str  # e.g. "o/<slug:org>/objectives/<uuid:objective>/"
    name: str
    params: tuple[tuple[str, str], ...] = field(default=())  # (converter, name) except org

    def url(self, org: str, values: dict[str, Any]) -> str:
        def fill(match: re.Match[str]) -> str:
            return org if match["name"] == "org" else str(values[match["name"]])

        return "/" + PARAM.sub(fill, self.route)


def org_routes() -> list[OrgRoute]:
    """Every URL pattern below /o/<org>/, as configured right now."""
    routes = []
    for route, name in _walk(get_resolver().url_patterns, ""):
        if not route.startswith(ORG_ROUTE_START):
            continue
        params = tuple(
            (m["converter"] or "str", m["name"])
            for m in PARAM.finditer(route)
            if m["name"] != "org"
        )
        routes.append(OrgRoute(route=route, name=name or route, params=params))
    return routes


def _walk(patterns: list[Any], prefix: str) -> Any:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern), pattern.name


def model_for(kwarg: str) -> type[models.Model] | None:
    """The model a URL kwarg or API path parameter names, or None if unknown."""
    base = re.sub(r"_(id|uuid|slug)$", "", kwarg)
    label = KWARG_MODELS.get(kwarg) or KWARG_MODELS.get(base)
    if label:
        return apps.get_model(label)
    for model in apps.get_models():
        snake = re.sub(r"(?<!^)(?=[A-Z])", "_", model.__name__).lower()
        if base in {model._meta.model_name, snake} and _has_org(model):
            return model
    return None


def _has_org(model: type[models.Model]) -> bool:
    return any(f.name == "organization" for f in model._meta.get_fields())


def related(obj: models.Model, target: type[models.Model], depth: int = 3) -> Any:
    """An object of `target` reachable from `obj` through forward foreign keys, or None."""
    queue: deque[tuple[models.Model, int]] = deque([(obj, 0)])
    while queue:
        current, level = queue.popleft()
        if isinstance(current, target):
            return current
        if level >= depth:
            continue
        for f in current._meta.concrete_fields:
            if f.many_to_one or f.one_to_one:
                value = getattr(current, f.name, None)
                if isinstance(value, models.Model) and f.name != "organization":
                    queue.append((value, level + 1))
    return None


def pick(
    organization: Organization,
    wanted: dict[str, type[models.Model]],
    avoid_teams: set[int] | frozenset[int] = frozenset(),
) -> dict[str, models.Model]:
    """Objects of `organization` for the kwargs in `wanted`, consistent with each other.

    The most specific object is chosen first (the one from which most others can be
    reached); the others follow its foreign keys, so /teams/<team>/rounds/<round>/ gets the
    round's own team. Objects of `avoid_teams` are avoided where possible.
    """
    from leitstern.orgs.models import Team

    chosen: dict[str, models.Model] = {}
    order = sorted(wanted, key=lambda k: -_reach(wanted[k], wanted.values()))
    for kwarg in order:
        if kwarg in chosen:
            continue
        model = wanted[kwarg]
        candidates = list(
            model._default_manager.filter(organization=organization).order_by("pk")[:300]
        )
        best = None
        for candidate in candidates:
            team = related(candidate, Team)
            derived = {
                other: related(candidate, wanted[other])
                for other in wanted
                if other not in chosen and other != kwarg
            }
            if any(v is None and _reach(model, [wanted[o]]) for o, v in derived.items()):
                continue
            best = (candidate, derived)
            if team is None or team.pk not in avoid_teams:
                break
        if best is None:
            raise LookupError(
                f"No {model._meta.label} in {organization.slug}: extend the test data "
                f"(leitstern/tests/test_tenant_isolation.py populate())."
            )
        chosen[kwarg] = best[0]
        chosen.update({k: v for k, v in best[1].items() if v is not None})
    return chosen


def _reach(model: type[models.Model], others: Any) -> int:
    return sum(1 for other in others if other is not model and _path_exists(model, other))


def _path_exists(source: type[models.Model], target: type[models.Model], depth: int = 3) -> bool:
    frontier = [source]
    for _ in range(depth):
        nxt = []
        for model in frontier:
            for f in model._meta.concrete_fields:
                if (f.many_to_one or f.one_to_one) and f.name != "organization":
                    if f.related_model is target:
                        return True
                    nxt.append(f.related_model)
        frontier = nxt
    return False


def url_value(converter: str, obj: models.Model) -> str:
    if converter == "int":
        return str(obj.pk)
    if converter == "slug" or not hasattr(obj, "uuid"):
        return str(obj.slug)  # type: ignore[attr-defined]
    return str(obj.uuid)


def fill(
    route: OrgRoute, organization: Organization, avoid_teams: Any = frozenset()
) -> dict[str, str]:
    """URL values for the route's kwargs from `organization`; raises LookupError if unknown."""
    wanted = {}
    for _converter, name in route.params:
        model = model_for(name)
        if model is None:
            raise LookupError(
                f"{route.route} ({route.name}): the generated tests cannot fill the kwarg "
                f"'{name}'. Add it to KWARG_MODELS in leitstern/tests/urlwalk.py."
            )
        wanted[name] = model
    objects = pick(organization, wanted, avoid_teams)
    return {name: url_value(conv, objects[name]) for conv, name in route.params}
