"""The team page lists its members by name, by address where a person has no name."""

from __future__ import annotations

import pytest
from django.test import Client

from leitstern.tests import factories as f

pytestmark = pytest.mark.django_db


def test_members_show_by_name_or_address(client: Client, world: f.World) -> None:
    named = f.member(world.org, teams=(world.team,))
    named.person.name = "Zoë <Example>"
    named.person.save()
    nameless = f.member(world.org, teams=(world.team,))
    outsider = f.member(world.org, teams=(world.other_team,))
    client.force_login(world.member.person)
    page = client.get(f"/o/{world.org.slug}/teams/{world.team.slug}/").text
    assert "Zoë &lt;Example&gt;" in page and nameless.person.email in page
    assert str(outsider.person) not in page
