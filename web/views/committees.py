"""The committee list and one committee's page."""

from __future__ import annotations

from collections import Counter

from django.urls import reverse
from django.utils import timezone
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
        return Committee.objects.order_by("name")  # the totals are kept on each committee (meetings.counts)

    def get_breadcrumbs(self):
        return [(_("Udvalg"), None)]


class CommitteeDetailView(PublicPageMixin, DetailView):
    """A committee: its meetings by year, members seen at its recent meetings, and counts of cases and decisions."""

    template_name = "web/committee_detail.html"
    context_object_name = "committee"

    def get_queryset(self):
        return Committee.objects.all()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        meetings = list(Meeting.objects.published().for_listing().filter(committee=self.object))
        # Members as the latest minutes list them (an agenda usually lists none).
        recent_ids = [m.id for m in meetings if not m.is_agenda][:RECENT_MEETINGS_FOR_MEMBERS]
        latest_members, earlier_members = self.recent_members(recent_ids)
        outcomes: Counter[str] = Counter()
        for meeting in meetings:  # the kept tallies of the meetings listed anyway: no query over their cases
            outcomes.update(meeting.outcome_counts)
        today = timezone.localdate()
        context.update(
            meetings=[m for m in meetings if not (m.is_agenda and m.date >= today)],
            upcoming=sorted((m for m in meetings if m.is_agenda and m.date >= today), key=lambda m: m.date),
            terms=sorted({m.term for m in meetings if m.term}),
            latest_meeting=next((m for m in meetings if not m.is_agenda), None),
            latest_members=latest_members,
            earlier_members=earlier_members,
            outcome_counts=sorted(outcomes.items(), key=lambda item: (-item[1], item[0])),
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
