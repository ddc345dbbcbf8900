"""CPR numbers: found at upload with line and case, masked everywhere the public can look unless a clerk confirms
a number as not personal; the unmasked upload stays with clerks until purged; the command line masks and warns."""

import re
from datetime import timedelta
from io import StringIO

import pytest
from django.contrib.auth.models import Group, User
from django.core.exceptions import ImproperlyConfigured
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from cases.models import AttachmentDocument, Section
from importer import personal_data as pd
from importer.load import protocol_import
from importer.parse import parse_protocol
from importer.privacy import mask_content, protocol_findings
from meetings.models import Meeting, SourceDocument
from publishing.models import Upload, UploadAttachment
from search.models import SearchDocument
from tests.conftest import PROTOCOLS
from tests.factories import minimal_pdf

PERSONAL = "010190-1234"  # 1 January 1990: a real date, so a CPR number
NOT_PERSONAL = "1509874321"  # 15-09-87: looks like one, and the clerk will say it is not
KERNE_30 = "Social- og Sundhedsforvaltningen foreslår at igangsætte en proces"


def protocol_with_cpr() -> bytes:
    """The real 2020-08-11 protocol with two CPR-shaped numbers in sag 30's text and one invalid date."""
    text = (PROTOCOLS / "beskaeftigelsesudvalget-2020-08-11.txt").read_bytes().decode("utf-8")
    assert text.count(KERNE_30) == 1
    extra = (
        f"Borgeren (CPR-nr. {PERSONAL}) har klaget over sagsbehandlingen. Journalnummer {NOT_PERSONAL}. "
        "Ordrenummer 3102901234 er ikke en dato. "
    )
    return text.replace(KERNE_30, extra + KERNE_30).encode("utf-8")


def line_of(content: bytes, needle: str) -> int:
    return next(i for i, line in enumerate(content.decode().splitlines(), 1) if needle in line)


# --- detection and masking, pure ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "numbers"),
    [
        ("CPR 010190-1234.", ["0101901234"]),
        ("cpr:0101901234,", ["0101901234"]),
        ("(290200-4321)", ["2902004321"]),  # 29 Feb 2000: serial 4 with year 00 is 2000, a leap year
        ("290200-1234", []),  # serial 1 with year 00 is 1900, no leap year
        ("310490-1234 320190-1234 011390-1234 000190-1234", []),  # 31 April, day 32, month 13, day 0
        ("12345678901 x0101901234 0101901234-5 010190-1234,50 2019-010190-1234", []),
        ("010190–1234", ["0101901234"]),  # en dash, as a word processor writes it
        ("tlf. 36 37 70 00, kr. 300.000, sag nr. 28, 15-11-2022", []),
    ],
)
def test_cpr_numbers_are_found_with_the_date_checked(text, numbers):
    assert [hit.number for hit in pd.find_cpr(text)] == numbers


def test_hits_carry_line_and_mask_keeps_the_date_and_what_is_confirmed():
    text = "Indledning\nBorger 010190-1234 og 1509874321\nslut"
    hits = pd.find_cpr(text)
    assert [(h.written, h.line, h.display) for h in hits] == [
        ("010190-1234", 2, "010190-1234"),
        ("1509874321", 2, "150987-4321"),
    ]
    assert pd.mask_cpr(text) == "Indledning\nBorger 010190-**** og 150987****\nslut"
    assert pd.mask_cpr(text, keep={"1509874321"}) == "Indledning\nBorger 010190-**** og 1509874321\nslut"
    assert pd.mask_cpr(text, mask="XXXXXX-XXXX") == "Indledning\nBorger XXXXXX-XXXX og XXXXXX-XXXX\nslut"
    unchanged = "ingen numre her"
    assert pd.mask_cpr(unchanged) is unchanged


@pytest.mark.parametrize("mask", ["{date}{sep}{serial}", "{date}-1234", "{nope}", "{date"])
def test_a_mask_that_would_leak_or_cannot_be_read_is_refused(mask):
    with pytest.raises(ValueError):
        pd.check_mask(mask)


