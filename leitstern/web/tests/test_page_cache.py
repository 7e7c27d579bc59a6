"""Whole pages from the cache (leitstern/lib/page_cache.py): each response carries its own
working CSRF token, messages always show, query strings are rendered afresh."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from leitstern.lib.page_cache import _slot
from leitstern.tests import factories as f

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def tokens(html: str) -> set[str]:
    found = set(TOKEN.findall(html))
    assert found, "the page has forms with a CSRF token"
    return found


@pytest.mark.parametrize("page", ["team", "key_result", "org_home"])
def test_a_cached_page_carries_a_working_token(
    world: f.World, page: str, django_assert_max_num_queries: Any
) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.member.person)
    url = {
        "team": f"/o/{world.org.slug}/teams/{world.team.slug}/",
        "key_result": f"/o/{world.org.slug}/key-results/{world.key_result.uuid}/",
        "org_home": f"/o/{world.org.slug}/",
    }[page]
    first = client.get(url).text
    # from the cache: session, person, membership with the team or key result (the org home
    # also reads its team list, problems and other organisations to build its key)
    with django_assert_max_num_queries(6 if page == "org_home" else 3):
        second = client.get(url).text
    slot = _slot("token-slot")
    assert slot not in first + second
    assert tokens(first) != tokens(second)  # the second came from the cache, masked afresh
    assert f'"X-CSRFToken": "{slot}"' not in second
    token = next(iter(tokens(second)))
    response = client.post(
        "/i18n/setlang/", {"language": "de", "next": url, "csrfmiddlewaretoken": token}
    )
    assert response.status_code == 302  # a 403 would mean the token did not fit the cookie


def test_messages_show_on_a_cached_page_and_go(client: Client, world: f.World) -> None:
    client.force_login(world.member.person)
    url = f"/o/{world.org.slug}/key-results/{world.key_result.uuid}/"
    client.get(url)  # cached now
    response = client.post(f"{url}indicators/", {"name": "Trial calls"}, follow=True)
    assert "Leading indicator added." in response.text
    assert "Leading indicator added." not in client.get(url).text


def test_a_nameless_indicator_is_shown_beside_its_field_with_what_was_typed(
    client: Client, world: f.World
) -> None:
    client.force_login(world.member.person)
    url = f"/o/{world.org.slug}/key-results/{world.key_result.uuid}/"
    client.get(url)  # cached now
    response = client.post(
        f"{url}indicators/",
        {"name": " ", "unit": "calls/week"},
        HTTP_REFERER=url,  # as a browser sends it from the page
    )
    assert response.status_code == 400
    html = response.text
    assert re.search(r'id="id_name_error"[^>]*>[^<]*Give the leading indicator a name\.', html)
    assert 'value="calls/week"' in html and '<details class="no-print" open>' in html
    assert f'name="next" type="hidden" value="{url}"' in html  # the language switch: the page
    assert world.key_result.leading_indicators.count() == 0
    page = client.get(url).text  # the cached page is untouched
    assert "Give the leading indicator a name." not in page and "calls/week" not in page


def test_a_query_string_is_rendered_not_cached(client: Client, world: f.World) -> None:
    client.force_login(world.member.person)
    url = f"/o/{world.org.slug}/teams/{world.team.slug}/"
    client.get(url)
    html = client.get(f"{url}?from=mail&amp;x=<b>").text
    # the language switch sends people back where they were, query string included
    assert 'name="next" type="hidden" value="/o/' in html and "from=mail" in html
    assert "from=mail" not in client.get(url).text


def test_a_cached_search_shows_a_new_learning(client: Client, world: f.World) -> None:
    client.force_login(world.member.person)
    url = f"/o/{world.org.slug}/learnings/?q=examples"
    f.learning(world.team, "Examples beat videos")
    assert "1 learning" in client.get(url).text
    client.get(url)  # from the cache
    f.learning(world.other_team, "Examples need a face")
    page = client.get(url).text
    assert "2 learnings" in page and "Examples need a face" in page


def test_only_the_librarys_own_parameters_are_cached(client: Client, world: f.World) -> None:
    from django.core.cache import caches

    client.force_login(world.member.person)
    url = f"/o/{world.org.slug}/learnings/"
    cache = caches["fragments"]
    cache.clear()
    client.get(url, {"q": "examples"})
    cached = len(cache._cache)  # type: ignore[attr-defined]
    for junk in range(3):  # unknown or repeated parameters render without filling the cache
        client.get(f"{url}?q=examples&x={junk}")
        client.get(f"{url}?q=examples&q=more{junk}")
    assert len(cache._cache) == cached  # type: ignore[attr-defined]


@pytest.mark.parametrize("page", ["team", "key_result", "org_home", "library"])
def test_each_viewer_sees_their_own_name_on_a_cached_page(world: f.World, page: str) -> None:
    url = {
        "team": f"/o/{world.org.slug}/teams/{world.team.slug}/",
        "key_result": f"/o/{world.org.slug}/key-results/{world.key_result.uuid}/",
        "org_home": f"/o/{world.org.slug}/",
        "library": f"/o/{world.org.slug}/learnings/?q=examples",
    }[page]
    first, second = f.member(world.org), f.member(world.org)
    first.person.name, second.person.name = "Ada <Lovelace>", ""
    first.person.save()
    second.person.save()
    shown = []
    for membership in (first, second, first):
        client = Client()
        client.force_login(membership.person)
        shown.append(client.get(url).text)
    assert "Ada &lt;Lovelace&gt;" in shown[0] and "Ada &lt;Lovelace&gt;" in shown[2]
    assert "Ada" not in shown[1] and second.person.email in shown[1]  # no name: the address
    assert _slot("viewer-slot") not in "".join(shown)


def test_an_indicator_for_a_closed_cycle_is_refused(client: Client, world: f.World) -> None:
    world.cycle.phase = "closed"
    world.cycle.save()
    client.force_login(world.member.person)
    url = f"/o/{world.org.slug}/key-results/{world.key_result.uuid}/"
    response = client.post(f"{url}indicators/", {"name": "Trial calls"}, follow=True)
    assert f"The cycle “{world.cycle.name}” is closed." in response.text
    assert world.key_result.leading_indicators.count() == 0
    response = client.post(f"{url}indicators/", {"name": ""}, follow=True)
    assert response.status_code == 200 and 'id="id_name"' not in response.text  # no form


def test_the_language_switch_on_a_form_shown_again_returns_to_the_page_it_came_from(
    client: Client, world: f.World
) -> None:
    """A form re-shown after a POST lives at a POST-only address: the switch goes back to the
    page the form was on (the Referer), never to that address (a 405)."""
    client.force_login(world.facilitator.person)
    cycles = f"http://testserver/o/{world.org.slug}/cycles/"
    html = client.post(f"/o/{world.org.slug}/cycles/new/", {"name": ""}, HTTP_REFERER=cycles).text
    assert f'name="next" type="hidden" value="{cycles}"' in html
    response = client.post("/i18n/setlang/", {"language": "de", "next": cycles})
    assert response.status_code == 302 and response["Location"] == cycles
