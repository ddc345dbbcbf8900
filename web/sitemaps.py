"""Sitemaps of the public archive (committees, meetings, cases), so search engines find every decision."""

from django.contrib.sitemaps import Sitemap

from cases.models import Case
from meetings.models import Committee, Meeting


class CommitteeSitemap(Sitemap):
    changefreq = "weekly"

    def items(self):
        return Committee.objects.with_published_meetings().order_by("name")


class MeetingSitemap(Sitemap):
    changefreq = "monthly"

    def items(self):
        return Meeting.objects.published().select_related("committee").order_by("date", "pk")

    def lastmod(self, meeting):
        return meeting.updated_at


class CaseSitemap(Sitemap):
    changefreq = "yearly"

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
