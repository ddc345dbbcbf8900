"""Danish text for the search engines that do their own linguistics (SQLite FTS5, the naive baseline).

PostgreSQL's `danish` text-search configuration lowercases, drops stop words and applies the Snowball Danish
stemmer. This module does the same in Python — same stemmer, same stop-word list — so that "klausul",
"klausuler" and "klausulerne" meet on the stem "klausul" whichever database runs the site. It also highlights
matched words in a text with the sentinels the templates turn into <mark> (the Python twin of `ts_headline`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache

import snowballstemmer

# Sentinels around highlighted words. Private-use code points: they never occur in real minutes, the templates
# escape the text first and only then turn sentinel pairs into <mark> (see web/templatetags/search_tags.py).
MARK_START = "\ue000"
MARK_STOP = "\ue001"

# A word is a run of letters and digits; "_" is not a word character for FTS5's unicode61 tokenizer either.
WORD = re.compile(r"[^\W_]+")

# PostgreSQL's tsearch_data/danish.stop (the Snowball list), so both engines ignore the same words.
STOP_WORDS = frozenset(
    """
    og i jeg det at en den til er som på de med han af for ikke der var mig sig men et har om vi min havde ham
    hun nu over da fra du ud sin dem os op man hans hvor eller hvad skal selv her alle vil blev kunne ind når
    være dog noget ville jo deres efter ned skulle denne end dette mit også under have dig anden hende mine alt
    meget sit sine vor mod disse hvis din nogle hos blive mange ad bliver hendes været thi jer sådan
    """.split()  # noqa: SIM905 - a word list reads best as text
)

_stemmer = snowballstemmer.stemmer("danish")


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """The Snowball Danish stem of one lowercased word."""
    return _stemmer.stemWord(word)


def words(text: str) -> list[str]:
    """The lowercased words of a text, in order."""
    return WORD.findall(text.lower())


def stems(text: str) -> list[str]:
    """The stems of a text's words, stop words left out (what the index holds and a query looks for)."""
    return [stem(w) for w in words(text) if w not in STOP_WORDS]


def vocabulary(text: str) -> set[str]:
    """The distinct words of a text worth suggesting as a spelling: letters only, 3 to 60 of them, no stop word."""
    return {w for w in words(text) if 3 <= len(w) <= 60 and w.isalpha() and w not in STOP_WORDS}


def trigrams(word: str) -> set[str]:
    """The trigrams of a word as PostgreSQL's pg_trgm takes them: lowercased, two spaces before, one after."""
    padded = f"  {word.lower()} "
    return {padded[i : i + 3] for i in range(len(padded) - 2)}


def similarity(a: str, b: str) -> float:
    """pg_trgm's `similarity(a, b)` for single words: shared trigrams over all trigrams of both."""
    ta, tb = trigrams(a), trigrams(b)
    return len(ta & tb) / len(ta | tb) if ta or tb else 0.0


def stemmed_text(text: str) -> str:
    """A text as the space-separated stems FTS5 indexes."""
    return " ".join(stems(text))


@dataclass(frozen=True)
class Wanted:
    """What a snippet marks: words by stem (`exact`: only the word itself, as a quoted word matches), words
    beginning with a prefix (`ord*`), compounds with a part in `stems` (`parts` gives a word's part stems:
    search.decompound.parts), and phrases as stem sequences."""

    stems: frozenset[str] = frozenset()
    prefixes: tuple[str, ...] = ()
    phrases: tuple[tuple[str, ...], ...] = ()
    parts: Callable[[str], Iterable[str]] | None = field(default=None, compare=False)
    exact: frozenset[str] = frozenset()

    def __bool__(self) -> bool:
        return bool(self.stems or self.exact or self.prefixes or self.phrases)

    def word(self, word: str) -> bool:
        """True when this lowercased word is wanted on its own (not only as part of a phrase)."""
        if word in STOP_WORDS:
            return False
        stem_ = stem(word)
        if stem_ in self.stems or stem_ in self.exact or any(stem_.startswith(p) for p in self.prefixes):
            return True
        return self.parts is not None and not self.stems.isdisjoint(self.parts(word))

    def starts(self) -> frozenset[str]:
        """Stems a wanted word's stem may begin with (what a regular expression can look for)."""
        return frozenset((*self.stems, *self.exact, *self.prefixes, *(p[0] for p in self.phrases)))


