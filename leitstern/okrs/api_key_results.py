"""API: key results (outcome hypotheses) and their leading indicators.

Mounted into the okrs router (okrs/api.py). The operation ids name the module these
operations were first published from (`leitstern_okrs_api_…`), so generated clients keep working.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any, Literal
from uuid import UUID

from django.http import HttpRequest, HttpResponse
from ninja import Field, Query, Router, Status
from ninja.responses import codes_4xx

from leitstern.lib.apikit import (
    CursorPageMeta,
    FilterSchema,
    InputSchema,
    PageMeta,
    ProblemOut,
    check_if_match,
    cursor_page,
    etag_of,
    page,
)
from leitstern.okrs import services
from leitstern.okrs.api_common import (
    KeyResultOut,
    KeyResultPage,
    cycle_by_ref,
    etag_for,
    fetch_key_result,
    fetch_objective,
    indicators_out,
    key_result_links,
    key_result_row,
    key_result_row_out,
    key_result_rows,
)
from leitstern.okrs.models import LeadingIndicator
from leitstern.orgs.access import get_in_org, require_team_editor
from leitstern.orgs.models import Membership

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
    return _one_shown(request, membership, key_result_row(membership, kr_id))


def _one_shown(request: HttpRequest, membership: Membership, row: Any) -> dict[str, Any]:
    link = key_result_links(request, membership.organization.slug)
    return key_result_row_out(row, indicators_out([row.pk])[row.pk], link)


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
) -> dict[str, Any]:
    """Key results, newest cycle first, by team (alphabetically) and position.

    With `cursor` (start with `cursor=`, then follow `next`): newest first by creation, not
    counted, and every page costs the same however deep; `count` and `page` are then null.
    """
    membership: Membership = request.auth  # type: ignore[attr-defined]
    krs = key_result_rows(membership)
    if filters.objective:
        krs = krs.filter(objective__uuid=filters.objective)
    if filters.cycle:
        krs = krs.filter(objective__cycle=cycle_by_ref(membership, filters.cycle))
    if filters.team:
        krs = krs.filter(objective__team__slug=filters.team)
    if filters.hypothesis_status:
        krs = krs.filter(hypothesis_status=filters.hypothesis_status)
    items: Iterable[Any]
    meta: PageMeta | CursorPageMeta
    if cursor is not None:
        items, meta = cursor_page(request, krs, cursor, page_size)
    else:
        items, meta = page(request, krs.order_by(*LIST_ORDER), page_number, page_size)
    rows = list(items)
    indicators = indicators_out([row.pk for row in rows])
    link = key_result_links(request, membership.organization.slug)
    shown = [key_result_row_out(row, indicators[row.pk], link) for row in rows]
    return {**meta.dict(), "items": shown}


@router.get(
    "/key-results/{uuid:key_result_id}",
    response={200: KeyResultOut, codes_4xx: ProblemOut},
    operation_id=OP + "get_key_result",
)
def get_key_result(
    request: HttpRequest, key_result_id: UUID, response: HttpResponse
) -> dict[str, Any]:
    membership: Membership = request.auth  # type: ignore[attr-defined]
    row = key_result_row(membership, key_result_id)
    response["ETag"] = etag_for(row)
    return _one_shown(request, membership, row)


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
