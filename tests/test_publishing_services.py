"""The publishing services: preview writes nothing, publish goes through the import service once, and only once."""

import threading

import pytest
from django.db import connection

from cases.models import AttachmentDocument, Case
from importer.load import ImportStatus
from importer.parse import parse_protocol
from importer.records import FORMAT_VERSION, protocol_from_json
from meetings.models import Meeting, SourceDocument
from publishing import preview as preview_module
from publishing import services
from publishing.models import Upload, UploadAttachment
from publishing.preview import build_preview
from tests.conftest import ATTACHMENTS

PROCESPLAN = "procesplan-ny-beskaeftigelsespolitik-2020.md"


def preview(content: bytes, attachments=()) -> Upload:
    return services.upload_preview(user=None, filename="p.txt", content=content, attachments=list(attachments))


@pytest.mark.django_db
def test_preview_writes_nothing_to_the_archive(protocol_bytes):
    upload = preview(protocol_bytes("2022-11-15"), [(PROCESPLAN, (ATTACHMENTS / PROCESPLAN).read_bytes())])
    result = build_preview(upload)
    assert [row.record.number for row in result.cases] == [45, 46, 47, 48, 49, 50, 51]
    assert result.diff.is_new and not result.replaces
    assert not Meeting.objects.exists() and not SourceDocument.objects.exists()
    assert not AttachmentDocument.objects.exists()
    assert UploadAttachment.objects.get(upload=upload).filename == PROCESPLAN
    assert upload.committee_name == "Beskæftigelsesudvalget" and str(upload.meeting_date) == "2022-11-15"


@pytest.mark.django_db
def test_publishing_twice_imports_once(protocol_bytes):
    upload = preview(protocol_bytes("2020-08-11"), [(PROCESPLAN, (ATTACHMENTS / PROCESPLAN).read_bytes())])
    first = services.upload_publish(upload=upload, user=None)
    second = services.upload_publish(upload=upload, user=None)  # a second click on a stale page
    assert first.pk == second.pk and second.state == Upload.State.PUBLISHED
    assert Meeting.objects.count() == 1 and SourceDocument.objects.count() == 1
    assert AttachmentDocument.objects.count() == 1 and Case.objects.count() == 6
    assert UploadAttachment.objects.get().document == AttachmentDocument.objects.get()


@pytest.mark.django_db
def test_two_tabs_with_the_same_file_publish_one_meeting(protocol_bytes):
    one, two = preview(protocol_bytes("2020-08-11")), preview(protocol_bytes("2020-08-11"))
    services.upload_publish(upload=one, user=None)
    with pytest.raises(services.ConfirmationRequired):  # the meeting exists now: the second tab must confirm
        services.upload_publish(upload=two, user=None)
    result = services.upload_publish(upload=two, user=None, confirm_replace=True)
    assert result.import_status == "unchanged" and result.change_lines == ["Ingen ændringer."]
    assert Meeting.objects.count() == 1 and SourceDocument.objects.count() == 1


@pytest.mark.django_db
def test_a_failed_upload_cannot_be_published():
    failed = preview(b"Ikke en protokol\n")
    assert failed.state == Upload.State.FAILED
    with pytest.raises(services.PublishError, match="kan ikke offentliggøres"):
        services.upload_publish(upload=failed, user=None, confirm_replace=True)
    assert not Meeting.objects.exists()


@pytest.mark.django_db
def test_earlier_versions_survive_a_replacement(archive, protocol_bytes):
    meeting = archive["2020-08-11"].meeting
    corrected = protocol_bytes("2020-08-11").replace(b"Taget til efterretning.", b"Taget til efterretning med tak.")
    upload = services.upload_publish(upload=preview(corrected), user=None, confirm_replace=True)
    assert upload.meeting == meeting and upload.import_status == "updated"
    versions = list(SourceDocument.objects.filter(meeting=meeting).order_by("id"))
    assert len(versions) == 2 and bytes(versions[0].content) == protocol_bytes("2020-08-11")
    meeting.refresh_from_db()
    assert meeting.source == versions[1] == upload.source


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL (SQLite serialises writes)")
def test_concurrent_publishes_of_one_upload_import_once(protocol_bytes):
    upload = preview(protocol_bytes("2020-08-11"))
    barrier, results, errors = threading.Barrier(2), [], []

    def publish():
        try:
            barrier.wait()
            results.append(services.upload_publish(upload=upload, user=None))
        except Exception as exc:  # collected and asserted on below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=publish) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert [r.state for r in results] == [Upload.State.PUBLISHED] * 2
    assert Meeting.objects.count() == 1 and SourceDocument.objects.count() == 1


