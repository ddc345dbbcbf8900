"""Links the importer makes between rows of different meetings: decision trails and attachment documents."""

from __future__ import annotations

import re
import unicodedata

from cases.models import Attachment, AttachmentDocument, Case, CaseStep
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


def link_case_steps(meeting: Meeting) -> int:
    """Point decision-trail steps at the earlier cases the archive holds, in both directions; returns links made."""
    made = 0
    steps = CaseStep.objects.filter(
        case__meeting=meeting, earlier_case__isnull=True, body_committee__isnull=False, date__isnull=False
    ).exclude(item__isnull=True)
    for step in steps:
        earlier = Case.objects.filter(
            meeting__committee_id=step.body_committee_id, meeting__date=step.date, number=step.item
        ).first()
        if earlier:
            step.earlier_case = earlier
            step.save(update_fields=["earlier_case"])
            made += 1
    numbers = dict(meeting.cases.values_list("number", "id"))
    later = CaseStep.objects.filter(
        earlier_case__isnull=True, body_committee=meeting.committee, date=meeting.date, item__in=numbers
    )
    for step in later:
        step.earlier_case_id = numbers[step.item]
        step.save(update_fields=["earlier_case"])
        made += 1
    return made


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
