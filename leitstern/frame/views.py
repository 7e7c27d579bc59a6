"""Editing the leadership frame: vision, purpose, MOALs; and a team's strategy time."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from leitstern.frame.forms import FrameForm, MoalForm, StrategyTimeForm
from leitstern.frame.models import Frame, Moal, StrategyTime
from leitstern.lib.forms import apply_validation_error, render_form
from leitstern.orgs.access import get_in_org, get_membership, require_role, require_team_editor
from leitstern.orgs.models import Role, Team


def frame_detail(request: HttpRequest, org: str) -> HttpResponse:
    membership = get_membership(request.user, org)  # type: ignore[arg-type]
    organization = membership.organization
    return render(
        request,
        "frame/frame_detail.html",
        {
            "organization": organization,
            "membership": membership,
            "frame": Frame.objects.filter(organization=organization).first(),
            "moals": Moal.objects.filter(organization=organization).order_by(
                "archived", "position"
            ),
            "can_edit": membership.has_role(Role.FACILITATOR),
        },
    )


@require_http_methods(["GET", "POST"])
def frame_edit(request: HttpRequest, org: str) -> HttpResponse:
    membership = get_membership(request.user, org)  # type: ignore[arg-type]
    require_role(membership, Role.FACILITATOR)
    frame, _created = Frame.objects.get_or_create(organization=membership.organization)
    form = FrameForm(request.POST or None, instance=frame)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Frame saved."))
        return redirect("frame_detail", org=org)
    return render_form(
        request,
        membership=membership,
        form=form,
        heading=_("Vision and purpose"),
        back_url=reverse("frame_detail", args=[org]),
        intro=_("Leadership sets the frame; teams decide what to do within it."),
    )


@require_http_methods(["GET", "POST"])
def moal_edit(request: HttpRequest, org: str, moal: str | None = None) -> HttpResponse:
    membership = get_membership(request.user, org)  # type: ignore[arg-type]
    require_role(membership, Role.FACILITATOR)
    instance = (
        get_in_org(Moal.objects.all(), membership, uuid=moal)
        if moal
        else Moal(
            organization=membership.organization,
            position=Moal.objects.filter(organization=membership.organization).count(),
        )
    )
    form = MoalForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Mid-term goal saved."))
        return redirect("frame_detail", org=org)
    return render_form(
        request,
        membership=membership,
        form=form,
        heading=_("Edit mid-term goal") if moal else _("New mid-term goal"),
        back_url=reverse("frame_detail", args=[org]),
    )


@require_http_methods(["GET", "POST"])
def strategy_time_edit(request: HttpRequest, org: str, team: str) -> HttpResponse:
    membership = get_membership(request.user, org)  # type: ignore[arg-type]
    team_obj = get_in_org(Team.objects.all(), membership, slug=team)
    require_team_editor(membership, team_obj)
    instance = StrategyTime.objects.filter(team=team_obj).first() or StrategyTime(
        organization=membership.organization, team=team_obj
    )
    form = StrategyTimeForm(request.POST or None, instance=instance)
    back = reverse("team_detail", args=[org, team])
    if request.method == "POST" and form.is_valid():
        try:
            instance.full_clean()
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            instance.save()
            messages.success(request, _("Strategy time saved. The organisation home shows it."))
            return redirect(back)
    return render_form(
        request,
        membership=membership,
        form=form,
        heading=_("Protected strategy time of %(team)s") % {"team": team_obj.name},
        intro=_(
            "The team declares its own protected time for OKR work — hours a week, "
            "a fixed slot, or both."
        ),
        back_url=back,
    )
