"""Public pages for one meeting (its whole protocol), its original text, and one case.

The URLs are permanent citations: /moeder/<committee-slug>/<YYYY-MM-DD>/[sag/<number>/]. Only published meetings
are shown; everything else is a 404. Each page costs a fixed number of queries whatever its size.
"""

from __future__ import annotations

import datetime as dt
import re

from django.db.models import Max, Prefetch, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView, View

from cases.models import Attachment, AttachmentDocument, Case, CaseStep, Recommendation, Section
from meetings.models import Attendance, Meeting, SourceDocument
from meetings.views import ConditionalMixin, PublicPageMixin, get_published_meeting, meetings_last_modified, party_names

SIMILAR_CASES_SHOWN = 10
# A title stem shorter than this ("Diverse", "Meddelelser") is only matched exactly: a prefix would match too much.
MIN_STEM_FOR_PREFIX = 12
_TRAILING_NUMBERS = re.compile(r"[\s\d.,:;()/\-–—]+$")


def archive_last_modified(request=None, *args, **kwargs) -> dt.datetime | None:
    """The newest meeting write or attachment-document upload: a safe Last-Modified for meeting and case pages.

    Case pages show attachment documents, which can be uploaded (and linked) after the meeting was imported.
    """
    meetings = meetings_last_modified()
    documents = AttachmentDocument.objects.aggregate(last=Max("uploaded_at"))["last"]
    return max((t for t in (meetings, documents) if t is not None), default=None)


class ArchiveConditionalMixin(ConditionalMixin):
    def last_modified(self, request, *args, **kwargs):
        return archive_last_modified()


def meeting_breadcrumbs(meeting: Meeting, *, current: bool = False) -> list[tuple[str, str | None]]:
    """Breadcrumbs down to a meeting: Møder › committee › date (no link on the date when it is the current page)."""
    return [
        (_("Møder"), reverse("meetings:meeting_list")),
        (meeting.committee.name, meeting.committee.get_absolute_url()),
        (date_format(meeting.date, "j. F Y"), None if current else meeting.get_absolute_url()),
    ]


def split_attendance(attendances, case_number: int | None = None) -> tuple[list[Attendance], list[Attendance]]:
    """(present, absent) for the whole meeting, or for one case when `case_number` is given.

    For the whole meeting someone away for only some cases is in both lists: present, and absent for those cases.
    """
    parties = party_names()
    present, absent = [], []
    for attendance in attendances:
        attendance.party_name = parties.get(attendance.party, "")
        if case_number is None:
            if attendance.present:
                present.append(attendance)
            if not attendance.present or attendance.cases_missed:
                absent.append(attendance)
        else:
            (absent if attendance.missed(case_number) else present).append(attendance)
    return present, absent


def _attendances():
    return Attendance.objects.select_related("person", "substitute_for").order_by("position")


def _steps():
    return CaseStep.objects.select_related("body_committee", "earlier_case__meeting__committee").order_by("position")


class MeetingDetailView(ArchiveConditionalMixin, PublicPageMixin, DetailView):
    """A meeting: committee, date, end time, who was there, and the agenda with each case's full text in place."""

    template_name = "cases/meeting_detail.html"
    context_object_name = "meeting"

    def get_queryset(self):
        cases = (
            Case.objects.select_related("decision", "authority_committee")
            .prefetch_related(
                Prefetch("sections", queryset=Section.objects.order_by("position")),
                Prefetch("attachments", queryset=Attachment.objects.order_by("number")),
            )
            .order_by("number")
        )
        return (
            Meeting.objects.published()
            .select_related("committee")
            .prefetch_related(Prefetch("cases", queryset=cases), Prefetch("attendances", queryset=_attendances()))
        )

    def get_object(self, queryset=None):
        queryset = self.get_queryset() if queryset is None else queryset
        return get_published_meeting(self.kwargs["committee"], self.kwargs["date"], queryset)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        present, absent = split_attendance(self.object.attendances.all())
        context.update(cases=self.object.cases.all(), present=present, absent=absent)
        return context

    def get_breadcrumbs(self):
        return meeting_breadcrumbs(self.object, current=True)


