"""API: authentication, errors, rate limits and the teams resource."""

from __future__ import annotations

import datetime

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from leitstern.accounts.models import ApiToken
from leitstern.accounts.tokens import create_token, revoke
from leitstern.orgs.models import Team
from leitstern.tests import factories
from leitstern.tests.apiclient import ApiClient, assert_problem

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_rate_counters() -> None:
    cache.clear()


# ---- authentication


def test_anonymous_api_request_gets_401_problem_not_a_login_redirect(world) -> None:
    response = Client().get("/api/v1/teams")
    body = assert_problem(response, 401)
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert "Authorization: Bearer" in body["detail"]


def test_unknown_token_gets_401(world) -> None:
    response = ApiClient(token="ls_deadbeef_nothing").get("/teams")
    assert "unknown, expired or revoked" in assert_problem(response, 401)["detail"]


def test_token_with_the_right_prefix_but_wrong_secret_gets_401(world) -> None:
    _row, text = create_token(membership=world.member, name="x")
    assert_problem(ApiClient(token=text + "x").get("/teams"), 401)


def test_revoked_and_expired_tokens_get_401(world) -> None:
    row, text = create_token(membership=world.member, name="x")
    assert ApiClient(token=text).get("/teams").status_code == 200
    revoke(row)
    assert_problem(ApiClient(token=text).get("/teams"), 401)
    row2, text2 = create_token(membership=world.member, name="y", expires_days=1)
    ApiToken.objects.filter(pk=row2.pk).update(expires_at=timezone.now() - datetime.timedelta(1))
    assert_problem(ApiClient(token=text2).get("/teams"), 401)


def test_token_of_an_inactive_person_gets_401(world) -> None:
    client = ApiClient(world.member)
    world.member.person.is_active = False
    world.member.person.save()
    assert_problem(client.get("/teams"), 401)


def test_token_is_stored_as_a_digest_and_records_only_the_date_of_use(world) -> None:
    row, text = create_token(membership=world.member, name="x")
    assert text not in (row.digest, row.prefix) and len(row.digest) == 64
    assert row.last_used_on is None
    ApiClient(token=text).get("/me")
    row.refresh_from_db()
    assert row.last_used_on == timezone.localdate()
    assert not hasattr(row, "use_count")


def test_me_names_the_organisation_and_role_of_the_token(world) -> None:
    body = ApiClient(world.facilitator).get("/me").json()
    assert body["organization"] == "acme" and body["role"] == "facilitator"
    assert body["html_url"].startswith("http://testserver/o/acme/")


# ---- rate limits


def test_rate_limit_answers_429_with_retry_after(world, settings) -> None:
    settings.LEITSTERN_API_RATE_LIMIT = 3
    client = ApiClient(world.member)
    assert [client.get("/me").status_code for _ in range(3)] == [200, 200, 200]
    response = client.get("/me")
    assert_problem(response, 429)
    assert int(response["Retry-After"]) in range(1, 61)


def test_rate_limit_counts_per_token(world, settings) -> None:
    settings.LEITSTERN_API_RATE_LIMIT = 1
    first, second = ApiClient(world.member), ApiClient(world.member)
    assert first.get("/me").status_code == 200
    assert first.get("/me").status_code == 429
    assert second.get("/me").status_code == 200


# ---- errors


def test_unknown_api_path_is_a_problem_404(world) -> None:
    assert_problem(ApiClient(world.member).get("/no-such-thing"), 404)


def test_malformed_json_is_a_422_problem(world) -> None:
    response = ApiClient(world.admin).post("/teams", "{not json")
    assert response.status_code in (400, 422)
    assert response["Content-Type"].startswith("application/problem+json")


def test_validation_error_names_the_field(world) -> None:
    response = ApiClient(world.admin).post("/teams", {"slug": "has space", "name": ""})
    body = assert_problem(response, 422)
    fields = {e["field"] for e in body["errors"]}
    assert {"slug", "name"} <= fields


def test_unknown_field_is_refused(world) -> None:
    response = ApiClient(world.admin).post("/teams", {"slug": "x", "name": "X", "colour": "red"})
    assert "colour" in {e["field"] for e in assert_problem(response, 422)["errors"]}


