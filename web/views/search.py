"""The search page, its exports (`&format=csv`, `&format=xlsx`: web/exports.py) and its Atom feed
(`&format=atom`)."""

from __future__ import annotations

from django.http import HttpResponseRedirect, JsonResponse
from django.views.generic import TemplateView

from search import filters
from search.forms import SearchCriteria
from search.query import MAX_QUERY_LENGTH
from search.suggest import suggestions
from web import exports
from web.feeds import SearchFeed

# Kept for callers of the CSV's columns (the header line of every CSV export).
CSV_COLUMNS = exports.CSV_COLUMNS


class SearchView(TemplateView):
    """/soeg/?q=…: ranked, filtered, faceted and paginated, with "Mente du …?" for a search that finds little;
    `format=csv`, `format=xlsx` or `format=atom` for the same search."""

    template_name = "search/search.html"

    def get(self, request, *args, **kwargs):
        criteria = SearchCriteria(request.GET)
        output = request.GET.get("format")
        if output == "csv":
            return exports.csv_response(request, criteria)
        if output == "xlsx":
            return exports.xlsx_response(request, criteria)
        if output == "atom":
            return SearchFeed()(request)
        if criteria.has_unused_params:
            # A submitted form sends every field, empty or not: the address to share names only what is used.
            return HttpResponseRedirect(criteria.page_url())
        results = criteria.search.results(criteria.documents, sort=criteria.sort, page=request.GET.get("page") or 1)
        context = self.get_context_data(
            criteria=criteria,
            results=results,
            suggestions=suggestions(
                criteria.search, criteria.documents, results.total, published=criteria.filterset.queryset
            ),
            export_cap=exports.export_cap(request),
            max_query_length=MAX_QUERY_LENGTH,
        )
        return self.render_to_response(context)


def member_suggestions(request):
    """/soeg/medlemmer.json?q=…: names for the member field's suggestions, as {"members": [{"name", "url"}]}."""
    people = filters.member_suggestions(request.GET.get("q", ""))
    return JsonResponse({"members": [{"name": p.name, "url": p.get_absolute_url()} for p in people]})