class MeetingOriginalView(ConditionalMixin, View):
    """The protocol exactly as imported (`SourceDocument.text`), as plain text that a browser never sniffs as HTML."""

    def get(self, request, committee: str, date: dt.date):
        meeting = get_published_meeting(committee, date, Meeting.objects.published().select_related("committee"))
        if meeting.source_id is None:
            raise Http404(_("Mødet har ingen original tekst."))
        text = SourceDocument.objects.values_list("text", flat=True).get(pk=meeting.source_id)
        response = HttpResponse(text, content_type="text/plain; charset=utf-8")
        response["X-Content-Type-Options"] = "nosniff"
        response["Content-Disposition"] = f'inline; filename="{meeting.committee.slug}-{meeting.date.isoformat()}.txt"'
        return response


def title_stem(title: str) -> str:
    """A title without trailing years, numbers and punctuation, folded for comparison ("Plan 2023 -2024" → "plan")."""
    return _TRAILING_NUMBERS.sub("", title.strip()).casefold()


def similar_title_cases(case: Case, limit: int = SIMILAR_CASES_SHOWN) -> list[Case]:
    """Published cases at other meetings with the same title, or the same title but for trailing years/numbers.

    One query: exact (case-insensitive) title or a prefix match on the stem; the stem comparison is then checked
    in Python so "Budget" does not match "Budgetopfølgning".
    """
    stem = title_stem(case.title)
    condition = Q(title__iexact=case.title.strip())
    if len(stem) >= MIN_STEM_FOR_PREFIX:
        condition |= Q(title__istartswith=_TRAILING_NUMBERS.sub("", case.title.strip()))
    candidates = (
        Case.objects.published()
        .filter(condition)
        .exclude(meeting_id=case.meeting_id)
        .select_related("meeting__committee", "decision")
        .order_by("-meeting__date", "number")[: limit * 5]
    )
    same = [
        c
        for c in candidates
        if c.title.strip().casefold() == case.title.strip().casefold() or title_stem(c.title) == stem
    ]
    return same[:limit]


class CaseDetailView(ArchiveConditionalMixin, PublicPageMixin, DetailView):
    """A case: decision first, recommendations, sections, attachments, attendance, neighbours and the matter's path."""

    template_name = "cases/case_detail.html"
    context_object_name = "case"

    def get_queryset(self):
        attachments = Attachment.objects.select_related("document").defer("document__content").order_by("number")
        later_steps = (
            CaseStep.objects.filter(case__meeting__is_published=True)
            .select_related("case__meeting__committee", "case__decision")
            .order_by("case__meeting__date", "case__number")
        )
        return (
            Case.objects.published()
            .select_related("meeting__committee", "decision", "authority_committee")
            .prefetch_related(
                Prefetch("sections", queryset=Section.objects.order_by("position")),
                Prefetch("recommendations", queryset=Recommendation.objects.order_by("position")),
                Prefetch("attachments", queryset=attachments),
                Prefetch("steps", queryset=_steps()),
                Prefetch("later_steps", queryset=later_steps),
            )
        )

    def get_object(self, queryset=None):
        return get_object_or_404(
            self.get_queryset() if queryset is None else queryset,
            meeting__committee__slug=self.kwargs["committee"],
            meeting__date=self.kwargs["date"],
            number=self.kwargs["number"],
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        case = self.object
        present, absent = split_attendance(_attendances().filter(meeting_id=case.meeting_id), case.number)
        siblings = list(case.meeting.cases.order_by("number").only("id", "number", "title", "meeting_id"))
        previous = [c for c in siblings if c.number < case.number]
        following = [c for c in siblings if c.number > case.number]
        for sibling in siblings:
            sibling.meeting = case.meeting  # so get_absolute_url needs no query
        context.update(
            meeting=case.meeting,
            present=present,
            absent=absent,
            previous_case=previous[-1] if previous else None,
            next_case=following[0] if following else None,
            similar_cases=similar_title_cases(case),
            later_steps=list(case.later_steps.all()),
            cited_case=Case.objects.published()
            .cited_by(case, today_year=timezone.localdate().year)
            .for_listing()
            .first(),
            citing_cases=list(Case.objects.published().citing(case).for_listing().order_by("meeting__date")),
        )
        return context

    def get_breadcrumbs(self):
        meeting = self.object.meeting
        return [*meeting_breadcrumbs(meeting), (_("Sag nr. %(number)s") % {"number": self.object.number}, None)]
