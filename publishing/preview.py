"""What a clerk sees before publishing: the parsed protocol, its warnings in Danish, the diff and the bilag matches.

Everything here reads; nothing writes to the archive. The same parser and diff as the import service are used, so
the preview shows exactly what publishing would do.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cases.models import Attachment, AttachmentDocument, Case, Outcome
from importer import records as r
from importer.attachments import extract
from importer.linking import best_attachment
from importer.load import MeetingDiff, protocol_diff
from importer.parse import parse_protocol
from meetings.models import Committee, Meeting
from publishing.models import Upload, UploadAttachment

# The parser's warning codes (`importer.records.ParseWarning.code`) in plain Danish. An unknown code falls back to
# a general sentence plus the parser's own detail; tests/test_publishing_preview.py checks every code is here.
WARNING_TEXTS = {
    "missing-case": gettext_lazy("Sagen er nævnt i »Sager …«-linjen, men står ikke i protokollen."),
    "unannounced-case": gettext_lazy("Sagsnummeret ligger uden for intervallet i »Sager …«-linjen."),
    "announced-range": gettext_lazy("Intervallet i »Sager …«-linjen er usandsynligt langt. Tjek sagsnumrene."),
    "case-order": gettext_lazy("Sagerne står ikke i stigende nummerorden."),
    "no-decision": gettext_lazy("Sagen har ingen beslutning."),
    "text-outside-section": gettext_lazy(
        "Der står tekst før sagens første overskrift; den er bevaret uden overskrift."
    ),
    "title-split-guess": gettext_lazy(
        "Sagens titel var klistret sammen med den forrige sags bilagslinje. Programmet har gættet, hvor titlen "
        "begynder – tjek titlen og bilagene."
    ),
    "header-line": gettext_lazy("En linje i protokollens indledning (før sagerne) blev ikke genkendt."),
    "closing-time": gettext_lazy("Klokkeslættet i slutlinjen (»Mødet afsluttet kl. …«) kunne ikke læses."),
    "text-after-closing": gettext_lazy("Der står tekst efter slutlinjen; den hører ikke til nogen sag."),
}
# Codes whose English message ends in the offending text ("…: <text>"); the preview quotes it.
QUOTED_CODES = frozenset({"header-line", "text-after-closing", "closing-time"})

# The parser's fatal errors, by the start of their English message, in Danish.
ERROR_TEXTS = (
    ("the file is empty", gettext_lazy("Filen er tom.")),
    ("the file holds only whitespace", gettext_lazy("Filen indeholder kun mellemrum og tomme linjer.")),
    ("the file is not text", gettext_lazy("Filen er ikke en tekstfil.")),
    ("the file claims to be", gettext_lazy("Filens tegnsæt passer ikke til indholdet. Gem den som UTF-8.")),
    (
        "expected the committee name and the meeting date",
        gettext_lazy("Udvalgets navn og mødedatoen skal stå før første sag."),
    ),
    ("expected the committee name", gettext_lazy("Første linje skal være udvalgets navn.")),
    ("expected the meeting date", gettext_lazy("Mødedatoen (DD-MM-ÅÅÅÅ) mangler i indledningen.")),
    ("invalid meeting date", gettext_lazy("Mødedatoen er ikke en gyldig dato.")),
    ("expected at least one case", gettext_lazy("Protokollen indeholder ingen sager (en linje »Sag nr. …«).")),
    ("duplicate case number", gettext_lazy("Det samme sagsnummer står to gange.")),
    ("'Sag nr.", gettext_lazy("Der er ingen titellinje lige før »Sag nr. …«.")),
)

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
    "first_case": gettext_lazy("første sag"),
    "last_case": gettext_lazy("sidste sag"),
}


def warning_text(warning: r.ParseWarning) -> str:
    """A parser warning as a Danish sentence (with the line number, and the offending text where useful)."""
    known = WARNING_TEXTS.get(warning.code)
    if known is None:
        text = _("Tjek venligst: %(detail)s") % {"detail": warning.message}
    else:
        text = str(known)
        if warning.code in QUOTED_CODES and ": " in warning.message:
            text += f" »{warning.message.split(': ', 1)[1]}«"
    if warning.line:
        text = _("Linje %(line)d: %(text)s") % {"line": warning.line, "text": text}
    return text


def protocol_error_text(exc: r.ProtocolError) -> str:
    """A parse failure as a Danish sentence with its line number; the parser's own (English) detail follows."""
    reason = next((str(danish) for prefix, danish in ERROR_TEXTS if exc.message.startswith(prefix)), "")
    detail = f"{reason} ({exc.message})" if reason else exc.message
    if exc.line:
        params = {"line": exc.line, "detail": detail}
        return _("Protokollen kunne ikke læses. Fejl i linje %(line)d: %(detail)s") % params
    return _("Protokollen kunne ikke læses: %(detail)s") % {"detail": detail}


def field_names(fields) -> str:
    return ", ".join(str(FIELD_NAMES.get(name, name)) for name in fields)


def diff_lines(diff: MeetingDiff) -> list[str]:
    """What a diff changes, one Danish line per change (stored on the Upload as its history)."""
    if diff.is_new:
        return [_("Nyt møde med %(count)d sager.") % {"count": len(diff.added)}]
    if diff.is_empty:
        return [_("Ingen ændringer.")]
    lines = [_("Mødets %(field)s ændret.") % {"field": field_names([name])} for name in diff.meeting_fields]
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
    bilag: list[tuple[r.AttachmentRef, DocumentMatch | None]] = field(default_factory=list)


@dataclass
class Preview:
    """Everything the preview page shows; built fresh from the stored bytes and the current archive."""

    protocol: r.Protocol
    diff: MeetingDiff
    existing: Meeting | None
    cases: list[CaseRow]
    general_warnings: list[str]
    documents: list[DocumentMatch]
    removed_cases: list[Case]

    @property
    def replaces(self) -> bool:
        return self.existing is not None

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
        _content_type, title, _text, _html = extract(bytes(doc.content), doc.filename)
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


def build_preview(upload: Upload) -> Preview:
    """Parse the upload's stored protocol and compare it with the archive as it is now.

    Raises `ProtocolError` or `AttachmentError` if the stored files cannot be read (upload_preview has already
    refused such files, so this only happens if the parser changed in between).
    """
    protocol = parse_protocol(bytes(upload.content))
    diff = protocol_diff(protocol)
    existing = None if diff.is_new else find_existing(protocol)
    old_cases = {}
    if existing is not None:
        old_cases = {c.number: c for c in existing.cases.select_related("decision")}
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
