"""API: the key-result list and detail, rendered without ninja's validation, answer the bytes
the validated rendering would, with the fewest queries."""

from __future__ import annotations

import datetime
import json
from decimal import Decimal
from typing import Any

import pytest
from django.core.cache import cache, caches
from django.utils import timezone
from ninja.responses import NinjaJSONEncoder
from pydantic import BaseModel

from leitstern.accounts.models import ApiToken
from leitstern.okrs.api_common import KeyResultOut, KeyResultPage
from leitstern.okrs.models import KeyResult, LeadingIndicator
from leitstern.okrs.services import add_key_result
from leitstern.orgs.models import Team
from leitstern.tests import factories
from leitstern.tests.apiclient import ApiClient, assert_problem

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_rate_counters() -> None:
    cache.clear()


def _validated(schema: type[BaseModel], content: bytes) -> bytes:
    """What django-ninja renders for this body after validating it with `schema`."""
    dumped = schema.model_validate(json.loads(content)).model_dump()
    return json.dumps(dumped, cls=NinjaJSONEncoder).encode()


def _varied(world: Any) -> None:
    factories.checkin(world.key_result, "27.125", 3)
    falling = factories.key_result(world.objective, "Waiting days", baseline="30", target="10")
    for n, name in enumerate(["Calls", "Visits"]):
        LeadingIndicator.objects.create(
            organization=world.org,
            key_result=falling,
            name=name,
            baseline=Decimal("1.5"),
            position=1 - n,
        )
    add_key_result(
        objective=world.objective, title="Partners", kind="ordinal", target_level="Five use it"
    )


def test_list_and_detail_bytes_are_the_validated_rendering(world) -> None:
    _varied(world)
    client = ApiClient(world.member)
    for params in ({}, {"team": world.team.slug}, {"page_size": "1", "page": "2"}, {"cursor": ""}):
        response = client.get("/key-results", params)
        assert response.status_code == 200
        assert response["Content-Type"] == "application/json; charset=utf-8"
        assert response.content == _validated(KeyResultPage, response.content)
    for kr in KeyResult.objects.filter(organization=world.org):
        response = client.get(f"/key-results/{kr.uuid}")
        assert response.content == _validated(KeyResultOut, response.content)
        assert response["ETag"] == client.get(f"/key-results/{kr.uuid}")["ETag"]


def test_detail_shows_indicators_in_their_order_and_none_without(world) -> None:
    _varied(world)
    client = ApiClient(world.member)
    falling = KeyResult.objects.get(title="Waiting days")
    shown = client.get(f"/key-results/{falling.uuid}").json()["leading_indicators"]
    assert [i["name"] for i in shown] == ["Visits", "Calls"]
    assert client.get(f"/key-results/{world.key_result.uuid}").json()["leading_indicators"] == []


def test_list_costs_three_queries_detail_two(world, django_assert_num_queries: Any) -> None:
    """Token; the page with its count (COUNT(*) OVER ()); leading indicators. A team's list
    also reads the team's page version, and then comes from the cache: token and version.
    The detail reads the key result with its indicators in one query."""
    _varied(world)
    caches["fragments"].clear()
    client = ApiClient(world.member)
    client.get("/me")  # the token's first use of the day writes its date
    with django_assert_num_queries(3):
        body = client.get("/key-results").json()
    assert body["count"] == 3 and len(body["items"]) == 3
    with django_assert_num_queries(4):
        first = client.get("/key-results", {"team": world.team.slug}).content
    with django_assert_num_queries(2):
        assert client.get("/key-results", {"team": world.team.slug}).content == first
    with django_assert_num_queries(2):
        client.get(f"/key-results/{world.key_result.uuid}")


def _list(client: ApiClient, world: Any, **params: str) -> Any:
    return client.get("/key-results", {"team": world.team.slug, **params})


def test_a_cached_team_list_shows_every_change_at_once(
    world, django_capture_on_commit_callbacks: Any
) -> None:
    _varied(world)
    client = ApiClient(world.member)
    before = _list(client, world).json()
    assert _list(client, world).json() == before  # from the cache now
    changes = [
        lambda: factories.checkin(world.key_result, "31", 7),
        lambda: KeyResult.objects.filter(pk=world.key_result.pk).first().save(),
        lambda: LeadingIndicator.objects.create(
            organization=world.org, key_result=world.key_result, name="Trials", position=5
        ),
        lambda: add_key_result(
            objective=world.objective, title="Referrals", kind="ordinal", target_level="Ten"
        ),
    ]
    seen = [before]
    for change in changes:
        with django_capture_on_commit_callbacks(execute=True):
            change()
        now = _list(client, world).json()
        assert now != seen[-1], change
        # what the uncached list says (another team filter form: objective, same rows)
        fresh = client.get("/key-results", {"objective": str(world.objective.uuid)}).json()
        assert now["items"] == fresh["items"] and now["count"] == fresh["count"]
        seen.append(now)
    assert seen[-1]["count"] == before["count"] + 1


