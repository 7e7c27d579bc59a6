"""The learning library's search index, kept current by the database itself.

PostgreSQL: a stored generated column `search` (English and German tsvector of the text)
with a GIN index; it replaces the two expression indexes of 0002, whose bitmap scans had
to compute to_tsvector again for every match. The trigram index of 0002 stays: it serves
the substring fallback.

SQLite: an FTS5 table over the text (external content: the text is not stored twice), kept
in sync by triggers, so the ORM, raw executemany (`seed-scale`) and raw deletes all update
it. Existing learnings are indexed here ('rebuild').

Neither is a model field: the model reaches both through `TextMatch`. Beware on SQLite: a
later migration that makes Django rebuild `learning_learning` (most AlterField/RemoveField)
drops the triggers with the old table — test_search_index checks they exist.
"""

from django.db import migrations, models

POSTGRES = [
    "DROP INDEX IF EXISTS learning_text_fts_en",
    "DROP INDEX IF EXISTS learning_text_fts_de",
    "ALTER TABLE learning_learning ADD COLUMN search tsvector GENERATED ALWAYS AS "
    "(to_tsvector('english'::regconfig, text) || to_tsvector('german'::regconfig, text)) STORED",
    "CREATE INDEX learning_search ON learning_learning USING GIN (search)",
    # Word frequencies for the planner now, not at the next autovacuum.
    "ANALYZE learning_learning",
]
POSTGRES_REVERSE = [
    "ALTER TABLE learning_learning DROP COLUMN IF EXISTS search",
    "CREATE INDEX IF NOT EXISTS learning_text_fts_en ON learning_learning "
    "USING GIN (to_tsvector('english'::regconfig, COALESCE(text, '')))",
    "CREATE INDEX IF NOT EXISTS learning_text_fts_de ON learning_learning "
    "USING GIN (to_tsvector('german'::regconfig, COALESCE(text, '')))",
]

SQLITE = [
    "CREATE VIRTUAL TABLE learning_fts USING fts5(text, content='learning_learning', "
    "content_rowid='id', tokenize='unicode61 remove_diacritics 2')",
    "CREATE TRIGGER learning_fts_insert AFTER INSERT ON learning_learning BEGIN "
    "INSERT INTO learning_fts(rowid, text) VALUES (new.id, new.text); END",
    "CREATE TRIGGER learning_fts_delete AFTER DELETE ON learning_learning BEGIN "
    "INSERT INTO learning_fts(learning_fts, rowid, text) VALUES ('delete', old.id, old.text); "
    "END",
    "CREATE TRIGGER learning_fts_update AFTER UPDATE OF text ON learning_learning BEGIN "
    "INSERT INTO learning_fts(learning_fts, rowid, text) VALUES ('delete', old.id, old.text); "
    "INSERT INTO learning_fts(rowid, text) VALUES (new.id, new.text); END",
    "INSERT INTO learning_fts(learning_fts) VALUES ('rebuild')",
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS learning_fts_insert",
    "DROP TRIGGER IF EXISTS learning_fts_delete",
    "DROP TRIGGER IF EXISTS learning_fts_update",
    "DROP TABLE IF EXISTS learning_fts",
]


def _run(schema_editor, statements):
    for sql in statements:
        schema_editor.execute(sql)


def create(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    _run(schema_editor, {"postgresql": POSTGRES, "sqlite": SQLITE}.get(vendor, []))


def drop(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    _run(schema_editor, {"postgresql": POSTGRES_REVERSE, "sqlite": SQLITE_REVERSE}.get(vendor, []))


class Migration(migrations.Migration):
    dependencies = [("learning", "0002_search_indexes")]
    operations = [
        migrations.AddIndex(
            model_name="learning",
            index=models.Index(
                fields=["organization", "-created_at", "-id"], name="learning_org_newest"
            ),
        ),
        migrations.RunPython(create, drop),
    ]
