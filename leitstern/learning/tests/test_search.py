"""The library's search at size: full-text index, capped count, hostile input, fixed queries."""

from __future__ import annotations

import pytest
from django.core.cache import caches
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from leitstern.frame.models import Moal
from leitstern.learning import search
from leitstern.learning.models import Learning, Source
from leitstern.learning.search import COUNT_LIMIT, Scope, find_learnings
from leitstern.tests import factories as f
from leitstern.tests.apiclient import ApiClient

pytestmark = pytest.mark.django_db
LIBRARY = "/o/acme/learnings/"
POSTGRES = connection.vendor == "postgresql"


def as_member(client: Client, world: f.World) -> Client:
    client.force_login(world.member.person)
    return client


def many(world: f.World, n: int, text: str = "Onboarding calls help") -> None:
    """`n` learnings in one INSERT (the triggers still index each row on SQLite)."""
    Learning.objects.bulk_create(
        Learning(organization=world.org, team=world.team, text=f"{text} {i}", source=Source.OTHER)
        for i in range(n)
    )


def texts(query: str) -> set[str]:
    return set(Learning.objects.search(query).values_list("text", flat=True))


def test_every_word_as_a_word_or_its_beginning(world: f.World) -> None:
    f.learning(world.team, "Customers skipped the onboarding checklist")
    f.learning(world.team, "Kunden brauchten die Anleitung")
    assert texts("onboarding") == {"Customers skipped the onboarding checklist"}
    assert texts("ONBOARD checklist") == {"Customers skipped the onboarding checklist"}
    assert texts("onboarding Anleitung") == set()  # every word, not any
    assert texts("Kund") == {"Kunden brauchten die Anleitung"}
    assert texts("skipped, the: checklist!") == {"Customers skipped the onboarding checklist"}


def test_accents_and_word_forms(world: f.World) -> None:
    f.learning(world.team, "Die Änderung kam zu spät")
    assert texts("Änderung") == texts("anderung") == {"Die Änderung kam zu spät"}
    f.learning(world.team, "The clinics learned to trust reminders")
    # PostgreSQL stems ("learning" → learn); SQLite matches words and their beginnings only.
    assert bool(texts("learning")) is POSTGRES
    assert texts("learn") == {"The clinics learned to trust reminders"}


def test_short_words_match_whole_words(world: f.World) -> None:
    f.learning(world.team, "UX reviews found the bug")
    f.learning(world.team, "Uxbridge office")
    assert texts("ux") == {"UX reviews found the bug"}


def test_parts_of_words_only_where_an_index_serves_them(client: Client, world: f.World) -> None:
    f.learning(world.team, "Bestandskunden lasen die Anleitung")
    # A word search finds nothing; PostgreSQL then looks inside words (trigram index).
    page = as_member(client, world).get(LIBRARY, {"q": "kunden"}).text
    assert ("Bestandskunden lasen" in page) is POSTGRES
    assert ("No learnings match" in page) is not POSTGRES
    assert texts("kunden") == set()  # the fallback belongs to the page, not to search()


HOSTILE = [
    '"',
    '""',
    "*",
    "onboarding*",
    '"onboarding"',
    "NEAR(onboarding calls)",
    "onboarding AND OR NOT calls",
    "((",
    ")",
    "text:onboarding",
    "^onboarding",
    "-onboarding",
    "it's",
    "\\",
    "%",
    "_",
    "'; DROP TABLE learning_learning; --",
    "💥",
    "a" * 200,
    "NOT",
    "onboarding\x00calls",
    "!!!",
    ": * ( ) \" ' -",
]


@pytest.mark.parametrize("query", HOSTILE)
def test_hostile_queries_never_break(client: Client, world: f.World, query: str) -> None:
    f.learning(world.team, "Onboarding calls help")
    found = Learning.objects.search(query).count()
    assert found in (0, 1)
    response = as_member(client, world).get(LIBRARY, {"q": query})
    assert response.status_code == 200
    api = ApiClient(world.member).get("/learnings", {"q": query})
    assert api.status_code == (422 if "\x00" in query else 200)  # the API refuses NUL
    assert Learning.objects.count() == 1


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ('"onboarding calls"', True),
        ("NEAR onboarding", False),  # "near" is a word here, and no learning has it
        ("onboarding NOT", POSTGRES),  # PostgreSQL drops "not" as a stop word
        ("calls!!! (onboarding)", True),
        ("!!!", False),  # no word at all: nothing matches, rather than everything
    ],
)
def test_operators_are_words(world: f.World, query: str, found: bool) -> None:
    f.learning(world.team, "Onboarding calls help")
    assert Learning.objects.search(query).exists() is found


