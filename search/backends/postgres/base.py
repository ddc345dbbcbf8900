"""The PostgreSQL engine: stored weighted `tsvector`s (config `danish`) with GIN indexes.

The parsed query is compiled (compiler.py) to tsqueries — one the GIN index on `match_vector` answers alone,
one positional that decides longer phrases and highlights (`ts_headline`), and the positional one without
compound parts, which ranks (`ts_rank`): whole words before parts.
"""

from __future__ import annotations

from django.contrib.postgres.search import (
    SearchQuery,
    SearchRank,
    SearchVector,
    SearchVectorCombinable,
    SearchVectorField,
)
from django.db import connection
from django.db.models import F
from django.db.models.expressions import Func

from search import danish, decompound
from search.backends.base import (
    GAP,
    NEWEST_FIRST,
    SIMILARITY,
    SNIPPET_FRAGMENTS,
    SNIPPET_WORDS,
    BaseEngine,
    rank_similar,
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
from search.models import BUCKETS, SAMPLE_UNIT, SearchDocument, sample_lexeme

SAMPLE_LEXEMES = 4  # at most this many sample lexemes in one query (PostgresEngine.sample)


class SampleLexeme(SearchVectorCombinable, Func):
    """The document's sampling lexeme (search.models.sample_lexeme of its bucket) as a one-word tsvector."""

    template = f"array_to_tsvector(ARRAY['zzs' || lpad((%(expressions)s / {SAMPLE_UNIT})::text, 2, '0')])"
    output_field = SearchVectorField()

    def __init__(self):
        super().__init__(F("bucket"))
        self.config = None


class PartLexemes(SearchVectorCombinable, Func):
    """The document's compound part stems (its `parts` column) as position-less lexemes marked with PART_MARK."""

    template = (
        f"array_to_tsvector(ARRAY(SELECT '{PART_MARK}' || p "
        "FROM unnest(string_to_array(NULLIF(%(expressions)s, ''), ' ')) AS p))"
    )
    output_field = SearchVectorField()

    def __init__(self):
        super().__init__(F("parts"))
        self.config = None


class MatchVector(Func):
    """search_match_vector(vector): its lexemes without positions plus every adjacent pair (migration 0006)."""

    function = "search_match_vector"
    output_field = SearchVectorField()


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

    def write(self, ids, documents):
        title = SearchVector("title", weight="A", config="danish")
        vector = (
            title
            + SearchVector("text_b", weight="B", config="danish")
            + SearchVector("text_c", weight="C", config="danish")
            + SearchVector("text_d", weight="D", config="danish")
            + SampleLexeme()
            + PartLexemes()
        )
        SearchDocument.objects.filter(pk__in=ids).update(
            vector=vector,
            match_vector=MatchVector(vector),
            head_vector=title + SearchVector("decision", weight="B", config="danish"),
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

    def broad_page(self, matched, compiled, *, offset, limit, cap):
        # Ranking tens of thousands of full vectors (read from TOAST) costs more than it tells. Cases whose title
        # or decision has the words themselves come first, ranked on the small inline head_vector; the rest
        # newest first. When even those are more than `cap`, newest first throughout.
        search_query = self._rank(compiled)
        head = matched.filter(head_vector=search_query)
        in_head = head.order_by().values("pk")[: cap + 1].count()
        if in_head > cap:
            return list(matched.order_by(*NEWEST_FIRST)[offset : offset + limit])
        ranked = head.annotate(rank=SearchRank(F("head_vector"), search_query)).order_by("-rank", *NEWEST_FIRST)
        rows = list(ranked[offset : offset + limit]) if offset < in_head else []
        if len(rows) < limit:
            start = max(0, offset - in_head)
            rest = matched.exclude(head_vector=search_query).order_by(*NEWEST_FIRST)
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
