"""The fully populated two-organisation demo as a test world for the generated tests."""

from __future__ import annotations

from dataclasses import dataclass

from leitstern.accounts.models import Person
from leitstern.cli.demo import load_demo
from leitstern.orgs.models import Membership, Organization, Team
from leitstern.trust.models import PulseRound

OWN, FOREIGN = "example", "beispiel"


@dataclass
class DemoWorld:
    own: Organization
    foreign: Organization
    admin: Person  # admin of `own` only
    facilitator: Person
    member: Person  # plain member of `own` only, in some of its teams
    outsider: Person  # admin of `foreign` only

    def persona_team_ids(self) -> frozenset[int]:
        """Teams of the member and the facilitator: the matrix targets other teams' objects."""
        people = [self.member, self.facilitator]
        teams = Team.objects.filter(memberships__membership__person__in=people)
        return frozenset(teams.values_list("pk", flat=True))


def demo_world() -> DemoWorld:
    load_demo()
    own = Organization.objects.get(slug=OWN)
    foreign = Organization.objects.get(slug=FOREIGN)
    populate(own)
    populate(foreign)
    return DemoWorld(
        own=own,
        foreign=foreign,
        admin=Person.objects.get(email="alex@example.test"),
        facilitator=Person.objects.get(email="sam@example.test"),
        member=Person.objects.get(email="jo@example.test"),
        outsider=Person.objects.get(email="anna@beispiel.test"),
    )


def populate(organization: Organization) -> None:
    """Objects the demo does not create, so every kind of URL kwarg has something to point at."""
    for team in Team.objects.in_org(organization).order_by("name"):
        PulseRound.objects.create(organization=organization, team=team, min_responses=3)
    assert Membership.objects.filter(organization=organization).exists()
