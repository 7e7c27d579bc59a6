"""Indexes for the learning library's search on PostgreSQL.

The search ORs an English and a German full-text match with a substring match; each
part needs its own index so PostgreSQL can combine them (bitmap OR) instead of reading
every learning. The expressions match what Django generates for
SearchVector("text", config=...) and for text__icontains. SQLite keeps the plain scan.
"""

from django.db import migrations

INDEXES = [
    "CREATE INDEX IF NOT EXISTS learning_text_fts_en ON learning_learning "
    "USING GIN (to_tsvector('english'::regconfig, COALESCE(text, '')))",
    "CREATE INDEX IF NOT EXISTS learning_text_fts_de ON learning_learning "
    "USING GIN (to_tsvector('german'::regconfig, COALESCE(text, '')))",
    "CREATE INDEX IF NOT EXISTS learning_text_trgm ON learning_learning "
    "USING GIN (UPPER(text) gin_trgm_ops)",
]
DROP = ["learning_text_fts_en", "learning_text_fts_de", "learning_text_trgm"]


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for sql in INDEXES:
        schema_editor.execute(sql)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in DROP:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("learning", "0001_initial")]
    operations = [migrations.RunPython(create, drop)]
