"""The public site's pages show the right facts from the real fixture protocols, escape everything, and 404 properly."""

import datetime as dt
import html
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.views.defaults import server_error

from cases.models import Attachment, AttachmentDocument, Case, CaseStep, Decision, Outcome
from meetings.models import Attendance, Meeting, SourceDocument
from tests import factories

BEU = "beskaeftigelsesudvalget"
EXPECTED = {
    "2019-10-08": {
        "cases": {
            36: "Meddelelser",
            37: "Status på samarbejde med virksomheder omfattet af sociale klausuler, 2019",
            38: "Evaluering - Flere Skal Med",
            39: "Status på handleplan for udsattepolitikken",
            40: "Handleplan for handicappolitikken 2020",
            41: "Sammen med unge",
            42: "Diverse",
        },
        "date": "8. oktober 2019",
        "ended": "kl. 15.20",
        "chair": "Annie Arnoldsen Petersen",
        "members": ["Steen Skriver Rasmussen", "Jan Kongebro", "Peter Mikkelsen", "Anders Torm Nielsen"],
    },
    "2020-08-11": {
        "cases": {
            29: "Meddelelser",
            30: "Udvikling af ny beskæftigelsespolitik i Rødovre Kommune",
            31: "Drøftelse vedrørende Beskæftigelsesplan 2021-22",
            32: "Forventet regnskab pr. ultimo juni 2020 - Beskæftigelsesudvalget",
            33: "Budgetforslag 2021 - 2024",
            34: "Diverse",
        },
        "date": "11. august 2020",
        "ended": "kl. 15.45",
        "chair": "Michel Berg",
        "members": ["Steen Skriver Rasmussen", "Anders Torm Nielsen", "Peter Mikkelsen"],
    },
    "2022-11-15": {
        "cases": {
            45: "Meddelelser",
            46: "Design af brugerundersøgelse i Jobcentret",
            47: "Mål for beskæftigelsesindsatsen 2023",
            48: "Godkendelse af Beskæftigelsesplan 2023 -2024",
            49: "Udgiftsneutrale tillægsbevillinger vedr. den regionale uddannelsespulje",
            50: "Forventet regnskab pr. ultimo september 2022",
            51: "Diverse",
        },
        "date": "15. november 2022",
        "ended": "kl. 15.50",
        "chair": None,
        "members": ["Peter Mikkelsen", "Birgitte Glifberg", "Flemming Lunde Østergaard", "Mikkel Molin"],
    },
}


def text_of(response) -> str:
    """The page's visible text: tags dropped, entities decoded, whitespace collapsed."""
    body = response.content.decode()
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", body, flags=re.S)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", body)))


def h1s(response) -> list[str]:
    return re.findall(r"<h1\b[^>]*>(.*?)</h1>", response.content.decode(), flags=re.S)


def meeting_url(date: str, committee: str = BEU) -> str:
    return reverse("web:meeting_detail", kwargs={"committee": committee, "date": dt.date.fromisoformat(date)})


def case_url(date: str, number: int, committee: str = BEU) -> str:
    return reverse(
        "web:case_detail", kwargs={"committee": committee, "date": dt.date.fromisoformat(date), "number": number}
    )


# --- the fixture meetings and every case --------------------------------------------------------------------------


@pytest.mark.django_db
def test_every_fixture_meeting_page_shows_date_members_and_agenda(archive, client):
    for date, expected in EXPECTED.items():
        response = client.get(meeting_url(date))
        assert response.status_code == 200, date
        text = text_of(response)
        assert len(h1s(response)) == 1
        assert f"Beskæftigelsesudvalget møde {expected['date']}" in text
        assert expected["ended"] in text
        for name in expected["members"]:
            assert name in text
        if expected["chair"]:
            assert f"{expected['chair']} (A) formand" in text
        for number, title in expected["cases"].items():
            assert f"Sag nr. {number} {title}" in text
            assert f'href="{case_url(date, number)}"' in response.content.decode()
        # Every case can be expanded in place, and the original text is linked.
        assert response.content.decode().count('<details class="case-text">') == len(expected["cases"])
        assert f"{meeting_url(date)}original.txt" in response.content.decode()


