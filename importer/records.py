"""The parsed form of a protocol: frozen dataclasses with no Django dependency.

These records are the contract between the parser (`importer.parse`) and everything that consumes a parse: the
database loader, the `parse_protocol` JSON command and the clerk's upload preview, which stores a parse as JSON
(`protocol_to_json` / `protocol_from_json`) between upload and publish. Bump `FORMAT_VERSION` when a field is
added, removed or changes meaning, so that a stored parse of another version is parsed again rather than misread.

Errors and warnings carry a stable code (`ErrorCode`, `WarningCode`); their `message` is English detail for logs
and the command line. Danish texts for the codes live outside the parser, in `importer.messages`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

# 2: warnings carry `quote`; codes are `ErrorCode`/`WarningCode` members.
# 3: `Protocol.kind` (agenda or minutes) and `term`; `Absence.chair`/`vice_chair`; `Decision.followed`; an
#    attachment's title may be empty ("Bilag 1."); trail steps are also read undated, inline and from Sagens kerne.
FORMAT_VERSION = 3

# What a protocol is: the agenda (dagsorden) published before the meeting, or its minutes (referat).
AGENDA = "agenda"
MINUTES = "minutes"
KINDS = (AGENDA, MINUTES)

# Normalised decision outcomes; the values are the ones stored in `cases.models.Outcome`.
NOTED = "noted"
RECOMMENDED = "recommended"
APPROVED = "approved"
REJECTED = "rejected"
POSTPONED = "postponed"
OTHER = "other"
OUTCOMES = (NOTED, RECOMMENDED, APPROVED, REJECTED, POSTPONED, OTHER)

# Whether a decision followed the recommendation (Indstilling) before it; "" when that cannot be told (no
# recommendation, or a decision the parser cannot classify). REJECTED and POSTPONED are shared with the outcomes.
AS_RECOMMENDED = "as_recommended"
AMENDED = "amended"
FOLLOWED = (AS_RECOMMENDED, AMENDED, REJECTED, POSTPONED)


class ErrorCode(StrEnum):
    """Why a file cannot be read as a protocol."""

    EMPTY = "empty"
    BLANK = "blank"  # only whitespace
    NOT_TEXT = "not-text"
    BAD_ENCODING = "bad-encoding"  # a byte-order mark that the rest of the bytes contradict
    NO_COMMITTEE = "no-committee"
    NO_DATE = "no-date"
    INVALID_DATE = "invalid-date"
    NO_CASES = "no-cases"
    DUPLICATE_CASE = "duplicate-case"
    NO_TITLE = "no-title"  # a "Sag nr." line without a title line before it


class WarningCode(StrEnum):
    """Something the parser coped with but a clerk should check."""

    MISSING_CASE = "missing-case"
    UNANNOUNCED_CASE = "unannounced-case"
    ANNOUNCED_RANGE = "announced-range"
    CASE_ORDER = "case-order"
    NO_DECISION = "no-decision"
    TEXT_OUTSIDE_SECTION = "text-outside-section"
    TITLE_SPLIT_GUESS = "title-split-guess"
    HEADER_LINE = "header-line"
    CLOSING_TIME = "closing-time"
    TEXT_AFTER_CLOSING = "text-after-closing"


class ProtocolError(ValueError):
    """A protocol that cannot be parsed; `line` is 1-based (0 when the problem is the file as a whole).

    `code` says what is wrong; `message` is the English detail.
    """

    def __init__(self, code: ErrorCode, message: str, line: int = 0):
        super().__init__(message)
        self.code = ErrorCode(code)
        self.message = message
        self.line = line

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}" if self.line else self.message


@dataclass(frozen=True)
class ParseWarning:
    """Something the parser coped with but a clerk should check.

    `code` says what (the UI translates it); `message` is an English sentence; `case` is the case number it
    concerns, if any; `quote` is the offending text as printed, when the warning is about one line.
    """

    code: WarningCode
    message: str
    line: int = 0
    case: int | None = None
    quote: str | None = None

    def __str__(self) -> str:
        where = f"line {self.line}: " if self.line else ""
        return f"{where}{self.message}"


@dataclass(frozen=True)
class Member:
    """A member listed as present in the header ("Formand Michel Berg (A)")."""

    name: str
    party: str | None
    chair: bool = False
    vice_chair: bool = False
    substitute_for: str | None = None
    line: int = 0


@dataclass(frozen=True)
class Absence:
    """A member listed under "Fraværende"/"Afbud"; `cases` lists the case numbers missed (all when none given).

    `chair`/`vice_chair`: the line kept the role ("Formand Lis Holm (A), sag 7-15").
    """

    name: str
    party: str | None
    cases: tuple[int, ...]
    line: int = 0
    chair: bool = False
    vice_chair: bool = False


@dataclass(frozen=True)
class Section:
    """One section of a case in source order: the heading as printed and its text (lines joined by newlines)."""

    heading: str
    text: str


@dataclass(frozen=True)
class Recommendation:
    """One "at …" clause of the Indstilling, with the proposer from the "X indstiller," line if there is one."""

    by: str | None
    text: str


@dataclass(frozen=True)
class Step:
    """One earlier body's decision quoted in the case's decision trail (sagsgang).

    A case that went through several bodies quotes their decisions before its own, each under a line such as
    "Teknik- og Miljøudvalget, 10. september 2019, pkt. 65:"; `date` and `item` are None when that line omits them.
    """

    body: str
    date: dt.date | None
    item: int | None
    text: str
    outcome: str


@dataclass(frozen=True)
class Decision:
    """The decision text as printed, its normalised outcome (one of `OUTCOMES`) and whether it followed the
    recommendation (one of `FOLLOWED`, or "" when that cannot be told)."""

    text: str
    outcome: str
    followed: str = ""


@dataclass(frozen=True)
class AttachmentRef:
    """A "Bilag N: title" line; `title` is "" for a bare "Bilag N." line."""

    number: int
    title: str


@dataclass(frozen=True)
class CaseRecord:
    """One case (sag) of the agenda."""

    number: int
    title: str
    authority: str | None = None
    reference: str | None = None
    closed: bool = False
    sections: tuple[Section, ...] = ()
    recommendations: tuple[Recommendation, ...] = ()
    history: tuple[Step, ...] = ()
    decision: Decision | None = None
    attachments: tuple[AttachmentRef, ...] = ()
    line: int = 0


@dataclass(frozen=True)
class Protocol:
    """A whole parsed protocol: the minutes of a meeting or, before it is held, its agenda (`kind`)."""

    committee: str
    date: dt.date
    meeting_title: str | None = None  # the first line when it names the meeting, not only the committee
    term: str | None = None  # the election term the first line names ("Klima- og Naturudvalget 2018-25")
    kind: str = MINUTES
    ended_at: dt.time | None = None
    first_case: int | None = None
    last_case: int | None = None
    members: tuple[Member, ...] = ()
    absent: tuple[Absence, ...] = ()
    cases: tuple[CaseRecord, ...] = ()
    warnings: tuple[ParseWarning, ...] = ()
    encoding: str = "utf-8"
    format_version: int = field(default=FORMAT_VERSION)


# --- the stored form: lossless JSON of a Protocol, for keeping a parse between upload and publish ---------------


def protocol_to_json(p: Protocol) -> dict[str, Any]:
    """Every field of the protocol as plain JSON types; `protocol_from_json` gives back an equal Protocol.

    Unlike `importer.parse.protocol_to_dict` (the command's public output) this keeps everything, codes and line
    numbers included, and names its `format_version`.
    """
    return {
        "format_version": p.format_version,
        "committee": p.committee,
        "date": p.date.isoformat(),
        "meeting_title": p.meeting_title,
        "term": p.term,
        "kind": p.kind,
        "ended_at": p.ended_at.isoformat() if p.ended_at else None,
        "first_case": p.first_case,
        "last_case": p.last_case,
        "members": [
            {
                "name": m.name,
                "party": m.party,
                "chair": m.chair,
                "vice_chair": m.vice_chair,
                "substitute_for": m.substitute_for,
                "line": m.line,
            }
            for m in p.members
        ],
        "absent": [
            {
                "name": a.name,
                "party": a.party,
                "cases": list(a.cases),
                "line": a.line,
                "chair": a.chair,
                "vice_chair": a.vice_chair,
            }
            for a in p.absent
        ],
        "cases": [case_to_json(c) for c in p.cases],
        "warnings": [
            {"code": str(w.code), "message": w.message, "line": w.line, "case": w.case, "quote": w.quote}
            for w in p.warnings
        ],
        "encoding": p.encoding,
    }


def case_to_json(c: CaseRecord) -> dict[str, Any]:
    """One case as plain JSON types, with everything the record holds (the stored parse's form)."""
    return {
        "number": c.number,
        "title": c.title,
        "authority": c.authority,
        "reference": c.reference,
        "closed": c.closed,
        "sections": [{"heading": s.heading, "text": s.text} for s in c.sections],
        "recommendations": [{"by": x.by, "text": x.text} for x in c.recommendations],
        "history": [
            {
                "body": s.body,
                "date": s.date.isoformat() if s.date else None,
                "item": s.item,
                "text": s.text,
                "outcome": s.outcome,
            }
            for s in c.history
        ],
        "decision": (
            {"text": c.decision.text, "outcome": c.decision.outcome, "followed": c.decision.followed}
            if c.decision
            else None
        ),
        "attachments": [{"number": a.number, "title": a.title} for a in c.attachments],
        "line": c.line,
    }


def protocol_from_json(data: dict[str, Any]) -> Protocol:
    """The Protocol that `protocol_to_json` stored.

    Raises `ValueError` when `data` was stored by another `FORMAT_VERSION`: its fields may mean something else, so
    the caller must parse the original bytes again.
    """
    if data.get("format_version") != FORMAT_VERSION:
        raise ValueError(f"stored parse has format version {data.get('format_version')!r}, not {FORMAT_VERSION}")
    return Protocol(
        committee=data["committee"],
        date=dt.date.fromisoformat(data["date"]),
        meeting_title=data["meeting_title"],
        term=data["term"],
        kind=data["kind"],
        ended_at=dt.time.fromisoformat(data["ended_at"]) if data["ended_at"] else None,
        first_case=data["first_case"],
        last_case=data["last_case"],
        members=tuple(Member(**m) for m in data["members"]),
        absent=tuple(Absence(**{**a, "cases": tuple(a["cases"])}) for a in data["absent"]),
        cases=tuple(_case_from_json(c) for c in data["cases"]),
        warnings=tuple(ParseWarning(**{**w, "code": WarningCode(w["code"])}) for w in data["warnings"]),
        encoding=data["encoding"],
    )


def _case_from_json(c: dict[str, Any]) -> CaseRecord:
    return CaseRecord(
        number=c["number"],
        title=c["title"],
        authority=c["authority"],
        reference=c["reference"],
        closed=c["closed"],
        sections=tuple(Section(**s) for s in c["sections"]),
        recommendations=tuple(Recommendation(**x) for x in c["recommendations"]),
        history=tuple(
            Step(**{**s, "date": dt.date.fromisoformat(s["date"]) if s["date"] else None}) for s in c["history"]
        ),
        decision=Decision(**c["decision"]) if c["decision"] else None,
        attachments=tuple(AttachmentRef(**a) for a in c["attachments"]),
        line=c["line"],
    )
