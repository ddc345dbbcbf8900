"""Sitemap sections written from plain rows: the same URLs, dates, pages and headers as Django's sitemap view."""

import xml.etree.ElementTree as ET

import pytest
from django.contrib.sitemaps import views as django_sitemaps
from django.db import connection
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext

from cases.models import Case
from meetings.models import Meeting
from meetings.services import meeting_withdraw
from web.sitemaps import SITEMAPS, CaseSitemap

pytestmark = pytest.mark.django_db
NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def urls(content: bytes) -> list[tuple]:
    """(loc, lastmod, changefreq, priority) of every URL of a sitemap page."""
    fields = ("loc", "lastmod", "changefreq", "priority")
    return [tuple(u.findtext(NS + f) for f in fields) for u in ET.fromstring(content).iter(NS + "url")]


def django_page(section: str, page: int = 1):
    response = django_sitemaps.sitemap(RequestFactory().get("/", {"p": page}), SITEMAPS, section=section)
    response.render()
    return response


@pytest.fixture
def uncached(settings):
    settings.PAGE_CACHE_SECONDS = 0


@pytest.mark.parametrize("section", ["sager", "moeder", "udvalg"])
def test_each_section_lists_what_djangos_sitemap_view_lists(archive, uncached, section):
    ours = Client().get(f"/sitemap-{section}.xml")
    theirs = django_page(section)
    assert ours.status_code == 200 and ours["Content-Type"] == "application/xml"
    assert urls(ours.content) == urls(theirs.content)
    assert ours.get("Last-Modified") == theirs.get("Last-Modified")
    assert ours["X-Robots-Tag"] == "noindex, noodp, noarchive"


def test_case_urls_are_the_case_pages_with_their_meetings_date(archive, uncached):
    found = urls(Client().get("/sitemap-sager.xml").content)
    case = Case.objects.get(meeting__date="2020-08-11", number=30)
    local = case.meeting.updated_at.astimezone().date()
    assert (f"http://testserver{case.get_absolute_url()}", local.isoformat(), "yearly", None) in found
    assert len(found) == Case.objects.published().count()
    assert Client().get(case.get_absolute_url()).status_code == 200


def test_pages_past_the_last_and_bad_pages_are_not_found(archive, uncached, monkeypatch):
    monkeypatch.setattr(CaseSitemap, "limit", 8)
    pages = -(-Case.objects.published().count() // 8)
    last = Client().get("/sitemap-sager.xml", {"p": pages})
    assert urls(last.content) == urls(django_page("sager", pages).content)
    assert Client().get("/sitemap-sager.xml", {"p": pages + 1}).status_code == 404
    assert Client().get("/sitemap-sager.xml", {"p": "x"}).status_code == 404
    assert Client().get("/sitemap-ukendt.xml").status_code == 404


def test_a_withdrawn_meeting_leaves_the_sitemap(archive, uncached):
    meeting_withdraw(meeting=Meeting.objects.get(date="2019-10-08"))
    found = [loc for loc, *_ in urls(Client().get("/sitemap-sager.xml").content)]
    assert found and not [loc for loc in found if "/2019-10-08/" in loc]


def test_a_section_page_costs_the_same_queries_whatever_its_length(archive, uncached, monkeypatch):
    counts = []
    for limit in (2, 50):
        monkeypatch.setattr(CaseSitemap, "limit", limit)
        with CaptureQueriesContext(connection) as queries:
            Client().get("/sitemap-sager.xml")
        counts.append(len(queries))
    assert counts[0] == counts[1]