@pytest.mark.django_db
def test_every_fixture_case_page_shows_title_decision_and_attachments(archive, client):
    for date in EXPECTED:
        meeting = archive[date].meeting
        for case in meeting.cases.select_related("decision").prefetch_related("attachments"):
            response = client.get(case_url(date, case.number))
            assert response.status_code == 200, (date, case.number)
            assert h1s(response) == [html.escape(case.title, quote=False)]
            text = text_of(response)
            assert f"Beslutning {case.decision.get_outcome_display()} {case.decision.text}" in text
            for attachment in case.attachments.all():
                assert f"Bilag {attachment.number}: {attachment.title}" in text


@pytest.mark.django_db
def test_case_30_decision_first_recommendations_sections_document_and_attendance(archive, client):
    response = client.get(case_url("2020-08-11", 30))
    page = response.content.decode()
    text = text_of(response)
    # The decision comes before every other section, with its outcome.
    assert page.index('id="beslutning"') < page.index('id="indstilling"') < page.index(">Sagens kerne</h2>")
    assert "Beslutning Anbefalet Anbefales." in text
    assert "Beslutningskompetence KB (Kommunalbestyrelsen)" in text
    assert re.search(
        r"<ol class=\"recommendations\">\s*<li>at der igangsættes en proces.*?</li>"
        r"<li>at forslag til proces godkendes\.</li>",
        page,
        flags=re.S,
    )
    assert "Social- og Sundhedsforvaltningen indstiller," in text
    # Sections in source order, each once: Indstilling/Beslutning/Bilag are shown in their structured form instead.
    headings = re.findall(r'<h2 id="afsnit-\d+">(.*?)</h2>', page)
    assert headings == [
        "Sagens kerne",
        "Sagsfremstilling",
        "Lov- og plangrundlag",
        "Økonomiske konsekvenser",
        "Tidsplan",
    ]
    assert "<p>Lov om aktiv beskæftigelsespolitik.</p>\n\n<p>Lov om organisering" in page  # a paragraph per line
    # The attachment document's text, its headings shifted below the page's h2s.
    assert "Bilag 1: Procesplan til udvikling af ny beskæftigelsespolitik i Rødovre Kommune" in text
    assert "procesplan-ny-beskaeftigelsespolitik-2020.md" in text
    assert "Baggrund og formål" in text
    assert len(h1s(response)) == 1
    # Attendance for this case: Jan Kongebro was away for sag 29-34.
    aside = page[page.index('id="deltagelse"') :]
    assert aside.index("Michel Berg") < aside.index("Fraværende") < aside.index("Jan Kongebro")
    # Neighbours on the agenda.
    assert f'rel="prev" href="{case_url("2020-08-11", 29)}"' in page
    assert f'rel="next" href="{case_url("2020-08-11", 31)}"' in page
    # Danish dates, and the breadcrumbs down to the case.
    assert "tirsdag 11. august 2020" in text
    assert "Forside Møder Beskæftigelsesudvalget 11. august 2020 Sag nr. 30" in text


@pytest.mark.django_db
def test_first_and_last_case_link_only_one_neighbour(archive, client):
    first = client.get(case_url("2022-11-15", 45)).content.decode()
    last = client.get(case_url("2022-11-15", 51)).content.decode()
    assert 'rel="prev"' not in first and f'rel="next" href="{case_url("2022-11-15", 46)}"' in first
    assert 'rel="next"' not in last and f'rel="prev" href="{case_url("2022-11-15", 50)}"' in last


@pytest.mark.django_db
def test_same_title_at_other_meetings(archive, client):
    page = client.get(case_url("2020-08-11", 29)).content.decode()
    similar = page[page.index('id="samme-titel"') :]
    assert case_url("2019-10-08", 36) in similar
    assert case_url("2022-11-15", 45) in similar
    assert case_url("2020-08-11", 30) not in similar


@pytest.mark.django_db
def test_closely_matching_titles_differ_only_in_trailing_years():
    older = factories.case(
        factories.meeting(date=dt.date(2019, 10, 8)), number=37, title="Status på sociale klausuler, 2019"
    )
    newer = factories.case(
        factories.meeting(date=dt.date(2020, 10, 6)), number=40, title="Status på sociale klausuler, 2020"
    )
    other = factories.case(
        factories.meeting(date=dt.date(2021, 10, 5)), number=12, title="Status på sociale klausuler og udbud"
    )
    page = Client().get(newer.get_absolute_url()).content.decode()
    similar = page[page.index('id="samme-titel"') :]
    assert older.get_absolute_url() in similar
    assert other.get_absolute_url() not in similar


