"""Word-level differences between two texts, for a meeting's public history and the clerk's preview.

Lines are compared first (cheap, and most of a corrected protocol is unchanged), then the words of each changed
block, so "Godkendt." → "Godkendt med 5 stemmer." shows as three inserted words, not a replaced line. Unchanged
stretches are cut down to a few words of context on each side of a change.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

SAME, DELETED, INSERTED = "same", "deleted", "inserted"
CONTEXT_WORDS = 8


@dataclass(frozen=True)
class Segment:
    """A run of words that is unchanged, deleted from the old text or inserted in the new one."""

    kind: str
    text: str

    @property
    def is_change(self) -> bool:
        return self.kind != SAME


@dataclass(frozen=True)
class Hunk:
    """One changed place with its context; `cut_before`/`cut_after` say whether unchanged words were left out."""

    segments: tuple[Segment, ...]
    cut_before: bool
    cut_after: bool


_TOKEN = re.compile(r"\w+|[^\w\s]")


def _tokens(lines: list[str]) -> tuple[list[str], list[str]]:
    """Words and punctuation marks (compared), each with the space before it (shown): "Anbefales." is two tokens,
    so "Anbefales." → "Anbefales med …" changes only what was added."""
    compared, shown = [], []
    for line in lines:
        previous_end = None
        for m in _TOKEN.finditer(line):
            space = " " if previous_end is None or m.start() > previous_end else ""
            compared.append(m.group())
            shown.append(space + m.group())
            previous_end = m.end()
    return compared, shown


def word_segments(old: str, new: str) -> list[Segment]:
    """The whole of both texts as consecutive segments (adjacent segments of one kind merged); line breaks become
    spaces, and a changed segment never starts with a space (it stays outside the marking)."""
    old_lines, new_lines = old.splitlines(), new.splitlines()
    pieces: list[tuple[str, str]] = []
    lines = difflib.SequenceMatcher(None, old_lines, new_lines, autojunk=False)
    for op, i1, i2, j1, j2 in lines.get_opcodes():
        a, a_shown = _tokens(old_lines[i1:i2])
        if op == "equal":
            pieces += [(SAME, t) for t in a_shown]
            continue
        b, b_shown = _tokens(new_lines[j1:j2])
        for wop, a1, a2, b1, b2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
            if wop == "equal":
                pieces += [(SAME, t) for t in a_shown[a1:a2]]
            else:
                pieces += [(DELETED, t) for t in a_shown[a1:a2]]
                pieces += [(INSERTED, t) for t in b_shown[b1:b2]]
    segments: list[Segment] = []
    for kind, text in pieces:
        if kind != SAME and text.startswith(" ") and (not segments or segments[-1].kind != kind):
            _append(segments, SAME, " ")
            text = text[1:]
        _append(segments, kind, text)
    if segments and not segments[0].text.strip():
        segments.pop(0)
    if segments:
        segments[0] = Segment(segments[0].kind, segments[0].text.lstrip())
    return segments


def _append(segments: list[Segment], kind: str, text: str) -> None:
    if segments and segments[-1].kind == kind:
        segments[-1] = Segment(kind, segments[-1].text + text)
    else:
        segments.append(Segment(kind, text))


def word_diff(old: str, new: str, *, context: int = CONTEXT_WORDS) -> list[Hunk]:
    """The changed places between two texts, each with up to `context` unchanged words around it; [] if the
    texts have the same words."""
    segments = word_segments(old, new)
    changes = [i for i, s in enumerate(segments) if s.is_change]
    if not changes:
        return []
    hunks: list[Hunk] = []
    # Changes separated by no more than twice the context share a hunk (the words between shown whole).
    groups: list[list[int]] = [[changes[0]]]
    for i in changes[1:]:
        between = segments[groups[-1][-1] + 1 : i]
        if sum(len(s.text.split()) for s in between) <= 2 * context:
            groups[-1].append(i)
        else:
            groups.append([i])
    for group in groups:
        first, last = group[0], group[-1]
        parts: list[Segment] = []
        cut_before = cut_after = False
        if first > 0:
            text = segments[first - 1].text
            words = text.split()
            cut_before = len(words) > context or first > 1
            parts.append(Segment(SAME, " ".join(words[-context:]) + (" " if text.endswith(" ") else "")))
        parts += segments[first : last + 1]
        if last + 1 < len(segments):
            text = segments[last + 1].text
            words = text.split()
            cut_after = len(words) > context or last + 2 < len(segments)
            parts.append(Segment(SAME, (" " if text.startswith(" ") else "") + " ".join(words[:context])))
        hunks.append(Hunk(tuple(p for p in parts if p.text), cut_before, cut_after))
    return hunks