def test_a_team_list_is_cached_per_address_and_only_in_its_polling_shape(world) -> None:
    _varied(world)
    caches["fragments"].clear()
    client = ApiClient(world.member)
    first = _list(client, world).json()
    other_host = client.get("/key-results", {"team": world.team.slug}, Host="127.0.0.1").json()
    assert first["items"][0]["html_url"].startswith("http://testserver/")
    assert other_host["items"][0]["html_url"].startswith("http://127.0.0.1/")
    cycle = world.objective.cycle
    for params in ({"cycle": str(cycle.uuid)}, {"cycle": cycle.name}, {"page": "1"}):
        assert _list(client, world, **params).json()["items"] == first["items"]
    keys = len(caches["fragments"]._cache)  # type: ignore[attr-defined]
    variants = [
        {"junk": "1"},
        {"page_size": "1"},
        {"page": "11"},
        {"page": "01"},
        {"cycle": str(cycle.uuid).upper()},
        {"objective": str(world.objective.uuid)},
        {"hypothesis_status": "untested"},
    ]
    for params in variants:  # all answer, none is kept
        assert _list(client, world, **params).status_code == 200, params
    assert len(caches["fragments"]._cache) == keys  # type: ignore[attr-defined]


def test_another_organisations_team_list_is_its_own(world) -> None:
    ours = _list(ApiClient(world.member), world).json()
    assert ours["count"] > 0
    outsider = factories.member(world.other_org)
    assert _list(ApiClient(outsider), world).json()["count"] == 0  # no team of that name
    namesake = Team.objects.create(organization=world.other_org, name="N", slug=world.team.slug)
    objective = factories.objective(namesake, world.foreign_objective.cycle, "Their plans")
    theirs_kr = factories.key_result(objective, "Their key result")
    for _ in range(2):  # uncached, then cached: each organisation its own
        theirs = _list(ApiClient(outsider), world).json()
        assert [item["uuid"] for item in theirs["items"]] == [str(theirs_kr.uuid)]
        assert _list(ApiClient(world.member), world).json() == ours


def test_a_page_past_the_end_still_counts(world) -> None:
    _varied(world)
    body = ApiClient(world.member).get("/key-results", {"page_size": "2", "page": "3"}).json()
    assert body["count"] == 3 and body["items"] == [] and body["next"] is None
    assert body["previous"].endswith("page_size=2&page=2")  # the last page with items
    second = ApiClient(world.member).get("/key-results", {"page_size": "2", "page": "2"}).json()
    assert second["previous"].endswith("page_size=2&page=1") and len(second["items"]) == 1


def test_another_organisations_key_result_is_404(world) -> None:
    foreign = KeyResult.objects.get(objective=world.foreign_objective)
    assert_problem(ApiClient(world.member).get(f"/key-results/{foreign.uuid}"), 404)
    assert ApiClient(world.outsider).get(f"/key-results/{foreign.uuid}").status_code == 200


@pytest.mark.parametrize("change", ["expired", "revoked", "inactive"])
def test_an_unusable_token_is_refused(world, change: str) -> None:
    client = ApiClient(world.member)
    token = ApiToken.objects.get(membership=world.member)
    if change == "expired":
        token.expires_at = timezone.now() - datetime.timedelta(seconds=1)
        token.save()
    elif change == "revoked":
        token.revoked_at = timezone.now()
        token.save()
    else:
        world.member.person.is_active = False
        world.member.person.save()
    assert_problem(client.get(f"/key-results/{world.key_result.uuid}"), 401)
    assert_problem(client.get("/key-results"), 401)


def test_prepared_reads_return_what_the_orm_returns(world, django_assert_num_queries) -> None:
    """The prepared queries (sqlrows.PreparedRows) run the ORM's SQL with the ORM's
    converters: the same rows and instances, whatever the database."""
    from leitstern.accounts.tokens import find_token
    from leitstern.okrs.api_common import (
        KEY_RESULT_COLUMNS,
        key_result_rows,
        key_result_with_indicators,
    )

    _varied(world)
    for kr in KeyResult.objects.filter(organization=world.org):
        row, _indicators = key_result_with_indicators(world.member, kr.uuid)
        expected = key_result_rows(world.member).get(uuid=kr.uuid)
        assert tuple(row) == tuple(expected) and row._fields == KEY_RESULT_COLUMNS
    client = ApiClient(world.member)
    found = find_token(client.token)
    assert found is not None
    expected_token = ApiToken.objects.select_related(
        "membership__organization", "membership__person"
    ).get(pk=found.pk)
    with django_assert_num_queries(0):
        membership = found.membership
        assert (membership.pk, membership.role) == (world.member.pk, world.member.role)
        assert membership.organization.slug == "acme"
        assert membership.person.email == world.member.person.email
    for obj, other in [
        (found, expected_token),
        (found.membership, expected_token.membership),
        (found.membership.organization, expected_token.membership.organization),
        (found.membership.person, expected_token.membership.person),
    ]:
        fields = [f.attname for f in type(obj)._meta.concrete_fields]
        assert [getattr(obj, f) for f in fields] == [getattr(other, f) for f in fields]
        assert obj._state.adding is False and obj._state.db == "default"
