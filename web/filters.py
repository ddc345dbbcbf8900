"""django-filter FilterSets for the public lists."""

import django_filters
from django.utils.translation import gettext_lazy as _

from meetings.models import Committee, Meeting


def meeting_years(request=None) -> list[tuple[int, int]]:
    """The years that have published meetings, newest first, as filter choices (one query)."""
    dates = Meeting.objects.published().dates("date", "year", order="DESC")
    return [(d.year, d.year) for d in dates]


class MeetingFilter(django_filters.FilterSet):
    """Filter the meeting list by committee (its slug, so the URL reads well) and by year."""

    udvalg = django_filters.ModelChoiceFilter(
        field_name="committee",
        to_field_name="slug",
        queryset=Committee.objects.with_published_meetings().order_by("name"),
        label=_("Udvalg"),
        empty_label=_("Alle udvalg"),
    )
    aar = django_filters.ChoiceFilter(
        field_name="date__year",
        choices=meeting_years,
        label=_("År"),
        empty_label=_("Alle år"),
    )

    class Meta:
        model = Meeting
        fields = ["udvalg", "aar"]
