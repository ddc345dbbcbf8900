"""Bad files are refused with a clear Danish message and write nothing; odd but valid encodings are accepted."""

import pytest
from django.contrib.auth.models import Group, User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cases.models import AttachmentDocument
from meetings.models import Meeting, SourceDocument
from publishing.forms import display_name
from publishing.models import Upload, UploadAttachment
from tests.conftest import ATTACHMENTS
from tests.factories import minimal_pdf

pytestmark = pytest.mark.django_db


@pytest.fixture
def clerk(client):
    user = User.objects.create_user("clerk")
    user.groups.add(Group.objects.get(name="Clerks"))
    client.force_login(user)
    return user


def post(client, protocol: bytes, name="protokol.txt", attachments=()):
    data = {"protocol": SimpleUploadedFile(name, protocol)}
    if attachments:
        data["attachments"] = [SimpleUploadedFile(n, c) for n, c in attachments]
    return client.post(reverse("publishing:upload"), data)


def errors_of(response) -> str:
    """The text of the error box on the upload page (which must be there)."""
    page = response.content.decode()
    start = page.index('id="upload-errors"')
    return page[start : page.index("</div>", start)]


def assert_archive_untouched():
    assert not Meeting.objects.exists()
    assert not SourceDocument.objects.exists()
    assert not AttachmentDocument.objects.exists()


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200), "scan.txt", "»scan.txt« er ikke en tekstfil."),
        (b"Beskaeftigelsesudvalget\n\x00\x01\x02\x03", "protokol.txt", "»protokol.txt« er ikke en tekstfil."),
        (b"PK\x03\x04\x14\x00\x06\x00", "referat.txt", "»referat.txt« er ikke en tekstfil."),
        (b"", "tom.txt", "Den indsendte fil er tom."),
        (b" \r\n\t\r\n", "blank.txt", "»blank.txt« er tom."),
        (b"Beskaeftigelsesudvalget", "referat.docx", "»referat.docx« har en filtype, som ikke kan bruges."),
        (b"<html><script>alert(1)</script></html>", "referat.html", "Tilladt: .txt."),
    ],
)
def test_wrong_kind_of_protocol_file_is_refused(client, clerk, content, name, message):
    response = post(client, content, name)
    assert response.status_code == 200
    assert message in errors_of(response)
    assert "Intet er gemt i arkivet." in errors_of(response)
    assert not Upload.objects.exists()
    assert_archive_untouched()


def test_a_file_over_the_limit_is_refused(client, clerk, settings, protocol_bytes):
    settings.UPLOAD_MAX_BYTES = 10_000
    response = post(client, protocol_bytes("2020-08-11"))  # 12 kB
    assert "»protokol.txt« er for stor (11,8\xa0KB). Den største tilladte størrelse er 9,8\xa0KB." in errors_of(
        response
    )
    assert not Upload.objects.exists()
    assert_archive_untouched()


def test_the_default_limit_is_ten_megabytes_and_a_huge_file_is_refused(client, clerk, protocol_bytes):
    huge = protocol_bytes("2020-08-11") + b"x" * (10 * 1024 * 1024)
    response = post(client, huge)
    assert "Den største tilladte størrelse er 10,0\xa0MB." in errors_of(response)
    assert_archive_untouched()


def test_a_protocol_that_cannot_be_parsed_shows_the_error_with_its_line(client, clerk, protocol_bytes):
    broken = protocol_bytes("2020-08-11").replace(b"11-08-2020", b"31-02-2020")
    response = post(client, broken, "BEU.txt")
    errors = errors_of(response)
    assert "Protokollen kunne ikke læses. Fejl i linje 3: Mødedatoen er ikke en gyldig dato." in errors
    assert_archive_untouched()
    # The attempt is recorded (who, which file) but its bytes are not kept.
    failed = Upload.objects.get()
    assert failed.state == Upload.State.FAILED and failed.uploaded_by == clerk and failed.filename == "BEU.txt"
    assert "linje 3" in failed.error and bytes(failed.content) == b""


def test_a_text_file_that_is_not_a_protocol_is_refused(client, clerk):
    response = post(client, "Indkøbsliste\n\nmælk, æg og rugbrød\n".encode())
    assert "Protokollen kunne ikke læses" in errors_of(response)
    assert_archive_untouched()


def test_windows_1252_is_accepted_and_decoded(client, clerk, protocol_bytes):
    text = protocol_bytes("2020-08-11").decode("utf-8")
    legacy = text.replace("\n", "\r\n").encode("cp1252")
    assert "æ".encode("cp1252") in legacy and b"\xc3" not in legacy  # really not UTF-8
    response = post(client, legacy, "gammel-word.txt")
    assert response.status_code == 302
    upload = Upload.objects.get()
    preview = client.get(response.url).content.decode()
    assert "Udvikling af ny beskæftigelsespolitik i Rødovre Kommune" in preview and "windows-1252" in preview

    client.post(reverse("publishing:upload_publish", kwargs={"pk": upload.pk}))
    meeting = Meeting.objects.get()
    assert meeting.committee.name == "Beskæftigelsesudvalget"
    assert meeting.cases.get(number=30).title == "Udvikling af ny beskæftigelsespolitik i Rødovre Kommune"
    assert bytes(meeting.source.content) == legacy  # the original bytes, verbatim
    assert "Rødovre" in meeting.source.text  # decoded as Windows-1252, not mojibake


