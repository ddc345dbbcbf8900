"""Write a parsed protocol to the database: one atomic sync per meeting that compares by key.

The meeting is found by (committee, date), its cases by number. Unchanged rows are left alone (same ids, no
writes), changed ones are updated in place, new ones inserted and vanished ones deleted; the result says what
changed. The original bytes are always kept as a SourceDocument, and a new version never replaces the old row.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass, field

from django.db import DatabaseError, IntegrityError, models, transaction
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.models import Absence, Attachment, Case, CaseStep, Decision, Recommendation, Section, title_key
from importer import records as r
from importer.bulk import insert_rows
from importer.decode import known_codec
from importer.linking import link_case_steps, link_documents_to_attachments
from importer.locks import MeetingChanged, lock_meeting, lock_meetings
from importer.parse import parse_protocol, split_authority
from importer.privacy import mask_content, mask_filename, mask_protocol
from meetings.counts import counts_add_meetings, counts_refresh
from meetings.models import Attendance, Committee, CommitteeNames, Meeting, Person, SourceDocument
from meetings.services import archive_changed
from meetings.slugs import danish_slugify
from search.index import index_cases


class ImportStatus(models.TextChoices):
    """What an import did to its meeting (kept on the clerk's Upload too)."""

    IMPORTED = "imported", _("importeret")
    UPDATED = "updated", _("opdateret")
    UNCHANGED = "unchanged", _("uændret")


# `protocol_import(expect_source=...)` default: import whatever the archive holds now.
ANY_SOURCE = object()


class AgendaAfterMinutes(Exception):
    """An agenda cannot replace the minutes of a meeting already in the archive; nothing was written."""

    def __init__(self, meeting: Meeting):
        super().__init__(f"the minutes of {meeting} are in the archive already; an agenda cannot replace them")
        self.meeting = meeting


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
    decision = (case.decision.text, case.decision.outcome, case.decision.followed) if case.decision else None
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
        "decision": (decision.text, decision.outcome, decision.followed) if decision else None,
        "attachments": tuple((a.number, a.title) for a in case.attachments.all()),
    }


