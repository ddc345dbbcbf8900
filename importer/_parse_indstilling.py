"""Recommendations ("X indstiller, at …" clauses) and the decision trail of earlier bodies.

The Indstilling comes as "Social- og Sundhedsforvaltningen indstiller," followed by "at …" clauses (numbered,
bulleted or plain), or as clauses with no proposer line at all. A case that passed other bodies quotes their
decisions in order before its own: "Teknik- og Miljøudvalget, 10. september 2019, pkt. 65:" then "Anbefales.".
"""

from __future__ import annotations

import re

from importer._parse_outcome import outcome_of, parse_date
from importer.records import Recommendation, Step

# "Teknik- og Miljøudvalget, 10. september 2019, pkt. 65:", "Beslutning fra Økonomiudvalget, 11. juni 2025, pkt.
# 106:", "Økonomiudvalget:", "ØU:". The name must end like a decision-making body, so ordinary sentences ending in
# a colon ("Spørgeskemaet skal afdække, hvorvidt borgerne oplever:") are not mistaken for a step.
_STEP = re.compile(
    r"^(?:[Bb]eslutning\s+(?:fra|i)\s+)?"
    r"(?P<body>(?:[A-ZÆØÅ][\w\-]*\s+(?:og\s+|for\s+)?){0,4}[A-ZÆØÅ][\w\-]*"
    r"(?:udvalget|udvalg|bestyrelsen|bestyrelse|rådet|råd)|[A-ZÆØÅ]{2,4})"
    r"(?:\s*,?\s*(?:den\s+)?(?P<date>\d{1,2}[-./]\d{1,2}[-./]\d{4}|\d{1,2}\.\s*[a-zæøå]{3,9}\.?\s+\d{4}))?"
    r"(?:\s*,?\s*(?:pkt\.?|punkt|sag\s+nr\.?)\s*(?P<item>\d{1,6}))?\s*:$"
)
_CLAUSE = re.compile(r"^(?:(?:\d{1,2}|[a-z])[.)]\s*|[-–•·*▪]\s*)?(?P<clause>[Aa]t(?:\s.*)?)$")
_PROPOSER = re.compile(r"\bindstiller\b")
_AFTER_PROPOSER = re.compile(
    r"^(?:\s+(?:derfor|hermed|samtidig|endvidere|således))?(?:\s+til\s+[^,:]{1,80}?(?=\s*[,:]|\s+at\b))?\s*[,:]?\s*"
)
_SENTENCE_BOUNDARY = re.compile(r".*[.!?:;]\s+")
MAX_PROPOSER_WORDS = 8


def parse_indstilling(lines: list[str]) -> tuple[list[Recommendation], list[Step]]:
    """Split an Indstilling section into its recommendations and the trail steps quoted after them."""
    first_step = next((i for i, line in enumerate(lines) if _STEP.match(line)), len(lines))
    return _recommendations(lines[:first_step]), parse_steps(lines[first_step:])


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


def parse_steps(lines: list[str]) -> list[Step]:
    """Trail steps: each step header line and the lines up to the next header, as the body's decision text."""
    steps: list[Step] = []
    header: re.Match[str] | None = None
    body: list[str] = []
    for line in lines:
        m = _STEP.match(line)
        if m:
            if header:
                steps.append(_step(header, body))
            header, body = m, []
        elif header:
            body.append(line)
    if header:
        steps.append(_step(header, body))
    return steps


def step_from_section(body: str, text: str) -> Step:
    """A step for a "Beslutning i <other body>" section."""
    return Step(body=body, date=None, item=None, text=text, outcome=outcome_of(text))


def _step(header: re.Match[str], lines: list[str]) -> Step:
    text = "\n".join(lines)
    item = header.group("item")
    return Step(
        body=header.group("body").strip(),
        date=parse_date(header.group("date") or ""),
        item=int(item) if item else None,
        text=text,
        outcome=outcome_of(text),
    )


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
