"""Background work of the clerk workflow: publishing a protocol too large to import within a web request.

Runs in the django-tasks worker (`manage.py db_worker`, see README); under the immediate backend (laptop, tests)
it runs at once, in the request that queued it.

A worker can die (killed, out of memory) or a task get lost, and the upload would wait in "publishing" for ever.
So a publish not finished `PUBLISH_TIMEOUT` seconds after it was queued counts as stalled: `release_if_stalled`
sends it back to preview with a message (the clerk can try again), and `purge_uploads` deletes it like a preview
nobody published. Each queued task carries the time its upload was queued, so a task from an earlier attempt that
runs late never publishes a later attempt with the earlier attempt's choices.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Collection

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import DatabaseError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_tasks import task

from importer.load import ANY_SOURCE
from publishing import services
from publishing.models import Upload

logger = logging.getLogger(__name__)


@task()
def publish_upload(
    *,
    upload_id: int,
    user_id: int | None,
    confirm_replace: bool,
    not_personal: list[str],
    expect_source,
    queued_at: str | None = None,
) -> str:
    """Publish a queued upload (state "publishing") through `services.upload_publish`; returns the final state.

    What stops the publish (the meeting published meanwhile, the replace not confirmed, a file that no longer
    parses) is kept on the upload for the clerk's status page; the upload goes back to preview, or to failed.
    `queued_at` is when this attempt was queued: if the upload has been queued again since (or given up as stalled),
    this task does nothing.
    """
    attempt = dt.datetime.fromisoformat(queued_at) if queued_at else None
    upload = Upload.objects.filter(pk=upload_id, state=Upload.State.PUBLISHING).first()
    if upload is None or (attempt is not None and upload.publish_queued_at != attempt):
        return "gone"  # published, failed, deleted, given up or queued again meanwhile: nothing to do
    user = get_user_model().objects.filter(pk=user_id).first() if user_id else None
    try:
        services.upload_publish(
            upload=upload,
            user=user,
            confirm_replace=confirm_replace,
            not_personal=not_personal,
            expect_source=ANY_SOURCE if expect_source == "any" else expect_source,
            queued_at=attempt,
        )
    except services.NoLongerQueued:
        return "gone"
    except services.PublishError as exc:
        _back_to_preview(upload_id, attempt, exc.message)
        return "refused"
    except Exception:
        logger.exception("Publishing upload %s in the background failed", upload_id)
        _back_to_preview(
            upload_id, attempt, _("Offentliggørelsen mislykkedes på grund af en uventet fejl. Intet er ændret.")
        )
        raise
    return "published"


def _back_to_preview(upload_id: int, attempt: dt.datetime | None, message: str) -> None:
    queued = Upload.objects.filter(pk=upload_id, state=Upload.State.PUBLISHING)
    if attempt is not None:
        queued = queued.filter(publish_queued_at=attempt)
    queued.update(state=Upload.State.PREVIEW, publish_error=message, publish_queued_at=None)


@transaction.atomic
def upload_publish_later(
    *,
    upload: Upload,
    user,
    confirm_replace: bool = False,
    not_personal: Collection[str] = (),
    expect_source: int | object | None = ANY_SOURCE,
) -> Upload:
    """Queue the upload for publishing by the background worker (`publish_upload` below).

    The upload goes to state "publishing" at once, so a second submit does not queue it twice; the task is queued
    when this transaction commits. The worker calls `services.upload_publish` with the same arguments; what it
    could not do (the meeting published meanwhile, confirmation missing) is kept in `publish_error`, the upload back
    in preview.
    """
    locked = Upload.objects.select_for_update().get(pk=upload.pk)
    if locked.state != Upload.State.PREVIEW:
        return locked
    locked.state, locked.publish_error, locked.publish_queued_at = Upload.State.PUBLISHING, "", timezone.now()
    locked.save(update_fields=["state", "publish_error", "publish_queued_at"])
    arguments = {
        "upload_id": locked.pk,
        "user_id": getattr(user, "pk", None),
        "confirm_replace": confirm_replace,
        "not_personal": list(not_personal),
        "expect_source": "any" if expect_source is ANY_SOURCE else expect_source,
        "queued_at": locked.publish_queued_at.isoformat(),
    }
    transaction.on_commit(lambda: publish_upload.enqueue(**arguments))
    return locked


def stalled_text() -> str:
    minutes = max(1, round(settings.PUBLISH_TIMEOUT / 60))
    return ngettext(
        "Offentliggørelsen i baggrunden blev ikke færdig inden for %(minutes)d minut. Baggrundsprocessen er "
        "formentlig stoppet undervejs. Intet i arkivet er ændret. Se forhåndsvisningen igen, og prøv igen; sker "
        "det igen, så kontakt en administrator.",
        "Offentliggørelsen i baggrunden blev ikke færdig inden for %(minutes)d minutter. Baggrundsprocessen er "
        "formentlig stoppet undervejs. Intet i arkivet er ændret. Se forhåndsvisningen igen, og prøv igen; sker "
        "det igen, så kontakt en administrator.",
        minutes,
    ) % {"minutes": minutes}


def release_if_stalled(upload: Upload) -> Upload:
    """Give up a stalled background publish (`Upload.stalled`): back to preview, `publish_error` saying why.

    The worker holds the upload's row locked for as long as it publishes it, so a row that is locked now is being
    published after all, however long it takes: it is left alone (on SQLite, whose writers take turns, the same
    holds for a write that cannot get its turn). Returns the upload as it is now.
    """
    if not upload.stalled:
        return upload
    try:
        with transaction.atomic():
            locked = Upload.objects.select_for_update(nowait=True).stalled().filter(pk=upload.pk).first()
            if locked is not None:
                locked.state, locked.publish_error, locked.publish_queued_at = (
                    Upload.State.PREVIEW,
                    stalled_text(),
                    None,
                )
                locked.save(update_fields=["state", "publish_error", "publish_queued_at"])
                logger.warning("Background publish of upload %s stalled; sent back to preview", upload.pk)
    except DatabaseError:  # the worker is at it right now
        return upload
    upload.refresh_from_db()
    return upload
