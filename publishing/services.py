"""Writes of the clerk workflow: record an upload for preview, and publish it through the import services."""

from __future__ import annotations

import hashlib
import logging

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from importer.attachments import AttachmentError, attachment_import, extract
from importer.load import MeetingExists, protocol_import
from importer.messages import attachment_error_text, error_text
from importer.parse import parse_protocol
from importer.records import ProtocolError, protocol_to_json
from publishing.models import Upload, UploadAttachment
from publishing.preview import diff_lines, stored_protocol

logger = logging.getLogger(__name__)


class PublishError(Exception):
    """Publishing did not happen; `message` says why in Danish."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class ConfirmationRequired(PublishError):
    """The meeting is already in the archive and the clerk has not confirmed replacing it."""


def _sha256(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


@transaction.atomic
def upload_preview(*, user, filename: str, content: bytes, attachments: list[tuple[str, bytes]]) -> Upload:
    """Record an upload and keep its files for the preview; writes nothing to the archive.

    The protocol is parsed and each attachment read here, once: the parse is stored on the Upload (`parsed`) and
    what was read from each attachment on its UploadAttachment, for the preview and the publish to use. A protocol
    that cannot be parsed (or an attachment that cannot be read) gives an Upload in state "failed" with the reason
    in Danish in `error` and no file content kept; the caller shows the reason and stops there.
    """
    upload = Upload(uploaded_by=user, filename=filename, sha256=_sha256(content), size=len(content))
    try:
        protocol = parse_protocol(content)
        extractions = [extract(data, name) for name, data in attachments]
    except ProtocolError as exc:
        upload.state, upload.error = Upload.State.FAILED, error_text(exc)
    except AttachmentError as exc:
        upload.state, upload.error = Upload.State.FAILED, attachment_error_text(exc)
    except Exception:  # a parser bug on odd input must not become a server error for the clerk
        logger.exception("Parsing uploaded protocol %s (sha256 %s) failed unexpectedly", filename, upload.sha256)
        upload.state = Upload.State.FAILED
        upload.error = _("Protokollen kunne ikke læses på grund af en uventet fejl. Kontakt en administrator.")
    if upload.state == Upload.State.FAILED:
        upload.save()
        return upload

    upload.content = content
    upload.parsed = protocol_to_json(protocol)
    upload.committee_name = protocol.committee[:200]
    upload.meeting_date = protocol.date
    upload.save()
    UploadAttachment.objects.bulk_create(
        UploadAttachment(
            upload=upload,
            position=i,
            filename=name,
            sha256=_sha256(data),
            content=data,
            content_type=read.content_type,
            title=read.title[:500],
            text=read.text,
            html=read.html,
        )
        for i, ((name, data), read) in enumerate(zip(attachments, extractions, strict=True))
    )
    return upload


def upload_publish(*, upload: Upload, user, confirm_replace: bool = False) -> Upload:
    """Publish an upload: import its protocol and attachment documents into the archive in one transaction.

    Uses the parse and the attachment texts stored at upload; nothing is parsed or read again unless the stored
    parse is from another format version. Idempotent: the Upload row is locked and its state checked first, so a
    second submit (double click, a second tab) finds it published and returns it without importing again. Raises
    `ConfirmationRequired` when the meeting already exists and `confirm_replace` is false, and `PublishError` when
    the stored files no longer parse (the upload is then marked failed). Returns the published Upload, with
    `meeting` and `source` set.
    """
    try:
        with transaction.atomic():
            locked = Upload.objects.select_for_update().get(pk=upload.pk)
            if locked.state == Upload.State.PUBLISHED:
                return locked
            if locked.state != Upload.State.PREVIEW:
                raise PublishError(_("Denne upload kan ikke offentliggøres: %(error)s") % {"error": locked.error})
            _publish_locked(locked, user=user, confirm_replace=confirm_replace)
            return locked
    except (ProtocolError, AttachmentError) as exc:
        message = error_text(exc) if isinstance(exc, ProtocolError) else attachment_error_text(exc)
        Upload.objects.filter(pk=upload.pk, state=Upload.State.PREVIEW).update(state=Upload.State.FAILED, error=message)
        raise PublishError(message) from exc


def _publish_locked(upload: Upload, *, user, confirm_replace: bool) -> None:
    # The import decides on the archive as it is now, not as it was at preview time: another clerk may have
    # published this meeting since, so `replace` is checked there, against the same diff that it then writes.
    try:
        result = protocol_import(
            content=bytes(upload.content),
            filename=upload.filename,
            protocol=stored_protocol(upload),
            user=user,
            replace=confirm_replace,
        )
    except MeetingExists as exc:
        raise ConfirmationRequired(
            _("Mødet findes allerede i arkivet. Se ændringerne, og sæt hak for at bekræfte, at det skal erstattes.")
        ) from exc
    for attachment in upload.attachments.all():
        imported = attachment_import(
            content=bytes(attachment.content), filename=attachment.filename, extraction=attachment.extraction
        )
        attachment.document = imported.document
        # The archive now holds the bytes and what was read from them (AttachmentDocument); a second copy here
        # serves no one. The title stays for the upload's history.
        attachment.content, attachment.text, attachment.html = b"", "", ""
        attachment.save(update_fields=["document", "content", "text", "html"])
    upload.state = Upload.State.PUBLISHED
    upload.meeting = result.meeting
    upload.source = result.source
    upload.import_status = result.status
    upload.changes = "\n".join(diff_lines(result.diff))
    upload.published_by = user
    upload.published_at = timezone.now()
    upload.content = b""  # kept verbatim in the SourceDocument linked as `source`
    upload.parsed = None  # the archive holds what was read; the SourceDocument can be parsed again
    upload.save()
