"""The data model's rules: uniqueness, what deleting cascades to (and what it must never destroy), choices, slugs."""

import datetime as dt

import pytest
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError

from cases.models import Attachment, AttachmentDocument, Case, CaseStep, Decision, Outcome, Section
from importer import records
from meetings.models import Attendance, Committee, Meeting, Party, Person, SourceDocument
from meetings.slugs import danish_slugify
from tests import factories

pytestmark = pytest.mark.django_db


def test_danish_letters_are_transliterated_in_slugs():
    assert danish_slugify("Beskæftigelsesudvalget") == "beskaeftigelsesudvalget"
    assert danish_slugify("Økonomiudvalget") == "oekonomiudvalget"
    assert danish_slugify("Teknik- og Miljøudvalget") == "teknik-og-miljoeudvalget"
    assert danish_slugify("Ågade Åsø") == "aagade-aasoe"


def test_seeded_parties_and_committees_resolve_by_code_and_name():
    assert Party.objects.get(letter="Ø").name == "Enhedslisten"
    assert Party.objects.filter(letter__in=list("ABCDFIKMOVÆØÅ")).count() == 13
    assert Committee.objects.resolve("KB").name == "Kommunalbestyrelsen"
    assert Committee.objects.resolve(" beskæftigelsesudvalget ").code == "BEU"
    assert Committee.objects.resolve("Diverse") is None
    assert Committee.objects.get(code="ØU").slug == "oekonomiudvalget"


def test_one_meeting_per_committee_and_date():
    meeting = factories.meeting()
    with pytest.raises(IntegrityError), transaction.atomic():
        Meeting.objects.create(committee=meeting.committee, date=meeting.date)
    other = factories.committee("Andet udvalg", "AU")
    assert Meeting.objects.create(committee=other, date=meeting.date).pk


def test_meeting_case_range_must_be_ordered():
    with pytest.raises(IntegrityError), transaction.atomic():
        factories.meeting(first_case=34, last_case=29)


def test_case_numbers_are_unique_within_a_meeting_only():
    case = factories.case(number=29)
    with pytest.raises(IntegrityError), transaction.atomic():
        Case.objects.create(meeting=case.meeting, number=29, title="Dublet")
    later = factories.meeting(committee_obj=case.meeting.committee, date=dt.date(2022, 1, 1))
    assert Case.objects.create(meeting=later, number=29, title="Samme nummer, andet møde").pk


def test_attachment_numbers_and_section_positions_are_unique_per_case():
    case = factories.case()
    Attachment.objects.create(case=case, number=1, title="Et bilag")
    with pytest.raises(IntegrityError), transaction.atomic():
        Attachment.objects.create(case=case, number=1, title="Samme nummer")
    Section.objects.create(case=case, position=0, heading="Sagens kerne", text="x")
    with pytest.raises(IntegrityError), transaction.atomic():
        Section.objects.create(case=case, position=0, heading="Tidsplan", text="y")


def test_one_attendance_per_person_and_meeting():
    meeting, person = factories.meeting(), factories.person()
    Attendance.objects.create(meeting=meeting, person=person, party="A")
    with pytest.raises(IntegrityError), transaction.atomic():
        Attendance.objects.create(meeting=meeting, person=person, party="A")


def test_deleting_a_meeting_removes_its_cases_but_keeps_sources_documents_people_and_committee():
    case = factories.case(outcome=Outcome.NOTED)
    meeting = case.meeting
    source = SourceDocument.objects.create(
        meeting=meeting, filename="p.txt", content=b"x", text="x", encoding="utf-8", sha256="0" * 64
    )
    meeting.source = source
    meeting.save()
    document = AttachmentDocument.objects.create(
        filename="b.md", content=b"# B", content_type="text/markdown", sha256="1" * 64
    )
    Attachment.objects.create(case=case, number=1, title="B", document=document)
    person = factories.person()
    Attendance.objects.create(meeting=meeting, person=person)

    meeting.delete()

    assert not Case.objects.exists() and not Decision.objects.exists() and not Attachment.objects.exists()
    assert not Attendance.objects.exists()
    source.refresh_from_db()
    assert source.meeting is None  # the original protocol outlives the meeting
    assert AttachmentDocument.objects.filter(pk=document.pk).exists()
    assert Person.objects.filter(pk=person.pk).exists()
    assert Committee.objects.filter(pk=meeting.committee_id).exists()


