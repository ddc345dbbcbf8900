"""The people list and one member's page."""

from __future__ import annotations

from django.db.models import Prefetch
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView, ListView

from cases.models import Absence, Case
from meetings.models import Attendance, Meeting, Party, Person
from web.mixins import PublicPageMixin

PEOPLE_PER_PAGE = 100


class PersonListView(PublicPageMixin, ListView):
    """Everyone named in a published protocol, with how many meetings they attended."""

    template_name = "web/person_list.html"
    context_object_name = "people"
    paginate_by = PEOPLE_PER_PAGE

    def get_queryset(self):
        return Person.objects.with_attendance_counts().order_by("name")

    def get_breadcrumbs(self):
        return [(_("Personer"), None)]


class PersonDetailView(PublicPageMixin, DetailView):
    """A member: party, committees, chair roles, meetings attended and missed, and the cases they missed."""

    template_name = "web/person_detail.html"
    context_object_name = "person"

    def get_queryset(self):
        absences = (
            Absence.objects.select_related("case")
            .only("attendance_id", "case_id", "case__number", "case__title")
            .order_by("case__number")
        )
        published_attendances = (
            Attendance.objects.filter(meeting__in=Meeting.objects.published())
            .select_related("meeting__committee", "substitute_for")
            .prefetch_related(Prefetch("absences", queryset=absences))
            .order_by("-meeting__date", "meeting__committee__name")
        )
        return Person.objects.prefetch_related(Prefetch("attendances", queryset=published_attendances))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        attendances = list(self.object.attendances.all())
        parties = Party.objects.names()
        committees: dict[int, dict] = {}
        for attendance in attendances:  # newest first
            entry = committees.setdefault(
                attendance.meeting.committee_id,
                {"committee": attendance.meeting.committee, "meetings": 0, "roles": [], "first": None, "last": None},
            )
            entry["meetings"] += 1
            entry["last"] = entry["last"] or attendance.meeting.date
            entry["first"] = attendance.meeting.date
            if attendance.role != Attendance.Role.MEMBER and attendance.get_role_display() not in entry["roles"]:
                entry["roles"].append(attendance.get_role_display())
        attended = [a for a in attendances if a.present]
        missed_meetings = [a for a in attendances if not a.present]
        latest = attendances[0] if attendances else None
        context.update(
            attendances=attendances,
            party=latest.party if latest else "",
            party_name=parties.get(latest.party, "") if latest else "",
            committees=sorted(committees.values(), key=lambda e: e["committee"].name),
            chair_roles=[a for a in attendances if a.role != Attendance.Role.MEMBER],
            attended_count=len(attended),
            missed_count=len(missed_meetings),
            attendance_rate=round(100 * len(attended) / len(attendances)) if attendances else None,
            missed_cases=self.missed_cases(attendances),
        )
        return context

    @staticmethod
    def missed_cases(attendances: list[Attendance]) -> list[dict]:
        """Per meeting with absences: the cases missed, each with number, title and permalink (no extra query)."""
        result = []
        for attendance in attendances:
            absences = list(attendance.absences.all())
            if not absences and attendance.present:
                continue
            meeting = attendance.meeting
            cases = []
            for absence in absences:
                case: Case = absence.case
                case.meeting = meeting  # so get_absolute_url needs no query
                cases.append({"number": case.number, "title": case.title, "url": case.get_absolute_url()})
            result.append(
                {"attendance": attendance, "meeting": meeting, "whole_meeting": not attendance.present, "cases": cases}
            )
        return result

    def get_breadcrumbs(self):
        return [(_("Personer"), reverse("web:person_list")), (self.object.name, None)]
