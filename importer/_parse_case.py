"""One case's body: authority, closed flag, sections, recommendations, trail, decision and attachments."""

from __future__ import annotations

from dataclasses import dataclass

from importer._parse_indstilling import parse_indstilling, parse_steps, recommendations_in_text, step_from_section
from importer._parse_lines import AUTHORITY_LINE, BILAG_START, CLOSED_MARK, Line, decision_body, heading_of, is_artefact
from importer._parse_outcome import outcome_of
from importer.records import (
    AttachmentRef,
    CaseRecord,
    Decision,
    ParseWarning,
    Recommendation,
    Section,
    Step,
    WarningCode,
)

# Sections searched, in order, for an "X indstiller, at …" paragraph when a case has no Indstilling heading.
_FALLBACK_RECOMMENDATION_SECTIONS = ("sagens kerne", "", "resumé", "sagsfremstilling")


@dataclass(frozen=True)
class CaseHead:
    """What stands on and above the "Sag nr." line: number, title, reference, line number."""

    number: int
    title: str
    reference: str | None
    line: int


def parse_case(head: CaseHead, body: list[Line], committee: str) -> tuple[CaseRecord, list[ParseWarning]]:
    """Build the case record from the lines after its "Sag nr." line (up to the next case's title)."""
    warnings: list[ParseWarning] = []
    authority, closed, preamble, rest = _preamble(body)
    sections = _sections(rest)
    if preamble:
        warnings.append(
            ParseWarning(
                WarningCode.TEXT_OUTSIDE_SECTION, "text before the first section heading", preamble[0].no, head.number
            )
        )
        sections.insert(0, ("", preamble))
    texts = [(heading, [line.text for line in lines]) for heading, lines in sections]
    recommendations, history = _recommendations_and_history(texts, committee)
    decision = _decision(texts, committee)
    if decision is None:
        warnings.append(
            ParseWarning(WarningCode.NO_DECISION, f"sag {head.number} has no decision", head.line, head.number)
        )
    record = CaseRecord(
        number=head.number,
        title=head.title,
        authority=authority,
        reference=head.reference,
        closed=closed or "lukket punkt" in head.title.casefold(),
        sections=tuple(Section(heading, "\n".join(lines)) for heading, lines in texts),
        recommendations=tuple(recommendations),
        history=tuple(history),
        decision=decision,
        attachments=tuple(_attachments(texts)),
        line=head.line,
    )
    return record, warnings


def _preamble(body: list[Line]) -> tuple[str | None, bool, list[Line], list[Line]]:
    """Authority and closed flag from the lines before the first heading; other such lines; the remaining lines."""
    authority: str | None = None
    closed = False
    loose: list[Line] = []
    i = 0
    while i < len(body) and heading_of(body[i].text) is None:
        text = body[i].text
        m = AUTHORITY_LINE.match(text)
        if m and authority is None:
            authority = m.group(1).strip()
            # "Beslutningskompetence" alone: the value stands on the next line.
            if not authority and i + 1 < len(body) and heading_of(body[i + 1].text) is None:
                i += 1
                authority = body[i].text
        elif CLOSED_MARK.match(text):
            closed = True
        elif not is_artefact(text):
            loose.append(body[i])
        i += 1
    return authority or None, closed, loose, body[i:]


def _sections(lines: list[Line]) -> list[tuple[str, list[Line]]]:
    sections: list[tuple[str, list[Line]]] = []
    for line in lines:
        heading = heading_of(line.text)
        if heading is not None:
            sections.append((heading, []))
        elif not is_artefact(line.text):
            sections[-1][1].append(line)
    return sections


def _recommendations_and_history(
    sections: list[tuple[str, list[str]]], committee: str
) -> tuple[list[Recommendation], list[Step]]:
    recommendations: list[Recommendation] = []
    history: list[Step] = []
    has_indstilling = False
    for heading, lines in sections:
        key = heading.casefold()
        if key == "indstilling":
            has_indstilling = True
            recs, steps = parse_indstilling(lines)
            recommendations += recs
            history += steps
        elif key == "historik":
            history += parse_steps(lines)
        elif (body := decision_body(heading)) and not _same_body(body, committee):
            history.append(step_from_section(body, "\n".join(lines)))
    if not has_indstilling:
        for wanted in _FALLBACK_RECOMMENDATION_SECTIONS:
            for heading, lines in sections:
                if heading.casefold() == wanted and not recommendations:
                    recommendations = recommendations_in_text(lines)
    return recommendations, history


def _decision(sections: list[tuple[str, list[str]]], committee: str) -> Decision | None:
    candidates = [
        "\n".join(lines)
        for heading, lines in sections
        if heading.casefold() == "beslutning" or _same_body(decision_body(heading), committee)
    ]
    text = next((t for t in candidates if t.strip()), None)
    return Decision(text=text, outcome=outcome_of(text)) if text else None


def _same_body(body: str | None, committee: str) -> bool:
    return bool(body) and body.casefold() == committee.casefold()


def _attachments(sections: list[tuple[str, list[str]]]) -> list[AttachmentRef]:
    attachments = []
    for heading, lines in sections:
        if heading.casefold() != "bilag":
            continue
        for line in lines:
            m = BILAG_START.match(line)
            if m and line[m.end() :].strip():
                attachments.append(AttachmentRef(int(m.group(1)), line[m.end() :].strip()))
    return attachments
