"""A journalist's query (search/query.py) as FTS5 MATCH expressions over the Python-stemmed text.

Every term becomes an FTS5 string token — always quoted, quotes doubled — so nothing the user types is read as
FTS5 syntax; a phrase is one token of several stems, which FTS5 matches as a phrase. The FTS5 table has a fifth
column, `parts`, with the stems of the documents' compound parts (search/index.py): a single word is matched in
every column, so it is found whole or as a part; a phrase and a prefix (`"stem" *`, answered by the prefix
index) only in the text columns, since the parts are a list, not text. Plain Python, no database.
"""

from __future__ import annotations

from dataclasses import dataclass

from search.backends.base import CompiledQuery
from search.query import ParsedQuery, Term


@dataclass(frozen=True)
class Fts5Query(CompiledQuery):
    """`positive`: one expression for every group with a wanted term (None: there is none); `exclusions`: for
    each group made only of exclusions ("-klausul"), an expression matching any of its terms."""

    positive: str | None
    exclusions: tuple[str, ...]


TEXT_COLUMNS = "{title text_b text_c text_d}"


def token(term: Term) -> str:
    """A term as an FTS5 string token (always quoted, quotes doubled), limited to the text columns unless it is a
    single word, which may also be a compound's part."""
    quoted = '"' + " ".join(term.stems).replace('"', '""') + '"'
    if term.prefix:
        return f"{TEXT_COLUMNS} : {quoted} *"
    return quoted if term.is_word else f"{TEXT_COLUMNS} : {quoted}"


def any_of(terms: tuple[Term, ...]) -> str:
    """An FTS5 expression matching any of the terms."""
    return " OR ".join(token(t) for t in terms)


def positive_expression(query: ParsedQuery) -> str | None:
    """One FTS5 MATCH expression for all groups that have a wanted term, or None."""
    parts = []
    for group in query.positive_groups:
        wanted = " AND ".join(token(t) for t in group if not t.negated)
        unwanted = any_of(tuple(t for t in group if t.negated))
        parts.append(f"(({wanted}) NOT ({unwanted}))" if unwanted else f"({wanted})")
    return " OR ".join(parts) or None


def compile_query(query: ParsedQuery) -> Fts5Query:
    """The query's FTS5 expressions."""
    return Fts5Query(query, positive_expression(query), tuple(any_of(group) for group in query.negative_groups))
