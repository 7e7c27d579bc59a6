"""The search index: plans use it, and it follows every write (ORM, bulk seed, raw delete).

PostgreSQL: the stored `search` column (GIN) and the trigram index. SQLite: the FTS5 table
`learning_fts`, kept current by triggers.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection

from leitstern.learning.models import Learning, Source
from leitstern.lib.bulk import Adapt, insert_rows
from leitstern.tests import factories as f

pytestmark = pytest.mark.django_db
POSTGRES = connection.vendor == "postgresql"


def plan(queryset: Any) -> str:
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        if POSTGRES:
            cursor.execute("SET LOCAL enable_seqscan = off")  # tiny tables are read whole
            cursor.execute(f"EXPLAIN {sql}", params)
        else:
            cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        return "\n".join(str(row[-1]) for row in cursor.fetchall())


def indexed(word: str) -> list[int]:
    """The learnings the index itself lists for `word` (no join that could hide stale rows)."""
    sql = (
        "SELECT id FROM learning_learning WHERE search @@ plainto_tsquery('english', %s)"
        if POSTGRES
        else "SELECT rowid FROM learning_fts WHERE learning_fts MATCH %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [word])
        return sorted(row[0] for row in cursor.fetchall())


def test_the_index_exists_after_all_migrations() -> None:
    # On SQLite a later migration that rebuilds learning_learning drops the triggers silently.
    sql = (
        "SELECT indexname FROM pg_indexes WHERE tablename = 'learning_learning'"
        if POSTGRES
        else "SELECT name FROM sqlite_master WHERE tbl_name LIKE 'learning_%'"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql)
        names = {row[0] for row in cursor.fetchall()}
    expected = (
        {"learning_search", "learning_text_trgm", "learning_org_newest"}
        if POSTGRES
        else {"learning_fts", "learning_fts_insert", "learning_fts_update", "learning_fts_delete"}
    )
    assert expected <= names, names
    assert not {"learning_text_fts_en", "learning_text_fts_de"} & names  # replaced in 0003


def test_word_search_reads_the_index(world: f.World) -> None:
    # Without the organisation: in a test database its index alone narrows enough.
    found = plan(Learning.objects.search("onboarding").order_by()[:1001])
    if POSTGRES:
        assert "learning_search" in found and "to_tsvector" not in found, found
    else:
        assert "learning_fts VIRTUAL TABLE" in found, found


def test_search_inside_words_only_with_the_trigram_index(world: f.World) -> None:
    inside = Learning.objects.search_inside_words("kunden")
    if POSTGRES:
        assert inside is not None and "learning_text_trgm" in plan(inside.order_by()[:1001])
    else:
        assert inside is None  # it would read every learning


def test_a_page_walks_the_date_index(world: f.World) -> None:
    learnings = Learning.objects.in_org(world.org).order_by("-created_at", "-id")
    assert "learning_org_newest" in plan(learnings[:25])
    if not POSTGRES:
        # A page of many matches, too: walk the dates, look each learning up in the matches.
        found = plan(learnings.search("onboarding")[:25])
        assert "learning_org_newest" in found and "TEMP B-TREE" not in found, found


def test_the_index_follows_insert_update_and_delete(world: f.World) -> None:
    learning = f.learning(world.team, "Kunden lesen E-Mails")
    assert indexed("kunden") == [learning.pk]
    learning.text = "Partners call on Mondays"
    learning.save()
    assert indexed("kunden") == [] and indexed("partners") == [learning.pk]
    Learning.objects.filter(pk=learning.pk).update(text="Teams pair on Fridays")
    assert indexed("partners") == [] and indexed("fridays") == [learning.pk]
    Learning.objects.filter(pk=learning.pk).update(hypothesis_outcome="refuted")
    assert indexed("fridays") == [learning.pk]
    learning.delete()
    assert indexed("fridays") == []


def test_the_index_follows_bulk_inserts_and_raw_deletes(world: f.World) -> None:
    """`seed-scale` writes with COPY / executemany and deletes with one DELETE per table."""
    adapt, when = Adapt(), f.learning(world.team, "template").created_at
    fields = ["organization", "team", "uuid", "created_at", "updated_at", "text"]
    fields += ["source", "hypothesis_outcome"]
    stamp = adapt.datetime(when)
    rows = [
        (world.org.pk, world.team.pk, adapt.uuid(), stamp, stamp, f"Bulk {i}", Source.OTHER, "")
        for i in range(50)
    ]
    assert insert_rows(Learning, fields, rows) == 50
    assert len(indexed("bulk")) == 50
    assert Learning.objects.search("bulk").count() == 50
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM learning_learning WHERE organization_id = %s", [world.org.pk])
    assert indexed("bulk") == [] and indexed("template") == []
