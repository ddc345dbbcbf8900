"""The archive's vocabulary for "Mente du …?" suggestions (search.models.SearchWord), with a trigram index: on
PostgreSQL pg_trgm's GIN index where the extension can be created (a trusted extension since PostgreSQL 13, so a
database owner may; where it cannot, suggestions use a slower lookup and the check search.W002 says how to add
it), on SQLite an FTS5 table with the trigram tokenizer. Words of the documents already indexed are added here.
"""

from django.db import migrations, models, transaction

BATCH = 1000
TRIGRAM_TABLE = "search_word_trigram"
PG_INDEX = "CREATE INDEX IF NOT EXISTS search_word_trgm ON search_searchword USING gin (word gin_trgm_ops)"


def create_trigram_index(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor == "sqlite":
        schema_editor.execute(f"CREATE VIRTUAL TABLE {TRIGRAM_TABLE} USING fts5(word, tokenize = 'trigram')")
    elif connection.vendor == "postgresql":
        try:
            with transaction.atomic(using=connection.alias):  # a savepoint: a refusal must not end the migration
                schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        except Exception:  # noqa: BLE001 - no privilege or no contrib package: suggestions fall back
            return
        schema_editor.execute(PG_INDEX)


def drop_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(f"DROP TABLE IF EXISTS {TRIGRAM_TABLE}")
    elif schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS search_word_trgm")


def add_words(apps, schema_editor):
    from search import danish  # plain Python

    SearchDocument = apps.get_model("search", "SearchDocument")
    SearchWord = apps.get_model("search", "SearchWord")
    words = set()
    for doc in SearchDocument.objects.only("title", "text_b", "text_c", "text_d").iterator(chunk_size=BATCH):
        words.update(danish.vocabulary("\n".join((doc.title, doc.text_b, doc.text_c, doc.text_d))))
    SearchWord.objects.bulk_create([SearchWord(word=w) for w in sorted(words)], batch_size=BATCH)
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(f"INSERT INTO {TRIGRAM_TABLE} (rowid, word) SELECT id, word FROM search_searchword")


class Migration(migrations.Migration):
    dependencies = [("search", "0009_compound_parts")]

    operations = [
        migrations.CreateModel(
            name="SearchWord",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("word", models.CharField(max_length=60, unique=True, verbose_name="ord")),
            ],
            options={"verbose_name": "ord i arkivet", "verbose_name_plural": "ord i arkivet", "ordering": ["word"]},
        ),
        migrations.RunPython(create_trigram_index, drop_trigram_index, elidable=False),
        migrations.RunPython(add_words, migrations.RunPython.noop, elidable=False),
    ]
