"""One writer per meeting: a lock on (committee, date) that every import takes before it compares.

Two clerks publishing the same meeting, or two `import_protocols` runs overlapping, must not both compare against
the archive as it was and then both write: the second would merge its cases into the first's. `lock_meeting`
serialises them, so the second writer waits and then compares against what the first wrote.

Command-line imports and the background worker wait as long as it takes. A web request must answer within the
server's timeout, so a clerk's publish waits at most `waiting_at_most(seconds)` and then gets `MeetingBusy`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar

from django.db import OperationalError, connection, transaction

from meetings.models import Committee, CommitteeNames, Meeting

# Seconds a writer in this context may wait for a meeting's lock; None: as long as it takes.
_wait_limit: ContextVar[float | None] = ContextVar("meeting_lock_wait", default=None)
_LOCK_NOT_AVAILABLE = "55P03"  # PostgreSQL's SQLSTATE for a lock_timeout that expired


class MeetingChanged(Exception):
    """The meeting is not as the caller last saw it (another writer published it meanwhile); nothing was written.

    `meeting` is the meeting as it is now (None if it has gone).
    """

    def __init__(self, meeting: Meeting | None):
        super().__init__("the meeting was published or changed meanwhile")
        self.meeting = meeting


class MeetingBusy(Exception):
    """Another writer held the meeting longer than this one may wait (`waiting_at_most`); nothing was written."""

    def __init__(self, committee_name: str, date: dt.date):
        super().__init__(f"{committee_name} {date.isoformat()} is being written by another import or publish")
        self.committee_name, self.date = committee_name, date


@contextmanager
def waiting_at_most(seconds: float | None) -> Iterator[None]:
    """Within this block, `lock_meeting` waits at most `seconds` in all, then raises `MeetingBusy` (None: no limit)."""
    token = _wait_limit.set(seconds)
    try:
        yield
    finally:
        _wait_limit.reset(token)


def _key(*parts: object) -> int:
    """A signed 64-bit key for pg_advisory_xact_lock (a collision only makes two writers wait for each other)."""
    digest = hashlib.blake2b("\x1f".join(map(str, parts)).encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


def _advisory_lock(deadline: float | None, *parts: object) -> bool:
    """Take one advisory transaction lock; False if `deadline` (time.monotonic) passed before it was granted."""
    key = _key("rodovre-minutes", *parts)
    with connection.cursor() as cursor:
        if deadline is None:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [key])
            return True
        cursor.execute("SELECT pg_try_advisory_xact_lock(%s)", [key])
        if cursor.fetchone()[0]:
            return True
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            return False
        # Wait in PostgreSQL's queue (first come, first served) with lock_timeout set for this one statement. An
        # expired lock_timeout aborts the statement, so it runs in a savepoint; the setting is put back after it.
        cursor.execute("SELECT current_setting('lock_timeout')")
        previous = cursor.fetchone()[0]
        try:
            with transaction.atomic():
                cursor.execute("SELECT set_config('lock_timeout', %s, true)", [f"{max(1, int(remaining * 1000))}ms"])
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [key])
                cursor.execute("SELECT set_config('lock_timeout', %s, true)", [previous])
        except OperationalError as exc:
            if getattr(exc.__cause__, "sqlstate", None) == _LOCK_NOT_AVAILABLE:
                return False
            raise
        return True


def lock_meeting(committee_name: str, date: dt.date) -> None:
    """Hold the meeting (committee as written, date) for this transaction: other writers wait until it ends.

    Must run inside the writing transaction, before anything is read for the comparison. On PostgreSQL it takes
    transaction-scoped advisory locks: one on the committee as written and the date, then one on the committee's
    row id and the date (so "BEU" and "Beskæftigelsesudvalget" exclude each other), or, for a committee not in the
    archive yet, one on creating it (so two meetings of a new committee do not both create it). Locks are always
    taken in that order, so writers cannot deadlock. SQLite needs none: its write transactions begin IMMEDIATE
    (settings), which already admits one writer at a time to the whole database.

    Inside `waiting_at_most(seconds)` all of these together wait at most that long; then `MeetingBusy` is raised
    (the transaction stays usable, nothing is held that was not held before; the caller rolls back).
    """
    if connection.vendor != "postgresql":
        return
    if not connection.in_atomic_block:
        raise RuntimeError("lock_meeting must be called inside the transaction that writes the meeting")
    limit = _wait_limit.get()
    deadline = None if limit is None else time.monotonic() + limit

    def lock(*parts: object) -> None:
        if not _advisory_lock(deadline, *parts):
            raise MeetingBusy(committee_name, date)

    written = _as_written(committee_name)
    lock("meeting-as-written", written, date.isoformat())
    committee = Committee.objects.resolve(committee_name)
    if committee is None:
        lock("new-committee", written)
        committee = Committee.objects.resolve(committee_name)  # created by the writer we waited for?
    if committee is not None:
        lock("meeting", committee.pk, date.isoformat())


def lock_meetings(meetings: Sequence[tuple[str, dt.date]]) -> None:
    """`lock_meeting` for many meetings (committee as written, date) at once, for a batch import.

    The same locks in the same phases — every meeting as written, then creating the committees the archive lacks,
    then every meeting by committee row — each phase in one statement, its keys in ascending order, so batches and
    single imports cannot deadlock. Within `waiting_at_most` each meeting is locked by `lock_meeting` instead.
    """
    if connection.vendor != "postgresql" or not meetings:
        return
    if not connection.in_atomic_block:
        raise RuntimeError("lock_meetings must be called inside the transaction that writes the meetings")
    if _wait_limit.get() is not None:
        for committee_name, date in meetings:
            lock_meeting(committee_name, date)
        return
    written = {(name, date): _as_written(name) for name, date in meetings}
    _advisory_locks([("meeting-as-written", as_written, date.isoformat()) for (_, date), as_written in written.items()])
    committees = CommitteeNames(Committee.objects.all())
    missing = [as_written for (name, _), as_written in written.items() if committees.resolve(name) is None]
    if missing:
        _advisory_locks([("new-committee", as_written) for as_written in missing])
        committees = CommitteeNames(Committee.objects.all())  # created by the writers we waited for?
    _advisory_locks(
        [
            ("meeting", committee.pk, date.isoformat())
            for name, date in written
            if (committee := committees.resolve(name)) is not None
        ]
    )


def _as_written(committee_name: str) -> str:
    """A committee as written, for a lock key: "Teknik-  og Miljøudvalget" and "teknik- og miljøudvalget" are one."""
    return " ".join(committee_name.split()).casefold()


def _advisory_locks(keys: list[tuple]) -> None:
    """Take these advisory transaction locks in one statement, in ascending key order."""
    ordered = sorted({_key("rodovre-minutes", *parts) for parts in keys})
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(pg_advisory_xact_lock(k)) FROM unnest(%s::bigint[]) AS k", [ordered])
