"""One case: its decision first, then everything the protocol says about it and the matter's path.

The URL is a permanent citation: /moeder/<committee-slug>/<YYYY-MM-DD>/sag/<number>/. The page costs a fixed
number of queries whatever the archive's size: the lookups for related cases go through indexed columns.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView

from cases.models import Attachment, Case, CaseStep, Outcome, Recommendation, Section
from meetings.models import Attendance, Committee, CommitteeNames
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


@dataclass
class Finality:
    """Whether a case's decision is the last word, and if not, who has it and whether the archive holds it.

    `recommends_only`: the committee only recommended (outcome *recommended*, or the authority is another body);
    `deciding`: the body with the final say (a Committee, or the authority as printed when the archive does not
    know it; None when the protocol does not say); `final_case`: that body's treatment of the matter when the
    archive has it, found through the decision trail or the references; `onward`: every later treatment.
    """

    recommends_only: bool = False
    deciding: Committee | str | None = None
    final_case: Case | None = None
    onward: list[Case] = field(default_factory=list)

    @property
    def deciding_name(self) -> str:
        return self.deciding.name if isinstance(self.deciding, Committee) else (self.deciding or "")


# Outcomes that leave the matter open: a later treatment with one of these is not the final decision.
_NOT_FINAL = (Outcome.RECOMMENDED, Outcome.POSTPONED)
# An old protocol's pointer to the body that decides: "Indstilles godkendt (Til Kommunalbestyrelsen)", "sendes
# videre til KB". Parenthesised pointers are read first.
_POINTERS = (
    re.compile(r"\(\s*til\s+([^()]+?)\s*\)", re.IGNORECASE),
    re.compile(r"\btil\s+([^()\n]+)", re.IGNORECASE),
)
_POINTER_WORDS = 6  # more words than any committee's name has ("Teknik- og Miljøudvalget": 3)


def pointed_committee(text: str, committees: Iterable[Committee], own: Committee | None = None) -> Committee | None:
    """The committee a decision sends the matter on to ("(Til Kommunalbestyrelsen)", "til KB"), by name or code,
    or None when no pointer names a known committee (other than `own`). Iterates `committees` only when the text
    has a pointer."""
    if not re.search(r"\btil\s", text, re.IGNORECASE):
        return None
    known = CommitteeNames(committees)
    for pointer in _POINTERS:
        for match in pointer.finditer(text):
            words = match.group(1).split()[:_POINTER_WORDS]
            for length in range(len(words), 0, -1):
                written = " ".join(words[:length]).rstrip(".,;:!?»”\"'").casefold()
                found = known.resolve(written)
                if found is not None and (own is None or found.pk != own.pk):
                    return found
    return None


def case_finality(case: Case, later_cases: list[Case], committees: Iterable[Committee] = ()) -> Finality:
    """How final the case's decision is (see `Finality`); `later_cases` are the published cases that quote this
    one in their trail or cite it by reference, oldest first; `committees` are the known committees (a lazy
    queryset: read only when an old decision without an authority line points onward with "til …").

    Who decides: the authority ("Beslutningskompetence") when the archive knows it; without one (protocols before
    about 2012) the committee a "(Til Kommunalbestyrelsen)" pointer in the decision names, else the authority as
    printed; when that names no known committee, or nobody is named, the latest later treatment whose outcome is
    final (not recommended, not postponed) is the final decision and its committee the deciding body.
    """
    decision = getattr(case, "decision", None)
    if decision is None:
        return Finality(onward=later_cases)
    own = case.meeting.committee
    deciding: Committee | str | None = None
    if case.authority_committee_id and case.authority_committee_id != own.pk:
        deciding = case.authority_committee
    elif not case.authority_committee_id and decision.outcome == Outcome.RECOMMENDED:
        deciding = pointed_committee(decision.text, committees, own)
        if deciding is None and case.authority:
            # A body the archive does not know: named only when the committee itself says it recommends.
            deciding = case.authority.strip()
    elsewhere = deciding is not None and decision.outcome not in (Outcome.NOTED, Outcome.POSTPONED)
    recommends_only = decision.outcome == Outcome.RECOMMENDED or elsewhere
    if not recommends_only:
        return Finality(onward=later_cases)
    final_case = None
    if isinstance(deciding, Committee):
        final_case = next((c for c in reversed(later_cases) if c.meeting.committee_id == deciding.pk), None)
    elif deciding:
        names = {deciding.casefold()}
        final_case = next(
            (
                c
                for c in reversed(later_cases)
                if names & {c.meeting.committee.name.casefold(), c.meeting.committee.code.casefold()}
            ),
            None,
        )
    if final_case is None and not isinstance(deciding, Committee):
        # Nobody the archive knows is named: the matter's latest later treatment that decided it is the final one.
        final_case = next(
            (
                c
                for c in reversed(later_cases)
                if getattr(c, "decision", None) is not None and c.decision.outcome not in _NOT_FINAL
            ),
            None,
        )
        if final_case is not None:
            deciding = final_case.meeting.committee
    return Finality(recommends_only=True, deciding=deciding, final_case=final_case, onward=later_cases)


_CODE = re.compile(r"\b[A-ZÆØÅ]{2,5}\b")


def authority_committees(case: Case) -> list[Committee]:
    """The committees the authority line names by code ("KNU og TMU" → both), else the resolved one (one query
    at most)."""
    codes = _CODE.findall(case.authority)
    if len(codes) > 1:
        by_code = {c.code: c for c in Committee.objects.filter(code__in=codes)}
        found = [by_code[code] for code in codes if code in by_code]
        if found:
            return found
    return [case.authority_committee] if case.authority_committee else []


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
        context["today"] = timezone.localdate()
        context["authority_committees"] = authority_committees(case)
        later = {step.case_id: step.case for step in context["later_steps"]}
        later.update({c.pk: c for c in context["citing_cases"]})
        context["finality"] = case_finality(
            case,
            sorted(later.values(), key=lambda c: (c.meeting.date, c.meeting.committee.name, c.number)),
            Committee.objects.only("id", "name", "code", "slug"),  # read only for an old "(Til …)" pointer
        )
        return context

    def get_breadcrumbs(self):
        meeting = self.object.meeting
        return [*meeting_breadcrumbs(meeting), (_("Sag nr. %(number)s") % {"number": self.object.number}, None)]
