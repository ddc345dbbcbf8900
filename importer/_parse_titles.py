"""Splitting a case title off the "Bilag" line it was glued to (the compact export, as in the 2022-11-15 fixture).

`Bilag 1: Mål for beskæftigelsesindsatsen 2023 Godkendelse af Beskæftigelsesplan 2023 -2024` holds an attachment
title and the next case's title. The line alone cannot tell where one ends, so every word boundary before a
capitalised word is scored by evidence from both sides:

- a case title's words recur in that case's own text (its Sagens kerne, Indstilling …);
- an attachment title's words recur in the previous case (the attachment is quoted there, and often equals that
  case's title);
- standing items ("Meddelelser", "Diverse", "Eventuelt") are titles with no text to echo them;
- neither part of a title ends in a dangling "af", "i", "og" or a dash;
- words that stand together in either text ("Rødovre Kommune") belong to the same part;
- an attachment title can end in a committee code and a date ("Skitse af stiforløb TMU 120315"): the code and
  its date stay with the attachment, and a title very likely starts right after them;
- a title can start with a number ("1. behandling af budget 2026", "2. behandling …").
"""

from __future__ import annotations

import re
from typing import NamedTuple

STANDING_TITLES = frozenset({"meddelelser", "diverse", "eventuelt", "orientering", "meddelelser og orientering"})
_STOPWORDS = frozenset(
    "af at de den der det en et for fra har i med og om på pr som til ved vedr samt eller er kr nr jf".split()  # noqa: SIM905
)
# A title or attachment title does not end in one of these; a split that leaves one dangling is implausible.
# ("med", "til", "på" are left out: "Flere skal med" and "Tid til" are real title endings.)
_DANGLING = frozenset("af de den det en et for i og om pr samt vedr vedrørende angående eller - –".split())  # noqa: SIM905
_WORD = re.compile(r"[0-9a-zæøåéü]+")
_NUMBERED = re.compile(r"^\d{1,2}\.$")  # "1." of "1. behandling af …"
_CODE = re.compile(r"^[A-ZÆØÅ]{2,5}$")  # "TMU", "KNU"
_CODE_DATE = re.compile(r"^(?:\d{6}|\d{8}|\d{1,2}[-./]\d{1,2}[-./]\d{2,4})$")  # "120315", "04-02-25"
_SUFFIXES = ("erne", "ene", "ens", "ers", "er", "en", "et", "es", "e", "s")
# Titles are short: only splits within the last words of a line are considered (also bounds the work).
MAX_TITLE_WORDS = 30
# Below this margin between the best and the runner-up split the choice is reported as a guess.
CONFIDENT_MARGIN = 2.0


class Split(NamedTuple):
    """The attachment title, the case title, and whether the evidence was too weak to be sure."""

    attachment: str
    title: str
    guess: bool


def split_glued_title(
    glued: str, previous_title: str, previous_text: str, next_text: str, *, untitled_allowed: bool = False
) -> Split | None:
    """Split `glued` (an attachment title with the next case's title appended) into its two parts.

    `previous_title` and `previous_text` are the previous case's title and text, `next_text` the next case's own
    text. With `untitled_allowed` (a "Bilag 1." line, which may have no title) the whole of `glued` may be the
    case title. Returns None when no word boundary can start a title (no capitalised word after the first).
    """
    words = glued.split(" ")
    first = 0 if untitled_allowed else 1
    candidates = [
        k
        for k in range(max(first, len(words) - MAX_TITLE_WORDS), len(words))
        if _starts_title(words[k]) and not _code_and_date(words, k)
    ]
    if not candidates:
        return None
    previous = _Evidence(previous_title + "\n" + previous_text)
    previous.title = _stems(previous_title)
    following = _Evidence(next_text)
    scored = sorted(
        ((_score(words[:k], words[k:], previous, following), k) for k in candidates),
        key=lambda pair: (-pair[0], pair[1]),
    )
    best_score, k = scored[0]
    margin = best_score - scored[1][0] if len(scored) > 1 else best_score
    guess = margin < CONFIDENT_MARGIN or best_score <= 0
    return Split(" ".join(words[:k]), " ".join(words[k:]), guess)


class _Evidence:
    """Stemmed word set and word sequence of a text, for membership and phrase tests."""

    def __init__(self, text: str):
        self.sequence = " " + " ".join(_stems(text)) + " "
        self.words = set(self.sequence.split())
        self.title: list[str] = []

    def has_phrase(self, stems: list[str]) -> bool:
        return bool(stems) and f" {' '.join(stems)} " in self.sequence


def _score(prefix: list[str], suffix: list[str], previous: _Evidence, following: _Evidence) -> float:
    prefix_stems, suffix_stems = _stems(" ".join(prefix)), _stems(" ".join(suffix))
    score = 0.0
    # Each content word votes for the side whose text it recurs in.
    for stem in _content(prefix_stems):
        score += (stem in previous.words) - (stem in following.words)
    for stem in _content(suffix_stems):
        score += (stem in following.words) - (stem in previous.words)
    if " ".join(suffix).casefold() in STANDING_TITLES:
        score += 4
    if previous.has_phrase(prefix_stems):
        score += 2
    # The attachment is very often the previous case's own document, named like the case.
    if prefix_stems == previous.title:
        score += 3
    if following.has_phrase(suffix_stems):
        score += 2
    if prefix and prefix[-1].casefold() in _DANGLING:
        score -= 3
    # "… TMU 120315": an attachment's code and date close its title.
    if len(prefix) >= 2 and _code_and_date(prefix, len(prefix) - 2):
        score += 3
    # Words that stand together in either text ("Rødovre Kommune", "Flere Skal Med") are not cut apart.
    if prefix_stems and suffix_stems:
        pair = prefix_stems[-1:] + suffix_stems[:1]
        if previous.has_phrase(pair) or following.has_phrase(pair):
            score -= 3
    return score


def _starts_title(word: str) -> bool:
    return bool(word) and (word[0].isupper() or bool(_NUMBERED.match(word)))


def _code_and_date(words: list[str], k: int) -> bool:
    """Whether words[k] is a committee code followed by a date ("TMU 120315"), which belongs to an attachment."""
    return k + 1 < len(words) and bool(_CODE.match(words[k])) and bool(_CODE_DATE.match(words[k + 1]))


def _content(stems: list[str]) -> list[str]:
    return [s for s in stems if s not in _STOPWORDS]


def _stems(text: str) -> list[str]:
    return [_stem(w) for w in _WORD.findall(text.casefold())]


def _stem(word: str) -> str:
    # Crude Danish suffix stripping: enough for "tillægsbevillinger" to meet "tillægsbevilling".
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word
