"""Links the importer makes between rows of different meetings: decision trails and attachment documents."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Sequence
from functools import reduce
from operator import or_

from django.db.models import Q
from django.utils import timezone

from cases.models import Attachment, AttachmentDocument, Case, CaseStep, Reference
from meetings.models import Meeting

# Words that say nothing about which document is meant.
_STOPWORDS = frozenset(
    {
        "af",
        "at",
        "bilag",
        "de",
        "den",
        "der",
        "det",
        "en",
        "er",
        "et",
        "for",
        "fra",
        "i",
        "med",
        "og",
        "om",
        "paa",
        "pr",
        "som",
        "til",
        "ved",
        "vedr",
    }
)
_YEAR = re.compile(r"^(19|20)\d\d$")
_MIN_SCORE = 0.5


def link_case_steps(meetings: Sequence[Meeting]) -> int:
    """Point decision-trail steps at the earlier cases the archive holds, in both directions; returns links made.

    A step names its case by date and item ("Økonomiudvalget, 11. juni 2025, pkt. 106"); a step with a date but no
    item ("Økonomiudvalget 14-05-2014") by the one case of that meeting with the same title; an undated step
    ("Økonomiudvalget:") by the reference of the case quoting it ("Sag nr. 42 (ØU 53/09)") when the reference
    names that body.

    Set-wise: a fixed number of indexed queries for all the meetings given (one, or a batch of new ones), however
    many steps they have or the archive holds.
    """
    if not meetings:
        return 0
    today_year = timezone.localdate().year
    steps = list(
        CaseStep.objects.filter(
            case__meeting__in=meetings, earlier_case__isnull=True, body_committee__isnull=False
        ).select_related("case", "body_committee")
    )
    found = _earlier_cases(steps, today_year)
    linked = [step for step in steps if step.pk in found]
    for step in linked:
        step.earlier_case_id = found[step.pk]
    by_meeting = {(meeting.committee_id, meeting.date): meeting for meeting in meetings}
    numbers: dict[tuple[int, dt.date], dict[int, int]] = {key: {} for key in by_meeting}
    by_title: dict[tuple[int, dt.date], dict[str, list[int]]] = {key: {} for key in by_meeting}
    rows = Case.objects.filter(meeting__in=meetings).values_list(
        "id", "number", "title_key", "meeting__committee_id", "meeting__date"
    )
    for case_id, number, title, committee_id, date in rows:
        numbers[(committee_id, date)][number] = case_id
        by_title[(committee_id, date)].setdefault(title, []).append(case_id)
    # Other meetings' steps that name one of these meetings: by item, or (no item) by the one case with that title.
    named = CaseStep.objects.filter(
        earlier_case__isnull=True,
        body_committee_id__in={committee_id for committee_id, _date in by_meeting},
        date__in={date for _committee_id, date in by_meeting},
    ).select_related("case")
    for step in named:
        key = (step.body_committee_id, step.date)
        if key not in by_meeting or step.pk in found:  # another meeting's day, or linked above
            continue
        if step.item is not None:
            if (case_id := numbers[key].get(step.item)) is not None:
                step.earlier_case_id = case_id
                linked.append(step)
        elif len(matches := by_title[key].get(step.case.title_key, [])) == 1:
            step.earlier_case_id = matches[0]
            linked.append(step)
    # Undated steps naming a meeting's committee, in cases whose reference names one of the meeting's cases.
    by_spelling: dict[str, tuple[int, int]] = {}
    for (committee_id, date), meeting in by_meeting.items():
        if meeting.committee.code:
            for number, case_id in numbers[(committee_id, date)].items():
                for spelling in Reference(meeting.committee.code, number, date.year).spellings():
                    by_spelling.setdefault(spelling, (committee_id, case_id))
    if by_spelling:
        undated = CaseStep.objects.filter(
            earlier_case__isnull=True,
            body_committee_id__in={committee_id for committee_id, _case in by_spelling.values()},
            date__isnull=True,
            item__isnull=True,
            case__reference__in=by_spelling,
        ).select_related("case")
        for step in undated:
            committee_id, case_id = by_spelling[step.case.reference]
            if step.pk in found or step.body_committee_id != committee_id:
                continue
            step.earlier_case_id = case_id
            linked.append(step)
    CaseStep.objects.bulk_update(linked, ["earlier_case"], batch_size=500)
    return len(linked)


def _earlier_cases(steps: list[CaseStep], today_year: int) -> dict[int, int]:
    """The earlier case each of these steps names, as {step id: case id} for the steps that name one; two queries.

    By date and item: the case of that number at the body's meeting that day. By date alone: the one case of that
    meeting with the step's case's title (none if several). Undated: the case the step's case's reference names
    ("ØU 53/09": that committee's case 53 at its first meeting in 2009 that has one), if it names the step's body.
    """
    wanted: dict[int, tuple] = {}
    for step in steps:
        if step.date is not None:
            wanted[step.pk] = ("dated", step.body_committee_id, step.date)
        else:
            reference = Reference.parse(step.case.reference, today_year=today_year)
            if reference and step.body_committee.code.casefold() == reference.code.casefold():
                wanted[step.pk] = ("year", step.body_committee_id, reference.year)
    meetings: dict[tuple[int, dt.date], int] = {}
    by_year: dict[tuple[int, int], list[tuple[dt.date, int]]] = {}
    conditions = [
        Q(committee_id=committee_id, date=key) if kind == "dated" else Q(committee_id=committee_id, date__year=key)
        for kind, committee_id, key in set(wanted.values())
    ]
    if conditions:
        for meeting_id, committee_id, date in Meeting.objects.filter(reduce(or_, conditions)).values_list(
            "id", "committee_id", "date"
        ):
            meetings[(committee_id, date)] = meeting_id
            by_year.setdefault((committee_id, date.year), []).append((date, meeting_id))
    cases: dict[tuple[int, int], int] = {}  # (meeting, number) -> case
    titled: dict[tuple[int, str], list[int]] = {}  # (meeting, title key) -> cases
    numbers = {step.item for step in steps if step.item is not None}
    numbers |= {ref.number for step in steps if (ref := Reference.parse(step.case.reference, today_year=today_year))}
    keys = {step.case.title_key for step in steps if step.date is not None and step.item is None}
    if meetings and (numbers or keys):
        found = Case.objects.filter(
            Q(number__in=numbers) | Q(title_key__in=keys), meeting_id__in=set(meetings.values())
        ).values_list("id", "meeting_id", "number", "title_key")
        for case_id, meeting_id, number, key in found:
            cases[(meeting_id, number)] = case_id
            if key in keys:
                titled.setdefault((meeting_id, key), []).append(case_id)
    result: dict[int, int] = {}
    for step in steps:
        earlier = None
        kind = wanted.get(step.pk, (None,))[0]
        if kind == "dated":
            meeting_id = meetings.get((step.body_committee_id, step.date))
            if meeting_id is not None and step.item is not None:
                earlier = cases.get((meeting_id, step.item))
            elif meeting_id is not None:
                matches = titled.get((meeting_id, step.case.title_key), [])
                earlier = matches[0] if len(matches) == 1 else None
        elif kind == "year":
            reference = Reference.parse(step.case.reference, today_year=today_year)
            for _date, meeting_id in sorted(by_year.get((step.body_committee_id, reference.year), [])):
                if (earlier := cases.get((meeting_id, reference.number))) is not None:
                    break
        if earlier is not None:
            result[step.pk] = earlier
    return result


def words(text: str) -> set[str]:
    """Content words of a title or file name, folded so "Rødovre", "roedovre" and "RØDOVRE" compare equal."""
    folded = unicodedata.normalize("NFC", text).casefold()
    folded = folded.replace("æ", "ae").replace("ø", "oe").replace("å", "aa")
    return {w for w in re.split(r"[^0-9a-z]+", folded) if w and w not in _STOPWORDS}


def match_score(document_keys: set[str], attachment: Attachment) -> float:
    """How well a document's title/file-name words fit an attachment (its bilag title and its case's title).

    0 when both name years and they differ: a 2019 plan is not the 2023 plan even if every other word matches.
    """
    best = 0.0
    for title in (attachment.title, attachment.case.title):
        target = words(title)
        if not target:
            continue
        doc_years = {w for w in document_keys if _YEAR.match(w)}
        target_years = {w for w in target if _YEAR.match(w)} | {str(attachment.case.meeting.date.year)}
        if doc_years and not doc_years & target_years:
            return 0.0
        shared = (document_keys - doc_years) & (target - target_years)
        best = max(best, len(shared) / max(1, len(target - target_years)))
    return best


def document_keys(document: AttachmentDocument) -> set[str]:
    return words(document.title) | words(document.filename.rsplit(".", 1)[0])


def best_attachment(document: AttachmentDocument, candidates) -> Attachment | None:
    """The attachment a document most plausibly belongs to, or None when nothing fits well enough."""
    keys = document_keys(document)
    scored = [(match_score(keys, a), a) for a in candidates]
    scored = [(s, a) for s, a in scored if s >= _MIN_SCORE]
    if not scored:
        return None
    return max(scored, key=lambda pair: (pair[0], pair[1].case.meeting.date))[1]


def link_documents_to_attachments(attachments) -> int:
    """Give unlinked attachments the stored document that fits each best; returns links made."""
    attachments = list(attachments.select_related("case__meeting"))
    if not attachments:
        return 0
    made = 0
    for document in AttachmentDocument.objects.filter(attachments__isnull=True):
        found = best_attachment(document, [a for a in attachments if a.document_id is None])
        if found:
            found.document = document
            found.save(update_fields=["document"])
            made += 1
    return made