def test_findings_name_line_and_case():
    content = protocol_with_cpr()
    findings = protocol_findings(content, parse_protocol(content))
    line = line_of(content, PERSONAL)
    assert [(f.display, f.line, f.case) for f in findings] == [
        ("010190-1234", line, 30),
        ("150987-4321", line, 30),
    ]


def test_masking_bytes_keeps_encoding_and_line_ends():
    content = "Linje æ\r\nCPR 010190-1234\r\n".encode("windows-1252")
    masked = mask_content(content, "windows-1252")
    assert masked == "Linje æ\r\nCPR 010190-****\r\n".encode("windows-1252")
    # A zero-width space inside the number hides it from a plain search but not from the parser's normal form.
    sneaky = "CPR 010190\u200b-1234\n".encode()
    assert "1234" not in mask_content(sneaky, "utf-8").decode()


@override_settings(CPR_MASK="{date}{sep}{serial}")
def test_a_bad_mask_setting_stops_the_import_with_a_clear_error(db):
    with pytest.raises(ImproperlyConfigured, match="CPR_MASK"):
        protocol_import(content=protocol_with_cpr(), filename="p.txt")


# --- the import: every public place holds the masked text ------------------------------------------------------


def assert_nothing_public_holds(number_written: str, digits: str):
    for text in Section.objects.values_list("text", flat=True):
        assert number_written not in text and digits not in text
    for row in SearchDocument.objects.values_list("title", "decision", "text_b", "text_c", "text_d"):
        assert not any(digits in (value or "") or number_written in (value or "") for value in row)
    for source in SourceDocument.objects.all():
        assert number_written not in source.text and digits.encode() not in bytes(source.content)


@pytest.mark.django_db
def test_import_masks_case_text_search_index_and_the_public_original(client):
    protocol_import(content=protocol_with_cpr(), filename="p.txt")
    assert_nothing_public_holds(PERSONAL, "0101901234")
    assert_nothing_public_holds("150987" + "4321", "1509874321")
    kerne = Section.objects.get(case__number=30, heading="Sagens kerne").text
    assert "CPR-nr. 010190-****" in kerne and "Journalnummer 150987****" in kerne
    assert "3102901234" in kerne  # not a date, so not masked
    original = client.get(reverse("web:meeting_original", args=["beskaeftigelsesudvalget", "2020-08-11"]))
    assert "(CPR-nr. 010190-****) har klaget" in original.content.decode()
    # The masked text is the version compared next time: the same file again changes nothing.
    assert protocol_import(content=protocol_with_cpr(), filename="p.txt").status == "unchanged"


@pytest.mark.django_db
def test_command_line_import_masks_and_warns_with_line_and_case(tmp_path):
    path = tmp_path / "beskaeftigelsesudvalget-2020-08-11.txt"
    path.write_bytes(protocol_with_cpr())
    out = StringIO()
    call_command("import_protocols", str(path), "--not-personal", "150987-4321", stdout=out, stderr=StringIO())
    line = line_of(path.read_bytes(), PERSONAL)
    assert f"{path}:{line}: warning: CPR number 010190-1234 (case 30) masked" in out.getvalue()
    assert f"{path}:{line}: warning: CPR number 150987-4321 (case 30) kept unmasked (--not-personal)" in out.getvalue()
    kerne = Section.objects.get(case__number=30, heading="Sagens kerne").text
    assert "010190-****" in kerne and NOT_PERSONAL in kerne


# --- the clerk's flow ----------------------------------------------------------------------------------------------


@pytest.fixture
def clerk(client):
    user = User.objects.create_user("clerk")
    user.groups.add(Group.objects.get(name="Clerks"))
    client.force_login(user)
    return user


