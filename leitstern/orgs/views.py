"""People and teams, managed by admins."""

from __future__ import annotations

from allauth.account.forms import ResetPasswordForm
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from leitstern.lib.forms import apply_validation_error, render_form
from leitstern.orgs import services
from leitstern.orgs.access import get_in_org, get_membership, require_role
from leitstern.orgs.forms import InviteForm, MembershipForm, TeamForm
from leitstern.orgs.models import Membership, Role, Team


def people(request: HttpRequest, org: str) -> HttpResponse:
    membership = get_membership(request.user, org)  # type: ignore[arg-type]
    require_role(membership, Role.ADMIN)
    members = (
        Membership.objects.filter(organization=membership.organization)
        .select_related("person")
        .prefetch_related("teams")
        .order_by("person__email")
    )
    return render(
        request,
        "orgs/people.html",
        {
            "organization": membership.organization,
            "membership": membership,
            "members": members,
            "form": InviteForm(organization=membership.organization),
        },
    )


@require_POST
def person_invite(request: HttpRequest, org: str) -> HttpResponse:
    membership = get_membership(request.user, org)  # type: ignore[arg-type]
    require_role(membership, Role.ADMIN)
    form = InviteForm(request.POST, organization=membership.organization)
    if form.is_valid():
        try:
            services.invite(organization=membership.organization, **form.cleaned_data)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            _send_invitation(request, form.cleaned_data["email"])
            messages.success(
                request,
                _("Invited %(email)s. They get an email to set a password.")
                % {"email": form.cleaned_data["email"]},
            )
            return redirect("people", org=org)
    members = (
        Membership.objects.filter(organization=membership.organization)
        .select_related("person")
        .prefetch_related("teams")
        .order_by("person__email")
    )
    return render(
        request,
        "orgs/people.html",
        {
            "organization": membership.organization,
            "membership": membership,
            "members": members,
            "form": form,
        },
        status=400,
    )


def _send_invitation(request: HttpRequest, email: str) -> None:
    # The password-reset mail doubles as the invitation: it lets the person set a password.
    reset = ResetPasswordForm(data={"email": email})
    if reset.is_valid():
        reset.save(request)


@require_http_methods(["GET", "POST"])
def person_edit(request: HttpRequest, org: str, person: int) -> HttpResponse:
    membership = get_membership(request.user, org)  # type: ignore[arg-type]
    require_role(membership, Role.ADMIN)
    target = get_in_org(
        Membership.objects.select_related("person", "organization"), membership, pk=person
    )
    form = MembershipForm(request.POST or None, instance=target)
    if request.method == "POST":
        if request.POST.get("remove"):
            if not request.POST.get("confirm_remove"):
                messages.error(request, _("Tick the confirmation to remove the person."))
                return redirect("person_edit", org=org, person=target.pk)
            return _remove(request, org, target)
        if form.is_valid():
            try:
                services.change_role(membership=target, role=form.cleaned_data["role"])
                services.set_teams(membership=target, teams=form.cleaned_data["teams"])
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(request, _("Saved."))
                return redirect("people", org=org)
    return render(
        request,
        "orgs/person_form.html",
        {
            "organization": membership.organization,
            "membership": membership,
            "form": form,
            "target": target,
            "heading": str(target.person),
            "back_url": reverse("people", args=[org]),
        },
    )


def _remove(request: HttpRequest, org: str, target: Membership) -> HttpResponse:
    try:
        services.remove_member(membership=target)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("person_edit", org=org, person=target.pk)
    messages.success(request, _("Removed from the organisation. The teams' OKR work stays."))
    return redirect("people", org=org)


@require_http_methods(["GET", "POST"])
def team_edit(request: HttpRequest, org: str, team: str | None = None) -> HttpResponse:
    membership = get_membership(request.user, org)  # type: ignore[arg-type]
    require_role(membership, Role.ADMIN)
    instance = (
        get_in_org(Team.objects.all(), membership, slug=team)
        if team
        else Team(organization=membership.organization)
    )
    form = TeamForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        saved = form.save()
        messages.success(request, _("Team saved."))
        return redirect("team_detail", org=org, team=saved.slug)
    back = reverse("team_detail", args=[org, team]) if team else reverse("team_list", args=[org])
    return render_form(
        request,
        membership=membership,
        form=form,
        heading=_("Edit team") if team else _("New team"),
        back_url=back,
        intro=_("Teams own OKRs. People join teams on the people page."),
    )
