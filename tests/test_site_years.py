"""A committee's and a member's page show one year at a time (`?aar=`, by default the newest), with a navigation of
every year that has published meetings; the totals stay the whole archive's and the page's cost does not grow."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cases.models import Outcome
from meetings.models import Attendance, DocumentKind, Meeting
from tests import factories
from tests.test_site_pages import text_of

pytestmark = pytest.mark.django_db

NAV_LINK = re.compile(r'<a href="\?aar=(\d+)"( aria-current="page")?>(\d+) <span class="year-nav__count">\((\d+)<')


def year_nav(response) -> list[tuple[int, int, bool]]:
    """The year navigation as (year, number of meetings, is the shown year), in page order."""
    links = NAV_LINK.findall(response.content.decode())
    assert all(year == label for year, _current, label, _count in links)
    return [(int(year), int(count), bool(current)) for year, current, _label, count in links]


def listed_dates(response) -> list[str]:
    """The dates of the meetings the year's list shows (after its heading; the coming meetings come before it)."""
    page = response.content.decode()
    year_part = page[page.index('id="moeder"') : page.index("</main>")]
    return re.findall(r'<time datetime="(\d{4}-\d{2}-\d{2})">', year_part)


def build_committee_years():
    """Meetings of one committee in 2019 (2), 2021 (3) and 2023 (1), plus withdrawn ones in 2021 and 2024."""
    committee = factories.committee("Årsudvalget", "ÅU")
    dates = ["2019-03-05", "2019-09-10", "2021-01-12", "2021-06-08", "2021-11-30", "2023-02-14"]
    for day in dates:
        factories.meeting(committee, date=dt.date.fromisoformat(day))
    for day in ("2021-08-17", "2024-04-09"):
        factories.meeting(committee, date=dt.date.fromisoformat(day))
        factories.withdraw(committee=committee, date=dt.date.fromisoformat(day))
    return committee


def test_the_committee_page_shows_the_newest_year_by_default(client):
    committee = build_committee_years()
    response = client.get(committee.get_absolute_url())
    assert response.status_code == 200
    # Withdrawn meetings are neither a year (2024) nor counted (2021 has 3, not 4).
    assert year_nav(response) == [(2023, 1, True), (2021, 3, False), (2019, 2, False)]
    assert listed_dates(response) == ["2023-02-14"]
    text = text_of(response)
    assert "Møder i 2023" in text
    # The kept totals are the whole archive's, and the page says so.
    assert "Møder 6 Sager 0" in text and "Tallene gælder hele arkivet" in text
    assert "Arkivet har møder fra 5. marts 2019 til 14. februar 2023." in text
    assert '<nav class="year-nav" aria-label="Møder pr. år">' in response.content.decode()


def test_aar_selects_exactly_that_years_meetings(client):
    committee = build_committee_years()
    response = client.get(committee.get_absolute_url(), {"aar": "2021"})
    assert response.status_code == 200
    assert listed_dates(response) == ["2021-11-30", "2021-06-08", "2021-01-12"]  # not the withdrawn 17 August
    assert year_nav(response) == [(2023, 1, False), (2021, 3, True), (2019, 2, False)]
    assert "Møder i 2021" in text_of(response)
    assert listed_dates(client.get(committee.get_absolute_url(), {"aar": "2019"})) == ["2019-09-10", "2019-03-05"]


def test_the_shown_years_decisions_and_terms_and_the_recent_members_whatever_the_year(client):
    committee = factories.committee("Årsudvalget", "ÅU")
    old = factories.meeting(committee, date=dt.date(2017, 5, 2), term="2014-17")
    new = factories.meeting(committee, date=dt.date(2022, 5, 3), term="2022-25")
    factories.case(old, number=1, outcome=Outcome.APPROVED)
    factories.case(old, number=2, outcome=Outcome.APPROVED)
    factories.case(new, number=1, outcome=Outcome.REJECTED)
    factories.attend(old, factories.person("Gammel Formand"), party="A", role=Attendance.Role.CHAIR)
    factories.attend(new, factories.person("Ny Formand"), party="V", role=Attendance.Role.CHAIR)

    text = text_of(client.get(committee.get_absolute_url()))
    assert "Valgperiode: 2022-25." in text and "2014-17" not in text
    assert "Beslutninger i 2022 Afvist 1" in text and "Godkendt" not in text.split("Medlemmer")[0]
    assert "Ved seneste møde, 3. maj 2022: Ny Formand (V) formand" in text

    text = text_of(client.get(committee.get_absolute_url(), {"aar": "2017"}))
    assert "Valgperiode: 2014-17." in text and "Beslutninger i 2017 Godkendt 2" in text
    # Who sits on the committee now does not depend on the year looked at.
    assert "Ved seneste møde, 3. maj 2022: Ny Formand (V) formand" in text
    assert "Gammel Formand (A) formand senest 2. maj 2017" in text


