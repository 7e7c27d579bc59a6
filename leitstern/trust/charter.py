"""The facts the trust charter and the record of processing are generated from.

Everything here is read from the organisation's settings and data at request time, so a
changed setting changes the charter on the next page view.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from leitstern.orgs.models import Attribution, Organization, Team
from leitstern.trust.services import pulse_threshold

FAILED_SIGNIN_KEEP_DAYS = 1  # leitstern purge deletes failed sign-in records after a day


@dataclass(frozen=True)
class SmallTeam:
    name: str
    size: int


def small_teams(organization: Organization, k: int) -> list[SmallTeam]:
    """Teams with fewer members than k, alphabetically: their figures can point to persons."""
    teams = (
        Team.objects.in_org(organization)
        .annotate(size=Count("memberships"))
        .filter(size__lt=k)
        .order_by("name")
    )
    return [SmallTeam(name=t.name, size=t.size) for t in teams]


def charter_facts(organization: Organization) -> dict[str, Any]:
    k = pulse_threshold(organization)
    return {
        "k": k,
        "names_shown": organization.attribution == Attribution.TEAM_AND_NAME,
        "small_teams": small_teams(organization, k),
        "session_hours": settings.SESSION_COOKIE_AGE // 3600,
        "idle_minutes": settings.LEITSTERN_SESSION_IDLE_SECONDS // 60,
        "lockout_failures": settings.AXES_FAILURE_LIMIT,
        "lockout_minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
        "failed_signin_days": FAILED_SIGNIN_KEEP_DAYS,
    }


def processing_record(organization: Organization) -> list[dict[str, Any]]:
    """The record of processing: what personal data exists, why, for how long, who sees it."""
    facts = charter_facts(organization)
    names = (
        _("Your name as plain text on the problems and help offers you write.")
        if facts["names_shown"]
        else _("Not recorded: this organisation attributes problems and help offers to teams only.")
    )
    return [
        _row(
            _("Account"),
            _("Email address, name, language, date joined, time of the last sign-in."),
            _("Signing in, invitations and password reset."),
            _("Until you delete your account."),
            _("You; admins of your organisations see name and email on the people page."),
        ),
        _row(
            _("Membership and role"),
            _("Your organisations and your role (member, facilitator, admin)."),
            _("Deciding what you may change."),
            _("Until the membership ends or you delete your account."),
            _("Members of the organisation."),
        ),
        _row(
            _("Team membership"),
            _("The teams you belong to."),
            _("Which teams' OKRs you edit; who may answer a team's pulse."),
            _("Until you leave the team or delete your account."),
            _("Members of the organisation."),
        ),
        _row(
            _("Names on problems and help offers"),
            names,
            _("Letting other teams know whom to talk to."),
            _("As long as the problem exists; removed when you delete your account."),
            _("Members of the organisation."),
        ),
        _row(
            _("Pulse participation"),
            _("That you answered a pulse round — not what you answered."),
            _("Allowing one answer per person and round."),
            _("As long as the team's round exists; removed when you delete your account."),
            _("Only you (on your personal data page)."),
        ),
        _row(
            _("Security audit trail"),
            _("What was changed and when, with the person replaced by a keyed pseudonym."),
            _("Investigating security incidents."),
            _("%(days)s days, then deleted by the daily purge.")
            % {"days": organization.audit_retention_days},
            _("Admins of the organisation: events and pseudonyms, never names."),
        ),
        _row(
            _("Failed sign-ins"),
            _("The email address entered, IP address and time of failed sign-in attempts."),
            _("Locking out password guessing."),
            _("%(days)s day, then deleted by the daily purge.")
            % {"days": facts["failed_signin_days"]},
            _("Operators of the installation only."),
        ),
        _row(
            _("Session"),
            _("A random session key in a cookie and the session on the server."),
            _("Keeping you signed in."),
            _("At most %(hours)s hours; ends after %(minutes)s minutes without activity.")
            % {"hours": facts["session_hours"], "minutes": facts["idle_minutes"]},
            _("Nobody."),
        ),
        _row(
            _("API tokens"),
            _("Tokens you create: name, expiry, date last used, a one-way digest."),
            _("Letting scripts use the API on your behalf."),
            _("Until the token expires or is revoked, or you delete your account."),
            _("You."),
        ),
    ]


def _row(category: Any, data: Any, purpose: Any, retention: Any, visible: Any) -> dict[str, Any]:
    return {
        "category": category,
        "data": data,
        "purpose": purpose,
        "retention": retention,
        "visible": visible,
    }
