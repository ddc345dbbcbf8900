"""The query box and the sort order (the filters are a FilterSet in filters.py)."""

from functools import cached_property

from django import forms
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _

from search.query import MAX_QUERY_LENGTH, parse
from search.services import RELEVANCE, SORTS


class SearchForm(forms.Form):
    # No max_length: an over-long query is cut by search.query.clean and the page says so, rather than
    # refusing the search.
    q = forms.CharField(
        label=_("Søg i sager"),
        required=False,
        strip=False,
        widget=forms.SearchInput(attrs={"placeholder": _('fx sociale klausuler, "ny beskæftigelsespolitik" -budget')}),
    )
    sort = forms.ChoiceField(label=_("Sortering"), choices=SORTS, required=False)

    def clean_sort(self):
        return self.cleaned_data.get("sort") or RELEVANCE


class SearchCriteria:
    """What a request to the search page asks for: the parsed query, the sort and the filtered documents.

    Shared by the page, the CSV export and the Atom feed so they always agree on what matches.
    """

    def __init__(self, params):
        from search.filters import SearchFilterSet
        from search.models import SearchDocument

        self.form = SearchForm(params)
        self.form.is_valid()
        self.raw_query = (params.get("q") or "") if hasattr(params, "get") else ""
        self.query = parse(self.form.cleaned_data.get("q", ""))
        self.sort = self.form.cleaned_data.get("sort") or RELEVANCE
        self.filterset = SearchFilterSet(params, queryset=SearchDocument.objects.published())
        self.selected = {name: params.get(name, "") for name in ("committee", "authority", "outcome")}
        self.selected["sort"] = self.sort

    @property
    def documents(self):
        """The published documents passing the filters (none when a filter value is invalid)."""
        if not self.filterset.is_valid():
            return self.filterset.queryset.none()
        return self.filterset.qs

    @cached_property
    def choices(self) -> dict[str, list[tuple[str, str]]]:
        """Options of the filter selects, as (value, label) pairs.

        Rendered by format_html_join rather than Django's widget templates, which cost more per option than
        the search itself. Members are typed, not chosen (search.filters.PersonField).
        """
        from cases.models import Outcome
        from meetings.models import Committee
        from search.filters import authority_choices

        return {
            "committee": list(Committee.objects.values_list("slug", "name")),
            "authority": authority_choices(),
            "outcome": [(value, str(label)) for value, label in Outcome.choices],
            "sort": [(value, str(label)) for value, label in SORTS],
        }

    @property
    def member(self) -> str:
        """The member field's text: the member's full name once recognised, else what was typed."""
        self.filterset.is_valid()  # cleans the form once
        form = self.filterset.form
        person = form.cleaned_data.get("member")
        return person.name if person else " ".join(str(form.data.get("member") or "").split())

    @cached_property
    def options(self) -> dict[str, str]:
        """The <option> elements of each select, the requested value selected, escaped by format_html_join."""
        return {
            name: format_html_join(
                "",
                '<option value="{}"{}>{}</option>',
                ((value, " selected" if value == self.selected.get(name) else "", label) for value, label in pairs),
            )
            for name, pairs in self.choices.items()
        }

    @property
    def is_truncated(self) -> bool:
        return len(" ".join(self.raw_query.split())) > MAX_QUERY_LENGTH

    @property
    def has_unsearchable_query(self) -> bool:
        """Something was typed but nothing searchable was left (punctuation, stop words)."""
        return bool(self.raw_query.strip()) and self.query.is_empty
