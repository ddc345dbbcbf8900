"""Personal identity numbers (CPR numbers) in protocol and attachment text: find them and mask them.

Pure Python, no Django: the importer masks what it writes to the archive, the clerk's preview lists what it found
and the tests fuzz it. A CPR number is ten digits, DDMMYY-SSSS or DDMMYYSSSS (the dash may be
the hyphen or en dash a word processor puts there). The date part is checked with the
century the seventh digit gives (as the CPR office assigns it), so 31-02, month 13 or 29-02 in a year that was no
leap year are not CPR numbers, and neither are digits inside a longer number ("12345678901", "0101901234-5",
"010190-1234,50"). The check digit is not tested: numbers issued since 2007 need not satisfy modulus 11.
"""

from __future__ import annotations

import bisect
import calendar
import dataclasses
import re
import string
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass

# Not glued to a word, a longer number or a decimal: "nr.0101901234" still counts, "x0101901234" does not.
CPR_PATTERN = re.compile(
    r"(?<!\w)(?<!\d[-.,/])(?P<day>\d\d)(?P<month>\d\d)(?P<year>\d\d)(?P<sep>[-\u2010\u2011\u2013]?)(?P<serial>\d{4})(?!\w)(?![-.,/]\d)"
)

DEFAULT_MASK = "{date}{sep}****"
# What a mask may show: never the serial part, which is what makes the number personal.
MASK_FIELDS = frozenset({"date", "sep", "day", "month", "year"})


@dataclass(frozen=True)
class CprHit:
    """One CPR number found in a text.

    `number` is the ten digits (the key a clerk confirms "not personal" by, whichever way it was written); `line`
    is 1-based and `start`/`end` are offsets in the text that was searched.
    """

    number: str
    written: str
    line: int
    start: int
    end: int

    @property
    def display(self) -> str:
        """The number as DDMMYY-SSSS."""
        return f"{self.number[:6]}-{self.number[6:]}"


def birth_year(year: int, seventh_digit: int) -> int:
    """The full year of birth from the two-digit year and the first digit of the serial (the CPR office's table)."""
    if seventh_digit <= 3:
        return 1900 + year
    if seventh_digit in (4, 9):
        return (2000 if year <= 36 else 1900) + year
    return (2000 if year <= 57 else 1800) + year


def is_cpr_date(day: int, month: int, year: int, seventh_digit: int) -> bool:
    """Whether DDMMYY with this serial's first digit is a real date of birth."""
    if not 1 <= month <= 12 or day < 1:
        return False
    return day <= calendar.monthrange(birth_year(year, seventh_digit), month)[1]


def _is_cpr(match: re.Match) -> bool:
    return is_cpr_date(int(match["day"]), int(match["month"]), int(match["year"]), int(match["serial"][0]))


def find_cpr(text: str) -> list[CprHit]:
    """Every CPR number in `text`, in order, with its line."""
    hits: list[CprHit] = []
    line_starts: list[int] | None = None
    for match in CPR_PATTERN.finditer(text):
        if not _is_cpr(match):
            continue
        if line_starts is None:  # most texts have no hit: only index lines when one is found
            line_starts = [0] + [m.end() for m in re.finditer("\n", text)]
        number = match["day"] + match["month"] + match["year"] + match["serial"]
        line = bisect.bisect_right(line_starts, match.start())
        hits.append(CprHit(number, match.group(), line, match.start(), match.end()))
    return hits


def check_mask(mask: str) -> str:
    """Return `mask` if it is a usable mask template, else raise ValueError saying why.

    A template may use {date} (DDMMYY), {sep} ("-" or "" as written), {day}, {month} and {year}; it must not
    produce something that is itself read as a CPR number.
    """
    try:
        fields = {name for _, name, _, _ in string.Formatter().parse(mask) if name is not None}
    except ValueError as exc:
        raise ValueError(f"the CPR mask {mask!r} is not a valid template: {exc}") from exc
    unknown = fields - MASK_FIELDS
    if unknown:
        raise ValueError(f"the CPR mask {mask!r} uses unknown fields {sorted(unknown)}; allowed: {sorted(MASK_FIELDS)}")
    for sample in ("010190-1234", "0101901234"):
        masked = _masker(mask, ())(next(CPR_PATTERN.finditer(sample)))
        if find_cpr(masked):
            raise ValueError(f"the CPR mask {mask!r} leaves a CPR number: {masked!r}")
    return mask


def _masker(mask: str, keep: Collection[str]) -> Callable[[re.Match], str]:
    def replace(match: re.Match) -> str:
        if not _is_cpr(match):
            return match.group()
        number = match["day"] + match["month"] + match["year"] + match["serial"]
        if number in keep:
            return match.group()
        date = match["day"] + match["month"] + match["year"]
        return mask.format(date=date, sep=match["sep"], day=match["day"], month=match["month"], year=match["year"])

    return replace


def mask_cpr(text: str, *, mask: str = DEFAULT_MASK, keep: Collection[str] = ()) -> str:
    """`text` with every CPR number masked except those in `keep` (ten digits each).

    Returns the very same object when nothing is masked, so string enums and interned values pass unchanged.
    """
    masked = CPR_PATTERN.sub(_masker(mask, keep), text)
    return text if masked == text else masked


def map_strings(value, fn: Callable[[str], str]):
    """Apply `fn` to every string inside frozen dataclasses, tuples and lists; other values pass unchanged.

    Objects in which nothing changed are returned as they are (the same object), so a protocol without a CPR
    number comes back identical and cheaply.
    """
    if isinstance(value, str):
        return fn(value)
    if isinstance(value, tuple | list):
        items = [map_strings(item, fn) for item in value]
        if all(new is old for new, old in zip(items, value, strict=True)):
            return value
        return type(value)(items)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes = {}
        for f in dataclasses.fields(value):
            old = getattr(value, f.name)
            new = map_strings(old, fn)
            if new is not old:
                changes[f.name] = new
        return dataclasses.replace(value, **changes) if changes else value
    return value


def numbers(hits: Iterable[CprHit]) -> list[str]:
    """The distinct numbers among `hits`, in first-seen order."""
    return list(dict.fromkeys(hit.number for hit in hits))