def test_utf8_with_byte_order_mark_is_accepted(client, clerk, protocol_bytes):
    response = post(client, b"\xef\xbb\xbf" + protocol_bytes("2022-11-15"))
    assert response.status_code == 302
    assert "Design af brugerundersøgelse i Jobcentret" in client.get(response.url).content.decode()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("bilag.pdf", b"Procesplan\n", "»bilag.pdf« hedder .pdf, men er ikke en PDF-fil."),
        ("bilag.md", b"# Procesplan\n\x00\x00\x00", "»bilag.md« er ikke en tekstfil."),
        ("bilag.exe", b"MZ\x90\x00", "»bilag.exe« har en filtype, som ikke kan bruges. Tilladt: .md, .txt, .pdf."),
        ("bilag.txt", b"%PDF-1.4\n", "»bilag.txt« er ikke en tekstfil."),
        ("tom.md", b"\n\n", "»tom.md« er tom."),
    ],
)
def test_wrong_kind_of_attachment_is_refused(client, clerk, protocol_bytes, name, content, message):
    response = post(client, protocol_bytes("2020-08-11"), attachments=[(name, content)])
    assert message in errors_of(response)
    assert not Upload.objects.exists()
    assert_archive_untouched()


def test_an_oversized_attachment_is_refused(client, clerk, settings, protocol_bytes):
    settings.UPLOAD_MAX_BYTES = 15_000
    big = (ATTACHMENTS / "beskaeftigelsesplan-2019-2020.txt").read_bytes()  # 29 kB
    response = post(client, protocol_bytes("2020-08-11"), attachments=[("plan.txt", big)])
    assert "»plan.txt« er for stor" in errors_of(response)
    assert_archive_untouched()


def test_pdf_attachment_is_read_and_matched(client, clerk, protocol_bytes):
    pdf = minimal_pdf("Procesplan ny beskaeftigelsespolitik")
    response = post(client, protocol_bytes("2020-08-11"), attachments=[("procesplan.pdf", pdf)])
    assert response.status_code == 302
    page = client.get(response.url).content.decode()
    assert "procesplan.pdf (»Procesplan ny beskaeftigelsespolitik«)" in page
    assert "matchet til sag 30, bilag 1" in page


def test_unmatched_attachment_is_marked(client, clerk, protocol_bytes):
    plan = (ATTACHMENTS / "beskaeftigelsesplan-2019-2020.txt").read_bytes()  # belongs to a meeting not uploaded
    response = post(client, protocol_bytes("2022-11-15"), attachments=[("beskaeftigelsesplan-2019-2020.txt", plan)])
    page = client.get(response.url).content.decode()
    assert "ikke matchet til noget bilag i denne protokol" in page
    assert UploadAttachment.objects.get().filename == "beskaeftigelsesplan-2019-2020.txt"


def test_file_names_are_display_only():
    assert display_name("../../etc/passwd.txt") == "passwd.txt"
    assert display_name("C:\\Users\\anne\\Referat BEU.txt") == "Referat BEU.txt"
    assert display_name("a\x00b\nc.txt") == "abc.txt"
    assert display_name("") == "unavngivet"


def test_a_path_in_the_file_name_is_never_used(client, clerk, protocol_bytes, tmp_path):
    response = post(client, protocol_bytes("2019-10-08"), name="../../../../tmp/evil.txt")
    assert response.status_code == 302
    upload = Upload.objects.get()
    assert upload.filename == "evil.txt"
    client.post(reverse("publishing:upload_publish", kwargs={"pk": upload.pk}))
    assert Meeting.objects.get().source.filename == "evil.txt"


def test_markup_in_a_protocol_is_shown_as_text(client, clerk, protocol_bytes):
    evil = (
        protocol_bytes("2020-08-11")
        .replace("Udvikling af ny beskæftigelsespolitik".encode(), b"<script>alert('x')</script> Udvikling")
        .replace(b"Bilag 1: Procesplan", b"Bilag 1: <img src=x onerror=alert(1)> Procesplan")
    )
    response = post(client, evil)
    page = client.get(response.url).content.decode()
    assert "<script>alert" not in page and "<img src=x" not in page
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; Udvikling" in page
    assert "Bilag 1: &lt;img src=x onerror=alert(1)&gt; Procesplan" in page


def test_a_pdf_without_text_is_refused_in_danish(client, clerk, protocol_bytes):
    response = post(client, protocol_bytes("2020-08-11"), attachments=[("scan.pdf", minimal_pdf(""))])
    errors = errors_of(response)
    assert "Et bilag kunne ikke læses: »scan.pdf« indeholder ingen tekst, der kan læses" in errors
    assert "extractable" not in errors  # the reader's English detail is not shown
    assert Upload.objects.get().state == Upload.State.FAILED
    assert_archive_untouched()