@pytest.mark.django_db
def test_original_text_is_served_verbatim_as_plain_text(archive, client):
    response = client.get(meeting_url("2020-08-11") + "original.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response["X-Content-Type-Options"] == "nosniff"
    source = SourceDocument.objects.get(pk=archive["2020-08-11"].meeting.source_id)
    assert response.content.decode("utf-8") == source.text
    assert "Fold alle ud" in source.text  # the web-page artefact the parser drops is still in the original


# --- other pages --------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_home_has_latest_meetings_committees_and_a_search_box(archive, client):
    response = client.get("/")
    page = response.content.decode()
    text = text_of(response)
    assert len(h1s(response)) == 1
    assert re.search(r'<form action="/soeg/" method="get" role="search"', page)
    assert 'name="q"' in page
    assert text.index("15. november 2022") < text.index("11. august 2020") < text.index("8. oktober 2019")
    assert "Beskæftigelsesudvalget 3 møder, 20 sager" in text
    assert '<html lang="da">' in page
    assert '<a class="skip-link" href="#indhold">' in page and '<main id="indhold"' in page


@pytest.mark.django_db
def test_committee_pages(archive, client):
    text = text_of(client.get(reverse("web:committee_list")))
    assert "Beskæftigelsesudvalget (BEU) 3 20 15. november 2022" in text
    # A committee with nothing in the archive says so instead of a row of zeros.
    assert "Kommunalbestyrelsen (KB) Ingen møder i arkivet endnu" in text

    response = client.get(reverse("web:committee_detail", kwargs={"slug": BEU}))
    text = text_of(response)
    assert "Møder 3 Sager 20 Med beslutning 20" in text
    # One year at a time, the newest by default: its meetings and its decisions.
    assert (
        "Møder i 2022 2022 (1 møde ) 2020 (1 møde ) 2019 (1 møde ) Beskæftigelsesudvalget 15. november 2022 7 sager"
        in text
    )
    assert "11. august 2020" not in text.split("Møder i 2022")[1].split("Medlemmer")[0]
    assert "Beslutninger i 2022 Anbefalet 4 Taget til efterretning 3" in text
    text = text_of(client.get(reverse("web:committee_detail", kwargs={"slug": BEU}), {"aar": "2020"}))
    assert "Møder i 2020" in text and "Beskæftigelsesudvalget 11. august 2020 6 sager" in text
    assert "Beslutninger i 2020 Taget til efterretning 5 Anbefalet 1" in text  # 2019, 2020 and 2022 add up to 11 and 9
    # Members at the newest meeting (2022, no chair) and those seen earlier with their last appearance.
    assert (
        "Ved seneste møde, 15. november 2022: Peter Mikkelsen (Ø) Birgitte Glifberg (A) "
        "Flemming Lunde Østergaard (A) Mikkel Molin (V) Set ved tidligere møder" in text
    )
    assert "Michel Berg (A) formand senest 11. august 2020" in text
    assert "Annie Arnoldsen Petersen (A) formand senest 8. oktober 2019" in text


@pytest.mark.django_db
def test_meeting_list_filters_by_committee_and_year(archive, client):
    url = reverse("web:meeting_list")
    text = text_of(client.get(url))
    assert "3 møder" in text
    text = text_of(client.get(url, {"aar": "2020"}))
    assert "1 møde " in text and "11. august 2020" in text and "8. oktober 2019" not in text
    text = text_of(client.get(url, {"udvalg": BEU, "aar": "2019"}))
    assert "8. oktober 2019" in text and "15. november 2022" not in text


@pytest.mark.django_db
def test_meeting_list_paginates_and_keeps_the_filter(client):
    committee = factories.committee()
    for day in range(1, 28):
        factories.meeting(committee, date=dt.date(2021, 3, day))
    page = client.get(reverse("web:meeting_list"), {"udvalg": committee.slug}).content.decode()
    assert "Side 1 af 2" in page
    assert f'href="?udvalg={committee.slug}&amp;page=2"' in page
    second = text_of(client.get(reverse("web:meeting_list"), {"udvalg": committee.slug, "page": 2}))
    assert "Side 2 af 2" in second and "1. marts 2021" in second


@pytest.mark.django_db
def test_person_pages(archive, client):
    text = text_of(client.get(reverse("web:person_list")))
    assert "Jan Kongebro 2 1 11. august 2020" in text

    response = client.get(reverse("web:person_detail", kwargs={"slug": "jan-kongebro"}))
    text = text_of(response)
    assert "Socialdemokratiet (A)" in text
    assert "Møder 2 Til stede 1 Fraværende 1 Fremmøde 50 %" in text
    assert "Beskæftigelsesudvalget — 2 møder (8. oktober 2019 – 11. august 2020)" in text
    assert "Møder i 2020 2020 (1 møde ) 2019 (1 møde )" in text
    assert "Beskæftigelsesudvalget 11. august 2020 — hele mødet" in text
    page = response.content.decode()
    assert f'<a href="{case_url("2020-08-11", 30)}">Sag nr. 30: Udvikling af ny beskæftigelsespolitik' in page

    text = text_of(client.get(reverse("web:person_detail", kwargs={"slug": "michel-berg"})))
    assert "Formand og næstformand i 2020 Formand, Beskæftigelsesudvalget 11. august 2020" in text
    assert "Fremmøde 100 %" in text and "Ingen registreret fravær i 2020." in text


@pytest.mark.django_db
def test_person_missing_some_cases_links_exactly_those(client):
    meeting = factories.meeting()
    for number in (1, 2, 3):
        factories.case(meeting, number=number, title=f"Sag {number}", outcome=Outcome.APPROVED)
    anne = factories.person()
    factories.absent_for(Attendance.objects.create(meeting=meeting, person=anne, party="F"), [2, 3])
    text = text_of(client.get(anne.get_absolute_url()))
    assert "Til stede, men ikke ved sag 2–3" in text
    assert "Sag nr. 2: Sag 2 Sag nr. 3: Sag 3" in text and "Sag nr. 1: Sag 1" not in text
    assert "SF – Socialistisk Folkeparti (F)" in text


@pytest.mark.django_db
def test_about_page_explains_the_terms(client):
    response = client.get(reverse("web:about"))
    text = text_of(response)
    assert h1s(response) == ["Om arkivet"]
    for term in (
        "Beslutningskompetence",
        "BEU, ØU, KB",
        "Indstilling",
        "Taget til efterretning",
        "Anbefales",
        "Bilag",
        "Sagsgang",
    ):
        assert term in text


# --- the matter's path --------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_matter_path_links_earlier_and_later_steps(client):
    from meetings.models import Committee

    tmu, ou, kb = (Committee.objects.get(code=code) for code in ("TMU", "ØU", "KB"))
    tmu_case = factories.case(
        factories.meeting(tmu, date=dt.date(2019, 6, 11)), number=52, title="Lokalplan 150", outcome=Outcome.RECOMMENDED
    )
    ou_case = factories.case(
        factories.meeting(ou, date=dt.date(2019, 6, 19)), number=118, title="Lokalplan 150", outcome=Outcome.RECOMMENDED
    )
    kb_case = factories.case(
        factories.meeting(kb, date=dt.date(2019, 6, 25)), number=80, title="Lokalplan 150", outcome=Outcome.APPROVED
    )
    CaseStep.objects.create(
        case=ou_case,
        position=0,
        body="Teknik- og Miljøudvalget",
        body_committee=tmu,
        date=tmu_case.meeting.date,
        item=52,
        text="Anbefales.",
        outcome=Outcome.RECOMMENDED,
        earlier_case=tmu_case,
    )
    for position, (earlier, body) in enumerate(((tmu_case, tmu), (ou_case, ou))):
        CaseStep.objects.create(
            case=kb_case,
            position=position,
            body=body.name,
            body_committee=body,
            date=earlier.meeting.date,
            item=earlier.number,
            text="Anbefales.",
            outcome=Outcome.RECOMMENDED,
            earlier_case=earlier,
        )
    page = client.get(kb_case.get_absolute_url()).content.decode()
    trail = page[page.index('id="sagsgang"') :]
    assert trail.index(tmu_case.get_absolute_url()) < trail.index(ou_case.get_absolute_url()) < trail.index("denne sag")
    assert "Teknik- og Miljøudvalget, <time" in trail and "pkt. 52" in trail and "11. juni 2019" in trail

    # The middle case shows both directions: TMU before it, KB after it (linked back through later_steps).
    page = client.get(ou_case.get_absolute_url()).content.decode()
    trail = page[page.index('id="sagsgang"') :]
    assert trail.index(tmu_case.get_absolute_url()) < trail.index("denne sag") < trail.index(kb_case.get_absolute_url())
    assert "Kommunalbestyrelsen, <time" in trail and "Godkendt" in trail

    # A step pointing at an unpublished meeting is shown but not linked.
    factories.withdraw(pk=tmu_case.meeting_id)
    page = client.get(kb_case.get_absolute_url()).content.decode()
    assert tmu_case.get_absolute_url() not in page and "pkt. 52" in page


# --- escaping, unpublished meetings, 404 and 500 ------------------------------------------------------------------


@pytest.mark.django_db
def test_protocol_text_is_escaped_everywhere(client):
    evil = "<script>alert(1)</script>"
    case = factories.case(title=evil, outcome=Outcome.APPROVED)
    Decision.objects.filter(case=case).update(text=f"Godkendt. {evil}")
    case.sections.create(position=0, heading=f"Sagens kerne {evil}", text=f"Tekst {evil}\nlinje to")
    document = AttachmentDocument.objects.create(
        filename="x.md",
        content=b"x",
        content_type="text/markdown",
        sha256="0" * 64,
        html=f'<h1>Titel</h1><p onclick="alert(2)">Tekst</p>{evil}<a href="javascript:alert(3)">link</a>',
    )
    Attachment.objects.create(case=case, number=1, title=evil, document=document)
    attendance_person = factories.person(f"Anne {evil}")
    Attendance.objects.create(meeting=case.meeting, person=attendance_person, party="A")
    for url in (case.get_absolute_url(), case.meeting.get_absolute_url(), attendance_person.get_absolute_url(), "/"):
        page = client.get(url).content.decode()
        assert "<script>alert" not in page, url
    page = client.get(case.get_absolute_url()).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "onclick" not in page and "javascript:" not in page
    assert "<h3>Titel</h3>" in page  # document headings demoted under the page's h2 "Bilag"
    assert len(h1s(client.get(case.get_absolute_url()))) == 1


@pytest.mark.django_db
def test_unpublished_meetings_are_not_public(archive, client):
    factories.withdraw(date=dt.date(2020, 8, 11))
    for url in (meeting_url("2020-08-11"), meeting_url("2020-08-11") + "original.txt", case_url("2020-08-11", 30)):
        assert client.get(url).status_code == 404, url
    assert "11. august 2020" not in text_of(client.get("/"))
    assert "11. august 2020" not in text_of(client.get(reverse("web:meeting_list")))
    # Other meetings' "same title" lists leave it out too.
    assert case_url("2020-08-11", 29) not in client.get(case_url("2019-10-08", 36)).content.decode()


@pytest.mark.django_db
def test_unknown_addresses_give_the_404_page(archive, client):
    for url in (
        "/udvalg/findes-ikke/",
        "/personer/findes-ikke/",
        "/moeder/findes-ikke/2020-08-11/",
        "/moeder/beskaeftigelsesudvalget/2020-08-12/",
        "/moeder/beskaeftigelsesudvalget/2020-02-30/",
        "/moeder/beskaeftigelsesudvalget/2020-08-11/sag/99/",
        "/moeder/beskaeftigelsesudvalget/2020-08-11/sag/abc/",
        "/moeder/beskaeftigelsesudvalget/2020-08-12/original.txt",
    ):
        response = client.get(url)
        assert response.status_code == 404, url
        assert "Siden findes ikke" in response.content.decode(), url


@pytest.mark.django_db
def test_meeting_without_source_has_no_original(client):
    meeting = factories.meeting()
    assert client.get(meeting.get_absolute_url() + "original.txt").status_code == 404
    assert "original.txt" not in client.get(meeting.get_absolute_url()).content.decode()


@pytest.mark.django_db
def test_404_page_renders_with_debug_off(client, settings):
    settings.DEBUG = False
    response = client.get("/moeder/beskaeftigelsesudvalget/2020-08-11/")
    assert response.status_code == 404
    assert h1s(response) == ["Siden findes ikke"]


def test_500_page_renders_without_a_request_context(rf):
    response = server_error(rf.get("/"))
    assert response.status_code == 500
    page = response.content.decode()
    assert "<h1>Der opstod en fejl</h1>" in page and '<html lang="da">' in page


@pytest.mark.django_db
def test_a_failing_view_gives_the_500_page(client, monkeypatch):
    from web.views import pages as views

    def explode(self, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(views.AboutView, "get_context_data", explode)
    client.raise_request_exception = False
    response = client.get(reverse("web:about"))
    assert response.status_code == 500
    assert "Der opstod en fejl" in response.content.decode()


# --- conditional GET ----------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_pages_answer_conditional_requests_with_304(archive, client):
    for url in ("/", meeting_url("2020-08-11"), case_url("2020-08-11", 30), reverse("web:person_list")):
        response = client.get(url)
        assert response.status_code == 200
        assert response["Last-Modified"] and response["ETag"], url
        again = client.get(url, headers={"if-modified-since": response["Last-Modified"]})
        assert again.status_code == 304, url
        again = client.get(url, headers={"if-none-match": response["ETag"]})
        assert again.status_code == 304, url


@pytest.mark.django_db
def test_last_modified_moves_when_a_meeting_or_document_changes(archive, client, monkeypatch):
    from importer.attachments import attachment_import
    from meetings.services import meeting_withdraw

    url = case_url("2020-08-11", 30)
    first = client.get(url)["Last-Modified"]
    later = dt.datetime(2030, 1, 1, tzinfo=dt.UTC)
    monkeypatch.setattr("meetings.services.timezone.now", lambda: later)
    meeting_withdraw(meeting=Meeting.objects.get(date=dt.date(2022, 11, 15)))  # any meeting: cross-links
    response = client.get(url, headers={"if-modified-since": first})
    assert response.status_code == 200
    assert response["Last-Modified"] == "Tue, 01 Jan 2030 00:00:00 GMT"
    monkeypatch.setattr("meetings.services.timezone.now", lambda: later + dt.timedelta(days=1))
    attachment_import(content=b"# Nyt bilag\n\nTekst.", filename="nyt-bilag.md")
    assert client.get(url)["Last-Modified"] == "Wed, 02 Jan 2030 00:00:00 GMT"


@pytest.mark.django_db
def test_case_with_no_decision_says_so(client):
    case = factories.case(title="Uden beslutning")
    assert not Case.objects.with_decision().filter(pk=case.pk).exists()
    text = text_of(client.get(case.get_absolute_url()))
    assert "Referatet har ingen beslutning i denne sag." in text
    assert "Ingen beslutning i referatet." in text_of(client.get(case.meeting.get_absolute_url()))


def test_reference_reads_two_and_four_digit_years():
    from cases.models import Reference

    assert Reference.parse("ØU 137/07", today_year=2026) == Reference("ØU", 137, 2007)
    assert Reference.parse(" TMU 12 / 2019 ", today_year=2026) == Reference("TMU", 12, 2019)
    assert Reference.parse("ØU 5/98", today_year=2026) == Reference("ØU", 5, 1998)
    assert Reference.parse("se bilag", today_year=2026) is None
    assert Reference("ØU", 137, 2007).spellings() == ["ØU 137/07", "ØU 137/2007"]


@pytest.mark.django_db
def test_council_case_links_the_committee_case_it_cites_and_back(client):
    from importer.load import protocol_import
    from tests.conftest import OWN_PROTOCOLS

    for name in ("oekonomiudvalget-2007-11-20.txt", "kommunalbestyrelsen-2007-11-27.txt"):
        protocol_import(content=(OWN_PROTOCOLS / name).read_bytes(), filename=name)
    council = Case.objects.get(meeting__committee__code="KB", number=104)
    committee = Case.objects.get(meeting__committee__code="ØU", number=138)
    assert council.reference == "ØU 138/07"

    page = client.get(council.get_absolute_url()).content.decode()
    assert f'<a href="{committee.get_absolute_url()}">ØU 138/07</a>: Økonomiudvalget, 20. november 2007' in page
    back = client.get(committee.get_absolute_url()).content.decode()
    assert (
        "Videre behandling" in back
        and f'<a href="{council.get_absolute_url()}">Kommunalbestyrelsen, 27. november 2007' in back
    )
    # A reference to a case the archive does not hold stays plain text.
    missing = Case.objects.get(meeting__committee__code="KB", number=136)
    assert "ØU 174/07</dd>" in client.get(missing.get_absolute_url()).content.decode()
