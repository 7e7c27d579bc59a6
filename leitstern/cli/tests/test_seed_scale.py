"""`leitstern seed-scale`: counts and the invariants the services would otherwise keep."""

from __future__ import annotations

import datetime
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count
from django.test import Client
from django.utils import timezone

from leitstern.accounts.models import Person
from leitstern.checkins.models import CheckIn, HelpOffer, Problem, ProblemStatus
from leitstern.cli.seed import ScaleSpec, persona_email, seed_scale
from leitstern.learning.models import Learning, Retrospective, Source
from leitstern.okrs.models import Cycle, KeyResult, Objective, Phase
from leitstern.orgs.models import Membership, Organization, Team, TeamMembership

PASSWORD = "a-long-seed-password"
SMALL = ScaleSpec(slug="tiny", teams=5, cycles=2, weeks=3, people=40, password=PASSWORD)


@pytest.fixture
def seeded(db: None) -> Organization:
    return seed_scale(SMALL).organization


def test_seed_scale_creates_the_expected_counts(seeded: Organization) -> None:
    org = seeded
    assert Team.objects.filter(organization=org).count() == 5
    assert Cycle.objects.filter(organization=org).count() == 2
    assert Objective.objects.filter(organization=org).count() == 5 * 2 * 3
    assert KeyResult.objects.filter(organization=org).count() == 5 * 2 * 3 * 3
    assert CheckIn.objects.filter(organization=org).count() == 5 * 2 * 9 * 3
    assert Membership.objects.filter(organization=org).count() == 40
    assert TeamMembership.objects.filter(team__organization=org).count() == 38  # not admin/facil.
    assert Retrospective.objects.filter(organization=org).count() == 5 * 3  # closed cycle only


def test_seeded_rows_pass_model_validation(seeded: Organization) -> None:
    # full_clean checks field types, choices, check and unique constraints row by row.
    for model in (Team, Cycle, Objective, KeyResult, CheckIn, Problem, HelpOffer, Learning):
        for obj in model.objects.filter(organization=seeded):
            obj.full_clean()


def test_derived_values_match_the_latest_checkin(seeded: Organization) -> None:
    for kr in KeyResult.objects.filter(organization=seeded):
        latest = kr.checkins.order_by("-week").first()
        assert latest is not None
        assert (kr.current_value, kr.current_confidence, kr.last_checkin_on) == (
            latest.value,
            latest.confidence,
            latest.checked_on,
        )


def test_checkins_are_weekly_inside_their_cycle_and_not_in_the_future(
    seeded: Organization,
) -> None:
    today = timezone.localdate()
    per_week = CheckIn.objects.filter(organization=seeded).values("key_result", "week")
    assert not per_week.annotate(n=Count("id")).filter(n__gt=1).exists()
    for checkin in CheckIn.objects.filter(organization=seeded).select_related(
        "key_result__objective__cycle"
    ):
        cycle = checkin.key_result.objective.cycle
        assert checkin.week.weekday() == 0
        assert cycle.starts_on <= checkin.week <= checkin.checked_on <= today
        assert checkin.week <= cycle.ends_on


def test_only_the_last_cycle_runs_and_it_contains_today(seeded: Organization) -> None:
    cycles = list(Cycle.objects.filter(organization=seeded).order_by("starts_on"))
    assert [c.phase for c in cycles] == [Phase.CLOSED, Phase.RUNNING]
    assert cycles[-1].starts_on <= timezone.localdate() <= cycles[-1].ends_on
    assert cycles[0].ends_on < cycles[1].starts_on
    for cycle in cycles:
        cycle.full_clean()  # includes the no-overlap rule


def test_problems_learnings_and_offers_point_at_consistent_objects(seeded: Organization) -> None:
    problems = Problem.objects.filter(organization=seeded).select_related(
        "checkin", "key_result__objective__cycle"
    )
    assert problems.exists()
    for problem in problems:
        assert problem.checkin.key_result_id == problem.key_result_id
        assert problem.team_id == problem.key_result.objective.team_id
        if problem.status == ProblemStatus.OPEN:
            assert problem.key_result.objective.cycle.phase == Phase.RUNNING
            assert problem.resolved_at is None
    for offer in HelpOffer.objects.filter(organization=seeded).select_related("problem"):
        assert offer.team_id != offer.problem.team_id
    for learning in Learning.objects.filter(organization=seeded, source=Source.CHECKIN):
        assert learning.checkin is not None
        assert learning.key_result_id == learning.checkin.key_result_id
        assert learning.objective_id == learning.key_result.objective_id
        assert learning.cycle_id == learning.objective.cycle_id


def test_closed_hypotheses_carry_their_evidence_into_the_library(seeded: Organization) -> None:
    closed = KeyResult.objects.filter(organization=seeded, objective__cycle__phase=Phase.CLOSED)
    assert not closed.filter(hypothesis_status="untested").exists()
    for kr in closed.exclude(hypothesis_evidence=""):
        assert Learning.objects.filter(
            key_result=kr, source=Source.RETROSPECTIVE, text=kr.hypothesis_evidence
        ).exists()


def test_new_rows_after_seeding_get_fresh_ids(seeded: Organization) -> None:
    # The seed hands out primary keys itself; the database's sequences must follow.
    team = Team.objects.create(organization=seeded, slug="after-seed", name="After")
    assert team.pk > Team.objects.exclude(pk=team.pk).order_by("-pk").first().pk  # type: ignore[union-attr]
    person = Person.objects.create_user("late@tiny.test", PASSWORD)
    assert Membership.objects.create(organization=seeded, person=person).pk


def test_a_persona_signs_in_and_sees_the_organisation(seeded: Organization) -> None:
    client = Client()
    assert client.login(email=persona_email("tiny", "member"), password=PASSWORD)
    response = client.get(f"/o/{seeded.slug}/")
    assert response.status_code == 200


def test_seed_refuses_an_existing_org_unless_replace(db: None) -> None:
    out = StringIO()
    args = ["--org", "again", "--teams", "2", "--cycles", "1", "--weeks", "2", "--people", "5"]
    call_command("seed_scale", *args, stdout=out, stderr=StringIO())
    assert "Seeded “again”" in out.getvalue()
    with pytest.raises(CommandError, match="exists already"):
        call_command("seed_scale", *args, stdout=StringIO(), stderr=StringIO())
    call_command("seed_scale", *args, "--replace", stdout=StringIO(), stderr=StringIO())
    org = Organization.objects.get(slug="again")
    assert CheckIn.objects.filter(organization=org).count() == 2 * 1 * 9 * 2
    assert Person.objects.filter(email__endswith="@again.seed.example").count() == 2


def test_seed_rejects_impossible_sizes(db: None) -> None:
    with pytest.raises(CommandError, match="at least 1"):
        call_command("seed_scale", "--org", "x", "--teams", "0", stdout=StringIO())
    assert not Organization.objects.filter(slug="x").exists()


def test_seeded_cycle_weeks_follow_the_calendar(seeded: Organization) -> None:
    running = Cycle.objects.get(organization=seeded, phase=Phase.RUNNING)
    assert running.ends_on - running.starts_on == datetime.timedelta(weeks=3, days=-1)
