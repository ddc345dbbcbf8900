"""Headless Chromium for the browser tests: Debian's chromium driven by Playwright, skipped only outside CI."""

import os
from contextlib import contextmanager
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
# Without the background-networking flags Chromium keeps trying to reach Google's hosts on a closed network.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

requires_chromium = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists() and os.environ.get("CI") != "true",
        reason="needs /usr/bin/chromium (apt-get install -y chromium); required when CI=true",
    ),
]


@contextmanager
def chromium_page(**page_options):
    """A fresh Danish-locale page in a new headless Chromium, closed afterwards."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        page = browser.new_page(locale="da-DK", **page_options)
        page.set_default_timeout(15_000)
        try:
            yield page
        finally:
            browser.close()
            # Close the connections the test's ORM calls used while Playwright's sync API was running (it runs the
            # test inside a greenlet): pytest-django's teardown, after Playwright has stopped, no longer reaches
            # them, and left open they keep PostgreSQL from dropping the test database at the end of the session.
            # Browser tests are transactional (the live server must see their data): nothing is left to roll back.
            from django.db import connections

            connections.close_all()
