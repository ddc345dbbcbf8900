"""Batch imports (importer.load.protocols_import): many files written set-wise give the archive that importing them
one by one gives — meetings, cases, attendance, trail links, kept totals, search index — and fall back to one by one
when a batch cannot be written."""

import datetime as dt

import pytest
from django.db import IntegrityError

from bench.generate import generate
from cases.models import Absence, Attachment, Case, CaseStep, Decision, Recommendation, Section
from importer import load
from importer.load import ImportStatus, Parsed, protocol_import, protocols_import
from importer.parse import parse_protocol
from meetings.models import ArchiveVersion, Attendance, Committee, Meeting, Person, SourceDocument
from search.models import SearchDocument, SearchWord
from tests.conftest import OWN_PROTOCOLS, PROTOCOLS
from tests.test_import_load import KB, TMU

pytestmark = pytest.mark.django_db


def parsed(content: bytes, filename: str) -> Parsed:
    return Parsed(content, filename, parse_protocol(content))


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> list[tuple[bytes, str]]:
    """A synthetic archive of 300 cases (bench/generate.py): ~35 protocols of 7 committees over 20 years."""
    folder = tmp_path_factory.mktemp("generated")
    manifest = generate(folder, 300, seed=3)
    return [((folder / name).read_bytes(), name) for name in manifest["files"]]


def files_of(generated) -> list[tuple[bytes, str]]:
    """The generated files, the real fixtures, the tests' own protocols (other eras, trails, an agenda and then its
    minutes) and a trail pair (KB's case names TMU's), KB first."""
    real = [(path.read_bytes(), path.name) for path in sorted(PROTOCOLS.glob("*.txt"))]
    own = [(path.read_bytes(), path.name) for path in sorted(OWN_PROTOCOLS.glob("*.txt"))]
    return [(KB.encode(), "kb.txt"), *generated, *real, *own, (TMU.encode(), "tmu.txt")]


def archive_contents() -> dict:
    """Everything an import writes, with rows named by what they are instead of by their ids."""
    meeting_key = {m.pk: (m.committee.name, m.date) for m in Meeting.objects.select_related("committee")}
    case_key = {
        pk: (*meeting_key[meeting], number)
        for pk, meeting, number in Case.objects.values_list("pk", "meeting", "number")
    }
    person = dict(Person.objects.values_list("pk", "name"))
    committee = dict(Committee.objects.values_list("pk", "name"))

    def rows(queryset, *fields, **keys):
        result = []
        for row in queryset.values(*fields, *keys):
            for field, names in keys.items():
                row[field] = names.get(row[field])
            row = {k: repr(sorted(v.items())) if isinstance(v, dict) else v for k, v in row.items()}  # JSON
            result.append(tuple(sorted(row.items())))
        return sorted(result, key=repr)

    document_fields = [
        f.attname
        for f in SearchDocument._meta.concrete_fields
        # The bucket (and so the vectors, which hold its sample lexeme) follows the case's id: the texts they are
        # built from and the title vector are compared.
        if f.attname not in ("case_id", "meeting_id", "committee_id", "indexed_at", "bucket", "vector", "match_vector")
    ]
    committee_totals = ("meeting_count", "case_count", "decision_count", "first_meeting", "last_meeting")
    meeting_fields = ("date", "kind", "title", "term", "first_case", "last_case", "corrected_at")
    meeting_totals = ("case_count", "decision_count", "outcome_counts")
    source = ("source__filename", "source__sha256", "source__text")
    case_fields = ("number", "title", "title_key", "authority", "reference", "closed")
    step_fields = ("position", "body", "date", "item", "text", "outcome")
    return {
        "committees": rows(Committee.objects, "name", "code", "slug", *committee_totals),
        "meetings": rows(Meeting.objects, *meeting_fields, *meeting_totals, *source, committee=committee),
        "sources": rows(SourceDocument.objects, "filename", "sha256", "kind", "encoding", meeting=meeting_key),
        "people": rows(Person.objects, "name", "slug", "meeting_count", "present_count", "last_seen"),
        "cases": rows(Case.objects, *case_fields, meeting=meeting_key, authority_committee=committee),
        "sections": rows(Section.objects, "position", "heading", "text", case=case_key),
        "recommendations": rows(Recommendation.objects, "position", "proposer", "text", case=case_key),
        "decisions": rows(Decision.objects, "text", "outcome", "followed", case=case_key),
        "steps": rows(CaseStep.objects, *step_fields, case=case_key, body_committee=committee, earlier_case=case_key),
        "attachments": rows(Attachment.objects, "number", "title", "document", case=case_key),
        "attendance": rows(
            Attendance.objects,
            "role",
            "party",
            "position",
            "present",
            meeting=meeting_key,
            person=person,
            substitute_for=person,
        ),
        "absences": rows(Absence.objects, "attendance__person__name", "attendance__meeting__date", case=case_key),
        "index": rows(SearchDocument.objects, *document_fields, case=case_key),
        "vocabulary": sorted(SearchWord.objects.values_list("word", flat=True)),
    }


