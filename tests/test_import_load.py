"""The importer service: what it writes, that re-imports are idempotent, corrections replace, failures roll back."""

import datetime as dt

import pytest
from django.db import DataError, connection

from cases.models import Attachment, Case, CaseStep, Decision, Outcome, Recommendation, Section
from importer import load
from importer.bulk import insert_rows
from importer.load import ImportStatus, protocol_import
from importer.parse import parse_protocol
from importer.records import ProtocolError
from meetings.models import Attendance, Meeting, Person, SourceDocument

pytestmark = pytest.mark.django_db


def table_counts():
    models = [
        Meeting,
        Case,
        Section,
        Recommendation,
        Decision,
        CaseStep,
        Attachment,
        Attendance,
        Person,
        SourceDocument,
    ]
    return {m.__name__: m.objects.count() for m in models}


def test_fixtures_import_into_meetings_cases_and_attendance(archive):
    assert {k: v.status for k, v in archive.items()} == dict.fromkeys(archive, "imported")
    meeting = Meeting.objects.get(date="2020-08-11")
    assert meeting.committee.name == "Beskæftigelsesudvalget"
    assert (meeting.first_case, meeting.last_case, meeting.ended_at.strftime("%H:%M")) == (29, 34, "15:45")
    assert list(meeting.cases.order_by("number").values_list("number", flat=True)) == [29, 30, 31, 32, 33, 34]
    chair = meeting.attendances.get(role=Attendance.Role.CHAIR)
    assert (chair.person.name, chair.party) == ("Michel Berg", "A")
    kongebro = meeting.attendances.get(person__name="Jan Kongebro")
    assert kongebro.present is False and kongebro.cases_missed == [29, 30, 31, 32, 33, 34]
    assert meeting.attendances.filter(present=True).count() == 4

    sag30 = meeting.cases.get(number=30)
    assert sag30.title == "Udvikling af ny beskæftigelsespolitik i Rødovre Kommune"
    assert sag30.authority == "KB" and sag30.authority_committee.name == "Kommunalbestyrelsen"
    assert sag30.decision.text == "Anbefales." and sag30.decision.outcome == Outcome.RECOMMENDED
    assert sag30.recommendations.count() == 2
    assert sag30.recommendations.first().proposer == "Social- og Sundhedsforvaltningen"
    assert [s.heading for s in sag30.sections.all()][:3] == ["Sagens kerne", "Indstilling", "Beslutning"]
    assert meeting.cases.get(number=33).authority_committee.code == "BEU"

    assert Meeting.objects.get(date="2019-10-08").cases.count() == 7
    assert (
        Meeting.objects.get(date="2022-11-15").cases.get(number=46).title == "Design af brugerundersøgelse i Jobcentret"
    )


def test_the_original_bytes_are_kept_verbatim(archive, protocol_bytes):
    meeting = Meeting.objects.get(date="2019-10-08")
    assert bytes(meeting.source.content) == protocol_bytes("2019-10-08")
    assert meeting.source.text == protocol_bytes("2019-10-08").decode("utf-8")
    assert meeting.source.filename == "beskaeftigelsesudvalget-2019-10-08.txt"
    assert meeting.source.meeting == meeting


def test_importing_the_same_protocol_again_changes_nothing(archive, protocol_bytes):
    before = table_counts()
    ids = dict(Case.objects.values_list("number", "id"))
    updated_at = Meeting.objects.get(date="2020-08-11").updated_at
    result = protocol_import(content=protocol_bytes("2020-08-11"), filename="again.txt")
    assert result.status == "unchanged" and result.diff.is_empty
    assert table_counts() == before
    assert dict(Case.objects.values_list("number", "id")) == ids
    assert Meeting.objects.get(date="2020-08-11").updated_at == updated_at


def corrected_2020(protocol_bytes) -> bytes:
    text = protocol_bytes("2020-08-11").decode("utf-8")
    text = text.replace("Drøftelse vedrørende Beskæftigelsesplan 2021-22", "Drøftelse af Beskæftigelsesplan 2021-22", 1)
    head, tail = text.split("Diverse\nSag nr. 34", 1)
    closing = tail[tail.index("Protokollen oplæst") :]
    return (head + closing).encode("utf-8")


