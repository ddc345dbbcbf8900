"""Exports of a search for people and tools: CSV (the columns it always had, plus the decision; UTF-8 with BOM)
and Excel (.xlsx, Danish headings, real dates), both streamed, capped for visitors who are not logged in."""

import csv
import datetime as dt
import io

import pytest
from django.contrib.auth.models import User
from django.http import FileResponse, StreamingHttpResponse
from django.test import override_settings
from openpyxl import load_workbook

pytestmark = pytest.mark.django_db

URL = "/soeg/"
CSV_HEADER = ["committee", "meeting_date", "case_number", "title", "authority", "outcome", "url", "decision"]


def csv_rows(response):
    body = b"".join(response.streaming_content)
    assert body.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


def workbook(response):
    return load_workbook(io.BytesIO(b"".join(response.streaming_content)))


def test_csv_keeps_its_columns_and_adds_the_decision(client, archive):
    response = client.get(URL, {"q": "sociale klausuler", "format": "csv"})
    assert isinstance(response, StreamingHttpResponse)
    rows = csv_rows(response)
    assert rows[0] == CSV_HEADER
    assert rows[1][:3] == ["Beskæftigelsesudvalget", "2019-10-08", "37"]
    assert rows[1][7].startswith("Anbefales")


def test_xlsx_has_danish_headings_real_dates_and_the_decision(client, archive):
    response = client.get(URL, {"q": "beskæftigelsesplan", "format": "xlsx"})
    assert isinstance(response, FileResponse)
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response["Content-Disposition"].startswith('attachment; filename="soegning-')
    assert response["Content-Disposition"].endswith('.xlsx"')
    book = workbook(response)
    assert book.sheetnames == ["Sager", "Om udtrækket"]
    rows = list(book["Sager"].values)
    assert rows[0] == (
        "Udvalg",
        "Mødedato",
        "Sagsnr.",
        "Titel",
        "Beslutningskompetence",
        "Udfald",
        "Beslutning",
        "Link",
    )
    assert len(rows) == 1 + 4
    by_number = {row[2]: row for row in rows[1:]}
    assert by_number[48][0] == "Beskæftigelsesudvalget"
    assert by_number[48][1] == dt.datetime(2022, 11, 15)  # a date cell, not text
    assert book["Sager"]["B2"].number_format == "DD-MM-YYYY"
    assert by_number[48][3] == "Godkendelse af Beskæftigelsesplan 2023 -2024"
    assert by_number[48][6] == "Anbefales."
    assert by_number[48][7] == "http://testserver/moeder/beskaeftigelsesudvalget/2022-11-15/sag/48/"
    about = dict(book["Om udtrækket"].values)
    assert about["Søgning"] == "beskæftigelsesplan" and about["Sager"] == 4
    assert about["Adresse"] == "http://testserver/soeg/?q=besk%C3%A6ftigelsesplan"


def test_xlsx_keeps_a_formula_like_title_as_text(client, archive):
    from meetings.models import Meeting
    from search.index import index_cases

    Meeting.objects.get(date="2019-10-08").cases.filter(number=38).update(title="=HYPERLINK(1)")
    index_cases(Meeting.objects.get(date="2019-10-08").cases.values_list("pk", flat=True))
    sheet = workbook(client.get(URL, {"year": "2019", "format": "xlsx"}))["Sager"]
    cell = next(row[3] for row in sheet.iter_rows(min_row=2) if row[2].value == 38)
    assert cell.value == "=HYPERLINK(1)" and cell.data_type == "s"


@override_settings(SEARCH_EXPORT_ANONYMOUS_MAX_ROWS=5)
def test_anonymous_exports_are_capped_with_a_message(client, archive):
    response = client.get(URL, {"format": "csv"})
    assert len(csv_rows(response)) == 1 + 5
    assert "foerste-5" in response["Content-Disposition"]
    book = workbook(client.get(URL, {"format": "xlsx"}))
    assert len(list(book["Sager"].values)) == 1 + 5
    note = dict(book["Om udtrækket"].values)["Bemærk"]
    assert "de første 5 sager" in note and "ikke er logget ind" in note
    html = client.get(URL).content.decode()
    assert "Udtrækket rummer højst 5 sager, når du ikke er logget ind" in html
    # A search within the cap says nothing of it.
    assert "Udtrækket rummer højst" not in client.get(URL, {"q": "sociale klausuler"}).content.decode()


@override_settings(SEARCH_EXPORT_ANONYMOUS_MAX_ROWS=5)
def test_logged_in_users_export_every_match(client, archive):
    client.force_login(User.objects.create_user("journalist"))
    response = client.get(URL, {"format": "csv"})
    assert len(csv_rows(response)) == 1 + 20
    assert "foerste" not in response["Content-Disposition"]
    assert len(list(workbook(client.get(URL, {"format": "xlsx"}))["Sager"].values)) == 1 + 20
    assert "Udtrækket rummer højst" not in client.get(URL).content.decode()


def test_the_page_links_both_exports_of_the_same_search(client, archive):
    html = client.get(URL, {"q": "klausul", "year": "2019"}).content.decode()
    assert 'href="/soeg/?q=klausul&amp;year=2019&amp;format=csv"' in html
    assert 'href="/soeg/?q=klausul&amp;year=2019&amp;format=xlsx"' in html
