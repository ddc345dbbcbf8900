"""The kept totals (meetings/counts.py) equal a recount after every kind of write: import, re-import, withdrawal,
restoration and admin edits — and the pages that show them read them instead of counting."""

import datetime as dt
from collections import Counter

import pytest
from django.contrib.auth import get_user_model
from django.db import IntegrityError, connection
from django.test.utils import CaptureQueriesContext

from cases.models import Case
from importer.load import protocol_import
from meetings.counts import counts_rebuild
from meetings.models import Committee, Meeting, Person
from meetings.services import meeting_restore, meeting_withdraw
from tests.conftest import OWN_PROTOCOLS
from tests.test_import_load import corrected_2020

pytestmark = pytest.mark.django_db


def assert_counts_are_recounts():
    """Every kept total equals what counting the archive gives now."""
    for committee in Committee.objects.recounted():
        kept = (
            committee.meeting_count,
            committee.case_count,
            committee.decision_count,
            committee.first_meeting,
            committee.last_meeting,
        )
        counted = (
            committee.meeting_count_now,
            committee.case_count_now,
            committee.decision_count_now,
            committee.first_meeting_now,
            committee.last_meeting_now,
        )
        assert kept == counted, committee.name
    for person in Person.objects.recounted():
        kept = (person.meeting_count, person.present_count, person.last_seen)
        assert kept == (person.meeting_count_now, person.present_count_now, person.last_seen_now), person.name
    for meeting in Meeting.objects.all():
        cases = Case.objects.filter(meeting=meeting)
        assert meeting.case_count == cases.count(), meeting
        assert meeting.decision_count == cases.filter(decision__isnull=False).count(), meeting
        outcomes = Counter(cases.filter(decision__isnull=False).values_list("decision__outcome", flat=True))
        assert meeting.outcome_counts == dict(outcomes), meeting


def beu():
    return Committee.objects.get(name="Beskæftigelsesudvalget")


def test_an_import_keeps_the_totals_of_meeting_committee_and_people(archive):
    committee = beu()
    assert (committee.meeting_count, committee.case_count) == (3, 20)
    assert committee.first_meeting == dt.date(2019, 10, 8) and committee.last_meeting == dt.date(2022, 11, 15)
    assert Meeting.objects.get(date="2020-08-11").case_count == 6
    assert committee.decision_count == Case.objects.filter(meeting__committee=committee, decision__isnull=False).count()
    kongebro = Person.objects.get(name="Jan Kongebro")
    assert kongebro.meeting_count == 2 and kongebro.present_count == 1  # away all of 2020-08-11
    assert kongebro.last_seen == dt.date(2020, 8, 11)
    assert_counts_are_recounts()


def test_a_reimport_that_removes_a_case_and_changes_attendance_keeps_them(archive, protocol_bytes):
    protocol_import(content=corrected_2020(protocol_bytes), filename="rettet.txt")
    assert Meeting.objects.get(date="2020-08-11").case_count == 5
    assert beu().case_count == 19
    assert_counts_are_recounts()
    member = Meeting.objects.get(date="2022-11-15").attendances.order_by("position").first().person
    before = member.meeting_count
    text = protocol_bytes("2022-11-15").decode("utf-8").replace(member.name, "Ny Person")
    protocol_import(content=text.encode("utf-8"), filename="navn.txt")
    assert Person.objects.get(pk=member.pk).meeting_count == before - 1  # the 2022 row went to "Ny Person"
    assert Person.objects.get(name="Ny Person").meeting_count == 1
    assert_counts_are_recounts()


def test_withdrawal_and_restoration_move_committee_and_people_but_not_the_meeting(archive):
    meeting = Meeting.objects.get(date="2020-08-11")
    meeting_withdraw(meeting=meeting)
    assert (beu().meeting_count, beu().case_count) == (2, 14)
    assert Meeting.objects.get(pk=meeting.pk).case_count == 6  # its own cases, published or not
    assert Person.objects.get(name="Jan Kongebro").meeting_count == 1
    assert_counts_are_recounts()
    meeting_restore(meeting=meeting)
    assert (beu().meeting_count, beu().case_count) == (3, 20)
    assert_counts_are_recounts()


