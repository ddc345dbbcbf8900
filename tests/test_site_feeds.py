"""Feeds of new meetings, sitemaps and robots.txt: what subscribers and search engines get from the archive."""

import datetime as dt
import xml.etree.ElementTree as ET

import feedparser
import pytest

from cases.models import Case
from tests import factories

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
FIXTURE_DAYS = ("2019-10-08", "2020-08-11", "2022-11-15")


def read(response):
    """The feed as a feed reader reads it (`feedparser`): well-formed Atom it has nothing to complain about."""
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "atom10"
    return feed


def entries(response):
    """(title, summary) of each entry, read with ElementTree and with feedparser, which must agree."""
    tree = ET.fromstring(response.content)
    found = [(e.findtext(f"{ATOM}title"), e.findtext(f"{ATOM}summary")) for e in tree.iter(f"{ATOM}entry")]
    assert [(e.title, e.summary) for e in read(response).entries] == found
    return found


def test_meeting_feed_lists_newest_meetings_with_their_decisions(archive, client):
    found = entries(client.get("/moeder/feed/"))
    assert [title for title, _ in found] == [
        "Beskæftigelsesudvalget, 15. november 2022",
        "Beskæftigelsesudvalget, 11. august 2020",
        "Beskæftigelsesudvalget, 8. oktober 2019",
    ]
    summary = found[0][1]
    assert "<li>Sag nr. 46: Design af brugerundersøgelse i Jobcentret — Anbefalet</li>" in summary
    assert summary.count("<li>") == 7


def test_an_agenda_in_the_feed_says_its_cases_are_not_decided(archive, client):
    from meetings.models import DocumentKind

    beu = Case.objects.get(number=46).meeting.committee
    agenda = factories.meeting(beu, date="2023-01-10", kind=DocumentKind.AGENDA)
    factories.case(agenda, number=1, title="Budgetopfølgning")
    found = entries(client.get("/udvalg/beskaeftigelsesudvalget/feed/"))
    assert found[0][0] == "Dagsorden: Beskæftigelsesudvalget, 10. januar 2023"
    note = "<p>Dagsorden: sagerne er ikke afgjort endnu.</p>"
    assert found[0][1] == note + "<ol><li>Sag nr. 1: Budgetopfølgning</li></ol>"
    assert found[1][0] == "Beskæftigelsesudvalget, 15. november 2022"
    assert "ikke afgjort" not in found[1][1]


def test_committee_feed_has_only_that_committee_and_hides_unpublished(archive, client):
    factories.withdraw(date="2020-08-11")
    found = entries(client.get("/udvalg/beskaeftigelsesudvalget/feed/"))
    assert [title for title, _ in found] == [
        "Beskæftigelsesudvalget, 15. november 2022",
        "Beskæftigelsesudvalget, 8. oktober 2019",
    ]
    assert entries(client.get("/udvalg/kommunalbestyrelsen/feed/")) == []
    assert client.get("/udvalg/findes-ikke/feed/").status_code == 404


def test_meeting_feeds_read_by_a_feed_reader(archive, client):
    feed = read(client.get("/moeder/feed/"))
    assert feed.feed.title == "Rødovre-referater: nye møder i alle udvalg"
    assert feed.feed.subtitle == "Offentliggjorte dagsordener og referater med sagerne og beslutningerne."
    assert feed.feed.link == "http://testserver/moeder/"
    assert feed.feed.id == "http://testserver/moeder/"
    newest = feed.entries[0]
    assert newest.title == "Beskæftigelsesudvalget, 15. november 2022"
    assert newest.link == newest.id == "http://testserver/moeder/beskaeftigelsesudvalget/2022-11-15/"
    assert newest.summary_detail.type == "text/html"
    assert "<li>Sag nr. 46: Design af brugerundersøgelse i Jobcentret — Anbefalet</li>" in newest.summary
    assert [t.term for t in newest.tags] == ["Beskæftigelsesudvalget"]
    # Dated at midday on the meeting's day (Copenhagen), updated when the meeting was last written.
    assert dt.datetime(*newest.published_parsed[:6]) == dt.datetime(2022, 11, 15, 11, 0)
    assert newest.updated_parsed is not None
    assert [e.link.rsplit("/", 2)[-2] for e in feed.entries] == ["2022-11-15", "2020-08-11", "2019-10-08"]
    assert len({e.id for e in feed.entries}) == 3
    committee = read(client.get("/udvalg/beskaeftigelsesudvalget/feed/"))
    assert committee.feed.title == "Rødovre-referater: nye møder i Beskæftigelsesudvalget"
    assert committee.feed.link == "http://testserver/udvalg/beskaeftigelsesudvalget/"
    assert [e.id for e in committee.entries] == [e.id for e in feed.entries]
    empty = read(client.get("/udvalg/kommunalbestyrelsen/feed/"))
    assert empty.feed.title == "Rødovre-referater: nye møder i Kommunalbestyrelsen" and empty.entries == []


