"""The full-text engines behind the search page; `get_engine()` is the one place that picks one.

- PostgreSQL: stored weighted `tsvector`s (config `danish`) with GIN indexes; the parsed query compiled to
  tsqueries (search/index_query.py) — one the GIN index on `match_vector` answers alone, one positional that
  decides longer phrases, ranks (`ts_rank`) and highlights (`ts_headline`).
- SQLite: an FTS5 table of Python-stemmed text (search/danish.py), the query translated to a quoted FTS5
  expression (search/query.py), `bm25` with column weights, highlighting in Python.
- Naive: `icontains` over the same stored text, newest first. Only the benchmark uses it, as the baseline
  (settings.SEARCH_ENGINE = "naive").

All three take and return querysets of `SearchDocument`, so filters, facets, pagination, CSV and the feed are
shared code. Snippets carry danish.MARK_START/MARK_STOP around matched words; templates escape first.
"""

from __future__ import annotations

from functools import lru_cache, reduce
from operator import and_, or_

from django.conf import settings
from django.contrib.postgres.search import (
    SearchQuery,
    SearchRank,
    SearchVector,
    SearchVectorCombinable,
    SearchVectorField,
)
from django.db import connection
from django.db.models import F, Q, QuerySet
from django.db.models.expressions import Func, RawSQL

from search import danish
from search.index_query import CompiledQuery, Lexemes, compile_query, term_words
from search.models import BUCKETS, SAMPLE_UNIT, FTSEntry, SearchDocument, sample_lexeme
from search.query import ParsedQuery

NEWEST = ("-meeting_date", "number")
SNIPPET_WORDS = 35
SAMPLE_LEXEMES = 4  # at most this many sample lexemes in one query (PostgresEngine.sample)
SNIPPET_FRAGMENTS = 2
GAP = " … "
# Weights of title, decision+recommendations, sections, attachments — PostgreSQL's default A/B/C/D weights
# (1.0, 0.4, 0.2, 0.1) as FTS5 bm25 column weights.
FTS5_WEIGHTS = (10.0, 4.0, 2.0, 1.0)


def snippet_source(doc: SearchDocument) -> str:
    """The text snippets are cut from: decision and recommendations, sections, attachments."""
    return "\n".join((doc.text_b, doc.text_c, doc.text_d))


class Engine:
    """What an engine does; see the module docstring."""

    name = ""

    def write(self, ids: list[int], documents: list[SearchDocument]) -> None:
        """Bring the engine's own index up to date for these case ids (documents already saved)."""

    def purge_orphans(self) -> None:
        """Drop index entries whose case is gone (where the database does not cascade)."""

    def match(self, documents: QuerySet, query: ParsedQuery) -> QuerySet:
        """Only the documents the query matches."""
        raise NotImplementedError

    def rank(self, matched: QuerySet, query: ParsedQuery) -> QuerySet:
        """The matched documents best first, ties newest first."""
        return matched.order_by(*NEWEST)

    def broad_page(self, matched: QuerySet, query: ParsedQuery, *, offset: int, limit: int) -> list:
        """One page of relevance order for a query matching very many cases (default: the full ranking)."""
        return list(self.rank(matched, query)[offset : offset + limit])

    def checks_rows(self, query: ParsedQuery) -> bool:
        """True when matching verifies candidate rows one by one (so counting them exactly costs per row)."""
        return False

    def sample(self, matched: QuerySet, k: int) -> QuerySet:
        """The matches in buckets below k: an unbiased k/1024 sample."""
        return matched.filter(bucket__lt=k)

    def snippets(self, documents: list[SearchDocument], query: ParsedQuery) -> dict[int, str]:
        """A highlighted snippet per case id."""
        wanted = query.positive_stems
        return {
            doc.pk: danish.highlight(
                danish.passage(snippet_source(doc), wanted),
                wanted,
                max_words=SNIPPET_WORDS,
                fragments=SNIPPET_FRAGMENTS,
                gap=GAP,
            )
            for doc in documents
        }

    def index_size(self) -> int:
        """Bytes used by the full-text index structures (for the benchmark report)."""
        return 0


