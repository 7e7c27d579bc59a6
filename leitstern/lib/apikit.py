"""Plumbing shared by every app's API router: problem details, ETags, links, paging.

Domain-free (no models): the routers in each app's `api.py` pass their objects in.
"""

from __future__ import annotations

import base64
import datetime
import hashlib
import json
import uuid
from collections.abc import Callable, Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Count, Window
from django.http import HttpRequest, HttpResponse
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from ninja import Field, Schema
from ninja.responses import NinjaJSONEncoder
from pydantic import BaseModel, ConfigDict, field_validator

PROBLEM_JSON = "application/problem+json"

# Payload keys that would tie OKR work to a person. A request or file using one is refused
# with TEAM_OKRS_ONLY rather than "unknown field", because the refusal is deliberate.
PERSON_FIELDS = frozenset(
    {
        "owner",
        "owners",
        "owner_email",
        "assignee",
        "assignees",
        "assigned_to",
        "person",
        "persons",
        "people",
        "user",
        "users",
        "email",
        "responsible",
        "accountable",
        "lead",
        "author",
        "employee",
        "manager",
        "verantwortlich",
        "verantwortliche",
        "zuständig",
        "besitzer",
        "eigentümer",
        "mitarbeiter",
    }
)


def team_okrs_only() -> str:
    return _(
        "Leitstern has team OKRs only: objectives, key results and check-ins belong to a team, "
        "never to a person. Owner or assignee fields invite individual scoring, which breeds "
        "gaming and hides problems. Name the team instead (its short name)."
    )


def refuse_nul(value: Any) -> Any:
    """PostgreSQL cannot store the NUL character; refuse it as invalid input, not a 500."""
    texts = value if isinstance(value, list) else [value]
    if any(isinstance(t, str) and "\x00" in t for t in texts):
        raise ValueError("must not contain the NUL character")
    return value


class InputSchema(Schema):
    """Base for request bodies: unknown fields are refused, so typos do not pass silently."""

    model_config = ConfigDict(extra="forbid")

    no_nul = field_validator("*")(classmethod(lambda cls, v: refuse_nul(v)))


class FilterSchema(Schema):
    """Base for query filters."""

    no_nul = field_validator("*")(classmethod(lambda cls, v: refuse_nul(v)))


class PlainOut(BaseModel):
    """Base for representations our code builds as dicts, shown many to a page.

    Validated by pydantic alone: ninja's Schema first wraps every (nested) object in a getter
    for ORM attribute access, which for a page of 50 key results costs as much CPU as
    building them. The OpenAPI schema is the same.
    """


def json_response(body: Any, *, headers: dict[str, str] | None = None) -> HttpResponse:
    """A 200 response with the bytes django-ninja renders for `body` (its JSON renderer).

    For hot reads that build their representation as plain values of their response schema:
    returning it skips ninja's validation of every nested object (the schema still documents
    the operation). Their tests compare the bytes with the validated rendering.
    """
    response = HttpResponse(
        json.dumps(body, cls=_ApiEncoder), content_type="application/json; charset=utf-8"
    )
    for name, value in (headers or {}).items():
        response[name] = value
    return response


class _ApiEncoder(NinjaJSONEncoder):
    """NinjaJSONEncoder, with the types of a page of key results tried first: a page holds
    hundreds of UUIDs and dates, each otherwise tried against a dozen types."""

    def default(self, o: Any) -> Any:
        kind = type(o)
        if kind is uuid.UUID:
            return str(o)
        if kind is datetime.datetime or kind is datetime.date:
            return DjangoJSONEncoder.default(self, o)
        return super().default(o)


class ProblemOut(Schema):
    type: str
    title: str
    status: int
    detail: str
    errors: list[dict[str, Any]] | None = None


def problem(
    status: int,
    title: str,
    detail: str,
    *,
    type_: str = "about:blank",
    errors: list[dict[str, Any]] | None = None,
    headers: dict[str, str] | None = None,
) -> HttpResponse:
    """An RFC 9457 problem-details response."""
    body: dict[str, Any] = {"type": type_, "title": title, "status": status, "detail": detail}
    if errors is not None:
        body["errors"] = errors
    response = HttpResponse(
        json.dumps(body, cls=DjangoJSONEncoder), status=status, content_type=PROBLEM_JSON
    )
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def django_errors(exc: ValidationError) -> list[dict[str, Any]]:
    """A Django ValidationError as a list of {field, message}; `field` is null for the whole."""
    if hasattr(exc, "error_dict"):
        return [
            {"field": None if field == "__all__" else field, "message": message}
            for field, messages in exc.message_dict.items()
            for message in messages
        ]
    return [{"field": None, "message": message} for message in exc.messages]


# ---- links


_missing_names: set[str] = set()


def html_url(request: HttpRequest, name: str, org: str, **kwargs: Any) -> str:
    """Absolute link to an object's web page; the organisation home while a page is missing."""
    if name not in _missing_names:
        try:
            return request.build_absolute_uri(reverse(name, kwargs={"org": org, **kwargs}))
        except NoReverseMatch:
            _missing_names.add(name)
    try:
        return request.build_absolute_uri(reverse("org_home", kwargs={"org": org}))
    except NoReverseMatch:  # pragma: no cover - org_home exists since the foundation
        return request.build_absolute_uri(f"/o/{org}/")