@pytest.mark.parametrize("aar", ["abc", "", " ", "2021x", "20.21"])
def test_a_value_that_is_no_year_shows_the_default_year(client, aar):
    committee = build_committee_years()
    response = client.get(committee.get_absolute_url(), {"aar": aar})
    assert response.status_code == 200
    assert listed_dates(response) == ["2023-02-14"]


@pytest.mark.parametrize("aar", ["2020", "2024", "1999", "0", "-1", "99999999999999999999"])
def test_a_year_without_published_meetings_is_not_found(client, aar):
    committee = build_committee_years()
    response = client.get(committee.get_absolute_url(), {"aar": aar})
    assert response.status_code == 404
    assert "Siden findes ikke" in response.content.decode()


def test_a_committee_without_meetings_has_no_years(client):
    committee = factories.committee("Tomudvalget", "TOM")
    response = client.get(committee.get_absolute_url())
    assert response.status_code == 200 and year_nav(response) == []
    assert "Arkivet har endnu ingen møder fra dette udvalg." in text_of(response)
    assert client.get(committee.get_absolute_url(), {"aar": "2021"}).status_code == 404


def test_coming_meetings_stay_on_top_and_a_year_of_only_coming_meetings_is_not_the_default(client, monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: dt.date(2026, 12, 20))
    committee = factories.committee("Årsudvalget", "ÅU")
    factories.meeting(committee, date=dt.date(2026, 11, 10))
    factories.meeting(committee, date=dt.date(2027, 1, 12), kind=DocumentKind.AGENDA)
    response = client.get(committee.get_absolute_url())
    # 2027 is a year with a published agenda, but nothing held yet: the page opens on 2026.
    assert year_nav(response) == [(2027, 1, False), (2026, 1, True)]
    assert listed_dates(response) == ["2026-11-10"]
    text = text_of(response)
    assert "Kommende møder" in text and "12. januar 2027 Dagsorden" in text

    response = client.get(committee.get_absolute_url(), {"aar": "2027"})
    assert listed_dates(response) == []
    assert "Årets møder er ikke holdt endnu; de står under Kommende møder." in text_of(response)
    assert "12. januar 2027 Dagsorden" in text_of(response)


def build_person_years():
    """Anne at four meetings of two committees in 2018, 2020 (two) and 2022, and at a withdrawn one in 2023."""
    anne = factories.person("Anne Årsen")
    first, second = factories.committee("Årsudvalget", "ÅU"), factories.committee("Børneudvalget", "BU")
    rows = [
        (first, "2018-04-10", {"party": "B", "role": Attendance.Role.VICE_CHAIR}),
        (first, "2020-03-03", {"party": "F", "present": False}),
        (second, "2020-09-01", {"party": "F", "role": Attendance.Role.CHAIR}),
        (second, "2022-06-14", {"party": "F"}),
        (second, "2023-05-02", {"party": "Ø"}),
    ]
    for committee, day, kwargs in rows:
        factories.attend(factories.meeting(committee, date=dt.date.fromisoformat(day)), anne, **kwargs)
    factories.withdraw(date=dt.date(2023, 5, 2))
    return anne


def attended_dates(response) -> list[str]:
    page = response.content.decode()
    table = page[page.index('<table class="data-table">') : page.index("</table>")]
    return re.findall(r"<th scope=\"row\"><a href=\"/moeder/[^/]+/(\d{4}-\d{2}-\d{2})/\">", table)


def test_the_person_page_shows_the_newest_year_by_default_and_aar_another(client):
    anne = build_person_years()
    response = client.get(anne.get_absolute_url())
    assert response.status_code == 200
    assert year_nav(response) == [(2022, 1, True), (2020, 2, False), (2018, 1, False)]
    assert attended_dates(response) == ["2022-06-14"]
    text = text_of(response)
    assert "Møder i 2022" in text and "Ingen registreret fravær i 2022." in text
    assert "Formand og næstformand" not in text

    response = client.get(anne.get_absolute_url(), {"aar": "2020"})
    assert year_nav(response) == [(2022, 1, False), (2020, 2, True), (2018, 1, False)]
    assert attended_dates(response) == ["2020-09-01", "2020-03-03"]
    text = text_of(response)
    assert "Formand og næstformand i 2020 Formand, Børneudvalget 1. september 2020" in text
    assert "Sager uden deltagelse i 2020 Årsudvalget 3. marts 2020 — hele mødet" in text


