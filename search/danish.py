"""Danish text for the search engines that do their own linguistics (SQLite FTS5, the naive baseline).

PostgreSQL's `danish` text-search configuration lowercases, drops stop words and applies the Snowball Danish
stemmer. This module does the same in Python — same stemmer, same stop-word list — so that "klausul",
"klausuler" and "klausulerne" meet on the stem "klausul" whichever database runs the site. It also highlights
matched words in a text with the sentinels the templates turn into <mark> (the Python twin of `ts_headline`).
"""

from __future__ import annotations

import re
from functools import lru_cache

import snowballstemmer

# Sentinels around highlighted words. Private-use code points: they never occur in real minutes, the templates
# escape the text first and only then turn sentinel pairs into <mark> (see templatetags/search_tags.py).
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


def stemmed_text(text: str) -> str:
    """A text as the space-separated stems FTS5 indexes."""
    return " ".join(stems(text))


@lru_cache(maxsize=256)
def _word_starts(wanted: frozenset[str]) -> re.Pattern:
    alternatives = "|".join(re.escape(s) for s in sorted(wanted, key=len, reverse=True))
    return re.compile(rf"(?<![^\W_])(?:{alternatives})[^\W_]*", re.IGNORECASE)


def passage(text: str, wanted: frozenset[str], *, before: int = 200, length: int = 1200) -> str:
    """The stretch of `text` (about `length` characters, cut at spaces) around the first word whose stem is
    wanted, so a highlighter need not read the whole text. The whole text when no such word is found at the
    start of a word (a snippet must not miss a match the database found).
    """
    if wanted:
        for match in _word_starts(wanted).finditer(text):
            word = match.group().lower()
            if word not in STOP_WORDS and stem(word) in wanted:
                start = text.rfind(" ", 0, max(0, match.start() - before)) + 1
                end = text.find(" ", start + length)
                return text[start:] if end == -1 else text[start:end]
    return text


def highlight(text: str, wanted: frozenset[str], *, max_words: int = 35, fragments: int = 2, gap: str = " … ") -> str:
    """Up to `fragments` windows of `max_words` words around words whose stem is in `wanted`, matches wrapped
    in MARK_START/MARK_STOP. Without a match, the start of the text (like ts_headline).

    Sentinel characters already in the text are removed first so that only ours reach the template.
    """
    text = text.replace(MARK_START, "").replace(MARK_STOP, "")
    tokens = list(WORD.finditer(text))
    if not tokens:
        return text[:300]
    hits = [
        i for i, m in enumerate(tokens) if m.group().lower() not in STOP_WORDS and stem(m.group().lower()) in wanted
    ]
    if not hits:
        end = tokens[min(len(tokens), max_words) - 1].end()
        return text[:end].strip() + (gap.rstrip() if end < len(text) else "")
    windows: list[tuple[int, int]] = []
    for hit in hits:
        if len(windows) == fragments:
            break
        if windows and hit <= windows[-1][1]:
            continue
        start = max(windows[-1][1] + 1 if windows else 0, hit - max_words // 3)
        windows.append((start, min(len(tokens), start + max_words) - 1))
    hit_set = set(hits)
    parts = []
    for first, last in windows:
        out, pos = [], tokens[first].start()
        for i in range(first, last + 1):
            m = tokens[i]
            out.append(text[pos : m.start()])
            out.append(f"{MARK_START}{m.group()}{MARK_STOP}" if i in hit_set else m.group())
            pos = m.end()
        parts.append(" ".join("".join(out).split()))
    return gap.join(parts)