# Fits every URL converter (uuid, slug, str), and no real identifier looks like it.
_PLACEHOLDER = "00000000-0000-4000-8000-00000000c0de"


def html_links(request: HttpRequest, name: str, org: str, key: str) -> Callable[[object], str]:
    """`html_url` for many objects of one kind: one reverse(), then their identifiers put in.

    For lists: reversing a URL per item costs more than building the item.
    """
    pattern = html_url(request, name, org, **{key: _PLACEHOLDER})
    if _PLACEHOLDER not in pattern:  # the page is missing: every link is the fallback
        return lambda _identifier: pattern
    return lambda identifier: pattern.replace(_PLACEHOLDER, str(identifier))


def forget_missing_pages() -> None:
    """For tests: pages appear while the app grows."""
    _missing_names.clear()


# ---- ETags and If-Match


def etag_of(*parts: object) -> str:
    """A strong ETag from the parts that change with every write (uuid, updated_at)."""
    raw = ":".join(p.isoformat() if hasattr(p, "isoformat") else str(p) for p in parts)
    return '"' + hashlib.sha256(raw.encode()).hexdigest()[:32] + '"'


class PreconditionFailed(Exception):
    def __init__(self, current: str) -> None:
        self.current = current
        super().__init__(current)


def check_if_match(request: HttpRequest, current: str) -> None:
    """Refuse a write whose `If-Match` names another version (RFC 9110 strong comparison)."""
    header = request.headers.get("If-Match")
    if not header:
        return
    wanted = {tag.strip() for tag in header.split(",")}
    if "*" in wanted or current in wanted:
        return
    raise PreconditionFailed(current)


# ---- paging


class PageMeta(Schema):
    count: int
    page: int
    page_size: int
    next: str | None
    previous: str | None


def page(
    request: HttpRequest, queryset: models.QuerySet[Any], number: int, size: int
) -> tuple[Iterable[Any], PageMeta]:
    """One page of `queryset` and links to its neighbours (same query string)."""
    count = queryset.count()
    start = (number - 1) * size
    items = list(queryset[start : start + size])
    return items, PageMeta(**_page_meta(request, count, number, size))


def counted_page_meta(
    request: HttpRequest,
    rows: list[Any],
    number: int,
    size: int,
    count_all: Callable[[], int],
) -> dict[str, Any]:
    """PageMeta's fields (as a dict) for page `number` read with its count in one query: the
    rows' last column is counted(). Only a page past the end, which has no row to carry the
    count, calls `count_all`."""
    start = (number - 1) * size
    count = rows[0][-1] if rows else (count_all() if start else 0)
    return _page_meta(request, count, number, size)


def counted() -> Window:
    """All matches of a query, on each of its rows (`COUNT(*) OVER ()`): see counted_page_meta()."""
    return Window(Count("*"))


def _page_meta(request: HttpRequest, count: int, number: int, size: int) -> dict[str, Any]:
    start = (number - 1) * size

    def link(n: int) -> str:
        query = request.GET.copy()
        query["page"] = str(n)
        return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")

    return {
        "count": count,
        "page": number,
        "page_size": size,
        "next": link(number + 1) if start + size < count else None,
        "previous": link(number - 1) if number > 1 and start - size < count else None,
    }


class CursorPageMeta(Schema):
    """Page metadata of a list that can also be walked with a cursor (`?cursor=`)."""

    count: int | None = Field(description="all matches; null when walking with a cursor")
    page: int | None = Field(description="null when walking with a cursor")
    page_size: int
    next: str | None
    previous: str | None = Field(description="null when walking with a cursor")


def cursor_page(
    request: HttpRequest, queryset: models.QuerySet[Any], cursor: str, size: int
) -> tuple[list[Any], CursorPageMeta]:
    """One page of `queryset`, newest first (by primary key), after the position `cursor`.

    An empty cursor starts at the newest. The database reads only the page, however deep:
    no OFFSET, no COUNT. The `next` link carries the cursor of the page's last item.
    """
    after = _decode_cursor(cursor)
    if after is not None:
        queryset = queryset.filter(pk__lt=after)
    items = list(queryset.order_by("-pk")[: size + 1])
    more, items = len(items) > size, items[:size]
    following = None
    if more:
        query = request.GET.copy()
        query.pop("page", None)
        query["cursor"] = _encode_cursor(items[-1].pk)
        following = request.build_absolute_uri(f"{request.path}?{query.urlencode()}")
    meta = CursorPageMeta(count=None, page=None, page_size=size, next=following, previous=None)
    return items, meta


def _encode_cursor(pk: int) -> str:
    return base64.urlsafe_b64encode(f"pk:{pk}".encode()).decode().rstrip("=")


def _decode_cursor(cursor: str) -> int | None:
    """The primary key a cursor points after; None for the start; 422 for anything else."""
    if not cursor:
        return None
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        kind, _colon, value = text.partition(":")
        if kind == "pk" and value.isascii() and value.isdigit() and len(value) <= 18:
            return int(value)
    except (ValueError, UnicodeDecodeError):
        pass
    raise ValidationError(
        {"cursor": _("This cursor is not valid. Start again without one, or with cursor=.")}
    )