def test_a_corrected_protocol_replaces_the_meeting_content_and_reports_the_changes(archive, protocol_bytes):
    meeting = Meeting.objects.get(date="2020-08-11")
    old_source = meeting.source
    ids = dict(meeting.cases.values_list("number", "id"))

    result = protocol_import(content=corrected_2020(protocol_bytes), filename="rettet.txt")

    assert result.status == "updated"
    assert result.diff.removed == [34] and result.diff.added == []
    assert result.diff.changed == {31: ["title"]}
    assert "case 34 removed" in result.diff.summary()
    meeting.refresh_from_db()
    assert list(meeting.cases.order_by("number").values_list("number", flat=True)) == [29, 30, 31, 32, 33]
    assert meeting.cases.get(number=31).title == "Drøftelse af Beskæftigelsesplan 2021-22"
    assert dict(meeting.cases.values_list("number", "id")) == {n: i for n, i in ids.items() if n != 34}
    # the earlier version of the protocol is still there, and the meeting points at the new one
    assert meeting.source != old_source and meeting.source.filename == "rettet.txt"
    assert set(meeting.source_versions.all()) == {old_source, meeting.source}


def test_a_failure_in_the_middle_of_an_import_leaves_the_database_as_it_was(archive, protocol_bytes, monkeypatch):
    before = table_counts()
    calls = []

    def explode(written, committees, replace=()):
        calls.extend(case.number for case, _record in written)
        raise RuntimeError("disk full")

    monkeypatch.setattr(load, "_write_children", explode)
    with pytest.raises(RuntimeError):
        protocol_import(content=corrected_2020(protocol_bytes), filename="rettet.txt")
    assert calls == [31]
    assert table_counts() == before
    assert Meeting.objects.get(date="2020-08-11").cases.get(number=31).title.startswith("Drøftelse vedrørende")
    assert Meeting.objects.get(date="2020-08-11").cases.filter(number=34).exists()


def test_a_failure_in_a_new_meeting_writes_nothing(db, protocol_bytes, monkeypatch):
    monkeypatch.setattr(load, "_write_attendance", lambda written: (_ for _ in ()).throw(RuntimeError("boom")))
    with pytest.raises(RuntimeError):
        protocol_import(content=protocol_bytes("2022-11-15"), filename="x.txt")
    assert not Meeting.objects.exists() and not SourceDocument.objects.exists() and not Case.objects.exists()


def test_an_unparseable_file_raises_protocol_error_and_writes_nothing(db):
    with pytest.raises(ProtocolError) as info:
        protocol_import(content=b"Beskaeftigelsesudvalget\nMedlemmer\nSag nr. 1\n", filename="bad.txt")
    assert info.value.line >= 1
    assert not Meeting.objects.exists() and not SourceDocument.objects.exists()


def test_a_dry_run_reports_the_changes_and_writes_nothing(archive, protocol_bytes):
    before = table_counts()
    result = protocol_import(content=corrected_2020(protocol_bytes), filename="rettet.txt", dry_run=True)
    assert result.status == "updated" and result.diff.removed == [34]
    assert table_counts() == before


TMU = """Teknik- og Miljøudvalget
11-06-2019
Medlemmer
Formand Anna Berg (A)
Ole Nielsen (V)
Sager 52 - 52
Lokalplan 150 for Islevdalvej
Sag nr. 52
Beslutningskompetence: KB
Sagens kerne
Forslag til lokalplan 150.
Indstilling
Teknisk Forvaltning indstiller,
at lokalplanforslaget vedtages.
Beslutning
Anbefales.
Protokollen oplæst. Mødet afsluttet kl. 17.00
"""

