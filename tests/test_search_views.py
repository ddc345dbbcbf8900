"""The search page through the test client: filters, facets, sorting, pagination, CSV, Atom, escaping, odd input."""

import csv
import io
import xml.etree.ElementTree as ET

import pytest
from django.db import connection
from django.urls import reverse

from meetings.models import Attendance, Meeting
from search import services
from search.backends.postgres.base import PostgresEngine
from search.models import SearchDocument
from tests import factories

pytestmark = pytest.mark.django_db

URL = "/soeg/"


def found(response):
    return [f"{d.meeting_date:%Y-%m-%d}/{d.number}" for d in response.context["results"].documents]


def test_url_name():
    assert reverse("web:search") == URL


def test_page_shows_result_with_highlighted_snippet_and_case_link(client, archive):
    response = client.get(URL, {"q": "sociale klausuler"})
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("<h1") == 1
    assert "Status på samarbejde med virksomheder omfattet af sociale klausuler, 2019" in html
    assert "/moeder/beskaeftigelsesudvalget/2019-10-08/sag/37/" in html
    assert "<mark>klausuler</mark>" in html
    assert "Beskæftigelsesudvalget" in html and "sag nr. 37" in html and "Anbefalet" in html
    assert response.context["results"].total == 1


def test_no_query_lists_everything_newest_first(client, archive):
    response = client.get(URL)
    assert response.status_code == 200
    assert response.context["results"].total == 20
    assert found(response)[:2] == ["2022-11-15/45", "2022-11-15/46"]


def test_filters_without_a_query_recommended_to_kb_in_2022(client, archive):
    response = client.get(URL, {"authority": "KB", "outcome": "recommended", "year": "2022"})
    assert sorted(found(response)) == ["2022-11-15/46", "2022-11-15/47", "2022-11-15/48", "2022-11-15/49"]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"committee": "beskaeftigelsesudvalget"}, 20),
        ({"committee": "oekonomiudvalget"}, 0),
        ({"date_from": "2020-01-01"}, 13),
        ({"date_to": "2020-08-11"}, 13),
        ({"date_from": "2020-01-01", "date_to": "2020-12-31"}, 6),
        ({"year": "2019"}, 7),
        ({"authority": "BEU"}, 9),
        ({"outcome": "noted"}, 11),
        ({"q": "beskæftigelsesplan", "year": "2022"}, 2),
    ],
)
def test_each_filter(client, archive, params, expected):
    response = client.get(URL, params)
    assert response.status_code == 200
    assert response.context["results"].total == expected


def test_authority_filter_finds_a_body_named_with_others_and_only_whole_codes(client, archive):
    from cases.models import Case
    from search.index import index_cases

    factories.committee("Teknik- og Miljøudvalget", "TMU")
    factories.committee("Klima- og Naturudvalget", "KNU")
    shared, other = Case.objects.filter(meeting__date="2019-10-08").order_by("number")[:2]
    kb_before = found(client.get(URL, {"authority": "KB"}))
    Case.objects.filter(pk=shared.pk).update(authority="KNU og TMU")
    Case.objects.filter(pk=other.pk).update(authority="BKB")  # not a code this archive knows: no letters of KB
    index_cases([shared.pk, other.pk])
    for code in ("TMU", "KNU"):
        assert found(client.get(URL, {"authority": code})) == [f"2019-10-08/{shared.number}"]
    moved = {f"2019-10-08/{case.number}" for case in (shared, other)}
    assert found(client.get(URL, {"authority": "KB"})) == [x for x in kb_before if x not in moved]
    assert f"2019-10-08/{other.number}" in kb_before  # it was KB's before it became "BKB"


def test_member_present_filter_leaves_out_meetings_and_cases_they_missed(client, archive):
    # Jan Kongebro was away for all of 2020-08-11 (sag 29-34): only the 2019 meeting remains.
    response = client.get(URL, {"member": "jan-kongebro"})
    assert {f.split("/")[0] for f in found(response)} == {"2019-10-08"}
    # Away for sag 37 only: that case drops out, the rest of the meeting stays.
    factories.absent_for(Attendance.objects.get(person__slug="jan-kongebro", meeting__date="2019-10-08"), [37])
    response = client.get(URL, {"member": "jan-kongebro"})
    assert sorted(found(response)) == [f"2019-10-08/{n}" for n in (36, 38, 39, 40, 41, 42)]
    assert client.get(URL, {"member": "michel-berg"}).context["results"].total == 6


