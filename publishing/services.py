"""Writes of the clerk workflow: record an upload for preview, and publish it through the import services."""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from collections.abc import Collection

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from importer.attachments import AttachmentError, attachment_import, extract
from importer.load import ANY_SOURCE, AgendaAfterMinutes, MeetingChanged, MeetingExists, protocol_import
from importer.locks import MeetingBusy, waiting_at_most
from importer.messages import attachment_error_text, error_text
from importer.parse import parse_protocol
from importer.privacy import document_findings, filename_findings, mask_extraction, mask_filename, protocol_findings
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


class BeingPublished(PublishError):
    """Another writer (a clerk, the worker, an import) is writing this meeting right now and did not finish within
    the wait the caller allowed (`lock_wait`); nothing was written, and trying again shortly will work."""


class NoLongerQueued(PublishError):
    """The background attempt this publish belonged to was given up or queued again meanwhile; nothing was done."""


class PublishedMeanwhile(PublishError):
    """Someone else published (or replaced) this meeting after the clerk's preview: compare again.

    `meeting` is the meeting as the archive holds it now (None if it has gone since).
    """

    def __init__(self, message: str, meeting=None):
        super().__init__(message)
        self.meeting = meeting


def published_meanwhile_text() -> str:
    return _(
        "Mødet er blevet offentliggjort i mellemtiden af en anden, efter at du så forhåndsvisningen. Intet af din "
        "upload er offentliggjort. Sammenlign igen med det, der nu ligger i arkivet, før du offentliggør."
    )


def being_published_text() -> str:
    return _(
        "Mødet offentliggøres lige nu af en anden (en anden upload eller en import), og det tog længere end "
        "ventetiden her. Intet af din upload er offentliggjort endnu. Vent et øjeblik, og prøv igen."
    )


def agenda_after_minutes_text() -> str:
    return _(
        "Arkivet har allerede referatet af dette møde. En dagsorden kan ikke erstatte et referat; intet er "
        "offentliggjort. Er referatet forkert, så upload det rettede referat."
    )


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
    # CPR numbers are looked for once, here, in the texts and in the file names (which are public too); the
    # preview lists them and publishing masks them.
    findings = filename_findings(filename) + protocol_findings(content, protocol)
    for (name, data), read in zip(attachments, extractions, strict=True):
        findings += filename_findings(name, document=name) + document_findings(data, read, name)
    upload.personal_data = [finding.to_json() for finding in findings]
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


def upload_publish(
    *,
    upload: Upload,
    user,
    confirm_replace: bool = False,
    not_personal: Collection[str] = (),
    expect_source: int | object | None = ANY_SOURCE,
    lock_wait: float | None = None,
    queued_at: dt.datetime | None = None,
) -> Upload:
    """Publish an upload: import its protocol and attachment documents into the archive in one transaction.

    Uses the parse and the attachment texts stored at upload; nothing is parsed or read again unless the stored
    parse is from another format version. Idempotent: the Upload row is locked and its state checked first, so a
    second submit (double click, a second tab) finds it published and returns it without importing again.

    One writer per meeting: the import locks the meeting before it compares. `expect_source` is the meeting's
    SourceDocument id the clerk's preview compared with (None: the meeting was new); if another writer has
    published the meeting since, `PublishedMeanwhile` is raised and nothing is written. CPR numbers found at
    upload are masked in everything published except those in `not_personal` (ten digits each, confirmed by the
    clerk as not personal; numbers not found at upload are ignored).

    `lock_wait` bounds the wait for a meeting another writer is writing (a web request must answer in time):
    after that many seconds `BeingPublished` is raised and nothing is written; None waits as long as it takes (the
    worker). `queued_at` is the background attempt this publish belongs to (`tasks.publish_upload`): if the upload is
    not queued as that attempt any more, `NoLongerQueued` is raised and nothing is done.

    Raises `ConfirmationRequired` when the meeting already exists and `confirm_replace` is false, and
    `PublishError` when the stored files no longer parse (the upload is then marked failed). Returns the published
    Upload, with `meeting` and `source` set.
    """
    found = {hit["number"] for hit in upload.personal_data}
    not_personal = sorted(found.intersection(not_personal))
    try:
        for attempt in range(2):
            try:
                with transaction.atomic(), waiting_at_most(lock_wait):
                    locked = Upload.objects.select_for_update().get(pk=upload.pk)
                    if queued_at is not None and (
                        locked.state != Upload.State.PUBLISHING or locked.publish_queued_at != queued_at
                    ):
                        raise NoLongerQueued(_("Offentliggørelsen blev sat i gang igen eller opgivet."))
                    if locked.state == Upload.State.PUBLISHED:
                        return locked
                    if locked.state not in (Upload.State.PREVIEW, Upload.State.PUBLISHING):
                        raise PublishError(
                            _("Denne upload kan ikke offentliggøres: %(error)s") % {"error": locked.error}
                        )
                    _publish_locked(
                        locked,
                        user=user,
                        confirm_replace=confirm_replace,
                        not_personal=not_personal,
                        expect_source=expect_source,
                    )
                    return locked
            except IntegrityError:
                # Another import created a row this one needed (a new person or committee shared by two meetings)
                # between our check and our insert. Everything was rolled back; once more sees that row.
                if attempt:
                    logger.exception("Publishing upload %s collided with a concurrent import twice", upload.pk)
                    raise PublishError(
                        _("Arkivet blev ændret af en anden import samtidig. Intet er offentliggjort; prøv igen.")
                    ) from None
        raise AssertionError("unreachable")
    except MeetingBusy as exc:
        raise BeingPublished(being_published_text()) from exc
    except (ProtocolError, AttachmentError) as exc:
        message = error_text(exc) if isinstance(exc, ProtocolError) else attachment_error_text(exc)
        Upload.objects.filter(pk=upload.pk, state__in=[Upload.State.PREVIEW, Upload.State.PUBLISHING]).update(
            state=Upload.State.FAILED, error=message
        )
        raise PublishError(message) from exc