def _meeting_values(p: r.Protocol) -> dict:
    return {
        "kind": p.kind,
        "term": p.term or "",
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
        # The role an absence line kept ("Formand Lis Holm (A), sag 7-15") counts when the member list omits her.
        role = (
            Attendance.Role.CHAIR if a.chair else Attendance.Role.VICE_CHAIR if a.vice_chair else Attendance.Role.MEMBER
        )
        wanted.setdefault(a.name, {"name": a.name, "party": a.party or "", "role": role, "substitute_for": None})
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


def _people(names: Collection[str]) -> dict[str, Person]:
    """The people of these names, in one query; the ones the archive does not know yet are created."""
    people = {p.name: p for p in Person.objects.filter(name__in=set(names))}
    for name in sorted(set(names) - set(people)):
        person = Person(name=name, slug=_unique_slug(Person, danish_slugify(name) or "person"))
        person.save()
        people[name] = person
    return people


def _unique_slug(model, base: str) -> str:
    slug, n = base, 2
    while model.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def _committee(p: r.Protocol, committee: Committee | None) -> Committee:
    if committee is not None:
        return committee
    return Committee.objects.create(name=p.committee, slug=_unique_slug(Committee, danish_slugify(p.committee)))


def _write_attendance(written: Sequence[tuple[Meeting, r.Protocol]]) -> tuple[set[int], list[Attendance]]:
    """Replace these meetings' attendance and absence rows (absences name cases: call after the cases are written).

    Returns the ids of the people whose attendance rows were replaced (their kept totals are recounted) and the
    new rows.
    """
    ids = [meeting.pk for meeting, _ in written]
    before = set(Attendance.objects.filter(meeting_id__in=ids).values_list("person_id", flat=True))
    if before:
        Attendance.objects.filter(meeting_id__in=ids).delete()
    wanted = [(meeting, entry) for meeting, protocol in written for entry in _attendance_wanted(protocol)]
    people = _people(
        [entry["name"] for _, entry in wanted]
        + [entry["substitute_for"] for _, entry in wanted if entry["substitute_for"]]
    )
    attendances = Attendance.objects.bulk_create(
        Attendance(
            meeting=meeting,
            person=people[entry["name"]],
            party=entry["party"],
            role=entry["role"],
            substitute_for=people[entry["substitute_for"]] if entry["substitute_for"] else None,
            position=entry["position"],
            present=entry["present"],
        )
        for meeting, entry in wanted
    )
    case_ids = {
        (meeting_id, number): case_id
        for meeting_id, number, case_id in Case.objects.filter(meeting_id__in=ids).values_list(
            "meeting_id", "number", "id"
        )
    }
    Absence.objects.bulk_create(
        Absence(attendance_id=attendance.pk, case_id=case_ids[(meeting.pk, number)])
        for attendance, (meeting, entry) in zip(attendances, wanted, strict=True)
        for number in entry["cases_missed"]
        if (meeting.pk, number) in case_ids
    )
    return before, attendances


def _write_children(
    written: list[tuple[Case, r.CaseRecord]], committees: CommitteeNames, replace: Collection[int] = ()
) -> None:
    """(Re)write the sections, recommendations, trail, decision and attachments of these cases, each kind in one
    statement for all of them. `replace`: the ids of the cases (among these) whose old children go first."""
    if replace:
        for model in (Section, Recommendation, CaseStep, Decision):
            model.objects.filter(case_id__in=replace).delete()
    insert_rows(
        Section,
        ["case", "position", "heading", "text"],
        ((case.pk, i, s.heading, s.text) for case, record in written for i, s in enumerate(record.sections)),
    )
    insert_rows(
        Recommendation,
        ["case", "position", "proposer", "text"],
        ((case.pk, i, x.by or "", x.text) for case, record in written for i, x in enumerate(record.recommendations)),
    )
    insert_rows(
        CaseStep,
        ["case", "position", "body", "body_committee", "date", "item", "text", "outcome"],
        (
            (case.pk, i, s.body, _pk(committees.resolve(s.body)), s.date, s.item, s.text, s.outcome)
            for case, record in written
            for i, s in enumerate(record.history)
        ),
    )
    insert_rows(
        Decision,
        ["case", "text", "outcome", "followed"],
        (
            (case.pk, record.decision.text, record.decision.outcome, record.decision.followed)
            for case, record in written
            if record.decision
        ),
    )
    _sync_attachments(written, replace)


def _sync_attachments(written: list[tuple[Case, r.CaseRecord]], replace: Collection[int]) -> None:
    """Keep attachment rows (and their document links) by case and number; a changed title drops the link to
    re-match. Cases not in `replace` are new and have none yet."""
    existing: dict[tuple[int, int], Attachment] = (
        {(a.case_id, a.number): a for a in Attachment.objects.filter(case_id__in=replace)} if replace else {}
    )
    wanted = {(case.pk, a.number): a.title for case, record in written for a in record.attachments}
    gone = [a.pk for key, a in existing.items() if key not in wanted]
    if gone:
        Attachment.objects.filter(pk__in=gone).delete()
    insert_rows(
        Attachment,
        ["case", "number", "title", "document"],
        (
            (case_id, number, title, None)
            for (case_id, number), title in wanted.items()
            if (case_id, number) not in existing
        ),
    )
    for key, title in wanted.items():
        old = existing.get(key)
        if old is not None and old.title != title:
            old.title, old.document = title, None
            old.save(update_fields=["title", "document"])


def _pk(obj: models.Model | None) -> int | None:
    return obj.pk if obj is not None else None


def _authority(written: str | None, committees: CommitteeNames, own: Committee) -> Committee | None:
    """The committee with the final say: the one the authority line names, or, when it names several ("KNU og
    TMU"), the meeting's own committee if it is one of them. None when that cannot be known: a body the archive
    does not know is named beside others (it may be this very committee)."""
    parts = split_authority(written or "")
    resolved = [committees.resolve(part) for part in parts]
    if own in resolved:
        return own
    if len(parts) > 1 and None in resolved:
        return None
    return next((c for c in resolved if c), None)


def _case_values(record: r.CaseRecord, committees: CommitteeNames, own: Committee) -> dict:
    return {
        "title": record.title,
        "title_key": title_key(record.title),
        "authority": record.authority or "",
        "authority_committee": _authority(record.authority, committees, own),
        "reference": record.reference or "",
        "closed": record.closed,
    }


def _source(content: bytes, filename: str, p: r.Protocol, user, meeting: Meeting) -> SourceDocument:
    """The SourceDocument for these bytes: the meeting's current one if identical, else a new version."""
    if meeting.source_id and meeting.source.sha256 == SourceDocument.digest(content):
        return meeting.source
    source = _new_source(content, filename, p, user, meeting)
    source.save()
    return source


def _new_source(content: bytes, filename: str, p: r.Protocol, user, meeting: Meeting) -> SourceDocument:
    """An unsaved SourceDocument keeping these bytes (and their text) as a version of the meeting's protocol."""
    return SourceDocument(
        meeting=meeting,
        filename=filename,
        content=content,
        text=content.decode(known_codec(p.encoding), errors="replace"),
        encoding=p.encoding,
        kind=p.kind,
        sha256=SourceDocument.digest(content),
        imported_by=user,
    )


@transaction.atomic
def protocol_import(
    *,
    content: bytes,
    filename: str,
    protocol: r.Protocol | None = None,
    user=None,
    dry_run: bool = False,
    replace: bool = True,
    not_personal: Collection[str] = (),
    expect_source: int | object | None = ANY_SOURCE,
) -> ImportResult:
    """Sync a protocol's meeting into the archive in one transaction, keeping `content` as its SourceDocument.

    `protocol` is the parse of `content` when the caller has it already (an upload keeps its parse); without it
    `content` is parsed here, and a file that cannot be parsed raises `ProtocolError` with nothing written. With
    `dry_run` nothing is written and the result reports what would change. With `replace` false a meeting that is
    already in the archive raises `MeetingExists` (carrying the diff) instead of being updated.

    Agendas and minutes: an agenda makes a meeting whose `kind` is agenda; the minutes of that meeting replace it
    as the current version (no `replace` needed: that is the agenda's purpose), the agenda staying among the
    meeting's SourceDocuments. An agenda never replaces minutes (`AgendaAfterMinutes`, also on a dry run).
    Minutes that change published minutes set `Meeting.corrected_at` ("Referatet er rettet").

    One writer per meeting: the meeting is locked (`importer.locks.lock_meeting`) before it is compared, so a
    concurrent import of the same meeting waits and then compares against what this one wrote. `expect_source` is
    the meeting's SourceDocument id as the caller last saw it (None: no meeting yet); if the archive holds another,
    `MeetingChanged` is raised and nothing is written. CPR numbers are masked (`importer.privacy`) in everything
    written, the kept original text included, except the numbers listed in `not_personal` (ten digits each).
    """
    if protocol is None:
        protocol = parse_protocol(content)
    if not dry_run:
        lock_meeting(protocol.committee, protocol.date)
    protocol = mask_protocol(protocol, not_personal=not_personal)
    content = mask_content(content, protocol.encoding, not_personal=not_personal)
    filename = mask_filename(filename, not_personal=not_personal)  # shown publicly (OParl fileName)
    committee, meeting = _find_meeting(protocol)
    if expect_source is not ANY_SOURCE and (meeting.source_id if meeting else None) != expect_source:
        raise MeetingChanged(meeting)
    if meeting is not None and meeting.kind == r.MINUTES and protocol.kind == r.AGENDA:
        raise AgendaAfterMinutes(meeting)
    existing = {c.number: c for c in _cases_with_children(meeting)} if meeting else {}
    diff = _diff(protocol, meeting, existing)
    if meeting is None:
        status = ImportStatus.IMPORTED
    else:
        status = ImportStatus.UNCHANGED if diff.is_empty else ImportStatus.UPDATED
    if dry_run:
        return ImportResult(meeting=meeting, status=status, diff=diff, protocol=protocol)
    supersedes_agenda = meeting is not None and meeting.kind == r.AGENDA and protocol.kind == r.MINUTES
    if meeting is not None and not replace and not supersedes_agenda:
        raise MeetingExists(diff)

    if meeting is None:
        ((meeting, source),) = _write_new_meetings([_NewMeeting(protocol, content, filename, committee, user)])
        return ImportResult(meeting=meeting, status=status, diff=diff, protocol=protocol, source=source)
    if diff.meeting_fields or not diff.is_empty:
        for key, value in _meeting_values(protocol).items():
            setattr(meeting, key, value)
        if supersedes_agenda:
            meeting.corrected_at = None  # the first minutes: the agenda's course, not a correction of the minutes
        elif not diff.is_empty:
            # Changed minutes over published minutes, or a changed agenda over the published agenda: a correction,
            # announced on the meeting's page ("Referatet er rettet …", "Dagsordenen er rettet …").
            meeting.corrected_at = timezone.now()
        meeting.save()
    source = _source(content, filename, protocol, user, meeting)
    source_is_new = meeting.source_id != source.id
    if source_is_new:
        meeting.source = source
        meeting.save(update_fields=["source", "updated_at"])
    committees = CommitteeNames(Committee.objects.all())
    if diff.removed:
        Case.objects.filter(meeting=meeting, number__in=diff.removed).delete()
    added, changed = set(diff.added), set(diff.changed)
    new_cases = Case.objects.bulk_create(
        Case(meeting=meeting, number=record.number, **_case_values(record, committees, committee))
        for record in protocol.cases
        if record.number in added
    )
    written = list(zip(new_cases, (record for record in protocol.cases if record.number in added), strict=True))
    for record in protocol.cases:
        if record.number in changed:
            case = existing[record.number]
            for key, value in _case_values(record, committees, committee).items():
                setattr(case, key, value)
            case.save()
            written.append((case, record))
    touched = [case for case, _ in written]
    if written:
        _write_children(written, committees, replace=[existing[n].pk for n in changed])
    people: set[int] = set()
    if diff.attendance_changed:
        people, _attendances = _write_attendance([(meeting, protocol)])
    if touched or diff.removed:
        link_case_steps([meeting])
        link_documents_to_attachments(Attachment.objects.filter(case__in=touched, document__isnull=True))
    reindex = [c.id for c in touched]
    if "kind" in diff.meeting_fields:  # every case's search document says whether it is on an agenda
        reindex = list(meeting.cases.values_list("id", flat=True))
    if not diff.is_empty or source_is_new:
        index_cases(reindex)
        counts_refresh(meetings=[meeting.pk], people=people)
        archive_changed()
    return ImportResult(meeting=meeting, status=status, diff=diff, protocol=protocol, source=source)


@dataclass
class _NewMeeting:
    """A protocol (masked) of a meeting the archive does not hold yet, with its committee if the archive has it."""

    protocol: r.Protocol
    content: bytes
    filename: str
    committee: Committee | None
    user: object = None


def _committee_key(p: r.Protocol) -> str:
    """A committee the archive does not hold yet, as CommitteeNames.resolve would find it once created."""
    return p.committee.strip().casefold()


def _write_new_meetings(new: Sequence[_NewMeeting]) -> list[tuple[Meeting, SourceDocument]]:
    """Write meetings the archive does not hold, with everything that follows, each kind of row in one statement
    for all of them: meetings, sources, cases and their children, attendance, the links of decision trails and
    attachments, the search index, the kept totals and the archive's version. In the caller's transaction, with
    the meetings locked; returns each meeting and its source, in order."""
    if not new:
        return []
    created: dict[str, Committee] = {}
    committees = []
    for item in new:  # a committee the archive lacks is created once, however many of its meetings come
        if item.committee is None:
            key = _committee_key(item.protocol)
            if key not in created:
                created[key] = _committee(item.protocol, None)
            committees.append(created[key])
        else:
            committees.append(item.committee)
    meetings = Meeting.objects.bulk_create(
        Meeting(committee=committee, date=item.protocol.date, **_meeting_values(item.protocol))
        for item, committee in zip(new, committees, strict=True)
    )
    sources = SourceDocument.objects.bulk_create(
        _new_source(item.content, item.filename, item.protocol, item.user, meeting)
        for item, meeting in zip(new, meetings, strict=True)
    )
    for meeting, source in zip(meetings, sources, strict=True):
        meeting.source = source
    Meeting.objects.bulk_update(meetings, ["source"])
    names = CommitteeNames(Committee.objects.all())  # after the committees created above: they resolve too
    records = [(meeting, record) for meeting, item in zip(meetings, new, strict=True) for record in item.protocol.cases]
    cases = Case.objects.bulk_create(
        Case(meeting=meeting, number=record.number, **_case_values(record, names, meeting.committee))
        for meeting, record in records
    )
    written = [(case, record) for case, (_meeting, record) in zip(cases, records, strict=True)]
    _write_children(written, names)
    _people_before, attendances = _write_attendance([(m, item.protocol) for m, item in zip(meetings, new, strict=True)])
    link_case_steps(meetings)
    link_documents_to_attachments(Attachment.objects.filter(case__meeting__in=meetings, document__isnull=True))
    index_cases([case.pk for case in cases])
    counts_add_meetings(meetings, attendances)
    archive_changed()
    return list(zip(meetings, sources, strict=True))


# How many protocols `protocols_import` writes in one statement per kind of row (and one transaction).
BATCH_PROTOCOLS = 100


@dataclass
class Parsed:
    """A protocol file for `protocols_import`: its bytes, its name and its parse."""

    content: bytes
    filename: str
    protocol: r.Protocol


def protocols_import(
    files: Sequence[Parsed], *, user=None, not_personal: Collection[str] = ()
) -> Iterator[tuple[Parsed, ImportResult | Exception]]:
    """Import many parsed protocol files, in order, yielding each file with its result or the exception that
    stopped it (ImportResult as from `protocol_import`; AgendaAfterMinutes, a database error).

    Meetings the archive does not hold are written set-wise, up to BATCH_PROTOCOLS files in one transaction
    (`_write_new_meetings`); files of meetings it holds, and a second file of a meeting in the same batch, go
    through `protocol_import` one by one after their batch, so the result is what importing the files one by one
    gives. Should a batch's transaction fail (a concurrent writer created one of its meetings, say), nothing of
    it stays and its files are imported one by one.
    """
    for start in range(0, len(files), BATCH_PROTOCOLS):
        yield from _import_batch(files[start : start + BATCH_PROTOCOLS], user, not_personal)


def _import_batch(batch: Sequence[Parsed], user, not_personal: Collection[str]):
    results: dict[int, ImportResult] = {}
    try:
        with transaction.atomic():
            lock_meetings([(item.protocol.committee, item.protocol.date) for item in batch])
            names = CommitteeNames(Committee.objects.all())
            resolved = [names.resolve(item.protocol.committee) for item in batch]
            held = set(
                Meeting.objects.filter(
                    committee__in={c for c in resolved if c}, date__in={item.protocol.date for item in batch}
                ).values_list("committee_id", "date")
            )
            new, seen = [], set()
            for index, (item, committee) in enumerate(zip(batch, resolved, strict=True)):
                name = committee.pk if committee else _committee_key(item.protocol)
                key = (name, item.protocol.date)
                if key in held or key in seen:
                    continue
                seen.add(key)
                protocol = mask_protocol(item.protocol, not_personal=not_personal)
                content = mask_content(item.content, protocol.encoding, not_personal=not_personal)
                filename = mask_filename(item.filename, not_personal=not_personal)
                new.append((index, _NewMeeting(protocol, content, filename, committee, user)))
            for (index, item), (meeting, source) in zip(new, _write_new_meetings([n for _, n in new]), strict=True):
                diff = MeetingDiff(is_new=True, added=[c.number for c in item.protocol.cases])
                results[index] = ImportResult(meeting, ImportStatus.IMPORTED, diff, item.protocol, source)
    except DatabaseError:
        results = {}  # rolled back: every file of the batch one by one
    for index, item in enumerate(batch):
        outcome: ImportResult | Exception
        if index in results:
            outcome = results[index]
        else:
            try:
                outcome = _import_one(item, user, not_personal)
            except (AgendaAfterMinutes, DatabaseError) as exc:
                outcome = exc
        yield item, outcome


def _import_one(item: Parsed, user, not_personal: Collection[str]) -> ImportResult:
    options = {"content": item.content, "filename": item.filename, "protocol": item.protocol, "user": user}
    try:
        return protocol_import(**options, not_personal=not_personal)
    except IntegrityError:
        # A concurrent import of another meeting may create a row this one also creates (a new person or
        # committee) between our check and our insert; the rolled-back file is then imported once more.
        return protocol_import(**options, not_personal=not_personal)
