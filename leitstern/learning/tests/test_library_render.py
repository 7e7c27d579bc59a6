"""The library page renders its filters cheaply, with the same HTML as the shared templates:
the teams are read only for a chosen team, the MOALs come from the cache."""

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
    client.get(LIBRARY)  # renders the select of all teams once, into the fragment cache
    read.clear()
    page = client.get(LIBRARY, {"q": "examples"}).text
    assert read == [] and f'<option value="{world.other_team.slug}">Beta</option>' in page
    page = client.get(LIBRARY, {"team": world.other_team.slug}).text
    assert len(read) == 1
    assert f'<option value="{world.other_team.slug}" selected>Beta</option>' in page


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
