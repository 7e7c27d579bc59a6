"""The person's own settings: API tokens (created and shown once, listed, revoked)."""

from __future__ import annotations

from typing import cast

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from leitstern.accounts.forms import TokenForm
from leitstern.accounts.models import ApiToken, Person
from leitstern.accounts.tokens import create_token, revoke
from leitstern.orgs.models import Membership


@require_http_methods(["GET", "POST"])
def api_tokens(request: HttpRequest) -> HttpResponse:
    person = _signed_in(request)
    memberships = {
        m.organization.slug: m
        for m in Membership.objects.filter(person=person).select_related("organization")
    }
    choices = [(slug, m.organization.name) for slug, m in sorted(memberships.items())]
    form = TokenForm(request.POST or None, organizations=choices)
    created = None
    if request.method == "POST" and form.is_valid():
        _row, created = create_token(
            membership=memberships[form.cleaned_data["organization"]],
            name=form.cleaned_data["name"],
            expires_days=form.cleaned_data["expires_days"],
        )
        form = TokenForm(organizations=choices)
    tokens = ApiToken.objects.filter(membership__person=person).select_related(
        "membership__organization"
    )
    context = {"form": form, "tokens": tokens, "created": created, "has_orgs": bool(choices)}
    return render(request, "accounts/api_tokens.html", context)


def _signed_in(request: HttpRequest) -> Person:
    # LoginRequiredMiddleware sends anonymous visitors to the sign-in page before this point.
    return cast(Person, request.user)


@require_POST
def revoke_token(request: HttpRequest, prefix: str) -> HttpResponse:
    token = get_object_or_404(ApiToken, prefix=prefix, membership__person=_signed_in(request))
    revoke(token)
    messages.info(request, _("The token “%(name)s” is revoked.") % {"name": token.name})
    return redirect("api_tokens")
