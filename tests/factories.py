"""The few objects tests build by hand (everything else comes from importing real protocols)."""

import datetime as dt

from cases.models import Case, Decision, Outcome
from meetings.models import Committee, Meeting, Person


def committee(name="Testudvalget", code="TU") -> Committee:
    return Committee.objects.get_or_create(name=name, defaults={"code": code})[0]


def meeting(committee_obj=None, date=dt.date(2021, 5, 4), **kwargs) -> Meeting:
    return Meeting.objects.create(committee=committee_obj or committee(), date=date, **kwargs)


def case(meeting_obj=None, number=1, title="En sag", outcome=None, **kwargs) -> Case:
    obj = Case.objects.create(meeting=meeting_obj or meeting(), number=number, title=title, **kwargs)
    if outcome:
        Decision.objects.create(case=obj, text="Godkendt.", outcome=outcome or Outcome.APPROVED)
    return obj


def person(name="Anne Hansen") -> Person:
    return Person.objects.get_or_create(name=name)[0]
