"""The JSON API: one NinjaAPI composed from a Router per app (see each app's api.py).

Every operation authenticates with a bearer token scoped to one organisation; the token
acts with its creator's membership (`request.auth`). Errors are RFC 9457 problem details.
"""

from __future__ import annotations

import functools
import logging
import math
import time
from collections.abc import Callable
from typing import Any, Literal, TypeVar, cast

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DataError
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import URLPattern, URLResolver, re_path
from django.utils.translation import gettext as _
from ninja import Field, NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, Throttled, ValidationError
from ninja.responses import codes_4xx
from ninja.security import HttpBearer

from leitstern.accounts.tokens import find_token
from leitstern.lib.apikit import (
    PERSON_FIELDS,
    InputSchema,
    PreconditionFailed,
    ProblemOut,
    django_errors,
    problem,
    team_okrs_only,
)

logger = logging.getLogger(__name__)

TEAM_OKRS_ONLY = "urn:leitstern:problem:team-okrs-only"
VALIDATION = "urn:leitstern:problem:validation"


class TokenAuth(HttpBearer):
    """`Authorization: Bearer ls_…` → the creator's Membership, rate-limited per token."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        _refuse_nul_in_address(request)
        api_token = find_token(token)
        if api_token is None:
            raise AuthenticationError(
                401, _("The token is unknown, expired or revoked. Create a new one.")
            )
        _count_request(api_token.pk)
        membership = api_token.membership
        membership.api_token = api_token  # type: ignore[attr-defined]
        return membership


def _refuse_nul_in_address(request: HttpRequest) -> None:
    # The NUL character cannot be stored or compared by PostgreSQL: invalid input, not a 500.
    bad = [k for k, values in request.GET.lists() if any("\x00" in v for v in [k, *values])]
    if "\x00" in request.path:
        bad.append("path")
    if bad:
        raise ValidationError(
            [{"loc": ("query", k), "msg": "must not contain the NUL character"} for k in bad]
        )


def _count_request(token_id: int) -> None:
    # Fixed one-minute window in the cache. With several processes the cache must be shared
    # (settings.CACHES), otherwise each process counts on its own.
    limit = settings.LEITSTERN_API_RATE_LIMIT
    now = time.time()
    window = int(now // 60)
    key = f"leitstern:api-rate:{token_id}:{window}"
    cache.add(key, 0, timeout=90)
    try:
        used = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=90)
        used = 1
    if used > limit:
        raise Throttled(wait=math.ceil((window + 1) * 60 - now))


class LeitsternAPI(NinjaAPI):
    def _get_urls(self) -> list[URLResolver | URLPattern]:
        urls = super()._get_urls()
        # The API authenticates with tokens itself; Django's LoginRequiredMiddleware must not
        # turn an anonymous API call into a login redirect (django-ninja issue #1461).
        for pattern in urls:
            if isinstance(pattern, URLPattern):
                pattern.callback = _as_problem_on_405(pattern.callback)
                pattern.callback.login_required = False  # type: ignore[attr-defined]
        catch_all = re_path(r"^.*$", _unknown_path, name="api-unknown")
        catch_all.callback.login_required = False  # type: ignore[attr-defined]
        return [*urls, catch_all]


def _as_problem_on_405(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = view(request, *args, **kwargs)
        if response.status_code == 405 and "problem" not in response.get("Content-Type", ""):
            allowed = response.get("Allow", "")
            return problem(
                405,
                _("Method not allowed"),
                _("This address answers to: %(methods)s.") % {"methods": allowed},
                headers={"Allow": allowed},
            )
        return response

    return wrapper


def _unknown_path(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    return problem(
        404, _("Not found"), _("There is no API operation at this address. See /api/v1/docs.")
    )


api = LeitsternAPI(
    title="Leitstern API",
    version="1",
    description=(
        "Team OKRs as a trust architecture. Authenticate with `Authorization: Bearer <token>` "
        "(create one under “Your API tokens” or with `leitstern token create`). "
        "Errors are RFC 9457 problem details. See docs/api.md."
    ),
    urls_namespace="api",
    docs_url="/docs",
    openapi_url="/openapi.json",
    auth=TokenAuth(),
)


# ---- errors as problem details


def _field(loc: list[Any] | tuple[Any, ...]) -> str:
    parts = [str(p) for p in loc]
    while parts and parts[0] in {"body", "query", "path", "header", "payload", "filters"}:
        parts.pop(0)
    return ".".join(parts)


def _on_validation(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    errors = [
        {"field": _field(e.get("loc", ())), "message": str(e.get("msg", "")), "type": e.get("type")}
        for e in exc.errors
    ]
    persons = [
        e["field"]
        for e, raw in zip(errors, exc.errors, strict=True)
        if raw.get("type") == "extra_forbidden"
        and str(e["field"]).rsplit(".", 1)[-1].lower() in PERSON_FIELDS
    ]
    if persons:
        return problem(
            422,
            _("Team OKRs only"),
            team_okrs_only(),
            type_=TEAM_OKRS_ONLY,
            errors=[{"field": f, "message": team_okrs_only()} for f in persons],
        )
    return problem(
        422,
        _("The request is not valid"),
        "; ".join(f"{e['field'] or _('request')}: {e['message']}" for e in errors),
        type_=VALIDATION,
        errors=errors,
    )


def _on_django_validation(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
    errors = django_errors(exc)
    return problem(
        422,
        _("The change was refused"),
        " ".join(e["message"] for e in errors),
        type_=VALIDATION,
        errors=errors,
    )


def _on_404(request: HttpRequest, exc: Exception) -> HttpResponse:
    return problem(404, _("Not found"), _("There is no such object in your organisation."))


def _on_403(request: HttpRequest, exc: Exception) -> HttpResponse:
    detail = str(exc) or _("Your role in this organisation does not allow this.")
    return problem(403, _("Not allowed"), detail)


def _on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    headers = {}
    if isinstance(exc, AuthenticationError):
        headers["WWW-Authenticate"] = 'Bearer realm="leitstern"'
        detail = (
            exc.message
            if exc.message != "Unauthorized"
            else _("Send an API token: Authorization: Bearer <token>.")
        )
        return problem(401, _("Authentication needed"), detail, headers=headers)
    if isinstance(exc, Throttled):
        wait = str(exc.wait or 60)
        return problem(
            429,
            _("Too many requests"),
            _("This token has used its requests for this minute. Try again in %(s)s seconds.")
            % {"s": wait},
            headers={"Retry-After": wait},
        )
    return problem(exc.status_code, exc.message, exc.message)


def _on_precondition(request: HttpRequest, exc: PreconditionFailed) -> HttpResponse:
    return problem(
        412,
        _("Changed meanwhile"),
        _(
            "Someone changed this since you read it (If-Match does not match). Read it again, "
            "merge your change and send it with the new ETag."
        ),
        headers={"ETag": exc.current},
    )


def _on_data_error(request: HttpRequest, exc: DataError) -> HttpResponse:
    logger.warning("API input the database refused: %s", exc)
    return problem(
        422,
        _("The request is not valid"),
        _("A value cannot be stored (too long, out of range or with forbidden characters)."),
        type_=VALIDATION,
    )


def _on_anything(request: HttpRequest, exc: Exception) -> HttpResponse:
    logger.exception("API error", exc_info=exc)
    return problem(
        500,
        _("Something went wrong on our side"),
        _("The error was logged. Please try again later."),
    )


_E = TypeVar("_E", bound=Exception)


def _handle(exc_class: type[_E], handler: Callable[[HttpRequest, _E], HttpResponse]) -> None:
    # django-ninja annotates the handler's argument as `_E | type[_E]`, but it always passes
    # the raised instance; the cast keeps the handlers' own (precise) signatures.
    api.add_exception_handler(
        exc_class, cast("Callable[[HttpRequest, Any], HttpResponse]", handler)
    )


_handle(ValidationError, _on_validation)
_handle(DjangoValidationError, _on_django_validation)
_handle(Http404, _on_404)
_handle(PermissionDenied, _on_403)
_handle(HttpError, _on_http_error)
_handle(PreconditionFailed, _on_precondition)
_handle(DataError, _on_data_error)
_handle(Exception, _on_anything)


# ---- the table of contents: one router per app

from leitstern.checkins.api import router as checkins_router  # noqa: E402
from leitstern.exchange.api import router as exchange_router  # noqa: E402
from leitstern.frame.api import router as frame_router  # noqa: E402
from leitstern.health.api import router as health_router  # noqa: E402
from leitstern.learning.api import router as learning_router  # noqa: E402
from leitstern.okrs.api import router as okrs_router  # noqa: E402
from leitstern.orgs.api import router as orgs_router  # noqa: E402

api.add_router("", orgs_router, tags=["organisation and teams"])
api.add_router("", frame_router, tags=["frame"])
api.add_router("", okrs_router, tags=["cycles, objectives, key results"])
api.add_router("", checkins_router, tags=["check-ins and problems"])
api.add_router("", learning_router, tags=["retrospectives and learnings"])
api.add_router("", health_router, tags=["health metrics"])
api.add_router("", exchange_router, tags=["export and import"])


# ---- the quality coach (pure Python, so its endpoint lives here rather than in the coach)


class FindingOut(Schema):
    code: str
    message: str
    rule: str
    certainty: str
    severity: str


class CoachReviewOut(Schema):
    text: str
    kind: str
    lang: str
    reader_lang: str
    certainty: str
    rule: str
    findings: list[FindingOut]
    suggestion: str | None


class CoachReviewIn(InputSchema):
    text: str = Field(..., min_length=1, max_length=1000, description="the key result's wording")
    objective: str | None = Field(None, max_length=1000)
    lang: Literal["de", "en"] | None = Field(None, description="the text's language")
    reader_lang: Literal["de", "en"] | None = Field(None, description="language of the findings")
    baseline: float | None = Field(None, allow_inf_nan=False)
    target: float | None = Field(None, allow_inf_nan=False)
    unit: str | None = Field(None, max_length=40)


@api.post("/coach/review", response={200: CoachReviewOut, codes_4xx: ProblemOut}, tags=["coach"])
def coach_review(request: HttpRequest, payload: CoachReviewIn) -> dict[str, Any]:
    """Review a key result: its kind (outcome, output, activity, …), findings, a suggestion."""
    from leitstern.coach import review_key_result

    return review_key_result(  # type: ignore[no-any-return]
        payload.text, **payload.dict(exclude={"text"}, exclude_none=True)
    ).to_dict()
