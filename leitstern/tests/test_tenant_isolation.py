"""Tenant isolation, generated from the URL configuration and the OpenAPI schema.

Every page below /o/<org>/ and every API path with parameters is requested with objects of
ANOTHER organisation — under the requester's own organisation slug and under the other one's
— and must answer 404. New pages and endpoints are covered automatically; a kwarg the test
cannot fill fails it with a message saying where to add it (leitstern/tests/urlwalk.py).
"""

from __future__ import annotations

import re
import uuid
from typing import Any

import pytest
from django.test import Client

from leitstern.accounts.tokens import create_token
from leitstern.api import api
from leitstern.orgs.models import Membership
from leitstern.tests.demo_world import DemoWorld, demo_world
from leitstern.tests.urlwalk import OrgRoute, fill, model_for, org_routes, pick

pytestmark = pytest.mark.django_db

NOT_LEAKING = {404, 405}  # 405 comes from the method decorator, before any lookup


@pytest.fixture
def demo() -> DemoWorld:
    return demo_world()


def admin_client(demo: DemoWorld) -> Client:
    client = Client()
    client.force_login(demo.admin)  # admin: role checks pass, so only the lookup can refuse
    return client


def test_the_walk_sees_the_org_pages() -> None:
    names = {route.name for route in org_routes()}
    assert {"org_home", "charter", "pulse_answer", "org_settings"} <= names


def test_every_org_page_answers_404_for_another_organisations_objects(demo: DemoWorld) -> None:
    client = admin_client(demo)
    problems: list[str] = []
    for route in org_routes():
        try:
            foreign_values = fill(route, demo.foreign)
            own_values = fill(route, demo.own)
        except LookupError as error:
            problems.append(str(error))
            continue
        attempts = [route.url(demo.foreign.slug, foreign_values)]
        if route.params:
            attempts.append(route.url(demo.own.slug, foreign_values))
        for url in attempts:
            problems += _expect_404(client, route, url)
        if route.params:
            problems += _sanity(client, route, route.url(demo.own.slug, own_values))
    assert problems == [], "\n".join(problems)


def _expect_404(client: Client, route: OrgRoute, url: str) -> list[str]:
    statuses = {method: getattr(client, method)(url).status_code for method in ("get", "post")}
    if set(statuses.values()) <= NOT_LEAKING and 404 in statuses.values():
        return []
    return [f"{route.name}: {url} answered {statuses} — expected 404 for another tenant"]


def _sanity(client: Client, route: OrgRoute, url: str) -> list[str]:
    """The same page with the organisation's own objects must not be 404: the map is right."""
    status = client.get(url).status_code
    if status == 404:
        return [f"{route.name}: {url} is 404 with own objects; is KWARG_MODELS right?"]
    return []


def test_no_org_page_shows_an_id_of_another_organisation(demo: DemoWorld) -> None:
    client = admin_client(demo)
    foreign_ids = _uuids_of(demo.foreign)
    problems = []
    for route in org_routes():
        try:
            url = route.url(demo.own.slug, fill(route, demo.own))
        except LookupError as error:
            problems.append(str(error))
            continue
        response = client.get(url)
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        leaked = set(re.findall(r"[0-9a-f]{8}-[0-9a-f-]{27}", response.content.decode()))
        if leaked & foreign_ids:
            problems.append(f"{route.name}: {url} shows ids of {demo.foreign.slug}")
    assert problems == [], "\n".join(problems)


def _uuids_of(organization: Any) -> set[str]:
    from django.apps import apps

    ids: set[str] = set()
    for model in apps.get_models():
        names = {f.name for f in model._meta.concrete_fields}
        if {"organization", "uuid"} <= names:
            ids |= {
                str(u)
                for u in model.objects.filter(organization=organization).values_list(
                    "uuid", flat=True
                )
            }
    return ids


# --- the API -----------------------------------------------------------------------------


def api_client(demo: DemoWorld) -> Client:
    membership = Membership.objects.get(person=demo.admin, organization=demo.own)
    _token, text = create_token(membership=membership, name="isolation test")
    return Client(HTTP_AUTHORIZATION=f"Bearer {text}")


def api_paths() -> list[tuple[str, list[str], list[str]]]:
    """(path, methods, path parameter names) of every API path that takes parameters."""
    schema = api.get_openapi_schema()
    result = []
    for path, operations in schema["paths"].items():
        params = re.findall(r"{(\w+)}", path)
        if params:
            methods = [m for m in operations if m in {"get", "post", "put", "patch", "delete"}]
            result.append((path, methods, params))
    return result


def test_every_api_path_answers_404_for_another_organisations_objects(demo: DemoWorld) -> None:
    client = api_client(demo)
    problems = []
    for path, methods, params in api_paths():
        wanted = {name: model_for(name) for name in params}
        unknown = [name for name, model in wanted.items() if model is None]
        if unknown:
            problems.append(
                f"API {path}: cannot fill {unknown}; add them to KWARG_MODELS in "
                "leitstern/tests/urlwalk.py"
            )
            continue
        foreign = pick(demo.foreign, wanted)  # type: ignore[arg-type]
        own = pick(demo.own, wanted)  # type: ignore[arg-type]
        for method in methods:
            problems += _api_expect_404(client, method, path, foreign, own)
    assert problems == [], "\n".join(problems)


def _api_value(name: str, obj: Any) -> str:
    return str(obj.slug) if name in {"slug", "team"} or not hasattr(obj, "uuid") else str(obj.uuid)


def _api_url(path: str, objects: dict[str, Any]) -> str:
    return re.sub(r"{(\w+)}", lambda m: _api_value(m[1], objects[m[1]]), path)


def _api_call(client: Client, method: str, url: str) -> Any:
    if method == "get":
        return client.get(url)
    return getattr(client, method)(url, data="{}", content_type="application/json")


def _api_expect_404(client: Client, method: str, path: str, foreign: dict, own: dict) -> list[str]:
    if method == "get":
        own_status = client.get(_api_url(path, own)).status_code
        if own_status == 404:
            return [f"API GET {path}: 404 with own objects; is KWARG_MODELS right?"]
    response = _api_call(client, method, _api_url(path, foreign))
    if response.status_code == 404:
        return []
    # A body validated before the lookup (422) is fine only if it is indistinguishable from the
    # answer for an id that exists nowhere: then it reveals nothing about the other tenant.
    nowhere = {k: _Nowhere() for k in foreign}
    control = _api_call(client, method, _api_url(path, nowhere))
    if response.status_code >= 400 and (response.status_code, response.content) == (
        control.status_code,
        control.content,
    ):
        return []
    return [f"API {method.upper()} {path}: {response.status_code} for another tenant's object"]


class _Nowhere:
    slug = "no-such-thing"
    uuid = uuid.UUID(int=1)


def test_api_lists_show_nothing_of_another_organisation(demo: DemoWorld) -> None:
    client = api_client(demo)
    foreign_ids = _uuids_of(demo.foreign)
    schema = api.get_openapi_schema()
    problems = []
    for path, operations in schema["paths"].items():
        if "{" in path or "get" not in operations:
            continue
        body = client.get(path).content.decode()
        if set(re.findall(r"[0-9a-f]{8}-[0-9a-f-]{27}", body)) & foreign_ids:
            problems.append(f"API GET {path} lists objects of {demo.foreign.slug}")
    assert problems == [], "\n".join(problems)
