"""Parse a committee protocol (referat) as Rødovre exports it into the records of `importer.records`.

Pure Python, no Django: the loader, the `parse_protocol` command and the upload service all call `parse_protocol`.
A protocol is the committee name, the date (DD-MM-YYYY), the members and absentees and the announced range
("Sager 29 - 34"); then per case a title line, "Sag nr. N", "Beslutningskompetence: X" and sections under fixed
headings; then a closing line ("Protokollen oplæst. Mødet afsluttet kl. 15.45"). The real exports in
`fixtures/protocols/` and the hand-written ones in `tests/protocols/` show how far they stray from that. The pieces
live in the `_parse_*` modules: lines (`_parse_lines`), header (`_parse_header`), glued titles (`_parse_titles`),
case bodies (`_parse_case`), recommendations and trail (`_parse_indstilling`), outcomes and dates (`_parse_outcome`).

The parser only ever returns a `Protocol` or raises `ProtocolError`; any other exception is a bug.
"""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from importer._parse_case import CaseHead, parse_case
from importer._parse_header import MAX_RANGE, Header, is_header_structural, parse_header
from importer._parse_lines import (
    AUTHORITY_LINE,
    BILAG_START,
    CASE_LINE,
    Line,
    closing_time,
    decision_body,
    heading_of,
    is_artefact,
    split_authority,
    split_lines,
)
from importer._parse_titles import split_glued_title
from importer.decode import decode, normalise
from importer.records import (
    AGENDA,
    MINUTES,
    Absence,
    CaseRecord,
    ErrorCode,
    ParseWarning,
    Protocol,
    ProtocolError,
    WarningCode,
    case_to_json,
)

__all__ = ["parse_protocol", "protocol_to_dict", "split_authority"]


def parse_protocol(data: bytes | str) -> Protocol:
    """Parse a protocol from its file bytes (decoded by `importer.decode.decode`) or from already decoded text.

    Raises `ProtocolError` with a line number when the file cannot be read as a protocol (not text, no date, no
    cases, a duplicate case number, a "Sag nr." without a title); everything the parser coped with is reported in
    `Protocol.warnings`.
    """
    if isinstance(data, str):
        text, encoding = normalise(data), "utf-8"
        if not text.strip():
            if not data:
                raise ProtocolError(ErrorCode.EMPTY, "the file is empty")
            raise ProtocolError(ErrorCode.BLANK, "the file holds only whitespace")
    else:
        text, encoding = decode(bytes(data))
    return _parse(split_lines(text), encoding)


def protocol_to_dict(p: Protocol) -> dict[str, Any]:
    """What `manage.py parse_protocol` prints: plain types only, ready for `json.dumps`.

    Its keys are a published contract (tests/test_parse_variants.py pins them; keys are only ever added), so it
    leaves out what scripts never needed (line numbers, warning codes); `importer.records.protocol_to_json` is the
    lossless form.
    """
    return {
        "committee": p.committee,
        "date": p.date.isoformat(),
        "kind": p.kind,
        "term": p.term,
        "ended_at": p.ended_at.strftime("%H:%M") if p.ended_at else None,
        "first_case": p.first_case,
        "last_case": p.last_case,
        "members": [
            {"name": m.name, "party": m.party, "chair": m.chair, "substitute_for": m.substitute_for} for m in p.members
        ],
        "absent": [{"name": a.name, "party": a.party, "cases": list(a.cases)} for a in p.absent],
        "cases": [_case_to_dict(c) for c in p.cases],
        "warnings": [str(w) for w in p.warnings],
    }


def _case_to_dict(c: CaseRecord) -> dict[str, Any]:
    # The published contract leaves out what scripts never needed (the closed flag, source lines).
    return {key: value for key, value in case_to_json(c).items() if key not in ("closed", "line")}


def _parse(lines: list[Line], encoding: str) -> Protocol:
    starts = [i for i, line in enumerate(lines) if CASE_LINE.match(line.text)]
    last_no = lines[-1].no if lines else 0
    if not starts:
        parse_header(lines, last_no)  # a file with neither date nor cases is reported as missing its date first
        raise ProtocolError(
            ErrorCode.NO_CASES, "expected at least one case (a line 'Sag nr. N') before the end of the file", last_no
        )
    _check_titles(lines, starts)
    header = parse_header(lines[: starts[0] - 1], lines[starts[0] - 1].no)
    end, ended_at, warnings = _closing(lines, starts[-1])
    warnings = header.warnings + warnings
    cases = _cases(lines[:end], starts, header, warnings)
    warnings += _range_warnings(header, cases)
    kind = header.kind or _kind(cases, closed=end < len(lines))
    if kind == AGENDA:  # an agenda has no decisions yet: not a thing to check
        warnings = [w for w in warnings if w.code != WarningCode.NO_DECISION]
    return Protocol(
        committee=header.committee,
        date=header.date,
        meeting_title=header.meeting_title,
        term=header.term,
        kind=kind,
        ended_at=ended_at,
        first_case=header.first_case,
        last_case=header.last_case,
        members=tuple(header.members),
        absent=tuple(_absences(header, cases)),
        cases=tuple(cases),
        warnings=tuple(warnings),
        encoding=encoding,
    )


def _kind(cases: list[CaseRecord], *, closed: bool) -> str:
    """An agenda is the same export before the meeting: no case has a Beslutning section and the meeting has no
    closing line ("Mødet afsluttet …"). Anything else is minutes (whose missing decisions are warned about)."""
    if closed or any(c.decision or any(_is_decision_heading(s.heading) for s in c.sections) for c in cases):
        return MINUTES
    return AGENDA


def _is_decision_heading(heading: str) -> bool:
    return heading.casefold() == "beslutning" or decision_body(heading) is not None


