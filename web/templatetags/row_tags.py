"""The rows of the public pages' lists, written in Python: committees (the list's rows, the home page's cards),
meetings, a member's committees, meetings, chair roles and missed cases.

These lists grow with the archive (more committees, more meetings a year). Through template loops each row cost
0.15–0.25 ms — a `translate` re-evaluated per row, a `date` filter, a `reverse()` per link — so the pages grew with
the archive. Here the texts are translated and the URLs reversed once per list; each row only fills them in, as
search_tags does for search results. Everything from the archive is escaped: by format_html, or, in the two
longest lists (the committee list's rows and lists of meetings), by html.escape in plain f-strings, since
format_html's work per argument was most of a row's cost there.
"""

from __future__ import annotations

import datetime as dt
import re
from html import escape

from django import template
from django.urls import reverse
from django.utils.dates import MONTHS
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import capfirst
from django.utils.translation import gettext, ngettext

from meetings.models import Attendance, DocumentKind
from web.templatetags.site_tags import case_ranges

register = template.Library()


class LongDates:
    """Dates as the templates' `|date:"j. F Y"` writes them ("5. marts 2024"), the month names translated once."""

    def __init__(self):
        self.months = {number: str(name) for number, name in MONTHS.items()}

    def __call__(self, day: dt.date | None) -> str:
        return "" if day is None else f"{day.day}. {self.months[day.month]} {day.year:04d}"


def iso_date(day: dt.date | None) -> str:
    """`|date:"Y-m-d"`: what a <time datetime> holds."""
    return "" if day is None else day.isoformat()


# The <slug:> converter's pattern: a slug matching it is put in a URL as it is (reverse() quotes nothing in it).
_PLAIN_SLUG = re.compile(r"[-a-zA-Z0-9_]+\Z")
_SAMPLES = {"slug": "x-slug-x", "committee": "x-slug-x", "date": dt.date(1901, 2, 3), "number": 987654321}


class Paths:
    """The paths of a URL named by a committee slug (and a date, a case number), reversed once per list.

    Each row's values take the sample values' places, as web/views/sitemaps.py does. That is what reverse() would
    give: the <slug:>, <isodate:> and <int:> converters write a plain slug, an ISO date and digits, which need no
    quoting. A slug that is not plain goes through reverse() as before (which refuses it as before).
    """

    def __init__(self, name: str, *kwargs: str):
        self.name = name
        path = reverse(name, kwargs={key: _SAMPLES[key] for key in kwargs})
        # The samples are in the pattern's part of the path, at its end (before it: the script prefix).
        pattern = path.replace("{", "{{").replace("}", "}}")
        for key in kwargs:
            before, sample, after = pattern.rpartition(_sample_text(key))
            if not sample:  # not written as it was given: no substitution for this URL
                self.template = None
                return
            pattern = f"{before}{{{key}}}{after}"
        self.template = pattern

    def __call__(self, **values) -> str:
        slug = values.get("committee", values.get("slug"))
        if self.template is None or not _PLAIN_SLUG.match(slug):
            return reverse(self.name, kwargs=values)
        if "date" in values:
            values["date"] = values["date"].isoformat()
        return self.template.format(**values)


def _sample_text(key: str) -> str:
    sample = _SAMPLES[key]
    return sample.isoformat() if isinstance(sample, dt.date) else str(sample)


def _counted(singular: str, plural: str):
    """`blocktranslate count`: "%(counter)s sag"/"%(counter)s sager" for a number, each number translated once."""
    texts: dict[int, str] = {}

    def text(count: int) -> str:
        if count not in texts:
            texts[count] = ngettext(singular, plural, count) % {"counter": count}
        return texts[count]

    return text


def _join(items) -> SafeString:
    return mark_safe("\n".join(items))


# --- the committee list ---------------------------------------------------------------------------------------