def test_feed_escapes_protocol_text(archive, client):
    Case.objects.filter(number=46).update(title="<script>alert(1)</script>")
    response = client.get("/moeder/feed/")
    body = response.content.decode()
    assert "<script>" not in body and "&amp;lt;script&amp;gt;" in body
    # A feed reader shows the title as text, not as a script.
    summary = read(response).entries[0].summary
    assert "<li>Sag nr. 46: &lt;script&gt;alert(1)&lt;/script&gt; — Anbefalet</li>" in summary


def test_pages_announce_their_feeds(archive, client):
    committee = client.get("/udvalg/beskaeftigelsesudvalget/").content.decode()
    assert 'type="application/atom+xml"' in committee and 'href="/udvalg/beskaeftigelsesudvalget/feed/"' in committee
    assert 'href="/moeder/feed/"' in client.get("/moeder/").content.decode()


def test_sitemaps_list_every_published_committee_meeting_and_case(archive, client):
    index = ET.fromstring(client.get("/sitemap.xml").content)
    sections = [loc.text for loc in index.iter(f"{SITEMAP}loc")]
    assert sections == [
        "http://testserver/sitemap-udvalg.xml",
        "http://testserver/sitemap-moeder.xml",
        "http://testserver/sitemap-sager.xml",
    ]
    factories.withdraw(date="2019-10-08")
    cases = [loc.text for loc in ET.fromstring(client.get("/sitemap-sager.xml").content).iter(f"{SITEMAP}loc")]
    assert len(cases) == 13  # 20 fixture cases, 7 of them at the unpublished meeting
    assert "http://testserver/moeder/beskaeftigelsesudvalget/2022-11-15/sag/46/" in cases
    assert not any("2019-10-08" in url for url in cases)
    committees = [loc.text for loc in ET.fromstring(client.get("/sitemap-udvalg.xml").content).iter(f"{SITEMAP}loc")]
    assert committees == ["http://testserver/udvalg/beskaeftigelsesudvalget/"]


def test_robots_txt_points_to_the_sitemap_and_keeps_crawlers_off_search_and_upload(client):
    response = client.get("/robots.txt")
    assert response["Content-Type"] == "text/plain"
    body = response.content.decode()
    assert "Sitemap: http://testserver/sitemap.xml" in body
    assert "Disallow: /soeg/" in body and "Disallow: /upload/" in body


@pytest.mark.usefixtures("no_page_cache")
def test_calendar_uids_keep_the_configured_domain_whatever_host_is_asked(archive, client, settings):
    from icalendar import Calendar

    def uids(host: str) -> set[str]:
        response = client.get("/moeder/kalender.ics", HTTP_HOST=host)
        assert response.status_code == 200
        return {str(e["UID"]) for e in Calendar.from_ical(response.content).walk("VEVENT")}

    settings.ALLOWED_HOSTS = ["testserver", "minutes.example.org", "referater.example.net"]
    # Without a configured domain, the UIDs follow the name the site was asked for ...
    settings.CALENDAR_UID_DOMAIN = ""
    assert "moede-beskaeftigelsesudvalget-2020-08-11@referater.example.net" in uids("referater.example.net")
    # ... with one, a calendar subscribed under either name holds the same events.
    settings.CALENDAR_UID_DOMAIN = "minutes.example.org"
    expected = {f"moede-beskaeftigelsesudvalget-{day}@minutes.example.org" for day in FIXTURE_DAYS}
    assert uids("testserver") == uids("referater.example.net:8443") == expected
