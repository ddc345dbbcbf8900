"""PostgreSQL: the word-pair vector that lets the GIN index answer quoted phrases (SearchDocument.pair_vector).

`search_pairs(tsvector)` turns every two lexemes at adjacent positions into one position-less lexeme "a b".
Built from the same vector a phrase query is checked against, it holds a pair exactly when `a <-> b` can match
there (stop words leave gaps in both, positions past 16 383 collapse in both), so requiring the pairs never
loses a phrase match. Existing documents get their pairs here; no reindex is needed.
"""

import importlib

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.db import migrations

AddIndexOnPostgres = importlib.import_module("search.migrations.0002_engine_indexes").AddIndexOnPostgres

CREATE_FUNCTION = """
CREATE OR REPLACE FUNCTION search_pairs(v tsvector) RETURNS tsvector
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    WITH word AS (SELECT lexeme, unnest(positions) AS pos FROM unnest(v))
    SELECT coalesce(array_to_tsvector(array_agg(DISTINCT a.lexeme || ' ' || b.lexeme)), ''::tsvector)
    FROM word a JOIN word b ON b.pos = a.pos + 1
$$
"""
DROP_FUNCTION = "DROP FUNCTION IF EXISTS search_pairs(tsvector)"
FILL = "UPDATE search_searchdocument SET pair_vector = search_pairs(vector) WHERE vector IS NOT NULL"


def create_function(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE_FUNCTION)


def drop_function(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP_FUNCTION)


def fill(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FILL)


class Migration(migrations.Migration):
    dependencies = [("search", "0005_sample_lexeme")]

    operations = [
        migrations.RunPython(create_function, drop_function, elidable=False),
        migrations.AddField(
            model_name="searchdocument",
            name="pair_vector",
            field=SearchVectorField(editable=False, null=True),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop, elidable=False),
        AddIndexOnPostgres(
            model_name="searchdocument", index=GinIndex(fields=["pair_vector"], name="search_doc_pair_vector_gin")
        ),
    ]
