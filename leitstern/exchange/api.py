"""API: the organisation's OKR work as one OKR-as-code document (export and import).

Like the web page, these are for facilitators and admins: an import writes across teams.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from ninja import Body, Query, Router, Schema
from ninja.responses import codes_4xx

from leitstern.exchange.document import DocumentError, parse
from leitstern.exchange.export import build_document
from leitstern.exchange.importer import Report, import_document
from leitstern.lib.apikit import PERSON_FIELDS, ProblemOut, problem, team_okrs_only
from leitstern.okrs.api import cycle_by_ref
from leitstern.orgs.access import require_role
from leitstern.orgs.models import Membership, Role

router = Router()

TEAM_OKRS_ONLY = "urn:leitstern:problem:team-okrs-only"


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
) -> dict[str, Any]:
    """Everything of the organisation's OKR work as one document (see docs/okr-as-code.md)."""
    membership: Membership = request.auth  # type: ignore[attr-defined]
    require_role(membership, Role.FACILITATOR)
    only = cycle_by_ref(membership, cycle) if cycle else None
    return build_document(membership.organization, cycle=only)


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
