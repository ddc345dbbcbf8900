"""The committee list and one committee's page."""

from __future__ import annotations

from collections import Counter

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView, ListView

from meetings.models import Attendance, Committee, DocumentKind, Meeting
from web.filters import shown_year
from web.mixins import PublicPageMixin

RECENT_MEETINGS_FOR_MEMBERS = 5
# What the lists of a committee's meetings show (web.templatetags.row_tags.meeting_rows), read as plain rows: the
# committee is the page's own.
MEETING_ROW_FIELDS = ("date", "title", "kind", "case_count")


class CommitteeListView(PublicPageMixin, ListView):
    """All committees with how much of their work the archive holds."""

    template_name = "web/committee_list.html"
    context_object_name = "committees"

    def get_queryset(self):
        # The totals are kept on each committee (meetings.counts); plain rows for row_tags.committee_rows.
        return Committee.objects.order_by("name").values(
            "name", "code", "slug", "meeting_count", "case_count", "last_meeting"
        )

    def get_breadcrumbs(self):
        return [(_("Udvalg"), None)]


class CommitteeDetailView(PublicPageMixin, DetailView):
    """A committee: its meetings one year at a time, members seen at its recent meetings, the kept totals and the
    shown year's decisions.

    The page costs the same whatever the archive's size: the year's meetings, not all of them (`?aar=`, by default
    the newest year with meetings held).
    """

    template_name = "web/committee_detail.html"
    context_object_name = "committee"

    def get_queryset(self):
        return Committee.objects.all()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        published = Meeting.objects.published().for_committee(self.object)
        years = published.years()
        today = timezone.localdate()
        # Coming meetings are shown whatever the year, above it, so the year lists only the others.
        upcoming = list(published.upcoming(today).values(*MEETING_ROW_FIELDS))
        coming_per_year = Counter(m["date"].year for m in upcoming)
        # In late December the next January's agenda is often out already: that year has nothing to list yet.
        all_years = [year for year, _count in years]
        held_years = [year for year, count in years if count > coming_per_year[year]]
        year = shown_year(self.request.GET.get("aar"), all_years, (held_years or all_years or [None])[0])
        listed = []
        if year is not None:
            in_year = published.filter(date__year=year).order_by("-date")
            in_year = in_year.values(*MEETING_ROW_FIELDS, "term", "outcome_counts")
            listed = [m for m in in_year if not (m["kind"] == DocumentKind.AGENDA and m["date"] >= today)]
        outcomes: Counter[str] = Counter()
        for meeting in listed:  # the kept tallies of the meetings listed anyway: no query over their cases
            outcomes.update(meeting["outcome_counts"])
        # Members as the latest minutes list them (an agenda usually lists none), whatever year is shown.
        recent = published.minutes().order_by("-date").values("pk")[:RECENT_MEETINGS_FOR_MEMBERS]
        latest_members, earlier_members = self.recent_members(recent)
        context.update(
            years=years,
            year=year,
            meetings=listed,
            upcoming=upcoming,
            terms=sorted({m["term"] for m in listed if m["term"]}),
            latest_meeting=latest_members[0].meeting if latest_members else None,
            latest_members=latest_members,
            earlier_members=earlier_members,
            outcome_counts=sorted(outcomes.items(), key=lambda item: (-item[1], item[0])),
        )
        return context

    @staticmethod
    def recent_members(meetings) -> tuple[list[Attendance], list[Attendance]]:
        """(members at the newest of these meetings, others seen at the older ones with their latest appearance)."""
        seen: dict[int, Attendance] = {}
        newest_meeting_id = None
        # Newest meeting first, so each person keeps the party and role of their latest appearance.
        for attendance in (
            Attendance.objects.filter(meeting_id__in=meetings)
            .with_party_name()
            .select_related("person", "meeting", "substitute_for")
            .order_by("-meeting__date", "position")
        ):
            newest_meeting_id = newest_meeting_id or attendance.meeting_id
            seen.setdefault(attendance.person_id, attendance)
        latest = [a for a in seen.values() if a.meeting_id == newest_meeting_id]
        earlier = sorted((a for a in seen.values() if a.meeting_id != newest_meeting_id), key=lambda a: a.person.name)
        return latest, earlier

    def get_breadcrumbs(self):
        return [(_("Udvalg"), reverse("web:committee_list")), (self.object.name, None)]
