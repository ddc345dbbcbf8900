"""Public pages about committees, meetings and people: home, about, committee, meeting list and person pages.

This app never imports from `cases`; where a page needs cases it goes through the reverse relations by name
("cases", "cases__decision"). The meeting and case pages themselves live in `cases.views`.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db.models import Count, Max, Prefetch, Q
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import condition
from django.views.generic import DetailView, ListView, TemplateView
from django_filters.views import FilterView

from meetings.filters import MeetingFilter
from meetings.models import Attendance, Committee, Meeting, Party, Person

LATEST_MEETINGS_ON_HOME = 8
RECENT_MEETINGS_FOR_MEMBERS = 5
MEETINGS_PER_PAGE = 25
PEOPLE_PER_PAGE = 100


# --- conditional GET --------------------------------------------------------------------------------------------


def meetings_last_modified(request=None, *args, **kwargs) -> dt.datetime | None:
    """When the archive's meetings last changed: the newest `Meeting.updated_at` (one aggregate query).

    Every meeting write (import, re-import, publishing) bumps `updated_at`, and cross-links between meetings are
    only made while some meeting is being written, so the newest value is a safe Last-Modified for every page that
    draws on meetings, cases and attendance (attachment documents are added in `cases.views`).
    """
    return Meeting.objects.aggregate(last=Max("updated_at"))["last"]


class ConditionalMixin:
    """Send Last-Modified (and let ConditionalGetMiddleware add the ETag) so browsers and proxies can revalidate."""

    def last_modified(self, request, *args, **kwargs):
        return meetings_last_modified()

    def dispatch(self, request, *args, **kwargs):
        return condition(last_modified_func=self.last_modified)(super().dispatch)(request, *args, **kwargs)


class BreadcrumbsMixin:
    """Puts `breadcrumbs` — a list of (label, url) pairs, the last one being the current page — in the context."""

    def get_breadcrumbs(self) -> list[tuple[str, str | None]]:
        return []

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["breadcrumbs"] = [(_("Forside"), reverse("meetings:home")), *self.get_breadcrumbs()]
        return context


class PublicPageMixin(ConditionalMixin, BreadcrumbsMixin):
    """What every public page shares."""


# --- reusable querysets -----------------------------------------------------------------------------------------


def published_meetings_for_listing():
    """Published meetings with their committee and case count in one query, newest first."""
    return (
        Meeting.objects.published()
        .with_committee()
        .annotate(case_count=Count("cases"))
        .order_by("-date", "committee__name")
    )


def committees_with_counts():
    """Every committee with its number of published meetings, cases and decided cases."""
    published = Q(meetings__is_published=True)
    return Committee.objects.annotate(
        meeting_count=Count("meetings", filter=published, distinct=True),
        case_count=Count("meetings__cases", filter=published, distinct=True),
        decision_count=Count(
            "meetings__cases", filter=published & Q(meetings__cases__decision__isnull=False), distinct=True
        ),
        last_meeting=Max("meetings__date", filter=published),
    ).order_by("name")


def party_names() -> dict[str, str]:
    """Party letter → party name ("A" → "Socialdemokratiet"), one query."""
    return dict(Party.objects.values_list("letter", "name"))


# --- pages ------------------------------------------------------------------------------------------------------


class HomeView(PublicPageMixin, TemplateView):
    """The front page: latest meetings, the committees, and a search box."""

    template_name = "meetings/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["breadcrumbs"] = []
        context["latest_meetings"] = published_meetings_for_listing()[:LATEST_MEETINGS_ON_HOME]
        context["committees"] = [c for c in committees_with_counts() if c.meeting_count]
        return context


class AboutView(PublicPageMixin, TemplateView):
    """About the archive and a glossary of the terms citizens meet in the minutes."""

    template_name = "meetings/about.html"

    def get_breadcrumbs(self):
        return [(_("Om arkivet"), None)]


class CommitteeListView(PublicPageMixin, ListView):
    """All committees with how much of their work the archive holds."""

    template_name = "meetings/committee_list.html"
    context_object_name = "committees"

    def get_queryset(self):
        return committees_with_counts()

    def get_breadcrumbs(self):
        return [(_("Udvalg"), None)]


class CommitteeDetailView(PublicPageMixin, DetailView):
    """A committee: its meetings by year, members seen at its recent meetings, and counts of cases and decisions."""

    template_name = "meetings/committee_detail.html"
    context_object_name = "committee"

    def get_queryset(self):
        return committees_with_counts()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        meetings = list(published_meetings_for_listing().filter(committee=self.object))
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
            .select_related("person", "meeting", "substitute_for")
            .order_by("-meeting__date", "position")
        ):
            newest_meeting_id = newest_meeting_id or attendance.meeting_id
            seen.setdefault(attendance.person_id, attendance)
        parties = party_names()
        for attendance in seen.values():
            attendance.party_name = parties.get(attendance.party, "")
        latest = [a for a in seen.values() if a.meeting_id == newest_meeting_id]
        earlier = sorted((a for a in seen.values() if a.meeting_id != newest_meeting_id), key=lambda a: a.person.name)
        return latest, earlier

    def get_breadcrumbs(self):
        return [(_("Udvalg"), reverse("meetings:committee_list")), (self.object.name, None)]


class MeetingListView(PublicPageMixin, FilterView):
    """All published meetings, filterable by committee and year, paginated."""

    template_name = "meetings/meeting_list.html"
    filterset_class = MeetingFilter
    context_object_name = "meetings"
    paginate_by = MEETINGS_PER_PAGE
    strict = False

    def get_queryset(self):
        return published_meetings_for_listing()

    def get_breadcrumbs(self):
        return [(_("Møder"), None)]


class PersonListView(PublicPageMixin, ListView):
    """Everyone named in a published protocol, with how many meetings they attended."""

    template_name = "meetings/person_list.html"
    context_object_name = "people"
    paginate_by = PEOPLE_PER_PAGE

    def get_queryset(self):
        published = Q(attendances__meeting__is_published=True)
        return (
            Person.objects.annotate(
                meeting_count=Count("attendances", filter=published),
                present_count=Count("attendances", filter=published & Q(attendances__present=True)),
                last_seen=Max("attendances__meeting__date", filter=published),
            )
            .filter(meeting_count__gt=0)
            .order_by("name")
        )

    def get_breadcrumbs(self):
        return [(_("Personer"), None)]


class PersonDetailView(PublicPageMixin, DetailView):
    """A member: party, committees, chair roles, meetings attended and missed, and the cases they missed."""

    template_name = "meetings/person_detail.html"
    context_object_name = "person"

    def get_queryset(self):
        published_attendances = (
            Attendance.objects.filter(meeting__is_published=True)
            .select_related("meeting__committee", "substitute_for")
            .order_by("-meeting__date", "meeting__committee__name")
        )
        return Person.objects.prefetch_related(Prefetch("attendances", queryset=published_attendances))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        attendances = list(self.object.attendances.all())
        parties = party_names()
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
        """Per meeting with absences: the cases missed, each with number, title and permalink (one query)."""
        wanted = {a.meeting_id: a for a in attendances if a.cases_missed or not a.present}
        titles: dict[int, dict[int, str]] = defaultdict(dict)
        rows = (
            Meeting.objects.filter(id__in=wanted)
            .exclude(cases__number__isnull=True)
            .values_list("id", "cases__number", "cases__title")
        )
        for meeting_id, number, title in rows:
            titles[meeting_id][number] = title
        result = []
        for meeting_id, attendance in wanted.items():
            meeting = attendance.meeting
            numbers = attendance.cases_missed or sorted(titles[meeting_id])
            cases = [
                {
                    "number": n,
                    "title": titles[meeting_id].get(n, ""),
                    "url": reverse(
                        "cases:case_detail",
                        kwargs={"committee": meeting.committee.slug, "date": meeting.date, "number": n},
                    )
                    if n in titles[meeting_id]
                    else None,
                }
                for n in numbers
            ]
            result.append(
                {"attendance": attendance, "meeting": meeting, "whole_meeting": not attendance.present, "cases": cases}
            )
        return result

    def get_breadcrumbs(self):
        return [(_("Personer"), reverse("meetings:person_list")), (self.object.name, None)]


def get_published_meeting(committee_slug: str, date: dt.date, queryset=None) -> Meeting:
    """The published meeting of a committee on a date, or 404."""
    queryset = Meeting.objects.published() if queryset is None else queryset
    return get_object_or_404(queryset, committee__slug=committee_slug, date=date)