class SampleLexeme(SearchVectorCombinable, Func):
    """The document's sampling lexeme (search.models.sample_lexeme of its bucket) as a one-word tsvector."""

    template = f"array_to_tsvector(ARRAY['zzs' || lpad((%(expressions)s / {SAMPLE_UNIT})::text, 2, '0')])"
    output_field = SearchVectorField()

    def __init__(self):
        super().__init__(F("bucket"))
        self.config = None


class MatchVector(Func):
    """search_match_vector(vector): its lexemes without positions plus every adjacent pair (migration 0006)."""

    function = "search_match_vector"
    output_field = SearchVectorField()


class LexemeQuery(SearchQuery):
    """A tsquery written out in tsquery syntax and cast as is: no parsing, no stemming of the lexemes."""

    template = "(%(expressions)s)::tsquery"


@lru_cache(maxsize=4096)
def danish_lexemes(words: tuple[str, ...]) -> dict[str, Lexemes]:
    """(position, lexeme) of each text as PostgreSQL's `danish` configuration reads it (fixed, so cached)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT t, array_agg(ARRAY[p::text, w.lexeme] ORDER BY p) "
            "FROM unnest(%s::text[]) AS t, unnest(to_tsvector('danish', t)) AS w, unnest(w.positions) AS p "
            "GROUP BY t",
            [list(words)],
        )
        return {text: [(int(p), lexeme) for p, lexeme in pairs] for text, pairs in cursor.fetchall()}


class PostgresEngine(Engine):
    name = "postgresql"

    @staticmethod
    def compiled(query: ParsedQuery) -> CompiledQuery:
        """The query's tsqueries (search/index_query.py)."""
        return compile_query(query, danish_lexemes(term_words(query)))

    def _query(self, query: ParsedQuery) -> SearchQuery:
        """The exact, positional tsquery: what decides, ranks and highlights."""
        return LexemeQuery(self.compiled(query).positional or "")

    def checks_rows(self, query):
        compiled = self.compiled(query)
        return compiled.positional is not None and not compiled.exact

    def write(self, ids, documents):
        title = SearchVector("title", weight="A", config="danish")
        vector = (
            title
            + SearchVector("text_b", weight="B", config="danish")
            + SearchVector("text_c", weight="C", config="danish")
            + SearchVector("text_d", weight="D", config="danish")
            + SampleLexeme()
        )
        SearchDocument.objects.filter(pk__in=ids).update(
            vector=vector,
            match_vector=MatchVector(vector),
            head_vector=title + SearchVector("decision", weight="B", config="danish"),
        )

    def match(self, documents, query):
        compiled = self.compiled(query)
        if compiled.positional is None:
            return documents.none()
        if compiled.index is not None:
            documents = documents.filter(match_vector=LexemeQuery(compiled.index))
        # Where the index query is not the whole test (longer phrases), the positional query checks the rows
        # the index left.
        return documents if compiled.exact else documents.filter(vector=LexemeQuery(compiled.positional))

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

    def rank(self, matched, query):
        return matched.annotate(rank=SearchRank(F("vector"), self._query(query))).order_by("-rank", *NEWEST)

    def broad_page(self, matched, query, *, offset, limit):
        # Ranking tens of thousands of full vectors (read from TOAST) costs more than it tells. Cases whose title
        # or decision matches come first, ranked on the small inline head_vector; the rest newest first. When
        # even those are too many to rank, newest first throughout.
        from search.services import CAP

        search_query = self._query(query)
        head = matched.filter(head_vector=search_query)
        in_head = head.order_by().values("pk")[: CAP + 1].count()
        if in_head > CAP:
            return list(matched.order_by(*NEWEST)[offset : offset + limit])
        ranked = head.annotate(rank=SearchRank(F("head_vector"), search_query)).order_by("-rank", *NEWEST)
        rows = list(ranked[offset : offset + limit]) if offset < in_head else []
        if len(rows) < limit:
            start = max(0, offset - in_head)
            rest = matched.exclude(head_vector=search_query).order_by(*NEWEST)
            rows += list(rest[start : start + limit - len(rows)])
        return rows

    def snippets(self, documents, query):
        positional = self.compiled(query).positional
        if not documents or positional is None:
            return {}
        # ts_headline reads (parses and stems) all the text it is given: only the passage around the first match.
        wanted = query.positive_stems
        texts = [danish.passage(snippet_source(doc), wanted) for doc in documents]
        options = (
            f'StartSel="{danish.MARK_START}", StopSel="{danish.MARK_STOP}", MaxWords={SNIPPET_WORDS}, '
            f'MinWords=15, MaxFragments={SNIPPET_FRAGMENTS}, FragmentDelimiter="{GAP}"'
        )
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT id, ts_headline('danish', t, %s::tsquery, %s) FROM unnest(%s::int[], %s::text[]) AS x(id, t)",
                [positional, options, [doc.pk for doc in documents], texts],
            )
            return dict(cursor.fetchall())

    def index_size(self):
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_relation_size('search_doc_vector_gin') + pg_relation_size('search_doc_head_vector_gin')"
                " + pg_relation_size('search_doc_match_vector_gin')"
            )
            return cursor.fetchone()[0]


