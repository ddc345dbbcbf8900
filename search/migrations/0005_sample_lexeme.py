"""PostgreSQL: add each document's sampling lexeme (search.models.sample_lexeme) to its stored vector."""

from django.db import migrations

ADD = (
    "UPDATE search_searchdocument SET vector = vector || "
    "array_to_tsvector(ARRAY['zzs' || lpad((bucket / 16)::text, 2, '0')]) WHERE vector IS NOT NULL"
)


def add_lexeme(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(ADD)


class Migration(migrations.Migration):
    dependencies = [("search", "0004_sample_bucket")]

    operations = [migrations.RunPython(add_lexeme, migrations.RunPython.noop, elidable=False)]
