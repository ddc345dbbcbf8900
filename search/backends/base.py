"""What every search engine does, and what they share.

An engine compiles a parsed query (search/query.py) once into its own form (a `CompiledQuery` subclass) and then
answers every step of a search from that compiled form: match, sample, rank, one broad page, snippets. It also
keeps its own index structure current (`save`, `write`, `purge_orphans`). Engines take and return querysets of
`SearchDocument`, so filters, facets, pagination, CSV and the feed are shared code (search/services.py).
Snippets carry danish.MARK_START/MARK_STOP around matched words; templates escape first.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet
from django.db.models.functions import Length

from search import danish, decompound
from search.models import SearchDocument, SearchWord
from search.query import ParsedQuery

NEWEST_FIRST = ("-meeting_date", "number")
SNIPPET_WORDS = 35
SNIPPET_FRAGMENTS = 2
GAP = " … "
# pg_trgm's default `similarity_threshold`: below it a word is no likely spelling of another.
SIMILARITY = 0.3


def snippet_source(doc: SearchDocument) -> str:
    """The text snippets are cut from: decision and recommendations, sections, attachments."""
    return "\n".join((doc.text_b, doc.text_c, doc.text_d))


@dataclass(frozen=True)
class CompiledQuery:
    """A parsed query in the form one engine runs it; each engine subclasses it with its own parts.

    Built once per search (`search.services.Search.compiled`) and handed to every engine call of that search.
    """

    parsed: ParsedQuery

    @property
    def highlight(self) -> danish.Wanted:
        """What snippets mark: the wanted words (and the compounds they are part of), prefixes and phrases."""
        query = self.parsed
        words = [t for t in query.positive_terms if len(t.stems) == 1 and not t.prefix]
        return danish.Wanted(
            stems=frozenset(t.stems[0] for t in words if t.is_word),
            exact=frozenset(t.stems[0] for t in words if not t.is_word),
            prefixes=query.positive_prefixes,
            phrases=query.positive_phrases,
            parts=decompound.parts,
        )


def rank_similar(word: str, candidates, limit: int) -> list[str]:
    """The candidates at least SIMILARITY like `word` (pg_trgm similarity), most similar first, then A–Å."""
    scored = [(danish.similarity(word, c), c) for c in candidates if c != word]
    return [c for score, c in sorted(scored, key=lambda sc: (-sc[0], sc[1])) if score >= SIMILARITY][:limit]


def remove_gone(ids: list[int], documents: list[SearchDocument]) -> None:
    """Drop the index documents of those of `ids` that have no document in `documents` (their cases are gone)."""
    gone = set(ids).difference(doc.pk for doc in documents)
    if gone:
        SearchDocument.objects.filter(pk__in=gone).delete()


class BaseEngine:
    """A full-text engine; subclasses implement `match` and may do better than the defaults here."""

    name = ""

    def compile(self, query: ParsedQuery) -> CompiledQuery:
        """The query in this engine's form. Called once per search; only for queries with something to search."""
        return CompiledQuery(query)

    def save(self, ids: list[int], documents: list[SearchDocument]) -> None:
        """Make `documents` (unsaved, built by search.index.build_document) the index of these case ids, engine
        structure included; an id without a document leaves the index."""
        remove_gone(ids, documents)
        # One statement that overwrites a case's document in place: no delete before it.
        fields = [f.name for f in SearchDocument._meta.concrete_fields if not f.primary_key]
        SearchDocument.objects.bulk_create(
            documents, update_conflicts=True, unique_fields=["case"], update_fields=fields
        )
        self.write(ids, documents)

    def write(self, ids: list[int], documents: list[SearchDocument]) -> None:
        """Bring the engine's own index up to date for these case ids (documents already saved)."""

    def purge_orphans(self) -> None:
        """Drop index entries whose case is gone (where the database does not cascade)."""

    def write_words(self, words: set[str]) -> None:
        """Add these words to the archive's vocabulary (those it has are left as they are)."""
        self.insert_words(sorted(words))

    def insert_words(self, words: list[str]) -> None:
        """Insert those of these words the vocabulary does not have, in this order (the order of their ids)."""
        SearchWord.objects.bulk_create([SearchWord(word=w) for w in words], ignore_conflicts=True)

    def clear_words(self) -> None:
        """Empty the vocabulary (before a rebuild of the index)."""
        SearchWord.objects.all().delete()

    def similar_words(self, word: str, limit: int) -> list[str]:
        """Up to `limit` words of the vocabulary spelt most like `word` (pg_trgm similarity, at least SIMILARITY),
        most similar first. This fallback reads the words of about the same length with the same first letter,
        so it misses a misspelt first letter; the engines ask a trigram index instead."""
        candidates = (
            SearchWord.objects.filter(word__startswith=word[:1])
            .annotate(length=Length("word"))
            .filter(length__gte=len(word) - 2, length__lte=len(word) + 2)
            .values_list("word", flat=True)
        )
        return rank_similar(word, candidates, limit)

    def match(self, documents: QuerySet, compiled: CompiledQuery) -> QuerySet:
        """Only the documents the query matches."""
        raise NotImplementedError

    def rank(self, matched: QuerySet, compiled: CompiledQuery) -> QuerySet:
        """The matched documents best first, ties newest first."""
        return matched.order_by(*NEWEST_FIRST)

    def broad_page(
        self, matched: QuerySet, compiled: CompiledQuery, *, offset: int, limit: int, cap: int, total: int | None = None
    ) -> list:
        """One page of relevance order for a query matching more than `cap` cases (default: the full ranking).

        `total` is the (estimated) number of matches, where the engine can use it to choose how to read them."""
        return list(self.rank(matched, compiled)[offset : offset + limit])

    def checks_rows(self, compiled: CompiledQuery) -> bool:
        """True when matching verifies candidate rows one by one (so counting them exactly costs per row)."""
        return False

    def sample(self, matched: QuerySet, k: int) -> QuerySet:
        """The matches in buckets below k: an unbiased k/1024 sample."""
        return matched.filter(bucket__lt=k)

    def snippets(self, documents: list[SearchDocument], compiled: CompiledQuery) -> dict[int, str]:
        """A highlighted snippet per case id (highlighted in Python; PostgreSQL uses ts_headline), "…" where
        text is left out."""
        wanted = compiled.highlight
        snippets = {}
        for doc in documents:
            text = snippet_source(doc)
            start, end = danish.passage_span(text, wanted)
            snippets[doc.pk] = danish.highlight(
                text[start:end],
                wanted,
                max_words=SNIPPET_WORDS,
                fragments=SNIPPET_FRAGMENTS,
                gap=GAP,
                cut_before=start > 0,
                cut_after=end < len(text),
            )
        return snippets

    def index_size(self) -> int:
        """Bytes used by the full-text index structures (for the benchmark report)."""
        return 0
