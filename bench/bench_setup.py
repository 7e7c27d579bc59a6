"""Runs inside Django (a subprocess of web_bench.py): what the load generator needs.

Prints one JSON object: organisation, a team the member persona belongs to with key results
in the current cycle, one of those key results, a session cookie for that person, an API
token, and the search word.
"""

from __future__ import annotations

import json
import os
import sys

import django


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "leitstern.settings")
    django.setup()
    from django.test import Client

    from leitstern.accounts.tokens import create_token
    from leitstern.okrs.models import Cycle, KeyResult
    from leitstern.orgs.models import Membership, Role, Team

    slug = sys.argv[1]
    membership = (
        Membership.objects.filter(organization__slug=slug, role=Role.MEMBER, teams__isnull=False)
        .select_related("person", "organization")
        .order_by("person__email")
        .first()
    )
    assert membership is not None, f"no member with a team in {slug}"
    cycle = Cycle.objects.filter(organization=membership.organization).current()
    kr = (
        KeyResult.objects.filter(objective__cycle=cycle, objective__team__in=membership.teams.all())
        .select_related("objective__team")
        .order_by("objective__team__name", "objective__position", "position")
        .first()
    )
    assert kr is not None, f"no key result for the member's teams in {slug}"
    client = Client()
    client.force_login(membership.person)
    _token, text = create_token(membership=membership, name="web bench", expires_days=1)
    print(
        json.dumps(
            {
                "org": slug,
                "team": kr.objective.team.slug,
                "key_result": str(kr.uuid),
                "session": client.cookies["sessionid"].value,
                "token": text,
                "email": membership.person.email,
                # every team, for the first-view benchmark (a different team per request)
                "teams": list(
                    Team.objects.filter(organization=membership.organization)
                    .order_by("name")
                    .values_list("slug", flat=True)
                ),
            }
        )
    )


if __name__ == "__main__":
    main()
