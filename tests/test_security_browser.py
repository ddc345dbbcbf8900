"""In headless Chromium: the Content-Security-Policy blocks nothing the site itself uses, and a clerk reviews the
CPR numbers of an upload, confirms one as not personal and publishes with the rest masked."""

import pytest
from django.contrib.auth.models import Group, Permission, User

from cases.models import Section
from tests.browser import chromium_page, requires_chromium
from tests.conftest import ROOT
from tests.test_personal_data import NOT_PERSONAL, protocol_with_cpr

pytestmark = requires_chromium


@pytest.fixture
def browser_page():
    with chromium_page() as page:
        yield page


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_csp_blocks_nothing_of_ours_and_the_clerk_confirms_a_number(live_server, browser_page, monkeypatch, tmp_path):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    clerks, _ = Group.objects.get_or_create(name="Clerks")
    clerks.permissions.add(Permission.objects.get(content_type__app_label="publishing", codename="publish_protocol"))
    User.objects.create_user("sekretaer", password="referat-2020-beu").groups.add(clerks)
    page = browser_page
    violations = []
    page.on("console", lambda msg: violations.append(msg.text) if "Content Security Policy" in msg.text else None)

    page.goto(f"{live_server.url}/konto/log-ind/?next=/upload/")
    page.get_by_label("Brugernavn").fill("sekretaer")
    page.get_by_label("Adgangskode").fill("referat-2020-beu")
    page.get_by_role("button", name="Log ind").click()
    page.wait_for_url(f"{live_server.url}/upload/")
    protocol = tmp_path / "referat.txt"
    protocol.write_bytes(protocol_with_cpr())
    page.get_by_label("Protokol").set_input_files(str(protocol))
    page.get_by_role("button", name="Vis forhåndsvisning").click()
    page.wait_for_url("**/upload/*/")

    review = page.locator("#personal-data")
    assert "2 mulige CPR-numre" in review.inner_text()
    (ROOT / "var").mkdir(exist_ok=True)
    review.screenshot(path=str(ROOT / "var" / "cpr-review.png"))
    # The checkbox stands outside the publish form and belongs to it through form="publish-form".
    review.get_by_label("150987-4321 er ikke et CPR-nummer").check()
    page.get_by_role("button", name="Offentliggør").click()
    page.wait_for_url(f"{live_server.url}/moeder/beskaeftigelsesudvalget/2020-08-11/")
    kerne = Section.objects.get(case__number=30, heading="Sagens kerne").text
    assert "(CPR-nr. 010190-****)" in kerne and f"Journalnummer {NOT_PERSONAL}." in kerne

    # The site's own script runs under the policy (the fold toggle it reveals is visible), and nothing was blocked.
    page.goto(f"{live_server.url}/moeder/beskaeftigelsesudvalget/2020-08-11/")
    assert page.locator("[data-details-toggle]").first.is_visible()
    page.goto(f"{live_server.url}/soeg/?q=besk%C3%A6ftigelse")
    assert violations == []
