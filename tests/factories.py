"""The few objects tests build by hand (everything else comes from importing real protocols)."""

import datetime as dt

from cases.models import Absence, Case, Decision, Outcome
from meetings.counts import counts_refresh
from meetings.models import Attendance, Committee, Meeting, Person
from meetings.services import archive_changed, meeting_withdraw


def committee(name="Testudvalget", code="TU") -> Committee:
    return Committee.objects.get_or_create(name=name, defaults={"code": code})[0]


def archive_written(meeting_ids=(), people=()) -> None:
    """What the services do after every write, for rows a test made by hand: recount the kept totals and move the
    archive's version (so no cached page hides the change)."""
    counts_refresh(meetings=meeting_ids, people=people)
    archive_changed()


def meeting(committee_obj=None, date=dt.date(2021, 5, 4), **kwargs) -> Meeting:
    obj = Meeting.objects.create(committee=committee_obj or committee(), date=date, **kwargs)
    archive_written([obj.pk])
    return obj


def case(meeting_obj=None, number=1, title="En sag", outcome=None, **kwargs) -> Case:
    obj = Case.objects.create(meeting=meeting_obj or meeting(), number=number, title=title, **kwargs)
    if outcome:
        Decision.objects.create(case=obj, text="Godkendt.", outcome=outcome or Outcome.APPROVED)
    archive_written([obj.meeting_id])
    return obj


def attend(meeting_obj, person_obj, **kwargs) -> Attendance:
    """A person's attendance at a meeting, with the kept totals following."""
    obj = Attendance.objects.create(meeting=meeting_obj, person=person_obj, **kwargs)
    archive_written([meeting_obj.pk])
    return obj


def person(name="Anne Hansen") -> Person:
    return Person.objects.get_or_create(name=name)[0]


def withdraw(**lookups) -> None:
    """Withdraw the meetings matching these lookups from the public archive, as the admin action does."""
    for obj in Meeting.objects.filter(**lookups):
        meeting_withdraw(meeting=obj)


def absent_for(attendance: Attendance, numbers) -> None:
    """Record that this attendee missed these case numbers of their meeting."""
    cases = Case.objects.filter(meeting_id=attendance.meeting_id, number__in=numbers)
    Absence.objects.bulk_create(Absence(attendance=attendance, case=c) for c in cases)
    archive_written()


def minimal_pdf(text: str) -> bytes:
    """A valid one-page PDF showing `text` (ASCII) in Helvetica, built by hand so tests need no PDF writer."""
    stream = f"BT /F1 12 Tf 20 100 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 400 144] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out, offsets = b"%PDF-1.4\n", []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return out
