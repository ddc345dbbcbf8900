"""The clerk's whole workflow through the test client: upload → preview → publish → page, then a corrected re-upload."""

import re
import sys

import pytest
from django.contrib.auth.models import Group, User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cases.models import Attachment, Case
from meetings.models import Meeting, SourceDocument
from publishing.models import Upload
from tests.conftest import ATTACHMENTS
from tests.factories import minimal_pdf

pytestmark = pytest.mark.django_db

SAG_30_TITLE = "Udvikling af ny beskæftigelsespolitik i Rødovre Kommune"
PROCESPLAN = "procesplan-ny-beskaeftigelsespolitik-2020.md"


@pytest.fixture
def clerk(client):
    user = User.objects.create_user("anne", password="not-used-here")
    user.groups.add(Group.objects.get(name="Clerks"))
    client.force_login(user)
    return user


def corrected(original: bytes) -> bytes:
    """The 2020-08-11 protocol with sag 30's decision corrected and sag 34 (Diverse) dropped."""
    text = original.decode("utf-8")
    start = text.index("Sag nr. 30")
    end = text.index("Sag nr. 31")
    fixed = text[start:end].replace(
        "Beslutning\n\nAnbefales.", "Beslutning\n\nAnbefales med den ændring, at processen forlænges."
    )
    assert fixed != text[start:end]
    text = text[:start] + fixed + text[end:]
    text = text[: text.index("Diverse\nSag nr. 34")] + text[text.index("Protokollen oplæst") :]
    return text.replace("Sager 29 - 34", "Sager 29 - 33").encode("utf-8")


def upload(client, content: bytes, name="protokol.txt", attachments=()):
    files = [SimpleUploadedFile(n, data) for n, data in attachments]
    data = {"protocol": SimpleUploadedFile(name, content)}
    if files:
        data["attachments"] = files
    return client.post(reverse("publishing:upload"), data)


