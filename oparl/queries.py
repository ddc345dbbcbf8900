"""The API's reads: every list as a queryset (or rows) carrying `created` and `modified`, and the loaders that fetch
what a page of objects shows in a fixed number of queries, whatever the page size.

Where the times come from (the archive has no other clock): a meeting's `created_at`/`updated_at` — every import,
re-import, publication and withdrawal moves `updated_at`, and a case only changes with its meeting — and an
attachment document's `uploaded_at`, since a document can be linked to its bilag after the meeting was imported.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    Func,
    Max,
    Min,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    Value,
)
from django.db.models import Case as CaseWhen
from django.db.models import When as CaseWhenBranch
from django.db.models.functions import Coalesce, Greatest, Length

from cases.models import Absence, Attachment, AttachmentDocument, Case, CaseStep, Recommendation, Section
from meetings.models import Attendance, Committee, Meeting, Person, SourceDocument, published_q
from oparl.terms import term_start_expression

# Membership roles in URLs (ASCII) and as OParl `role` (Danish, as the protocols write them).
ROLE_LABELS = {"formand": "Formand", "naestformand": "Næstformand", "medlem": "Medlem", "suppleant": "Suppleant"}
ROLE_KEY = CaseWhen(
    CaseWhenBranch(substitute_for__isnull=False, then=Value("suppleant")),
    CaseWhenBranch(role=Attendance.Role.CHAIR, then=Value("formand")),
    CaseWhenBranch(role=Attendance.Role.VICE_CHAIR, then=Value("naestformand")),
    default=Value("medlem"),
)


def _newest_document(case_path: str) -> Subquery:
    """The newest upload among the attachment documents of the case(s) at `case_path` from the outer row."""
    return Subquery(
        AttachmentDocument.objects.filter(**{f"attachments__{case_path}": OuterRef("pk")})
        .order_by("-uploaded_at")
        .values("uploaded_at")[:1]
    )


def _scalar(queryset, function: str, field: str) -> Subquery:
    """MIN or MAX of a field over a correlated queryset, as a scalar subquery.

    A plain `Func` rather than an `Aggregate`, so that Django adds no GROUP BY: the subquery is one row.
    """
    return Subquery(queryset.order_by().values(value=Func(F(field), function=function))[:1])


def archive_times() -> tuple[dt.datetime | None, dt.datetime | None]:
    """(first write, last write) of the whole archive: the System's and the Body's created and modified."""
    meetings = Meeting.objects.aggregate(first=Min("created_at"), last=Max("updated_at"))
    documents = AttachmentDocument.objects.filter(attachments__isnull=False).aggregate(last=Max("uploaded_at"))
    last = max((t for t in (meetings["last"], documents["last"]) if t is not None), default=None)
    return meetings["first"], last


# --- organizations, people, memberships, terms ----------------------------------------------------------------


def organizations():
    """Committees with the times of their meetings (none for a committee the archive holds no meeting of)."""
    return Committee.objects.annotate(created=Min("meetings__created_at"), modified=Max("meetings__updated_at"))


def people():
    """Everyone named in a protocol (as member, absentee or the one a substitute stood in for).

    `is_public`: named in at least one published meeting; otherwise the person is shown as deleted. Times come
    from every meeting naming them, so withdrawing one moves `modified`.
    """
    meetings = Meeting.objects.filter(
        Q(attendances__person=OuterRef("pk")) | Q(attendances__substitute_for=OuterRef("pk"))
    )
    return Person.objects.annotate(
        created=_scalar(meetings, "MIN", "created_at"),
        modified=_scalar(meetings, "MAX", "updated_at"),
        is_public=Exists(meetings.filter(published_q())),
    ).filter(created__isnull=False)


def memberships():
    """One membership per committee, election term, person and role, from the member lists of the protocols.

    Start and end are the first and last published meeting the person is listed at in that role; `modified`
    counts withdrawn meetings too, since withdrawing one can end a membership earlier. A membership seen only at
    withdrawn meetings stays (`published_meetings` 0, see `is_public_row`): it answers as deleted, modified when
    its last meeting was withdrawn.
    """
    published = published_q("meeting__")
    return (
        Attendance.objects.annotate(term_year=term_start_expression("meeting__date"), role_key=ROLE_KEY)
        .values(
            "meeting__committee_id", "meeting__committee__slug", "term_year", "person_id", "person__slug", "role_key"
        )
        .annotate(
            start=Min("meeting__date", filter=published),
            end=Max("meeting__date", filter=published),
            created=Min("meeting__created_at"),
            modified=Max("meeting__updated_at"),
            published_meetings=Count("id", filter=published),
        )
        .order_by("meeting__committee_id", "term_year", "person_id", "role_key")
    )


def public_memberships():
    """The memberships seen at a published meeting (those an organization and a person list)."""
    return memberships().filter(published_meetings__gt=0)


def is_public_row(row: dict) -> bool:
    """Whether a row of `memberships()` or `terms()` has a published meeting (otherwise it is shown as deleted)."""
    return row["published_meetings"] > 0


def membership_parties(rows) -> dict[tuple, list[str]]:
    """The party letters printed for each membership row, the latest first (one query)."""
    if not rows:
        return {}
    found: dict[tuple, list[str]] = {}
    party_rows = (
        Attendance.objects.filter(published_q("meeting__"))
        .filter(
            person_id__in={r["person_id"] for r in rows},
            meeting__committee_id__in={r["meeting__committee_id"] for r in rows},
        )
        .exclude(party="")
        .annotate(term_year=term_start_expression("meeting__date"), role_key=ROLE_KEY)
        .values("meeting__committee_id", "term_year", "person_id", "role_key", "party")
        .annotate(last=Max("meeting__date"))
        .order_by("-last", "party")
    )
    for row in party_rows:
        key = (row["meeting__committee_id"], row["term_year"], row["person_id"], row["role_key"])
        found.setdefault(key, []).append(row["party"])
    return found


def membership_key(row) -> tuple:
    return (row["meeting__committee_id"], row["term_year"], row["person_id"], row["role_key"])


def latest_parties(person_ids) -> dict[int, str]:
    """Each person's party letter at their latest published meeting (one query)."""
    latest: dict[int, str] = {}
    rows = (
        Attendance.objects.filter(published_q("meeting__"), person_id__in=person_ids)
        .exclude(party="")
        .order_by("person_id", "-meeting__date")
        .values_list("person_id", "party")
    )
    for person_id, party in rows:
        latest.setdefault(person_id, party)
    return latest


