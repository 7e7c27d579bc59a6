"""Organisation pages of the trust app: charter, record of processing, settings, audit trail."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from leitstern.orgs.access import get_membership, require_role
from leitstern.orgs.models import Role, Team
from leitstern.trust.charter import charter_facts, processing_record
from leitstern.trust.forms import OrgSettingsForm
from leitstern.trust.models import AuditEvent
from leitstern.trust.services import audit

AUDIT_PAGE_SIZE = 50


@require_GET
def charter(request: HttpRequest, org: str) -> HttpResponse:
    membership = get_membership(request.user, org)  # type: ignore[arg-type]
    organization = membership.organization
    context = {
        "organization": organization,
        "membership": membership,
        "facts": charter_facts(organization),
        "team_count": Team.objects.in_org(organization).count(),
    }
    return render(request, "trust/charter.html", context)


@require_GET
def privacy_record(request: HttpRequest, org: str) -> HttpResponse:
    membership = get_membership(request.user, org)  # type: ignore[arg-type]
    organization = membership.organization
    context = {
        "organization": organization,
        "membership": membership,
        "rows": processing_record(organization),
    }
    return render(request, "trust/privacy_record.html", context)


@require_http_methods(["GET", "POST"])
def org_settings(request: HttpRequest, org: str) -> HttpResponse:
    membership = get_membership(request.user, org)  # type: ignore[arg-type]
    require_role(membership, Role.ADMIN)
    organization = membership.organization
    form = OrgSettingsForm(request.POST or None, instance=organization)
    if request.method == "POST" and form.is_valid():
        changed = form.has_changed()
        form.save()
        if changed:
            audit(organization=organization, actor=membership, action="settings.changed")
        messages.success(request, _("Settings saved. The trust charter shows them now."))
        return redirect("org_settings", org=organization.slug)
    context = {"organization": organization, "membership": membership, "form": form}
    return render(request, "trust/org_settings.html", context)


@require_GET
def audit_log(request: HttpRequest, org: str) -> HttpResponse:
    membership = get_membership(request.user, org)  # type: ignore[arg-type]
    require_role(membership, Role.ADMIN)
    organization = membership.organization
    events = AuditEvent.objects.filter(organization=organization).order_by("-occurred_at", "-pk")
    page = Paginator(events, AUDIT_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "organization": organization,
        "membership": membership,
        "page": page,
    }
    return render(request, "trust/audit_log.html", context)
