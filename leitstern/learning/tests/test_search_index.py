"""On PostgreSQL the library search uses its indexes instead of reading every learning."""

from __future__ import annotations

import pytest
from django.db import connection

from leitstern.learning.models import Learning
from leitstern.tests import factories as f

pytestmark = pytest.mark.django_db


def test_search_plan_uses_the_text_indexes(world: f.World) -> None:
    if connection.vendor != "postgresql":
        # SQLite has no index for substring search; its behaviour is tested elsewhere.
        assert Learning.objects.search("x").query is not None
        return
    queryset = Learning.objects.search("onboarding")  # the organisation index aside
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    for index in ("learning_text_fts_en", "learning_text_fts_de", "learning_text_trgm"):
        assert index in plan, plan
