from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client

from leitstern.checkins.models import CheckIn, HelpOffer, Problem
from leitstern.learning.models import Learning, Retrospective
from leitstern.okrs.models import Cycle, HypothesisStatus, KeyResult, Objective, Phase
from leitstern.orgs.models import Membership, Organization, Team

pytestmark = pytest.mark.django_db

COUNTED = [
    Organization,
    Membership,
    Team,
    Cycle,
    Objective,
    KeyResult,
    CheckIn,
    Problem,
    HelpOffer,
    Retrospective,
    Learning,
]


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in COUNTED}


def run_demo(*args: str) -> str:
    out = StringIO()
    call_command("demo", *args, stdout=out)
    return out.getvalue()


def test_demo_loads_two_realistic_organisations_and_is_idempotent() -> None:
    output = run_demo()
    assert "Loaded demo organisations: beispiel, example" in output
    assert "local use only" in output and "anna@beispiel.test" in output
    first = counts()
    assert "already loaded" in run_demo()
    assert counts() == first
    for slug in ("beispiel", "example"):
        org = Organization.objects.get(slug=slug)
        assert 5 <= Team.objects.filter(organization=org).count() <= 8
        phases = set(Cycle.objects.filter(organization=org).values_list("phase", flat=True))
        assert phases == {Phase.CLOSED, Phase.RUNNING}
        refuted = KeyResult.objects.filter(
            organization=org, hypothesis_status=HypothesisStatus.REFUTED
        )
        assert refuted.exists()
        running = Cycle.objects.get(organization=org, phase=Phase.RUNNING)
        weeks = CheckIn.objects.filter(key_result__objective__cycle=running).dates("week", "week")
        assert len(weeks) == 8
        assert HelpOffer.objects.filter(organization=org).exists()


def test_demo_if_empty_leaves_an_existing_installation_alone() -> None:
    Organization.objects.create(slug="real", name="Real Org")
    assert "not loaded" in run_demo("--if-empty")
    assert not Organization.objects.filter(slug="beispiel").exists()


def test_demo_logins_work_and_kim_belongs_to_both(client: Client) -> None:
    run_demo()
    assert client.login(username="kim@both.test", password="demo-leitstern")
    slugs = set(
        Membership.objects.filter(person__email="kim@both.test").values_list(
            "organization__slug", flat=True
        )
    )
    assert slugs == {"beispiel", "example"}
    page = client.get("/")
    assert page.status_code == 200
    assert "Beispiel GmbH" in page.text and "Example Ltd" in page.text
    roles = dict(
        Membership.objects.filter(organization__slug="beispiel").values_list(
            "person__email", "role"
        )
    )
    assert (
        roles["anna@beispiel.test"],
        roles["ben@beispiel.test"],
        roles["cem@beispiel.test"],
    ) == ("admin", "facilitator", "member")
