"""What compound parts cost, measured on a loaded benchmark database (after bench/search.py has loaded it):

- index time: the same cases reindexed (`search.index.index_cases`) with the parts, without them, and without
  the vocabulary of spelling suggestions too, alternating, so every variant meets the same machine;
- index size (PostgreSQL): the GIN index on `match_vector` next to one built on the same vectors with the part
  lexemes taken out, and the part lexemes' share of all lexemes.

    python bench/parts_cost.py --database-url postgres://postgres@127.0.0.1:5432/rodovre_bench13_10k --cases 2000

Reindexing writes the same documents again, so the database is unchanged afterwards (but for table bloat, which
VACUUM removes). Prints a Markdown table.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from contextlib import contextmanager
from pathlib import Path
from unittest import mock

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def setup(database_url: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rodovre_minutes.settings")
    os.environ.setdefault("DEBUG", "0")
    os.environ.setdefault("SECRET_KEY", "benchmark-only")
    import django

    django.setup()


@contextmanager
def variant(name: str):
    """Index as usual ("parts"), without compound parts ("no parts"), or without parts and vocabulary ("neither")."""
    from search.backends.base import BaseEngine

    patches = []
    if name in ("no parts", "neither"):
        patches.append(mock.patch("search.index.document_parts", lambda document: ""))
    if name == "neither":
        patches.append(mock.patch.object(BaseEngine, "write_words", lambda self, words: None))
        patches.append(mock.patch("search.backends.sqlite.base.SqliteEngine.write_words", lambda self, words: None))
    for patch in patches:
        patch.start()
    try:
        yield
    finally:
        for patch in reversed(patches):
            patch.stop()


def time_index(ids: list[int], rounds: int) -> dict[str, float]:
    from django.db import transaction

    from search.index import index_cases

    names = ["parts", "no parts", "neither"]
    seconds = {name: [] for name in names}
    # One round first, untimed: a long import runs with the decompounder's caches warm (its words repeat).
    with variant("parts"), transaction.atomic():
        index_cases(ids)
    for _ in range(rounds):
        for name in names:
            with variant(name):
                started = time.perf_counter()
                with transaction.atomic():
                    index_cases(ids)
                seconds[name].append(time.perf_counter() - started)
    # Put the parts back: the last variant wrote documents without them.
    with variant("parts"), transaction.atomic():
        index_cases(ids)
    return {name: min(values) for name, values in seconds.items()}


def postgres_sizes() -> dict[str, int | float]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            """
            CREATE OR REPLACE FUNCTION pg_temp.without_parts(v tsvector) RETURNS tsvector
            LANGUAGE sql IMMUTABLE AS $$ SELECT ts_delete(v, ARRAY(SELECT lexeme FROM unnest(v)
            WHERE left(lexeme, 1) = '»')) $$
            """
        )
        cursor.execute(
            "SELECT sum(length(match_vector)), sum(length(pg_temp.without_parts(match_vector))) "
            "FROM search_searchdocument"
        )
        lexemes, without = cursor.fetchone()
        # Both indexes built afresh the same way (an index grown row by row, as the live one, is larger).
        cursor.execute(
            "CREATE TEMP TABLE match_cmp AS SELECT match_vector AS v, pg_temp.without_parts(match_vector) AS w "
            "FROM search_searchdocument"
        )
        cursor.execute("CREATE INDEX match_cmp_v ON match_cmp USING gin (v)")
        cursor.execute("CREATE INDEX match_cmp_w ON match_cmp USING gin (w)")
        cursor.execute(
            "SELECT pg_relation_size('match_cmp_v'), pg_relation_size('match_cmp_w'), "
            "pg_relation_size('search_doc_match_vector_gin')"
        )
        with_parts, no_parts, live = cursor.fetchone()
        cursor.execute("DROP TABLE match_cmp")
    return {
        "match lexemes": lexemes,
        "part lexemes": lexemes - without,
        "match_vector GIN, built afresh": with_parts,
        "match_vector GIN without parts, built afresh": no_parts,
        "match_vector GIN as grown by the import": live,
    }


def sqlite_sizes() -> dict[str, int]:
    """The FTS5 table as it is, without its prefix index, and without the parts as well, each built afresh from
    the same rows."""
    from django.db import connection

    variants = {
        "FTS5 with parts and prefix index": ("title, text_b, text_c, text_d, parts", ", prefix = '3'"),
        "FTS5 with parts, no prefix index": ("title, text_b, text_c, text_d, parts", ""),
        "FTS5 without parts or prefix index": ("title, text_b, text_c, text_d", ""),
    }
    sizes = {}
    with connection.cursor() as cursor:
        for i, (name, (columns, prefix)) in enumerate(variants.items()):
            table = f"fts_cmp_{i}"
            options = f"tokenize = 'unicode61 remove_diacritics 0'{prefix}"
            cursor.execute(f"CREATE VIRTUAL TABLE {table} USING fts5({columns}, {options})")
            cursor.execute(f"INSERT INTO {table} (rowid, {columns}) SELECT rowid, {columns} FROM search_fts")
            cursor.execute(f"INSERT INTO {table} ({table}) VALUES ('optimize')")
            cursor.execute("SELECT SUM(pgsize) FROM dbstat WHERE name LIKE %s", [f"{table}%"])
            sizes[name] = cursor.fetchone()[0]
            cursor.execute(f"DROP TABLE {table}")
    return sizes


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--cases", type=int, default=2000, help="cases reindexed per round")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--sizes-only", action="store_true", help="measure the index sizes only")
    args = parser.parse_args(argv)
    setup(args.database_url)
    from django.db import connection

    from search.models import SearchDocument

    if not args.sizes_only:
        ids = list(SearchDocument.objects.order_by("bucket", "pk").values_list("pk", flat=True)[: args.cases])
        seconds = time_index(ids, args.rounds)
        print(f"| index {len(ids)} cases ({connection.vendor}, best of {args.rounds}) | seconds | ms per case |")
        print("|---|---:|---:|")
        for name, value in seconds.items():
            print(f"| {name} | {value:.2f} | {value * 1000 / len(ids):.2f} |")
        print()
    sizes = postgres_sizes() if connection.vendor == "postgresql" else sqlite_sizes()
    print("| size | value |")
    print("|---|---:|")
    for name, value in sizes.items():
        shown = f"{value / 2**20:.1f} MiB" if "GIN" in name or "FTS5" in name else f"{value:,}"
        print(f"| {name} | {shown} |")


if __name__ == "__main__":
    main()
