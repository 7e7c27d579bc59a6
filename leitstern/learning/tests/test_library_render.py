"""The library page renders its filters cheaply: the teams are read only for a chosen team
(and for the suggestions), the MOALs come from the cache."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from leitstern.frame.models import Moal
from leitstern.learning import views
from leitstern.orgs.models import Organization
from leitstern.tests import factories as f

pytestmark = pytest.mark.django_db
LIBRARY = "/o/acme/learnings/"


def test_the_teams_are_read_only_to_check_or_show_a_chosen_team(
    client: Client, world: f.World, monkeypatch: pytest.MonkeyPatch
) -> None:
    read: list[Organization] = []
    real = views._teams

    def teams(org: Organization) -> list[tuple[str, str]]:
        read.append(org)
        return real(org)

    monkeypatch.setattr(views, "_teams", teams)
    client.force_login(world.member.person)
    page = client.get(LIBRARY, {"q": "examples"}).text
    assert read == [] and 'list="library-teams"' in page and "Beta" not in page
    page = client.get(LIBRARY, {"team": world.other_team.slug}).text
    assert len(read) == 1 and 'value="Beta"' in page  # checked and shown by name: one read
    assert "Beta" in client.get(LIBRARY + "teams/").text and len(read) == 2


def test_a_warm_library_reads_no_filter_choices(
    client: Client, world: f.World, django_assert_max_num_queries: Any
) -> None:
    Moal.objects.create(organization=world.org, title="Grow by referrals")
    f.learning(world.team, "Examples beat videos")
    client.force_login(world.member.person)
    client.get(LIBRARY, {"q": "examples"})
    # Session, person, membership, count, page: no MOAL, team or cycle query.
    with django_assert_max_num_queries(5):
        page = client.get(LIBRARY, {"q": "examples"}).text
    assert ">Grow by referrals</option>" in page and "Examples beat videos" in page
