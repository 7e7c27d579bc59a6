"""Import and export in the web app, for facilitators and admins.

An upload is first checked as a dry run and previewed; only the confirmation writes.
"""

from __future__ import annotations

import datetime
import secrets
import uuid
from collections.abc import Iterator
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from leitstern.exchange.document import MAX_BYTES
from leitstern.exchange.export import (
    CSV_DIALECTS,
    csv_pieces,
    document_text,
    web_export_rows,
)
from leitstern.exchange.importer import import_file
from leitstern.exchange.messages import too_large, too_large_to_download
from leitstern.exchange.models import PendingImport
from leitstern.okrs.models import Cycle
from leitstern.orgs.access import get_in_org, get_membership, require_role
from leitstern.orgs.models import Membership, Organization, Role

FORMATS = {
    "json": ("application/json", "json"),
    "yaml": ("application/yaml", "yaml"),
    "csv": ("text/csv", "csv"),
}


class UploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("File"),
        help_text=gettext_lazy("JSON or YAML (OKR-as-code) or a CSV sheet, at most 20 MB."),
    )


@require_http_methods(["GET", "POST"])
def exchange(request: HttpRequest, org: str) -> HttpResponseBase:
    membership = get_membership(request.user, org)  # type: ignore[arg-type]
    require_role(membership, Role.FACILITATOR)
    organization = membership.organization
    kind = request.GET.get("download")
    if kind in FORMATS:
        dialect = request.GET.get("dialect", "standard")
        dialect = dialect if dialect in CSV_DIALECTS else "standard"
        return _download(request, membership, kind, dialect)
    PendingImport.objects.filter(
        created_at__lt=timezone.now() - datetime.timedelta(days=1)
    ).delete()
    if request.method == "POST" and "confirm" in request.POST:
        return _confirm(request, membership)
    form = UploadForm(request.POST or None, request.FILES or None)
    context = {"organization": organization, "membership": membership, "form": form}
    context.update(_export_choices(organization))
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            form.add_error("file", too_large(MAX_BYTES // 2**20))
        else:
            raw = upload.read()
            report = import_file(
                raw,
                organization,
                name=upload.name,
                dry_run=True,
                admin=membership.has_role(Role.ADMIN),
            )
            context["report"] = report
            if report.ok:
                pending = PendingImport.objects.create(
                    organization=organization,
                    token=secrets.token_urlsafe(24),
                    name=upload.name[:200],
                    content=raw,
                )
                context["pending"] = pending
    return render(request, "exchange/exchange.html", context)


def _export_choices(organization: Organization) -> dict[str, Any]:
    limit = settings.LEITSTERN_EXPORT_WEB_LIMIT
    return {
        "cycles": Cycle.objects.filter(organization=organization).order_by("-starts_on"),
        "document_too_large": web_export_rows(organization) > limit,
        "sheet_too_large": web_export_rows(organization, format="csv") > limit,
    }


def _download(
    request: HttpRequest, membership: Membership, kind: str, dialect: str
) -> HttpResponseBase:
    """The export as a file, written while it is read: memory stays small at any size.

    A web worker is stopped after the server's timeout, streaming or not, so an export
    larger than settings.LEITSTERN_EXPORT_WEB_LIMIT is refused with what to do instead.
    """
    organization = membership.organization
    cycle = None
    if request.GET.get("cycle"):
        cycle = get_in_org(Cycle.objects.all(), membership, uuid=_uuid(request.GET["cycle"]))
    rows = web_export_rows(organization, cycle=cycle, format=kind)
    if rows > settings.LEITSTERN_EXPORT_WEB_LIMIT:
        messages.error(
            request, too_large_to_download(organization.slug, cycle.name if cycle else None)
        )
        return redirect(reverse("exchange", kwargs={"org": organization.slug}) + "#export")
    if kind == "csv":
        pieces = csv_pieces(organization, cycle=cycle, dialect=dialect)
    else:
        pieces = document_text(organization, format=kind, cycle=cycle)
    content_type, ext = FORMATS[kind]
    response = file_response(pieces, rows, f"{content_type}; charset=utf-8")
    stamp = timezone.localdate().isoformat()
    scope = f"-{slugify(cycle.name)}" if cycle else ""
    suffix = "" if kind != "csv" or dialect == "standard" else f"-{dialect}"
    response["Content-Disposition"] = (
        f'attachment; filename="{organization.slug}{scope}-okrs-{stamp}{suffix}.{ext}"'
    )
    return response


# Exports of fewer check-ins (or key results) than this are sent as one body with its length
# (a few MB at most); larger ones are written while they are read, so a worker's memory
# stays small whatever the size.
STREAM_FROM = 20_000


def file_response(pieces: Iterator[str], rows: int, content_type: str) -> HttpResponseBase:
    """An export's pieces as the answer: whole when small, streamed when large."""
    if rows < STREAM_FROM:
        return HttpResponse("".join(pieces), content_type=content_type)
    return StreamingHttpResponse(pieces, content_type=content_type)


def _uuid(text: str) -> uuid.UUID:
    try:
        return uuid.UUID(text)
    except ValueError as exc:
        raise Http404 from exc


def _confirm(request: HttpRequest, membership) -> HttpResponse:  # type: ignore[no-untyped-def]
    pending = PendingImport.objects.filter(
        organization=membership.organization, token=request.POST.get("confirm", "")
    ).first()
    if pending is None:
        messages.info(request, _("That upload has expired. Please upload the file again."))
        return redirect("exchange", org=membership.organization.slug)
    report = import_file(
        bytes(pending.content),
        membership.organization,
        name=pending.name,
        admin=membership.has_role(Role.ADMIN),
    )
    pending.delete()
    if report.ok:
        messages.info(
            request,
            _("Imported. %(n)s objects created, %(u)s updated.")
            % {"n": sum(report.created.values()), "u": sum(report.updated.values())},
        )
        return redirect("exchange", org=membership.organization.slug)
    context = {
        "organization": membership.organization,
        "membership": membership,
        "form": UploadForm(),
        "report": report,
        **_export_choices(membership.organization),
    }
    return render(request, "exchange/exchange.html", context)
