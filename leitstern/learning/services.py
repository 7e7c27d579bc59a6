"""Retrospectives: closing the loop on each hypothesis and feeding the learning library."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from leitstern.learning.models import Learning, Retrospective, Source
from leitstern.okrs.models import HypothesisStatus, KeyResult, Objective, Phase


@transaction.atomic
def write_retrospective(
    *,
    objective: Objective,
    what_held: str = "",
    what_refuted: str = "",
    carry_forward: str = "",
    self_assessment: Decimal | None = None,
    hypotheses: Mapping[KeyResult, tuple[str, str]] | None = None,
    learnings: list[str] | None = None,
) -> Retrospective:
    """Write (or rewrite) an objective's retrospective at the end of its cycle.

    `hypotheses` maps each key result to (status, evidence): supported, refuted or
    inconclusive. Every non-empty evidence and every learning goes to the library;
    a refuted hypothesis with a learning is a success of the system, not a failure.
    Rewriting replaces what the retrospective wrote before: a changed evidence or a
    removed learning line leaves no stale copy in the library (`learnings=None` keeps
    the objective's learnings as they are).
    """
    if objective.cycle.phase not in (Phase.REFLECTING, Phase.CLOSED):
        raise ValidationError(
            _(
                "Retrospectives are written when the cycle is reflecting. A facilitator moves the "
                "cycle there at its end."
            )
        )
    retro, _created = Retrospective.objects.get_or_create(
        objective=objective, defaults={"organization_id": objective.organization_id}
    )
    retro.what_held, retro.what_refuted = what_held.strip(), what_refuted.strip()
    retro.carry_forward, retro.self_assessment = carry_forward.strip(), self_assessment
    retro.full_clean()
    retro.save()
    for key_result, (status, evidence) in (hypotheses or {}).items():
        _close_hypothesis(objective, key_result, status, evidence.strip())
    if learnings is not None:
        texts = [text.strip() for text in learnings if text.strip()]
        _retro_learnings(objective, None).exclude(text__in=texts).delete()
        for text in texts:
            _add_learning(objective, None, text, "")
    return retro


def _retro_learnings(objective: Objective, key_result: KeyResult | None) -> QuerySet[Learning]:
    return Learning.objects.filter(
        objective=objective, key_result=key_result, source=Source.RETROSPECTIVE
    )


def _close_hypothesis(
    objective: Objective, key_result: KeyResult, status: str, evidence: str
) -> None:
    if key_result.objective_id != objective.pk:
        raise ValidationError(_("This key result belongs to another objective."))
    if status not in (
        HypothesisStatus.SUPPORTED,
        HypothesisStatus.REFUTED,
        HypothesisStatus.INCONCLUSIVE,
    ):
        raise ValidationError(
            {"hypothesis_status": _("Choose supported, refuted or inconclusive.")}
        )
    key_result.hypothesis_status = status
    key_result.hypothesis_evidence = evidence
    key_result.save(update_fields=["hypothesis_status", "hypothesis_evidence", "updated_at"])
    _retro_learnings(objective, key_result).exclude(text=evidence).delete()
    if evidence:
        _add_learning(objective, key_result, evidence, status)


def _add_learning(
    objective: Objective, key_result: KeyResult | None, text: str, outcome: str
) -> Learning:
    learning, _created = Learning.objects.get_or_create(
        organization_id=objective.organization_id,
        team_id=objective.team_id,
        cycle_id=objective.cycle_id,
        objective=objective,
        key_result=key_result,
        source=Source.RETROSPECTIVE,
        text=text,
        defaults={"hypothesis_outcome": outcome},
    )
    if learning.hypothesis_outcome != outcome:
        learning.hypothesis_outcome = outcome
        learning.save(update_fields=["hypothesis_outcome", "updated_at"])
    return learning