def test_a_committee_with_meetings_and_a_person_with_attendance_cannot_be_deleted():
    meeting = factories.meeting()
    with pytest.raises(ProtectedError):
        meeting.committee.delete()
    person = factories.person()
    Attendance.objects.create(meeting=meeting, person=person)
    with pytest.raises(ProtectedError):
        person.delete()


def test_the_current_source_document_of_a_meeting_cannot_be_deleted():
    meeting = factories.meeting()
    meeting.source = SourceDocument.objects.create(
        meeting=meeting, filename="p.txt", content=b"x", text="x", encoding="utf-8", sha256="2" * 64
    )
    meeting.save()
    with pytest.raises(ProtectedError):
        meeting.source.delete()


def test_deleting_an_attachment_or_its_document_never_cascades_upwards():
    case = factories.case()
    document = AttachmentDocument.objects.create(
        filename="b.txt", content=b"b", content_type="text/plain", sha256="3" * 64
    )
    attachment = Attachment.objects.create(case=case, number=1, title="B", document=document)
    document.delete()
    attachment.refresh_from_db()
    assert attachment.document is None
    attachment.delete()
    assert Case.objects.filter(pk=case.pk).exists() and Meeting.objects.filter(pk=case.meeting_id).exists()


def test_deleting_an_earlier_case_unlinks_the_trail_step_that_pointed_at_it():
    earlier = factories.case(number=65)
    later_meeting = factories.meeting(committee_obj=factories.committee("Økonomiudvalget"), date=dt.date(2021, 6, 19))
    later = factories.case(meeting_obj=later_meeting, number=118)
    step = CaseStep.objects.create(case=later, position=0, body="Testudvalget", earlier_case=earlier, text="Anbefales.")
    earlier.delete()
    step.refresh_from_db()
    assert step.earlier_case is None


def test_outcome_choices_match_the_parser_contract():
    assert sorted(Outcome.values) == sorted(records.OUTCOMES)
    assert Outcome.NOTED.label == "Taget til efterretning"
    assert Outcome.RECOMMENDED.label == "Anbefalet"


def test_decision_is_one_per_case():
    case = factories.case(outcome=Outcome.APPROVED)
    with pytest.raises(IntegrityError), transaction.atomic():
        Decision.objects.create(case=case, text="Igen", outcome=Outcome.OTHER)


def test_querysets_filter_published_meetings_and_decided_cases():
    decided = factories.case(number=1, outcome=Outcome.RECOMMENDED)
    undecided = factories.case(meeting_obj=decided.meeting, number=2)
    hidden = factories.meeting(committee_obj=decided.meeting.committee, date=dt.date(2023, 1, 1))
    factories.withdraw(pk=hidden.pk)
    factories.case(meeting_obj=hidden, number=1, outcome=Outcome.NOTED)
    assert list(Case.objects.with_decision().published()) == [decided]
    assert list(Case.objects.with_outcome(Outcome.RECOMMENDED)) == [decided]
    assert undecided not in Case.objects.with_decision()
    assert list(Meeting.objects.published()) == [decided.meeting]


def test_models_have_readable_str_and_permanent_urls():
    case = factories.case(
        number=29,
        title="Meddelelser",
        meeting_obj=factories.meeting(committee_obj=Committee.objects.get(code="BEU"), date=dt.date(2020, 8, 11)),
    )
    assert str(case) == "Sag nr. 29: Meddelelser"
    assert str(case.meeting) == "Beskæftigelsesudvalget 11-08-2020"
    assert case.meeting.get_absolute_url() == "/moeder/beskaeftigelsesudvalget/2020-08-11/"
    assert case.get_absolute_url() == "/moeder/beskaeftigelsesudvalget/2020-08-11/sag/29/"
    assert case.meeting.committee.get_absolute_url() == "/udvalg/beskaeftigelsesudvalget/"
    person = Person.objects.create(name="Flemming Lunde Østergaard")
    assert person.get_absolute_url() == "/personer/flemming-lunde-oestergaard/"


def test_attendance_knows_which_cases_a_member_missed():
    meeting = factories.meeting()
    for number in range(29, 34):
        factories.case(meeting, number=number)
    partly = Attendance.objects.create(meeting=meeting, person=factories.person("A"), present=True)
    factories.absent_for(partly, [30, 32, 33])
    away = Attendance.objects.create(meeting=meeting, person=factories.person("B"), present=False)
    assert partly.missed(30) and not partly.missed(31)
    assert away.missed(31)
