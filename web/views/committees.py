"""The committee list and one committee's page."""

from __future__ import annotations

from django.db.models import Count
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView, ListView

from meetings.models import Attendance, Committee, Meeting
from web.mixins import PublicPageMixin

RECENT_MEETINGS_FOR_MEMBERS = 5


class CommitteeListView(PublicPageMixin, ListView):
    """All committees with how much of their work the archive holds."""

    template_name = "web/committee_list.html"
    context_object_name = "committees"

    def get_queryset(self):
        return Committee.objects.with_counts().order_by("name")

    def get_breadcrumbs(self):
        return [(_("Udvalg"), None)]


class CommitteeDetailView(PublicPageMixin, DetailView):
    """A committee: its meetings by year, members seen at its recent meetings, and counts of cases and decisions."""

    template_name = "web/committee_detail.html"
    context_object_name = "committee"

    def get_queryset(self):
        return Committee.objects.with_counts()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        meetings = list(Meeting.objects.published().for_listing().filter(committee=self.object))
        recent_ids = [m.id for m in meetings[:RECENT_MEETINGS_FOR_MEMBERS]]
        latest_members, earlier_members = self.recent_members(recent_ids)
        outcomes = (
            Meeting.objects.published()
            .filter(committee=self.object, cases__decision__isnull=False)
            .values("cases__decision__outcome")
            .annotate(n=Count("cases"))
            .order_by("-n")
        )
        context.update(
            meetings=meetings,
            latest_meeting=meetings[0] if meetings else None,
            latest_members=latest_members,
            earlier_members=earlier_members,
            outcome_counts=[(row["cases__decision__outcome"], row["n"]) for row in outcomes],
        )
        return context

    @staticmethod
    def recent_members(meeting_ids: list[int]) -> tuple[list[Attendance], list[Attendance]]:
        """(members at the newest of these meetings, others seen at the older ones with their latest appearance)."""
        seen: dict[int, Attendance] = {}
        newest_meeting_id = None
        # Newest meeting first, so each person keeps the party and role of their latest appearance.
        for attendance in (
            Attendance.objects.filter(meeting_id__in=meeting_ids)
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
