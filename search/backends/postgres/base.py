"""The PostgreSQL engine: stored weighted `tsvector`s (config `danish`) with GIN indexes.

The parsed query is compiled (compiler.py) to tsqueries — one the GIN index on `match_vector` answers alone,
one positional that decides longer phrases and highlights (`ts_headline`), and the positional one without
compound parts, which ranks (`ts_rank`): whole words before parts.
"""

from __future__ import annotations

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection
from django.db.models import DateField, F, Func

from search import danish, decompound
from search.backends.base import (
    GAP,
    NEWEST_FIRST,
    SIMILARITY,
    SNIPPET_FRAGMENTS,
    SNIPPET_WORDS,
    BaseEngine,
    rank_similar,
    remove_gone,
    snippet_source,
)
from search.backends.postgres.compiler import (
    PART_MARK,
    PostgresQuery,
    compile_query,
    danish_lexemes,
    quote,
    term_words,
)
from search.models import BUCKETS, SAMPLE_UNIT, VECTORS, SearchDocument, sample_lexeme

SAMPLE_LEXEMES = 4  # at most this many sample lexemes in one query (PostgresEngine.sample)
# Up to this many matches, a broad page's newest-first part is read by collecting the matches and sorting them
# (~2.5 µs a match); above it the date index is walked, which is cheaper once matches are dense enough that a page
# fills after a few thousand rows. Measured on the 100 000-case benchmark: 2 100 matches 35 ms walked, 4 ms
# collected; 9 500 matches 6 ms walked, 25 ms collected.
COLLECT_MAX = 4_000
# Newest first through an expression that no index provides. Ordered by the column itself, PostgreSQL walks the
# date index and tests each row's match_vector until the page is full: cheap when matches are dense, but a word in
# a few thousand cases (or only in older years) makes it read (and detoast) tens of thousands of rows. Through
# this, it collects the matches from the GIN index and sorts them: a cost bounded by the matches.
COLLECTED_NEWEST_FIRST = (
    Func(F("meeting_date"), template="(%(expressions)s + 0)", output_field=DateField()).desc(),
    "number",
)


def weighted_sql(column: str, weight: str) -> str:
    """SQL: a text column as a `danish` tsvector of one weight (what Django's SearchVector(config, weight) is)."""
    return f"setweight(to_tsvector('danish'::regconfig, COALESCE({column}, '')), '{weight}')"


def sample_lexeme_sql(bucket: str) -> str:
    """SQL: the document's sampling lexeme (search.models.sample_lexeme of its bucket) as a one-word tsvector."""
    return f"array_to_tsvector(ARRAY['zzs' || lpad(({bucket} / {SAMPLE_UNIT})::text, 2, '0')])"


def part_lexemes_sql(parts: str) -> str:
    """SQL: the document's compound part stems (its `parts` column) as position-less lexemes marked with
    PART_MARK."""
    return (
        f"array_to_tsvector(ARRAY(SELECT '{PART_MARK}' || p "
        f"FROM unnest(string_to_array(NULLIF({parts}, ''), ' ')) AS p))"
    )


def vector_sql(row: str) -> str:
    """SQL: the full weighted vector of a document from the columns of `row`. The concatenation is a left fold
    in this order: each `||` shifts the positions of its right side past those of its left."""
    return (
        f"(((({weighted_sql(f'{row}.title', 'A')} || {weighted_sql(f'{row}.text_b', 'B')})"
        f" || {weighted_sql(f'{row}.text_c', 'C')}) || {weighted_sql(f'{row}.text_d', 'D')})"
        f" || {sample_lexeme_sql(f'{row}.bucket')}) || {part_lexemes_sql(f'{row}.parts')}"
    )


def head_vector_sql(row: str) -> str:
    """SQL: the small title-and-decision vector of a document from the columns of `row`."""
    return f"{weighted_sql(f'{row}.title', 'A')} || {weighted_sql(f'{row}.decision', 'B')}"


