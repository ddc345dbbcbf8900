"""The front page and the about page."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from meetings.models import Committee, Meeting
from web.mixins import PublicPageMixin

LATEST_MEETINGS_ON_HOME = 8


def archive_coverage(committees) -> dict | None:
    """What the archive covers, from the committees with published meetings and their totals (`meeting_count`,
    `case_count`, `first_meeting`, `last_meeting`): how many meetings and cases, from how many committees, and the
    first and last year (None for an empty archive)."""
    if not committees:
        return None
    return {
        "meetings": sum(c.meeting_count for c in committees),
        "cases": sum(c.case_count for c in committees),
        "committees": len(committees),
        "first_year": min(c.first_meeting for c in committees).year,
        "last_year": max(c.last_meeting for c in committees).year,
    }


class HomeView(PublicPageMixin, TemplateView):
    """The front page: latest meetings, the committees, and a search box."""

    template_name = "web/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        published = Meeting.objects.published()
        context["breadcrumbs"] = []
        context["upcoming"] = published.upcoming(today).for_listing().order_by("date", "committee__name")
        context["latest_meetings"] = published.minutes().for_listing()[:LATEST_MEETINGS_ON_HOME]
        committees = list(Committee.objects.with_published_meetings().order_by("name"))  # totals are kept
        context["committees"] = committees
        context["coverage"] = archive_coverage(committees)
        return context


class AboutView(PublicPageMixin, TemplateView):
    """About the archive and a glossary of the terms citizens meet in the minutes."""

    template_name = "web/about.html"

    def get_breadcrumbs(self):
        return [(_("Om arkivet"), None)]
