"""A journalist's query, read with PostgreSQL's `websearch_to_tsquery` rules and turned into what each engine needs.

Syntax (as on PostgreSQL): words must all occur (AND), `"quoted words"` are a phrase, `OR` between two parts
gives either, `-word` or `-"a phrase"` excludes. As in `websearch_to_tsquery`, AND binds tighter than OR:
`a b OR c` means (a AND b) OR c. Stop words and punctuation are dropped; nothing the user types is ever
placed into SQL or an FTS5 expression unquoted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from search import danish

MAX_QUERY_LENGTH = 300  # characters searched; longer queries are cut (and the page says so)
MAX_TERMS = 32

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ue000\ue001]")
_TOKEN = re.compile(r'(-?)"([^"]*)"?|([^\s"]+)')


def clean(raw: str | None) -> str:
    """The query as searched: control characters (PostgreSQL rejects NUL) removed, whitespace collapsed, cut."""
    text = _CONTROL.sub(" ", raw or "")
    return " ".join(text.split())[:MAX_QUERY_LENGTH].strip()


@dataclass(frozen=True)
class Term:
    """A word or phrase: its stems in order (more than one = a phrase) and whether it is excluded.

    `words` is the text as typed (without quotes or minus), for engines that analyse it themselves.
    """

    stems: tuple[str, ...]
    negated: bool = False
    words: str = field(default="", compare=False)

    def fts5(self) -> str:
        """This term as an FTS5 string token: always quoted, quotes doubled."""
        return '"' + " ".join(self.stems).replace('"', '""') + '"'


@dataclass(frozen=True)
class ParsedQuery:
    """OR of groups; each group is an AND of terms (some negated)."""

    text: str
    groups: tuple[tuple[Term, ...], ...]

    @property
    def is_empty(self) -> bool:
        """True when nothing searchable is left (empty, only punctuation, only stop words)."""
        return not self.groups

    @property
    def positive_stems(self) -> frozenset[str]:
        """The stems to highlight."""
        return frozenset(s for group in self.groups for term in group if not term.negated for s in term.stems)

    @property
    def positive_groups(self) -> tuple[tuple[Term, ...], ...]:
        return tuple(g for g in self.groups if any(not t.negated for t in g))

    @property
    def negative_groups(self) -> tuple[tuple[Term, ...], ...]:
        """Groups made only of exclusions ("-klausul"): they match every case without those words."""
        return tuple(g for g in self.groups if all(t.negated for t in g))

    def fts5_positive(self) -> str | None:
        """One FTS5 MATCH expression for all groups that have a wanted term, or None."""
        parts = []
        for group in self.positive_groups:
            wanted = " AND ".join(t.fts5() for t in group if not t.negated)
            unwanted = " OR ".join(t.fts5() for t in group if t.negated)
            parts.append(f"(({wanted}) NOT ({unwanted}))" if unwanted else f"({wanted})")
        return " OR ".join(parts) or None

    @staticmethod
    def fts5_any(group: tuple[Term, ...]) -> str:
        """An FTS5 expression matching any term of the group (used for pure exclusions)."""
        return " OR ".join(t.fts5() for t in group)


def parse(raw: str | None) -> ParsedQuery:
    """Read a query typed into the search box. Never raises, whatever the input."""
    text = clean(raw)
    groups: list[list[Term]] = [[]]
    count = 0
    tokens = [match.groups() for match in _TOKEN.finditer(text)]
    after_operand = False
    for i, (negated_phrase, phrase, chunk) in enumerate(tokens):
        # As in websearch_to_tsquery, OR is an operator only between two operands; elsewhere ("OR klausul",
        # "klausul OR", the second OR of "a OR OR b") it is the word "or".
        if chunk is not None and chunk.lower() == "or" and after_operand and i + 1 < len(tokens):
            after_operand = False
            if groups[-1]:
                groups.append([])
            continue
        after_operand = True
        if chunk is not None:
            negated = chunk.startswith("-")
            words = chunk.lstrip("-")
        else:
            negated = bool(negated_phrase)
            words = phrase
        stems = danish.stems(words)
        if stems and count < MAX_TERMS:
            groups[-1].append(Term(tuple(stems), negated, words))
            count += 1
    return ParsedQuery(text=text, groups=tuple(tuple(g) for g in groups if g))
