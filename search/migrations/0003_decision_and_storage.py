"""The decision text on its own (for the small title+decision vector), and PostgreSQL row layout for speed.

On PostgreSQL, `toast_tuple_target = 128` moves the long texts and the full `vector` out of the heap row while
`title` and `head_vector` stay inline (STORAGE MAIN): a query matching most cases counts, facets and ranks on
the narrow row without detoasting anything.
"""

from django.db import migrations, models

STORAGE = [
    "ALTER TABLE search_searchdocument SET (toast_tuple_target = 128)",
    "ALTER TABLE search_searchdocument ALTER COLUMN title SET STORAGE MAIN",
    "ALTER TABLE search_searchdocument ALTER COLUMN head_vector SET STORAGE MAIN",
]
STORAGE_REVERSE = [
    "ALTER TABLE search_searchdocument RESET (toast_tuple_target)",
    "ALTER TABLE search_searchdocument ALTER COLUMN title SET STORAGE EXTENDED",
    "ALTER TABLE search_searchdocument ALTER COLUMN head_vector SET STORAGE EXTENDED",
]


def set_storage(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in STORAGE:
            schema_editor.execute(statement)


def reset_storage(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in STORAGE_REVERSE:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("search", "0002_engine_indexes")]

    operations = [
        migrations.AddField(
            model_name="searchdocument",
            name="decision",
            field=models.TextField(blank=True, verbose_name="beslutning"),
        ),
        migrations.RunPython(set_storage, reset_storage, elidable=False),
    ]
