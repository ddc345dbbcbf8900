"""Write a parsed protocol to the database: one atomic sync per meeting that compares by key.

The meeting is found by (committee, date), its cases by number. Unchanged rows are left alone (same ids, no
writes), changed ones are updated in place, new ones inserted and vanished ones deleted; the result says what
changed. The original bytes are always kept as a SourceDocument, and a new version never replaces the old row.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass, field

from django.db import models, transaction
from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _

from cases.models import Absence, Attachment, Case, CaseStep, Decision, Recommendation, Section
from importer import records as r
from importer.linking import link_case_steps, link_documents_to_attachments
from importer.parse import parse_protocol
from meetings.models import Attendance, Committee, Meeting, Person, SourceDocument
from meetings.slugs import danish_slugify
from search.index import index_cases


class ImportStatus(models.TextChoices):
    """What an import did to its meeting (kept on the clerk's Upload too)."""

    IMPORTED = "imported", _("importeret")
    UPDATED = "updated", _("opdateret")
    UNCHANGED = "unchanged", _("uændret")


class MeetingExists(Exception):
    """The meeting is already in the archive and the caller did not allow replacing it; nothing was written."""

    def __init__(self, diff: MeetingDiff):
        super().__init__("the meeting is already in the archive")
        self.diff = diff


@dataclass
class MeetingDiff:
    """What an import changes (or would change) in one meeting."""

    is_new: bool = False
    meeting_fields: list[str] = field(default_factory=list)
    attendance_changed: bool = False
    added: list[int] = field(default_factory=list)
    removed: list[int] = field(default_factory=list)
    changed: dict[int, list[str]] = field(default_factory=dict)

    @property
    def is_empty(self) -> bool:
        return not (
            self.is_new or self.meeting_fields or self.attendance_changed or self.added or self.removed or self.changed
        )

    def summary(self) -> list[str]:
        """Human-readable lines, one per change (English; the UI renders the fields itself)."""
        if self.is_new:
            return [f"new meeting with {len(self.added)} cases"]
        lines = [f"meeting: {name} changed" for name in self.meeting_fields]
        if self.attendance_changed:
            lines.append("attendance changed")
        lines += [f"case {n} added" for n in self.added]
        lines += [f"case {n} removed" for n in self.removed]
        lines += [f"case {n}: {', '.join(fields)} changed" for n, fields in sorted(self.changed.items())]
        return lines


@dataclass
class ImportResult:
    """What `protocol_import` did: the meeting, its status, the diff, the parser's warnings and the source kept."""

    meeting: Meeting | None
    status: ImportStatus
    diff: MeetingDiff
    protocol: r.Protocol
    source: SourceDocument | None = None

    @property
    def warnings(self) -> tuple[r.ParseWarning, ...]:
        return self.protocol.warnings


# --- snapshots: the comparable form of a case, built from a record or from the database -----------------------


def _record_snapshot(case: r.CaseRecord) -> dict:
    decision = (case.decision.text, case.decision.outcome) if case.decision else None
    return {
        "title": case.title,
        "authority": case.authority or "",
        "reference": case.reference or "",
        "closed": case.closed,
        "sections": tuple((s.heading, s.text) for s in case.sections),
        "recommendations": tuple((x.by or "", x.text) for x in case.recommendations),
        "history": tuple((s.body, s.date, s.item, s.text, s.outcome) for s in case.history),
        "decision": decision,
        "attachments": tuple((a.number, a.title) for a in case.attachments),
    }


def _db_snapshot(case: Case) -> dict:
    decision = getattr(case, "decision", None)
    return {
        "title": case.title,
        "authority": case.authority,
        "reference": case.reference,
        "closed": case.closed,
        "sections": tuple((s.heading, s.text) for s in case.sections.all()),
        "recommendations": tuple((x.proposer, x.text) for x in case.recommendations.all()),
        "history": tuple((s.body, s.date, s.item, s.text, s.outcome) for s in case.steps.all()),
        "decision": (decision.text, decision.outcome) if decision else None,
        "attachments": tuple((a.number, a.title) for a in case.attachments.all()),
    }


def _meeting_values(p: r.Protocol) -> dict:
    return {
        "title": p.meeting_title or "",
        "ended_at": p.ended_at,
        "first_case": p.first_case,
        "last_case": p.last_case,
    }


def _attendance_wanted(p: r.Protocol) -> list[dict]:
    """One entry per person: members in list order, then absentees who were not listed as members.

    `cases_missed` holds the protocol's cases the person was away for (every case when away all meeting);
    numbers the protocol lists that are not among its cases cannot become absence rows and are left out.
    """
    all_cases = {c.number for c in p.cases}
    absences = {a.name: a for a in p.absent}
    wanted: dict[str, dict] = {}
    for m in p.members:
        role = (
            Attendance.Role.CHAIR if m.chair else Attendance.Role.VICE_CHAIR if m.vice_chair else Attendance.Role.MEMBER
        )
        wanted[m.name] = {"name": m.name, "party": m.party or "", "role": role, "substitute_for": m.substitute_for}
    for a in p.absent:
        wanted.setdefault(
            a.name, {"name": a.name, "party": a.party or "", "role": Attendance.Role.MEMBER, "substitute_for": None}
        )
    for position, entry in enumerate(wanted.values()):
        absence = absences.get(entry["name"])
        listed = set(absence.cases) if absence else set()
        present = not (absence and (not all_cases or all_cases <= listed))
        entry["position"] = position
        entry["present"] = present
        entry["cases_missed"] = sorted(listed & all_cases) if present else sorted(all_cases)
    return list(wanted.values())


def _attendance_existing(meeting: Meeting) -> list[dict]:
    return [
        {
            "name": a.person.name,
            "party": a.party,
            "role": a.role,
            "substitute_for": a.substitute_for.name if a.substitute_for else None,
            "position": a.position,
            "present": a.present,
            "cases_missed": a.cases_missed,
        }
        for a in meeting.attendances.for_display()
    ]


def _cases_with_children(meeting: Meeting):
    return meeting.cases.select_related("decision").prefetch_related(
        Prefetch("sections", queryset=Section.objects.order_by("position")),
        Prefetch("recommendations", queryset=Recommendation.objects.order_by("position")),
        Prefetch("steps", queryset=CaseStep.objects.order_by("position")),
        Prefetch("attachments", queryset=Attachment.objects.order_by("number")),
    )


def _find_meeting(p: r.Protocol) -> tuple[Committee | None, Meeting | None]:
    committee = Committee.objects.resolve(p.committee)
    meeting = Meeting.objects.filter(committee=committee, date=p.date).first() if committee else None
    return committee, meeting


def _diff(p: r.Protocol, meeting: Meeting | None, existing: dict[int, Case]) -> MeetingDiff:
    if meeting is None:
        return MeetingDiff(is_new=True, added=[c.number for c in p.cases])
    diff = MeetingDiff()
    diff.meeting_fields = [k for k, v in _meeting_values(p).items() if getattr(meeting, k) != v]
    diff.attendance_changed = _attendance_existing(meeting) != _attendance_wanted(p)
    parsed = {c.number: c for c in p.cases}
    diff.added = sorted(set(parsed) - set(existing))
    diff.removed = sorted(set(existing) - set(parsed))
    for number in sorted(set(parsed) & set(existing)):
        new, old = _record_snapshot(parsed[number]), _db_snapshot(existing[number])
        fields = [k for k in new if new[k] != old[k]]
        if fields:
            diff.changed[number] = fields
    return diff


def protocol_diff(protocol: r.Protocol) -> MeetingDiff:
    """What importing this parsed protocol would change, without writing anything."""
    _, meeting = _find_meeting(protocol)
    existing = {c.number: c for c in _cases_with_children(meeting)} if meeting else {}
    return _diff(protocol, meeting, existing)


# --- writing ----------------------------------------------------------------------------------------------------


def _person(name: str | None, cache: dict[str, Person]) -> Person | None:
    if not name:
        return None
    if name not in cache:
        person = Person.objects.filter(name=name).first()
        if person is None:
            person = Person(name=name, slug=_unique_slug(Person, danish_slugify(name) or "person"))
            person.save()
        cache[name] = person
    return cache[name]


def _unique_slug(model, base: str) -> str:
    slug, n = base, 2
    while model.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def _committee(p: r.Protocol, committee: Committee | None) -> Committee:
    if committee is not None:
        return committee
    return Committee.objects.create(name=p.committee, slug=_unique_slug(Committee, danish_slugify(p.committee)))


def _write_attendance(meeting: Meeting, p: r.Protocol) -> None:
    """Replace the meeting's attendance and absence rows (absences name cases: call after the cases are written)."""
    meeting.attendances.all().delete()
    people: dict[str, Person] = {}
    wanted = _attendance_wanted(p)
    attendances = Attendance.objects.bulk_create(
        Attendance(
            meeting=meeting,
            person=_person(entry["name"], people),
            party=entry["party"],
            role=entry["role"],
            substitute_for=_person(entry["substitute_for"], people),
            position=entry["position"],
            present=entry["present"],
        )
        for entry in wanted
    )
    case_ids = dict(meeting.cases.values_list("number", "id"))
    Absence.objects.bulk_create(
        Absence(attendance_id=attendance.pk, case_id=case_ids[number])
        for attendance, entry in zip(attendances, wanted, strict=True)
        for number in entry["cases_missed"]
        if number in case_ids
    )


def _write_children(case: Case, record: r.CaseRecord, committees: dict[str, Committee | None], replace: bool) -> None:
    """(Re)write a case's sections, recommendations, trail, decision and attachments."""
    if replace:
        for manager in (case.sections, case.recommendations, case.steps):
            manager.all().delete()
        Decision.objects.filter(case=case).delete()
    Section.objects.bulk_create(
        Section(case=case, position=i, heading=s.heading, text=s.text) for i, s in enumerate(record.sections)
    )
    Recommendation.objects.bulk_create(
        Recommendation(case=case, position=i, proposer=x.by or "", text=x.text)
        for i, x in enumerate(record.recommendations)
    )
    CaseStep.objects.bulk_create(
        CaseStep(
            case=case,
            position=i,
            body=s.body,
            body_committee=_resolve(s.body, committees),
            date=s.date,
            item=s.item,
            text=s.text,
            outcome=s.outcome,
        )
        for i, s in enumerate(record.history)
    )
    if record.decision:
        Decision.objects.create(case=case, text=record.decision.text, outcome=record.decision.outcome)
    _sync_attachments(case, record)


def _sync_attachments(case: Case, record: r.CaseRecord) -> None:
    """Keep attachment rows (and their document links) by number; a changed title drops the link to re-match."""
    existing = {a.number: a for a in case.attachments.all()}
    wanted = {a.number: a.title for a in record.attachments}
    Attachment.objects.filter(case=case, number__in=set(existing) - set(wanted)).delete()
    for number, title in wanted.items():
        old = existing.get(number)
        if old is None:
            Attachment.objects.create(case=case, number=number, title=title)
        elif old.title != title:
            old.title, old.document = title, None
            old.save(update_fields=["title", "document"])


def _resolve(written: str | None, cache: dict[str, Committee | None]) -> Committee | None:
    key = (written or "").strip()
    if key not in cache:
        cache[key] = Committee.objects.resolve(key)
    return cache[key]


def _case_values(record: r.CaseRecord, committees) -> dict:
    return {
        "title": record.title,
        "authority": record.authority or "",
        "authority_committee": _resolve(record.authority, committees),
        "reference": record.reference or "",
        "closed": record.closed,
    }


def _source(content: bytes, filename: str, p: r.Protocol, user, meeting: Meeting) -> SourceDocument:
    """The SourceDocument for these bytes: the meeting's current one if identical, else a new version."""
    digest = SourceDocument.digest(content)
    if meeting.source_id and meeting.source.sha256 == digest:
        return meeting.source
    text = content.decode(_codec(p.encoding), errors="replace")
    return SourceDocument.objects.create(
        meeting=meeting,
        filename=filename,
        content=content,
        text=text,
        encoding=p.encoding,
        sha256=digest,
        imported_by=user,
    )


def _codec(encoding: str) -> str:
    try:
        codecs.lookup(encoding)
    except LookupError:
        return "utf-8"
    return encoding


@transaction.atomic
def protocol_import(
    *,
    content: bytes,
    filename: str,
    protocol: r.Protocol | None = None,
    user=None,
    dry_run: bool = False,
    replace: bool = True,
) -> ImportResult:
    """Sync a protocol's meeting into the archive in one transaction, keeping `content` as its SourceDocument.

    `protocol` is the parse of `content` when the caller has it already (an upload keeps its parse); without it
    `content` is parsed here, and a file that cannot be parsed raises `ProtocolError` with nothing written. With
    `dry_run` nothing is written and the result reports what would change. With `replace` false a meeting that is
    already in the archive raises `MeetingExists` (carrying the diff) instead of being updated.
    """
    if protocol is None:
        protocol = parse_protocol(content)
    committee, meeting = _find_meeting(protocol)
    existing = {c.number: c for c in _cases_with_children(meeting)} if meeting else {}
    diff = _diff(protocol, meeting, existing)
    if meeting is None:
        status = ImportStatus.IMPORTED
    else:
        status = ImportStatus.UNCHANGED if diff.is_empty else ImportStatus.UPDATED
    if dry_run:
        return ImportResult(meeting=meeting, status=status, diff=diff, protocol=protocol)
    if meeting is not None and not replace:
        raise MeetingExists(diff)

    committee = _committee(protocol, committee)
    if meeting is None:
        meeting = Meeting.objects.create(committee=committee, date=protocol.date, **_meeting_values(protocol))
    elif diff.meeting_fields:
        for key, value in _meeting_values(protocol).items():
            setattr(meeting, key, value)
        meeting.save()
    source = _source(content, filename, protocol, user, meeting)
    if meeting.source_id != source.id:
        meeting.source = source
        meeting.save(update_fields=["source", "updated_at"])
    committees: dict[str, Committee | None] = {}
    Case.objects.filter(meeting=meeting, number__in=diff.removed).delete()
    touched: list[Case] = []
    for record in protocol.cases:
        if record.number in diff.added:
            case = Case.objects.create(meeting=meeting, number=record.number, **_case_values(record, committees))
            _write_children(case, record, committees, replace=False)
            touched.append(case)
        elif record.number in diff.changed:
            case = existing[record.number]
            for key, value in _case_values(record, committees).items():
                setattr(case, key, value)
            case.save()
            _write_children(case, record, committees, replace=True)
            touched.append(case)
    if diff.is_new or diff.attendance_changed:
        _write_attendance(meeting, protocol)
    if touched or diff.removed:
        link_case_steps(meeting)
        link_documents_to_attachments(Attachment.objects.filter(case__in=touched, document__isnull=True))
    if (diff.changed or diff.removed or diff.attendance_changed) and not (diff.is_new or diff.meeting_fields):
        meeting.save(update_fields=["updated_at"])  # pages' Last-Modified follows every change
    _after_write([c.id for c in touched])
    return ImportResult(meeting=meeting, status=status, diff=diff, protocol=protocol, source=source)


def _after_write(case_ids: list[int]) -> None:
    """Hook for derived data that must follow every write of cases (the search index)."""
    # Also purges index entries of cases this import deleted (the SQLite FTS table does not cascade).
    index_cases(case_ids)
