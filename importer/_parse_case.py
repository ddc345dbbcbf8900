"""One case's body: authority, closed flag, sections, recommendations, trail, decision and attachments."""

from __future__ import annotations

from dataclasses import dataclass, replace

from importer._parse_indstilling import parse_indstilling, proposer_start, recommendations_in_text
from importer._parse_lines import AUTHORITY_LINE, BILAG_START, CLOSED_MARK, Line, decision_body, heading_of, is_artefact
from importer._parse_outcome import followed_of, outcome_of
from importer._parse_trail import parse_steps, split_trail, step_from_section
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
# Sections whose quoted decisions of earlier bodies ("Økonomiudvalget: Anbefales.") are the trail when a case has no
# Indstilling heading (protocols before about 2012). Sagsfremstilling is not one: it narrates earlier decisions.
_FALLBACK_TRAIL_SECTIONS = ("sagens kerne", "", "resumé")
_DECISION_HEADING = "beslutning"


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
    decision = _decision(texts, committee, recommendations)
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
    """The sections in source order. A second "Beslutning" heading continues the first section of that name (some
    exports repeat the heading before votes and notes), so a case has one decision, written where it first stood.
    """
    sections: list[tuple[str, list[Line]]] = []
    current: list[Line] = []
    for line in lines:
        heading = heading_of(line.text)
        if heading is not None:
            earlier = None
            if heading.casefold() == _DECISION_HEADING:
                earlier = next((body for h, body in sections if h.casefold() == _DECISION_HEADING), None)
            if earlier is None:
                earlier = []
                sections.append((heading, earlier))
            current = earlier
        elif not is_artefact(line.text):
            current.append(line)
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
        # The old layout: "Teknisk Forvaltning indstiller, at …" and the bodies' decisions inside Sagens kerne.
        before_trail: dict[str, list[str]] = {}
        quoted: list[Step] = []
        for heading, lines in sections:
            key = heading.casefold()
            if key in _FALLBACK_TRAIL_SECTIONS and key not in before_trail:
                before_trail[key], steps = split_trail(lines)
                quoted += steps
        for wanted in _FALLBACK_RECOMMENDATION_SECTIONS:
            for heading, lines in sections:
                if heading.casefold() == wanted and not recommendations:
                    recommendations = recommendations_in_text(before_trail.get(wanted, lines))
        if not recommendations:
            quoted, recommendations = _recommendation_after_trail(quoted)
        history += quoted
    return recommendations, history


def _recommendation_after_trail(steps: list[Step]) -> tuple[list[Step], list[Recommendation]]:
    """The steps, and the recommendation that followed one of them in the same paragraph ("Økonomiudvalget:
    Indstilles godkendt. Teknisk Forvaltning indstiller, at …"): a step's text ends where the recommendation starts.
    """
    for n, step in enumerate(steps):
        lines = step.text.split("\n")
        for i, line in enumerate(lines):
            start = proposer_start(line)
            if start is None:
                continue
            recommendations = recommendations_in_text([line[start:], *lines[i + 1 :]])
            if not recommendations:
                continue
            text = "\n".join([*lines[:i], line[:start].strip()]).strip()
            return [*steps[:n], replace(step, text=text, outcome=outcome_of(text)), *steps[n + 1 :]], recommendations
    return steps, []


def _decision(
    sections: list[tuple[str, list[str]]], committee: str, recommendations: list[Recommendation]
) -> Decision | None:
    candidates = [
        "\n".join(lines)
        for heading, lines in sections
        if heading.casefold() == _DECISION_HEADING or _same_body(decision_body(heading), committee)
    ]
    text = next((t for t in candidates if t.strip()), None)
    if not text:
        return None
    outcome = outcome_of(text)
    return Decision(text=text, outcome=outcome, followed=followed_of(text, outcome, [r.text for r in recommendations]))


def _same_body(body: str | None, committee: str) -> bool:
    return bool(body) and body.casefold() == committee.casefold()


def _attachments(sections: list[tuple[str, list[str]]]) -> list[AttachmentRef]:
    attachments = []
    for heading, lines in sections:
        if heading.casefold() != "bilag":
            continue
        for line in lines:
            m = BILAG_START.match(line)
            if m:  # "Bilag 1." alone is an attachment too, one without a title
                attachments.append(AttachmentRef(int(m.group(1)), line[m.end() :].strip()))
    return attachments
