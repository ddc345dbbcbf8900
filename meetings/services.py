"""Writes to meetings that are not imports: withdrawing a meeting from the public archive and restoring it; and
`archive_changed`, which every write the public can see calls (these, the importer's, the admin's)."""

from __future__ import annotations

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from meetings.counts import counts_refresh
from meetings.models import ArchiveVersion, Meeting


def archive_changed() -> None:
    """Move the archive's version on: every cached public page is stale from the moment this transaction commits.

    Call it in the transaction that changes anything the public sees (an import, a withdrawal, an admin edit).
    The row stays locked until that commit, so concurrent writers move it on one after another; call it last.
    """
    now = timezone.now()
    if not ArchiveVersion.objects.filter(pk=1).update(version=F("version") + 1, changed_at=now):
        ArchiveVersion.objects.get_or_create(pk=1)
        ArchiveVersion.objects.filter(pk=1).update(version=F("version") + 1, changed_at=now)


@transaction.atomic
def meeting_withdraw(*, meeting: Meeting) -> Meeting:
    """Take a meeting (and with it its cases) out of the public archive; its rows and history stay.

    `updated_at` and the archive's version move too, so cached pages are replaced and feeds revalidate, and the
    committee's and attendees' kept totals follow. Withdrawing a withdrawn meeting changes nothing.
    """
    if meeting.withdrawn_at is None:
        meeting.withdrawn_at = timezone.now()
        meeting.save(update_fields=["withdrawn_at", "updated_at"])
        counts_refresh(meetings=[meeting.pk])
        archive_changed()
    return meeting


@transaction.atomic
def meeting_restore(*, meeting: Meeting) -> Meeting:
    """Put a withdrawn meeting back in the public archive."""
    if meeting.withdrawn_at is not None:
        meeting.withdrawn_at = None
        meeting.save(update_fields=["withdrawn_at", "updated_at"])
        counts_refresh(meetings=[meeting.pk])
        archive_changed()
    return meeting