@pytest.mark.parametrize("typed", ["jan-kongebro", "Jan Kongebro", "  jan   KONGEBRO ", "Kongebro"])
def test_member_is_typed_by_name_slug_or_unique_part(client, archive, typed):
    response = client.get(URL, {"member": typed})
    assert {f.split("/")[0] for f in found(response)} == {"2019-10-08"}
    # The field shows the member's full name once recognised, whatever was typed.
    assert 'name="member" id="id_member" value="Jan Kongebro"' in response.content.decode()


def test_member_part_shared_by_several_names_asks_for_the_whole_name(client, archive):
    response = client.get(URL, {"member": "an"})
    assert response.status_code == 200 and response.context["results"].total == 0
    [error] = response.context["criteria"].filterset.form.errors["member"]
    assert error.startswith("Flere medlemmer matcher “an”: ") and "Jan Kongebro" in error
    unknown = client.get(URL, {"member": "<b>Nemo</b>"})
    assert unknown.context["results"].total == 0
    html = unknown.content.decode()
    assert "Intet medlem hedder “&lt;b&gt;Nemo&lt;/b&gt;”." in html and "<b>Nemo" not in html


def test_member_suggestions_are_names_containing_the_text(client, archive):
    data = client.get(reverse("web:members"), {"q": "kongeb"}).json()
    assert data == {"members": [{"name": "Jan Kongebro", "url": "/personer/jan-kongebro/"}]}
    assert client.get(reverse("web:members"), {"q": "k"}).json() == {"members": []}
    many = client.get(reverse("web:members"), {"q": "e"}).json()["members"]
    assert many == []  # one letter is too little to suggest from
    names = [m["name"] for m in client.get(reverse("web:members"), {"q": "an"}).json()["members"]]
    assert names == sorted(names) and len(names) > 1 and all("an" in n.lower() for n in names)


def test_invalid_filter_values_show_errors_not_500(client, archive):
    response = client.get(URL, {"date_from": "not-a-date", "outcome": "bogus", "committee": "nope", "year": "x"})
    assert response.status_code == 200
    assert response.context["results"].total == 0
    assert response.context["criteria"].filterset.form.errors


def test_facets_count_committee_year_and_outcome(client, archive):
    facets = client.get(URL, {"q": "anbefales"}).context["results"].facets
    assert [(f.label, f.count) for f in facets["committee"]] == [("Beskæftigelsesudvalget", 9)]
    assert [(f.value, f.count) for f in facets["year"]] == [("2022", 4), ("2020", 1), ("2019", 4)]
    assert [(f.value, f.label, f.count) for f in facets["outcome"]] == [("recommended", "Anbefalet", 9)]
    html = client.get(URL, {"q": "anbefales"}).content.decode()
    assert "?q=anbefales&amp;year=2019" in html


def test_sorting(client, archive):
    newest = found(client.get(URL, {"q": "regnskab", "sort": "newest"}))
    oldest = found(client.get(URL, {"q": "regnskab", "sort": "oldest"}))
    assert newest == ["2022-11-15/50", "2020-08-11/32"]
    assert oldest == list(reversed(newest))


def test_pagination(client, archive, monkeypatch):
    monkeypatch.setattr(services, "PER_PAGE", 8)
    first = client.get(URL)
    third = client.get(URL, {"page": 3})
    assert len(found(first)) == 8 and found(third) == [
        "2019-10-08/39",
        "2019-10-08/40",
        "2019-10-08/41",
        "2019-10-08/42",
    ]
    assert "page=2" in first.content.decode()
    assert client.get(URL, {"page": "999"}).status_code == 200
    assert client.get(URL, {"page": "abc"}).status_code == 200


def test_csv_export(client, archive):
    response = client.get(URL, {"q": "anbefales", "year": "2022", "format": "csv"})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="soegning-')
    body = b"".join(response.streaming_content)
    assert body.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert rows[0] == ["committee", "meeting_date", "case_number", "title", "authority", "outcome", "url", "decision"]
    assert len(rows) == 5
    by_number = {row[2]: row for row in rows[1:]}
    assert by_number["46"] == [
        "Beskæftigelsesudvalget",
        "2022-11-15",
        "46",
        "Design af brugerundersøgelse i Jobcentret",
        "KB",
        "Anbefalet",
        "http://testserver/moeder/beskaeftigelsesudvalget/2022-11-15/sag/46/",
        "Anbefales.",
    ]


