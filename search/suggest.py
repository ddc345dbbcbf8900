""" "Mente du …?": spellings from the archive's own words for a search that finds nothing or very little.

A word of the query is taken for a misspelling when it finds no published case on its own (within the page's
filters). Its likely spellings come from the vocabulary (search.models.SearchWord) by trigram similarity, through
the engine (pg_trgm on PostgreSQL, FTS5's trigram tokenizer on SQLite). Each candidate is counted against the same
published, filtered cases before it is offered: the vocabulary also keeps words of cases since withdrawn, and a
suggestion must neither lead nowhere nor tell of what is not public.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db.models import QuerySet

from search.models import SearchWord
from search.query import ParsedQuery, parse
from search.services import Search

SUGGEST_BELOW = 3  # results at which a search is "very little" and gets suggestions
CANDIDATES = 6  # similar words looked at per misspelt word
MAX_WORDS = 3  # misspelt words corrected in one query
MAX_SUGGESTIONS = 3  # alternatives shown for a one-word query
COUNT_CAP = 1000  # counting a candidate's matches stops here: only "some" or "more than now" matters


@dataclass(frozen=True)
class Suggestion:
    """A corrected query: its text, the words that changed, and how many cases it finds (up to COUNT_CAP)."""

    text: str
    words: tuple[str, ...]
    total: int


def _count(text: str, documents: QuerySet) -> int:
    matched = Search(parse(text)).matching(documents)
    return matched.order_by().values("pk")[:COUNT_CAP].count()


def _replace(text: str, word: str, replacement: str) -> str:
    return re.sub(rf"(?<![^\W_]){re.escape(word)}(?![^\W_])", replacement, text, count=1, flags=re.IGNORECASE)


def suggestions(search: Search, documents: QuerySet, total: int, published: QuerySet | None = None) -> list[Suggestion]:
    """Spellings to offer for a search of `documents` (published and filtered) that found `total` cases; none
    when it found SUGGEST_BELOW or more. Best first; for a one-word query up to MAX_SUGGESTIONS.

    A word is taken for a misspelling only when the archive does not know it and it finds no case among the
    `published` ones (all of them, unfiltered: a word the filters leave without cases is no misspelling).
    """
    query: ParsedQuery = search.query
    if total >= SUGGEST_BELOW or query.is_empty:
        return []
    published = documents if published is None else published
    words = [
        term.words.lower()
        for term in query.positive_terms
        if len(term.stems) == 1 and not term.prefix and term.words.isalpha() and len(term.words) >= 4
    ]
    known = set(SearchWord.objects.filter(word__in=words).values_list("word", flat=True))
    misspelt = [w for w in dict.fromkeys(words) if w not in known and not _count(w, published)][:MAX_WORDS]
    if not misspelt:
        return []
    engine = search.engine
    alternatives: dict[str, list[tuple[str, int]]] = {}
    for word in misspelt:
        found = []
        for candidate in engine.similar_words(word, CANDIDATES):
            n = _count(candidate, documents)
            if n:
                found.append((candidate, n))
        if found:
            alternatives[word] = found
    if not alternatives:
        return []
    if len(query.positive_terms) == 1 and len(alternatives) == 1:
        (word, found), text = next(iter(alternatives.items())), query.text
        results = {_replace(text, word, c): Suggestion(_replace(text, word, c), (c,), n) for c, n in found}
        return [s for s in results.values() if s.total > total][:MAX_SUGGESTIONS]
    text, changed = query.text, []
    for word, found in alternatives.items():
        text = _replace(text, word, found[0][0])
        changed.append(found[0][0])
    n = _count(text, documents)
    return [Suggestion(text, tuple(changed), n)] if n > total else []