KB = """Kommunalbestyrelsen
25-06-2019
Medlemmer
Formand Erik Nielsen (A)
Kim Hansen (V), Suppleant for Ole Nielsen (V)
Sager 60 - 60
Lokalplan 150 for Islevdalvej
Sag nr. 60
Beslutningskompetence: KB
Sagens kerne
Forslag til lokalplan 150.
Indstilling
Teknisk Forvaltning indstiller,
at lokalplanforslaget vedtages.
Teknik- og Miljøudvalget, 11. juni 2019, pkt. 52:
Anbefales.
Beslutning
Godkendt.
Protokollen oplæst. Mødet afsluttet kl. 19.00
"""


@pytest.mark.parametrize("order", [("TMU", "KB"), ("KB", "TMU")])
def test_the_decision_trail_links_to_the_earlier_case_whichever_meeting_comes_first(db, order):
    texts = {"TMU": TMU, "KB": KB}
    for name in order:
        protocol_import(content=texts[name].encode(), filename=f"{name}.txt")
    step = CaseStep.objects.get()
    assert (step.body, step.date.isoformat(), step.item, step.outcome) == (
        "Teknik- og Miljøudvalget",
        "2019-06-11",
        52,
        Outcome.RECOMMENDED,
    )
    assert step.body_committee.code == "TMU"
    assert step.earlier_case == Case.objects.get(meeting__date="2019-06-11", number=52)
    assert step.case.decision.outcome == Outcome.APPROVED
    kim = Attendance.objects.get(person__name="Kim Hansen")
    assert kim.substitute_for.name == "Ole Nielsen" and kim.party == "V"


def test_an_already_parsed_protocol_is_imported_without_parsing_again(db, protocol_bytes, monkeypatch):
    content = protocol_bytes("2022-11-15")
    parsed = parse_protocol(content)
    monkeypatch.setattr(load, "parse_protocol", lambda data: pytest.fail("parsed again"))
    result = protocol_import(content=content, filename="p.txt", protocol=parsed)
    assert result.status == ImportStatus.IMPORTED and result.protocol is parsed
    assert bytes(result.meeting.source.content) == content  # the SourceDocument still keeps the original bytes
    assert result.meeting.cases.get(number=46).title == "Design af brugerundersøgelse i Jobcentret"


def test_replacing_can_be_refused_and_then_nothing_is_written(archive, protocol_bytes):
    before = table_counts()
    with pytest.raises(load.MeetingExists) as info:
        protocol_import(content=corrected_2020(protocol_bytes), filename="rettet.txt", replace=False)
    assert info.value.diff.removed == [34] and info.value.diff.changed == {31: ["title"]}
    assert table_counts() == before
    assert protocol_import(content=corrected_2020(protocol_bytes), filename="rettet.txt").status == "updated"


def test_child_rows_are_written_in_bulk_as_the_orm_would_write_them(archive):
    case = Case.objects.get(meeting__date="2020-08-11", number=30)
    assert insert_rows(
        CaseStep,
        ["case", "position", "body", "body_committee", "date", "item", "text", "outcome"],
        [(case.pk, 9, "Økonomiudvalget", None, dt.date(2020, 9, 1), 137, "Anbefales.", Outcome.RECOMMENDED)],
    )
    step = case.steps.get(position=9)
    assert (step.body, step.date, step.item, step.outcome) == (
        "Økonomiudvalget",
        dt.date(2020, 9, 1),
        137,
        "recommended",
    )
    assert insert_rows(Section, ["case", "position", "heading", "text"], []) == 0


@pytest.mark.django_db(transaction=True)
def test_a_child_row_the_database_refuses_rolls_the_whole_import_back(db, protocol_bytes):
    # An attachment title longer than its column (500): PostgreSQL refuses it (never cuts it short); SQLite does
    # not check lengths, so there the title is kept whole.
    title = "Procesplan " + "meget " * 100
    content = protocol_bytes("2020-08-11").replace(b"Bilag 1: Procesplan", f"Bilag 1: {title}".encode(), 1)
    if connection.vendor != "postgresql":
        protocol_import(content=content, filename="lang.txt")
        assert len(Attachment.objects.get(title__startswith="Procesplan meget").title) > 600
        return
    with pytest.raises(DataError):
        protocol_import(content=content, filename="lang.txt")
    assert not Meeting.objects.exists() and not Section.objects.exists() and not SourceDocument.objects.exists()