@pytest.mark.django_db
def test_purge_deletes_only_old_unpublished_uploads(protocol_bytes):
    from datetime import timedelta
    from io import StringIO

    from django.core.management import call_command
    from django.core.management.base import CommandError
    from django.utils import timezone

    old_preview = preview(protocol_bytes("2019-10-08"), [(PROCESPLAN, b"# Plan")])
    old_failed = preview(b"\x00\x01 not a protocol")
    published = services.upload_publish(upload=preview(protocol_bytes("2020-08-11")), user=None)
    fresh = preview(protocol_bytes("2022-11-15"))
    long_ago = timezone.now() - timedelta(days=40)
    Upload.objects.exclude(pk=fresh.pk).update(uploaded_at=long_ago)
    assert old_failed.state == Upload.State.FAILED and old_preview.attachments.count() == 1

    out = StringIO()
    call_command("purge_uploads", "--dry-run", stdout=out)
    assert out.getvalue().startswith("would delete 2 unpublished upload(s)") and Upload.objects.count() == 4

    call_command("purge_uploads", stdout=StringIO())
    assert set(Upload.objects.values_list("pk", flat=True)) == {published.pk, fresh.pk}
    assert not UploadAttachment.objects.filter(upload_id=old_preview.pk).exists()
    # The published meeting and its source document are untouched.
    assert Meeting.objects.filter(date="2020-08-11").exists() and published.source_id
    with pytest.raises(CommandError):
        call_command("purge_uploads", "--days", "0")


@pytest.mark.django_db
def test_the_upload_keeps_the_parse_and_what_was_read_from_each_attachment(protocol_bytes):
    upload = preview(protocol_bytes("2020-08-11"), [(PROCESPLAN, (ATTACHMENTS / PROCESPLAN).read_bytes())])
    upload.refresh_from_db()
    assert upload.parsed["format_version"] == FORMAT_VERSION
    assert protocol_from_json(upload.parsed) == parse_protocol(protocol_bytes("2020-08-11"))
    stored = UploadAttachment.objects.get(upload=upload)
    assert (stored.content_type, stored.title) == (
        "text/markdown",
        "Udvikling af ny beskæftigelsespolitik i Rødovre Kommune",
    )
    assert "<h3>Baggrund og formål</h3>" in stored.html and "Sammen med virksomhederne" in stored.text

    published = services.upload_publish(upload=upload, user=None)
    assert published.parsed is None and bytes(published.content) == b""
    stored.refresh_from_db()
    assert (stored.text, stored.html, bytes(stored.content)) == ("", "", b"")
    assert "Sammen med virksomhederne" in stored.document.text and stored.title == stored.document.title


@pytest.mark.django_db
def test_a_parse_stored_by_another_format_version_is_parsed_again(protocol_bytes, monkeypatch):
    upload = preview(protocol_bytes("2022-11-15"))
    # A parse from an older release: same shape, but the version says its fields may mean something else.
    Upload.objects.filter(pk=upload.pk).update(parsed={**upload.parsed, "format_version": 1, "committee": "Forkert"})
    upload.refresh_from_db()
    parses = []
    monkeypatch.setattr(preview_module, "parse_protocol", lambda data: parses.append(data) or parse_protocol(data))
    assert build_preview(upload).protocol.committee == "Beskæftigelsesudvalget"
    result = services.upload_publish(upload=upload, user=None)
    assert len(parses) == 2 and result.meeting.committee.name == "Beskæftigelsesudvalget"


@pytest.mark.django_db
def test_the_import_status_is_kept_with_its_danish_label(archive, protocol_bytes):
    unchanged = services.upload_publish(upload=preview(protocol_bytes("2019-10-08")), user=None, confirm_replace=True)
    assert unchanged.import_status == ImportStatus.UNCHANGED
    assert unchanged.get_import_status_display() == "uændret"
