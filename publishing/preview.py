"""What a clerk sees before publishing: the parsed protocol, its warnings in Danish, the diff and the bilag matches.

Everything here reads; nothing writes. The preview shows the parse stored at upload, compared with the archive as
it is now by the import service's own diff, so it shows exactly what publishing would do.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cases.models import Attachment, AttachmentDocument, Case, Outcome, Section
from importer import records as r
from importer.attachments import extract
from importer.linking import best_attachment
from importer.load import MeetingDiff, protocol_diff
from importer.messages import warning_text
from importer.parse import parse_protocol
from importer.privacy import mask_protocol
from meetings.models import Committee, Meeting
from publishing.models import Upload, UploadAttachment
from web.diff import Hunk, word_diff

# The fields of `MeetingDiff.changed` and `meeting_fields` in Danish.
FIELD_NAMES = {
    "title": gettext_lazy("titel"),
    "authority": gettext_lazy("beslutningskompetence"),
    "reference": gettext_lazy("henvisning"),
    "closed": gettext_lazy("lukket punkt"),
    "sections": gettext_lazy("tekst"),
    "recommendations": gettext_lazy("indstilling"),
    "history": gettext_lazy("sagsgang"),
    "decision": gettext_lazy("beslutning"),
    "attachments": gettext_lazy("bilag"),
    "ended_at": gettext_lazy("sluttidspunkt"),
    "kind": gettext_lazy("art (dagsorden/referat)"),
    "term": gettext_lazy("valgperiode"),
    "first_case": gettext_lazy("første sag"),
    "last_case": gettext_lazy("sidste sag"),
}


def field_names(fields) -> str:
    return ", ".join(str(FIELD_NAMES.get(name, name)) for name in fields)


def diff_lines(diff: MeetingDiff) -> list[str]:
    """What a diff changes, one Danish line per change (stored on the Upload as its history)."""
    if diff.is_new:
        return [_("Nyt møde med %(count)d sager.") % {"count": len(diff.added)}]
    if diff.is_empty:
        return [_("Ingen ændringer.")]
    lines = []
    if "kind" in diff.meeting_fields:  # only minutes can follow an agenda (an agenda never replaces minutes)
        lines.append(_("Referatet erstatter dagsordenen; dagsordenen bliver i mødets historik."))
    lines += [
        _("Mødets %(field)s ændret.") % {"field": field_names([name])} for name in diff.meeting_fields if name != "kind"
    ]
    if diff.attendance_changed:
        lines.append(_("Deltagere og fravær ændret."))
    lines += [_("Sag %(number)d tilføjet.") % {"number": n} for n in diff.added]
    lines += [_("Sag %(number)d fjernet.") % {"number": n} for n in diff.removed]
    lines += [
        _("Sag %(number)d: %(fields)s ændret.") % {"number": n, "fields": field_names(fields)}
        for n, fields in sorted(diff.changed.items())
    ]
    return lines


@dataclass
class DocumentMatch:
    """An uploaded attachment document and the bilag it would be linked to (None: unmatched)."""

    upload_attachment: UploadAttachment
    title: str
    case_number: int | None = None
    bilag_number: int | None = None

    @property
    def matched(self) -> bool:
        return self.case_number is not None


@dataclass
class CaseRow:
    """One case of the preview with its warnings, change status and the documents matched to its bilag."""

    record: r.CaseRecord
    outcome_label: str
    warnings: list[str] = field(default_factory=list)
    change: str = ""  # "added", "changed" or ""
    changed_fields: str = ""
    old_title: str = ""
    old_decision: str = ""
    diff: list[Hunk] = field(default_factory=list)  # the case's text, word by word, against the archive's
    bilag: list[tuple[r.AttachmentRef, DocumentMatch | None]] = field(default_factory=list)


@dataclass
class Preview:
    """Everything the preview page shows; built from the stored parse and the current archive."""

    protocol: r.Protocol
    diff: MeetingDiff
    existing: Meeting | None
    cases: list[CaseRow]
    general_warnings: list[str]
    documents: list[DocumentMatch]
    removed_cases: list[Case]

    @property
    def replaces(self) -> bool:
        """Publishing replaces a version in the archive (and needs the clerk's tick) — not minutes after their
        agenda, which is the agenda's normal course."""
        return self.existing is not None and not self.supersedes_agenda

    @property
    def is_agenda(self) -> bool:
        return self.protocol.kind == r.AGENDA

    @property
    def supersedes_agenda(self) -> bool:
        """The minutes of a meeting whose agenda is in the archive: they become the current version."""
        return self.existing is not None and self.existing.is_agenda and self.protocol.kind == r.MINUTES

    @property
    def agenda_after_minutes(self) -> bool:
        """An agenda of a meeting whose minutes are in the archive: it cannot be published."""
        return self.existing is not None and not self.existing.is_agenda and self.protocol.kind == r.AGENDA

    @property
    def warning_count(self) -> int:
        return len(self.protocol.warnings)

    @property
    def unmatched_documents(self) -> list[DocumentMatch]:
        return [d for d in self.documents if not d.matched]

    @property
    def changes(self) -> list[str]:
        return diff_lines(self.diff)


def match_documents(protocol: r.Protocol, documents: list[UploadAttachment]) -> list[DocumentMatch]:
    """Match each uploaded document to the bilag of this protocol it fits best, with the importer's own scoring.

    The candidates are unsaved model instances built from the parse, so nothing touches the database.
    """
    meeting = Meeting(date=protocol.date)
    candidates = []
    for record in protocol.cases:
        case = Case(meeting=meeting, number=record.number, title=record.title)
        candidates += [Attachment(case=case, number=ref.number, title=ref.title) for ref in record.attachments]
    matches = []
    for doc in documents:
        # Read at upload; only a row stored before that was kept needs reading now.
        title = doc.title if doc.extraction else extract(bytes(doc.content), doc.filename).title
        found = best_attachment(AttachmentDocument(title=title, filename=doc.filename), candidates)
        match = DocumentMatch(upload_attachment=doc, title=title or doc.filename)
        if found is not None:
            match.case_number, match.bilag_number = found.case.number, found.number
            candidates.remove(found)  # one document per bilag, as attachment_import links them
        matches.append(match)
    return matches


def find_existing(protocol: r.Protocol) -> Meeting | None:
    committee = Committee.objects.resolve(protocol.committee)
    if committee is None:
        return None
    return Meeting.objects.filter(committee=committee, date=protocol.date).select_related("committee").first()


def stored_protocol(upload: Upload) -> r.Protocol:
    """The parse stored with the upload; the stored bytes parsed again if that parse has another format version.

    Raises `ProtocolError` if the bytes no longer parse (upload_preview refused such files, so only a parser
    changed since can do that).
    """
    if upload.parsed is not None and upload.parsed.get("format_version") == r.FORMAT_VERSION:
        return r.protocol_from_json(upload.parsed)
    return parse_protocol(bytes(upload.content))


def _record_text(record: r.CaseRecord) -> str:
    """A case as a reader sees it (title, then each section under its heading), for the word-level diff."""
    return "\n".join([record.title, *(f"{s.heading}\n{s.text}" for s in record.sections)])


def _case_text(case: Case) -> str:
    return "\n".join([case.title, *(f"{s.heading}\n{s.text}" for s in case.sections.all())])


def build_preview(upload: Upload) -> Preview:
    """Compare the upload's stored parse with the archive as it is now.

    Raises `ProtocolError` or `AttachmentError` if stored files must be read again and cannot be (see
    `stored_protocol`; attachments stored before their text was kept are read here).
    """
    protocol = stored_protocol(upload)
    # Compared as it would be published: CPR numbers masked (the archive holds them masked), so a re-upload of
    # the same file shows no change where only a masked number differs.
    diff = protocol_diff(mask_protocol(protocol) if upload.personal_data else protocol)
    existing = None if diff.is_new else find_existing(protocol)
    old_cases = {}
    if existing is not None:
        old_cases = {
            c.number: c
            for c in existing.cases.select_related("decision").prefetch_related(
                Prefetch("sections", queryset=Section.objects.order_by("position"))
            )
        }
    documents = match_documents(protocol, list(upload.attachments.all()))
    by_bilag = {(d.case_number, d.bilag_number): d for d in documents if d.matched}

    per_case: dict[int, list[str]] = {}
    general = []
    numbers = {c.number for c in protocol.cases}
    for warning in protocol.warnings:
        if warning.case in numbers:
            per_case.setdefault(warning.case, []).append(warning_text(warning))
        elif warning.case is not None:
            general.append(_("Sag %(number)d: %(text)s") % {"number": warning.case, "text": warning_text(warning)})
        else:
            general.append(warning_text(warning))

    outcomes = dict(Outcome.choices)
    rows = []
    for record in protocol.cases:
        row = CaseRow(
            record=record,
            outcome_label=str(outcomes.get(record.decision.outcome, "")) if record.decision else "",
            warnings=per_case.get(record.number, []),
            bilag=[(ref, by_bilag.get((record.number, ref.number))) for ref in record.attachments],
        )
        if not diff.is_new and record.number in diff.added:
            row.change = "added"
        elif record.number in diff.changed:
            row.change = "changed"
            row.changed_fields = field_names(diff.changed[record.number])
            old = old_cases.get(record.number)
            if old is not None:
                row.diff = word_diff(_case_text(old), _record_text(record))
                if "title" in diff.changed[record.number]:
                    row.old_title = old.title
                if "decision" in diff.changed[record.number]:
                    old_decision = getattr(old, "decision", None)
                    row.old_decision = old_decision.text if old_decision else ""
        rows.append(row)
    return Preview(
        protocol=protocol,
        diff=diff,
        existing=existing,
        cases=rows,
        general_warnings=general,
        documents=documents,
        removed_cases=[old_cases[n] for n in diff.removed if n in old_cases],
    )
