"""Personal data rights: download as JSON, delete the account, keep the team's OKR work."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from leitstern.accounts.models import Person
from leitstern.checkins.services import record_checkin
from leitstern.okrs.models import Objective
from leitstern.orgs.models import Attribution, Membership, Role, TeamMembership
from leitstern.tests import factories
from leitstern.trust import services
from leitstern.trust.models import AuditEvent, PulseAnswer, PulseParticipation
from leitstern.trust.questionnaire import ITEMS

pytestmark = pytest.mark.django_db


def test_a_person_downloads_their_personal_data_as_json(client, world) -> None:
    for _ in range(4):
        factories.member(world.org, teams=(world.team,))
    pulse_round = services.open_round(team=world.team, by=world.facilitator)
    services.answer_round(
        pulse_round=pulse_round, membership=world.member, answers={i.code: 2 for i in ITEMS}
    )
    client.force_login(world.member.person)
    assert client.get(reverse("my_data")).status_code == 200
    response = client.get(reverse("my_data_download"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert "attachment" in response["Content-Disposition"]
    data = json.loads(response.content)
    assert data["account"]["email"] == "member@acme.test"
    assert data["memberships"] == [
        {
            "organization": "acme",
            "organization_name": "Acme",
            "role": "member",
            "since": data["memberships"][0]["since"],
        }
    ]
    assert data["team_memberships"] == [
        {"organization": "acme", "team": world.team.slug, "team_name": "Alpha"}
    ]
    assert data["pulse_participation"][0]["answered"] is True
    assert '"value"' not in response.content.decode()  # answers are not theirs to find


def test_another_persons_data_is_never_in_the_download(client, world) -> None:
    client.force_login(world.member.person)
    body = client.get(reverse("my_data_download")).content.decode()
    for other in ("admin@acme.test", "facil@acme.test", "outsider@globex.test", "globex"):
        assert other not in body


def test_deleting_the_account_keeps_the_teams_okr_work(client, world) -> None:
    world.org.attribution = Attribution.TEAM_AND_NAME
    world.org.save()
    person = world.member.person
    person.name = "Mia Member"
    person.save()
    record_checkin(
        key_result=world.key_result, value=12, confidence=6, problem="Stuck", signed_as="Mia Member"
    )
    client.force_login(person)
    response = client.post(reverse("my_account_delete"), {"password": factories.PASSWORD})
    assert response.status_code == 302 and response["Location"] == reverse("account_deleted")
    assert not Person.objects.filter(email="member@acme.test").exists()
    assert not Membership.objects.filter(person_id=person.pk).exists()
    assert Objective.objects.filter(pk=world.objective.pk).exists()
    assert world.key_result.checkins.count() == 1
    assert world.key_result.problems.get().signed_as == ""
    assert AuditEvent.objects.filter(action="account.deleted", organization=world.org).exists()
    assert client.get(reverse("my_data")).status_code == 302  # signed out


def test_pulse_answers_stay_anonymous_after_the_person_leaves(world) -> None:
    for _ in range(4):
        factories.member(world.org, teams=(world.team,))
    pulse_round = services.open_round(team=world.team, by=world.facilitator)
    for tm in TeamMembership.objects.filter(team=world.team):
        services.answer_round(
            pulse_round=pulse_round, membership=tm.membership, answers={i.code: 3 for i in ITEMS}
        )
    services.close_round(pulse_round=pulse_round, by=world.facilitator)
    from leitstern.trust.privacy import delete_account

    delete_account(person=world.member.person, password=factories.PASSWORD)
    assert PulseParticipation.objects.count() == 4
    assert PulseAnswer.objects.count() == 5 * len(ITEMS)
    result = services.round_result(pulse_round)
    assert result is not None and result.responses == 5


def test_a_wrong_password_deletes_nothing(client, world) -> None:
    client.force_login(world.member.person)
    response = client.post(reverse("my_account_delete"), {"password": "wrong"})
    assert response.status_code == 200
    assert "The password is not correct." in response.content.decode()
    assert Person.objects.filter(pk=world.member.person.pk).exists()
    response = client.post(reverse("my_account_delete"), {})
    assert response.status_code == 200 and 'class="ls-error"' in response.content.decode()


def test_the_last_admin_must_hand_over_first(client, world) -> None:
    client.force_login(world.admin.person)
    page = client.get(reverse("my_data")).content.decode()
    assert "You are the last admin of Acme" in page
    response = client.post(reverse("my_account_delete"), {"password": factories.PASSWORD})
    assert response.status_code == 200
    assert "Make another member admin first" in response.content.decode()
    assert Person.objects.filter(pk=world.admin.person.pk).exists()
    Membership.objects.filter(pk=world.facilitator.pk).update(role=Role.ADMIN)
    response = client.post(reverse("my_account_delete"), {"password": factories.PASSWORD})
    assert response.status_code == 302
    assert not Person.objects.filter(pk=world.admin.person.pk).exists()


def test_my_data_needs_sign_in_and_a_post_to_delete(client, world) -> None:
    assert client.get(reverse("my_data")).status_code == 302
    assert client.get(reverse("my_data_download")).status_code == 302
    assert client.post(reverse("my_account_delete"), {"password": "x"}).status_code == 302
    client.force_login(world.member.person)
    assert client.get(reverse("my_account_delete")).status_code == 405
    assert client.get(reverse("account_deleted")).status_code == 200


def test_the_my_data_page_is_german_too(client, world) -> None:
    client.force_login(world.member.person)
    page = client.get(reverse("my_data"), HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert "Meine persönlichen Daten" in page