def test_count_stops_after_a_thousand(client: Client, world: f.World) -> None:
    many(world, COUNT_LIMIT + 30)
    c = as_member(client, world)
    page = c.get(LIBRARY, {"q": "onboarding"}).text
    assert "More than 1,000 learnings" in page and "Page 1<" in page and "page=2" in page
    german = c.get(LIBRARY, {"q": "onboarding"}, HTTP_ACCEPT_LANGUAGE="de").text
    assert "Mehr als 1.000 Erkenntnisse" in german
    # Deeper pages count as deep as they need: page 41 knows there is a page 42, which is last.
    assert "page=42" in c.get(LIBRARY, {"q": "onboarding", "page": "41"}).text
    last = c.get(LIBRARY, {"q": "onboarding", "page": "42"}).text
    assert "Page 42 of 42" in last and last.count('<article class="ls-learning') == 5
    assert "Page 42 of 42" in c.get(LIBRARY, {"q": "onboarding", "page": "999"}).text


def test_api_counts_exactly(world: f.World) -> None:
    many(world, COUNT_LIMIT + 30)
    body = ApiClient(world.member).get("/learnings", {"q": "onboarding", "page_size": 200}).json()
    assert body["count"] == COUNT_LIMIT + 30 and len(body["items"]) == 200 and body["next"]
    beyond = ApiClient(world.member).get("/learnings", {"q": "onboarding", "page": 999}).json()
    assert beyond["items"] == [] and beyond["count"] == COUNT_LIMIT + 30


def test_pages_are_newest_first_in_both_plans(world: f.World) -> None:
    many(world, COUNT_LIMIT + 30)
    f.learning(world.other_team, "Onboarding calls in Beta")
    f.learning(world.other_team, "Onboarding calls in Beta again")
    everyone = Learning.objects.in_org(world.org)
    for learnings in (everyone, everyone.filter(team=world.other_team)):
        newest = list(learnings.order_by("-created_at", "-id").values_list("text", flat=True))
        # Many matches: the date index is walked; two: fetched by primary key and sorted.
        found = find_learnings(learnings, "onboarding", number=1, size=25)
        assert [lr.text for lr in found] == newest[:25]
    assert [lr.text for lr in found] == [
        "Onboarding calls in Beta again",
        "Onboarding calls in Beta",
    ]


def test_capped_count_is_the_count_of_the_search_under_every_filter(world: f.World) -> None:
    many(world, COUNT_LIMIT + 30)
    f.learning(world.other_team, "Onboarding calls in Beta", hypothesis_outcome="refuted")
    f.learning(world.team, "Escalation calls in Alpha", objective=world.objective)
    f.learning(world.other_team, "Escalation calls in Beta", cycle=world.cycle)
    f.learning(f.team(world.other_org, "Delta"), "Onboarding calls elsewhere")
    moal = Moal.objects.create(organization=world.org, title="Grow by referrals")
    world.objective.moals.add(moal)
    everyone = Learning.objects.in_org(world.org)
    filtered = (
        everyone,
        everyone.filter(team__slug=world.other_team.slug),
        everyone.filter(cycle__uuid=world.cycle.uuid),
        everyone.filter(hypothesis_outcome="refuted"),
        everyone.filter(objective__moals__uuid=moal.uuid),
        everyone.none(),
    )
    for learnings in filtered:
        for query in ("onboarding", "calls beta", "escalation", "", "!!!", "nothing"):
            exact = learnings.search(query).count()
            assert learnings.count_search(query) == exact, (learnings.query, query)
            assert learnings.count_search(query, 10) == min(exact, 11), (learnings.query, query)


def test_a_page_shows_the_values_of_related_objects(world: f.World) -> None:
    f.learning(
        world.team,
        "Onboarding with everything",
        cycle=world.cycle,
        objective=world.objective,
        key_result=world.key_result,
    )
    f.learning(world.other_team, "Onboarding with nothing")
    fields = ("text", "team__name", "cycle__name", "objective__uuid", "key_result__title")
    found = find_learnings(
        Learning.objects.in_org(world.org), "onboarding", number=1, size=25, fields=fields
    )
    assert found.learnings == [
        {
            "text": "Onboarding with nothing",
            "team__name": "Beta",
            "cycle__name": None,
            "objective__uuid": None,
            "key_result__title": None,
        },
        {
            "text": "Onboarding with everything",
            "team__name": "Alpha",
            "cycle__name": world.cycle.name,
            "objective__uuid": world.objective.uuid,
            "key_result__title": world.key_result.title,
        },
    ]