def as_wanted(wanted: Wanted | frozenset[str]) -> Wanted:
    return wanted if isinstance(wanted, Wanted) else Wanted(stems=frozenset(wanted))


def _hits(tokens: list[re.Match], wanted: Wanted) -> list[tuple[int, int]]:
    """(first, last) token index of every wanted word and phrase occurrence, in text order; stop words inside a
    phrase are skipped over, as the index skips them."""
    words = [m.group().lower() for m in tokens]
    spans = []
    if wanted.phrases:
        content = [i for i, w in enumerate(words) if w not in STOP_WORDS]
        stems_ = [stem(words[i]) for i in content]
        for phrase in wanted.phrases:
            n = len(phrase)
            for k in range(len(content) - n + 1):
                if tuple(stems_[k : k + n]) == phrase:
                    spans.append((content[k], content[k + n - 1]))
    taken = {i for first, last in spans for i in range(first, last + 1)}
    spans += [(i, i) for i, w in enumerate(words) if i not in taken and wanted.word(w)]
    return sorted(spans)


@lru_cache(maxsize=256)
def _word_starts(wanted: frozenset[str]) -> re.Pattern:
    alternatives = "|".join(re.escape(s) for s in sorted(wanted, key=len, reverse=True))
    return re.compile(rf"(?<![^\W_])(?:{alternatives})[^\W_]*", re.IGNORECASE)


def first_phrase(text: str, phrases: Iterable[tuple[str, ...]]) -> int | None:
    """Where in `text` the first occurrence of one of these phrases (stem sequences of two or more, stop words
    between them skipped, as the index skips them) begins; None when there is none.

    Only the places where a word begins with a phrase's first stem are looked at (a stem is a prefix of its
    word), so a long text costs a regular-expression scan instead of stemming every word.
    """
    phrases = [phrase for phrase in phrases if len(phrase) > 1]
    if not phrases:
        return None
    longest = max(map(len, phrases))
    for match in _word_starts(frozenset(phrase[0] for phrase in phrases)).finditer(text):
        found: list[str] = []
        for token in WORD.finditer(text, match.start()):
            word = token.group().lower()
            if word in STOP_WORDS:
                if not found:  # a stop word is never a phrase's first word
                    break
                continue
            found.append(stem(word))
            if len(found) == longest:
                break
        if any(tuple(found[: len(phrase)]) == phrase for phrase in phrases):
            return match.start()
    return None


def passage_span(
    text: str, wanted: Wanted | frozenset[str], *, before: int = 200, length: int = 1200
) -> tuple[int, int]:
    """Start and end of the stretch of `text` (about `length` characters, cut at spaces) around the first wanted
    phrase, or else the first wanted word, so a highlighter need not read the whole text. The whole text when
    none is found (a snippet must not miss a match the database found).
    """
    wanted = as_wanted(wanted)
    if not wanted:
        return 0, len(text)
    first = None
    if wanted.phrases:
        # Phrases first: a phrase is what the searcher asked to see, not its words apart.
        first = first_phrase(text, wanted.phrases)
    if first is None and (wanted.stems or wanted.exact or wanted.prefixes):
        for match in _word_starts(wanted.starts()).finditer(text):
            if wanted.word(match.group().lower()):
                first = match.start()
                break
    if first is None and wanted.parts is not None and wanted.stems:
        # A compound with a wanted part may begin with any letters ("folkeskolen" for "skole"): each distinct word
        # of the text is looked at once, then the first of those found.
        found = {w for w in set(WORD.findall(text.lower())) if wanted.word(w)}
        if found:
            first = _word_starts(frozenset(found)).search(text).start()
    if first is None:
        return 0, len(text)
    start = text.rfind(" ", 0, max(0, first - before)) + 1
    end = text.find(" ", start + length)
    return start, len(text) if end == -1 else end