def publishes_in_background(upload: Upload) -> bool:
    """Whether this upload is too large to publish within a request (`PUBLISH_INLINE_MAX_CASES`)."""
    cases = len((upload.parsed or {}).get("cases") or ())
    return cases > settings.PUBLISH_INLINE_MAX_CASES


def _publish_locked(
    upload: Upload, *, user, confirm_replace: bool, not_personal: list[str], expect_source: int | object | None
) -> None:
    # The import decides on the archive as it is now, not as it was at preview time: another clerk may have
    # published this meeting since, so `replace` is checked there, against the same diff that it then writes.
    try:
        result = protocol_import(
            content=bytes(upload.content),
            filename=upload.filename,
            protocol=stored_protocol(upload),
            user=user,
            replace=confirm_replace,
            not_personal=not_personal,
            expect_source=expect_source,
        )
    except MeetingChanged as exc:
        raise PublishedMeanwhile(published_meanwhile_text(), exc.meeting) from exc
    except AgendaAfterMinutes as exc:
        raise PublishError(agenda_after_minutes_text()) from exc
    except MeetingExists as exc:
        raise ConfirmationRequired(
            _("Mødet findes allerede i arkivet. Se ændringerne, og sæt hak for at bekræfte, at det skal erstattes.")
        ) from exc
    for attachment in upload.attachments.all():
        original = bytes(attachment.content)
        extraction = attachment.extraction or extract(original, attachment.filename)
        content, extraction = mask_extraction(original, extraction, not_personal=not_personal)
        filename = mask_filename(attachment.filename, not_personal=not_personal)  # public: "Læs bilaget (…)"
        imported = attachment_import(content=content, filename=filename, extraction=extraction)
        attachment.document = imported.document
        # The archive now holds the bytes and what was read from them (AttachmentDocument); a second copy here
        # serves no one, unless CPR numbers were masked in the archive's copy: then the unmasked original stays
        # here, for clerks only, until `purge_uploads` removes it. The title stays for the upload's history.
        if content == original:
            attachment.content = b""
        attachment.text, attachment.html = "", ""
        attachment.save(update_fields=["document", "content", "text", "html"])
    upload.state = Upload.State.PUBLISHED
    upload.meeting = result.meeting
    upload.source = result.source
    upload.import_status = result.status
    upload.changes = "\n".join(diff_lines(result.diff))
    upload.published_by = user
    upload.published_at = timezone.now()
    upload.not_personal = not_personal
    upload.publish_error = ""
    upload.publish_queued_at = None
    if not upload.holds_unmasked:
        upload.content = b""  # kept verbatim in the SourceDocument linked as `source`
    upload.parsed = None  # the archive holds what was read; the SourceDocument can be parsed again
    upload.save()