def _upsert_sql() -> tuple[str, list]:
    """The statement that writes a batch of documents with their vectors, and its columns (model fields)."""
    fields = [f for f in SearchDocument._meta.concrete_fields if f.column not in VECTORS]
    quote_name = connection.ops.quote_name
    columns = [quote_name(f.column) for f in fields]
    arrays = ", ".join(f"%s::{f.db_type(connection)}[]" for f in fields)
    targets = ", ".join([*columns, "vector", "match_vector", "head_vector"])
    values = ", ".join(f"d.{c}" for c in columns)
    updates = ", ".join(f"{c} = EXCLUDED.{c}" for c in [*columns, "vector", "match_vector", "head_vector"])
    # The vector is computed once per row, in a subquery that OFFSET 0 keeps PostgreSQL from inlining (it would
    # then evaluate the whole expression again for match_vector); match_vector is derived from that value.
    sql = (
        f"INSERT INTO search_searchdocument ({targets}) "
        f"SELECT {values}, v.vector, search_match_vector(v.vector), {head_vector_sql('d')} "
        f"FROM unnest({arrays}) AS d({', '.join(columns)}) "
        f"CROSS JOIN LATERAL (SELECT {vector_sql('d')} AS vector OFFSET 0) AS v "
        f"ON CONFLICT (case_id) DO UPDATE SET {updates}"
    )
    return sql, fields


class LexemeQuery(SearchQuery):
    """A tsquery written out in tsquery syntax and cast as is: no parsing, no stemming of the lexemes."""

    template = "(%(expressions)s)::tsquery"


