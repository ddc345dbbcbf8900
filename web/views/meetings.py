"""The meeting list, one meeting (its whole protocol) and its original text.

The URLs are permanent citations: /moeder/<committee-slug>/<YYYY-MM-DD>/. Only published meetings are shown;
everything else is a 404. Each page costs a fixed number of queries whatever its size.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Prefetch, Sum
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView, View
from django_filters.views import FilterView

from cases.models import Attachment, Case, Section
from meetings.models import Attendance, Committee, Meeting, SourceDocument
from search.services import KnownCountPaginator
from web.filters import MeetingFilter
from web.mixins import ArchiveConditionalMixin, ConditionalMixin, PublicPageMixin, meeting_breadcrumbs

MEETINGS_PER_PAGE = 25


def get_published_meeting(committee_slug: str, date: dt.date, queryset=None) -> Meeting:
    """The published meeting of a committee on a date, or 404."""
    queryset = Meeting.objects.published() if queryset is None else queryset
    return get_object_or_404(queryset, committee__slug=committee_slug, date=date)


def split_attendance(attendances, case_number: int | None = None) -> tuple[list[Attendance], list[Attendance]]:
    """(present, absent) for the whole meeting, or for one case when `case_number` is given (no queries).

    For the whole meeting someone away for only some cases is in both lists: present, and absent for those cases.
    """
    present, absent = [], []
    for attendance in attendances:
        if case_number is None:
            if attendance.present:
                present.append(attendance)
            if not attendance.present or attendance.cases_missed:
                absent.append(attendance)
        else:
            (absent if attendance.missed(case_number) else present).append(attendance)
    return present, absent


class MeetingListView(PublicPageMixin, FilterView):
    """All published meetings, filterable by committee and year, paginated."""

    template_name = "web/meeting_list.html"
    filterset_class = MeetingFilter
    context_object_name = "meetings"
    paginate_by = MEETINGS_PER_PAGE
    strict = False

    def get_queryset(self):
        return Meeting.objects.published().for_listing()

    def get_paginator(self, queryset, per_page, orphans=0, allow_empty_first_page=True, **kwargs):
        # All meetings, or one committee's: the kept totals say how many, so the archive is not counted per page.
        form = self.filterset.form
        data = form.cleaned_data if form.is_valid() else {}
        if not data.get("aar"):
            committee = data.get("udvalg")
            committees = Committee.objects.filter(pk=committee.pk) if committee else Committee.objects.all()
            total = committees.aggregate(n=Sum("meeting_count"))["n"] or 0
            return KnownCountPaginator(
                queryset, per_page, count=total, orphans=orphans, allow_empty_first_page=allow_empty_first_page
            )
        return super().get_paginator(queryset, per_page, orphans, allow_empty_first_page, **kwargs)

    def get_breadcrumbs(self):
        return [(_("Møder"), None)]


class MeetingDetailView(ArchiveConditionalMixin, PublicPageMixin, DetailView):
    """A meeting: committee, date, end time, who was there, and the agenda with each case's full text in place."""

    template_name = "web/meeting_detail.html"
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
            .annotate(version_count=Count("source_versions"))
            .prefetch_related(
                Prefetch("cases", queryset=cases),
                Prefetch("attendances", queryset=Attendance.objects.for_display()),
            )
        )

    def get_object(self, queryset=None):
        queryset = self.get_queryset() if queryset is None else queryset
        return get_published_meeting(self.kwargs["committee"], self.kwargs["date"], queryset)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        present, absent = split_attendance(self.object.attendances.all())
        context.update(
            cases=self.object.cases.all(),
            present=present,
            absent=absent,
            today=timezone.localdate(),
        )
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
