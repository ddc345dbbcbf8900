"""PostgreSQL: `match_vector`, the vector searches match on, so the GIN index answers words and two-word phrases
without rechecking rows (see search/backends/postgres/compiler.py).

`search_pairs(tsvector)` turns every two lexemes at adjacent positions into one position-less lexeme "a b".
Built from the same vector a phrase is otherwise checked against, it holds a pair exactly when `a <-> b` matches
there (stop words leave gaps in both; positions past 16 383 collapse in both). `search_match_vector` adds the
vector's own lexemes, stripped of positions. Existing documents get theirs here; no reindex is needed.
"""

import importlib

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.db import migrations

AddIndexOnPostgres = importlib.import_module("search.migrations.0002_engine_indexes").AddIndexOnPostgres

CREATE_FUNCTIONS = [
    """
    CREATE OR REPLACE FUNCTION search_pairs(v tsvector) RETURNS tsvector
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
        WITH word AS (SELECT lexeme, unnest(positions) AS pos FROM unnest(v))
        SELECT coalesce(array_to_tsvector(array_agg(DISTINCT a.lexeme || ' ' || b.lexeme)), ''::tsvector)
        FROM word a JOIN word b ON b.pos = a.pos + 1
    $$
    """,
    """
    CREATE OR REPLACE FUNCTION search_match_vector(v tsvector) RETURNS tsvector
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$ SELECT strip(v) || search_pairs(v) $$
    """,
]
DROP_FUNCTIONS = [
    "DROP FUNCTION IF EXISTS search_match_vector(tsvector)",
    "DROP FUNCTION IF EXISTS search_pairs(tsvector)",
]
FILL = "UPDATE search_searchdocument SET match_vector = search_match_vector(vector) WHERE vector IS NOT NULL"


def on_postgres(*statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0005_sample_lexeme")]

    operations = [
        migrations.RunPython(on_postgres(*CREATE_FUNCTIONS), on_postgres(*DROP_FUNCTIONS), elidable=False),
        migrations.AddField(
            model_name="searchdocument",
            name="match_vector",
            field=SearchVectorField(editable=False, null=True),
        ),
        migrations.RunPython(on_postgres(FILL), migrations.RunPython.noop, elidable=False),
        AddIndexOnPostgres(
            model_name="searchdocument",
            index=GinIndex(fields=["match_vector"], name="search_doc_match_vector_gin"),
        ),
    ]
