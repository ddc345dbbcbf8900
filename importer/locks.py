"""One writer per meeting: a lock on (committee, date) that every import takes before it compares.

Two clerks publishing the same meeting, or two `import_protocols` runs overlapping, must not both compare against
the archive as it was and then both write: the second would merge its cases into the first's. `lock_meeting`
serialises them, so the second writer waits and then compares against what the first wrote.
"""

from __future__ import annotations

import datetime as dt
import hashlib

from django.db import connection

from meetings.models import Committee, Meeting


class MeetingChanged(Exception):
    """The meeting is not as the caller last saw it (another writer published it meanwhile); nothing was written.

    `meeting` is the meeting as it is now (None if it has gone).
    """

    def __init__(self, meeting: Meeting | None):
        super().__init__("the meeting was published or changed meanwhile")
        self.meeting = meeting


def _key(*parts: object) -> int:
    """A signed 64-bit key for pg_advisory_xact_lock (a collision only makes two writers wait for each other)."""
    digest = hashlib.blake2b("\x1f".join(map(str, parts)).encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


def _advisory_lock(*parts: object) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_key("rodovre-minutes", *parts)])


def lock_meeting(committee_name: str, date: dt.date) -> None:
    """Hold the meeting (committee as written, date) for this transaction: other writers wait until it ends.

    Must run inside the writing transaction, before anything is read for the comparison. On PostgreSQL it takes
    transaction-scoped advisory locks: one on the committee as written and the date, then one on the committee's
    row id and the date (so "BEU" and "Beskæftigelsesudvalget" exclude each other), or, for a committee not in the
    archive yet, one on creating it (so two meetings of a new committee do not both create it). Locks are always
    taken in that order, so writers cannot deadlock. SQLite needs none: its write transactions begin IMMEDIATE
    (settings), which already admits one writer at a time to the whole database.
    """
    if connection.vendor != "postgresql":
        return
    if not connection.in_atomic_block:
        raise RuntimeError("lock_meeting must be called inside the transaction that writes the meeting")
    written = " ".join(committee_name.split()).casefold()
    _advisory_lock("meeting-as-written", written, date.isoformat())
    committee = Committee.objects.resolve(committee_name)
    if committee is None:
        _advisory_lock("new-committee", written)
        committee = Committee.objects.resolve(committee_name)  # created by the writer we waited for?
    if committee is not None:
        _advisory_lock("meeting", committee.pk, date.isoformat())
