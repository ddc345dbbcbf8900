"""The SQLite engine: an FTS5 table of Python-stemmed text (search/danish.py), queried with the FTS5 expressions
of compiler.py, ranked with `bm25` and column weights, highlighted in Python."""

from __future__ import annotations

import json
from functools import reduce
from operator import or_

from django.db import connection
from django.db.models import Q, QuerySet
from django.db.models.expressions import RawSQL

from search import danish
from search.backends.base import NEWEST_FIRST, BaseEngine, rank_similar
from search.backends.sqlite.compiler import compile_query
from search.models import FTSEntry

# Weights of title, decision+recommendations, sections, attachments — PostgreSQL's default A/B/C/D weights
# (1.0, 0.4, 0.2, 0.1) as FTS5 bm25 column weights — and of the compound parts: none, so a case with the word
# itself ranks before one that only has it inside compounds (bm25 0, those newest first), as on PostgreSQL.
FTS5_WEIGHTS = (10.0, 4.0, 2.0, 1.0, 0.0)


def fts_row(doc) -> tuple:
    """A document's row of the FTS5 table: its id, its texts as stems, its compound parts' stems."""
    return (
        doc.pk,
        danish.stemmed_text(doc.title),
        danish.stemmed_text(doc.text_b),
        danish.stemmed_text(doc.text_c),
        danish.stemmed_text(doc.text_d),
        doc.parts,
    )


class SqliteEngine(BaseEngine):
    name = "sqlite"

    def compile(self, query):
        return compile_query(query)

    def write(self, ids, documents):
        placeholders = ",".join("%s" for _ in ids)
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM search_fts WHERE rowid IN ({placeholders})", ids)
            cursor.executemany(
                "INSERT INTO search_fts (rowid, title, text_b, text_c, text_d, parts) VALUES (%s, %s, %s, %s, %s, %s)",
                [fts_row(doc) for doc in documents],
            )

    def insert_words(self, words):
        # The trigram table (migration 0010) follows the vocabulary: the rows added now have the highest ids.
        with connection.cursor() as cursor:
            cursor.execute("SELECT coalesce(max(id), 0) FROM search_searchword")
            (last,) = cursor.fetchone()
            # Most words of a protocol are known already: one statement leaves them out, instead of a model
            # instance and a refused insert for each (which also used up an id each).
            cursor.execute(
                "INSERT OR IGNORE INTO search_searchword (word) SELECT j.value FROM json_each(%s) AS j "
                "WHERE NOT EXISTS (SELECT 1 FROM search_searchword AS s WHERE s.word = j.value) ORDER BY j.key",
                [json.dumps(words)],
            )
            if cursor.rowcount < 1:
                return
            # Rows above `last` can only be left over from a vocabulary emptied without this table (a flush).
            cursor.execute("DELETE FROM search_word_trigram WHERE rowid > %s", [last])
            cursor.execute(
                "INSERT INTO search_word_trigram (rowid, word) SELECT id, word FROM search_searchword WHERE id > %s",
                [last],
            )

    def clear_words(self):
        super().clear_words()
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM search_word_trigram")

    def similar_words(self, word, limit):
        # The words sharing most trigrams (FTS5's trigram tokenizer: each quoted three letters match where they
        # occur), then pg_trgm's similarity on those few.
        grams = sorted({word[i : i + 3] for i in range(len(word) - 2)})
        if not grams:
            return []
        expression = " OR ".join('"' + g.replace('"', '""') + '"' for g in grams)
        with connection.cursor() as cursor:
            # Joined to the vocabulary: the trigram table is no Django model, so only its rows whose word is
            # still there count (a flush, as between tests, empties the vocabulary alone).
            cursor.execute(
                "SELECT w.word FROM search_word_trigram AS t JOIN search_searchword AS w ON w.id = t.rowid "
                "AND w.word = t.word WHERE search_word_trigram MATCH %s ORDER BY t.rank LIMIT 200",
                [expression],
            )
            return rank_similar(word, list(dict.fromkeys(row[0] for row in cursor.fetchall())), limit)

    def purge_orphans(self):
        with connection.cursor() as cursor:
            # search_fts_docsize is FTS5's own one-row-per-document table: scanning it is cheap, unlike the
            # FTS table itself, whose full scan reads every stored text.
            cursor.execute(
                "DELETE FROM search_fts WHERE rowid IN (SELECT id FROM search_fts_docsize "
                "WHERE id NOT IN (SELECT case_id FROM search_searchdocument))"
            )

    @staticmethod
    def _ids(expression: str) -> QuerySet:
        return FTSEntry.objects.filter(search_fts__match=expression).values("document_id")

    def match(self, documents, compiled):
        if not compiled.exclusions:
            return documents.filter(fts__search_fts__match=compiled.positive)
        # A group of exclusions only ("-klausul") matches every case without those words; FTS5 cannot say
        # "NOT x" on its own, so such groups become NOT IN subqueries.
        conditions = [Q(pk__in=self._ids(compiled.positive))] if compiled.positive else []
        conditions += [~Q(pk__in=self._ids(expression)) for expression in compiled.exclusions]
        return documents.filter(reduce(or_, conditions))

    def rank(self, matched, compiled):
        if compiled.exclusions:
            return matched.order_by(*NEWEST_FIRST)
        weights = ", ".join(str(w) for w in FTS5_WEIGHTS)
        # bm25() is smaller for better matches; the FTS5 table is joined under its own name by match().
        return matched.annotate(rank=RawSQL(f"bm25(search_fts, {weights})", ())).order_by("rank", *NEWEST_FIRST)

    def index_size(self):
        with connection.cursor() as cursor:
            cursor.execute("SELECT SUM(pgsize) FROM dbstat WHERE name LIKE 'search_fts%'")
            return cursor.fetchone()[0] or 0
