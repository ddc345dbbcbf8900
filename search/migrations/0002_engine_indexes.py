"""Engine-specific index structures: GIN indexes on PostgreSQL, the FTS5 table on SQLite.

Each operation runs only on its database vendor, so one migration history serves both engines.
"""

from django.contrib.postgres.indexes import GinIndex
from django.db import migrations

FTS5_CREATE = (
    "CREATE VIRTUAL TABLE IF NOT EXISTS search_fts USING fts5("
    "title, text_b, text_c, text_d, tokenize = 'unicode61 remove_diacritics 0')"
)
FTS5_DROP = "DROP TABLE IF EXISTS search_fts"


class AddIndexOnPostgres(migrations.AddIndex):
    """AddIndex that is recorded in the state everywhere but only created on PostgreSQL."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)


def create_fts(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(FTS5_CREATE)


def drop_fts(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(FTS5_DROP)


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]

    operations = [
        AddIndexOnPostgres(
            model_name="searchdocument", index=GinIndex(fields=["vector"], name="search_doc_vector_gin")
        ),
        AddIndexOnPostgres(
            model_name="searchdocument", index=GinIndex(fields=["head_vector"], name="search_doc_head_vector_gin")
        ),
        migrations.RunPython(create_fts, drop_fts, elidable=False),
    ]
