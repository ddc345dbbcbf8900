"""Sitemaps of the public archive (committees, meetings, cases), so search engines find every decision."""

from django.contrib.sitemaps import Sitemap
from django.db.models import Max, Sum

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


SITEMAPS = {"udvalg": CommitteeSitemap, "moeder": MeetingSitemap, "sager": CaseSitemap}
