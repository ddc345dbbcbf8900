"""A search's matches as files: CSV for tools (UTF-8 with a byte-order mark, so Excel reads the Danish letters) and
Excel (.xlsx, Danish headings, real dates) for people. Both stream: the CSV row by row, the workbook written to a
temporary file row by row (openpyxl's write-only mode) and sent in chunks. Visitors who are not logged in get at
most `settings.SEARCH_EXPORT_ANONYMOUS_MAX_ROWS` cases; the page says so before they click (`export_cap`).
"""

from __future__ import annotations

import csv
import datetime as dt
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass

from django.conf import settings
from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from search.forms import SearchCriteria

CSV_COLUMNS = ["committee", "meeting_date", "case_number", "title", "authority", "outcome", "url", "decision"]
XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Cells starting like a formula are prefixed so a spreadsheet shows the text instead of evaluating it.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
CHUNK = 2000


@dataclass(frozen=True)
class Row:
    committee: str
    meeting_date: dt.date
    number: int
    title: str
    authority: str
    outcome: str
    url: str
    decision: str


def export_cap(request) -> int | None:
    """How many cases this visitor's export holds at most (None: every match)."""
    cap = settings.SEARCH_EXPORT_ANONYMOUS_MAX_ROWS
    return None if request.user.is_authenticated or not cap else cap


def rows(request, criteria: SearchCriteria, limit: int | None) -> Iterator[Row]:
    """Every match in the page's order (up to `limit`), read in chunks."""
    search = criteria.search
    documents = (
        search.ordered(search.matching(criteria.documents), criteria.sort)
        .select_related("committee")
        .only(
            "case_id",
            "committee__name",
            "committee__slug",
            "meeting_date",
            "number",
            "title",
            "authority",
            "outcome",
            "decision",
        )
    )
    if limit is not None:
        documents = documents[:limit]
    base = request.build_absolute_uri("/")[:-1]
    for doc in documents.iterator(chunk_size=CHUNK):
        yield Row(
            doc.committee.name,
            doc.meeting_date,
            doc.number,
            doc.title,
            doc.authority,
            doc.get_outcome_display(),
            base + doc.get_absolute_url(),
            doc.decision,
        )


def _cell(value: str) -> str:
    return "'" + value if value.startswith(_FORMULA_START) else value


class _Echo:
    def write(self, value):
        return value


def _filename(extension: str, limit: int | None) -> str:
    capped = f"-foerste-{limit}" if limit else ""
    return f"soegning-{timezone.localdate():%Y-%m-%d}{capped}.{extension}"


def csv_lines(request, criteria: SearchCriteria, limit: int | None) -> Iterator[str]:
    """The CSV lines: the UTF-8 byte-order mark and the header, then one line per case."""
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow(CSV_COLUMNS)
    for row in rows(request, criteria, limit):
        yield writer.writerow(
            [
                _cell(row.committee),
                row.meeting_date.isoformat(),
                row.number,
                _cell(row.title),
                _cell(row.authority),
                row.outcome,
                row.url,
                _cell(row.decision),
            ]
        )


def csv_response(request, criteria: SearchCriteria) -> StreamingHttpResponse:
    """The search as a streamed CSV download."""
    limit = export_cap(request)
    response = StreamingHttpResponse(csv_lines(request, criteria, limit), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_filename("csv", limit)}"'
    return response


XLSX_HEADINGS = [
    (gettext_lazy("Udvalg"), 28),
    (gettext_lazy("Mødedato"), 12),
    (gettext_lazy("Sagsnr."), 9),
    (gettext_lazy("Titel"), 60),
    (gettext_lazy("Beslutningskompetence"), 14),
    (gettext_lazy("Udfald"), 16),
    (gettext_lazy("Beslutning"), 80),
    (gettext_lazy("Link"), 40),
]


def _text_cell(sheet, value: str):
    """A cell that holds text as text: openpyxl would store a string beginning with "=" as a formula."""
    from openpyxl.cell import WriteOnlyCell

    if not value.startswith("="):
        return value
    cell = WriteOnlyCell(sheet, value=value)
    cell.data_type = "s"
    return cell


def xlsx_response(request, criteria: SearchCriteria) -> FileResponse:
    """The search as an Excel workbook: the cases on one sheet, what was searched (and any cap) on another."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    limit = export_cap(request)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Sager"))
    bold = Font(bold=True)
    for index, (_heading, width) in enumerate(XLSX_HEADINGS):
        sheet.column_dimensions[chr(ord("A") + index)].width = width
    sheet.freeze_panes = "A2"
    header = []
    for heading, _width in XLSX_HEADINGS:
        cell = WriteOnlyCell(sheet, value=str(heading))
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    count = 0
    for row in rows(request, criteria, limit):
        date = WriteOnlyCell(sheet, value=row.meeting_date)
        date.number_format = "DD-MM-YYYY"
        texts = [row.committee, row.title, row.authority, row.outcome, row.decision]
        committee, title, authority, outcome, decision = (_text_cell(sheet, value) for value in texts)
        sheet.append([committee, date, row.number, title, authority, outcome, decision, row.url])
        count += 1
    about = workbook.create_sheet(_("Om udtrækket"))
    about.column_dimensions["A"].width = 22
    about.column_dimensions["B"].width = 90
    about.append([_("Søgning"), criteria.query.text or _("(alle sager)")])
    about.append([_("Adresse"), request.build_absolute_uri(criteria.page_url(format=None))])
    about.append([_("Hentet"), timezone.localtime().strftime("%d-%m-%Y %H:%M")])
    about.append([_("Sager"), count])
    if limit is not None and count == limit:
        about.append(
            [
                _("Bemærk"),
                _(
                    "Udtrækket rummer de første %(limit)s sager, fordi du ikke er logget ind. Afgræns søgningen for "
                    "at få resten med."
                )
                % {"limit": limit},
            ]
        )
    # The workbook is written to a temporary file (rows are not kept in memory) and streamed from there.
    spool = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it once sent
    workbook.save(spool)
    spool.seek(0)
    return FileResponse(spool, as_attachment=True, filename=_filename("xlsx", limit), content_type=XLSX_MEDIA_TYPE)
