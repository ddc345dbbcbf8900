"""Build and refresh the search index: one `SearchDocument` per case, plus the engine's own structure.

Called explicitly wherever cases are written (the importer's `_after_write`, attachment linking, the admin) —
no signals. Runs inside the caller's transaction, so an import and its index change commit or roll back together.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction

from cases.models import Attachment, Case, CaseStep, Recommendation, Section
from search import danish, decompound
from search.backends import get_engine
from search.models import SearchDocument, bucket_of

# tsvector values are limited to 1 MB; a few hundred kB of attachment text is plenty to find a case by.
MAX_ATTACHMENT_CHARS = 200_000
BATCH = 500


def _join(parts: Iterable[str]) -> str:
    return "\n".join(p.strip() for p in parts if p and p.strip())


def build_document(case: dict, children: dict[str, list[str]]) -> SearchDocument:
    """The unsaved search document of a case (a row of `_case_rows`) and its children's texts (`_children`)."""
    document = SearchDocument(
        case_id=case["id"],
        meeting_id=case["meeting_id"],
        committee_id=case["meeting__committee_id"],
        meeting_date=case["meeting__date"],
        number=case["number"],
        authority=case["authority"],
        outcome=case["decision__outcome"] or "",
        kind=case["meeting__kind"],
        title=case["title"],
        decision=case["decision__text"] or "",
        text_b=_join([case["decision__text"] or "", *children["recommendations"]]),
        text_c=_join([*children["sections"], *children["steps"]]),
        text_d=_join(children["attachments"])[:MAX_ATTACHMENT_CHARS],
        bucket=bucket_of(case["id"]),
    )
    document.parts = document_parts(document)
    return document


def document_parts(document: SearchDocument) -> str:
    """The stems of the compound parts of a document's words, space-separated (search/decompound.py)."""
    texts = (document.title, document.text_b, document.text_c, document.text_d)
    return " ".join(decompound.text_parts("\n".join(texts)))


CASE_COLUMNS = (
    "id",
    "meeting_id",
    "meeting__committee_id",
    "meeting__date",
    "meeting__kind",
    "number",
    "authority",
    "title",
    "decision__outcome",
    "decision__text",
)


def _children(ids: list[int]) -> dict[int, dict[str, list[str]]]:
    """Per case id, the texts its sections, recommendations, trail steps and attachments add, in their order.

    Read as plain rows (one query per kind): an index of thousands of cases would otherwise build a model
    instance for every section, and a queryset per case and relation for the prefetch cache."""
    texts: dict[int, dict[str, list[str]]] = {
        pk: {"sections": [], "recommendations": [], "steps": [], "attachments": []} for pk in ids
    }
    rows = {
        "sections": Section.objects.filter(case_id__in=ids)
        .order_by("case_id", "position")
        .values_list("case_id", "heading", "text"),
        "recommendations": Recommendation.objects.filter(case_id__in=ids)
        .order_by("case_id", "position")
        .values_list("case_id", "text"),
        "steps": CaseStep.objects.filter(case_id__in=ids)
        .order_by("case_id", "position")
        .values_list("case_id", "body", "text"),
        # Not the original file nor its HTML view: the index reads the text alone.
        "attachments": Attachment.objects.filter(case_id__in=ids)
        .order_by("case_id", "number")
        .values_list("case_id", "title", "document__title", "document__text"),
    }
    for case_id, heading, text in rows["sections"]:
        texts[case_id]["sections"].append(f"{heading}\n{text}")
    for case_id, text in rows["recommendations"]:
        texts[case_id]["recommendations"].append(text)
    for case_id, body, text in rows["steps"]:
        texts[case_id]["steps"].append(f"{body}: {text}")
    for case_id, *parts in rows["attachments"]:
        texts[case_id]["attachments"].extend(part or "" for part in parts)
    return texts


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
        children = _children(chunk)
        cases = Case.objects.filter(pk__in=chunk).order_by("pk").values(*CASE_COLUMNS)
        documents = [build_document(case, children[case["id"]]) for case in cases]
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