@register.simple_tag
def committee_rows(committees) -> str:
    """The <tr> rows of the committee list (`/udvalg/`): each committee's name (linked) and code, then its number
    of meetings and cases and its latest meeting, or "no meetings yet". `committees` are `values()` rows with
    name, code, slug, meeting_count, case_count and last_meeting."""
    url = Paths("web:committee_detail", "slug")
    long_date = LongDates()
    # The texts, escaped once per list; a row escapes only what comes from the archive (plain f-strings: this
    # list has a row per committee, and format_html's per-argument work was most of a row's cost).
    meetings_label, cases_label, last_label = (escape(gettext(t)) for t in ("Møder", "Sager", "Seneste møde"))
    none_yet = escape(gettext("Ingen møder i arkivet endnu"))
    rows = []
    for committee in committees:
        code = f' <span class="muted">({escape(committee["code"])})</span>' if committee["code"] else ""
        link = f'<a href="{escape(url(slug=committee["slug"]))}">{escape(committee["name"])}</a>'
        name = f'<th scope="row">{link}{code}</th>'
        if committee["meeting_count"]:
            last = committee["last_meeting"]
            rows.append(
                f'<tr>\n{name}\n<td class="num" data-label="{meetings_label}">{int(committee["meeting_count"])}</td>\n'
                f'<td class="num" data-label="{cases_label}">{int(committee["case_count"])}</td>\n'
                f'<td data-label="{last_label}"><time datetime="{iso_date(last)}">{escape(long_date(last))}</time></td>'
                "\n</tr>"
            )
        else:
            rows.append(f'<tr class="is-empty">\n{name}\n<td colspan="3" class="muted">{none_yet}</td>\n</tr>')
    return _join(rows)


@register.simple_tag
def committee_cards(committees) -> str:
    """The home page's <li> cards of the committees: each one's name (linked), its numbers of meetings and cases,
    and its years ("2009–2024"); "no meetings yet" when there are none. `committees` are Committee instances."""
    url = Paths("web:committee_detail", "slug")
    meetings, cases = (
        _counted("%(counter)s møde", "%(counter)s møder"),
        _counted("%(counter)s sag", "%(counter)s sager"),
    )
    items = []
    for committee in committees:
        first, last = committee.first_meeting, committee.last_meeting
        if first is None or last is None:  # no published meeting: such a committee is not usually shown
            years = ""
        else:
            years = f"{first.year}" if first.year == last.year else f"{first.year}–{last.year}"
        items.append(
            format_html(
                '<li class="card">\n<a href="{}">{}</a>\n<span class="card__meta">{}, {}</span>\n'
                '<span class="card__meta">{}</span>\n</li>',
                url(slug=committee.slug),
                committee.name,
                meetings(committee.meeting_count),
                cases(committee.case_count),
                years,
            )
        )
    if not items:
        items.append(format_html("<li>{}</li>", gettext("Arkivet har endnu ingen møder.")))
    return _join(items)


# --- lists of meetings (home, meeting list, a committee's page) -------------------------------------------------


@register.simple_tag
def meeting_rows(meetings, committee=None) -> str:
    """A <ul class="meeting-list"> of meetings: each one's title (else its committee's name) and date linking to
    it, a "Dagsorden" badge on an agenda and its number of cases; "Ingen møder." when there are none.

    `meetings` are Meeting instances with their committee selected, or — given the `committee` they all belong
    to — `values()` rows with date, title, kind and case_count.
    """
    url = Paths("web:meeting_detail", "committee", "date")
    long_date = LongDates()
    # Texts escaped once per list and rows written as f-strings (as committee_rows): these lists are the longest
    # on their pages. What comes from the archive (titles, names, slugs) is escaped in each row.
    badge = f' <span class="badge badge--agenda">{escape(gettext("Dagsorden"))}</span>'
    counted = _counted("%(counter)s sag", "%(counter)s sager")
    items = []
    for meeting in meetings:
        if committee is None:
            date, title, kind, case_count = meeting.date, meeting.title, meeting.kind, meeting.case_count
            name, slug = meeting.committee.name, meeting.committee.slug
        else:
            date, title, kind, case_count = meeting["date"], meeting["title"], meeting["kind"], meeting["case_count"]
            name, slug = committee.name, committee.slug
        href = escape(url(committee=slug, date=date))
        items.append(
            f'<li class="meeting-list__item">\n<a class="meeting-list__link" href="{href}">\n'
            f'<span class="meeting-list__committee">{escape(title or name)}</span>\n'
            f'<time datetime="{iso_date(date)}">{escape(long_date(date))}</time>\n</a>'
            f"{badge if kind == DocumentKind.AGENDA else ''}\n"
            f'<span class="meeting-list__meta">{escape(counted(case_count))}</span>\n</li>'
        )
    if not items:
        items.append(format_html("<li>{}</li>", gettext("Ingen møder.")))
    return format_html('<ul class="meeting-list">\n{}\n</ul>', _join(items))


# --- a member's page ------------------------------------------------------------------------------------------