def test_the_person_pages_totals_and_committees_are_the_whole_archives_whatever_the_year(client):
    anne = build_person_years()
    for query in ({}, {"aar": "2018"}):
        text = text_of(client.get(anne.get_absolute_url(), query))
        # The withdrawn 2023 meeting counts nowhere: not its party letter (Ø), not its committee's meetings.
        assert "SF – Socialistisk Folkeparti (F)" in text
        assert "Møder 4 Til stede 3 Fraværende 1 Fremmøde 75 %" in text
        assert "Børneudvalget — 2 møder (1. september 2020 – 14. juni 2022), formand" in text
        assert "Årsudvalget — 2 møder (10. april 2018 – 3. marts 2020), næstformand" in text
    assert client.get(anne.get_absolute_url(), {"aar": "2023"}).status_code == 404
    assert client.get(anne.get_absolute_url(), {"aar": "2019"}).status_code == 404
    assert attended_dates(client.get(anne.get_absolute_url(), {"aar": "nej"})) == ["2022-06-14"]


def test_a_person_without_published_meetings_has_no_years(client):
    nobody = factories.person("Ingen Møder")
    factories.attend(factories.meeting(date=dt.date(2021, 5, 4)), nobody)
    factories.withdraw(date=dt.date(2021, 5, 4))
    response = client.get(nobody.get_absolute_url())
    assert response.status_code == 200 and year_nav(response) == []
    assert "Møder 0" in text_of(response)
    assert client.get(nobody.get_absolute_url(), {"aar": "2021"}).status_code == 404


def test_the_query_string_is_part_of_the_page_cache_key_and_304s_still_work():
    committee = build_committee_years()
    public = Client()
    url = committee.get_absolute_url()
    newest, year_2019 = public.get(url), public.get(url, {"aar": "2019"})
    assert newest["X-Page-Cache"] == "miss" and year_2019["X-Page-Cache"] == "miss"
    again = public.get(url, {"aar": "2019"})
    assert again["X-Page-Cache"] == "hit" and again.content == year_2019.content
    assert listed_dates(again) == ["2019-09-10", "2019-03-05"]
    assert listed_dates(public.get(url)) == ["2023-02-14"]
    assert public.get(url, {"aar": "2019"}, headers={"if-none-match": again["ETag"]}).status_code == 304
    assert public.get(url, headers={"if-none-match": again["ETag"]}).status_code == 200  # another year, another page
    # A year that does not exist is never cached as a page.
    for _ in range(2):
        missing = public.get(url, {"aar": "2020"})
        assert missing.status_code == 404 and "X-Page-Cache" not in missing
    # A new meeting in a year moves the archive on: the year's page shows it at once.
    factories.meeting(committee, date=dt.date(2019, 12, 3))
    fresh = public.get(url, {"aar": "2019"})
    assert fresh["X-Page-Cache"] == "miss" and listed_dates(fresh) == ["2019-12-03", "2019-09-10", "2019-03-05"]


def test_the_permalinks_and_the_sitemap_keep_the_bare_address(client):
    committee = build_committee_years()
    assert committee.get_absolute_url() == "/udvalg/aarsudvalget/"
    sitemap = client.get("/sitemap.xml").content.decode()
    sitemaps = re.findall(r"<loc>http://testserver(/[^<]*)</loc>", sitemap)
    pages = "".join(client.get(path).content.decode() for path in sitemaps) if sitemaps else sitemap
    assert "http://testserver/udvalg/aarsudvalget/</loc>" in pages and "aar=" not in pages


def query_count(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200, url
    return len(queries)


def test_query_counts_do_not_grow_with_years_or_meetings(client, settings):
    settings.PAGE_CACHE_SECONDS = 0
    small, large = factories.committee("Lilleudvalget", "LU"), factories.committee("Storeudvalget", "SU")
    few, many = factories.person("Få Møder"), factories.person("Mange Møder")
    factories.attend(factories.meeting(small, date=dt.date(2021, 3, 2)), few, party="A")
    for year in range(2010, 2022):
        for month in (2, 5, 9, 11):
            meeting = factories.meeting(large, date=dt.date(year, month, 3))
            factories.attend(meeting, many, party="A", role=Attendance.Role.CHAIR if month == 2 else "member")
    assert Meeting.objects.filter(committee=large).count() == 48
    for suffix in ("", "?aar=2021"):
        assert query_count(client, large.get_absolute_url() + suffix) == query_count(
            client, small.get_absolute_url() + suffix
        )
        assert query_count(client, many.get_absolute_url() + suffix) == query_count(
            client, few.get_absolute_url() + suffix
        )
    assert query_count(client, large.get_absolute_url() + "?aar=2015") == query_count(client, small.get_absolute_url())
