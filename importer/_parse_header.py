"""The protocol header: committee, date, members, absences and the announced case range.

The header is everything before the first case's title line. Members are only ever listed here; lines of the same
shape further down (a list of the newly elected, say) are case text.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from importer._parse_lines import Line, is_artefact
from importer._parse_outcome import MONTHS
from importer.records import AGENDA, MINUTES, ErrorCode, Member, ParseWarning, ProtocolError, WarningCode

# "Konstituerende møde i Kommunalbestyrelsen", "Ekstraordinært møde i Økonomiudvalget": the line names a meeting.
_MEETING_OF = re.compile(r"^(?:[\w\-]+\s+)*?møde\s+i\s+(?P<committee>\S.*)$", re.IGNORECASE)
_NUMERIC_DATE = re.compile(r"^(?:[A-Za-zæøåÆØÅ]+dag\s+)?(?:den\s+)?(\d{1,2})-(\d{1,2})-(\d{4})(?:\b|$)")
_WORD_DATE = re.compile(
    r"^(?:[A-Za-zæøåÆØÅ]+dag\s+)?(?:den\s+)?(\d{1,2})\.\s*([a-zæøå]+)\s+(\d{4})(?:\b|$)", re.IGNORECASE
)
_ANNOUNCED = re.compile(
    r"^Sager\s+(\d{1,6})\s*(?:\(([^()]{1,40})\))?\s*[-–]\s*(\d{1,6})\s*(?:\(([^()]{1,40})\))?\.?$", re.IGNORECASE
)
# "Klima- og Naturudvalget 2018-25", "Beskæftigelsesudvalget 2025": the committee, then its election term.
_TERM = re.compile(r"^(?P<name>.*[^\W\d_].*?)\s+(?P<term>(?:19|20)\d{2}(?:\s*[-–/]\s*(?:(?:19|20)\d{2}|\d{2}))?)$")
# A line saying what the document is: "Dagsorden" (the agenda, before the meeting) or "Referat" (its minutes).
_KIND_LINE = re.compile(r"^(?P<kind>Dagsorden|Referat|Beslutningsprotokol)\s*:?$", re.IGNORECASE)
_MEMBERS_HEADING = re.compile(r"^(?:Medlemmer|Deltagere|Til stede|Tilstede)\s*:?$", re.IGNORECASE)
_ABSENT_HEADING = re.compile(r"^(?P<head>Fraværende|Afbud)(?:\s+med\s+afbud)?\s*:?\s*(?P<rest>.*)$", re.IGNORECASE)
_PERSON = re.compile(
    r"^(?:(?P<marker>Formand|Næstformand)\s*:?\s+)?"
    r"(?P<name>[^\W\d_][^()]{0,80}?)\s*\(\s*(?P<party>[A-ZÆØÅ]{1,3})\s*\)(?P<rest>.*)$"
)
_SUFFIX_MARKER = re.compile(r"^[\s,;:\-–(]*(?P<marker>formand|næstformand)\b[\s.)]*$", re.IGNORECASE)
_SUBSTITUTE = re.compile(
    r"^[\s,;:\-–(]*suppleant\s+for\s+(?P<name>[^()]+?)\s*(?:\(\s*[A-ZÆØÅ]{1,3}\s*\))?[\s.)]*$", re.IGNORECASE
)
_CASE_LIST = re.compile(
    r"^[\s,;:\-–(]*(?:fra\s+)?(?:sag|sager|sagerne|pkt\.?|punkt|punkterne)\s*(?:nr\.?\s*)?"
    r"(?P<list>\d{1,6}(?:\s*(?:[-–,]|og)\s*\d{1,6})*)[\s.)]*$",
    re.IGNORECASE,
)
_BARE_NAME = re.compile(r"^(?:[A-ZÆØÅ][\w\-.']*)(?:\s+[A-ZÆØÅa-zæøå][\w\-.']*){1,5}$")
# An absence range longer than this is a typo, not a meeting.
MAX_RANGE = 500


@dataclass(frozen=True)
class HeaderAbsence:
    """An absence line; `cases` stays None (the whole meeting) until the cases are known."""

    name: str
    party: str | None
    cases: tuple[int, ...] | None
    line: int
    marker: str = ""  # "formand" or "næstformand" when the line kept the role


@dataclass
class Header:
    """What the header says; absences keep their case lists unresolved until the cases are known."""

    committee: str
    meeting_title: str | None
    date: dt.date
    term: str | None = None
    kind: str | None = None  # AGENDA or MINUTES when a line says so, else None
    first_case: int | None = None
    last_case: int | None = None
    members: list[Member] = field(default_factory=list)
    absences: list[HeaderAbsence] = field(default_factory=list)
    warnings: list[ParseWarning] = field(default_factory=list)


def parse_header(lines: list[Line], end_line: int) -> Header:
    """Read the header lines (all lines before the first case's title); `end_line` is that title's line number."""
    if not lines:  # the callers never pass none; kept so that the parser raises nothing but ProtocolError
        raise ProtocolError(ErrorCode.NO_COMMITTEE, "expected the committee name before the first case", end_line)
    committee, meeting_title, term = _committee(lines[0])
    header = Header(committee=committee, meeting_title=meeting_title, term=term, date=dt.date.min)
    date_found = False
    state = "preamble"
    for line in lines[1:]:
        text = line.text
        if not date_found and (date := _date(line)):
            header.date, date_found = date, True
        elif is_artefact(text):
            continue
        elif (m := _KIND_LINE.match(text)) and header.kind is None:
            header.kind = AGENDA if m.group("kind").casefold() == "dagsorden" else MINUTES
        elif _MEMBERS_HEADING.match(text):
            state = "members"
        elif m := _ABSENT_HEADING.match(text):
            state = "absent"
            if m.group("rest"):
                _absence(header, Line(line.no, m.group("rest")))
        elif m := _ANNOUNCED.match(text):
            header.first_case, header.last_case = sorted((int(m.group(1)), int(m.group(3))))
            state = "after"
        elif state == "absent":
            _absence(header, line)
        elif state in ("members", "preamble"):
            _member(header, line, strict=state == "preamble")
        else:
            _unknown(header, line)
    if not date_found:
        raise ProtocolError(ErrorCode.NO_DATE, "expected the meeting date (DD-MM-YYYY) before the first case", end_line)
    return header


def is_header_structural(text: str) -> bool:
    """A header line that can never be a case title: a date, a list heading, the announced range."""
    if _NUMERIC_DATE.match(text) or _MEMBERS_HEADING.match(text) or _ANNOUNCED.match(text):
        return True
    m = _ABSENT_HEADING.match(text)
    return bool(m and not m.group("rest"))


def _committee(line: Line) -> tuple[str, str | None, str | None]:
    """(committee, meeting title, election term) from the first line."""
    if _date(line) or line.text.startswith("Sag nr"):
        raise ProtocolError(ErrorCode.NO_COMMITTEE, "expected the committee name on the first line", line.no)
    text, term = line.text, None
    if t := _TERM.match(text):
        text, term = t.group("name").strip(), re.sub(r"\s*[–/]\s*|\s*-\s*", "-", t.group("term"))
    m = _MEETING_OF.match(text)
    if m:
        return m.group("committee").strip(), text, term
    return text, None, term


def _date(line: Line) -> dt.date | None:
    m = _NUMERIC_DATE.match(line.text)
    if m:
        day, month, year = int(m.group(1)), int(m.group(2)), int(m.group(3))
    else:
        m = _WORD_DATE.match(line.text)
        if not m or m.group(2).casefold() not in MONTHS:
            return None
        day, month, year = int(m.group(1)), MONTHS[m.group(2).casefold()], int(m.group(3))
    try:
        return dt.date(year, month, day)
    except ValueError as exc:
        raise ProtocolError(ErrorCode.INVALID_DATE, f"invalid meeting date {m.group(0)!r}", line.no) from exc


def _member(header: Header, line: Line, *, strict: bool) -> None:
    m = _PERSON.match(line.text)
    if not m:
        # Under "Medlemmer" a bare name is a member whose party the clerk left out.
        if not strict and _BARE_NAME.match(line.text):
            header.members.append(Member(name=line.text, party=None, line=line.no))
        else:
            _unknown(header, line)
        return
    marker = (m.group("marker") or "").casefold()
    rest = m.group("rest")
    substitute_for = None
    if rest.strip():
        if sm := _SUFFIX_MARKER.match(rest):
            marker = marker or sm.group("marker").casefold()
        elif sub := _SUBSTITUTE.match(rest):
            substitute_for = sub.group("name").strip()
        else:
            _unknown(header, line)
            return
    header.members.append(
        Member(
            name=m.group("name").strip(),
            party=m.group("party"),
            chair=marker == "formand",
            vice_chair=marker == "næstformand",
            substitute_for=substitute_for,
            line=line.no,
        )
    )


def _absence(header: Header, line: Line) -> None:
    m = _PERSON.match(line.text)
    if not m:
        if _BARE_NAME.match(line.text):
            header.absences.append(HeaderAbsence(line.text, None, None, line.no))
        else:
            _unknown(header, line)
        return
    rest = m.group("rest")
    marker = (m.group("marker") or "").casefold()
    cases: tuple[int, ...] | None = None
    if sm := _SUFFIX_MARKER.match(rest):
        marker = marker or sm.group("marker").casefold()
    elif rest.strip():
        listed = _CASE_LIST.match(rest)
        cases = case_list(listed.group("list")) if listed else None
        if not cases:
            _unknown(header, line)
            return
    header.absences.append(HeaderAbsence(m.group("name").strip(), m.group("party"), cases, line.no, marker))


def case_list(text: str) -> tuple[int, ...] | None:
    """Case numbers of "30, 32-33" / "29-34" / "30 og 31", sorted and unique; None when a range is implausible."""
    numbers: set[int] = set()
    for part in re.split(r"\s*(?:,|og)\s*", text):
        if not part:
            continue
        bounds = [int(n) for n in re.findall(r"\d+", part)]
        low, high = min(bounds), max(bounds)
        if high - low > MAX_RANGE:
            return None
        numbers.update(range(low, high + 1))
    return tuple(sorted(numbers))


def _unknown(header: Header, line: Line) -> None:
    # Kept as a warning so that no header text is lost silently.
    header.warnings.append(
        ParseWarning(WarningCode.HEADER_LINE, f"unrecognised header line: {line.text}", line.no, quote=line.text)
    )
