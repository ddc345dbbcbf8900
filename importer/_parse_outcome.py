"""Normalising decision texts to an outcome, and reading Danish dates ("19. juni 2019", "11-08-2020")."""

from __future__ import annotations

import datetime as dt
import re

from importer.records import AMENDED, APPROVED, AS_RECOMMENDED, NOTED, OTHER, POSTPONED, RECOMMENDED, REJECTED

MONTHS = {
    "januar": 1,
    "februar": 2,
    "marts": 3,
    "april": 4,
    "maj": 5,
    "juni": 6,
    "juli": 7,
    "august": 8,
    "september": 9,
    "oktober": 10,
    "november": 11,
    "december": 12,
}
_MONTH_ABBREVIATIONS = {name[:3]: number for name, number in MONTHS.items()} | {"sept": 9}

_NUMERIC_DATE = re.compile(r"(\d{1,2})[-./](\d{1,2})[-./](\d{4})")
_WORD_DATE = re.compile(r"(\d{1,2})\.?\s*([a-zæøå]{3,9})\.?\s+(\d{4})", re.IGNORECASE)

# Checked in this order at each position, so "ikke godkendt" wins over "godkendt" and "indstilles godkendt" over
# "godkendt"; across positions the earliest match in a sentence decides.
_OUTCOME_PATTERNS = (
    (REJECTED, re.compile(r"\b(?:afvist|afvises|forkastet|forkastes|ikke\s+(?:godkendt|vedtaget|anbefalet))\b")),
    (REJECTED, re.compile(r"\b(?:anbefales|godkendes|vedtages)\s+ikke\b")),
    (POSTPONED, re.compile(r"\b(?:udsat|udsættes|udskudt)\b")),
    (NOTED, re.compile(r"\b(?:til\s+efterretning|taget\s+til\s+orientering)\b")),
    (RECOMMENDED, re.compile(r"\b(?:anbefale[sr]?|anbefalet|indstilles|indstillet)\b")),
    (APPROVED, re.compile(r"\b(?:godkendt|godkendes|godkender|vedtaget|vedtages|bevilget|bevilges|tiltrådt)\b")),
)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n")
# A sentence about the recommendation itself (not about an amendment: "ændringsforslaget" does not match).
_ABOUT_RECOMMENDATION = re.compile(r"\b(?:indstilling(?:en|erne)?|forvaltningens\s+forslag)\b")
_ABOUT_AMENDMENT = re.compile(r"ændringsforslag")


def outcome_of(text: str) -> str:
    """The normalised outcome of a decision text (one of the `records.OUTCOMES`).

    With an amendment and several votes, what finally happened to the recommendation decides: the last sentence
    that names the recommendation ("Herefter anbefales indstillingen …"); otherwise the first sentence with a
    recognised verb that is not about an amendment.
    """
    sentences = [s.casefold() for s in _SENTENCE_END.split(text) if s.strip()]
    about = [s for s in sentences if _ABOUT_RECOMMENDATION.search(s) and not _ABOUT_AMENDMENT.search(s)]
    for sentence in reversed(about):
        outcome = _sentence_outcome(sentence)
        if outcome:
            return outcome
    for sentence in sentences:
        if _ABOUT_AMENDMENT.search(sentence):
            continue
        outcome = _sentence_outcome(sentence)
        if outcome:
            return outcome
    return OTHER


# Words a decision can open with before its verb: "Sagen udsættes.", "Taget til efterretning.".
_DECISION_OPENING = re.compile(r"(?:(?:sagen|forslaget|indstillingen)\s+)?(?:(?:taget|tages)\s+)?")
_OPENING_CHARS = 80  # a decision's verb comes first: no need to read further


def opens_with_decision(text: str) -> bool:
    """Whether `text` opens with a decision ("Anbefales.", "Indstilles godkendt.", "Godkendt med 15 stemmer",
    "Taget til efterretning.", "Ikke anbefalet.", "Sagen udsættes."): its first words are a recognised decision
    verb, not a sentence that merely contains one ("Fristen er 1. maj.", "Programmet godkendes i 2010.")."""
    opening = text.strip()[:_OPENING_CHARS]
    first = next((s for s in _SENTENCE_END.split(opening) if s.strip()), "").casefold()
    rest = first[_DECISION_OPENING.match(first).end() :]
    return any(pattern.match(rest) for _outcome, pattern in _OUTCOME_PATTERNS)


# The decision changed what was recommended: an addition, an exception, a change spelled out.
_CHANGED = re.compile(
    r"\bmed\s+(?:den|de|følgende|en|disse|flg\.?)?\s*(?:ændring|tilføjelse|præcisering)"
    r"|\bdog\s+(?:således|med|så|ikke)\b|\bbortset\s+fra\b|\bmed\s+undtagelse\s+af\b"
    r"|\bændret\s+(?:således|så)\b|\btilføjes\b|\budgår\b"
)
# What became of an amendment, in a sentence that is not the amendment itself ("C fremsætter ændringsforslag: at …").
_AMENDMENT_ADOPTED = re.compile(r"\b(?:vedtaget|vedtages|godkendt|godkendes|tiltrådt|tiltrædes|anbefalet|anbefales)\b")
_AMENDMENT_FAILED = re.compile(
    r"\b(?:forkastet|forkastes|afvist|afvises|bortfaldt|bortfalder|trukket\s+tilbage|ikke\s+vedtaget)\b"
)
# A recommendation to take something to note ("at orienteringen tages til efterretning").
_TO_NOTE = re.compile(r"efterretning|orientering", re.IGNORECASE)


def followed_of(text: str, outcome: str, recommendations: list[str]) -> str:
    """Whether a decision followed the recommendation before it: one of `records.FOLLOWED`, or "" when there is no
    recommendation to compare with or the decision says too little to tell.

    Approved or recommended with an adopted amendment or an explicit change ("med den ændring, at …",
    "dog således, at …") is *amended*; approved or recommended otherwise is *as recommended*; taken to note is *as
    recommended* when the recommendation was to take it to note.
    """
    if not recommendations:
        return ""
    if outcome in (REJECTED, POSTPONED):
        return outcome
    if outcome == NOTED:
        return AS_RECOMMENDED if any(_TO_NOTE.search(r) for r in recommendations) else ""
    if outcome not in (APPROVED, RECOMMENDED):
        return ""
    for sentence in (s.casefold() for s in _SENTENCE_END.split(text) if s.strip()):
        if _ABOUT_AMENDMENT.search(sentence):
            adopted = _AMENDMENT_ADOPTED.search(sentence) and not _AMENDMENT_FAILED.search(sentence)
            if adopted and ":" not in sentence:
                return AMENDED
        elif _CHANGED.search(sentence):
            return AMENDED
    return AS_RECOMMENDED


def _sentence_outcome(sentence: str) -> str | None:
    best: tuple[int, int, str] | None = None
    for priority, (outcome, pattern) in enumerate(_OUTCOME_PATTERNS):
        m = pattern.search(sentence)
        if m and (best is None or (m.start(), priority) < best[:2]):
            best = (m.start(), priority, outcome)
    return best[2] if best else None


def parse_date(text: str) -> dt.date | None:
    """The first date in `text`, numeric ("11-08-2020") or Danish ("19. juni 2019", "19. jun. 2019"), else None."""
    m = _NUMERIC_DATE.search(text)
    if m:
        return _date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
    for m in _WORD_DATE.finditer(text):
        word = m.group(2).casefold()
        month = MONTHS.get(word) or _MONTH_ABBREVIATIONS.get(word)
        if month:
            return _date(int(m.group(3)), month, int(m.group(1)))
    return None


def _date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None
