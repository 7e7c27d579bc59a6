"""Import and export in the web app, for facilitators and admins.

An upload is first checked as a dry run and previewed; only the confirmation writes.
"""

from __future__ import annotations

import datetime
import secrets

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from leitstern.exchange.document import MAX_BYTES
from leitstern.exchange.export import CSV_DIALECTS, build_document, to_csv, to_json, to_yaml
from leitstern.exchange.importer import import_file
from leitstern.exchange.messages import too_large
from leitstern.exchange.models import PendingImport
from leitstern.orgs.access import get_membership, require_role
from leitstern.orgs.models import Organization, Role

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
def exchange(request: HttpRequest, org: str) -> HttpResponse:
    membership = get_membership(request.user, org)  # type: ignore[arg-type]
    require_role(membership, Role.FACILITATOR)
    organization = membership.organization
    kind = request.GET.get("download")
    if kind in FORMATS:
        dialect = request.GET.get("dialect", "standard")
        return _download(organization, kind, dialect if dialect in CSV_DIALECTS else "standard")
    PendingImport.objects.filter(
        created_at__lt=timezone.now() - datetime.timedelta(days=1)
    ).delete()
    if request.method == "POST" and "confirm" in request.POST:
        return _confirm(request, membership)
    form = UploadForm(request.POST or None, request.FILES or None)
    context = {"organization": organization, "membership": membership, "form": form}
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


def _download(organization: Organization, kind: str, dialect: str) -> HttpResponse:
    suffix = ""
    if kind == "csv":
        text = to_csv(organization, dialect=dialect)
        suffix = "" if dialect == "standard" else f"-{dialect}"
    else:
        doc = build_document(organization)
        text = to_json(doc) if kind == "json" else to_yaml(doc)
    content_type, ext = FORMATS[kind]
    response = HttpResponse(text, content_type=f"{content_type}; charset=utf-8")
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = (
        f'attachment; filename="{organization.slug}-okrs-{stamp}{suffix}.{ext}"'
    )
    return response


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
    }
    return render(request, "exchange/exchange.html", context)
