"""Personal data rights, outside any organisation: download my data, delete my account."""

from __future__ import annotations

import json

from django.contrib.auth import logout
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from leitstern.lib.forms import apply_validation_error
from leitstern.orgs.access import organizations_of
from leitstern.trust.forms import DeleteAccountForm
from leitstern.trust.privacy import delete_account, last_admin_organizations, personal_data


def _page(request: HttpRequest, form: DeleteAccountForm) -> HttpResponse:
    context = {
        "form": form,
        "organizations": organizations_of(request.user),  # type: ignore[arg-type]
        "last_admin_of": last_admin_organizations(request.user),  # type: ignore[arg-type]
    }
    return render(request, "trust/my_data.html", context)


@require_GET
def my_data(request: HttpRequest) -> HttpResponse:
    return _page(request, DeleteAccountForm())


@require_GET
def my_data_download(request: HttpRequest) -> HttpResponse:
    data = personal_data(person=request.user)  # type: ignore[arg-type]
    response = HttpResponse(
        json.dumps(data, indent=2, ensure_ascii=False), content_type="application/json"
    )
    filename = f"leitstern-personal-data-{timezone.localdate():%Y-%m-%d}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


@require_http_methods(["POST"])
def my_account_delete(request: HttpRequest) -> HttpResponse:
    form = DeleteAccountForm(request.POST)
    if not form.is_valid():
        return _page(request, form)
    try:
        delete_account(person=request.user, password=form.cleaned_data["password"])  # type: ignore[arg-type]
    except ValidationError as error:
        apply_validation_error(form, error)
        return _page(request, form)
    logout(request)
    return redirect("account_deleted")


def account_deleted(request: HttpRequest) -> HttpResponse:
    return render(request, "trust/account_deleted.html")
