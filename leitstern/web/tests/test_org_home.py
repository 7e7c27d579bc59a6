from __future__ import annotations

import pytest
from django.test import Client

from leitstern.frame.models import Frame, Moal
from leitstern.tests import factories as f

pytestmark = pytest.mark.django_db


def login(client: Client, membership: object) -> None:
    client.force_login(membership.person)  # type: ignore[attr-defined]


def test_anonymous_visitors_are_sent_to_sign_in(client: Client, world: f.World) -> None:
    response = client.get("/o/acme/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_org_home_shows_frame_first_then_objectives(client: Client, world: f.World) -> None:
    Frame.objects.create(organization=world.org, vision="Lodestar vision", purpose="Why we are")
    Moal.objects.create(organization=world.org, title="Grow by referrals")
    login(client, world.member)
    page = client.get("/o/acme/").text
    assert (
        page.index("Lodestar vision")
        < page.index("Grow by referrals")
        < page.index(world.objective.title)
    )
    assert world.foreign_objective.title not in page


def test_another_organisations_home_is_404(client: Client, world: f.World) -> None:
    login(client, world.outsider)
    assert client.get("/o/acme/").status_code == 404
    assert client.get("/o/does-not-exist/").status_code == 404
    assert client.get("/o/globex/").status_code == 200


def test_single_membership_goes_straight_to_its_organisation(
    client: Client, world: f.World
) -> None:
    login(client, world.member)
    response = client.get("/")
    assert response.status_code == 302 and response["Location"] == "/o/acme/"


def test_org_home_in_german(client: Client, world: f.World) -> None:
    login(client, world.member)
    page = client.get("/o/acme/", HTTP_ACCEPT_LANGUAGE="de").text
    assert 'lang="de"' in page and "Abmelden" in page