def passage(text: str, wanted: Wanted | frozenset[str], *, before: int = 200, length: int = 1200) -> str:
    """The text of `passage_span`."""
    start, end = passage_span(text, wanted, before=before, length=length)
    return text[start:end]


def _squeeze(text: str) -> str:
    return " ".join(text.replace(MARK_START, "").replace(MARK_STOP, "").split())


def mark_cuts(snippet: str, source: str, *, cut_before: bool = False, cut_after: bool = False, gap: str = " … ") -> str:
    """A snippet (fragments joined by `gap`, e.g. from ts_headline) with "…" where it leaves out text of
    `source`: before its first fragment and after its last, unless they begin and end the source. `cut_before`
    and `cut_after` say that `source` is itself cut from a longer text."""
    if not snippet.strip():
        return snippet
    fragments = snippet.split(gap)
    whole = _squeeze(source)
    first, last = _squeeze(fragments[0]), _squeeze(fragments[-1])
    if cut_before or not whole.startswith(first):
        snippet = gap.lstrip() + snippet.lstrip()
    if cut_after or not whole.endswith(last):
        snippet = snippet.rstrip() + gap.rstrip()
    return snippet


def highlight(
    text: str,
    wanted: Wanted | frozenset[str],
    *,
    max_words: int = 35,
    fragments: int = 2,
    gap: str = " … ",
    cut_before: bool = False,
    cut_after: bool = False,
) -> str:
    """Up to `fragments` windows of `max_words` words around wanted words and phrases, each occurrence wrapped in
    MARK_START/MARK_STOP (a phrase as one), "…" where text is left out. Without a match, the start of the text
    (like ts_headline). `cut_before`/`cut_after`: `text` is itself a passage of a longer text.

    Sentinel characters already in the text are removed first so that only ours reach the template.
    """
    wanted = as_wanted(wanted)
    text = text.replace(MARK_START, "").replace(MARK_STOP, "")
    tokens = list(WORD.finditer(text))
    if not tokens:
        return text[:300]
    hits = _hits(tokens, wanted)
    if not hits:
        end = tokens[min(len(tokens), max_words) - 1].end()
        cut = cut_after or end < len(text.rstrip())
        return (gap.lstrip() if cut_before else "") + text[:end].strip() + (gap.rstrip() if cut else "")
    windows: list[tuple[int, int]] = []
    for first, last in hits:
        if len(windows) == fragments:
            break
        if windows and first <= windows[-1][1]:
            continue
        start = max(windows[-1][1] + 1 if windows else 0, first - max_words // 3)
        windows.append((start, max(last, min(len(tokens), start + max_words) - 1)))
    starts = {first: last for first, last in hits}
    parts = []
    for first, last in windows:
        out, pos, i = [], tokens[first].start(), first
        while i <= last:
            m = tokens[i]
            out.append(text[pos : m.start()])
            end_of_hit = starts.get(i)
            if end_of_hit is not None and end_of_hit <= last:
                out.append(f"{MARK_START}{text[m.start() : tokens[end_of_hit].end()]}{MARK_STOP}")
                pos, i = tokens[end_of_hit].end(), end_of_hit + 1
                continue
            out.append(m.group())
            pos, i = m.end(), i + 1
        parts.append(" ".join("".join(out).split()))
    snippet = gap.join(parts)
    before = cut_before or windows[0][0] > 0
    after = cut_after or windows[-1][1] < len(tokens) - 1
    return (gap.lstrip() if before else "") + snippet + (gap.rstrip() if after else "")
