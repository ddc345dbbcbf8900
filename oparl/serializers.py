"""OParl 1.1 objects built from loaded model instances (no queries here: the views load, this module writes).

Conventions (OParl 1.1 §3): no `null` and no empty optional lists; dates as YYYY-MM-DD; date-times with their
offset, to the second, in Copenhagen time. What the archive knows beyond OParl sits under one extension key,
`rodovre:minutes` (the vendor-prefix form OParl prescribes), described in README.md.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from cases.models import Case
from oparl.files import DOCUMENT, PROTOCOL, Checksums
from oparl.links import Links
from oparl.queries import ROLE_LABELS, is_public_row, membership_key
from oparl.terms import term_bounds, term_start

OPARL = "https://schema.oparl.org/1.1/"
EXTENSION = "rodovre:minutes"
SYSTEM_NAME = "Rødovre Referatarkiv"
BODY_NAME = "Rødovre Kommune"
BODY_SHORT_NAME = "Rødovre"
BODY_WEBSITE = "https://www.rk.dk/"
PAPER_TYPE = "Sag"
# OParl's recommended meeting states: "durchgeführt" once minutes are released, "eingeladen" for an agenda.
MEETING_HELD = "durchgeführt"
MEETING_INVITED = "eingeladen"


def oparl_type(name: str) -> str:
    return f"{OPARL}{name}"


def stamp(value: dt.datetime | None) -> str | None:
    """A date-time as OParl writes it: Copenhagen time with its offset, to the second."""
    return timezone.localtime(value).replace(microsecond=0).isoformat() if value else None


def day(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


def clean(data: dict, keep: Iterable[str] = ()) -> dict:
    """Drop what OParl says not to write: null values and empty optional strings, lists and objects."""
    keep = set(keep)
    return {k: v for k, v in data.items() if k in keep or not (v is None or v == "" or v == [] or v == {})}


def deleted(object_id: str, type_name: str, created: dt.datetime | None, modified: dt.datetime | None, **kept) -> dict:
    """A deleted (withdrawn) object as OParl 1.1 §2.8 keeps it: id, type, created, modified and `deleted`.

    `kept`: what the type's schema requires besides (a File's `accessUrl`, which then answers 410 Gone).
    """
    return clean(
        {
            "id": object_id,
            "type": oparl_type(type_name),
            **kept,
            "created": stamp(created),
            "modified": stamp(modified),
            "deleted": True,
        }
    )


def case_reference(case: Case) -> str:
    """How protocols cite a case: "ØU 138/07" (empty when its committee has no short code)."""
    code = case.meeting.committee.code
    return f"{code} {case.number}/{case.meeting.date.year % 100:02d}" if code else ""


def meeting_name(meeting) -> str:
    """ "Beskæftigelsesudvalget, 11. august 2020" (or the meeting's own title, e.g. a constituent meeting)."""
    return f"{meeting.title or meeting.committee.name}, {date_format(meeting.date, 'j. F Y')}"


def files_of_cases(cases: Iterable[Case]) -> list[tuple[str, int, str]]:
    """The (kind, pk, sha256) of the documents of loaded cases, for `Checksums.fill`."""
    return [
        (DOCUMENT, a.document_id, a.document.sha256)
        for case in cases
        for a in case.attachments.all()
        if a.document_id is not None
    ]


def files_of_meetings(meetings) -> list[tuple[str, int, str]]:
    """The protocol files and documents of loaded meetings, for `Checksums.fill`."""
    found = []
    for meeting in meetings:
        if meeting.source_id is not None:
            found.append((PROTOCOL, meeting.source_id, meeting.source.sha256))
        found += files_of_cases(meeting.cases.all())
    return found


class Serializer:
    """Writes the OParl objects of one request; `links` names them, `checksums` must hold their files."""

    def __init__(self, links: Links, checksums: Checksums | None = None, *, omit_internal: bool = False):
        self.links = links
        self.checksums = checksums or Checksums()
        self.omit_internal = omit_internal

    # --- system, body, terms ----------------------------------------------------------------------------------

    def system(self, created, modified) -> dict:
        links = self.links
        return clean(
            {
                "id": links.system(),
                "type": oparl_type("System"),
                "oparlVersion": OPARL,
                "body": links.list("body"),
                "name": SYSTEM_NAME,
                "website": links.web("/"),
                "web": links.web(reverse("web:data")),
                "created": stamp(created),
                "modified": stamp(modified),
            }
        )

    def body(self, created, modified, terms: list[dict]) -> dict:
        links = self.links
        return clean(
            {
                "id": links.body(),
                "type": oparl_type("Body"),
                "system": links.system(),
                "shortName": BODY_SHORT_NAME,
                "name": BODY_NAME,
                "website": BODY_WEBSITE,
                "classification": "Kommune",
                "organization": links.list("organization"),
                "person": links.list("person"),
                "meeting": links.list("meeting"),
                "paper": links.list("paper"),
                "legislativeTerm": [self.term(row) for row in terms],
                "agendaItem": links.list("agendaitem"),
                "consultation": links.list("consultation"),
                "file": links.list("file"),
                "legislativeTermList": links.list("legislativeterm"),
                "membership": links.list("membership"),
                "web": links.web("/"),
                "created": stamp(created),
                "modified": stamp(modified),
            },
            keep=["legislativeTerm"],
        )

    def term(self, row: dict) -> dict:
        if not is_public_row(row):
            return deleted(self.links.term(row["term_year"]), "LegislativeTerm", row["created"], row["modified"])
        start, end = term_bounds(row["term_year"])
        return clean(
            {
                "id": self.links.term(row["term_year"]),
                "type": oparl_type("LegislativeTerm"),
                "body": self.links.body(),
                "name": f"Valgperioden {start.year}–{end.year}",
                "startDate": day(start),
                "endDate": day(end),
                "created": stamp(row["created"]),
                "modified": stamp(row["modified"]),
            }
        )

    # --- organizations, people, memberships ---------------------------------------------------------------------

    def organization(self, committee, membership_urls: list[str]) -> dict:
        links = self.links
        is_council = committee.name.startswith("Kommunalbestyrelse")
        return clean(
            {
                "id": links.organization(committee.slug),
                "type": oparl_type("Organization"),
                "body": links.body(),
                "name": committee.name,
                "shortName": committee.code,
                "organizationType": "Gremium",
                "classification": "Kommunalbestyrelse" if is_council else "Udvalg",
                "meeting": links.organization_meetings(committee.slug),
                "membership": membership_urls,
                "web": links.web(committee.get_absolute_url()),
                "created": stamp(committee.created),
                "modified": stamp(committee.modified),
            }
        )

    def person(self, person, *, memberships: list[dict], parties: dict, party: str, party_names: dict) -> dict:
        if not person.is_public:
            return deleted(self.links.person(person.slug), "Person", person.created, person.modified)
        return clean(
            {
                "id": self.links.person(person.slug),
                "type": oparl_type("Person"),
                "body": self.links.body(),
                "name": person.name,
                "membership": None
                if self.omit_internal
                else [self.membership(row, parties.get(membership_key(row), [])) for row in memberships],
                "web": self.links.web(person.get_absolute_url()),
                "created": stamp(person.created),
                "modified": stamp(person.modified),
                EXTENSION: clean({"party": party, "partyName": party_names.get(party, "")}),
            }
        )

    def membership_url(self, row: dict) -> str:
        return self.links.membership(
            row["meeting__committee__slug"], row["term_year"], row["person__slug"], row["role_key"]
        )

    def membership(self, row: dict, parties: list[str]) -> dict:
        links = self.links
        if not is_public_row(row):
            return deleted(self.membership_url(row), "Membership", row["created"], row["modified"])
        # The membership of the current term may still run: its end is not known yet.
        ongoing = row["term_year"] == term_start(timezone.localdate())
        return clean(
            {
                "id": self.membership_url(row),
                "type": oparl_type("Membership"),
                "person": links.person(row["person__slug"]),
                "organization": links.organization(row["meeting__committee__slug"]),
                "role": ROLE_LABELS[row["role_key"]],
                "votingRight": True,
                "startDate": day(row["start"]),
                "endDate": None if ongoing else day(row["end"]),
                "created": stamp(row["created"]),
                "modified": stamp(row["modified"]),
                EXTENSION: clean(
                    {
                        "legislativeTerm": links.term(row["term_year"]),
                        "firstMeeting": day(row["start"]),
                        "lastMeeting": day(row["end"]),
                        "parties": parties,
                    }
                ),
            }
        )

    # --- meetings and agenda items ----------------------------------------------------------------------------

    def meeting(self, meeting) -> dict:
        links = self.links
        if not meeting.is_public:
            return deleted(links.meeting_of(meeting), "Meeting", meeting.created, meeting.modified)
        cases = list(meeting.cases.all())
        attendances = list(meeting.attendances.all())
        absent_from: dict[int, list[str]] = {}
        for case in cases:
            for absence in case.absences.all():
                absent_from.setdefault(absence.attendance_id, []).append(links.agenda_item_of(case))
        end = timezone.make_aware(dt.datetime.combine(meeting.date, meeting.ended_at)) if meeting.ended_at else None
        held = any(getattr(case, "decision", None) for case in cases)
        return clean(
            {
                "id": links.meeting_of(meeting),
                "type": oparl_type("Meeting"),
                "name": meeting_name(meeting),
                "meetingState": MEETING_HELD if held else MEETING_INVITED,
                "end": stamp(end),
                "organization": [links.organization(meeting.committee.slug)],
                "participant": [links.person(a.person.slug) for a in attendances if a.present],
                "resultsProtocol": self.protocol_file(meeting.source, meeting, embedded=True)
                if meeting.source_id
                else None,
                "agendaItem": [self.agenda_item(case) for case in cases],
                "web": links.web(meeting.get_absolute_url()),
                "created": stamp(meeting.created),
                "modified": stamp(meeting.modified),
                EXTENSION: clean(
                    {
                        "date": day(meeting.date),
                        "endTime": meeting.ended_at.strftime("%H:%M") if meeting.ended_at else None,
                        "firstCase": meeting.first_case,
                        "lastCase": meeting.last_case,
                        "attendance": [self._attendance(a, absent_from.get(a.pk, [])) for a in attendances],
                    }
                ),
            }
        )

    def _attendance(self, attendance, absent_from: list[str]) -> dict:
        return clean(
            {
                "person": self.links.person(attendance.person.slug),
                "role": attendance.role,
                "party": attendance.party,
                "present": attendance.present,
                "substituteFor": self.links.person(attendance.substitute_for.slug)
                if attendance.substitute_for_id
                else None,
                "absentFrom": absent_from,
            }
        )

    def agenda_item(self, case: Case) -> dict:
        links = self.links
        meeting = case.meeting
        if not case.is_public:
            # Withdrawn with its meeting; `order` stays, as the AgendaItem schema requires it.
            return deleted(links.agenda_item_of(case), "AgendaItem", case.created, case.modified, order=case.number)
        decision = getattr(case, "decision", None)
        attachments = list(case.attachments.all())
        return clean(
            {
                "id": links.agenda_item_of(case),
                "type": oparl_type("AgendaItem"),
                "meeting": links.meeting_of(meeting),
                "number": str(case.number),
                # Cases are numbered in agenda order, so the number is the item's position.
                "order": case.number,
                "name": case.title,
                "public": not case.closed,
                "consultation": links.consultation_of(case),
                "result": decision.get_outcome_display() if decision else None,
                "resolutionText": decision.text if decision else None,
                "auxiliaryFile": None
                if self.omit_internal
                else [
                    self.document_file(
                        a.document, size=a.document_size, modified=max(a.document.uploaded_at, case.modified)
                    )
                    for a in attachments
                    if a.document_id
                ],
                "web": links.web(case.get_absolute_url()),
                "created": stamp(case.created),
                "modified": stamp(case.modified),
                EXTENSION: self._case_extension(case, decision, attachments),
            },
            keep=["order"],
        )

    def _case_extension(self, case: Case, decision, attachments) -> dict:
        links = self.links
        return clean(
            {
                "outcome": decision.outcome if decision else None,
                "authority": case.authority,
                "authorityOrganization": links.organization(case.authority_committee.slug)
                if case.authority_committee_id
                else None,
                "reference": case.reference,
                "closed": case.closed,
                "recommendations": [
                    clean({"proposer": r.proposer, "text": r.text}) for r in case.recommendations.all()
                ],
                "sections": [{"heading": s.heading, "text": s.text} for s in case.sections.all()],
                "trail": [self._step(step) for step in case.steps.all()],
                "absent": [links.person(absence.attendance.person.slug) for absence in case.absences.all()],
                "attachments": [
                    clean(
                        {
                            "number": a.number,
                            "title": a.title,
                            "file": links.file(DOCUMENT, a.document_id) if a.document_id else None,
                        }
                    )
                    for a in attachments
                ],
            }
        )

    def _step(self, step) -> dict:
        links = self.links
        earlier = step.earlier_case
        return clean(
            {
                "body": step.body,
                "organization": links.organization(step.body_committee.slug) if step.body_committee_id else None,
                "date": day(step.date),
                "item": step.item,
                "outcome": step.outcome,
                "text": step.text,
                "agendaItem": links.agenda_item_of(earlier) if earlier and earlier.meeting.is_published else None,
            }
        )

    # --- papers and consultations -------------------------------------------------------------------------------

    def consultation(self, case: Case, *, root: Case, created, modified) -> dict:
        """One treatment of a matter: `case` at its meeting; `root` is the matter's first case (its Paper)."""
        links = self.links
        decision = getattr(case, "decision", None)
        authoritative = (
            case.authority_committee_id == case.meeting.committee_id if case.authority_committee_id else None
        )
        return clean(
            {
                "id": links.consultation_of(case),
                "type": oparl_type("Consultation"),
                "paper": links.paper_of(root),
                "agendaItem": links.agenda_item_of(case),
                "meeting": links.meeting_of(case.meeting),
                "organization": [links.organization(case.meeting.committee.slug)],
                "authoritative": authoritative,
                "role": None
                if authoritative is None
                else ("Beslutning" if authoritative else "Forberedende behandling"),
                "web": links.web(case.get_absolute_url()),
                "created": stamp(created),
                "modified": stamp(modified),
                EXTENSION: clean({"outcome": decision.outcome if decision else None}),
            }
        )

    def paper(self, root: Case, cases: list[Case], *, created, modified) -> dict:
        """A matter: named by its first case, with one consultation per case that treated it."""
        links = self.links
        documents, seen = [], set()
        for case in cases:
            for a in case.attachments.all():
                if a.document_id and a.document_id not in seen:
                    seen.add(a.document_id)
                    documents.append(
                        self.document_file(
                            a.document, size=a.document_size, modified=max(a.document.uploaded_at, modified)
                        )
                    )
        decided = [c.decision for c in cases if getattr(c, "decision", None)]
        return clean(
            {
                "id": links.paper_of(root),
                "type": oparl_type("Paper"),
                "body": links.body(),
                "name": root.title,
                "reference": case_reference(root),
                "date": day(root.meeting.date),
                "paperType": PAPER_TYPE,
                "auxiliaryFile": None if self.omit_internal else documents,
                "consultation": [
                    self.consultation(case, root=root, created=case.created, modified=modified) for case in cases
                ],
                "web": links.web(root.get_absolute_url()),
                "created": stamp(created),
                "modified": stamp(modified),
                EXTENSION: clean({"outcome": decided[-1].outcome if decided else None}),
            }
        )

    # --- files --------------------------------------------------------------------------------------------------

    def protocol_file(self, source, meeting, *, embedded: bool = False, size: int | None = None, modified=None) -> dict:
        """A meeting's protocol as imported (the OParl `resultsProtocol`)."""
        links = self.links
        return clean(
            {
                "id": links.file(PROTOCOL, source.pk),
                "type": oparl_type("File"),
                "name": f"Referat: {meeting_name(meeting)}",
                "fileName": source.filename,
                "mimeType": "text/plain",
                "date": day(meeting.date),
                "size": meeting.source_size if size is None else size,
                "sha512Checksum": self.checksums.sha512(source.sha256),
                "text": source.text,
                "accessUrl": links.file_access(PROTOCOL, source.pk),
                "downloadUrl": links.file_download(PROTOCOL, source.pk),
                "meeting": None if embedded else [links.meeting_of(meeting)],
                "web": links.web(meeting.get_absolute_url()),
                "created": stamp(source.imported_at),
                "modified": stamp(modified or max(source.imported_at, meeting.updated_at)),
                EXTENSION: {"encoding": source.encoding, "sha256": source.sha256},
            }
        )

    def document_file(self, document, *, size: int, modified, links_to: list | None = None) -> dict:
        """An attachment document; `links_to` (the bilag it belongs to) adds its agenda items and meetings."""
        links = self.links
        cases = [a.case for a in links_to or []]
        return clean(
            {
                "id": links.file(DOCUMENT, document.pk),
                "type": oparl_type("File"),
                "name": document.title or document.filename,
                "fileName": document.filename,
                "mimeType": document.content_type,
                "size": size,
                "sha512Checksum": self.checksums.sha512(document.sha256),
                "text": document.text,
                "accessUrl": links.file_access(DOCUMENT, document.pk),
                "downloadUrl": links.file_download(DOCUMENT, document.pk),
                "meeting": list(dict.fromkeys(links.meeting_of(c.meeting) for c in cases)),
                "agendaItem": [links.agenda_item_of(c) for c in cases],
                "web": links.web(cases[0].get_absolute_url()) if cases else None,
                "created": stamp(document.uploaded_at),
                "modified": stamp(modified),
                EXTENSION: {"sha256": document.sha256},
            }
        )
