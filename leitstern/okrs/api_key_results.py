"""API: key results (outcome hypotheses) and their leading indicators.

Mounted into the okrs router (okrs/api.py). The operation ids name the module these
operations were first published from (`leitstern_okrs_api_…`), so generated clients keep working.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from decimal import Decimal
from typing import Any, Literal
from uuid import UUID

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from ninja import Field, Query, Router, Status
from ninja.responses import codes_4xx

from leitstern.lib.apikit import (
    FilterSchema,
    InputSchema,
    ProblemOut,
    check_if_match,
    counted,
    counted_page_meta,
    cursor_page,
    etag_of,
    json_response,
)
from leitstern.lib.digest_cache import digest_key
from leitstern.lib.sqlrows import PreparedRows
from leitstern.okrs import services
from leitstern.okrs.api_common import (
    KEY_RESULT_COLUMNS,
    KeyResultOut,
    KeyResultPage,
    KeyResultRow,
    cycle_by_ref,
    etag_for,
    fetch_key_result,
    fetch_objective,
    indicators_out,
    key_result_links,
    key_result_row_out,
    key_result_rows,
    key_result_with_indicators,
)
from leitstern.okrs.models import Cycle, KeyResult, LeadingIndicator, Objective
from leitstern.orgs import versions
from leitstern.orgs.access import get_in_org, require_team_editor
from leitstern.orgs.models import Membership, Team

router = Router()

# Operation ids as published before key results had their own module (clients generate code
# from them); the default would be derived from this module's name.
OP = "leitstern_okrs_api_"

Amount = Decimal  # inputs: a JSON number or a decimal string


class KeyResultIn(InputSchema):
    objective: UUID
    title: str = Field(..., min_length=1, max_length=300)
    hypothesis: str = Field("", max_length=10000)
    kind: Literal["metric", "ordinal"] = "metric"
    unit: str = Field("", max_length=40)
    baseline: Amount | None = Field(None, max_digits=16, decimal_places=4)
    target: Amount | None = Field(None, max_digits=16, decimal_places=4)
    commit_level: str = Field("", max_length=300)
    target_level: str = Field("", max_length=300)
    stretch_level: str = Field("", max_length=300)


class KeyResultPatch(InputSchema):
    title: str | None = Field(None, min_length=1, max_length=300)
    hypothesis: str | None = Field(None, max_length=10000)
    unit: str | None = Field(None, max_length=40)
    baseline: Amount | None = Field(None, max_digits=16, decimal_places=4)
    target: Amount | None = Field(None, max_digits=16, decimal_places=4)
    commit_level: str | None = Field(None, max_length=300)
    target_level: str | None = Field(None, max_length=300)
    stretch_level: str | None = Field(None, max_length=300)


class IndicatorIn(InputSchema):
    name: str = Field(..., min_length=1, max_length=200)
    unit: str = Field("", max_length=40)
    baseline: Amount | None = Field(None, max_digits=16, decimal_places=4)
    target: Amount | None = Field(None, max_digits=16, decimal_places=4)


class IndicatorPatch(InputSchema):
    name: str | None = Field(None, min_length=1, max_length=200)
    unit: str | None = Field(None, max_length=40)
    baseline: Amount | None = Field(None, max_digits=16, decimal_places=4)
    target: Amount | None = Field(None, max_digits=16, decimal_places=4)


class KeyResultFilter(FilterSchema):
    objective: UUID | None = None
    cycle: str | None = Field(None, max_length=80, description="cycle UUID or name")
    team: str | None = Field(None, max_length=60)
    hypothesis_status: Literal["untested", "supported", "refuted", "inconclusive"] | None = None


# The order of a list walked page by page; the key result's id makes it total, so no key
# result is shown twice or skipped between pages.
LIST_ORDER = (
    "-objective__cycle__starts_on",
    "objective__team__name",
    "objective__position",
    "position",
    "pk",
)


def _kr_response(request: HttpRequest, membership: Membership, kr_id: UUID) -> dict[str, Any]:
    row, indicators = key_result_with_indicators(membership, kr_id)
    return key_result_row_out(
        row, indicators, key_result_links(request, membership.organization.slug)
    )


@router.get(
    "/key-results",
    response={200: KeyResultPage, codes_4xx: ProblemOut},
    operation_id=OP + "list_key_results",
)
def list_key_results(
    request: HttpRequest,
    filters: KeyResultFilter = Query(...),  # noqa: B008
    page_number: int = Query(1, ge=1, le=100000, alias="page"),
    page_size: int = Query(50, ge=1, le=200),
    cursor: str | None = Query(
        None,
        max_length=40,
        description=(
            "walk the list newest first without counting: empty for the first page, then "
            "follow `next`; `page` is ignored"
        ),
    ),
) -> HttpResponse:
    """Key results, newest cycle first, by team (alphabetically) and position.

    With `cursor` (start with `cursor=`, then follow `next`): newest first by creation, not
    counted, and every page costs the same however deep; `count` and `page` are then null.
    """
    membership: Membership = request.auth  # type: ignore[attr-defined]
    cycle = cycle_by_ref(membership, filters.cycle) if filters.cycle else None
    chosen = _chosen(filters, cycle)
    link = key_result_links(request, membership.organization.slug)
    if cursor is not None:
        krs = _filtered(key_result_rows(membership), chosen)
        rows, meta = cursor_page(request, krs, cursor, page_size)
        return json_response({**meta.dict(), "items": _shown(rows, link)})
    key = _team_list_key(request, membership, filters.team, cycle)
    if key is None:
        return _counted_list(request, membership, chosen, page_number, page_size, link)
    body = versions.cache().get(key)
    if body is None:
        response = _counted_list(request, membership, chosen, page_number, page_size, link)
        versions.cache().set(key, response.content)
        return response
    return HttpResponse(body, content_type="application/json; charset=utf-8")


def _team_list_key(
    request: HttpRequest, membership: Membership, team: str | None, cycle: Cycle | None
) -> str | None:
    """The cache key of a list of one team's key results, or None (not cached): while the
    team's and the organisation's page versions stand, nothing in the list changed (every
    key result, objective, indicator and check-in of the team bumps the team's version;
    renamed teams and cycles the organisation's: web/fragments.py). As the team page, a
    busy integration's poll costs one query after the token's.

    Only the polling shape is cached, so that no client can fill the cache with variants:
    `team` (an existing one), optionally `cycle` as its UUID or name exactly, and `page` 1–10,
    each once. Anything else is answered as before, uncached."""
    params = request.GET
    if not team or set(params) - _CACHED_PARAMETERS:
        return None
    if any(len(params.getlist(name)) != 1 for name in params):
        return None
    if "cycle" in params and (
        cycle is None or params["cycle"] not in (str(cycle.uuid), cycle.name)
    ):
        return None
    if params.get("page", "1") not in _CACHED_PAGES:
        return None
    found = _TEAM_VERSION.rows(membership.organization_id, team)
    if not found:
        return None  # an empty list: nothing worth keeping
    organization = membership.organization
    return digest_key(
        "api-key-results",
        (
            versions.RELEASE,
            organization.pk,
            organization.page_version,
            *found[0],
            request.build_absolute_uri(),  # the page links name the host and the parameters
        ),
    )


_CACHED_PARAMETERS = frozenset({"team", "cycle", "page"})
_CACHED_PAGES = frozenset(str(n) for n in range(1, 11))

_TEAM_VERSION = PreparedRows(
    lambda organization, slug: Team.objects.filter(
        organization_id=organization, slug=slug
    ).values_list("pk", "page_version"),
    fields=(Team._meta.get_field("organization"), Team._meta.get_field("slug")),
    markers=(1_987_654_321, "\x1fteam-slug"),
)


def _counted_list(
    request: HttpRequest,
    membership: Membership,
    chosen: list[tuple[str, Any]],
    page_number: int,
    page_size: int,
    link: Callable[[UUID], str],
) -> HttpResponse:
    query = _page_query(tuple(name for name, _value in chosen), page_number, page_size)
    counted_rows = query.rows(membership.organization_id, *(value for _name, value in chosen))
    fields = counted_page_meta(
        request,
        counted_rows,
        page_number,
        page_size,
        lambda: _filtered(key_result_rows(membership), chosen).count(),
    )
    rows = [KeyResultRow._make(r[:-1]) for r in counted_rows]
    return json_response({**fields, "items": _shown(rows, link)})


# Each filter: its lookup, the field that adapts its value, and a marker for PreparedRows
# (found among the compiled parameters; any other value can be sent).
_FILTERS: dict[str, tuple[str, Any, Any]] = {
    "objective": (
        "objective__uuid",
        Objective._meta.get_field("uuid"),
        UUID("00000000-0000-4000-8000-0000000c0de2"),
    ),
    "cycle": ("objective__cycle_id", Objective._meta.get_field("cycle"), 1_987_654_322),
    "team": ("objective__team__slug", Team._meta.get_field("slug"), "\x1fteam"),
    "hypothesis_status": (
        "hypothesis_status",
        KeyResult._meta.get_field("hypothesis_status"),
        "\x1fstatus",
    ),
}


def _chosen(filters: KeyResultFilter, cycle: Cycle | None) -> list[tuple[str, Any]]:
    values = {
        "objective": filters.objective,
        "cycle": cycle.pk if cycle else None,
        "team": filters.team,
        "hypothesis_status": filters.hypothesis_status,
    }
    return [(name, value) for name, value in values.items() if value]


def _filtered(krs: QuerySet[Any], chosen: list[tuple[str, Any]]) -> QuerySet[Any]:
    for name, value in chosen:
        krs = krs.filter(**{_FILTERS[name][0]: value})
    return krs


@functools.lru_cache(maxsize=256)
def _page_query(names: tuple[str, ...], number: int, size: int) -> PreparedRows:
    """A page of the list for these filters, with the count of all matches on each row."""
    start = (number - 1) * size

    def build(organization: int, *values: Any) -> QuerySet[Any]:
        krs = KeyResult.objects.filter(organization_id=organization)
        krs = _filtered(krs, list(zip(names, values, strict=True)))
        counted_rows = krs.order_by(*LIST_ORDER).annotate(total=counted())
        return counted_rows.values_list(*KEY_RESULT_COLUMNS, "total")[start : start + size]

    return PreparedRows(
        build,
        fields=(KeyResult._meta.get_field("organization"), *(_FILTERS[n][1] for n in names)),
        markers=(1_987_654_321, *(_FILTERS[n][2] for n in names)),
    )


def _shown(rows: list[Any], link: Callable[[UUID], str]) -> list[dict[str, Any]]:
    indicators = indicators_out([row.pk for row in rows])
    return [key_result_row_out(row, indicators[row.pk], link) for row in rows]


@router.get(
    "/key-results/{uuid:key_result_id}",
    response={200: KeyResultOut, codes_4xx: ProblemOut},
    operation_id=OP + "get_key_result",
)
def get_key_result(request: HttpRequest, key_result_id: UUID) -> HttpResponse:
    membership: Membership = request.auth  # type: ignore[attr-defined]
    row, indicators = key_result_with_indicators(membership, key_result_id)
    link = key_result_links(request, membership.organization.slug)
    body = key_result_row_out(row, indicators, link)
    return json_response(body, headers={"ETag": etag_for(row)})


@router.post(
    "/key-results",
    response={201: KeyResultOut, codes_4xx: ProblemOut},
    operation_id=OP + "create_key_result",
)
def create_key_result(request: HttpRequest, payload: KeyResultIn) -> Status[dict[str, Any]]:
    """An outcome hypothesis: baseline → target (metric) or levels in words (ordinal)."""
    membership: Membership = request.auth  # type: ignore[attr-defined]
    objective = fetch_objective(membership, payload.objective)
    require_team_editor(membership, objective.team)
    fields = payload.dict(exclude={"objective", "title"})
    kr = services.add_key_result(
        objective=objective,
        title=payload.title,
        **{k: v.strip() if isinstance(v, str) else v for k, v in fields.items()},
    )
    return Status(201, _kr_response(request, membership, kr.uuid))


@router.patch(
    "/key-results/{uuid:key_result_id}",
    response={200: KeyResultOut, codes_4xx: ProblemOut},
    operation_id=OP + "update_key_result",
)
def update_key_result(
    request: HttpRequest, key_result_id: UUID, payload: KeyResultPatch, response: HttpResponse
) -> dict[str, Any]:
    """Change a key result's wording or numbers; after commitment the change is kept as history."""
    membership: Membership = request.auth  # type: ignore[attr-defined]
    kr = fetch_key_result(membership, key_result_id)
    require_team_editor(membership, kr.objective.team)
    check_if_match(request, etag_for(kr))
    changes = {
        k: v.strip() if isinstance(v, str) else v
        for k, v in payload.dict(exclude_unset=True).items()
        if v is not None or k in {"baseline", "target"}
    }
    if changes:
        services.update_key_result(key_result=kr, **changes)
    body = _kr_response(request, membership, key_result_id)
    response["ETag"] = etag_of(body["uuid"], body["updated_at"])
    return body


@router.post(
    "/key-results/{uuid:key_result_id}/indicators",
    response={201: KeyResultOut, codes_4xx: ProblemOut},
    operation_id=OP + "add_indicator",
)
def add_indicator(
    request: HttpRequest, key_result_id: UUID, payload: IndicatorIn
) -> Status[dict[str, Any]]:
    """A leading indicator: an early signal, ideally a behaviour of the people you serve."""
    membership: Membership = request.auth  # type: ignore[attr-defined]
    kr = fetch_key_result(membership, key_result_id)
    require_team_editor(membership, kr.objective.team)
    indicator = LeadingIndicator(
        organization=membership.organization,
        key_result=kr,
        position=kr.leading_indicators.count(),
        **{**payload.dict(), "name": payload.name.strip()},
    )
    indicator.full_clean()
    indicator.save()
    return Status(201, _kr_response(request, membership, key_result_id))


@router.patch(
    "/indicators/{uuid:indicator_id}",
    response={200: KeyResultOut, codes_4xx: ProblemOut},
    operation_id=OP + "update_indicator",
)
def update_indicator(
    request: HttpRequest, indicator_id: UUID, payload: IndicatorPatch
) -> dict[str, Any]:
    membership: Membership = request.auth  # type: ignore[attr-defined]
    indicator = get_in_org(
        LeadingIndicator.objects.select_related("key_result__objective__team"),
        membership,
        uuid=indicator_id,
    )
    require_team_editor(membership, indicator.key_result.objective.team)
    check_if_match(request, etag_for(indicator))
    for field, value in payload.dict(exclude_unset=True).items():
        if value is not None or field in {"baseline", "target"}:
            setattr(indicator, field, value.strip() if isinstance(value, str) else value)
    indicator.full_clean()
    indicator.save()
    return _kr_response(request, membership, indicator.key_result.uuid)
