"""Sitemaps of the public archive (committees, meetings, cases), so search engines find every decision."""

from collections.abc import Iterator
from datetime import datetime

from django.contrib.sitemaps import Sitemap
from django.db.models import Max, Sum
from django.urls import reverse

from cases.models import Case
from meetings.models import Committee, Meeting
from search.services import KnownCountPaginator


class ArchiveSitemap(Sitemap):
    """A section of published meetings or cases: split at `limit` (50 000) URLs per page as the protocol allows,
    its length from the committees' kept totals and its newest change from one indexed aggregate."""

    kept_total: str  # the Committee field that counts this section's items

    @property
    def paginator(self):
        total = Committee.objects.aggregate(n=Sum(self.kept_total))["n"] or 0
        return KnownCountPaginator(self._items(), self.limit, count=total)

    def get_latest_lastmod(self):
        # Every item's lastmod is its meeting's updated_at; the newest of them is one probe of its index.
        return Meeting.objects.published().aggregate(last=Max("updated_at"))["last"]

    def entries(self, items) -> Iterator[tuple[str, datetime]]:
        """(path, lastmod) of each item of a page (a slice of `items()`), read as plain rows.

        A page holds up to 50 000 URLs: web.views.sitemaps writes them without a model instance, a `reverse` or
        a template node per URL."""
        raise NotImplementedError


class CommitteeSitemap(Sitemap):
    changefreq = "weekly"

    def items(self):
        return Committee.objects.with_published_meetings().order_by("name")


class MeetingSitemap(ArchiveSitemap):
    changefreq = "monthly"
    kept_total = "meeting_count"

    def items(self):
        return Meeting.objects.published().select_related("committee").order_by("date", "pk")

    def lastmod(self, meeting):
        return meeting.updated_at

    def entries(self, items):
        paths = _PathsByMeeting("web:meeting_detail")
        for slug, date, updated_at in items.values_list("committee__slug", "date", "updated_at"):
            yield paths.path(slug, date), updated_at


class CaseSitemap(ArchiveSitemap):
    changefreq = "yearly"
    kept_total = "case_count"

    def items(self):
        # Only what get_absolute_url needs: the archive may hold 100 000 cases, 50 000 per sitemap page.
        return (
            Case.objects.published()
            .select_related("meeting__committee")
            .only("id", "number", "meeting__date", "meeting__updated_at", "meeting__committee__slug")
            .order_by("pk")
        )

    def lastmod(self, case):
        return case.meeting.updated_at  # a case changes only when its meeting's protocol is re-imported

    def entries(self, items):
        paths = _PathsByMeeting("web:case_detail", number=_NUMBER)
        rows = items.values_list("meeting__committee__slug", "meeting__date", "number", "meeting__updated_at")
        for slug, date, number, updated_at in rows:
            yield paths.path(slug, date).replace(str(_NUMBER), str(number)), updated_at


# A case number no protocol has, to reverse a meeting's case URL once and put each case's number in its place.
_NUMBER = 987654321


class _PathsByMeeting:
    """The path of a URL named by committee and date, reversed once per meeting (cases come ~8 per meeting)."""

    def __init__(self, name: str, **kwargs):
        self.name, self.kwargs, self.cache = name, kwargs, {}

    def path(self, slug: str, date) -> str:
        key = (slug, date)
        if key not in self.cache:
            self.cache[key] = reverse(self.name, kwargs={"committee": slug, "date": date, **self.kwargs})
        return self.cache[key]


SITEMAPS = {"udvalg": CommitteeSitemap, "moeder": MeetingSitemap, "sager": CaseSitemap}
