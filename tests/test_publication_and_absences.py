"""The one publication rule (withdrawal), absences as rows, unique committee codes and the indexed lookups."""

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.db import IntegrityError, connection
from django.test.utils import CaptureQueriesContext

from cases.models import Absence, Case, title_key
from importer.load import protocol_import
from meetings.models import Attendance, Committee, Meeting
from meetings.services import meeting_restore, meeting_withdraw
from search.models import SearchDocument
from tests import factories
from tests.conftest import OWN_PROTOCOLS

pytestmark = pytest.mark.django_db

MEETING = "/moeder/beskaeftigelsesudvalget/2020-08-11/"


def test_a_withdrawn_meeting_leaves_every_public_list_and_comes_back_when_restored(archive, client):
    meeting = archive["2020-08-11"].meeting
    before = meeting.updated_at
    meeting_withdraw(meeting=meeting)
    meeting.refresh_from_db()
    assert meeting.withdrawn_at is not None and meeting.updated_at > before and not meeting.is_published
    assert client.get(MEETING).status_code == 404
    assert client.get(MEETING + "sag/30/").status_code == 404
    assert not Meeting.objects.published().filter(pk=meeting.pk).exists()
    assert not Case.objects.published().filter(meeting=meeting).exists()
    assert not SearchDocument.objects.published().filter(meeting=meeting).exists()
    assert (
        "Udvikling af ny beskæftigelsespolitik"
        not in client.get("/soeg/", {"q": "beskæftigelsespolitik"}).content.decode()
    )

    meeting_restore(meeting=meeting)
    assert client.get(MEETING).status_code == 200
    assert Case.objects.published().filter(meeting=meeting).count() == 6


def test_the_admin_withdraws_and_restores_through_the_service(archive, client):
    admin = get_user_model().objects.create_superuser("admin", "a@example.org", "pw")
    client.force_login(admin)
    meeting = archive["2020-08-11"].meeting
    url = "/admin/meetings/meeting/"
    client.post(url, {"action": "withdraw", "_selected_action": [meeting.pk]})
    assert Meeting.objects.withdrawn().get() == meeting
    assert client.get(url, {"offentlig": "nej"}).context["cl"].result_count == 1
    client.post(url, {"action": "restore", "_selected_action": [meeting.pk]})
    assert not Meeting.objects.withdrawn().exists()


def test_a_member_away_for_some_cases_has_one_absence_row_per_case():
    name = "kommunalbestyrelsen-2025-06-24.txt"
    meeting = protocol_import(content=(OWN_PROTOCOLS / name).read_bytes(), filename=name).meeting
    kongebro = meeting.attendances.get(person__name="Jan Kongebro")
    assert kongebro.present
    assert sorted(kongebro.absences.values_list("case__number", flat=True)) == [30, 32, 33]
    mikkelsen = meeting.attendances.get(person__name="Peter Mikkelsen")
    assert not mikkelsen.present
    # Away all meeting: away for every case, so "cases without X" needs no special case.
    assert mikkelsen.absences.count() == meeting.cases.count() == 6


def test_cases_a_member_attended_are_one_join_away(archive):
    kongebro = Attendance.objects.get(person__name="Jan Kongebro", meeting__date="2020-08-11")
    assert kongebro.absences.count() == 6  # 2020-08-11 has cases 29–34; away all meeting
    with CaptureQueriesContext(connection) as queries:
        missed = set(
            Case.objects.filter(absences__attendance__person_id=kongebro.person_id).values_list("number", flat=True)
        )
    assert len(queries) == 1 and missed == {29, 30, 31, 32, 33, 34}


def test_reimporting_keeps_absence_rows_in_step_with_the_protocol(archive, protocol_bytes):
    again = protocol_import(content=protocol_bytes("2020-08-11"), filename="igen.txt")
    assert again.status == "unchanged"
    assert Absence.objects.filter(attendance__meeting=again.meeting).count() == 6


def test_a_committee_code_names_one_committee_whatever_its_case():
    Committee.objects.create(name="Teknikudvalget", code="TU", slug="teknikudvalget")
    with pytest.raises(IntegrityError):
        Committee.objects.create(name="Tilsynsudvalget", code="tu", slug="tilsynsudvalget")


def test_committees_without_a_code_may_be_many_and_resolve_prefers_the_code():
    Committee.objects.create(name="Et udvalg", slug="et-udvalg")
    Committee.objects.create(name="Andet udvalg", slug="andet-udvalg")
    # A committee literally named "KB" must not shadow Kommunalbestyrelsen's code.
    Committee.objects.create(name="KB", slug="kb-navn")
    assert Committee.objects.resolve("kb").name == "Kommunalbestyrelsen"
    assert Committee.objects.resolve("andet UDVALG").slug == "andet-udvalg"
    assert Committee.objects.resolve("Findes ikke") is None


def test_same_title_at_other_meetings_is_an_indexed_equality():
    committee = factories.committee()
    first = factories.case(factories.meeting(committee, dt.date(2022, 1, 4)), title="Beskæftigelsesplan 2022")
    later = factories.case(factories.meeting(committee, dt.date(2023, 1, 3)), title="beskæftigelsesplan 2023 -2024")
    short = factories.case(factories.meeting(committee, dt.date(2023, 2, 7)), title="Budget 2023")
    factories.case(factories.meeting(committee, dt.date(2024, 2, 6)), title="Budget 2024")
    assert first.title_key == later.title_key == "beskæftigelsesplan"
    assert list(Case.objects.same_title_as(first)) == [later]
    assert list(Case.objects.same_title_as(short)) == []  # a short stem only matches the whole title
    assert title_key("  Meddelelser ") == "meddelelser"
    later.title = "Noget andet"
    later.save(update_fields=["title"])
    later.refresh_from_db()
    assert later.title_key == "noget andet"


def test_default_orderings_never_join():
    assert "JOIN" not in str(Meeting.objects.filter(pk__in=[1, 2]).query)
    assert "JOIN" not in str(Case.objects.filter(pk__in=[1, 2]).query)


def test_publishing_a_new_version_of_a_withdrawn_meeting_keeps_it_withdrawn(archive, client, protocol_bytes):
    from django.contrib.auth.models import Group, User
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    clerk = User.objects.create_user("anne")
    clerk.groups.add(Group.objects.get(name="Clerks"))
    client.force_login(clerk)
    meeting = archive["2020-08-11"].meeting
    meeting_withdraw(meeting=meeting)
    changed = protocol_bytes("2020-08-11").replace(b"Anbefales.", b"Anbefales enstemmigt.", 1)
    response = client.post(reverse("publishing:upload"), {"protocol": SimpleUploadedFile("ny.txt", changed)})
    preview_url = response["Location"]
    response = client.post(preview_url + "publish/", {"confirm_replace": "on"})
    # No public page to land on: back to the upload, and the meeting stays out of the archive.
    assert response.status_code == 302 and response["Location"] == preview_url
    meeting.refresh_from_db()
    assert not meeting.is_published
    assert "Anbefales enstemmigt." in meeting.source.text
