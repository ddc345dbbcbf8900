"""The line model of a protocol and the shapes of its structural lines (headings, "Sag nr.", closing line)."""

from __future__ import annotations

import datetime as dt
import re
from typing import NamedTuple


class Line(NamedTuple):
    """One non-blank source line, stripped, with its 1-based line number."""

    no: int
    text: str


# Headings are recognised only when one of these stands alone on its line (case-insensitive, optional colon):
# lines such as "Baggrund" inside Sagsfremstilling are sub-headings and stay in the section text.
KNOWN_HEADINGS = (
    "Sagens kerne",
    "Resumé",
    "Indstilling",
    "Beslutning",
    "Sagsfremstilling",
    "Supplerende sagsfremstilling",
    "Lov- og plangrundlag",
    "Lovgrundlag",
    "Økonomiske konsekvenser",
    "Bevillingsmæssige konsekvenser",
    "Personalemæssige konsekvenser",
    "Miljøvurdering",
    "Høring",
    "Historik",
    "Tidsplan",
    "Bilag",
)
_HEADINGS_BY_KEY = {h.casefold(): h for h in KNOWN_HEADINGS}
# "Beslutning i Kommunalbestyrelsen": the decision heading naming the body (its name starts with a capital).
_DECISION_IN = re.compile(r"^Beslutning i ([A-ZÆØÅ][\w\- ]{1,60})$")

CASE_LINE = re.compile(r"^Sag\s+nr\.?\s*(\d{1,6})\s*(?:\(\s*([^()]{1,40}?)\s*\))?\.?$", re.IGNORECASE)
AUTHORITY_LINE = re.compile(r"^Beslutningskompetence\s*:?\s*(.*)$", re.IGNORECASE)
_AUTHORITY_SEPARATOR = re.compile(r"\s*(?:,|/|&|\bog\b)\s*")
# "Bilag 1: title", and "Bilag 1." with no title or "Bilag 1. title" (group 2 is the full stop of that form).
BILAG_START = re.compile(r"^Bilag\s*(\d{1,4})\s*(?::\s*|(\.)(?:\s+|$|(?=Bilag\s*\d)))")
# A further "Bilag N:" glued onto a Bilag line, with or without a space before it ("…pulje 2022Bilag 2: …",
# "Bilag 1.Bilag 2.").
_BILAG_GLUED = re.compile(r"(?<=\S)\s*(?=Bilag\s*\d{1,4}\s*(?::|\.(?:\s|$|Bilag\s*\d)))")
ARTEFACTS = frozenset({"fold alle ud", "fold alle sammen", "luk alle"})
CLOSED_MARK = re.compile(r"^\(?Lukket punkt\)?\.?$", re.IGNORECASE)

_CLOSING = re.compile(
    r"^(?:Protokollen\s+(?:er\s+|blev\s+)?oplæst(?:\s+og\s+godkendt)?\.?\s*)?"
    r"Mødet\s+(?:er\s+|blev\s+)?(?:afsluttet|hævet|slut)\b\.?\s*:?\s*"
    r"(?:kl\.?\s*:?\s*)?(?:(\d{1,2})[.:](\d{2}))?\.?$",
    re.IGNORECASE,
)
_CLOSING_ALONE = re.compile(r"^Protokollen\s+(?:er\s+|blev\s+)?oplæst(?:\s+og\s+godkendt)?\.?$", re.IGNORECASE)


def split_lines(text: str) -> list[Line]:
    """Split normalised text into stripped non-blank lines, splitting glued "Bilag N:" lines apart.

    Blank lines carry no meaning: one export puts a blank line between every line, another none at all.
    """
    lines = []
    for no, raw in enumerate(text.split("\n"), start=1):
        stripped = raw.strip()
        if not stripped:
            continue
        if BILAG_START.match(stripped):
            lines.extend(Line(no, part.strip()) for part in _BILAG_GLUED.split(stripped) if part.strip())
        else:
            lines.append(Line(no, stripped))
    return lines


def split_authority(text: str) -> tuple[str, ...]:
    """The bodies an authority line names: "KNU og TMU" → ("KNU", "TMU"); "KB" → ("KB",); "" → ().

    "og" inside a name ("Teknik- og Miljøudvalget", after a hyphen) does not split it.
    """
    parts: list[str] = []
    for part in _AUTHORITY_SEPARATOR.split(text.strip()):
        if parts and parts[-1].endswith("-"):
            parts[-1] = f"{parts[-1]} og {part}"
        elif part:
            parts.append(part)
    return tuple(parts)


def heading_of(text: str) -> str | None:
    """The heading this line is, as printed (without a trailing colon), or None if it is not a heading."""
    bare = text[:-1].rstrip() if text.endswith(":") else text
    if bare.casefold() in _HEADINGS_BY_KEY:
        return bare
    if _DECISION_IN.match(bare):
        return bare
    return None


def decision_body(heading: str) -> str | None:
    """For "Beslutning i X" the body X; None for any other heading."""
    m = _DECISION_IN.match(heading)
    return m.group(1).strip() if m else None


def is_artefact(text: str) -> bool:
    """A web-page artefact such as "Fold alle ud" that carries no content."""
    return text.casefold().rstrip(".") in ARTEFACTS


def closing_time(text: str) -> tuple[bool, dt.time | None, bool]:
    """Whether the line is the closing line, the time it gives, and whether a printed time was invalid."""
    m = _CLOSING.match(text)
    if not m:
        return (bool(_CLOSING_ALONE.match(text)), None, False)
    if m.group(1) is None:
        return True, None, False
    hour, minute = int(m.group(1)), int(m.group(2))
    if hour > 23 or minute > 59:
        return True, None, True
    return True, dt.time(hour, minute), False
