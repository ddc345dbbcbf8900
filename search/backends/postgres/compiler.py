"""A journalist's query (search/query.py) as PostgreSQL tsqueries: one the GIN index answers alone, one exact.

`match_vector` holds every lexeme of a case without positions, plus every two adjacent lexemes as one lexeme
"a b" (SQL function search_pairs, migration 0006). A tsquery of plain lexemes needs no recheck of the rows the
index returns, unlike a phrase (`a <-> b`), which PostgreSQL verifies row by row from the word positions —
reading each candidate's whole vector. So for match_vector each term becomes:

- one lexeme `a` → `'a'`, exact;
- two lexemes at adjacent positions (a two-word phrase, "sociale klausuler") → the pair `'social klausul'`, exact;
- anything else (three or more words, a stop-word gap, a hyphenated word's parts) → its pairs and lone lexemes
  ANDed: every match has them, but not everything that has them matches, so the positional query (`<->`, `<2>`
  for a gap, the way websearch_to_tsquery writes phrases) checks those rows.

A single word also matches where it is a part of a compound: the documents' vectors hold each part stem as a
position-less lexeme marked with PART_MARK ("»skol" for "folkeskolen", search/index.py), so the word `a` is
`'a' | '»a'` in both queries — still one GIN lookup per lexeme, still exact — unless it is quoted. A prefix
(`ord*`) is `'a':*` (GIN answers it exactly; it never meets the marked parts, which begin with the mark). The rank
query is the positional one without the parts: whole words rank (`ts_rank`) and head the broad page; a case that
only has the word inside compounds ranks after them.

The positional query also highlights. The queries are built from the same parsed query and from lexemes
PostgreSQL itself gives for each term (`to_tsvector('danish', words)`, `danish_lexemes`), so they are the
lexemes the documents hold, and SQLite reads the same query the same way. Everything but `danish_lexemes` is
plain Python, no database.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise

from django.db import connection

from search.backends.base import CompiledQuery
from search.query import ParsedQuery

# (position, lexeme) of a term's words as PostgreSQL analyses them, in position order.
Lexemes = list[tuple[int, str]]
# Marks a compound part's stem in the stored vectors. PostgreSQL's parser never keeps it in a lexeme (it is
# punctuation), so no word of a document or a query can be mistaken for a part.
PART_MARK = "»"


@dataclass(frozen=True)
class PostgresQuery(CompiledQuery):
    """`index`: tsquery on match_vector (None: the index cannot narrow the query); `exact`: it is the whole test;
    `positional`: tsquery on the weighted vector (None: nothing searchable, the query matches nothing);
    `rank`: the positional query without compound parts (what ranks and what the broad page puts first)."""

    index: str | None
    exact: bool
    positional: str | None
    rank: str | None = None

    @property
    def checks_rows(self) -> bool:
        """True when the positional query must check the rows the index query leaves (longer phrases)."""
        return self.positional is not None and not self.exact


def quote(lexeme: str) -> str:
    """A lexeme in tsquery syntax: quoted, so nothing in it is read as an operator."""
    return "'" + lexeme.replace("\\", "\\\\").replace("'", "''") + "'"


def positional_condition(lexemes: Lexemes) -> str | None:
    """A term as PostgreSQL phrase syntax: 'a' <-> 'b', or 'a' <2> 'c' across a stop word."""
    if not lexemes:
        return None
    parts = [quote(lexemes[0][1])]
    for (pos_a, _), (pos_b, b) in pairwise(lexemes):
        parts += ["<->" if pos_b - pos_a == 1 else f"<{pos_b - pos_a}>", quote(b)]
    return " ".join(parts)


def term_condition(lexemes: Lexemes) -> tuple[str | None, bool]:
    """A term's condition on match_vector and whether it is exact."""
    if not lexemes:
        return None, False
    if len(lexemes) == 1:
        return quote(lexemes[0][1]), True
    parts, paired = [], set()
    for (pos_a, a), (pos_b, b) in pairwise(lexemes):
        if pos_b == pos_a + 1:
            parts.append(quote(f"{a} {b}"))
            paired.update((pos_a, pos_b))
    parts += [quote(lexeme) for pos, lexeme in lexemes if pos not in paired]
    exact = len(lexemes) == 2 and len(paired) == 2
    return " & ".join(dict.fromkeys(parts)), exact


def compile_query(query: ParsedQuery, lexemes_of: dict[str, Lexemes]) -> PostgresQuery:
    """Both tsqueries: OR of the groups, each the AND of its terms, from the lexemes of each term's words.

    The index query is never narrower than the positional one: an inexact term is required only by its
    necessary condition, and left out when negated (excluding everything that merely has its words would lose
    matches). Terms without lexemes (stop words only) are ignored, as websearch_to_tsquery ignores them.
    """
    exact, narrowable = True, True
    index_groups, positional_groups, rank_groups = [], [], []
    for group in query.groups:
        index, positional, rank = [], [], []
        for term in group:
            if term.prefix:
                phrase = condition = quote(term.stems[0]) + ":*"
                whole, term_exact = phrase, True
            else:
                lexemes = lexemes_of.get(term.words, [])
                phrase = whole = positional_condition(lexemes)
                if phrase is None:
                    continue
                condition, term_exact = term_condition(lexemes)
                if len(lexemes) == 1 and not term.quoted:  # a single word: also a part of compounds
                    part = quote(PART_MARK + lexemes[0][1])
                    phrase, condition = f"{phrase} | {part}", f"{condition} | {part}"
            exact = exact and term_exact
            if term.negated:
                positional.append(f"!({phrase})")
                rank.append(f"!({whole})")
                if term_exact:
                    index.append(f"!({condition})")
            else:
                positional.append(f"({phrase})")
                rank.append(f"({whole})")
                index.append(f"({condition})")
        if not positional:
            continue
        positional_groups.append(" & ".join(positional))
        rank_groups.append(" & ".join(rank))
        if index:
            index_groups.append(" & ".join(index))
        else:
            narrowable = False  # this group matches without any lexeme the index could be asked for
    if not positional_groups:
        return PostgresQuery(query, None, False, None)
    index_text = " | ".join(f"({g})" for g in index_groups) if narrowable else None
    return PostgresQuery(
        query,
        index_text,
        exact and narrowable,
        " | ".join(f"({g})" for g in positional_groups),
        " | ".join(f"({g})" for g in rank_groups),
    )


def term_words(query: ParsedQuery) -> tuple[str, ...]:
    """The distinct texts whose lexemes compile_query needs (a prefix's stem is known already)."""
    return tuple(sorted({term.words for group in query.groups for term in group if not term.prefix}))


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
