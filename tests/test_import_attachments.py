"""Attachment documents: extraction, sanitising, and matching to the right bilag whenever either side arrives."""

import pytest

from cases.models import Attachment, AttachmentDocument
from importer.attachments import AttachmentError, attachment_import, extract
from importer.load import protocol_import
from tests.conftest import ATTACHMENTS
from tests.factories import minimal_pdf

pytestmark = pytest.mark.django_db

PROCESPLAN = "procesplan-ny-beskaeftigelsespolitik-2020.md"
PLAN = "beskaeftigelsesplan-2019-2020.txt"


def test_the_procesplan_is_linked_to_bilag_1_of_sag_30_and_the_2019_plan_stays_unmatched(archive):
    attachment = Attachment.objects.get(document__filename=PROCESPLAN)
    assert (attachment.case.number, attachment.number, str(attachment.case.meeting.date)) == (30, 1, "2020-08-11")
    plan = AttachmentDocument.objects.get(filename=PLAN)
    assert not plan.attachments.exists()
    assert plan.title == "Beskæftigelsesplan 2019 / 2020 for Jobcenter"


def test_a_document_imported_before_its_protocol_is_linked_when_the_case_arrives(db, protocol_bytes):
    result = attachment_import(content=(ATTACHMENTS / PROCESPLAN).read_bytes(), filename=PROCESPLAN)
    assert result.created and result.attachment is None
    protocol_import(content=protocol_bytes("2020-08-11"), filename="p.txt")
    attachment = Attachment.objects.get(document=result.document)
    assert (attachment.case.number, attachment.number) == (30, 1)


def test_importing_the_same_document_twice_stores_it_once(archive):
    again = attachment_import(content=(ATTACHMENTS / PROCESPLAN).read_bytes(), filename="kopi.md")
    assert not again.created
    assert AttachmentDocument.objects.count() == 2
    assert again.attachment.case.number == 30


def test_markdown_is_rendered_and_sanitised():
    content = b"# Titel\n\nTekst med <script>alert(1)</script> og [link](javascript:alert(2)).\n\n- et punkt\n"
    content_type, title, text, html = extract(content, "x.md")
    assert content_type == "text/markdown" and title == "Titel"
    assert "<h1>Titel</h1>" in html and "<li>et punkt</li>" in html
    assert "<script" not in html and "javascript:" not in html
    assert "Tekst med" in text and "<" not in text.replace("alert(1)", "")


def test_plain_text_keeps_its_paragraphs_and_is_escaped():
    _, title, _text, html = extract("Første linje\n\nAnden <b>del</b>\nfortsat".encode(), "x.txt")
    assert title == "Første linje"
    assert html == "<p>Første linje</p>\n<p>Anden &lt;b&gt;del&lt;/b&gt;<br>fortsat</p>"


def test_the_fixture_markdown_keeps_its_headings_and_lists():
    _, title, text, html = extract((ATTACHMENTS / PROCESPLAN).read_bytes(), PROCESPLAN)
    assert title == "Udvikling af ny beskæftigelsespolitik i Rødovre Kommune"
    assert "<h3>Baggrund og formål</h3>" in html and "<ol>" in html
    assert "Sammen med virksomhederne" in text


@pytest.mark.parametrize(
    ("content", "filename", "message"),
    [
        (b"x", "bilag.exe", "unsupported file type"),
        (b"", "tom.txt", "tom.txt"),
        (b"\x00\x01\x02binary", "binær.txt", "binær.txt"),
        (b"not a pdf", "bilag.pdf", "not a readable PDF"),
    ],
)
def test_unreadable_documents_are_refused_with_the_file_name(content, filename, message):
    with pytest.raises(AttachmentError) as info:
        extract(content, filename)
    assert message in str(info.value)


def test_a_pdf_attachment_has_its_text_extracted_and_is_linked_by_its_title(archive):
    pdf = minimal_pdf("Bilag BEU Hvide bokse")
    content_type, title, text, html = extract(pdf, "hvide-bokse.pdf")
    assert (content_type, title, text) == ("application/pdf", "Bilag BEU Hvide bokse", "Bilag BEU Hvide bokse")
    assert html == "<p>Bilag BEU Hvide bokse</p>"
    result = attachment_import(content=pdf, filename="../../etc/hvide-bokse.pdf")
    assert result.document.filename == "hvide-bokse.pdf"  # a file name is never a path
    assert (result.attachment.case.number, result.attachment.number) == (33, 2)
