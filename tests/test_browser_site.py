"""A citizen's round in headless Chromium at phone width, with axe-core accessibility checks on the main pages."""

import pytest

from tests.browser import chromium_page, requires_chromium
from tests.conftest import ROOT, import_real_fixtures

ARTIFACTS = ROOT / "test-artifacts"
PHONE = {"width": 360, "height": 780}
BLOCKING_IMPACTS = {"serious", "critical"}

pytestmark = requires_chromium


@pytest.fixture
def phone_page():
    with chromium_page(viewport=PHONE) as page:
        yield page


def blocking_violations(page) -> list[str]:
    """axe-core violations of serious or critical impact, as readable lines."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
        if v["impact"] in BLOCKING_IMPACTS
    ]


def no_horizontal_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def screenshot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


@pytest.fixture
def live_archive(transactional_db, django_db_serialized_rollback, live_server, monkeypatch):
    """The live server with the real fixtures imported; returns its base URL."""
    # Playwright's sync API runs an event loop in this thread; the ORM calls here are still plain blocking calls.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    import_real_fixtures()
    return live_server.url


def test_citizen_reads_a_meeting_and_a_case_on_a_phone(live_archive, live_server, phone_page):
    page = phone_page

    # Home: the first Tab reaches the skip link, which is then visible.
    page.goto(live_server.url + "/")
    page.keyboard.press("Tab")
    skip = page.locator(".skip-link")
    assert skip.evaluate("el => el === document.activeElement")
    assert skip.bounding_box()["y"] >= 0
    assert page.locator("h1").count() == 1
    assert page.get_by_role("search").get_by_label("Søg i referaterne").is_visible()
    assert no_horizontal_scroll(page)
    screenshot(page, "home-360")
    assert blocking_violations(page) == []

    # To the 2020 meeting from the latest meetings.
    page.get_by_role("link", name="Beskæftigelsesudvalget 11. august 2020").click()
    page.wait_for_url("**/moeder/beskaeftigelsesudvalget/2020-08-11/")
    assert page.locator("h1").inner_text() == "Beskæftigelsesudvalget møde 11. august 2020"
    assert page.locator("article").count() == 6
    assert no_horizontal_scroll(page)
    assert blocking_violations(page) == []

    # Expand sag 30 in place: its full text appears.
    sag30 = page.locator("#sag-30")
    details = sag30.locator("details")
    assert not details.locator("text=Social- og Sundhedsforvaltningen foreslår desuden").is_visible()
    sag30.get_by_text("Vis hele sag nr. 30").click()
    assert details.evaluate("el => el.open")
    assert details.get_by_text("Social- og Sundhedsforvaltningen foreslår desuden", exact=False).is_visible()
    assert no_horizontal_scroll(page)
    screenshot(page, "meeting-360")

    # Follow it to the case page: the decision comes first and prominently.
    details.get_by_role("link", name="Gå til sag nr. 30").click()
    page.wait_for_url("**/moeder/beskaeftigelsesudvalget/2020-08-11/sag/30/")
    assert page.locator("h1").inner_text() == "Udvikling af ny beskæftigelsespolitik i Rødovre Kommune"
    decision = page.locator("section.decision")
    assert decision.locator(".outcome").inner_text() == "Anbefalet"
    assert decision.locator(".decision__text").inner_text() == "Anbefales."
    assert decision.bounding_box()["y"] < page.locator("#indstilling").bounding_box()["y"]
    # The attachment document opens in place.
    page.get_by_text("Læs bilaget (procesplan-ny-beskaeftigelsespolitik-2020.md)").click()
    assert page.get_by_role("heading", name="Baggrund og formål").is_visible()
    assert no_horizontal_scroll(page)
    screenshot(page, "case-360")
    assert blocking_violations(page) == []

    # A member's page from the case's attendance list.
    page.get_by_role("complementary").get_by_role("link", name="Jan Kongebro").click()
    page.wait_for_url("**/personer/jan-kongebro/")
    assert "Fremmøde" in page.locator(".stats").inner_text()
    assert no_horizontal_scroll(page)
    screenshot(page, "person-360")
    assert blocking_violations(page) == []


def test_a_journalist_searches_on_a_phone_without_sideways_scrolling(live_archive, phone_page):
    page = phone_page
    page.goto(live_archive + "/")
    page.get_by_role("search").get_by_label("Søg i referaterne").fill("sociale klausuler")
    page.keyboard.press("Enter")
    page.wait_for_url("**/soeg/?*")
    first = page.locator("main ol li").first
    assert "Status på samarbejde med virksomheder omfattet af sociale klausuler, 2019" in first.inner_text()
    assert first.locator("mark").count() >= 1
    assert no_horizontal_scroll(page)
    screenshot(page, "search-360")
    assert blocking_violations(page) == []


def test_a_journalist_narrows_a_search_to_a_member_typed_by_name(live_archive, phone_page):
    page = phone_page
    page.goto(live_archive + "/soeg/?q=anbefales")
    page.locator("summary", has_text="Afgræns søgningen").click()  # on a phone the filters are folded
    member = page.locator("input[name=member]")
    member.press_sequentially("kongeb")
    # The suggestions arrive from /soeg/medlemmer.json into the field's datalist.
    # (wait_for_selector, not wait_for_function: the Content-Security-Policy forbids evaluating strings.)
    page.wait_for_selector("#member-suggestions option", state="attached")
    assert page.locator("#member-suggestions option").first.get_attribute("value") == "Jan Kongebro"
    member.press("Enter")
    page.wait_for_url("**member=kongeb*")
    assert member.input_value() == "Jan Kongebro"
    # Of the three meetings Jan Kongebro attended only 2019-10-08 (test_search_views proves the filter).
    dates = {t.get_attribute("datetime") for t in page.locator("main ol time").all()}
    assert dates == {"2019-10-08"}
    assert no_horizontal_scroll(page)
    screenshot(page, "search-member-360")
    assert blocking_violations(page) == []