def test_a_scope_finds_what_its_queryset_finds(world: f.World) -> None:
    """The page query compiled once per shape (Scope) against the ORM's, for every filter,
    both plans, two pages and new values in the same shape."""
    many(world, COUNT_LIMIT + 30)
    f.learning(world.other_team, "Onboarding calls in Beta", hypothesis_outcome="refuted")
    f.learning(world.other_team, "Escalation calls in Beta", cycle=world.cycle)
    f.learning(
        world.team,
        "Escalation calls in Alpha",
        cycle=world.cycle,
        objective=world.objective,
        key_result=world.key_result,
        hypothesis_outcome="supported",
    )
    f.learning(f.team(world.other_org, "Delta"), "Onboarding calls elsewhere")
    moal = Moal.objects.create(organization=world.org, title="Grow by referrals")
    world.objective.moals.add(moal)
    fields = ("text", "hypothesis_outcome", "team__name", "cycle__name", "objective__uuid")
    scopes = [
        (),
        (("team__slug", world.other_team.slug),),
        (("team__slug", world.team.slug),),
        (("cycle__uuid", world.cycle.uuid),),
        (("hypothesis_outcome", "refuted"),),
        (("hypothesis_outcome", "supported"),),
        (("objective__moals__uuid", moal.uuid), ("hypothesis_outcome", "supported")),
        (("team__slug", "no-such-team"),),
    ]
    shown = 0
    for lookups in scopes:
        learnings = Learning.objects.in_org(world.org).filter(**dict(lookups))
        for query in ("onboarding", "calls beta", "escalation", "", "!!!", "nothing"):
            for number in (1, 2):
                expected = find_learnings(learnings, query, number=number, size=25, fields=fields)
                scope = Scope(world.org.pk, lookups)
                found = find_learnings(scope, query, number=number, size=25, fields=fields)
                assert found == expected, (lookups, query, number)
                shown += len(found.learnings)
    assert shown > 200  # the pages were not all empty
    other = Scope(world.other_org.pk)
    assert [
        row["text"] for row in find_learnings(other, "onboarding", number=1, size=25, fields=fields)
    ] == ["Onboarding calls elsewhere"]


@pytest.mark.parametrize("query", ["onboarding", "escalation", ""])
def test_search_queries_do_not_grow_with_the_library(
    client: Client, world: f.World, query: str
) -> None:
    c = as_member(client, world)
    counts = []
    for n in (3, COUNT_LIMIT + 30):
        many(world, n - Learning.objects.count())
        c.get(LIBRARY, {"q": query})  # warm caches that fill once per process
        caches["default"].clear()  # counted again, though known to be large (next test)
        with CaptureQueriesContext(connection) as ctx:
            assert c.get(LIBRARY, {"q": query}).status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1], counts
    assert counts[0] <= 9


def test_team_filter_keeps_the_choice(client: Client, world: f.World) -> None:
    f.learning(world.other_team, "Beta learned <b>this</b>")
    page = as_member(client, world).get(LIBRARY, {"team": world.other_team.slug}).text
    assert 'value="Beta"' in page and 'list="library-teams"' in page
    assert "Beta learned &lt;b&gt;this&lt;/b&gt;" in page


def test_a_search_known_to_be_large_is_not_counted_again(
    client: Client, world: f.World, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(search, "COUNT_LIMIT", 3)
    c = as_member(client, world)
    many(world, 30 - Learning.objects.count())  # the limit is at least one page (25)
    c.get(LIBRARY, {"q": "warm"})  # caches that fill once per process
    queries = []
    for _ in range(2):
        with CaptureQueriesContext(connection) as ctx:
            page = c.get(LIBRARY, {"q": "onboarding"}).text
        queries.append([q["sql"] for q in ctx.captured_queries])
        assert "More than 25 learnings" in page
    assert len(queries[1]) == len(queries[0]) - 1  # the count, once it found more than 25
    # A small search is counted every time: its number must be exact.
    f.learning(world.team, "Escalation paths were unclear")
    small = []
    for _ in range(2):
        with CaptureQueriesContext(connection) as ctx:
            assert "1 learning" in c.get(LIBRARY, {"q": "escalation"}).text
        small.append(len(ctx.captured_queries))
    assert small[0] == small[1] == len(queries[0])