class SqliteEngine(Engine):
    name = "sqlite"

    def write(self, ids, documents):
        placeholders = ",".join("%s" for _ in ids)
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM search_fts WHERE rowid IN ({placeholders})", ids)
            cursor.executemany(
                "INSERT INTO search_fts (rowid, title, text_b, text_c, text_d) VALUES (%s, %s, %s, %s, %s)",
                [
                    (
                        doc.pk,
                        danish.stemmed_text(doc.title),
                        danish.stemmed_text(doc.text_b),
                        danish.stemmed_text(doc.text_c),
                        danish.stemmed_text(doc.text_d),
                    )
                    for doc in documents
                ],
            )

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

    def match(self, documents, query):
        positive = query.fts5_positive()
        if not query.negative_groups:
            return documents.filter(fts__search_fts__match=positive)
        # A group of exclusions only ("-klausul") matches every case without those words; FTS5 cannot say
        # "NOT x" on its own, so such groups become NOT IN subqueries.
        conditions = [Q(pk__in=self._ids(positive))] if positive else []
        conditions += [~Q(pk__in=self._ids(query.fts5_any(group))) for group in query.negative_groups]
        return documents.filter(reduce(or_, conditions))

    def rank(self, matched, query):
        if query.negative_groups:
            return matched.order_by(*NEWEST)
        weights = ", ".join(str(w) for w in FTS5_WEIGHTS)
        # bm25() is smaller for better matches; the FTS5 table is joined under its own name by match().
        return matched.annotate(rank=RawSQL(f"bm25(search_fts, {weights})", ())).order_by("rank", *NEWEST)

    def index_size(self):
        with connection.cursor() as cursor:
            cursor.execute("SELECT SUM(pgsize) FROM dbstat WHERE name LIKE 'search_fts%'")
            return cursor.fetchone()[0] or 0


class NaiveEngine(Engine):
    """The benchmark's baseline: substring matching of the stems, no index, no ranking."""

    name = "naive"
    COLUMNS = ("title", "text_b", "text_c", "text_d")

    def _contains(self, term) -> Q:
        # A phrase is approximated by all its words; this engine exists to be timed, not to be right.
        return reduce(and_, (reduce(or_, (Q(**{f"{c}__icontains": s}) for c in self.COLUMNS)) for s in term.stems))

    def match(self, documents, query):
        groups = []
        for group in query.groups:
            condition = Q()
            for term in group:
                condition &= ~self._contains(term) if term.negated else self._contains(term)
            groups.append(condition)
        return documents.filter(reduce(or_, groups))


_ENGINES = {"postgresql": PostgresEngine, "sqlite": SqliteEngine, "naive": NaiveEngine}


def get_engine(*, for_writing: bool = False) -> Engine:
    """The engine for the default database's vendor.

    settings.SEARCH_ENGINE = "naive" makes searches use the baseline (the benchmark does); the index is always
    written by the vendor's engine (`for_writing`).
    """
    name = connection.vendor if for_writing else getattr(settings, "SEARCH_ENGINE", None) or connection.vendor
    try:
        return _ENGINES[name]()
    except KeyError:
        raise LookupError(f"no search engine for database vendor {name!r}") from None
