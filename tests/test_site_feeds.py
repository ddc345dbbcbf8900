"""Feeds of new meetings, sitemaps and robots.txt: what subscribers and search engines get from the archive."""

import xml.etree.ElementTree as ET

import pytest

from cases.models import Case
from tests import factories

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def entries(response):
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)
    return [(e.findtext(f"{ATOM}title"), e.findtext(f"{ATOM}summary")) for e in feed.iter(f"{ATOM}entry")]


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


def test_feed_escapes_protocol_text(archive, client):
    Case.objects.filter(number=46).update(title="<script>alert(1)</script>")
    body = client.get("/moeder/feed/").content.decode()
    assert "<script>" not in body and "&amp;lt;script&amp;gt;" in body


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