def test_openapi_schema_and_docs_are_served_without_login(world) -> None:
    schema = Client().get("/api/v1/openapi.json")
    assert schema.status_code == 200 and "/api/v1/objectives" in schema.json()["paths"]
    docs = Client().get("/api/v1/docs")
    assert docs.status_code == 200 and b"swagger-ui" in docs.content
    assert b"cdn." not in docs.content  # served from our own static files


# ---- teams


def test_every_member_reads_all_teams_alphabetically(world, django_assert_max_num_queries) -> None:
    for n in range(5):
        factories.team(world.org, f"Zeta {n}")
    client = ApiClient(world.member)
    with django_assert_max_num_queries(6):
        body = client.get("/teams").json()
    names = [t["name"] for t in body["items"]]
    assert names == sorted(names) and "Beta" in names and "Gamma" not in names
    assert body["count"] == 7
    assert body["items"][0]["html_url"].startswith("http://testserver/o/acme/")


def test_teams_are_paginated_with_links(world) -> None:
    body = ApiClient(world.member).get("/teams", {"page_size": 1}).json()
    assert body["count"] == 2 and len(body["items"]) == 1
    assert "page=2" in body["next"] and body["previous"] is None
    second = ApiClient(world.member).get("/teams", {"page_size": 1, "page": 2}).json()
    assert second["items"][0]["name"] == "Beta" and second["next"] is None


def test_team_detail_carries_an_etag(world) -> None:
    response = ApiClient(world.member).get(f"/teams/{world.team.slug}")
    assert response.status_code == 200 and response["ETag"].startswith('"')


def test_team_of_another_organisation_is_404(world) -> None:
    gamma = Team.objects.get(organization=world.other_org)
    assert_problem(ApiClient(world.member).get(f"/teams/{gamma.slug}"), 404)


def test_admin_creates_a_team_and_others_may_not(world) -> None:
    payload = {"slug": "delta", "name": "Delta", "parent": world.team.slug}
    assert_problem(ApiClient(world.member).post("/teams", payload), 403)
    assert_problem(ApiClient(world.facilitator).post("/teams", payload), 403)
    response = ApiClient(world.admin).post("/teams", payload)
    assert response.status_code == 201, response.content
    assert response.json()["parent"] == world.team.slug
    assert Team.objects.filter(organization=world.org, slug="delta").exists()


def test_duplicate_team_slug_is_a_422_naming_the_problem(world) -> None:
    response = ApiClient(world.admin).post("/teams", {"slug": world.team.slug, "name": "Again"})
    assert "short name" in assert_problem(response, 422)["detail"]


def test_admin_renames_a_team_with_if_match_and_stale_writes_get_412(world) -> None:
    client = ApiClient(world.admin)
    etag = client.get(f"/teams/{world.team.slug}")["ETag"]
    ok = client.patch(f"/teams/{world.team.slug}", {"name": "Alpha One"}, **{"If-Match": etag})
    assert ok.status_code == 200 and ok.json()["name"] == "Alpha One"
    assert ok["ETag"] != etag
    stale = client.patch(f"/teams/{world.team.slug}", {"name": "Alpha Two"}, **{"If-Match": etag})
    assert_problem(stale, 412)
    world.team.refresh_from_db()
    assert world.team.name == "Alpha One"


def test_team_cannot_be_its_own_ancestor(world) -> None:
    client = ApiClient(world.admin)
    client.patch(f"/teams/{world.other_team.slug}", {"parent": world.team.slug})
    response = client.patch(f"/teams/{world.team.slug}", {"parent": world.other_team.slug})
    assert assert_problem(response, 422)["errors"][0]["field"] == "parent"


def test_nul_characters_are_invalid_input_not_a_server_error(world) -> None:
    client = ApiClient(world.admin)
    assert_problem(client.get("/teams", {"parent": "a\x00b"}), 422)
    assert_problem(client.post("/teams", {"slug": "ok", "name": "A\x00B"}), 422)
