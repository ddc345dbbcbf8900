"""The clerk's pages on a 360 px phone in headless Chromium, with axe-core checks and screenshots (test-artifacts/):
log in, land on the uploads, upload an agenda, preview and publish it, then its minutes, then a correction; and
the citizen's view of the result — the agenda, the decision that only recommends, the history with its diff."""

import datetime as dt

import pytest
from django.contrib.auth.models import Group, Permission, User
from django.utils import timezone

from meetings.models import DocumentKind, Meeting
from tests.browser import chromium_page, requires_chromium
from tests.conftest import OWN_PROTOCOLS
from tests.test_browser_site import PHONE, blocking_violations, no_horizontal_scroll, screenshot

pytestmark = requires_chromium

AGENDA = OWN_PROTOCOLS / "beskaeftigelsesudvalget-2026-12-15-dagsorden.txt"
MINUTES = OWN_PROTOCOLS / "beskaeftigelsesudvalget-2026-12-15-referat.txt"


@pytest.fixture
def phone_page():
    with chromium_page(viewport=PHONE) as page:
        yield page


def font_size(page, selector: str) -> float:
    return page.locator(selector).first.evaluate("el => parseFloat(getComputedStyle(el).fontSize)")


def assert_fits_and_passes_axe(page, name: str) -> None:
    assert no_horizontal_scroll(page), name
    screenshot(page, name)
    assert blocking_violations(page) == [], name


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_clerk_on_a_phone_publishes_an_agenda_its_minutes_and_a_correction(
    live_server, phone_page, monkeypatch, tmp_path
):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    # Two weeks before the meeting of 15 December 2026.
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: dt.date(2026, 12, 1))
    User.objects.create_user("sekretaer", password="referat-2026-beu")
    clerks, _ = Group.objects.get_or_create(name="Clerks")
    clerks.permissions.add(Permission.objects.get(content_type__app_label="publishing", codename="publish_protocol"))
    User.objects.get(username="sekretaer").groups.add(clerks)
    page = phone_page
    base = live_server.url

    # The login page in the site's styles; an empty form shows Danish errors beside each field.
    page.goto(f"{base}/konto/log-ind/")
    assert page.locator("link[href*='publishing']").count() == 1
    page.get_by_role("button", name="Log ind").click()
    username = page.get_by_label("Brugernavn")
    assert username.get_attribute("aria-invalid") == "true"
    error = page.locator(".field--error .field__errors").first
    assert error.inner_text() == "Dette felt er påkrævet."
    # Right above its input.
    assert 0 < username.bounding_box()["y"] - error.bounding_box()["y"] < 60
    assert_fits_and_passes_axe(page, "clerk-login-360")

    # Logging in with no page to return to lands on the uploads, and the login shows on every page.
    username.fill("sekretaer")
    page.get_by_label("Adgangskode").fill("referat-2026-beu")
    page.get_by_role("button", name="Log ind").click()
    page.wait_for_url(f"{base}/uploads/")
    assert page.locator("h1").inner_text() == "Alle uploads"
    bar = page.locator(".user-bar")
    assert "Logget ind som sekretaer" in bar.inner_text()
    assert bar.bounding_box()["y"] < page.locator("h1").bounding_box()["y"]
    assert_fits_and_passes_axe(page, "clerk-uploads-empty-360")

    # The upload form: a missing file is refused beside the field, in Danish.
    page.get_by_role("link", name="Upload en dagsorden eller et referat").click()
    page.get_by_role("button", name="Vis forhåndsvisning").click()
    protocol = page.get_by_label("Protokol")
    assert protocol.get_attribute("aria-invalid") == "true"
    assert "id_protocol_error" in protocol.get_attribute("aria-describedby")
    assert page.locator("#id_protocol_error").inner_text() == "Dette felt er påkrævet."
    assert "Protokol: Dette felt er påkrævet." in page.locator("#upload-errors").inner_text()
    assert_fits_and_passes_axe(page, "clerk-upload-errors-360")

    # An unreadable protocol: the parser's reason in Danish, with its line, beside the field.
    bad = tmp_path / "noter.txt"
    bad.write_text("Beskæftigelsesudvalget\nIngen dato her\nNoget tekst\n", encoding="utf-8")
    page.get_by_label("Protokol").set_input_files(str(bad))
    page.get_by_role("button", name="Vis forhåndsvisning").click()
    reason = page.locator("#id_protocol_error").inner_text()
    assert reason.startswith("Protokollen kunne ikke læses.") and "Mødedatoen (DD-MM-ÅÅÅÅ)" in reason

    # The agenda: previewed as an agenda, the publish button at the top.
    page.get_by_label("Protokol").set_input_files(str(AGENDA))
    page.get_by_role("button", name="Vis forhåndsvisning").click()
    page.wait_for_url("**/upload/*/")
    box = page.locator(".publish-box")
    assert "Filen er en dagsorden" in box.inner_text()
    assert box.bounding_box()["y"] < page.locator("#moedet").bounding_box()["y"]
    assert_fits_and_passes_axe(page, "clerk-preview-agenda-360")
    box.get_by_role("button", name="Offentliggør").click()

    # The confirmation sits at the top of the page the clerk lands on: the agenda as citizens see it.
    page.wait_for_url(f"{base}/moeder/beskaeftigelsesudvalget/2026-12-15/")
    message = page.locator(".messages")
    assert "Dagsordenen er offentliggjort" in message.inner_text()
    assert message.bounding_box()["y"] < page.locator("h1").bounding_box()["y"]
    assert "Dagsorden — mødet er ikke holdt endnu." in page.locator(".status--agenda").inner_text()
    assert_fits_and_passes_axe(page, "agenda-meeting-360")

    # The minutes replace it: no tick needed, the preview says what happens.
    page.goto(f"{base}/upload/")
    page.get_by_label("Protokol").set_input_files(str(MINUTES))
    page.get_by_role("button", name="Vis forhåndsvisning").click()
    page.wait_for_url("**/upload/*/")
    assert "Referatet erstatter den offentliggjorte dagsorden" in page.locator(".publish-box").inner_text()
    assert_fits_and_passes_axe(page, "clerk-preview-minutes-360")
    page.locator(".publish-box").get_by_role("button", name="Offentliggør").click()
    page.wait_for_url(f"{base}/moeder/beskaeftigelsesudvalget/2026-12-15/")
    assert "Referatet er offentliggjort" in page.locator(".messages").inner_text()
    assert Meeting.objects.get().kind == DocumentKind.MINUTES

    # The case the committee only recommends: who decides, and that the decision is not in the archive yet.
    page.goto(f"{base}/moeder/beskaeftigelsesudvalget/2026-12-15/sag/53/")
    decision = page.locator("section.decision")
    assert "Ikke endeligt afgjort: Kommunalbestyrelsen træffer afgørelsen." in decision.inner_text()
    assert "Udvalget anbefaler indstillingen, som den er." in decision.inner_text()
    assert font_size(page, "h1") > font_size(page, "h2") > font_size(page, "main h3")
    assert_fits_and_passes_axe(page, "case-recommends-only-360")

    # A correction: previewed word by word, replaced with the tick, then open to all.
    corrected = tmp_path / "referat-rettet.txt"
    corrected.write_text(
        MINUTES.read_text(encoding="utf-8").replace(
            "Beslutning\nAnbefales.\n", "Beslutning\nAnbefales med den ændring, at målet for ledigheden sænkes.\n"
        ),
        encoding="utf-8",
    )
    page.goto(f"{base}/upload/")
    page.get_by_label("Protokol").set_input_files(str(corrected))
    page.get_by_role("button", name="Vis forhåndsvisning").click()
    page.wait_for_url("**/upload/*/")
    page.get_by_text("Se ændringerne ord for ord").click()
    # Screen readers hear "[tilføjet: …]"; the eye sees the marked words.
    assert "med den ændring, at målet for ledigheden sænkes" in page.locator(".case-diff ins").first.inner_text()
    # Publishing without the tick: the refusal shows at the top, where the clerk is looking.
    page.locator(".publish-box").get_by_role("button", name="Erstat og offentliggør").click()
    refusal = page.locator("#confirm-error")
    assert "sæt hak for at bekræfte" in refusal.inner_text()
    assert refusal.bounding_box()["y"] < page.locator("#moedet").bounding_box()["y"]
    assert_fits_and_passes_axe(page, "clerk-preview-correction-360")
    page.locator(".publish-box").get_by_label("Jeg har set ændringerne").check()
    page.locator(".publish-box").get_by_role("button", name="Erstat og offentliggør").click()
    page.wait_for_url(f"{base}/moeder/beskaeftigelsesudvalget/2026-12-15/")
    assert "Referatet er rettet" in page.locator(".status--corrected").inner_text()

    # The history, as anyone sees it (logged out): three versions, the correction's words marked.
    page.goto(f"{base}/uploads/")
    assert page.locator("tbody tr").count() == 4  # the refused file is listed too
    assert_fits_and_passes_axe(page, "clerk-uploads-360")
    page.locator(".user-bar").get_by_role("button", name="Log ud").click()
    page.goto(f"{base}/moeder/beskaeftigelsesudvalget/2026-12-15/historik/")
    assert page.locator(".version").count() == 3
    assert "at målet for ledigheden sænkes" in page.locator(".version").first.locator("ins").first.inner_text()
    assert page.locator(".user-bar").count() == 0
    assert_fits_and_passes_axe(page, "meeting-history-360")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_home_page_states_coverage_and_headings_keep_their_order_on_a_phone(live_server, phone_page, monkeypatch):
    from importer.load import protocol_import
    from tests.conftest import import_real_fixtures

    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: dt.date(2026, 12, 1))
    import_real_fixtures()
    protocol_import(content=AGENDA.read_bytes(), filename=AGENDA.name)
    page = phone_page
    page.goto(live_server.url + "/")
    assert "Arkivet rummer 4 møder med 23 sager fra 1 udvalg, 2019–2026." in page.locator(".coverage").inner_text()
    assert "Kommende møder" in page.locator("#kommende-moeder").inner_text()
    assert font_size(page, "h1") > font_size(page, "h2")
    assert_fits_and_passes_axe(page, "home-coverage-360")
    page.goto(live_server.url + "/udvalg/")
    assert "Ingen møder i arkivet endnu" in page.locator("tr.is-empty").first.inner_text()
    assert_fits_and_passes_axe(page, "committees-empty-marked-360")
    page.goto(live_server.url + "/udvalg/teknik-og-miljoeudvalget/")
    assert "Arkivet har endnu ingen møder fra dette udvalg." in page.locator(".status--empty").inner_text()
    assert page.locator(".stats").count() == 0
    assert_fits_and_passes_axe(page, "committee-empty-360")

    # A printed case keeps who took part and the page's address.
    case_url = f"{live_server.url}/moeder/beskaeftigelsesudvalget/2020-08-11/sag/30/"
    page.goto(case_url)
    page.emulate_media(media="print")
    assert page.locator("#deltagelse").is_visible() and page.get_by_text("Jan Kongebro").first.is_visible()
    address = page.locator(".print-address")
    assert address.is_visible() and address.inner_text() == f"Sagens adresse: {case_url}"
    assert not page.locator(".site-header").is_visible()
    page.emulate_media(media="screen")
    assert not address.is_visible()
