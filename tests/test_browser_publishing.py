"""A clerk's whole round in headless Chromium: log in, upload a protocol and its bilag, check the preview, publish."""

import pytest
from django.contrib.auth.models import Group, Permission, User

from meetings.models import Meeting
from publishing.models import Upload
from tests.browser import chromium_page, requires_chromium
from tests.conftest import ATTACHMENTS, PROTOCOLS

pytestmark = requires_chromium


@pytest.fixture
def browser_page():
    with chromium_page() as page:
        yield page


# serialized_rollback: the seeded parties, committees and Clerks group are back after other tests' flushes.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_clerk_logs_in_uploads_previews_and_publishes(live_server, browser_page, monkeypatch):
    # Playwright's sync API runs an event loop in this thread; the ORM calls below are still plain blocking calls.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    clerk = User.objects.create_user("sekretaer", password="referat-2020-beu")
    # An earlier transactional test's flush removes the group the data migration made (the permission itself is
    # recreated after every flush), so make sure it is there; the migration is tested in test_publishing_permissions.
    clerks, _ = Group.objects.get_or_create(name="Clerks")
    clerks.permissions.add(Permission.objects.get(content_type__app_label="publishing", codename="publish_protocol"))
    clerk.groups.add(clerks)
    page = browser_page

    # Going to the upload page while logged out leads to the Danish login page.
    page.goto(f"{live_server.url}/upload/")
    assert page.locator("h1").inner_text() == "Log ind"
    page.get_by_label("Brugernavn").fill("sekretaer")
    page.get_by_label("Adgangskode").fill("referat-2020-beu")
    page.get_by_role("button", name="Log ind").click()

    # Back on the upload page: choose the protocol and its bilag document.
    page.wait_for_url(f"{live_server.url}/upload/")
    assert page.locator("h1").inner_text() == "Upload protokol"
    page.get_by_label("Protokol").set_input_files(str(PROTOCOLS / "beskaeftigelsesudvalget-2020-08-11.txt"))
    page.get_by_label("Bilag").set_input_files(str(ATTACHMENTS / "procesplan-ny-beskaeftigelsespolitik-2020.md"))
    page.get_by_role("button", name="Vis forhåndsvisning").click()

    # The preview shows what was read; nothing is published yet.
    page.wait_for_url("**/upload/*/")
    assert page.locator("h1").inner_text() == "Forhåndsvisning: Beskæftigelsesudvalget 11. august 2020"
    sag30 = page.locator("#sag-30")
    assert "Udvikling af ny beskæftigelsespolitik i Rødovre Kommune" in sag30.inner_text()
    assert "dokument: procesplan-ny-beskaeftigelsespolitik-2020.md" in sag30.inner_text()
    assert page.locator("article.preview-case").count() == 6
    assert not Meeting.objects.exists()

    # Publish; a second click while the first is on its way must not publish twice.
    button = page.get_by_role("button", name="Offentliggør")
    button.dblclick()
    page.wait_for_url(f"{live_server.url}/moeder/beskaeftigelsesudvalget/2020-08-11/")
    assert "Udvikling af ny beskæftigelsespolitik i Rødovre Kommune" in page.content()

    meeting = Meeting.objects.get()
    assert meeting.cases.count() == 6 and meeting.source.imported_by == clerk
    assert Upload.objects.get().state == Upload.State.PUBLISHED
    assert meeting.source_versions.count() == 1
