"""Recommendations ("X indstiller, at …" clauses), and the Indstilling split from the trail quoted after it.

The Indstilling comes as "Social- og Sundhedsforvaltningen indstiller," followed by "at …" clauses (numbered,
bulleted or plain), or as clauses with no proposer line at all. A case that passed other bodies quotes their
decisions in order after it (`importer._parse_trail`): "Teknik- og Miljøudvalget, 10. september 2019, pkt. 65:"
then "Anbefales.".
"""

from __future__ import annotations

import re

from importer._parse_trail import split_trail
from importer.records import Recommendation, Step

_CLAUSE = re.compile(r"^(?:(?:\d{1,2}|[a-z])[.)]\s*|[-–•·*▪]\s*)?(?P<clause>[Aa]t(?:\s.*)?)$")
_PROPOSER = re.compile(r"\bindstiller\b")
_AFTER_PROPOSER = re.compile(
    r"^(?:\s+(?:derfor|hermed|samtidig|endvidere|således))?(?:\s+til\s+[^,:]{1,80}?(?=\s*[,:]|\s+at\b))?\s*[,:]?\s*"
)
_SENTENCE_BOUNDARY = re.compile(r".*[.!?:;]\s+")
MAX_PROPOSER_WORDS = 8


def parse_indstilling(lines: list[str]) -> tuple[list[Recommendation], list[Step]]:
    """Split an Indstilling section into its recommendations and the trail steps quoted after them."""
    before, steps = split_trail(lines)
    return _recommendations(before), steps


def recommendations_in_text(lines: list[str]) -> list[Recommendation]:
    """The "X indstiller, at …" paragraph of a section without an Indstilling heading (old protocols), if any.

    Takes the proposer's line and the "at …" clauses directly after it; the rest of the section is not part of it.
    """
    for i, line in enumerate(lines):
        proposer = _proposer(line)
        if proposer is None:
            continue
        block = [line]
        for following in lines[i + 1 :]:
            if not _CLAUSE.match(following):
                break
            block.append(following)
        return _recommendations(block)
    return []


def _recommendations(lines: list[str]) -> list[Recommendation]:
    by: str | None = None
    recs: list[Recommendation] = []
    clause: list[str] = []
    clause_by: str | None = None
    loose: list[str] = []

    def flush() -> None:
        if clause:
            recs.append(Recommendation(by=clause_by, text=" ".join(clause)))
            clause.clear()

    for line in lines:
        proposer = _proposer(line)
        if proposer:
            flush()
            by, rest = proposer
            line = rest
            if not line:
                continue
        m = _CLAUSE.match(line)
        if m:
            flush()
            clause.append(m.group("clause"))
            clause_by = by
        elif clause:
            clause.append(line)
        else:
            loose.append(line)
    flush()
    if not recs and loose:
        # A recommendation without "at" clauses ("Meddelelsespunktet forelægges til orientering.") is still one.
        recs.append(Recommendation(by=by, text=" ".join(loose)))
    return recs


def proposer_start(line: str) -> int | None:
    """Where in the line a plausible "X indstiller" sentence begins (its proposer's first letter), else None."""
    if _proposer(line) is None:
        return None
    before = line[: _PROPOSER.search(line).start()]
    boundary = _SENTENCE_BOUNDARY.match(before)
    start = boundary.end() if boundary else 0
    return start + len(before[start:]) - len(before[start:].lstrip())


def _proposer(line: str) -> tuple[str, str] | None:
    """`(by, rest)` when the line holds "X indstiller[, at …]" with a plausible proposer X, else None."""
    m = _PROPOSER.search(line)
    if not m:
        return None
    before = line[: m.start()]
    boundary = _SENTENCE_BOUNDARY.match(before)
    by = before[boundary.end() :] if boundary else before
    by = by.strip().rstrip(",")
    words = by.split()
    if not words or len(words) > MAX_PROPOSER_WORDS or not by[0].isupper():
        return None
    after = line[m.end() :]
    rest = after[_AFTER_PROPOSER.match(after).end() :].strip()
    return by, rest
