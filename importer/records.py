"""The parsed form of a protocol: frozen dataclasses with no Django dependency.

These records are the contract between the parser (`importer.parse`) and everything that consumes a parse: the
database loader, the `parse_protocol` JSON command and the clerk's upload preview. Bump `FORMAT_VERSION` when a
field changes meaning.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

FORMAT_VERSION = 1

# Normalised decision outcomes; the values are the ones stored in `cases.models.Outcome`.
NOTED = "noted"
RECOMMENDED = "recommended"
APPROVED = "approved"
REJECTED = "rejected"
POSTPONED = "postponed"
OTHER = "other"
OUTCOMES = (NOTED, RECOMMENDED, APPROVED, REJECTED, POSTPONED, OTHER)


class ProtocolError(ValueError):
    """A protocol that cannot be parsed; `line` is 1-based (0 when the problem is the file as a whole)."""

    def __init__(self, message: str, line: int = 0):
        super().__init__(message)
        self.message = message
        self.line = line

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}" if self.line else self.message


@dataclass(frozen=True)
class ParseWarning:
    """Something the parser coped with but a clerk should check.

    `code` is a stable identifier the UI translates (e.g. "missing-case", "no-decision", "unknown-heading",
    "title-split-guess"); `message` is an English sentence; `case` is the case number it concerns, if any.
    """

    code: str
    message: str
    line: int = 0
    case: int | None = None

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
    """A member listed under "Fraværende"/"Afbud"; `cases` lists the case numbers missed (all when none given)."""

    name: str
    party: str | None
    cases: tuple[int, ...]
    line: int = 0


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
    """One earlier body's decision quoted in the case's decision trail (GUIDE §2.11)."""

    body: str
    date: dt.date | None
    item: int | None
    text: str
    outcome: str


@dataclass(frozen=True)
class Decision:
    """The decision text as printed and its normalised outcome (one of `OUTCOMES`)."""

    text: str
    outcome: str


@dataclass(frozen=True)
class AttachmentRef:
    """A "Bilag N: title" line."""

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
    """A whole parsed protocol."""

    committee: str
    date: dt.date
    meeting_title: str | None = None  # the first line when it names the meeting, not only the committee
    ended_at: dt.time | None = None
    first_case: int | None = None
    last_case: int | None = None
    members: tuple[Member, ...] = ()
    absent: tuple[Absence, ...] = ()
    cases: tuple[CaseRecord, ...] = ()
    warnings: tuple[ParseWarning, ...] = ()
    encoding: str = "utf-8"
    format_version: int = field(default=FORMAT_VERSION)
