"""Background work of the clerk workflow: publishing a protocol too large to import within a web request.

Runs in the django-tasks worker (`manage.py db_worker`, see README); under the immediate backend (laptop, tests)
it runs at once, in the request that queued it.
"""

from __future__ import annotations

import logging
from collections.abc import Collection

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils.translation import gettext as _
from django_tasks import task

from importer.load import ANY_SOURCE
from publishing import services
from publishing.models import Upload

logger = logging.getLogger(__name__)


@task()
def publish_upload(
    *, upload_id: int, user_id: int | None, confirm_replace: bool, not_personal: list[str], expect_source
) -> str:
    """Publish a queued upload (state "publishing") through `services.upload_publish`; returns the final state.

    What stops the publish (the meeting published meanwhile, the replace not confirmed, a file that no longer
    parses) is kept on the upload for the clerk's status page; the upload goes back to preview, or to failed.
    """
    upload = Upload.objects.filter(pk=upload_id, state=Upload.State.PUBLISHING).first()
    if upload is None:  # published, failed or deleted meanwhile: nothing to do
        return "gone"
    user = get_user_model().objects.filter(pk=user_id).first() if user_id else None
    try:
        services.upload_publish(
            upload=upload,
            user=user,
            confirm_replace=confirm_replace,
            not_personal=not_personal,
            expect_source=ANY_SOURCE if expect_source == "any" else expect_source,
        )
    except services.PublishError as exc:
        _back_to_preview(upload_id, exc.message)
        return "refused"
    except Exception:
        logger.exception("Publishing upload %s in the background failed", upload_id)
        _back_to_preview(upload_id, _("Offentliggørelsen mislykkedes på grund af en uventet fejl. Intet er ændret."))
        raise
    return "published"


def _back_to_preview(upload_id: int, message: str) -> None:
    Upload.objects.filter(pk=upload_id, state=Upload.State.PUBLISHING).update(
        state=Upload.State.PREVIEW, publish_error=message
    )


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
    locked.state, locked.publish_error = Upload.State.PUBLISHING, ""
    locked.save(update_fields=["state", "publish_error"])
    arguments = {
        "upload_id": locked.pk,
        "user_id": getattr(user, "pk", None),
        "confirm_replace": confirm_replace,
        "not_personal": list(not_personal),
        "expect_source": "any" if expect_source is ANY_SOURCE else expect_source,
    }
    transaction.on_commit(lambda: publish_upload.enqueue(**arguments))
    return locked
