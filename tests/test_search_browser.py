"""The search page in headless Chromium at 360 and 1280 px: results first on a phone with the filters folded, chips
that remove a filter, the keyboard at the first result in a few presses, a shared address with only what is
used, no sideways scrolling, no serious axe-core findings. Screenshots go to var/screenshots/."""

import re

import pytest

from tests.browser import chromium_page, requires_chromium
from tests.conftest import ROOT, import_real_fixtures
from tests.test_browser_site import blocking_violations, no_horizontal_scroll

SHOTS = ROOT / "var" / "screenshots"
PHONE = {"width": 360, "height": 780}
DESKTOP = {"width": 1280, "height": 900}
SEARCH = "/soeg/?q=plan&committee=beskaeftigelsesudvalget&year=2022"

# Transactional for the live server, marked so pytest-django runs these after the other tests; serialized
# rollback: the seeded parties and committees are back after other tests' flushes.
pytestmark = [*requires_chromium, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def live_archive(live_server, monkeypatch):
    """The live server with the real fixtures imported; returns its base URL."""
    # Playwright's sync API runs an event loop in this thread; the ORM calls here are still plain blocking calls.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    import_real_fixtures()
    return live_server.url


def shot(page, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


@pytest.fixture
def phone():
    with chromium_page(viewport=PHONE) as page:
        yield page


@pytest.fixture
def desktop():
    with chromium_page(viewport=DESKTOP) as page:
        yield page


def test_on_a_phone_the_results_come_first_and_the_filters_open_on_demand(live_archive, phone):
    page = phone
    page.goto(live_archive + SEARCH)
    first = page.locator("ol.search-results__list > li").first
    # The filters are folded; the first result is on the first screen.
    assert not page.get_by_label("Udvalg", exact=True).is_visible()
    assert first.bounding_box()["y"] + 40 < PHONE["height"]
    chips = page.get_by_role("list", name="Aktive afgrænsninger").get_by_role("link")
    assert chips.all_inner_texts() == ["Udvalg: Beskæftigelsesudvalget ×", "Årstal: 2022 ×"]
    assert no_horizontal_scroll(page)
    assert blocking_violations(page) == []
    shot(page, "search-filters-360")

    page.locator("summary", has_text="Afgræns søgningen").click()
    assert page.get_by_label("Udvalg", exact=True).is_visible()
    assert page.get_by_role("spinbutton", name="Årstal").input_value() == "2022"
    assert no_horizontal_scroll(page)
    shot(page, "search-filters-open-360")

    # Removing a chip drops that filter only.
    page.get_by_role("link", name="Fjern afgrænsningen Årstal: 2022").click()
    page.wait_for_url(re.compile(r".*/soeg/\?q=plan&committee=beskaeftigelsesudvalget$"))
    assert chips.all_inner_texts() == ["Udvalg: Beskæftigelsesudvalget ×"]


def test_the_keyboard_reaches_the_first_result_in_a_few_presses(live_archive, phone):
    page = phone
    page.goto(live_archive + SEARCH)
    page.keyboard.press("Tab")  # the skip link
    page.keyboard.press("Enter")  # into the page's content
    first_result = page.locator("ol.search-results__list > li a").first
    presses = 0
    while presses < 10 and not first_result.evaluate("el => el === document.activeElement"):
        page.keyboard.press("Tab")
        presses += 1
    # Query box, Søg, the filters' and the help's summaries, the two chips, the first result.
    assert presses == 7


def test_the_form_sends_only_the_parameters_in_use(live_archive, phone):
    page = phone
    page.goto(live_archive + "/soeg/?q=klausul")
    page.locator("summary", has_text="Afgræns søgningen").click()
    page.get_by_label("Årstal").fill("2019")
    page.get_by_role("button", name="Opdatér").click()
    page.wait_for_url(re.compile(r".*/soeg/\?q=klausul&year=2019$"))
    assert page.locator("ol.search-results__list > li").count() == 1


def test_on_a_wide_screen_the_filters_are_open_beside_the_facets(live_archive, desktop):
    page = desktop
    page.goto(live_archive + SEARCH)
    assert page.get_by_label("Udvalg", exact=True).is_visible()
    assert page.get_by_role("complementary").get_by_role("heading", name="Udvalg").is_visible()
    assert no_horizontal_scroll(page)
    assert blocking_violations(page) == []
    shot(page, "search-filters-1280")


def test_a_misspelling_gets_a_suggestion_to_follow(live_archive, phone):
    page = phone
    page.goto(live_archive + "/soeg/?q=klasuler")
    # No matches, so no facets: their panel is not shown as an empty box.
    assert not page.locator("aside.page__aside").is_visible()
    page.get_by_role("link", name="klausuler", exact=True).click()
    page.wait_for_url(re.compile(r".*/soeg/\?q=klausuler$"))
    assert page.locator("ol.search-results__list > li").count() == 1
    assert page.locator("aside.page__aside").is_visible()
    assert blocking_violations(page) == []
    shot(page, "search-suggestion-360")
