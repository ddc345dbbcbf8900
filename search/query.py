"""A journalist's query, read with PostgreSQL's `websearch_to_tsquery` rules; engine-neutral.

Syntax (as on PostgreSQL): words must all occur (AND), `"quoted words"` are a phrase, `OR` between two parts
gives either, `-word` or `-"a phrase"` excludes. As in `websearch_to_tsquery`, AND binds tighter than OR:
`a b OR c` means (a AND b) OR c. Stop words and punctuation are dropped; nothing the user types is ever
placed into SQL or an FTS5 expression unquoted. Each engine compiles the parsed query into what it needs
(search/backends/*/compiler.py).

Two readings beyond websearch_to_tsquery: a word also finds the compounds it is a part of ("skole" finds
"folkeskolen", search/decompound.py; a word in quotes, `"skole"`, only itself), and a word ending in `*` finds
every word that begins so ("klimatil*"):
a prefix of at least MIN_PREFIX letters, stemmed as PostgreSQL's `to_tsquery('danish', 'ord:*')` does, so
"klausule*" finds "klausulerne" — but kept when it is a stop word ("for*" finds "forslag").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from search import danish

MAX_QUERY_LENGTH = 300  # characters searched; longer queries are cut (and the page says so)
MAX_TERMS = 32
MIN_PREFIX = 3  # letters before `*`: shorter prefixes would match a large share of all words

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ue000\ue001]")
_TOKEN = re.compile(r'(-?)"([^"]*)"?|([^\s"]+)')


def clean(raw: str | None) -> str:
    """The query as searched: control characters (PostgreSQL rejects NUL) removed, whitespace collapsed, cut."""
    text = _CONTROL.sub(" ", raw or "")
    return " ".join(text.split())[:MAX_QUERY_LENGTH].strip()


@dataclass(frozen=True)
class Term:
    """A word or phrase: its stems in order (more than one = a phrase), whether it is excluded, and whether it
    is a prefix (`ord*`: one stem, which every matching word's stem begins with).

    `words` is the text as typed (without quotes, minus or star), for engines that analyse it themselves.
    """

    stems: tuple[str, ...]
    negated: bool = False
    words: str = field(default="", compare=False)
    prefix: bool = False
    quoted: bool = field(default=False, compare=False)  # typed in quotes: a phrase, or one word taken exactly

    @property
    def is_word(self) -> bool:
        """A single word, unquoted: what also matches as a part of compounds ("skole" finds "folkeskolen";
        `"skole"` only the word itself)."""
        return len(self.stems) == 1 and not self.prefix and not self.quoted


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
    def positive_terms(self) -> tuple[Term, ...]:
        """The wanted (not excluded) terms, each once."""
        return tuple(dict.fromkeys(t for group in self.groups for t in group if not t.negated))

    @property
    def positive_stems(self) -> frozenset[str]:
        """The stems to highlight (of words and phrases; prefixes are in `positive_prefixes`)."""
        return frozenset(s for term in self.positive_terms if not term.prefix for s in term.stems)

    @property
    def positive_prefixes(self) -> tuple[str, ...]:
        """The wanted prefixes (`ord*`), as stem beginnings."""
        return tuple(term.stems[0] for term in self.positive_terms if term.prefix)

    @property
    def positive_phrases(self) -> tuple[tuple[str, ...], ...]:
        """The wanted phrases, as stem sequences (for snippets that show the phrase, not its words apart)."""
        return tuple(term.stems for term in self.positive_terms if len(term.stems) > 1)

    @property
    def positive_groups(self) -> tuple[tuple[Term, ...], ...]:
        return tuple(g for g in self.groups if any(not t.negated for t in g))

    @property
    def negative_groups(self) -> tuple[tuple[Term, ...], ...]:
        """Groups made only of exclusions ("-klausul"): they match every case without those words."""
        return tuple(g for g in self.groups if all(t.negated for t in g))


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
            term = _prefix_term(words, negated)
        else:
            negated = bool(negated_phrase)
            words = phrase
            term = None
        if term is None:
            stems = danish.stems(words)
            term = Term(tuple(stems), negated, words, quoted=chunk is None) if stems else None
        if term is not None and count < MAX_TERMS:
            groups[-1].append(term)
            count += 1
    return ParsedQuery(text=text, groups=tuple(tuple(g) for g in groups if g))


def _prefix_term(chunk: str, negated: bool) -> Term | None:
    """`ord*` as a prefix term, or None when the chunk is no single word of at least MIN_PREFIX letters + `*`."""
    if not chunk.endswith("*"):
        return None
    word = chunk.rstrip("*")
    found = danish.words(word)
    if len(found) != 1 or found[0] != word.lower() or len(word) < MIN_PREFIX:
        return None
    word = found[0]
    stem = danish.stem(word)
    # A stop word keeps its letters (it is no lexeme of its own), and so does a word Snowball cuts too short.
    if word in danish.STOP_WORDS or len(stem) < MIN_PREFIX:
        stem = word
    return Term((stem,), negated, word, prefix=True)
