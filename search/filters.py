"""The search page's filters (django-filter): committee, date range or year, authority, outcome, member present."""

from __future__ import annotations

import re

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.forms.boundfield import BoundField
from django.utils.translation import gettext_lazy as _

from cases.models import Outcome
from meetings.models import Attendance, Committee, DocumentKind, Person
from search.models import SearchDocument
from search.widgets import MemberInput, QuickDateInput, QuickNumberInput, QuickSelect


def committee_choices():
    """Every committee as (slug, name), for the committee select (one plain query, no model instances)."""
    return list(Committee.objects.values_list("slug", "name"))


def authority_choices():
    """The committees' short codes, as protocols write them in "Beslutningskompetence" (KB, BEU, ØU…)."""
    codes = Committee.objects.exclude(code="").order_by("code").values_list("code", "name")
    return [(code, f"{code} – {name}") for code, name in codes]


# What a committee code is made of: around it, anything else separates two codes ("KNU og TMU", "ØU/KB").
# Spelled out so one pattern means the same to PostgreSQL's regular expressions and to Python's (SQLite).
CODE_LETTERS = "0-9A-Za-zÆØÅæøåÄÖÜäöüÉé"

MAX_SUGGESTIONS = 15


def member_suggestions(text: str) -> list[Person]:
    """Members whose name contains the text, for the member field's suggestions (none for under 2 letters)."""
    text = " ".join(text.split())
    if len(text) < 2:
        return []
    return list(Person.objects.filter(name__icontains=text).order_by("name")[:MAX_SUGGESTIONS])


class PersonBoundField(BoundField):
    """Shows the member's full name once the typed text or slug is recognised, else the text as typed."""

    def value(self):
        person = getattr(self.form, "cleaned_data", {}).get(self.name)
        return person.name if person else " ".join(str(super().value() or "").split())


class PersonField(forms.CharField):
    """A member typed by name — the whole name, or any part of it that only one member's name contains — or
    given by slug (as links do), cleaned to the Person.

    A text field rather than a select: an archive of many election periods knows hundreds of people, and a list
    of all of them would cost every search page more than the search itself (and is unusable on a phone).
    """

    widget = MemberInput
    bound_field_class = PersonBoundField

    def clean(self, value):
        text = " ".join((super().clean(value) or "").split())
        if not text:
            return None
        for exact in (Q(slug=text), Q(name__iexact=text)):
            found = list(Person.objects.filter(exact)[:2])
            if len(found) == 1:
                return found[0]
        candidates = member_suggestions(text)
        if len(candidates) == 1:
            return candidates[0]
        if not candidates:
            raise ValidationError(_("Intet medlem hedder “%(name)s”."), params={"name": text}, code="unknown")
        raise ValidationError(
            _("Flere medlemmer matcher “%(name)s”: %(names)s. Skriv hele navnet."),
            params={"name": text, "names": ", ".join(p.name for p in candidates[:6])},
            code="ambiguous",
        )


class PersonFilter(django_filters.Filter):
    field_class = PersonField


class SearchFilterForm(forms.Form):
    """The filters' form: a start date after the end date is an error, not a search that finds nothing."""

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("Datoen ligger før fra-datoen."))
        return cleaned


class SearchFilterSet(django_filters.FilterSet):
    committee = django_filters.ChoiceFilter(
        label=_("Udvalg"),
        choices=committee_choices,
        method="filter_committee",
        empty_label=_("Alle udvalg"),
        widget=QuickSelect,
    )
    date_from = django_filters.DateFilter(
        label=_("Fra dato"),
        field_name="meeting_date",
        lookup_expr="gte",
        widget=QuickDateInput,
    )
    date_to = django_filters.DateFilter(
        label=_("Til dato"),
        field_name="meeting_date",
        lookup_expr="lte",
        widget=QuickDateInput,
    )
    year = django_filters.NumberFilter(
        label=_("Årstal"),
        field_name="meeting_date",
        lookup_expr="year",
        min_value=1900,
        max_value=2200,
        widget=QuickNumberInput,
    )
    authority = django_filters.ChoiceFilter(
        label=_("Beslutningskompetence"),
        choices=authority_choices,
        method="filter_authority",
        empty_label=_("Alle"),
        widget=QuickSelect,
    )
    outcome = django_filters.ChoiceFilter(
        label=_("Udfald"), choices=Outcome.choices, empty_label=_("Alle udfald"), widget=QuickSelect
    )
    member = PersonFilter(label=_("Medlem til stede"), method="filter_member_present")
    kind = django_filters.ChoiceFilter(
        label=_("Dagsorden eller referat"),
        choices=[(DocumentKind.MINUTES, _("Referater")), (DocumentKind.AGENDA, _("Dagsordener (ikke afgjort)"))],
        empty_label=_("Begge"),
        widget=QuickSelect,
    )

    class Meta:
        model = SearchDocument
        form = SearchFilterForm
        fields = ["committee", "date_from", "date_to", "year", "authority", "outcome", "member", "kind"]

    def filter_committee(self, queryset, name, slug):
        """The documents of the committee chosen by slug, filtered on the id they hold (no join)."""
        return queryset.filter(committee_id=Committee.objects.only("pk").get(slug=slug).pk)

    def filter_authority(self, queryset, name, code):
        """Cases the body decides, alone or with others: "TMU" also finds "KNU og TMU", but not the letters of
        another code ("KB" does not find "BKB")."""
        return queryset.filter(authority__iregex=rf"(^|[^{CODE_LETTERS}]){re.escape(code)}([^{CODE_LETTERS}]|$)")

    def filter_member_present(self, queryset, name, person):
        """Cases of meetings the person attended, except the cases they were away for ("sag 29-34")."""
        if not person:
            return queryset
        attended = Attendance.objects.filter(person=person, present=True).values("meeting_id")
        return queryset.filter(meeting__in=attended).exclude(case__absences__attendance__person=person)