def has_trigram_index() -> bool:
    """True when this database has pg_trgm and the vocabulary's trigram index (migration 0010)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm') "
            "AND to_regclass('search_word_trgm') IS NOT NULL"
        )
        return cursor.fetchone()[0]


class PostgresEngine(BaseEngine):
    name = "postgresql"

    def similar_words(self, word, limit):
        if not has_trigram_index():
            return super().similar_words(word, limit)
        # `%` is the trigram index's operator (similar at least pg_trgm.similarity_threshold, 0.3 by default).
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT word FROM search_searchword WHERE word %% %s AND similarity(word, %s) >= %s "
                "ORDER BY similarity(word, %s) DESC, word LIMIT %s",
                [word, word, SIMILARITY, word, limit + 1],
            )
            return rank_similar(word, [row[0] for row in cursor.fetchall()], limit)

    def compile(self, query):
        words = term_words(query)
        return compile_query(query, danish_lexemes(words) if words else {})

    @staticmethod
    def _positional(compiled: PostgresQuery) -> SearchQuery:
        """The exact, positional tsquery: what decides and highlights."""
        return LexemeQuery(compiled.positional or "")

    @staticmethod
    def _rank(compiled: PostgresQuery) -> SearchQuery:
        """The positional tsquery without compound parts: what ranks."""
        return LexemeQuery(compiled.rank or "")

    def checks_rows(self, compiled):
        return compiled.checks_rows

    def save(self, ids, documents):
        # One statement writes the documents with their vectors (a case's document is overwritten in place), instead
        # of an insert and then `write`, an update that reads the rows again.
        remove_gone(ids, documents)
        if not documents:
            return
        sql, fields = _upsert_sql()
        # pre_save gives the auto_now field its time, as bulk_create would.
        columns = [[f.get_db_prep_save(f.pre_save(doc, True), connection) for doc in documents] for f in fields]
        with connection.cursor() as cursor:
            cursor.execute(sql, columns)

    def write(self, ids, documents):
        # The vectors of stored documents again from their columns (for a document changed in place). OFFSET 0
        # keeps the subquery from being inlined, which would compute the vector once more for match_vector.
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE search_searchdocument AS d SET vector = v.vector, "
                f"match_vector = search_match_vector(v.vector), head_vector = {head_vector_sql('d')} "
                f"FROM (SELECT s.case_id, {vector_sql('s')} AS vector FROM search_searchdocument AS s "
                f"WHERE s.case_id = ANY(%s) OFFSET 0) AS v WHERE d.case_id = v.case_id",
                [list(ids)],
            )

    def insert_words(self, words):
        # The known words (most of a protocol's) are filtered out before they reach the insert: ON CONFLICT alone
        # would take a sequence number and a refused index insertion for each. ON CONFLICT stays for a word a
        # concurrent import adds meanwhile.
        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO search_searchword (word) SELECT w FROM unnest(%s::text[]) WITH ORDINALITY AS t(w, n) "
                "WHERE NOT EXISTS (SELECT 1 FROM search_searchword s WHERE s.word = t.w) ORDER BY n "
                "ON CONFLICT (word) DO NOTHING",
                [words],
            )

    def match(self, documents, compiled):
        if compiled.positional is None:
            return documents.none()
        if compiled.index is not None:
            documents = documents.filter(match_vector=LexemeQuery(compiled.index))
        # Where the index query is not the whole test (longer phrases), the positional query checks the rows
        # the index left.
        return documents if compiled.exact else documents.filter(vector=self._positional(compiled))

    def sample(self, matched, k):
        if k >= BUCKETS:
            return matched
        sampled = matched.filter(bucket__lt=k)
        if k > SAMPLE_LEXEMES * SAMPLE_UNIT:
            return sampled
        # A second @@ on the same GIN index: PostgreSQL intersects both in the index scan. Only for a few units:
        # a long OR of sample lexemes misleads the planner into reading (and detoasting) every row.
        units = " | ".join(sample_lexeme(u) for u in range(max(1, k // SAMPLE_UNIT)))
        return sampled.filter(match_vector=LexemeQuery(units))

    def rank(self, matched, compiled):
        # Compound parts are left out of the rank query: a case with the word itself (rank > 0) comes before one
        # that only has it inside compounds (rank 0; those newest first).
        ranked = matched.annotate(rank=SearchRank(F("vector"), self._rank(compiled)))
        return ranked.order_by("-rank", *NEWEST_FIRST)

    def broad_page(self, matched, compiled, *, offset, limit, cap, total=None):
        # Ranking tens of thousands of full vectors (read from TOAST) costs more than it tells. Cases whose title
        # or decision has the words themselves come first, ranked on the small inline head_vector; the rest
        # newest first. When even those are more than `cap`, newest first throughout.
        search_query = self._rank(compiled)
        newest_first = COLLECTED_NEWEST_FIRST if total is not None and total <= COLLECT_MAX else NEWEST_FIRST
        head = matched.filter(head_vector=search_query)
        in_head = head.order_by().values("pk")[: cap + 1].count()
        if in_head > cap:
            return list(matched.order_by(*newest_first)[offset : offset + limit])
        ranked = head.annotate(rank=SearchRank(F("head_vector"), search_query)).order_by("-rank", *NEWEST_FIRST)
        rows = list(ranked[offset : offset + limit]) if offset < in_head else []
        if len(rows) < limit:
            start = max(0, offset - in_head)
            rest = matched.exclude(head_vector=search_query).order_by(*newest_first)
            rows += list(rest[start : start + limit - len(rows)])
        return rows

    def snippets(self, documents, compiled):
        if not documents or compiled.rank is None:
            return {}
        # ts_headline reads (parses and stems) all the text it is given: only the passage around the first match.
        # It knows nothing of compound parts: the compounds in the passage that hold a wanted word are added to
        # that document's headline query as the whole words they are ("folkeskol" for "skole").
        wanted = compiled.highlight
        ids, texts, queries, cuts = [], [], [], {}
        for doc in documents:
            source = snippet_source(doc)
            start, end = danish.passage_span(source, wanted)
            text = source[start:end]
            compounds = sorted(
                {
                    danish.stem(word)
                    for word in set(danish.words(text))
                    if not wanted.stems.isdisjoint(decompound.parts(word))
                }
            )
            extra = "".join(f" | {quote(stem)}" for stem in compounds)
            ids.append(doc.pk)
            texts.append(text)
            queries.append(f"({compiled.rank}){extra}")
            cuts[doc.pk] = (text, start > 0, end < len(source))
        options = (
            f'StartSel="{danish.MARK_START}", StopSel="{danish.MARK_STOP}", MaxWords={SNIPPET_WORDS}, '
            f'MinWords=15, MaxFragments={SNIPPET_FRAGMENTS}, FragmentDelimiter="{GAP}"'
        )
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT id, ts_headline('danish', t, q::tsquery, %s) "
                "FROM unnest(%s::int[], %s::text[], %s::text[]) AS x(id, t, q)",
                [options, ids, texts, queries],
            )
            rows = cursor.fetchall()
        snippets = {}
        for pk, headline in rows:
            text, cut_before, cut_after = cuts[pk]
            snippets[pk] = danish.mark_cuts(headline, text, cut_before=cut_before, cut_after=cut_after, gap=GAP)
        return snippets

    def index_size(self):
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_relation_size('search_doc_vector_gin') + pg_relation_size('search_doc_head_vector_gin')"
                " + pg_relation_size('search_doc_match_vector_gin')"
            )
            return cursor.fetchone()[0]
