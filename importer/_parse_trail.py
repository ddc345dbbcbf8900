"""The decision trail (sagsgang): earlier bodies' decisions quoted in a case, read as structured steps.

Every era quotes them differently:

- "Teknik- og Miljøudvalget, 10. september 2019, pkt. 65:" or "Beslutning fra Økonomiudvalget, 11. juni 2025,
  pkt. 106:" on a line of its own, the decision on the lines after it (today's exports);
- "Økonomiudvalget 14-05-2014" — a numeric date, no item and no colon — then the decision (around 2014);
- "Økonomiudvalget:" alone on its line, or inline and several to a paragraph, even in the middle of one:
  "… som foreslået. Bestyrelsen for Rødovre Varmeværk: Anbefales. Økonomiudvalget: Indstilles godkendt."
  (before about 2012, often inside *Sagens kerne* when there is no *Indstilling* heading).

A step's text runs up to the next step (or the end of the lines given, i.e. the next heading). A body is only
read as a step when its name ends like a decision-making body ("…udvalget", "…bestyrelsen", "…rådet",
"Bestyrelsen for …") or is a short code ("ØU:") standing at the start of a line, or after the end of a sentence
with a decision right after it ("… Anbefales. ØU: Indstilles godkendt."), so ordinary sentences ending in a colon
("Spørgeskemaet skal afdække, hvorvidt borgerne oplever:") and notes ("Fristen er kort. NB: Svar senest 1. maj.")
are never mistaken for one.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from importer._parse_outcome import opens_with_decision, outcome_of, parse_date
from importer.records import Step

_WORD = r"[A-ZÆØÅ][\w\-]*"
# "Teknik- og Miljøudvalget", "Kommunalbestyrelsen", "Rødovre Ældreråd", "Bestyrelsen for Rødovre Varmeværk".
_NAMED_BODY = (
    rf"(?:Bestyrelsen|Direktionen|Repræsentantskabet|Styregruppen)\s+for\s+{_WORD}(?:\s+(?:og\s+)?{_WORD}){{0,3}}"
    rf"|(?:{_WORD}\s+(?:og\s+|for\s+)?){{0,4}}[A-ZÆØÅ][\w\-]*(?:udvalget|udvalg|bestyrelsen|bestyrelse|rådet|råd)"
)
_CODE = r"[A-ZÆØÅ]{2,4}"
# "Klima- og Naturudvalget 2018-25": the committee in an election term; the term is not part of the body's name.
_TERM = r"(?:\s+(?:19|20)\d{2}(?:\s*[-–]\s*\d{2,4})?(?![-./]\d))?"
_DATE = r"(?P<date>\d{1,2}[-./]\d{1,2}[-./]\d{4}|\d{1,2}\.\s*[a-zæøå]{3,9}\.?\s+\d{4})"
_ITEM = r"(?:pkt\.?|punkt|sag\s+nr\.?)\s*(?P<item>\d{1,6})"


def _head(body: str) -> str:
    return (
        rf"(?:[Bb]eslutning\s+(?:fra|i)\s+)?(?P<body>{body}){_TERM}"
        rf"(?:\s*,?\s*(?:den\s+)?{_DATE})?(?:\s*,?\s*{_ITEM})?"
    )


# A step header that is the whole line, with a colon ("Økonomiudvalget:", "TMU, 10. juni 2025, pkt. 65:").
_LINE_HEAD = re.compile(rf"^{_head(_NAMED_BODY + '|' + _CODE)}\s*:$")
# A whole line naming a body and a date, no colon ("Økonomiudvalget 14-05-2014").
_DATED_LINE = re.compile(rf"^{_head(_NAMED_BODY)}$")
# A header with the decision after it on the same line, at the start of a line ("Økonomiudvalget: Anbefales.").
_INLINE_START = re.compile(rf"^{_head(_NAMED_BODY + '|' + _CODE)}\s*:\s+(?=\S)")
# The same after the end of a sentence, in the middle of a line ("… Økonomiudvalget: Anbefales.", "… Anbefales. ØU:
# Indstilles godkendt."); an undated short code only when a decision follows it (`_heads_in_line`).
_INLINE_MID = re.compile(rf"(?<=[.!?)])\s+{_head(_NAMED_BODY + '|' + _CODE)}\s*:(?:\s+|$)")
_ONLY_CODE = re.compile(_CODE)
_DECISION_LOOKAHEAD = 200  # characters after a code's colon read to see whether a decision follows


class _Head(NamedTuple):
    line: int  # index of the line it stands on
    start: int  # where the header starts in that line
    end: int  # where the step's own text starts in that line
    body: str
    date: str | None
    item: str | None


def _heads_in_line(index: int, line: str, next_line: str = "") -> list[_Head]:
    """The step headers in `line`; `next_line` is the next non-empty line (where a header's decision may stand)."""

    def head(m: re.Match[str], start: int) -> _Head:
        return _Head(index, start, m.end(), m.group("body").strip(), m.group("date"), m.group("item"))

    def bare_code_without_decision(m: re.Match[str]) -> bool:
        # "NB: Svar senest 1. maj." is a note: an undated code is a body only when a decision follows it.
        bare = _ONLY_CODE.fullmatch(m.group("body")) and not m.group("date") and not m.group("item")
        rest = line[m.end() : m.end() + _DECISION_LOOKAHEAD].strip()
        return bool(bare) and not opens_with_decision(rest or next_line)

    if (m := _LINE_HEAD.match(line)) and not bare_code_without_decision(m):
        return [head(m, 0)]
    if (m := _DATED_LINE.match(line)) and m.group("date"):
        return [head(m, 0)]
    heads = []
    if (m := _INLINE_START.match(line)) and not bare_code_without_decision(m):
        heads.append(head(m, 0))
    for m in _INLINE_MID.finditer(line):
        if (not heads or m.start() >= heads[-1].end) and not bare_code_without_decision(m):
            heads.append(head(m, m.start()))
    return heads


def split_trail(lines: list[str]) -> tuple[list[str], list[Step]]:
    """The lines before the trail (a line cut where an inline step starts) and the trail's steps.

    Returns `(lines, [])` when the lines quote no earlier body's decision.
    """
    next_lines = [""] * len(lines)  # the next non-empty line after each line
    for i in range(len(lines) - 2, -1, -1):
        next_lines[i] = lines[i + 1] if lines[i + 1].strip() else next_lines[i + 1]
    heads = [head for i, line in enumerate(lines) for head in _heads_in_line(i, line, next_lines[i])]
    if not heads:
        return lines, []
    first = heads[0]
    before = lines[: first.line]
    if prefix := lines[first.line][: first.start].strip():
        before = [*before, prefix]
    steps = []
    for n, head in enumerate(heads):
        following = heads[n + 1] if n + 1 < len(heads) else None
        steps.append(_step(head, _text_between(lines, head, following)))
    return before, steps


def parse_steps(lines: list[str]) -> list[Step]:
    """Trail steps only (a "Historik" section); text before the first step is not part of the trail."""
    return split_trail(lines)[1]


def step_from_section(body: str, text: str) -> Step:
    """A step for a "Beslutning i <other body>" section."""
    return Step(body=body, date=None, item=None, text=text, outcome=outcome_of(text))


def _text_between(lines: list[str], head: _Head, following: _Head | None) -> str:
    stop_line = following.line if following else len(lines)
    if following is not None and following.line == head.line:
        return lines[head.line][head.end : following.start].strip()
    parts = [lines[head.line][head.end :].strip()]
    parts += lines[head.line + 1 : stop_line]
    if following is not None:
        parts.append(lines[following.line][: following.start].strip())
    return "\n".join(p for p in parts if p)


def _step(head: _Head, text: str) -> Step:
    return Step(
        body=head.body,
        date=parse_date(head.date or ""),
        item=int(head.item) if head.item else None,
        text=text,
        outcome=outcome_of(text),
    )
