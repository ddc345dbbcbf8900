"""django-filter FilterSets for the public lists."""

from collections.abc import Sequence

import django_filters
from django.db import connections, router
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from meetings.models import Committee, Meeting

# PostgreSQL: from the newest published meeting, jump to the newest one before that year, and so on: one probe of
# the date index per year, not a scan of every meeting (the archive grows, the number of years hardly).
_YEARS_SQL = """
WITH RECURSIVE years(day) AS (
    SELECT MAX(date) FROM meetings_meeting WHERE {published}
    UNION ALL
    SELECT (SELECT MAX(date) FROM meetings_meeting WHERE {published} AND date < date_trunc('year', years.day)::date)
    FROM years WHERE years.day IS NOT NULL
)
SELECT EXTRACT(YEAR FROM day)::int FROM years WHERE day IS NOT NULL
"""


def meeting_years(request=None) -> list[tuple[int, int]]:
    """The years that have published meetings, newest first, as filter choices (one query)."""
    published = Meeting.objects.published()
    alias = router.db_for_read(Meeting)
    connection = connections[alias]
    if connection.vendor == "postgresql":
        # The publication rule as the ORM writes it (meetings.models.published_q), not spelled out again here.
        where, params = published.query.get_compiler(using=alias).compile(published.query.where)
        with connection.cursor() as cursor:
            cursor.execute(_YEARS_SQL.format(published=where), [*params, *params])
            return [(year, year) for (year,) in cursor.fetchall()]
    return [(d.year, d.year) for d in published.dates("date", "year", order="DESC")]


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


def shown_year(value: str | None, years: Sequence[int], default: int | None) -> int | None:
    """The year a page shown one year at a time shows: `?aar=` (the meeting list's parameter) or `default`.

    A value that is no year at all (empty, "abc") is ignored, as the meeting list ignores it. A year with nothing
    in it is a 404 rather than some other year, so that a link to a year never silently shows another one.
    """
    try:
        year = int((value or "").strip())
    except ValueError:
        return default
    if year not in years:
        raise Http404(_("Der er ingen møder fra det år."))
    return year
