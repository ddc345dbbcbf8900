"""Danish municipal election terms (valgperioder), derived from meeting dates.

Since the election of November 1981 the municipal councils are elected every four years in November and take
office on 1 January: the elections of November 2017, 2021 and 2025 began the terms 2018–2021, 2022–2025 and
2026–2029. A term therefore starts on 1 January of a year that leaves 2 when divided by 4 (…, 2006, 2010, 2014,
2018, 2022, 2026, …). The archive's meetings are all from after 1982, where the rule holds.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import F, IntegerField, Value
from django.db.models.functions import Cast, ExtractYear, Mod

TERM_YEARS = 4


def term_start(day: dt.date) -> int:
    """The first year of the election term a date falls in (2020-08-11 → 2018)."""
    return day.year - (day.year - 2) % TERM_YEARS


def term_bounds(start_year: int) -> tuple[dt.date, dt.date]:
    """First and last day of the term starting in `start_year` (2018 → 2018-01-01, 2021-12-31)."""
    return dt.date(start_year, 1, 1), dt.date(start_year + TERM_YEARS - 1, 12, 31)


def is_term_start(year: int) -> bool:
    return (year - 2) % TERM_YEARS == 0


def term_start_expression(date_path: str):
    """`term_start` as a database expression on the date field at `date_path` (e.g. "meeting__date")."""
    year = ExtractYear(F(date_path))
    # SQLite's MOD returns a float: cast so that both databases give an integer.
    return Cast(year - Mod(year - Value(2), Value(TERM_YEARS)), output_field=IntegerField())
