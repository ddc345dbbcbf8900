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

The positional query is also what ranks and highlights. Both are built from the same parsed query and from
lexemes PostgreSQL itself gives for each term (`to_tsvector('danish', words)`, see PostgresEngine), so they are
the lexemes the documents hold, and SQLite reads the same query the same way. Plain Python, no database.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise

from search.query import ParsedQuery

# (position, lexeme) of a term's words as PostgreSQL analyses them, in position order.
Lexemes = list[tuple[int, str]]


@dataclass(frozen=True)
class CompiledQuery:
    """`index`: tsquery on match_vector (None: the index cannot narrow the query); `exact`: it is the whole test;
    `positional`: tsquery on the weighted vector (None: nothing searchable, the query matches nothing)."""

    index: str | None
    exact: bool
    positional: str | None


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


def compile_query(query: ParsedQuery, lexemes_of: dict[str, Lexemes]) -> CompiledQuery:
    """Both tsqueries: OR of the groups, each the AND of its terms.

    The index query is never narrower than the positional one: an inexact term is required only by its
    necessary condition, and left out when negated (excluding everything that merely has its words would lose
    matches). Terms without lexemes (stop words only) are ignored, as websearch_to_tsquery ignores them.
    """
    exact, narrowable = True, True
    index_groups, positional_groups = [], []
    for group in query.groups:
        index, positional = [], []
        for term in group:
            lexemes = lexemes_of.get(term.words, [])
            phrase = positional_condition(lexemes)
            if phrase is None:
                continue
            condition, term_exact = term_condition(lexemes)
            exact = exact and term_exact
            if term.negated:
                positional.append(f"!({phrase})")
                if term_exact:
                    index.append(f"!({condition})")
            else:
                positional.append(f"({phrase})")
                index.append(f"({condition})")
        if not positional:
            continue
        positional_groups.append(" & ".join(positional))
        if index:
            index_groups.append(" & ".join(index))
        else:
            narrowable = False  # this group matches without any lexeme the index could be asked for
    if not positional_groups:
        return CompiledQuery(None, False, None)
    index_text = " | ".join(f"({g})" for g in index_groups) if narrowable else None
    return CompiledQuery(index_text, exact and narrowable, " | ".join(f"({g})" for g in positional_groups))


def term_words(query: ParsedQuery) -> tuple[str, ...]:
    """The distinct texts whose lexemes compile_query needs."""
    return tuple(sorted({term.words for group in query.groups for term in group}))