def test_a_batch_import_writes_what_importing_one_by_one_writes(generated):
    files = files_of(generated)
    seeded = list(Committee.objects.all())  # by the migrations, with their codes
    statuses = [protocol_import(content=content, filename=name).status for content, name in files]
    one_by_one = archive_contents()
    for model in (Meeting, SourceDocument, Person, SearchWord):
        model.objects.all().delete()
    Committee.objects.exclude(pk__in=[c.pk for c in seeded]).delete()
    Committee.objects.bulk_update(
        seeded, ["meeting_count", "case_count", "decision_count", "first_meeting", "last_meeting"]
    )

    results = list(protocols_import([parsed(content, name) for content, name in files]))

    assert [(item.filename, result.status) for item, result in results] == [
        (name, status) for (_, name), status in zip(files, statuses, strict=True)
    ]
    assert statuses.count(ImportStatus.UPDATED) == 1  # the minutes after their agenda; the rest are new
    batched = archive_contents()
    for kind in one_by_one:  # kind by kind, so a failure names it
        assert (kind, set(batched[kind]) - set(one_by_one[kind])) == (kind, set())
        assert batched[kind] == one_by_one[kind]
    assert len(one_by_one["meetings"]) == len(files) - 1 and len(one_by_one["cases"]) > 300
    step = Case.objects.get(meeting__date=dt.date(2019, 6, 25), number=60).steps.get()
    assert step.earlier_case.title == "Lokalplan 150 for Islevdalvej"  # KB came first in the batch: linked anyway
    for committee in Committee.objects.recounted():
        assert (committee.meeting_count, committee.case_count) == (
            committee.meeting_count_now,
            committee.case_count_now,
        )


def test_files_of_meetings_the_archive_holds_and_repeats_in_a_batch_go_one_by_one(archive, protocol_bytes):
    files = [
        parsed(protocol_bytes("2020-08-11"), "again.txt"),  # held: unchanged
        parsed(TMU.encode(), "tmu.txt"),  # new
        parsed(TMU.replace("Lokalplan 150 for Islevdalvej", "Lokalplan 151", 1).encode(), "tmu-2.txt"),  # again
        parsed(KB.encode(), "kb.txt"),  # new
    ]
    statuses = [(item.filename, result.status) for item, result in protocols_import(files)]
    assert statuses == [
        ("again.txt", ImportStatus.UNCHANGED),
        ("tmu.txt", ImportStatus.IMPORTED),
        ("tmu-2.txt", ImportStatus.UPDATED),
        ("kb.txt", ImportStatus.IMPORTED),
    ]
    assert Case.objects.get(meeting__date="2019-06-11").title == "Lokalplan 151"
    assert Meeting.objects.get(date="2019-06-11").source_versions.count() == 2
    assert Meeting.objects.count() == 5


def test_a_batch_that_cannot_be_written_is_imported_one_by_one(db, protocol_bytes, monkeypatch):
    calls = []
    write_new = load._write_new_meetings

    def refuse_batches(new):
        calls.append(len(new))
        if len(new) > 1:
            raise IntegrityError("a concurrent writer created one of these meetings")
        return write_new(new)

    monkeypatch.setattr(load, "_write_new_meetings", refuse_batches)
    dates = ("2019-10-08", "2020-08-11", "2022-11-15")
    results = list(protocols_import([parsed(protocol_bytes(date), f"{date}.txt") for date in dates]))
    assert calls == [3, 1, 1, 1]
    assert [result.status for _, result in results] == [ImportStatus.IMPORTED] * 3
    assert (
        Meeting.objects.count() == 3
        and Case.objects.count() == 7 + 6 + Case.objects.filter(meeting__date="2022-11-15").count()
    )
    assert Committee.objects.get(name="Beskæftigelsesudvalget").meeting_count == 3


def test_a_failure_in_a_batch_leaves_nothing_of_it(db, protocol_bytes, monkeypatch):
    monkeypatch.setattr(load, "index_cases", lambda ids: (_ for _ in ()).throw(RuntimeError("disk full")))
    with pytest.raises(RuntimeError):
        list(protocols_import([parsed(protocol_bytes("2019-10-08"), "a.txt"), parsed(TMU.encode(), "b.txt")]))
    assert not Meeting.objects.exists() and not Case.objects.exists() and not Person.objects.exists()
    assert not SourceDocument.objects.exists() and not SearchDocument.objects.exists()
    assert set(Committee.objects.values_list("meeting_count", flat=True)) == {0}


def test_an_agenda_after_its_minutes_in_a_batch_is_refused_and_the_rest_imported(db):
    minutes, agenda = (
        OWN_PROTOCOLS / f"beskaeftigelsesudvalget-2026-12-15-{kind}.txt" for kind in ("referat", "dagsorden")
    )
    files = [
        parsed(minutes.read_bytes(), minutes.name),
        parsed(agenda.read_bytes(), agenda.name),
        parsed(TMU.encode(), "tmu.txt"),
    ]
    results = [result for _, result in protocols_import(files)]
    assert results[0].status == results[2].status == ImportStatus.IMPORTED
    assert isinstance(results[1], load.AgendaAfterMinutes)
    assert Meeting.objects.get(date=dt.date(2026, 12, 15)).kind == "minutes" and Meeting.objects.count() == 2


def test_importing_a_batch_again_changes_nothing(db, protocol_bytes):
    files = [parsed(protocol_bytes(date), f"{date}.txt") for date in ("2019-10-08", "2020-08-11", "2022-11-15")]
    list(protocols_import(files))
    version = ArchiveVersion.objects.get().version
    before = archive_contents()
    again = [result.status for _, result in protocols_import(files)]
    assert again == [ImportStatus.UNCHANGED] * 3
    assert archive_contents() == before
    assert ArchiveVersion.objects.get().version == version  # no cached page is replaced for nothing
