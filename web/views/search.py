"""The search page, its CSV export (`&format=csv`) and its Atom feed (`&format=atom`)."""

from __future__ import annotations

import csv
from collections.abc import Iterator

from django.http import JsonResponse, StreamingHttpResponse
from django.utils import timezone
from django.views.generic import TemplateView

from search import filters
from search.forms import SearchCriteria
from search.query import MAX_QUERY_LENGTH
from search.services import case_search, matching, ordered
from web.feeds import SearchFeed

CSV_COLUMNS = ["committee", "meeting_date", "case_number", "title", "authority", "outcome", "url"]
# Cells starting like a formula are prefixed so a spreadsheet shows the text instead of evaluating it.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


class _Echo:
    def write(self, value):
        return value


def _cell(value: str) -> str:
    return "'" + value if value.startswith(_FORMULA_START) else value


def csv_rows(request, criteria: SearchCriteria) -> Iterator[str]:
    """The CSV lines of every match, in the page's order, starting with the UTF-8 byte-order mark and header."""
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow(CSV_COLUMNS)
    matched = matching(criteria.documents, criteria.query)
    documents = (
        ordered(matched, criteria.query, criteria.sort)
        .select_related("committee")
        .only(
            "case_id", "committee__name", "committee__slug", "meeting_date", "number", "title", "authority", "outcome"
        )
    )
    base = request.build_absolute_uri("/")[:-1]
    for doc in documents.iterator(chunk_size=2000):
        yield writer.writerow(
            [
                _cell(doc.committee.name),
                doc.meeting_date.isoformat(),
                doc.number,
                _cell(doc.title),
                _cell(doc.authority),
                doc.get_outcome_display(),
                base + doc.get_absolute_url(),
            ]
        )


class SearchView(TemplateView):
    """/soeg/?q=…: ranked, filtered, faceted and paginated; `format=csv` or `format=atom` for the same search."""

    template_name = "search/search.html"

    def get(self, request, *args, **kwargs):
        criteria = SearchCriteria(request.GET)
        output = request.GET.get("format")
        if output == "csv":
            response = StreamingHttpResponse(csv_rows(request, criteria), content_type="text/csv; charset=utf-8")
            filename = f"soegning-{timezone.localdate():%Y-%m-%d}.csv"
            response["Content-Disposition"] = f'attachment; filename="{filename}"'
            return response
        if output == "atom":
            return SearchFeed()(request)
        results = case_search(
            documents=criteria.documents, query=criteria.query, sort=criteria.sort, page=request.GET.get("page") or 1
        )
        context = self.get_context_data(criteria=criteria, results=results, max_query_length=MAX_QUERY_LENGTH)
        return self.render_to_response(context)


def member_suggestions(request):
    """/soeg/medlemmer.json?q=…: names for the member field's suggestions, as {"members": [{"name", "url"}]}."""
    people = filters.member_suggestions(request.GET.get("q", ""))
    return JsonResponse({"members": [{"name": p.name, "url": p.get_absolute_url()} for p in people]})
