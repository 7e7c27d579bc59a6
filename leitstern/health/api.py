"""API: health metrics — business-as-usual indicators, kept apart from OKRs, never scored."""

from __future__ import annotations

import datetime
import uuid
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from ninja import Field, Query, Router, Schema, Status
from ninja.responses import codes_4xx

from leitstern.health.models import HealthMetric
from leitstern.health.services import record_reading
from leitstern.lib.apikit import InputSchema, ProblemOut, check_if_match, etag_of, html_url
from leitstern.orgs.access import get_in_org, require_role, require_team_editor
from leitstern.orgs.api import team_by_slug
from leitstern.orgs.models import Membership, Role

router = Router()

READINGS_SHOWN = 52


class ReadingOut(Schema):
    measured_on: datetime.date
    value: float
    healthy: bool


class HealthMetricOut(Schema):
    uuid: uuid.UUID
    team: str | None
    name: str
    description: str
    unit: str
    healthy_min: float | None
    healthy_max: float | None
    position: int
    readings: list[ReadingOut]
    updated_at: datetime.datetime
    html_url: str


class ReadingRecordedOut(HealthMetricOut):
    replaced_value: float | None = Field(
        ..., description="the value of that day's earlier reading, now replaced; null if none"
    )


class HealthMetricIn(InputSchema):
    team: str | None = Field(None, max_length=60, description="empty: organisation-wide")
    name: str = Field(..., min_length=1, max_length=200)
    description: str = Field("", max_length=10000)
    unit: str = Field("", max_length=40)
    healthy_min: Decimal | None = Field(None, max_digits=16, decimal_places=4)
    healthy_max: Decimal | None = Field(None, max_digits=16, decimal_places=4)


class HealthMetricPatch(InputSchema):
    name: str | None = Field(None, min_length=1, max_length=200)
    description: str | None = Field(None, max_length=10000)
    unit: str | None = Field(None, max_length=40)
    healthy_min: Decimal | None = Field(None, max_digits=16, decimal_places=4)
    healthy_max: Decimal | None = Field(None, max_digits=16, decimal_places=4)


class ReadingIn(InputSchema):
    measured_on: datetime.date
    value: Decimal = Field(..., max_digits=16, decimal_places=4)


def _num(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def metric_out(request: HttpRequest, metric: HealthMetric) -> dict[str, Any]:
    readings = sorted(metric.readings.all(), key=lambda r: r.measured_on, reverse=True)
    return {
        **{f: getattr(metric, f) for f in ("uuid", "name", "description", "unit", "position")},
        "team": metric.team.slug if metric.team else None,
        "healthy_min": _num(metric.healthy_min),
        "healthy_max": _num(metric.healthy_max),
        "readings": [
            {
                "measured_on": r.measured_on,
                "value": float(r.value),
                "healthy": metric.is_healthy(r.value),
            }
            for r in readings[:READINGS_SHOWN]
        ],
        "updated_at": metric.updated_at,
        "html_url": html_url(request, "health_list", metric.organization.slug),
    }


def _metrics(membership: Membership) -> QuerySet[HealthMetric]:
    return (
        HealthMetric.objects.filter(organization=membership.organization)
        .select_related("organization", "team")
        .prefetch_related("readings")
    )


def _require_writer(membership: Membership, metric: HealthMetric) -> None:
    # A team's metric is the team's business; organisation-wide ones belong to facilitators.
    if metric.team is not None:
        require_team_editor(membership, metric.team)
    else:
        require_role(membership, Role.FACILITATOR)


@router.get("/health-metrics", response={200: list[HealthMetricOut], codes_4xx: ProblemOut})
def list_health_metrics(
    request: HttpRequest, team: str | None = Query(None, max_length=60)
) -> list[dict[str, Any]]:
    """Health metrics with their latest readings (up to a year of weeks)."""
    membership: Membership = request.auth  # type: ignore[attr-defined]
    metrics = _metrics(membership)
    if team:
        metrics = metrics.filter(team__slug=team)
    return [metric_out(request, m) for m in metrics]


@router.get(
    "/health-metrics/{uuid:metric_id}", response={200: HealthMetricOut, codes_4xx: ProblemOut}
)
def get_health_metric(
    request: HttpRequest, metric_id: uuid.UUID, response: HttpResponse
) -> dict[str, Any]:
    metric = get_in_org(_metrics(request.auth), request.auth, uuid=metric_id)  # type: ignore[attr-defined]
    response["ETag"] = etag_of(metric.uuid, metric.updated_at)
    return metric_out(request, metric)


@router.post("/health-metrics", response={201: HealthMetricOut, codes_4xx: ProblemOut})
def create_health_metric(request: HttpRequest, payload: HealthMetricIn) -> Status[dict[str, Any]]:
    membership: Membership = request.auth  # type: ignore[attr-defined]
    org = membership.organization
    metric = HealthMetric(
        organization=org,
        team=team_by_slug(membership, payload.team) if payload.team else None,
        position=HealthMetric.objects.filter(organization=org).count(),
        **payload.dict(exclude={"team"}),
    )
    _require_writer(membership, metric)
    metric.full_clean()
    metric.save()
    return Status(
        201, metric_out(request, get_in_org(_metrics(membership), membership, pk=metric.pk))
    )


@router.patch(
    "/health-metrics/{uuid:metric_id}", response={200: HealthMetricOut, codes_4xx: ProblemOut}
)
def update_health_metric(
    request: HttpRequest, metric_id: uuid.UUID, payload: HealthMetricPatch, response: HttpResponse
) -> dict[str, Any]:
    membership: Membership = request.auth  # type: ignore[attr-defined]
    metric = get_in_org(_metrics(membership), membership, uuid=metric_id)
    _require_writer(membership, metric)
    check_if_match(request, etag_of(metric.uuid, metric.updated_at))
    for field, value in payload.dict(exclude_unset=True).items():
        if value is not None or field in {"healthy_min", "healthy_max"}:
            setattr(metric, field, value.strip() if isinstance(value, str) else value)
    metric.full_clean()
    metric.save()
    response["ETag"] = etag_of(metric.uuid, metric.updated_at)
    return metric_out(request, metric)


@router.post(
    "/health-metrics/{uuid:metric_id}/readings",
    response={200: ReadingRecordedOut, 201: ReadingRecordedOut, codes_4xx: ProblemOut},
)
def add_reading(
    request: HttpRequest, metric_id: uuid.UUID, payload: ReadingIn
) -> Status[dict[str, Any]]:
    """Record a reading: `201` for a new day; `200` when it replaced that day's reading.

    `replaced_value` then holds the value it replaced, so a client can say so.
    """
    membership: Membership = request.auth  # type: ignore[attr-defined]
    metric = get_in_org(_metrics(membership), membership, uuid=metric_id)
    _require_writer(membership, metric)
    recorded = record_reading(metric=metric, value=payload.value, measured_on=payload.measured_on)
    body = metric_out(request, get_in_org(_metrics(membership), membership, pk=metric.pk))
    body["replaced_value"] = _num(recorded.replaced_value)
    return Status(200 if recorded.replaced else 201, body)
