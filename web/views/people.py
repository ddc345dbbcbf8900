"""The people list and one member's page."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView, ListView

from cases.models import Absence
from meetings.models import Attendance, Committee, Party, Person
from web.filters import shown_year
from web.mixins import PublicPageMixin

PEOPLE_PER_PAGE = 100
# What a member's page shows of each attendance in the year (web.templatetags.row_tags), read as plain rows.
ATTENDANCE_ROW_FIELDS = (
    "id",
    "role",
    "party",
    "present",
    "meeting_id",
    "meeting__date",
    "meeting__committee__name",
    "meeting__committee__slug",
    "substitute_for__name",
)


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
    """A member: party, committees, totals (kept), and one year's meetings, chair roles and missed cases.

    The page costs the same whatever the archive's size: the year's attendance, not all of it (`?aar=`, by
    default the newest year the member attended).
    """

    template_name = "web/person_detail.html"
    context_object_name = "person"

    def get_queryset(self):
        return Person.objects.all()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        person = self.object
        own = Attendance.objects.filter(person=person)
        years = own.years()
        all_years = [year for year, _count in years]
        year = shown_year(self.request.GET.get("aar"), all_years, all_years[0] if all_years else None)
        attendances, missed_cases = [], []
        if year is not None:
            attendances = list(
                own.in_year(year).values(*ATTENDANCE_ROW_FIELDS).order_by("-meeting__date", "meeting__committee__name")
            )
            missed_cases = self.missed_cases(attendances)
        committees, party = self.committees(own)
        parties = Party.objects.names()
        context.update(
            years=years,
            year=year,
            attendances=attendances,
            party=party,
            party_name=parties.get(party, ""),
            committees=committees,
            chair_roles=[a for a in attendances if a["role"] != Attendance.Role.MEMBER],
            attended_count=person.present_count,
            missed_count=person.meeting_count - person.present_count,
            attendance_rate=round(100 * person.present_count / person.meeting_count) if person.meeting_count else None,
            missed_cases=missed_cases,
        )
        return context

    @staticmethod
    def committees(attendances) -> tuple[list[dict], str]:
        """(each committee sat on in the whole archive, with its meetings, first and last date and chair roles; the
        party letter at the newest meeting): one grouped query and the committees' names."""
        rows = attendances.committee_summary()
        names = Committee.objects.only("name", "slug").in_bulk({row["committee_id"] for row in rows})
        # Newest appearance first, so the party letter and the order of the roles follow the latest meetings; two
        # committees met the same day go in the order the meetings table lists them.
        rows.sort(key=lambda row: (-row["last"].toordinal(), names[row["committee_id"]].name))
        role_labels = dict(Attendance.Role.choices)
        committees: dict[int, dict] = {}
        for row in rows:
            entry = committees.setdefault(
                row["committee_id"],
                {
                    "committee": names[row["committee_id"]],
                    "meetings": 0,
                    "roles": [],
                    "first": row["first"],
                    "last": row["last"],
                },
            )
            entry["meetings"] += row["meetings"]
            entry["first"] = min(entry["first"], row["first"])
            label = role_labels.get(row["role"], row["role"])
            if row["role"] != Attendance.Role.MEMBER and label not in entry["roles"]:
                entry["roles"].append(label)
        party = rows[0]["party"] if rows else ""
        return sorted(committees.values(), key=lambda entry: entry["committee"].name), party

    @staticmethod
    def missed_cases(attendances: list[dict]) -> list[dict]:
        """Per meeting missed wholly or in part: the attendance row and the cases missed, (number, title) each, in
        order. One query (none for no attendances); each row gets `cases_missed` too, the numbers."""
        if not attendances:
            return []
        missed: dict[int, list[tuple[int, str]]] = {}
        absences = (
            Absence.objects.filter(attendance_id__in=[row["id"] for row in attendances])
            .order_by("case__number")
            .values_list("attendance_id", "case__number", "case__title")
        )
        for attendance_id, number, title in absences:
            missed.setdefault(attendance_id, []).append((number, title))
        result = []
        for row in attendances:
            cases = missed.get(row["id"], [])
            row["cases_missed"] = [number for number, _title in cases]
            if cases or not row["present"]:
                result.append({"attendance": row, "whole_meeting": not row["present"], "cases": cases})
        return result

    def get_breadcrumbs(self):
        return [(_("Personer"), reverse("web:person_list")), (self.object.name, None)]