def test_a_new_committee_from_a_protocol_gets_its_totals(db):
    name = "kommunalbestyrelsen-2025-06-24.txt"
    meeting = protocol_import(content=(OWN_PROTOCOLS / name).read_bytes(), filename=name).meeting
    committee = Committee.objects.get(pk=meeting.committee_id)
    assert committee.meeting_count == 1 and committee.case_count == meeting.cases.count() > 0
    assert_counts_are_recounts()


def test_admin_edits_and_deletes_keep_them(archive, client):
    client.force_login(get_user_model().objects.create_superuser("admin", "a@example.org", "pw"))
    case = Case.objects.get(meeting__date="2022-11-15", number=46)
    response = client.post(f"/admin/cases/case/{case.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert Meeting.objects.get(date="2022-11-15").case_count == 6 and beu().case_count == 19
    assert_counts_are_recounts()
    attendance = Meeting.objects.get(date="2019-10-08").attendances.first()
    response = client.post(f"/admin/meetings/attendance/{attendance.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert_counts_are_recounts()
    meeting = Meeting.objects.get(date="2019-10-08")
    response = client.post(f"/admin/meetings/meeting/{meeting.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert beu().meeting_count == 2
    assert_counts_are_recounts()


def test_counts_rebuild_repairs_totals_changed_behind_the_services_back(archive):
    Committee.objects.update(meeting_count=0, case_count=0)
    Person.objects.update(meeting_count=99)
    Meeting.objects.update(case_count=0)
    counts_rebuild()
    assert_counts_are_recounts()


def test_the_lists_read_the_kept_totals_instead_of_counting(archive, client, settings):
    settings.PAGE_CACHE_SECONDS = 0
    for url in ("/", "/udvalg/", "/personer/", "/moeder/"):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        joins = [q["sql"] for q in queries if "COUNT(" in q["sql"] and "cases_case" in q["sql"]]
        assert joins == [], url


@pytest.mark.postgres_only
@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent writers need PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_meetings_of_one_committee_written_at_once_all_count(monkeypatch, protocol_bytes):
    """Two imports of different meetings of one committee overlap: the first holds its transaction open at its
    very end while the second writes; both meetings are counted, new (increments) and corrected (recounts)."""
    import threading
    import time

    from django.db import connections

    from importer import load

    paused, release = threading.Event(), threading.Event()
    original = load.archive_changed

    def first_waits():
        if threading.current_thread().name == "first":
            paused.set()
            release.wait(60)
        original()

    monkeypatch.setattr(load, "archive_changed", first_waits)

    errors = []

    def overlap(first: bytes, second: bytes) -> None:
        def run(content):
            try:
                try:
                    protocol_import(content=content, filename="samtidig.txt")
                except IntegrityError:  # both created the same new person: retried, as import_protocols does
                    protocol_import(content=content, filename="samtidig.txt")
            except Exception as exc:  # reported below: a thread's exception would be lost
                errors.append(exc)
            finally:
                connections.close_all()

        one = threading.Thread(target=run, args=(first,), name="first")
        one.start()
        assert paused.wait(60)
        two = threading.Thread(target=run, args=(second,), name="second")
        two.start()
        time.sleep(1)  # the second reaches the committee's row, which the first holds
        release.set()
        # Not a timed join: on a loaded machine the second import can take longer than any timeout, and checking
        # the totals while it is still writing compares a half-done archive (the "one too high" seen before).
        one.join()
        two.join()
        paused.clear()
        release.clear()
        assert errors == []

    overlap(protocol_bytes("2019-10-08"), protocol_bytes("2020-08-11"))
    assert beu().meeting_count == 2
    assert_counts_are_recounts()
    protocol_import(content=protocol_bytes("2022-11-15"), filename="x.txt")
    shorter_2022 = protocol_bytes("2022-11-15").decode("utf-8")
    shorter_2022 = shorter_2022[: shorter_2022.index("Diverse\nSag nr. 51")] + "Protokollen oplæst\n"
    overlap(corrected_2020(protocol_bytes), shorter_2022.encode("utf-8"))
    assert_counts_are_recounts()