def terms():
    """The election terms of the archive's meetings, each created with its first meeting.

    A term whose meetings are all withdrawn answers as deleted (`published_meetings` 0). Its existence is all that
    changes about a term, and that changes only when a meeting in it is imported, withdrawn or restored: each moves
    the meeting's `updated_at`, so `modified` is the latest of those.
    """
    return (
        Meeting.objects.annotate(term_year=term_start_expression("date"))
        .values("term_year")
        .annotate(
            created=Min("created_at"),
            modified=Max("updated_at"),
            published_meetings=Count("id", filter=published_q()),
        )
        .order_by("term_year")
    )


def public_terms():
    return terms().filter(published_meetings__gt=0)


# --- meetings and cases ------------------------------------------------------------------------------------------


def meetings():
    """Every meeting with `created`, `modified` (including document uploads) and `is_public`."""
    return Meeting.objects.select_related("committee").annotate(
        created=F("created_at"),
        modified=Greatest("updated_at", Coalesce(_newest_document("case__meeting"), "updated_at")),
        is_public=ExpressionWrapper(published_q(), output_field=BooleanField()),
    )


def cases():
    """Every case (an AgendaItem, a Consultation, a Paper) with its meeting's times and `is_public`."""
    return Case.objects.select_related("meeting__committee").annotate(
        created=F("meeting__created_at"),
        modified=Greatest("meeting__updated_at", Coalesce(_newest_document("case"), "meeting__updated_at")),
        is_public=ExpressionWrapper(published_q("meeting__"), output_field=BooleanField()),
    )


def _attachments():
    return (
        Attachment.objects.select_related("document")
        .defer("document__content", "document__html")
        .annotate(document_size=Length("document__content"))
        .order_by("number")
    )


def with_case_details(queryset):
    """Cases with everything an AgendaItem shows: decision, authority, sections, recommendations, trail, bilag
    with their documents, and who was absent (six queries for any number of cases)."""
    steps = CaseStep.objects.select_related("body_committee", "earlier_case__meeting__committee").order_by("position")
    absences = Absence.objects.select_related("attendance__person").order_by("attendance__position")
    return queryset.select_related("decision", "authority_committee").prefetch_related(
        Prefetch("sections", queryset=Section.objects.order_by("position")),
        Prefetch("recommendations", queryset=Recommendation.objects.order_by("position")),
        Prefetch("steps", queryset=steps),
        Prefetch("attachments", queryset=_attachments()),
        Prefetch("absences", queryset=absences),
    )


