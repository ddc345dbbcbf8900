"""The kept totals: cases per meeting, published meetings/cases/decisions per committee, attendance per person.

Pages read these fields instead of counting the archive on every request. They are recounted here, for just the
rows a write touched, by the service that made the write (the import, withdrawal and restoration, the admin's
save and delete hooks) in the same transaction — never by a signal. Each recount reads the touched meetings' cases,
the touched committees' meetings and the touched people's attendance through their indexes (whatever the
archive's size) and writes each kind of row in one UPDATE.

A meeting's totals count its own cases whether or not it is published; a committee's and a person's count only
published meetings (`published_q`), so withdrawing a meeting changes them and not the meeting's.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence

from django.db.models import Count, F, Max, Min, Sum, Value
from django.db.models.functions import Coalesce, Greatest, Least

from meetings.models import Attendance, Committee, Meeting, Person


def counts_refresh(*, meetings: Iterable[int] = (), committees: Iterable[int] = (), people: Iterable[int] = ()) -> None:
    """Recount the given meetings, their committees and the people attending them, plus the committees and people
    given (e.g. those a meeting was moved away from, or whose attendance rows were just deleted).

    Call it after the write, inside its transaction: for each kind of row, a read through indexes and one UPDATE.
    The committee and person rows are locked before they are counted, so two transactions recounting the same
    committee (two meetings of it imported at once) count one after the other, the second seeing the first's
    meeting, instead of both writing a total that misses the other's.
    """
    meeting_ids = set(meetings)
    committee_ids, person_ids = set(committees), set(people)
    if meeting_ids:
        _refresh_meetings(meeting_ids)
        committee_ids |= set(Meeting.objects.filter(pk__in=meeting_ids).values_list("committee_id", flat=True))
        person_ids |= set(Attendance.objects.filter(meeting_id__in=meeting_ids).values_list("person_id", flat=True))
    if committee_ids:
        _lock(Committee, committee_ids)
        _refresh_committees(committee_ids)
    if person_ids:
        _lock(Person, person_ids)
        _refresh_people(person_ids)


def counts_add_meetings(meetings: Sequence[Meeting], attendances: Iterable[Attendance]) -> None:
    """The kept totals after new, published meetings were written with their cases and attendance: the meetings'
    own are counted, their committees' and attendees' moved on by increments — one UPDATE per committee and per
    group of attendees with the same increments. Atomic, so meetings of one committee imported at once add up, and
    nothing is recounted."""
    own = {meeting.pk: meeting for meeting in _refresh_meetings({m.pk for m in meetings})}
    by_committee: dict[int, list[Meeting]] = defaultdict(list)
    for meeting in meetings:
        by_committee[meeting.committee_id].append(meeting)
    for committee_id, added in sorted(by_committee.items()):  # in id order, as _lock: no deadlock
        first, last = min(m.date for m in added), max(m.date for m in added)
        Committee.objects.filter(pk=committee_id).update(
            meeting_count=F("meeting_count") + len(added),
            case_count=F("case_count") + sum(own[m.pk].case_count for m in added),
            decision_count=F("decision_count") + sum(own[m.pk].decision_count for m in added),
            first_meeting=Least(Coalesce(F("first_meeting"), Value(first)), Value(first)),
            last_meeting=Greatest(Coalesce(F("last_meeting"), Value(last)), Value(last)),
        )
    dates = {meeting.pk: meeting.date for meeting in meetings}
    per_person: dict[int, tuple[int, int, dt.date]] = {}
    for attendance in attendances:
        date = dates[attendance.meeting_id]
        count, present, last = per_person.get(attendance.person_id, (0, 0, date))
        per_person[attendance.person_id] = (count + 1, present + attendance.present, max(last, date))
    groups: dict[tuple[int, int, dt.date], list[int]] = defaultdict(list)
    for person_id, increments in per_person.items():
        groups[increments].append(person_id)
    if len(groups) > 1:  # several statements: their rows locked in id order first, as counts_refresh does
        _lock(Person, set(per_person))
    for (count, present, last), people in groups.items():
        Person.objects.filter(pk__in=people).update(
            meeting_count=F("meeting_count") + count,
            present_count=F("present_count") + present,
            last_seen=Greatest(Coalesce(F("last_seen"), Value(last)), Value(last)),
        )


def _lock(model, ids: set[int]) -> None:
    # In id order, so that two transactions locking overlapping sets cannot deadlock.
    list(model.objects.select_for_update().filter(pk__in=ids).order_by("pk").values_list("pk", flat=True))


def counts_rebuild() -> None:
    """Recount every meeting, committee and person (after a bulk change made outside the services)."""
    _refresh_meetings(set(Meeting.objects.values_list("pk", flat=True)))
    _refresh_committees(set(Committee.objects.values_list("pk", flat=True)))
    _refresh_people(set(Person.objects.values_list("pk", flat=True)))


def _refresh_meetings(ids: set[int]) -> list[Meeting]:
    # One grouped query driven by the meetings' ids: their cases by decision outcome (None: undecided). Ids of
    # rows that are gone (a deleted meeting) update nothing.
    totals = {pk: Meeting(pk=pk, case_count=0, decision_count=0, outcome_counts={}) for pk in ids}
    rows = (
        Meeting.objects.filter(pk__in=ids)
        .order_by()
        .values_list("pk", "cases__decision__outcome")
        .annotate(n=Count("cases"))
    )
    for pk, outcome, n in rows:
        meeting = totals[pk]
        meeting.case_count += n
        if outcome is not None:
            meeting.decision_count += n
            meeting.outcome_counts[outcome] = n
    Meeting.objects.bulk_update(totals.values(), ["case_count", "decision_count", "outcome_counts"], batch_size=1000)
    return list(totals.values())


def _refresh_committees(ids: set[int]) -> None:
    totals = {
        pk: Committee(pk=pk, meeting_count=0, case_count=0, decision_count=0, first_meeting=None, last_meeting=None)
        for pk in ids
    }
    rows = (
        Meeting.objects.published()
        .filter(committee_id__in=list(totals))
        .order_by()
        .values_list("committee_id")
        .annotate(Count("pk"), Sum("case_count"), Sum("decision_count"), Min("date"), Max("date"))
    )
    for pk, n, cases, decisions, first, last in rows:
        committee = totals[pk]
        committee.meeting_count, committee.case_count, committee.decision_count = n, cases or 0, decisions or 0
        committee.first_meeting, committee.last_meeting = first, last
    fields = ["meeting_count", "case_count", "decision_count", "first_meeting", "last_meeting"]
    Committee.objects.bulk_update(totals.values(), fields, batch_size=1000)


def _refresh_people(ids: set[int]) -> None:
    totals = {pk: Person(pk=pk, meeting_count=0, present_count=0, last_seen=None) for pk in ids}
    # Two index-driven reads instead of a join, which PostgreSQL would answer by reading every meeting: the
    # people's attendance rows (by person), then the dates of those meetings that are published (by id).
    rows = list(Attendance.objects.filter(person_id__in=list(totals)).values_list("person_id", "meeting_id", "present"))
    dates = dict(
        Meeting.objects.published().filter(pk__in={meeting for _, meeting, _ in rows}).values_list("pk", "date")
    )
    for person_id, meeting_id, present in rows:
        date = dates.get(meeting_id)
        if date is None:  # withdrawn
            continue
        person = totals[person_id]
        person.meeting_count += 1
        person.present_count += present
        person.last_seen = max(person.last_seen or date, date)
    Person.objects.bulk_update(totals.values(), ["meeting_count", "present_count", "last_seen"], batch_size=1000)
