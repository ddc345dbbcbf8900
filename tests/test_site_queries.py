"""Each public page costs a fixed number of queries, whatever the number of cases, members or attachments."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cases.models import Attachment, AttachmentDocument, CaseStep, Outcome, Recommendation, Section
from meetings.models import Attendance
from tests import factories

# What rendering a page costs: the page cache is off here (a cached page's cost: tests/test_site_cache.py).
pytestmark = pytest.mark.usefixtures("no_page_cache")

# Upper bounds for the fixture archive; the growth tests below prove they do not depend on size.
MAX_QUERIES = {
    "home": 4,  # latest minutes, coming meetings (agendas), committees, Last-Modified
    "about": 1,
    "committee_list": 2,
    "committee_detail": 6,  # Last-Modified, committee, its years, coming meetings, the year's, recent members
    "committee_detail_year": 6,
    "meeting_list": 6,
    "person_list": 3,
    "person_detail": 8,  # Last-Modified, person, years, the year's attendance and absences, committees (2), parties
    "person_detail_year": 8,
    "meeting_detail": 8,
    "meeting_original": 3,
    "case_detail": 13,  # 12 + the cases citing this one ("Sag nr. 104 (ØU 138/07)")
}


def build_meeting(committee, date: dt.date, *, cases: int, people: int):
    """A meeting with `cases` fully furnished cases and `people` attendances, built by hand."""
    meeting = factories.meeting(committee, date=date)
    earlier = factories.case(
        factories.meeting(committee, date=date - dt.timedelta(days=30)), number=1, title="Tidligere"
    )
    for n in range(1, cases + 1):
        case = factories.case(meeting, number=n, title=f"Sag om emne {n}, {date.year}", outcome=Outcome.APPROVED)
        for position, heading in enumerate(("Sagens kerne", "Indstilling", "Sagsfremstilling", "Bilag")):
            Section.objects.create(case=case, position=position, heading=heading, text=f"{heading} tekst\nlinje")
        for position in range(3):
            Recommendation.objects.create(case=case, position=position, proposer="Forvaltningen", text=f"at {position}")
        for number in (1, 2):
            document = AttachmentDocument.objects.create(
                filename=f"bilag-{date}-{n}-{number}.md",
                content=b"x",
                content_type="text/markdown",
                sha256=f"{date}{n:04d}{number}".ljust(64, "0"),
                text="Tekst",
                html="<h2>Bilag</h2><p>Tekst</p>",
            )
            Attachment.objects.create(case=case, number=number, title=f"Bilag {number}", document=document)
        CaseStep.objects.create(
            case=case,
            position=0,
            body=committee.name,
            body_committee=committee,
            date=earlier.meeting.date,
            item=1,
            text="Anbefales.",
            outcome=Outcome.RECOMMENDED,
            earlier_case=earlier,
        )
    for i in range(people):
        person = factories.person(f"Person {date.year} {i}")
        attendance = Attendance.objects.create(
            meeting=meeting,
            person=person,
            position=i,
            party="A",
            present=i % 4 != 0,
        )
        if i % 3 == 0:
            factories.absent_for(attendance, [1, 2])
        Attendance.objects.create(meeting=earlier.meeting, person=person, position=i, party="A")
    return meeting


def page_urls(meeting) -> dict[str, str]:
    person = meeting.attendances.order_by("position").first().person
    kwargs = {"committee": meeting.committee.slug, "date": meeting.date}
    return {
        "home": reverse("web:home"),
        "about": reverse("web:about"),
        "committee_list": reverse("web:committee_list"),
        "committee_detail": meeting.committee.get_absolute_url(),
        "committee_detail_year": meeting.committee.get_absolute_url() + f"?aar={meeting.date.year}",
        "meeting_list": reverse("web:meeting_list") + f"?udvalg={meeting.committee.slug}",
        "person_list": reverse("web:person_list"),
        "person_detail": person.get_absolute_url(),
        "person_detail_year": person.get_absolute_url() + f"?aar={meeting.date.year}",
        "meeting_detail": meeting.get_absolute_url(),
        "case_detail": reverse(
            "web:case_detail", kwargs={**kwargs, "number": meeting.cases.order_by("number")[1].number}
        ),
    }


def query_counts(client, urls: dict[str, str]) -> dict[str, int]:
    counts = {}
    for name, url in urls.items():
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200, url
        counts[name] = len(queries)
    return counts


@pytest.mark.django_db
def test_fixture_pages_stay_within_their_query_budget(archive, client, django_assert_max_num_queries):
    meeting = archive["2020-08-11"].meeting
    urls = page_urls(meeting)
    urls["meeting_original"] = meeting.get_absolute_url() + "original.txt"
    for name, url in urls.items():
        with django_assert_max_num_queries(MAX_QUERIES[name]):
            assert client.get(url).status_code == 200, url


@pytest.mark.django_db
def test_query_counts_do_not_grow_with_cases_members_or_attachments(client):
    small_committee = factories.committee("Lilleudvalget", "LU")
    large_committee = factories.committee("Storeudvalget", "SU")
    small = query_counts(client, page_urls(build_meeting(small_committee, dt.date(2021, 5, 4), cases=2, people=2)))
    large = query_counts(client, page_urls(build_meeting(large_committee, dt.date(2022, 5, 3), cases=15, people=12)))
    assert large == small
    for name, count in large.items():
        assert count <= MAX_QUERIES[name], name
