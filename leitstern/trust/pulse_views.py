"""Pages of the team psychological-safety pulse. Never compares or ranks teams."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from leitstern.orgs.access import get_in_org, get_membership, is_team_member, require_role
from leitstern.orgs.models import Membership, Role, Team
from leitstern.trust import services
from leitstern.trust.forms import PulseAnswerForm
from leitstern.trust.models import PulseRound
from leitstern.trust.questionnaire import THEMES


def _may_see_results(membership: Membership, team: Team) -> bool:
    return membership.has_role(Role.FACILITATOR) or is_team_member(membership, team)


@require_GET
def pulse_index(request: HttpRequest, org: str) -> HttpResponse:
    membership = get_membership(request.user, org)  # type: ignore[arg-type]
    organization = membership.organization
    teams = Team.objects.in_org(organization).order_by("name")
    if not membership.has_role(Role.FACILITATOR):
        teams = teams.filter(memberships__membership=membership)
    open_team_ids = set(
        PulseRound.objects.filter(organization=organization)
        .open()
        .values_list("team_id", flat=True)
    )
    context = {
        "organization": organization,
        "membership": membership,
        "teams": [(team, team.pk in open_team_ids) for team in teams],
        "k": services.pulse_threshold(organization),
    }
    return render(request, "trust/pulse_index.html", context)


def _team_page(
    request: HttpRequest, membership: Membership, team: Team, form: PulseAnswerForm | None = None
) -> HttpResponse:
    organization = membership.organization
    open_round = PulseRound.objects.filter(team=team).open().first()
    member = is_team_member(membership, team)
    answered = open_round is not None and services.has_answered(
        pulse_round=open_round, membership=membership
    )
    closed = list(
        PulseRound.objects.filter(team=team).closed().order_by("-opened_on", "-created_at")
    )
    trend = services.team_trend(team)
    shown = {result.pulse_round.pk for result in trend}
    context = {
        "organization": organization,
        "membership": membership,
        "team": team,
        "open_round": open_round,
        "is_team_member": member,
        "answered": answered,
        "form": form
        if form is not None
        else (PulseAnswerForm() if member and not answered else None),
        "can_run": membership.has_role(Role.FACILITATOR),
        "k": services.pulse_threshold(organization),
        "team_size": services.team_size(team),
        "trend": trend,
        "latest": trend[-1] if trend else None,
        "hidden_rounds": [r for r in closed if r.pk not in shown],
        "themes": THEMES,
    }
    return render(request, "trust/pulse_team.html", context)


def _team(request: HttpRequest, org: str, team: str) -> tuple[Membership, Team]:
    membership = get_membership(request.user, org)  # type: ignore[arg-type]
    team_obj = get_in_org(Team.objects.all(), membership, slug=team)
    if not _may_see_results(membership, team_obj):
        raise PermissionDenied(_("A team's pulse is for the team itself and its facilitators."))
    return membership, team_obj


@require_GET
def pulse_team(request: HttpRequest, org: str, team: str) -> HttpResponse:
    membership, team_obj = _team(request, org, team)
    return _team_page(request, membership, team_obj)


@require_POST
def pulse_open(request: HttpRequest, org: str, team: str) -> HttpResponse:
    membership = get_membership(request.user, org)  # type: ignore[arg-type]
    team_obj = get_in_org(Team.objects.all(), membership, slug=team)
    require_role(membership, Role.FACILITATOR)
    try:
        services.open_round(team=team_obj, by=membership)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The pulse round is open. Results appear once it is closed."))
    return redirect("pulse_team", org=org, team=team_obj.slug)


@require_POST
def pulse_answer(request: HttpRequest, org: str, team: str, pulse_round: str) -> HttpResponse:
    membership = get_membership(request.user, org)  # type: ignore[arg-type]
    team_obj = get_in_org(Team.objects.all(), membership, slug=team)
    round_obj = get_in_org(PulseRound.objects.all(), membership, uuid=pulse_round, team=team_obj)
    if not is_team_member(membership, team_obj):
        raise PermissionDenied(
            _("Only members of %(team)s answer its pulse.") % {"team": team_obj.name}
        )
    form = PulseAnswerForm(request.POST)
    if not form.is_valid():
        return _team_page(request, membership, team_obj, form)
    try:
        services.answer_round(
            pulse_round=round_obj, membership=membership, answers=form.cleaned_data
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Thank you. Your answers are stored without your name."))
    return redirect("pulse_team", org=org, team=team_obj.slug)


@require_POST
def pulse_close(request: HttpRequest, org: str, team: str, pulse_round: str) -> HttpResponse:
    membership = get_membership(request.user, org)  # type: ignore[arg-type]
    team_obj = get_in_org(Team.objects.all(), membership, slug=team)
    round_obj = get_in_org(PulseRound.objects.all(), membership, uuid=pulse_round, team=team_obj)
    require_role(membership, Role.FACILITATOR)
    try:
        services.close_round(pulse_round=round_obj, by=membership)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("pulse_team", org=org, team=team_obj.slug)