def test_csv_neutralises_formulas(client, archive):
    Meeting.objects.get(date="2019-10-08").cases.filter(number=38).update(title="=HYPERLINK(1)")
    from search.index import index_cases

    index_cases(Meeting.objects.get(date="2019-10-08").cases.values_list("pk", flat=True))
    body = b"".join(client.get(URL, {"year": "2019", "format": "csv"}).streaming_content).decode("utf-8-sig")
    assert "'=HYPERLINK(1)" in body


def test_atom_feed_of_newest_matches(client, archive):
    response = client.get(URL, {"q": "beskæftigelsesplan", "format": "atom"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    ns = {"a": "http://www.w3.org/2005/Atom"}
    feed = ET.fromstring(response.content)
    assert "beskæftigelsesplan" in feed.find("a:title", ns).text
    entries = feed.findall("a:entry", ns)
    links = [e.find("a:link", ns).get("href") for e in entries]
    assert links == [
        "http://testserver/moeder/beskaeftigelsesudvalget/2022-11-15/sag/47/",
        "http://testserver/moeder/beskaeftigelsesudvalget/2022-11-15/sag/48/",
        "http://testserver/moeder/beskaeftigelsesudvalget/2020-08-11/sag/30/",
        "http://testserver/moeder/beskaeftigelsesudvalget/2020-08-11/sag/31/",
    ]
    assert entries[1].find("a:title", ns).text.endswith("Godkendelse af Beskæftigelsesplan 2023 -2024")
    page = client.get(URL, {"q": "beskæftigelsesplan"}).content.decode()
    assert 'type="application/atom+xml"' in page and "format=atom" in page


def test_feed_summary_escapes_document_html(client, archive):
    SearchDocument.objects.filter(number=46).update(decision="<script>alert(1)</script> Anbefales.")
    body = client.get(URL, {"q": "brugerundersøgelse", "format": "atom"}).content.decode()
    assert "<script>" not in body and "&amp;lt;script&amp;gt;" in body


@pytest.mark.parametrize(
    "q",
    [
        "!!!",
        '"',
        '"sociale klausuler',
        "'; DROP TABLE cases_case; --",
        "<script>alert('x')</script>",
        "klausul AND NOT OR",
        "NEAR(a b) * ^ title:x",
        "x" * 5000,
        "klau\x00sul",
        "\ue000klausul\ue001",
        "og",
    ],
)
def test_odd_queries_never_fail_and_are_shown_escaped(client, archive, q):
    response = client.get(URL, {"q": q})
    assert response.status_code == 200
    html = response.content.decode()
    assert "<script>alert" not in html
    assert client.get(URL, {"q": q, "format": "csv"}).status_code == 200
    assert client.get(URL, {"q": q, "format": "atom"}).status_code == 200


def test_html_in_query_is_escaped_in_the_page(client, archive):
    html = client.get(URL, {"q": '<b onmouseover="x">klausul</b>'}).content.decode()
    assert "&lt;b onmouseover=&quot;x&quot;&gt;klausul&lt;/b&gt;" in html
    assert '<b onmouseover="x">' not in html


def test_long_and_unsearchable_queries_are_explained(client, archive):
    long_html = client.get(URL, {"q": "klausul " * 100}).content.decode()
    assert "for lang" in long_html
    assert "ingen ord, der kan søges på" in client.get(URL, {"q": "!!!"}).content.decode()


def test_snippet_text_from_a_document_is_escaped_before_marking(client, archive):

    SearchDocument.objects.filter(number=37).update(
        text_b='Se <img src=x onerror="alert(1)"> om sociale klausuler & <i>udbud</i>', text_c="", text_d=""
    )
    html = client.get(URL, {"q": "klausuler"}).content.decode()
    assert "<img" not in html and "<i>" not in html
    assert "<mark>klausuler</mark>" in html


def test_broad_queries_estimate_counts_and_still_page(client, archive, monkeypatch):
    # Pretend the archive is huge: every document in the first sampling bucket, more than 5 matches is "broad".

    SearchDocument.objects.update(bucket=0)
    if connection.vendor == "postgresql":  # the sampling lexeme in the stored vector follows the bucket
        PostgresEngine().write(list(SearchDocument.objects.values_list("pk", flat=True)), [])
    monkeypatch.setattr(services, "CAP", 5)
    monkeypatch.setattr(services, "SAMPLE", 4)
    response = client.get(URL, {"q": "anbefales"})
    results = response.context["results"]
    assert response.status_code == 200
    # The 1/64 sample held all 9 matches: about 9 × 64 cases, shown as an estimate.
    assert results.estimated and results.total == 580
    assert "ca." in response.content.decode()
    assert [(f.label, f.count) for f in results.facets["outcome"]] == [("Anbefalet", 580)]
    # Nine cases say "Anbefales." in their decision: all of them are found, in one page, estimated or exact.
    assert sorted(found(response)) == [
        "2019-10-08/37",
        "2019-10-08/39",
        "2019-10-08/40",
        "2019-10-08/41",
        "2020-08-11/30",
        "2022-11-15/46",
        "2022-11-15/47",
        "2022-11-15/48",
        "2022-11-15/49",
    ]
    assert client.get(URL, {"q": "beslutning", "page": 2}).status_code == 200


def test_queries_checked_row_by_row_are_estimated_sooner(client, archive, monkeypatch):
    SearchDocument.objects.update(bucket=0)  # every case in the sample: each match projects to 64
    if connection.vendor == "postgresql":
        PostgresEngine().write(list(SearchDocument.objects.values_list("pk", flat=True)), [])
    monkeypatch.setattr(services, "CHECKED_CAP", 5)
    monkeypatch.setattr(services, "SAMPLE", 4)
    two_words = client.get(URL, {"q": '"sociale klausuler"'}).context["results"]
    assert (two_words.total, two_words.estimated) == (1, False)  # the index answers it: counted exactly
    across_stop_words = client.get(URL, {"q": '"samarbejde med virksomheder"'}).context["results"]
    # PostgreSQL checks that phrase's word positions row by row; SQLite's FTS5 index holds the positions.
    if connection.vendor == "postgresql":
        assert (across_stop_words.total, across_stop_words.estimated) == (190, True)  # 3 matches × 64, rounded
    else:
        assert not across_stop_words.estimated


def test_broad_relevance_pages_are_disjoint_and_complete(archive):
    from search.query import parse

    search = services.Search(parse("beslutning"))
    matched = search.matching(SearchDocument.objects.published())
    pages = [
        search.engine.broad_page(matched, search.compiled, offset=o, limit=6, cap=services.CAP) for o in range(0, 24, 6)
    ]
    ids = [doc.pk for page in pages for doc in page]
    assert len(ids) == len(set(ids)) == 20
    # Title matches ("Beslutning" is in no title) and decision matches come first: none here say "beslutning",
    # so the order is newest first.
    assert pages[0][0].meeting_date.isoformat() == "2022-11-15"


def test_rough_estimates():
    assert [services.rough(n) for n in (7, 99, 123, 94_331, 1_049)] == [7, 99, 120, 94_000, 1_000]


def test_filter_form_keeps_the_chosen_values(client, archive):
    html = client.get(
        URL, {"q": "<x>", "committee": "beskaeftigelsesudvalget", "member": "jan-kongebro", "sort": "oldest"}
    ).content.decode()
    assert '<option value="beskaeftigelsesudvalget" selected>Beskæftigelsesudvalget</option>' in html
    assert 'name="member" id="id_member" value="Jan Kongebro"' in html
    assert '<option value="oldest" selected>' in html
    assert 'value="&lt;x&gt;"' in html


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the plan choice is PostgreSQL's")
def test_broad_pages_of_fewer_matches_are_collected_and_sorted_with_the_same_result(archive):
    from django.test.utils import CaptureQueriesContext

    from search.backends.postgres.base import COLLECT_MAX
    from search.query import parse

    search = services.Search(parse("beslutning"))
    matched = search.matching(SearchDocument.objects.published())

    def page(total):
        with CaptureQueriesContext(connection) as queries:
            rows = search.engine.broad_page(matched, search.compiled, offset=3, limit=8, cap=2, total=total)
        return [doc.pk for doc in rows], " ".join(q["sql"] for q in queries)

    walked, walked_sql = page(COLLECT_MAX + 1)
    collected, collected_sql = page(COLLECT_MAX)
    assert collected == walked and len(collected) == 8
    # Ordered by an expression no index provides, the date index cannot be walked for a page of few matches.
    assert '("search_searchdocument"."meeting_date" + 0) DESC' in collected_sql
    assert "+ 0)" not in walked_sql
