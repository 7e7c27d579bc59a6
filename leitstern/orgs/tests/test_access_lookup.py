"""The hand-written membership lookups (orgs/access.py, lib/sqlrows.py) build the same
instances the ORM would, and refuse what the ORM-based gate refused."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.db.models import Model
from django.http import Http404
from django.test.utils import CaptureQueriesContext

from leitstern.okrs.models import KeyResult
from leitstern.orgs.access import (
    can_edit_team_okrs,
    get_key_result_with_membership,
    get_membership,
    get_team_with_membership,
)
from leitstern.orgs.models import Membership, Organization, Team
from leitstern.tests import factories as f

pytestmark = pytest.mark.django_db


def same_fields(built: Model, fetched: Model) -> None:
    """Every concrete field has the value and the Python type the ORM gives."""
    assert type(built) is type(fetched)
    assert built._state.adding is False
    for field in type(built)._meta.concrete_fields:
        ours, orm = getattr(built, field.attname), getattr(fetched, field.attname)
        assert ours == orm, field.name
        assert type(ours) is type(orm), field.name


def test_membership_is_the_orms(world: f.World) -> None:
    with CaptureQueriesContext(connection) as queries:
        membership = get_membership(world.member.person, world.org.slug)
    assert len(queries) == 1
    same_fields(membership, Membership.objects.get(pk=world.member.pk))
    same_fields(membership.organization, Organization.objects.get(pk=world.org.pk))
    assert membership.person is world.member.person


def test_membership_refuses_outsiders_and_strangers(world: f.World) -> None:
    with pytest.raises(Http404):
        get_membership(world.member.person, world.other_org.slug)
    with pytest.raises(Http404):
        get_membership(world.member.person, "no-such-org")
    with pytest.raises(Http404):
        get_membership(AnonymousUser(), world.org.slug)  # type: ignore[arg-type]


def test_team_lookup_is_one_query_with_parent_and_viewer(world: f.World) -> None:
    child = f.team(world.org, "Child", parent=world.team, description="Small")
    f.member(world.org, teams=(child,))
    viewer = f.member(world.org, teams=(child,))
    with CaptureQueriesContext(connection) as queries:
        membership, team = get_team_with_membership(viewer.person, world.org.slug, child.slug)
        editable = can_edit_team_okrs(membership, team)
        parent_name = team.parent.name if team.parent else ""
        org_name = team.organization.name
    assert len(queries) == 1
    assert editable and parent_name == world.team.name and org_name == world.org.name
    same_fields(team, Team.objects.get(pk=child.pk))
    assert team.parent is not None
    same_fields(team.parent, Team.objects.get(pk=world.team.pk))
    same_fields(membership, Membership.objects.get(pk=viewer.pk))


def test_team_lookup_knows_who_is_not_a_member(world: f.World) -> None:
    membership, team = get_team_with_membership(
        world.member.person, world.org.slug, world.other_team.slug
    )
    assert team.parent is None
    assert team.viewer_is_member is False  # type: ignore[attr-defined]
    assert not can_edit_team_okrs(membership, team)
    facilitator, team = get_team_with_membership(
        world.facilitator.person, world.org.slug, world.other_team.slug
    )
    assert can_edit_team_okrs(facilitator, team)


def test_team_lookup_is_404_across_organisations(world: f.World) -> None:
    foreign = Team.objects.get(organization=world.other_org)
    for org, team in [
        (world.other_org.slug, foreign.slug),  # not a member there
        (world.org.slug, foreign.slug),  # the other organisation's team under our slug
        (world.org.slug, "no-such-team"),
    ]:
        with pytest.raises(Http404):
            get_team_with_membership(world.member.person, org, team)


def test_key_result_lookup_builds_the_whole_chain(world: f.World) -> None:
    with CaptureQueriesContext(connection) as queries:
        membership, kr = get_key_result_with_membership(
            world.member.person, world.org.slug, world.key_result.uuid
        )
        chain = (kr.objective.title, kr.objective.team.name, kr.objective.cycle.phase)
    assert len(queries) == 1
    fetched = KeyResult.objects.select_related("objective__team", "objective__cycle").get(
        pk=world.key_result.pk
    )
    assert chain == (
        fetched.objective.title,
        fetched.objective.team.name,
        fetched.objective.cycle.phase,
    )
    same_fields(kr, fetched)
    same_fields(kr.objective, fetched.objective)
    same_fields(kr.objective.team, fetched.objective.team)
    same_fields(kr.objective.cycle, fetched.objective.cycle)
    assert can_edit_team_okrs(membership, kr.objective.team)


def test_key_result_lookup_is_404_for_another_organisation(world: f.World) -> None:
    foreign = KeyResult.objects.get(organization=world.other_org)
    for org in (world.org.slug, world.other_org.slug):
        with pytest.raises(Http404):
            get_key_result_with_membership(world.member.person, org, foreign.uuid)
