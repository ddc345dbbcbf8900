"""The iCalendar feeds of meetings, read back with the `icalendar` parser as a calendar app reads them."""

import datetime as dt

import pytest
from icalendar import Calendar

from meetings.models import Meeting
from tests import factories

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_page_cache")]


def events(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = Calendar.from_ical(response.content)
    assert str(calendar["VERSION"]) == "2.0" and "PRODID" in calendar
    return calendar, {str(e["UID"]): e for e in calendar.walk("VEVENT")}


def test_calendar_of_all_meetings(archive, client):
    calendar, found = events(client.get("/moeder/kalender.ics"))
    assert str(calendar["X-WR-CALNAME"]) == "Møder i Rødovre Kommune"
    assert len(found) == Meeting.objects.published().count() == 3
    event = found["moede-beskaeftigelsesudvalget-2020-08-11@testserver"]
    assert str(event["SUMMARY"]) == "Beskæftigelsesudvalget"
    assert event["DTSTART"].dt == dt.date(2020, 8, 11)
    assert event["DTEND"].dt == dt.date(2020, 8, 12)
    assert str(event["URL"]) == "http://testserver/moeder/beskaeftigelsesudvalget/2020-08-11/"
    description = str(event["DESCRIPTION"])
    assert "Sag nr. 30: Udvikling af ny beskæftigelsespolitik i Rødovre Kommune" in description
    assert "Mødet sluttede kl. 15.45." in description
    assert event["LAST-MODIFIED"].dt == Meeting.objects.get(date="2020-08-11").updated_at.replace(microsecond=0)


def test_uids_are_stable_when_a_meeting_is_imported_again(archive, client):
    from importer.load import protocol_import
    from tests.conftest import PROTOCOLS

    # iCalendar times have whole seconds: date the first import an hour back so the new one is visibly later.
    Meeting.objects.update(updated_at=Meeting.objects.get(date="2020-08-11").updated_at - dt.timedelta(hours=1))
    _, before = events(client.get("/moeder/kalender.ics"))
    path = PROTOCOLS / "beskaeftigelsesudvalget-2020-08-11.txt"
    changed = path.read_bytes().replace(b"Udvikling af ny", b"Udvikling af en ny")
    protocol_import(content=changed, filename=path.name)
    _, after = events(client.get("/moeder/kalender.ics"))
    assert set(after) == set(before)
    uid = "moede-beskaeftigelsesudvalget-2020-08-11@testserver"
    assert "Udvikling af en ny" in str(after[uid]["DESCRIPTION"])
    assert after[uid]["LAST-MODIFIED"].dt > before[uid]["LAST-MODIFIED"].dt


def test_committee_calendar_and_withdrawn_meetings(archive, client):
    factories.withdraw(date="2019-10-08")
    calendar, found = events(client.get("/udvalg/beskaeftigelsesudvalget/kalender.ics"))
    assert str(calendar["X-WR-CALNAME"]) == "Møder i Beskæftigelsesudvalget (Rødovre)"
    assert sorted(found) == [
        "moede-beskaeftigelsesudvalget-2020-08-11@testserver",
        "moede-beskaeftigelsesudvalget-2022-11-15@testserver",
    ]
    assert events(client.get("/udvalg/kommunalbestyrelsen/kalender.ics"))[1] == {}
    assert client.get("/udvalg/findes-ikke/kalender.ics").status_code == 404


def test_meeting_title_joins_the_committee_in_the_summary(db, client):
    factories.meeting(factories.committee("Kommunalbestyrelsen", "KB"), title="Konstituerende møde")
    _, found = events(client.get("/moeder/kalender.ics"))
    assert [str(e["SUMMARY"]) for e in found.values()] == ["Kommunalbestyrelsen: Konstituerende møde"]


def test_calendars_revalidate(archive, client):
    response = client.get("/moeder/kalender.ics")
    assert client.get("/moeder/kalender.ics", HTTP_IF_MODIFIED_SINCE=response["Last-Modified"]).status_code == 304


def test_meeting_list_and_committee_pages_offer_the_calendar(archive, client):
    for page, calendar in (
        ("/moeder/", "/moeder/kalender.ics"),
        ("/udvalg/beskaeftigelsesudvalget/", "/udvalg/beskaeftigelsesudvalget/kalender.ics"),
    ):
        html = client.get(page).content.decode()
        assert f'<a href="{calendar}" type="text/calendar">Abonnér i din kalender</a>' in html, page
        assert 'rel="alternate" type="text/calendar"' in html
