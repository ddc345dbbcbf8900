"""Build and refresh the search index: one `SearchDocument` per case, plus the engine's own structure.

Called explicitly wherever cases are written (the importer's `_after_write`, attachment linking, the admin) —
no signals. Runs inside the caller's transaction, so an import and its index change commit or roll back together.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.db.models import Prefetch

from cases.models import Attachment, Case, CaseStep, Recommendation, Section
from search import danish, decompound
from search.backends import get_engine
from search.models import SearchDocument, bucket_of

# tsvector values are limited to 1 MB; a few hundred kB of attachment text is plenty to find a case by.
MAX_ATTACHMENT_CHARS = 200_000
BATCH = 500


def _join(parts: Iterable[str]) -> str:
    return "\n".join(p.strip() for p in parts if p and p.strip())


def build_document(case: Case) -> SearchDocument:
    """The unsaved search document of a case whose meeting, decision and children are loaded."""
    decision = getattr(case, "decision", None)
    attachments = _join(
        part
        for a in case.attachments.all()
        for part in (a.title, a.document.title if a.document else "", a.document.text if a.document else "")
    )
    document = SearchDocument(
        case=case,
        meeting_id=case.meeting_id,
        committee_id=case.meeting.committee_id,
        meeting_date=case.meeting.date,
        number=case.number,
        authority=case.authority,
        outcome=decision.outcome if decision else "",
        kind=case.meeting.kind,
        title=case.title,
        decision=decision.text if decision else "",
        text_b=_join([decision.text if decision else "", *(r.text for r in case.recommendations.all())]),
        text_c=_join(
            [
                *(f"{s.heading}\n{s.text}" for s in case.sections.all()),
                *(f"{s.body}: {s.text}" for s in case.steps.all()),
            ]
        ),
        text_d=attachments[:MAX_ATTACHMENT_CHARS],
        bucket=bucket_of(case.pk),
    )
    document.parts = document_parts(document)
    return document


def document_parts(document: SearchDocument) -> str:
    """The stems of the compound parts of a document's words, space-separated (search/decompound.py)."""
    texts = (document.title, document.text_b, document.text_c, document.text_d)
    return " ".join(decompound.text_parts("\n".join(texts)))


def _cases(ids: list[int]):
    return (
        Case.objects.filter(pk__in=ids)
        .select_related("meeting", "decision")
        .prefetch_related(
            Prefetch("sections", queryset=Section.objects.order_by("position")),
            Prefetch("recommendations", queryset=Recommendation.objects.order_by("position")),
            Prefetch("steps", queryset=CaseStep.objects.order_by("position")),
            # Not the original file nor its HTML view: the index reads the text alone.
            Prefetch(
                "attachments",
                queryset=Attachment.objects.order_by("number")
                .select_related("document")
                .defer("document__content", "document__html"),
            ),
        )
    )


@transaction.atomic
def index_cases(case_ids: Iterable[int]) -> int:
    """(Re)index the given cases; ids of cases that no longer exist are removed from the index.

    Returns the number of documents written.
    """
    engine = get_engine()
    ids = sorted(set(case_ids))
    written = 0
    for start in range(0, len(ids), BATCH):
        chunk = ids[start : start + BATCH]
        documents = [build_document(case) for case in _cases(chunk)]
        engine.save(chunk, documents)
        engine.write_words(set().union(*(document_words(doc) for doc in documents)))
        written += len(documents)
    engine.purge_orphans()
    return written


def document_words(document: SearchDocument) -> set[str]:
    """The words of a document for the vocabulary of spelling suggestions (search.models.SearchWord)."""
    return danish.vocabulary("\n".join((document.title, document.text_b, document.text_c, document.text_d)))


def rebuild_index() -> int:
    """Index every case from scratch; returns the number of documents."""
    with transaction.atomic():
        SearchDocument.objects.all().delete()
        get_engine().purge_orphans()
        get_engine().clear_words()  # words of cases since changed or deleted go
        ids = list(Case.objects.order_by("pk").values_list("pk", flat=True))
        return index_cases(ids)