@register.simple_tag
def committee_memberships(committees) -> str:
    """The <li> entries of a member's committees: the committee (linked), how many meetings, first and last date,
    and the chair roles held. `committees` are PersonDetailView.committees' entries."""
    url = Paths("web:committee_detail", "slug")
    long_date = LongDates()
    meetings = _counted("%(counter)s møde", "%(counter)s møder")
    items = []
    for entry in committees:
        committee = entry["committee"]
        first, last = entry["first"], entry["last"]
        items.append(
            format_html(
                '<li>\n<a href="{}">{}</a>\n— {}\n({}{}){}\n</li>',
                url(slug=committee.slug),
                committee.name,
                meetings(entry["meetings"]),
                long_date(first),
                format_html(" – {}", long_date(last)) if first != last else "",
                format_html(", <strong>{}</strong>", ", ".join(map(str, entry["roles"]))) if entry["roles"] else "",
            )
        )
    return _join(items)


def _role_labels() -> dict[str, str]:
    """`get_role_display|capfirst` of each role, translated once."""
    return {value: capfirst(str(label)) for value, label in Attendance.Role.choices}


def _meeting_link(url: Paths, long_date: LongDates, row: dict) -> SafeString:
    """A link to the attendance row's meeting, named by committee and date."""
    date = row["meeting__date"]
    return format_html(
        '<a href="{}">{} {}</a>',
        url(committee=row["meeting__committee__slug"], date=date),
        row["meeting__committee__name"],
        long_date(date),
    )


@register.simple_tag
def attendance_rows(attendances) -> str:
    """The <tr> rows of a member's meetings in a year: the meeting (linked), the role with the party letter and
    whom they stood in for, and whether they were there ("Fraværende", "Til stede, men ikke ved sag 2–3").
    `attendances` are PersonDetailView's `values()` rows."""
    url = Paths("web:meeting_detail", "committee", "date")
    long_date = LongDates()
    roles = _role_labels()
    role_label, presence_label = gettext("Rolle"), gettext("Deltagelse")
    absent, present = gettext("Fraværende"), gettext("Til stede")
    partly = gettext("Til stede, men ikke ved sag %(cases)s")
    substitute = gettext("suppleant for %(name)s")
    rows = []
    for row in attendances:
        role = roles.get(row["role"], row["role"])
        if row["party"]:
            role = f"{role} ({row['party']})"
        if row["substitute_for__name"] is not None:
            role = f"{role}, {substitute % {'name': row['substitute_for__name']}}"
        if not row["present"]:
            presence = absent
        elif row["cases_missed"]:
            presence = partly % {"cases": case_ranges(row["cases_missed"])}
        else:
            presence = present
        rows.append(
            format_html(
                '<tr>\n<th scope="row">{}</th>\n<td data-label="{}">{}</td>\n<td data-label="{}">{}</td>\n</tr>',
                _meeting_link(url, long_date, row),
                role_label,
                role,
                presence_label,
                presence,
            )
        )
    return _join(rows)


@register.simple_tag
def chair_role_items(attendances) -> str:
    """The <li> entries of a member's chair roles in a year: "Formand, <meeting linked>"."""
    url = Paths("web:meeting_detail", "committee", "date")
    long_date = LongDates()
    roles = _role_labels()
    return _join(
        format_html("<li>{}, {}</li>", roles.get(row["role"], row["role"]), _meeting_link(url, long_date, row))
        for row in attendances
    )


@register.simple_tag
def missed_case_sections(missed) -> str:
    """A <section> per meeting a member missed (wholly or some cases of) in a year: the meeting (linked), "hele
    mødet" when away for all of it, and each case missed linking to it. `missed` are PersonDetailView.missed_cases'
    entries."""
    meeting_url = Paths("web:meeting_detail", "committee", "date")
    case_url = Paths("web:case_detail", "committee", "date", "number")
    long_date = LongDates()
    whole = format_html(' <span class="muted">— {}</span>', gettext("hele mødet"))
    case_label = gettext("Sag nr. %(number)s")
    sections = []
    for entry in missed:
        row = entry["attendance"]
        slug, date = row["meeting__committee__slug"], row["meeting__date"]
        cases = (
            format_html(
                '<li><a href="{}">{}{}</a></li>',
                case_url(committee=slug, date=date, number=number),
                case_label % {"number": number},
                format_html(": {}", title) if title else "",
            )
            for number, title in entry["cases"]
        )
        sections.append(
            format_html(
                '<section class="missed" aria-labelledby="fravaer-{}">\n<h3 id="fravaer-{}">{}{}</h3>\n'
                '<ul class="plain-list">\n{}\n</ul>\n</section>',
                row["meeting_id"],
                row["meeting_id"],
                _meeting_link(meeting_url, long_date, row),
                whole if entry["whole_meeting"] else "",
                _join(cases),
            )
        )
    return _join(sections)
