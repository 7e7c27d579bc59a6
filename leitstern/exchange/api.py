"""API: the organisation's OKR work as one OKR-as-code document (export and import).

Like the web page, these are for facilitators and admins: an import writes across teams.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from ninja import Body, Query, Router, Schema
from ninja.responses import codes_4xx

from leitstern.exchange.document import DocumentError, parse
from leitstern.exchange.export import api_text, web_export_rows
from leitstern.exchange.importer import Report, import_document
from leitstern.exchange.messages import too_large_for_the_api
from leitstern.exchange.views import file_response
from leitstern.lib.apikit import PERSON_FIELDS, ProblemOut, problem, team_okrs_only
from leitstern.okrs.api import cycle_by_ref
from leitstern.orgs.access import require_role
from leitstern.orgs.models import Membership, Role

router = Router()

TEAM_OKRS_ONLY = "urn:leitstern:problem:team-okrs-only"
EXPORT_TOO_LARGE = "urn:leitstern:problem:export-too-large"


class ImportReportOut(Schema):
    ok: bool
    dry_run: bool
    changed: bool
    created: dict[str, int]
    updated: dict[str, int]
    unchanged: dict[str, int]


@router.get("/export", response={200: dict[str, Any], codes_4xx: ProblemOut})
def export(
    request: HttpRequest,
    cycle: str | None = Query(None, max_length=80, description="only this cycle (UUID or name)"),
) -> HttpResponseBase:
    """Everything of the organisation's OKR work as one document (see docs/okr-as-code.md).

    A large answer is streamed (chunked). One too large to finish within the web server's
    time limit (more check-ins than `LEITSTERN_EXPORT_WEB_LIMIT`, 250,000 by default) is
    refused with 422 `urn:leitstern:problem:export-too-large`: ask for one cycle at a time
    (`?cycle=`), or run `leitstern export` on the server.
    """
    membership: Membership = request.auth  # type: ignore[attr-defined]
    require_role(membership, Role.FACILITATOR)
    only = cycle_by_ref(membership, cycle) if cycle else None
    organization = membership.organization
    rows = web_export_rows(organization, cycle=only)
    limit = settings.LEITSTERN_EXPORT_WEB_LIMIT
    if rows > limit:
        return problem(
            422,
            _("Too large for one answer"),
            too_large_for_the_api(limit, cycle=only is not None),
            type_=EXPORT_TOO_LARGE,
        )
    pieces = api_text(organization, cycle=only)
    return file_response(pieces, rows, "application/json; charset=utf-8")


@router.post("/import", response={200: ImportReportOut, codes_4xx: ProblemOut})
def import_(
    request: HttpRequest,
    document: dict[str, Any] = Body(  # noqa: B008
        ..., description="see docs/schema/leitstern-export.schema.json"
    ),
    dry_run: bool = Query(False, description="check and report, write nothing"),
) -> Any:
    """Import a document: validated as a whole, all or nothing, safe to repeat."""
    membership: Membership = request.auth  # type: ignore[attr-defined]
    require_role(membership, Role.FACILITATOR)
    try:
        doc = parse(document)
    except DocumentError as exc:
        return _refusal(exc.errors)
    report = import_document(
        membership.organization, doc, dry_run=dry_run, admin=membership.has_role(Role.ADMIN)
    )
    if not report.ok:
        return _refusal(report.errors)
    return _report(report)


def _report(report: Report) -> dict[str, Any]:
    return {
        "ok": report.ok,
        "dry_run": report.dry_run,
        "changed": report.changed,
        "created": dict(report.created),
        "updated": dict(report.updated),
        "unchanged": dict(report.unchanged),
    }


def _refusal(errors: list[tuple[str, str]]) -> HttpResponse:
    listed = [{"field": path, "message": message} for path, message in errors]
    persons = [e for e in listed if e["field"].rsplit(".", 1)[-1].lower() in PERSON_FIELDS]
    if persons:
        return problem(
            422, _("Team OKRs only"), team_okrs_only(), type_=TEAM_OKRS_ONLY, errors=persons
        )
    return problem(
        422,
        _("The file was not imported"),
        ngettext(
            "%(n)s problem found; nothing was written.",
            "%(n)s problems found; nothing was written.",
            len(listed),
        )
        % {"n": len(listed)},
        type_="urn:leitstern:problem:validation",
        errors=listed,
    )
