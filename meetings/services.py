"""Writes to meetings that are not imports: withdrawing a meeting from the public archive and restoring it."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from meetings.models import Meeting


@transaction.atomic
def meeting_withdraw(*, meeting: Meeting) -> Meeting:
    """Take a meeting (and with it its cases) out of the public archive; its rows and history stay.

    `updated_at` moves too, so cached pages and feeds revalidate. Withdrawing a withdrawn meeting changes nothing.
    """
    if meeting.withdrawn_at is None:
        meeting.withdrawn_at = timezone.now()
        meeting.save(update_fields=["withdrawn_at", "updated_at"])
    return meeting


@transaction.atomic
def meeting_restore(*, meeting: Meeting) -> Meeting:
    """Put a withdrawn meeting back in the public archive."""
    if meeting.withdrawn_at is not None:
        meeting.withdrawn_at = None
        meeting.save(update_fields=["withdrawn_at", "updated_at"])
    return meeting