def upload(client, protocol: bytes, attachments=()) -> Upload:
    data = {"protocol": SimpleUploadedFile("referat.txt", protocol)}
    if attachments:
        data["attachments"] = [SimpleUploadedFile(name, content) for name, content in attachments]
    response = client.post(reverse("publishing:upload"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    return Upload.objects.latest("pk")


@pytest.mark.django_db
def test_preview_lists_each_number_with_line_case_and_document(client, clerk):
    note = f"Notat\n\nBorgeren med CPR-nummer {PERSONAL} er orienteret.".encode()
    scan = minimal_pdf("Sagsakt for 0101901234 vedlagt")
    up = upload(client, protocol_with_cpr(), [("notat.txt", note), ("akt.pdf", scan)])
    page = client.get(up.get_absolute_url()).content.decode()
    section = page[page.index('id="personal-data"') : page.index("</section>", page.index('id="personal-data"'))]
    line = line_of(protocol_with_cpr(), PERSONAL)
    assert "2 mulige CPR-numre" in section
    assert f"linje {line}, sag 30: »010190-1234«" in section
    assert "bilag »notat.txt«, linje 3: »010190-1234«" in section
    assert "bilag »akt.pdf«, linje 1: »0101901234«" in section
    assert f"linje {line}, sag 30: »1509874321«" in section
    assert section.count('name="not_personal"') == 2 and 'form="publish-form"' in section
    assert "3102901234" not in section


@pytest.mark.django_db
def test_publish_masks_unless_confirmed_and_clerks_alone_see_the_original(client, clerk):
    note = f"Notat\n\nBorgeren med CPR-nummer {PERSONAL} er orienteret.".encode()
    scan = minimal_pdf("Sagsakt for 0101901234 vedlagt")
    up = upload(client, protocol_with_cpr(), [("notat.txt", note), ("akt.pdf", scan)])
    response = client.post(
        reverse("publishing:upload_publish", args=[up.pk]), {"not_personal": [NOT_PERSONAL, "9999999999"]}
    )
    assert response.status_code == 302
    up.refresh_from_db()
    assert up.state == Upload.State.PUBLISHED and up.not_personal == [NOT_PERSONAL]
    kerne = Section.objects.get(case__number=30, heading="Sagens kerne").text
    assert "(CPR-nr. 010190-****) har" in kerne and f"Journalnummer {NOT_PERSONAL}." in kerne
    assert_nothing_public_holds(PERSONAL, "0101901234")
    documents = {d.filename: d for d in AttachmentDocument.objects.all()}
    assert "010190-****" in documents["notat.txt"].text and b"010190-****" in bytes(documents["notat.txt"].content)
    assert "0101901234" not in documents["akt.pdf"].html + documents["akt.pdf"].text
    assert bytes(documents["akt.pdf"].content) == b"Sagsakt for 010190**** vedlagt"  # the PDF itself stays out
    # The public original is masked; the unmasked upload is the clerk's, and only the clerk's.
    public = client.get(reverse("web:meeting_original", args=["beskaeftigelsesudvalget", "2020-08-11"]))
    assert "010190-****" in public.content.decode() and PERSONAL not in public.content.decode()
    original_url = reverse("publishing:upload_original", args=[up.pk])
    clerk_view = client.get(original_url)
    assert clerk_view.status_code == 200 and PERSONAL in clerk_view.content.decode()
    assert clerk_view["Cache-Control"] == "private, no-store"
    published_page = client.get(up.get_absolute_url()).content.decode()
    assert "010190-1234: maskeret" in published_page and original_url in published_page
    client.logout()
    assert client.get(original_url).status_code == 302  # to the login page
    User.objects.create_user("reader")
    client.force_login(User.objects.get(username="reader"))
    assert client.get(original_url).status_code == 403


@pytest.mark.django_db
def test_the_unmasked_original_is_purged_with_the_upload(client, clerk):
    up = upload(client, protocol_with_cpr(), [("notat.txt", f"Notat\n\nCPR {PERSONAL}".encode())])
    client.post(reverse("publishing:upload_publish", args=[up.pk]))
    up.refresh_from_db()
    assert up.state == Upload.State.PUBLISHED and bytes(up.content) == protocol_with_cpr()
    assert bytes(UploadAttachment.objects.get(upload=up).content).endswith(PERSONAL.encode())
    out = StringIO()
    call_command("purge_uploads", stdout=out)
    assert bytes(Upload.objects.get(pk=up.pk).content) == protocol_with_cpr()  # younger than 30 days: kept
    Upload.objects.filter(pk=up.pk).update(published_at=timezone.now() - timedelta(days=31))
    call_command("purge_uploads", stdout=out)
    assert re.search(r"the unmasked originals of 1 published upload", out.getvalue())
    up.refresh_from_db()
    assert bytes(up.content) == b"" and bytes(UploadAttachment.objects.get(upload=up).content) == b""
    assert client.get(reverse("publishing:upload_original", args=[up.pk])).status_code == 404
    assert Meeting.objects.get().source.text.count("010190-****") == 1  # the archive keeps its masked copy


@pytest.mark.django_db
def test_an_upload_without_personal_data_keeps_no_second_copy(client, clerk, protocol_bytes):
    up = upload(client, protocol_bytes("2020-08-11"))
    assert up.personal_data == []
    client.post(reverse("publishing:upload_publish", args=[up.pk]))
    up.refresh_from_db()
    assert up.state == Upload.State.PUBLISHED and bytes(up.content) == b""
    assert bytes(up.source.content) == protocol_bytes("2020-08-11")  # verbatim when nothing was masked


@pytest.mark.django_db
def test_command_line_attachment_import_masks_and_warns(tmp_path):
    path = tmp_path / "notat.md"
    path.write_text(f"# Notat\n\nBorgeren med CPR-nummer {PERSONAL} er orienteret.\n")
    out = StringIO()
    call_command("import_attachments", str(path), stdout=out, stderr=StringIO())
    assert f"{path}:3: warning: CPR number 010190-1234 (line 3) masked" in out.getvalue()
    document = AttachmentDocument.objects.get()
    assert "010190-****" in document.text and "010190-****" in document.html
    assert PERSONAL.encode() not in bytes(document.content)


@pytest.mark.django_db
def test_a_reupload_of_a_published_file_with_cpr_numbers_previews_no_change(client, clerk):
    first = upload(client, protocol_with_cpr())
    client.post(reverse("publishing:upload_publish", args=[first.pk]))
    again = upload(client, protocol_with_cpr())
    page = client.get(again.get_absolute_url()).content.decode()
    assert "Mødet findes allerede" in page and "Ingen ændringer." in page


# --- CPR numbers in file names: shown publicly ("Læs bilaget (…)", OParl fileName), so found and masked too -------

PROCESPLAN = (PROTOCOLS.parent / "attachments" / "procesplan-ny-beskaeftigelsespolitik-2020.md").read_bytes()


def test_file_names_are_searched_between_underscores_and_masked_like_the_text():
    from importer.privacy import filename_findings, mask_filename

    found = filename_findings("notat_0101901234_2020.pdf", document="notat_0101901234_2020.pdf")
    assert [(f.number, f.written, f.line, f.in_filename, f.document) for f in found] == [
        ("0101901234", "0101901234", 0, True, "notat_0101901234_2020.pdf")
    ]
    assert mask_filename("referat 010190-1234.txt") == "referat 010190-****.txt"
    assert mask_filename("notat_0101901234_2020.pdf") == "notat_010190****_2020.pdf"
    assert mask_filename("bilag-010190-1234.md", not_personal=["0101901234"]) == "bilag-010190-1234.md"
    assert mask_filename("sag-2020-08-11_12345678901.txt") == "sag-2020-08-11_12345678901.txt"  # no CPR number
    assert filename_findings("referat-2020-08-11.txt") == []


@pytest.mark.django_db
def test_cpr_numbers_in_file_names_are_shown_in_the_preview_and_masked_when_published(client, clerk):
    data = {
        "protocol": SimpleUploadedFile(f"referat {PERSONAL}.txt", protocol_bytes_plain()),
        "attachments": [SimpleUploadedFile("procesplan_0101901234.md", PROCESPLAN)],
    }
    assert client.post(reverse("publishing:upload"), data).status_code == 302
    up = Upload.objects.latest("pk")
    page = client.get(up.get_absolute_url()).content.decode()
    section = page[page.index('id="personal-data"') : page.index("</section>", page.index('id="personal-data"'))]
    assert "1 muligt CPR-nummer" in section and section.count('name="not_personal"') == 1
    assert f"protokollens filnavn: »{PERSONAL}«" in section
    assert "filnavnet på bilag »procesplan_0101901234.md«: »0101901234«" in section
    assert "i filnavnene" in section

    assert client.post(reverse("publishing:upload_publish", args=[up.pk])).status_code == 302
    source = Meeting.objects.get().source
    assert source.filename == "referat 010190-****.txt"
    document = AttachmentDocument.objects.get()
    assert document.filename == "procesplan_010190****.md"
    case = client.get(reverse("web:case_detail", args=["beskaeftigelsesudvalget", "2020-08-11", 30])).content.decode()
    assert "Læs bilaget (procesplan_010190****.md)" in case and "0101901234" not in case
    files = client.get(reverse("oparl:file_list")).content.decode()
    assert "referat 010190-****.txt" in files and "procesplan_010190****.md" in files
    assert "0101901234" not in files and PERSONAL not in files
    # The clerk's history keeps the names as sent until purge_uploads masks them with the rest.
    assert Upload.objects.get(pk=up.pk).filename == f"referat {PERSONAL}.txt"
    Upload.objects.filter(pk=up.pk).update(published_at=timezone.now() - timedelta(days=31))
    call_command("purge_uploads", stdout=StringIO())
    assert Upload.objects.get(pk=up.pk).filename == "referat 010190-****.txt"
    assert UploadAttachment.objects.get(upload=up).filename == "procesplan_010190****.md"


@pytest.mark.django_db
def test_a_file_name_number_confirmed_as_not_personal_stays(client, clerk):
    name = f"journal {NOT_PERSONAL}.txt"
    assert client.post(reverse("publishing:upload"), {"protocol": SimpleUploadedFile(name, protocol_bytes_plain())})
    up = Upload.objects.latest("pk")
    client.post(reverse("publishing:upload_publish", args=[up.pk]), {"not_personal": [NOT_PERSONAL]})
    assert Meeting.objects.get().source.filename == name


@pytest.mark.django_db
def test_command_line_import_masks_the_file_name(tmp_path):
    path = tmp_path / f"beskaeftigelsesudvalget-2020-08-11 {PERSONAL}.txt"
    path.write_bytes(protocol_bytes_plain())
    out = StringIO()
    call_command("import_protocols", str(path), stdout=out, stderr=StringIO())
    assert SourceDocument.objects.get().filename == "beskaeftigelsesudvalget-2020-08-11 010190-****.txt"
    assert f"{path}:0: warning: CPR number 010190-1234 (file name) masked" in out.getvalue()


@pytest.mark.django_db
def test_command_line_attachment_import_masks_the_file_name(tmp_path):
    path = tmp_path / f"notat_{PERSONAL}.md"
    path.write_text("# Notat\n\nBorgeren er orienteret.\n")
    out = StringIO()
    call_command("import_attachments", str(path), stdout=out, stderr=StringIO())
    assert AttachmentDocument.objects.get().filename == "notat_010190-****.md"
    assert f"{path}:0: warning: CPR number 010190-1234 (file name) masked" in out.getvalue()


def protocol_bytes_plain() -> bytes:
    return (PROTOCOLS / "beskaeftigelsesudvalget-2020-08-11.txt").read_bytes()
