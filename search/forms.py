"""The query box and the sort order (the filters are a FilterSet in filters.py), and what a search request asks."""

import datetime
from dataclasses import dataclass
from functools import cached_property

from django import forms
from django.http import QueryDict
from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext_lazy as _

from search.filters import SearchFilterSet
from search.models import SearchDocument
from search.query import MAX_QUERY_LENGTH, parse
from search.services import RELEVANCE, SORTS, Search
from search.widgets import QuickSearchInput, QuickSelect


class SearchForm(forms.Form):
    # No max_length: an over-long query is cut by search.query.clean and the page says so, rather than
    # refusing the search. The syntax is explained under the box, so the placeholder can stay short (phones).
    q = forms.CharField(
        label=_("Søg i sager"),
        required=False,
        strip=False,
        widget=QuickSearchInput(attrs={"placeholder": _("fx sociale klausuler")}),
    )
    sort = forms.ChoiceField(label=_("Sortering"), choices=SORTS, required=False, widget=QuickSelect)

    def clean_sort(self):
        return self.cleaned_data.get("sort") or RELEVANCE


@dataclass(frozen=True)
class ActiveFilter:
    name: str
    label: str
    value: str
    remove_url: str


class SearchCriteria:
    """What a request to the search page asks for: the parsed query, the sort, the filtered documents and the
    search that runs the query over them.

    Shared by the page, the CSV export and the Atom feed so they always agree on what matches. The template
    renders `form` (query box, sort) and `filterset.form` (the filters) field by field.
    """

    def __init__(self, params):
        if not isinstance(params, QueryDict):
            query_dict = QueryDict(mutable=True)
            query_dict.update(params or {})
            params = query_dict
        self._params = params
        self.form = SearchForm(params)
        self.form.is_valid()
        self.raw_query = (params.get("q") or "") if hasattr(params, "get") else ""
        self.query = parse(self.form.cleaned_data.get("q", ""))
        self.sort = self.form.cleaned_data.get("sort") or RELEVANCE
        self.filterset = SearchFilterSet(params, queryset=SearchDocument.objects.published())

    @cached_property
    def search(self) -> Search:
        """The search this request makes: one per request, so its query is compiled once."""
        return Search(self.query)

    @property
    def documents(self):
        """The published documents passing the filters (none when a filter value is invalid)."""
        if not self.filterset.is_valid():
            return self.filterset.queryset.none()
        return self.filterset.qs

    @cached_property
    def params(self) -> QueryDict:
        """The request's parameters that are in use: empty fields, the default sort and page 1 left out, so a
        shared link says only what the search is."""
        params = QueryDict(mutable=True)
        for key, values in self._params.lists():
            kept = [v for v in values if v.strip()]
            if (key == "sort" and kept == [RELEVANCE]) or (key == "page" and kept == ["1"]):
                continue
            if kept:
                params.setlist(key, kept)
        return params

    @property
    def has_unused_params(self) -> bool:
        """True when the request carries parameters not in use (a submitted form's empty fields)."""
        return self._params.urlencode() != self.params.urlencode()

    def page_url(self, **changes) -> str:
        """The search page's address for these parameters, with `changes` (None removes a parameter)."""
        params = self.params.copy()
        for key, value in changes.items():
            if value is None:
                params.pop(key, None)
            else:
                params[key] = value
        query = params.urlencode()
        return reverse("web:search") + (f"?{query}" if query else "")

    @cached_property
    def active_filters(self) -> list[ActiveFilter]:
        """The filters in use, each with its Danish label, the value as people read it and the page without it
        (the removable chips above the results)."""
        form = self.filterset.form
        cleaned = form.cleaned_data if form.is_bound and form.is_valid() else {}
        chips = []
        for name, field in form.fields.items():
            raw = self.params.get(name)
            if not raw:
                continue
            value = cleaned.get(name)
            if isinstance(field, forms.ChoiceField):
                shown = dict((str(k), v) for k, v in field.choices).get(raw, raw)
            elif isinstance(value, datetime.date):
                shown = formats.date_format(value, "j. F Y")
            elif value is not None and hasattr(value, "name"):
                shown = value.name
            else:
                shown = raw
            chips.append(ActiveFilter(name, str(field.label), str(shown), self.page_url(**{name: None, "page": None})))
        return chips

    @cached_property
    def filter_errors(self) -> list[str]:
        """The filters' errors, each named by its field's Danish label ("Årstal: Indtast et tal.")."""
        form = self.filterset.form
        if not form.is_bound or form.is_valid():
            return []
        out = []
        for name, errors in form.errors.items():
            label = form.fields[name].label if name in form.fields else ""
            out += [f"{label}: {error}" if label else str(error) for error in errors]
        return out

    @property
    def is_truncated(self) -> bool:
        return len(" ".join(self.raw_query.split())) > MAX_QUERY_LENGTH

    @property
    def has_unsearchable_query(self) -> bool:
        """Something was typed but nothing searchable was left (punctuation, stop words)."""
        return bool(self.raw_query.strip()) and self.query.is_empty