def _check_titles(lines: list[Line], starts: list[int]) -> None:
    """Every "Sag nr." needs a title line right before it that is not itself structure."""
    previous_start = -1
    for start in starts:
        number = CASE_LINE.match(lines[start].text).group(1)
        t = start - 1
        if t <= previous_start or _is_structure(lines[t].text) or (previous_start < 0 and t == 0):
            raise ProtocolError(ErrorCode.NO_TITLE, f"'Sag nr. {number}' has no title line before it", lines[start].no)
        previous_start = start


def _is_structure(text: str) -> bool:
    return bool(
        heading_of(text) is not None
        or AUTHORITY_LINE.match(text)
        or is_artefact(text)
        or is_header_structural(text)
        or closing_time(text)[0]
    )


def _closing(lines: list[Line], last_start: int) -> tuple[int, dt.time | None, list[ParseWarning]]:
    """Index where the last case ends, the closing time, and warnings about text after the closing line."""
    for i in range(last_start + 1, len(lines)):
        is_closing, time, invalid = closing_time(lines[i].text)
        if not is_closing:
            continue
        warnings = []
        if invalid:
            warnings.append(
                ParseWarning(
                    WarningCode.CLOSING_TIME, f"invalid closing time: {lines[i].text}", lines[i].no, quote=lines[i].text
                )
            )
        # Signatures and the like after the closing line are not part of the last case; keep their words.
        warnings += [
            ParseWarning(
                WarningCode.TEXT_AFTER_CLOSING, f"text after the closing line: {line.text}", line.no, quote=line.text
            )
            for line in lines[i + 1 :]
            if not closing_time(line.text)[0]
        ]
        return i, time, warnings
    return len(lines), None, []


def _cases(lines: list[Line], starts: list[int], header: Header, warnings: list[ParseWarning]) -> list[CaseRecord]:
    """Cut the lines into cases, splitting titles glued onto "Bilag" lines, and parse each case."""
    heads: list[CaseHead] = []
    bodies: list[list[Line]] = []
    seen: set[int] = set()
    for j, start in enumerate(starts):
        m = CASE_LINE.match(lines[start].text)
        number = int(m.group(1))
        if number in seen:
            raise ProtocolError(ErrorCode.DUPLICATE_CASE, f"duplicate case number {number}", lines[start].no)
        seen.add(number)
        end = starts[j + 1] - 1 if j + 1 < len(starts) else len(lines)
        title_line = lines[start - 1]
        title = title_line.text
        if j > 0 and BILAG_START.match(title):
            title = _split_title(title_line, heads[-1], bodies[-1], lines[start + 1 : end], number, warnings)
        heads.append(CaseHead(number, title, m.group(2), lines[start].no))
        bodies.append(list(lines[start + 1 : end]))
    records = []
    for head, body in zip(heads, bodies, strict=True):
        record, case_warnings = parse_case(head, body, header.committee)
        records.append(record)
        warnings += case_warnings
    return records


def _split_title(
    glued: Line,
    previous: CaseHead,
    previous_body: list[Line],
    own_body: list[Line],
    number: int,
    warnings: list[ParseWarning],
) -> str:
    """Split the next case's title off the previous case's last Bilag line; fix that line in `previous_body`."""
    m = BILAG_START.match(glued.text)
    previous_text = "\n".join(line.text for line in previous_body)
    own_text = "\n".join(line.text for line in own_body)
    split = split_glued_title(
        glued.text[m.end() :], previous.title, previous_text, own_text, untitled_allowed=m.group(2) is not None
    )
    if split is None:
        raise ProtocolError(ErrorCode.NO_TITLE, f"'Sag nr. {number}' has no title line before it", glued.no)
    previous_body.append(Line(glued.no, (glued.text[: m.end()] + split.attachment).strip()))
    if split.guess:
        warnings.append(
            ParseWarning(
                WarningCode.TITLE_SPLIT_GUESS,
                f"guessed where the title of sag {number} starts in the Bilag line: {glued.text}",
                glued.no,
                number,
                quote=glued.text,
            )
        )
    return split.title


def _absences(header: Header, cases: list[CaseRecord]) -> list[Absence]:
    if header.first_case is not None and header.last_case - header.first_case <= MAX_RANGE:
        all_cases = tuple(range(header.first_case, header.last_case + 1))
    else:
        all_cases = tuple(sorted(c.number for c in cases))
    return [
        Absence(
            name=a.name,
            party=a.party,
            cases=a.cases if a.cases is not None else all_cases,
            line=a.line,
            chair=a.marker == "formand",
            vice_chair=a.marker == "næstformand",
        )
        for a in header.absences
    ]


def _range_warnings(header: Header, cases: list[CaseRecord]) -> list[ParseWarning]:
    warnings = []
    numbers = [c.number for c in cases]
    if any(a >= b for a, b in itertools.pairwise(numbers)):
        warnings.append(ParseWarning(WarningCode.CASE_ORDER, "the case numbers are not in ascending order"))
    if header.first_case is None:
        return warnings
    if header.last_case - header.first_case > MAX_RANGE:
        warnings.append(ParseWarning(WarningCode.ANNOUNCED_RANGE, "the announced case range is implausibly long"))
        return warnings
    announced = range(header.first_case, header.last_case + 1)
    warnings += [
        ParseWarning(WarningCode.MISSING_CASE, f"sag {n} is announced but missing", case=n)
        for n in announced
        if n not in numbers
    ]
    warnings += [
        ParseWarning(WarningCode.UNANNOUNCED_CASE, f"sag {n} is outside the announced range", c.line, n)
        for c in cases
        if (n := c.number) not in announced
    ]
    return warnings