def test_upload_preview_publish_and_correct(client, clerk, protocol_bytes):
    original = protocol_bytes("2020-08-11")
    procesplan = (ATTACHMENTS / PROCESPLAN).read_bytes()

    # 1. Upload: the protocol and its Bilag 1 document; we land on the preview and nothing is in the archive yet.
    response = upload(client, original, "BEU 11-08-2020.txt", attachments=[(PROCESPLAN, procesplan)])
    first = Upload.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("publishing:upload_preview", kwargs={"pk": first.pk})
    assert first.state == Upload.State.PREVIEW and first.uploaded_by == clerk
    assert not Meeting.objects.exists() and not SourceDocument.objects.exists()

    # 2. Preview: what was read, case by case, with the document matched to sag 30's Bilag 1.
    page = client.get(response.url).content.decode()
    assert "Beskæftigelsesudvalget" in page and "11. august 2020" in page
    assert "Michel Berg (A), formand" in page
    assert "Jan Kongebro (A): sag 29, 30, 31, 32, 33, 34" in page
    assert f"Sag nr. 30: {SAG_30_TITLE}" in page
    assert "Bilag 1: Procesplan til udvikling af ny beskæftigelsespolitik i Rødovre Kommune" in page
    assert f"dokument: {PROCESPLAN}" in page
    assert "matchet til sag 30, bilag 1" in page
    assert "Anbefalet" in page and "Taget til efterretning" in page
    assert "Mødet findes allerede" not in page
    assert 'name="confirm_replace"' not in page
    assert not Meeting.objects.exists()

    # 3. Publish: one transaction through the import service, then the meeting's public page.
    response = client.post(reverse("publishing:upload_publish", kwargs={"pk": first.pk}))
    meeting = Meeting.objects.get()
    assert response.status_code == 302
    assert response.url == meeting.get_absolute_url() == "/moeder/beskaeftigelsesudvalget/2020-08-11/"
    assert sorted(meeting.cases.values_list("number", flat=True)) == [29, 30, 31, 32, 33, 34]
    sag30 = meeting.cases.get(number=30)
    assert sag30.title == SAG_30_TITLE and sag30.decision.text == "Anbefales."
    assert Attachment.objects.get(case=sag30, number=1).document.filename == PROCESPLAN
    first.refresh_from_db()
    assert first.state == Upload.State.PUBLISHED and first.published_by == clerk
    assert first.meeting == meeting and first.source == meeting.source
    assert first.change_lines == ["Nyt møde med 6 sager."]
    assert meeting.source.imported_by == clerk and meeting.source.filename == "BEU 11-08-2020.txt"
    public = client.get(response.url)
    assert public.status_code == 200
    assert SAG_30_TITLE in public.content.decode()

    # 4. Re-upload a corrected protocol: the preview says the meeting exists and shows what would change.
    response = upload(client, corrected(original), "BEU 11-08-2020 rettet.txt")
    second = Upload.objects.latest("id")
    page = client.get(response.url).content.decode()
    assert "Mødet findes allerede" in page
    assert "Sag 34 fjernet." in page
    assert "Sag 30: tekst, beslutning ændret." in page
    assert "Tidligere beslutning: Anbefales." in page
    assert 'name="confirm_replace"' in page

    # 5. Publishing without the tick is refused and changes nothing …
    response = client.post(reverse("publishing:upload_publish", kwargs={"pk": second.pk}))
    assert response.status_code == 409
    assert "sæt hak for at bekræfte, at det skal erstattes" in response.content.decode()
    assert Case.objects.filter(meeting=meeting).count() == 6
    second.refresh_from_db()
    assert second.state == Upload.State.PREVIEW

    # 6. … with it, the meeting is updated in place and the earlier version is kept.
    response = client.post(reverse("publishing:upload_publish", kwargs={"pk": second.pk}), {"confirm_replace": "on"})
    assert response.status_code == 302 and response.url == meeting.get_absolute_url()
    meeting.refresh_from_db()
    assert sorted(meeting.cases.values_list("number", flat=True)) == [29, 30, 31, 32, 33]
    assert meeting.cases.get(number=30).decision.text == "Anbefales med den ændring, at processen forlænges."
    assert meeting.cases.get(number=30).pk == sag30.pk  # updated in place: permalinks and links survive
    assert SourceDocument.objects.filter(meeting=meeting).count() == 2
    assert meeting.source.filename == "BEU 11-08-2020 rettet.txt"
    second.refresh_from_db()
    assert second.import_status == "updated"
    assert "Sag 34 fjernet." in second.change_lines and "Sag 30: tekst, beslutning ændret." in second.change_lines
    assert "Anbefales med den ændring" in client.get(meeting.get_absolute_url()).content.decode()

    # 7. History: both uploads are listed, and both protocol versions can be opened as plain text.
    listing = client.get(reverse("publishing:upload_list")).content.decode()
    assert "BEU 11-08-2020.txt" in listing and "BEU 11-08-2020 rettet.txt" in listing
    assert "Sag 34 fjernet." in listing
    versions_url = reverse(
        "publishing:meeting_versions", kwargs={"committee": "beskaeftigelsesudvalget", "date": meeting.date}
    )
    versions = client.get(versions_url).content.decode()
    links = re.findall(r'href="(/moeder/beskaeftigelsesudvalget/2020-08-11/versioner/\d+\.txt)"', versions)
    assert len(links) == 2 and "gældende" in versions
    old = client.get(links[1])
    assert old["Content-Type"] == "text/plain; charset=utf-8"
    assert old["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in old["Content-Security-Policy"]
    assert "Diverse\nSag nr. 34" in old.content.decode("utf-8")
    assert "Sag nr. 34" not in client.get(links[0]).content.decode("utf-8")


def test_published_upload_page_shows_the_result(client, clerk, protocol_bytes):
    upload(client, protocol_bytes("2019-10-08"))
    record = Upload.objects.get()
    client.post(reverse("publishing:upload_publish", kwargs={"pk": record.pk}))
    page = client.get(record.get_absolute_url()).content.decode()
    assert "Offentliggjort" in page and "Nyt møde med 7 sager." in page
    assert 'id="publish-form"' not in page
    record.refresh_from_db()
    assert bytes(record.content) == b""  # the archive's SourceDocument holds the bytes now
    assert bytes(record.source.content) == protocol_bytes("2019-10-08")


def test_warnings_are_listed_in_danish_next_to_their_case(client, clerk, protocol_bytes):
    text = protocol_bytes("2020-08-11").decode("utf-8").replace("Sager 29 - 34", "Sager 29 - 35")
    start = text.index("Sag nr. 31")
    text = text[:start] + text[start:].replace("Beslutning\n\nTaget til efterretning.\n", "", 1)
    response = upload(client, text.encode("utf-8"))
    page = client.get(response.url).content.decode()
    warnings = page[page.index('id="warnings"') : page.index("</section>", page.index('id="warnings"'))]
    assert "Sag 35: Sagen er nævnt i »Sager …«-linjen, men står ikke i protokollen." in warnings
    assert '<a href="#sag-31">Sag 31</a>: Linje' in warnings and "Sagen har ingen beslutning." in warnings
    case_31 = page[page.index('id="sag-31"') : page.index('id="sag-32"')]
    assert "Sagen har ingen beslutning." in case_31


def spy_on(monkeypatch, func) -> list[tuple]:
    """Record every call of `func`, under every module-level name it is bound to (`from x import func` included)."""
    calls = []

    def spy(*args, **kwargs):
        calls.append(args)
        return func(*args, **kwargs)

    for module in list(sys.modules.values()):
        for name, value in list(getattr(module, "__dict__", {}).items()):
            if value is func:
                monkeypatch.setattr(module, name, spy)
    return calls


def test_each_file_is_parsed_once_from_upload_to_publish(client, clerk, protocol_bytes, monkeypatch):
    from importer import attachments, load
    from importer.parse import parse_protocol

    protocol = protocol_bytes("2020-08-11")
    pdf = minimal_pdf("Bilag BEU Hvide bokse")
    parses = spy_on(monkeypatch, parse_protocol)
    extracts = spy_on(monkeypatch, attachments.extract)
    pdf_reads = spy_on(monkeypatch, attachments._pdf_text)
    diffs = spy_on(monkeypatch, load._diff)

    response = upload(
        client, protocol, attachments=[(PROCESPLAN, (ATTACHMENTS / PROCESPLAN).read_bytes()), ("bokse.pdf", pdf)]
    )
    for _ in range(2):
        page = client.get(response.url).content.decode()
        assert "matchet til sag 30, bilag 1" in page and "matchet til sag 33, bilag 2" in page
    record = Upload.objects.get()
    assert client.post(reverse("publishing:upload_publish", kwargs={"pk": record.pk})).status_code == 302
    assert "Nyt møde med 6 sager." in client.get(record.get_absolute_url()).content.decode()

    assert [args[0] for args in parses] == [protocol]
    assert [args[1] for args in extracts] == [PROCESPLAN, "bokse.pdf"]
    assert len(pdf_reads) == 1
    assert len(diffs) == 3  # each preview compares with the archive as it is then; the publish once
    meeting = Meeting.objects.get()
    assert Attachment.objects.get(case__meeting=meeting, case__number=33, number=2).document.text == (
        "Bilag BEU Hvide bokse"
    )
