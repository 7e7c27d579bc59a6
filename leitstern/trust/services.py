"""Workflows of the trust app: the audit trail and the team pulse.

Other apps record security-relevant changes with ``audit(...)``; keep its signature stable.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from leitstern.accounts.models import Person
from leitstern.orgs.models import Membership, Organization, Team, TeamMembership
from leitstern.trust.models import AuditEvent, PulseAnswer, PulseParticipation, PulseRound
from leitstern.trust.questionnaire import ITEMS, ITEMS_BY_CODE, THEMES

PSEUDONYM_SALT = "leitstern.trust.audit-actor"
MIN_PULSE_THRESHOLD = 3  # below three answers a mean is too close to one person's answer


# --- audit trail -------------------------------------------------------------------------


def pseudonym(*, organization: Organization, person: Person | None) -> str:
    """A keyed, per-organisation pseudonym of a person (HMAC over SECRET_KEY).

    Stable inside one organisation, so an admin can see that the same actor did several
    things; different across organisations, so trails cannot be joined; not reversible
    without the server's secret key, which organisation admins never have.
    """
    if person is None or person.pk is None:
        return ""
    digest = salted_hmac(PSEUDONYM_SALT, f"{organization.pk}:{person.pk}", algorithm="sha256")
    return digest.hexdigest()[:16]


def audit(
    *,
    organization: Organization,
    actor: Person | Membership | None,
    action: str,
    obj: models.Model | None = None,
) -> AuditEvent:
    """Record a security-relevant change: what (``action``, the object) and a pseudonymous who.

    ``actor`` may be a Person, a Membership or None (the system). ``obj`` is stored as its
    type and public uuid only, never its text.
    """
    person = actor.person if isinstance(actor, Membership) else actor
    return AuditEvent.objects.create(
        organization=organization,
        action=action[:60],
        object_type=obj._meta.label_lower if obj is not None else "",
        object_uuid=getattr(obj, "uuid", None) if obj is not None else None,
        actor=pseudonym(organization=organization, person=person),
    )


def purge_audit_events(*, now: Any = None) -> int:
    """Delete audit events older than each organisation's retention period; return the count.

    Idempotent, so a scheduler may run it as often as it likes (daily is enough).
    """
    now = now or timezone.now()
    deleted = 0
    for org_id, days in Organization.objects.values_list("pk", "audit_retention_days"):
        cutoff = now - datetime.timedelta(days=days)
        count, _by_model = AuditEvent.objects.filter(
            organization_id=org_id, occurred_at__lt=cutoff
        ).delete()
        deleted += count
    return deleted


# --- pulse -------------------------------------------------------------------------------


def pulse_threshold(organization: Organization, pulse_round: PulseRound | None = None) -> int:
    """k: the number of answers a round needs before any figure of it is shown."""
    k = max(MIN_PULSE_THRESHOLD, organization.pulse_min_responses)
    if pulse_round is not None:
        k = max(k, pulse_round.min_responses)
    return k


def team_size(team: Team) -> int:
    return TeamMembership.objects.filter(team=team).count()


def open_round(*, team: Team, by: Membership) -> PulseRound:
    """Open a pulse round for `team`. One open round per team; the team must be able to reach k."""
    organization = team.organization
    k = pulse_threshold(organization)
    size = team_size(team)
    if size < k:
        raise ValidationError(
            _(
                "%(team)s has %(size)s members, but pulse results need at least %(k)s answers "
                "to stay anonymous, so a round could never show results."
            )
            % {"team": team.name, "size": size, "k": k}
        )
    if PulseRound.objects.filter(team=team).open().exists():
        raise ValidationError(_("This team already has an open pulse round."))
    pulse_round = PulseRound(organization=organization, team=team, min_responses=k)
    pulse_round.full_clean()
    try:
        with transaction.atomic():
            pulse_round.save()
    except IntegrityError as error:  # a second facilitator clicked at the same moment
        raise ValidationError(_("This team already has an open pulse round.")) from error
    audit(organization=organization, actor=by, action="pulse.opened", obj=pulse_round)
    return pulse_round


def has_answered(*, pulse_round: PulseRound, membership: Membership) -> bool:
    return PulseParticipation.objects.filter(round=pulse_round, membership=membership).exists()


def answer_round(
    *, pulse_round: PulseRound, membership: Membership, answers: dict[str, int]
) -> None:
    """Store one member's answers anonymously.

    The participation row (who took part) and the answer rows (what was answered) are
    written in one transaction but share nothing but the round: no key, no time, no order.
    """
    if not pulse_round.is_open:
        raise ValidationError(_("This pulse round is closed."))
    if not TeamMembership.objects.filter(team=pulse_round.team, membership=membership).exists():
        raise ValidationError(
            _("Only members of %(team)s answer its pulse.") % {"team": pulse_round.team.name}
        )
    _check_answers(answers)
    rows = [
        PulseAnswer(round=pulse_round, item=code, value=answers[code]) for code in ITEMS_BY_CODE
    ]
    random.shuffle(rows)
    try:
        with transaction.atomic():
            PulseParticipation.objects.create(round=pulse_round, membership=membership)
            PulseAnswer.objects.bulk_create(rows)
    except IntegrityError as error:
        raise ValidationError(_("You have already answered this pulse round.")) from error


def _check_answers(answers: dict[str, int]) -> None:
    missing = [code for code in ITEMS_BY_CODE if code not in answers]
    if missing or set(answers) - set(ITEMS_BY_CODE):
        raise ValidationError(_("Please answer every statement."))
    if any(not isinstance(v, int) or not 1 <= v <= 5 for v in answers.values()):
        raise ValidationError(_("Answers are on a scale from 1 to 5."))


def close_round(*, pulse_round: PulseRound, by: Membership) -> PulseRound:
    """Close a round for good: no more answers, and results appear if k answers came in."""
    if not pulse_round.is_open:
        raise ValidationError(_("This pulse round is already closed."))
    pulse_round.closed_on = timezone.localdate()
    pulse_round.save(update_fields=["closed_on", "updated_at"])
    audit(organization=pulse_round.organization, actor=by, action="pulse.closed", obj=pulse_round)
    return pulse_round


def response_count(pulse_round: PulseRound) -> int:
    """How many people answered: every submission rates every item exactly once."""
    return PulseAnswer.objects.filter(round=pulse_round, item=ITEMS[0].code).count()


@dataclass(frozen=True)
class PulseResult:
    pulse_round: PulseRound
    responses: int
    themes: list[tuple[str, Any, Decimal]]  # (code, label, mean 1.0–5.0)


def round_result(pulse_round: PulseRound) -> PulseResult | None:
    """Per-theme means of a round — or None, unless it is closed and reached k answers.

    Results of open rounds are never shown: two views of a running round would reveal the
    latest answer by difference.
    """
    if pulse_round.is_open:
        return None
    rows = PulseAnswer.objects.filter(round=pulse_round).values_list("item", "value")
    return _result(pulse_round, list(rows))


def team_trend(team: Team) -> list[PulseResult]:
    """Results of the team's closed rounds that reached k, oldest first. Never across teams."""
    rounds = list(PulseRound.objects.filter(team=team).closed().select_related("organization"))
    rows: dict[Any, list[tuple[str, int]]] = {r.pk: [] for r in rounds}
    answers = PulseAnswer.objects.filter(round__in=rounds).values_list("round_id", "item", "value")
    for round_id, item, value in answers:
        rows[round_id].append((item, value))
    results = [_result(r, rows[r.pk]) for r in rounds]
    return [r for r in results if r is not None]


def _result(pulse_round: PulseRound, rows: list[tuple[str, int]]) -> PulseResult | None:
    responses = sum(1 for item, _value in rows if item == ITEMS[0].code)
    if responses < pulse_threshold(pulse_round.organization, pulse_round):
        return None
    scores: dict[str, list[int]] = {theme.code: [] for theme in THEMES}
    for item_code, value in rows:
        item = ITEMS_BY_CODE.get(item_code)
        if item is not None:
            scores[item.theme].append(item.score(value))
    themes = [
        (theme.code, theme.label, _mean(scores[theme.code]))
        for theme in THEMES
        if scores[theme.code]
    ]
    return PulseResult(pulse_round=pulse_round, responses=responses, themes=themes)


def _mean(values: list[int]) -> Decimal:
    return (Decimal(sum(values)) / Decimal(len(values))).quantize(Decimal("0.1"), ROUND_HALF_UP)
