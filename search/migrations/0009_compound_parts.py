"""Compound words found by their parts (search/decompound.py): each document's part stems in `parts`; on
PostgreSQL also as marked lexemes ("»skol") in `vector` and `match_vector`; on SQLite as a fifth column of the
FTS5 table, which is made again with a prefix index for `ord*` searches. Existing documents get their parts
here (about 1 ms per case), so no reindex is needed.
"""

from django.db import migrations, models

BATCH = 500
FTS5_COLUMNS = "title, text_b, text_c, text_d"
FTS5_OPTIONS = "tokenize = 'unicode61 remove_diacritics 0'"
FTS5_NEW = f"CREATE VIRTUAL TABLE search_fts USING fts5({FTS5_COLUMNS}, parts, {FTS5_OPTIONS}, prefix = '3')"
FTS5_OLD = f"CREATE VIRTUAL TABLE search_fts USING fts5({FTS5_COLUMNS}, {FTS5_OPTIONS})"
# The marked part lexemes of a row (search/backends/postgres: PART_MARK and PartLexemes).
PG_PARTS = "array_to_tsvector(ARRAY(SELECT '»' || p FROM unnest(string_to_array(NULLIF(parts, ''), ' ')) AS p))"
PG_ADD = f"""
    UPDATE search_searchdocument
    SET vector = vector || {PG_PARTS}, match_vector = search_match_vector(vector || {PG_PARTS})
    WHERE vector IS NOT NULL AND parts <> ''
"""
PG_REMOVE_PARTS = """
    UPDATE search_searchdocument
    SET vector = ts_delete(vector, ARRAY(SELECT lexeme FROM unnest(vector) WHERE lexeme LIKE '»%'))
    WHERE vector IS NOT NULL
"""
PG_REMOVE = [PG_REMOVE_PARTS, "UPDATE search_searchdocument SET match_vector = search_match_vector(vector)"]


def _documents(apps):
    SearchDocument = apps.get_model("search", "SearchDocument")
    return SearchDocument.objects.order_by("pk").only("pk", "title", "text_b", "text_c", "text_d")


def add_parts(apps, schema_editor):
    from search import danish, decompound  # plain Python, as stable as the stored stems

    connection = schema_editor.connection
    sqlite = connection.vendor == "sqlite"
    if sqlite:
        schema_editor.execute("DROP TABLE IF EXISTS search_fts")
        schema_editor.execute(FTS5_NEW)
    batch = []

    def flush():
        with connection.cursor() as cursor:
            if sqlite:
                cursor.executemany("UPDATE search_searchdocument SET parts = %s WHERE case_id = %s", batch)
                cursor.executemany(
                    "INSERT INTO search_fts (rowid, title, text_b, text_c, text_d, parts) "
                    "SELECT case_id, %s, %s, %s, %s, parts FROM search_searchdocument WHERE case_id = %s",
                    [(*stems, pk) for (_, pk), stems in zip(batch, stemmed, strict=True)],
                )
            else:
                cursor.execute(
                    "UPDATE search_searchdocument AS d SET parts = x.p "
                    "FROM unnest(%s::int[], %s::text[]) AS x(id, p) WHERE d.case_id = x.id",
                    [[pk for _, pk in batch], [parts for parts, _ in batch]],
                )
        batch.clear()
        stemmed.clear()

    stemmed = []
    for doc in _documents(apps).iterator(chunk_size=BATCH):
        texts = (doc.title, doc.text_b, doc.text_c, doc.text_d)
        batch.append((" ".join(decompound.text_parts("\n".join(texts))), doc.pk))
        if sqlite:
            stemmed.append(tuple(danish.stemmed_text(t) for t in texts))
        if len(batch) == BATCH:
            flush()
    if batch:
        flush()
    if not sqlite:
        schema_editor.execute(PG_ADD)


def remove_parts(apps, schema_editor):
    from search import danish

    if schema_editor.connection.vendor != "sqlite":
        for statement in PG_REMOVE:
            schema_editor.execute(statement)
        return
    schema_editor.execute("DROP TABLE IF EXISTS search_fts")
    schema_editor.execute(FTS5_OLD)
    with schema_editor.connection.cursor() as cursor:
        for doc in _documents(apps).iterator(chunk_size=BATCH):
            cursor.execute(
                "INSERT INTO search_fts (rowid, title, text_b, text_c, text_d) VALUES (%s, %s, %s, %s, %s)",
                [doc.pk, *(danish.stemmed_text(t) for t in (doc.title, doc.text_b, doc.text_c, doc.text_d))],
            )


class Migration(migrations.Migration):
    dependencies = [("search", "0008_searchdocument_kind_agenda_or_minutes")]

    operations = [
        migrations.AddField(
            model_name="searchdocument",
            name="parts",
            field=models.TextField(blank=True, editable=False, verbose_name="sammensætningsdele"),
        ),
        migrations.RunPython(add_parts, remove_parts, elidable=False),
    ]
