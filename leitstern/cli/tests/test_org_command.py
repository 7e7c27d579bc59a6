from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from leitstern.orgs.models import Membership, Organization, Role

pytestmark = pytest.mark.django_db


def test_org_create_makes_an_empty_organisation_with_its_admin() -> None:
    out = StringIO()
    call_command(
        "org",
        "create",
        "--slug",
        "acme",
        "--name",
        "Acme GmbH",
        "--admin",
        "Boss@Acme.test",
        "--language",
        "de",
        stdout=out,
    )
    org = Organization.objects.get(slug="acme")
    assert org.language == "de"
    membership = Membership.objects.get(organization=org)
    assert membership.role == Role.ADMIN and membership.person.email == "boss@acme.test"
    assert "leitstern changepassword boss@acme.test" in out.getvalue()


@pytest.mark.parametrize(
    ("slug", "admin", "message"),
    [
        ("acme", "not-an-email", "valid email"),
        ("Bad Slug!", "a@b.test", "slug"),
    ],
)
def test_org_create_refuses_bad_input(slug: str, admin: str, message: str) -> None:
    with pytest.raises(CommandError) as exc:
        call_command("org", "create", "--slug", slug, "--name", "X", "--admin", admin)
    assert message in str(exc.value).lower()
    assert not Organization.objects.exists()


def test_org_create_refuses_a_taken_slug() -> None:
    call_command(
        "org", "create", "--slug", "acme", "--name", "A", "--admin", "a@b.test", stdout=StringIO()
    )
    with pytest.raises(CommandError) as exc:
        call_command("org", "create", "--slug", "acme", "--name", "B", "--admin", "c@d.test")
    assert "already exists" in str(exc.value)
    assert Organization.objects.count() == 1
