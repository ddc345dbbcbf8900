"""One case: its decision first, then everything the protocol says about it and the matter's path.

The URL is a permanent citation: /moeder/<committee-slug>/<YYYY-MM-DD>/sag/<number>/. The page costs a fixed
number of queries whatever the archive's size: the lookups for related cases go through indexed columns.
"""

from __future__ import annotations

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView

from cases.models import Attachment, Case, CaseStep, Recommendation, Section
from meetings.models import Attendance
from web.mixins import ArchiveConditionalMixin, PublicPageMixin, meeting_breadcrumbs
from web.views.meetings import split_attendance

SIMILAR_CASES_SHOWN = 10


def similar_title_cases(case: Case, limit: int = SIMILAR_CASES_SHOWN) -> list[Case]:
    """Published cases at other meetings with the same title, or the same title but for trailing years/numbers."""
    return list(
        Case.objects.published()
        .same_title_as(case)
        .select_related("meeting__committee", "decision")
        .order_by("-meeting__date", "number")[:limit]
    )


class CaseDetailView(ArchiveConditionalMixin, PublicPageMixin, DetailView):
    """A case: decision first, recommendations, sections, attachments, attendance, neighbours and the matter's path."""

    template_name = "web/case_detail.html"
    context_object_name = "case"

    def get_queryset(self):
        attachments = Attachment.objects.select_related("document").defer("document__content").order_by("number")
        steps = CaseStep.objects.select_related("body_committee", "earlier_case__meeting__committee")
        later_steps = (
            CaseStep.objects.published()
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
                Prefetch("steps", queryset=steps.order_by("position")),
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
        attendances = Attendance.objects.for_display().filter(meeting_id=case.meeting_id)
        present, absent = split_attendance(attendances, case.number)
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