def with_consultation_details(queryset):
    """Cases with what a Consultation and its Paper show: decision, authority and documents (two queries)."""
    return queryset.select_related("decision", "authority_committee").prefetch_related(
        Prefetch("attachments", queryset=_attachments().filter(document__isnull=False))
    )


def with_meeting_details(queryset):
    """Meetings with their protocol file, agenda (cases in detail) and attendance."""
    attendances = Attendance.objects.select_related("person", "substitute_for").order_by("position")
    return (
        queryset.select_related("source")
        .defer("source__content")
        .annotate(source_size=Length("source__content"))
        .prefetch_related(
            Prefetch("cases", queryset=with_case_details(cases()).order_by("number")),
            Prefetch("attendances", queryset=attendances),
        )
    )


@dataclass(frozen=True)
class CaseTimes:
    created: dt.datetime
    modified: dt.datetime
    is_public: bool


def case_times(*, include_withdrawn: bool) -> dict[int, CaseTimes]:
    """Every case's times in two queries, for the lists whose times depend on the whole matter."""
    queryset = Case.objects.all() if include_withdrawn else Case.objects.published()
    documents = dict(
        Attachment.objects.filter(document__isnull=False)
        .values("case_id")
        .annotate(last=Max("document__uploaded_at"))
        .values_list("case_id", "last")
    )
    times = {}
    for case_id, created, updated, withdrawn_at in queryset.values_list(
        "id", "meeting__created_at", "meeting__updated_at", "meeting__withdrawn_at"
    ):
        uploaded = documents.get(case_id)
        modified = max(updated, uploaded) if uploaded else updated
        times[case_id] = CaseTimes(created, modified, withdrawn_at is None)
    return times


# --- files --------------------------------------------------------------------------------------------------------


def protocol_files():
    """Protocol versions that belong to a meeting; public only as the current protocol of a published meeting."""
    current = Meeting.objects.filter(source=OuterRef("pk"))
    return (
        SourceDocument.objects.filter(meeting__isnull=False)
        .select_related("meeting__committee")
        .defer("content")
        .annotate(
            created=F("imported_at"),
            modified=Greatest("imported_at", "meeting__updated_at"),
            size=Length("content"),
            is_public=Exists(current.filter(published_q())),
        )
    )


def document_files():
    """Attachment documents linked to a bilag; public when one of those bilag is in a published case."""
    links = Attachment.objects.filter(document=OuterRef("pk"))
    newest_meeting = Subquery(links.order_by("-case__meeting__updated_at").values("case__meeting__updated_at")[:1])
    return (
        AttachmentDocument.objects.filter(Exists(links))
        .defer("content", "html")
        .annotate(
            created=F("uploaded_at"),
            modified=Greatest("uploaded_at", Coalesce(newest_meeting, "uploaded_at")),
            size=Length("content"),
            is_public=Exists(links.filter(published_q("case__meeting__"))),
        )
    )


def document_links(document_ids) -> dict[int, list]:
    """The published bilag each of these documents belongs to, with their cases (one query)."""
    links: dict[int, list] = {}
    for attachment in (
        Attachment.objects.filter(published_q("case__meeting__"), document_id__in=document_ids)
        .select_related("case__meeting__committee")
        .order_by("case_id", "number")
    ):
        links.setdefault(attachment.document_id, []).append(attachment)
    return links


def file_rows(*, include_deleted: bool, condition: Q):
    """Every file matching `condition` as (kind, pk, created, modified): protocols first, then documents, by id.

    One UNION ALL, so that the list counts and pages in one query each whichever kinds a page holds.
    """
    protocols, documents = protocol_files().filter(condition), document_files().filter(condition)
    if not include_deleted:
        protocols, documents = protocols.filter(is_public=True), documents.filter(is_public=True)
    fields = ("file_kind", "pk", "created", "modified", "position")
    protocols = protocols.annotate(file_kind=Value("protocol"), position=Value(0)).order_by().values_list(*fields)
    documents = documents.annotate(file_kind=Value("document"), position=Value(1)).order_by().values_list(*fields)
    return protocols.union(documents, all=True).order_by("position", "pk")
