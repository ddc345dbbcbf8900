"""The list rows written in Python (web.templatetags.row_tags) show what the template loops showed, escaped.

The loops they replace are kept below as they were, and each list is compared with what they render."""

import datetime as dt
import html
import re

import pytest
from django.db.models import Prefetch
from django.template import Context, Template
from django.test.html import parse_html
from django.urls import NoReverseMatch, reverse, set_script_prefix
from django.utils import timezone
from django.utils.dateformat import format as date_format

from cases.models import Absence, Outcome
from meetings.models import Attendance, Committee, DocumentKind, Meeting
from tests import factories
from web.templatetags.row_tags import LongDates, Paths

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_page_cache")]

EVIL = '<script>alert("x")</script>'

# The template loops as they were before row_tags (templates/web/committee_list.html, _meeting_rows.html,
# person_detail.html), to compare with.
OLD_COMMITTEE_ROWS = """{% load i18n %}{% for committee in committees %}
    {% if committee.meeting_count %}
    <tr>
      <th scope="row"><a href="{{ committee.get_absolute_url }}">{{ committee.name }}</a>{% if committee.code %} <span class="muted">({{ committee.code }})</span>{% endif %}</th>
      <td class="num" data-label="{% translate 'Møder' %}">{{ committee.meeting_count }}</td>
      <td class="num" data-label="{% translate 'Sager' %}">{{ committee.case_count }}</td>
      <td data-label="{% translate 'Seneste møde' %}"><time datetime="{{ committee.last_meeting|date:'Y-m-d' }}">{{ committee.last_meeting|date:"j. F Y" }}</time></td>
    </tr>
    {% else %}
    <tr class="is-empty">
      <th scope="row"><a href="{{ committee.get_absolute_url }}">{{ committee.name }}</a>{% if committee.code %} <span class="muted">({{ committee.code }})</span>{% endif %}</th>
      <td colspan="3" class="muted">{% translate "Ingen møder i arkivet endnu" %}</td>
    </tr>
    {% endif %}
    {% endfor %}"""  # noqa: E501

OLD_MEETING_ROWS = """{% load i18n %}
<ul class="meeting-list">
  {% for meeting in meetings %}
  <li class="meeting-list__item">
    <a class="meeting-list__link" href="{{ meeting.get_absolute_url }}">
      <span class="meeting-list__committee">{{ meeting.title|default:meeting.committee.name }}</span>
      <time datetime="{{ meeting.date|date:'Y-m-d' }}">{{ meeting.date|date:"j. F Y" }}</time>
    </a>
    {% if meeting.is_agenda %}<span class="badge badge--agenda">{% translate "Dagsorden" %}</span>{% endif %}
    <span class="meeting-list__meta">{% blocktranslate count counter=meeting.case_count %}{{ counter }} sag{% plural %}{{ counter }} sager{% endblocktranslate %}</span>
  </li>
  {% empty %}
  <li>{% translate "Ingen møder." %}</li>
  {% endfor %}
</ul>"""  # noqa: E501

OLD_COMMITTEE_MEMBERSHIPS = """{% load i18n %}{% for entry in committees %}
  <li>
    <a href="{{ entry.committee.get_absolute_url }}">{{ entry.committee.name }}</a>
    — {% blocktranslate count counter=entry.meetings %}{{ counter }} møde{% plural %}{{ counter }} møder{% endblocktranslate %}
    ({{ entry.first|date:"j. F Y" }}{% if entry.first != entry.last %} – {{ entry.last|date:"j. F Y" }}{% endif %}){% if entry.roles %}, <strong>{{ entry.roles|join:", " }}</strong>{% endif %}
  </li>
  {% endfor %}"""  # noqa: E501

OLD_ATTENDANCE_ROWS = """{% load i18n site_tags %}{% for attendance in attendances %}
    <tr>
      <th scope="row"><a href="{{ attendance.meeting.get_absolute_url }}">{{ attendance.meeting.committee.name }} {{ attendance.meeting.date|date:"j. F Y" }}</a></th>
      <td data-label="{% translate 'Rolle' %}">{{ attendance.get_role_display|capfirst }}{% if attendance.party %} ({{ attendance.party }}){% endif %}{% if attendance.substitute_for %}, {% blocktranslate with name=attendance.substitute_for.name %}suppleant for {{ name }}{% endblocktranslate %}{% endif %}</td>
      <td data-label="{% translate 'Deltagelse' %}">{% if not attendance.present %}{% translate "Fraværende" %}{% elif attendance.cases_missed %}{% blocktranslate with cases=attendance.cases_missed|case_ranges %}Til stede, men ikke ved sag {{ cases }}{% endblocktranslate %}{% else %}{% translate "Til stede" %}{% endif %}</td>
    </tr>
    {% endfor %}"""  # noqa: E501

OLD_CHAIR_ROLES = """{% for attendance in chair_roles %}
  <li>{{ attendance.get_role_display|capfirst }}, <a href="{{ attendance.meeting.get_absolute_url }}">{{ attendance.meeting.committee.name }} {{ attendance.meeting.date|date:"j. F Y" }}</a></li>
  {% endfor %}"""  # noqa: E501

OLD_MISSED_CASES = """{% load i18n %}{% for entry in missed_cases %}
<section class="missed" aria-labelledby="fravaer-{{ entry.meeting.pk }}">
  <h3 id="fravaer-{{ entry.meeting.pk }}"><a href="{{ entry.meeting.get_absolute_url }}">{{ entry.meeting.committee.name }} {{ entry.meeting.date|date:"j. F Y" }}</a>{% if entry.whole_meeting %} <span class="muted">— {% translate "hele mødet" %}</span>{% endif %}</h3>
  <ul class="plain-list">
    {% for case in entry.cases %}
    <li>{% if case.url %}<a href="{{ case.url }}">{% blocktranslate with number=case.number %}Sag nr. {{ number }}{% endblocktranslate %}{% if case.title %}: {{ case.title }}{% endif %}</a>{% else %}{% blocktranslate with number=case.number %}Sag nr. {{ number }}{% endblocktranslate %}{% endif %}</li>
    {% endfor %}
  </ul>
</section>
{% endfor %}"""  # noqa: E501


OLD_COMMITTEE_CARDS = """{% load i18n %}{% for committee in committees %}
    <li class="card">
      <a href="{{ committee.get_absolute_url }}">{{ committee.name }}</a>
      <span class="card__meta">{% blocktranslate count counter=committee.meeting_count %}{{ counter }} møde{% plural %}{{ counter }} møder{% endblocktranslate %}, {% blocktranslate count counter=committee.case_count %}{{ counter }} sag{% plural %}{{ counter }} sager{% endblocktranslate %}</span>
      <span class="card__meta">{% if committee.first_meeting.year == committee.last_meeting.year %}{{ committee.first_meeting.year }}{% else %}{{ committee.first_meeting.year }}–{{ committee.last_meeting.year }}{% endif %}</span>
    </li>
    {% empty %}
    <li>{% translate "Arkivet har endnu ingen møder." %}</li>
    {% endfor %}"""  # noqa: E501


def render(source: str, **context) -> str:
    return Template(source).render(Context(context))


def tag(name: str, *args: str, **context) -> str:
    return render(f"{{% load row_tags %}}{{% {name} {' '.join(args)} %}}", **context)


def assert_same_html(old: str, new: str):
    assert parse_html(new) == parse_html(old), f"\n{new}\n!=\n{old}"


def text_of(response) -> str:
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", response.content.decode(), flags=re.S)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", body)))


@pytest.fixture
def rows_archive():
    """Committees (one hostile, one without meetings), minutes and a coming agenda with 1, 2 and 3 cases, and
    members: a chair, a substitute with a hostile name, one away for some cases, one away for a whole meeting."""
    today = timezone.localdate()
    ou = factories.committee("Økonomiudvalget", "ØU")
    evil = factories.committee(EVIL, "<b>")
    factories.committee("Tomt udvalg", "")
    march = factories.meeting(ou, date=dt.date(2024, 3, 5))
    factories.case(march, number=1, title="Budget", outcome=Outcome.APPROVED)
    may = factories.meeting(ou, date=dt.date(2024, 5, 1), title="Konstituerende møde")
    factories.case(may, number=7, title=f"Sag om {EVIL}", outcome=Outcome.NOTED)
    factories.case(may, number=8, title="")
    agenda = factories.meeting(ou, date=today + dt.timedelta(days=30), kind=DocumentKind.AGENDA)
    for number in (1, 2, 3):
        factories.case(agenda, number=number)
    hostile = factories.meeting(evil, date=dt.date(2024, 3, 5), title=f"{EVIL} & co")
    factories.case(hostile, number=1)

    anne, evil_person, bo = factories.person("Anne Hansen"), factories.person(EVIL), factories.person("Bo Berg")
    factories.attend(march, anne, party="A", role=Attendance.Role.CHAIR, position=0)
    factories.attend(may, anne, party="A", role=Attendance.Role.VICE_CHAIR, position=0)
    factories.attend(hostile, anne, party="", position=0)
    factories.attend(march, bo, party="V", present=False, position=1)
    factories.attend(may, evil_person, party="<i>", substitute_for=bo, position=1)
    factories.absent_for(factories.attend(march, evil_person, party="Ø", position=2), [1])
    factories.absent_for(Attendance.objects.get(meeting=may, person=anne), [7, 8])
    return {"ou": ou, "evil": evil, "anne": anne, "evil_person": evil_person, "bo": bo, "agenda": agenda}


# --- dates and URLs -------------------------------------------------------------------------------------------


def test_long_dates_are_the_date_filters_in_danish():
    long_date = LongDates()
    for month in range(1, 13):
        day = dt.date(2024, month, month + 9)
        assert long_date(day) == date_format(day, "j. F Y")
    assert long_date(dt.date(2024, 3, 5)) == "5. marts 2024"
    assert long_date(None) == ""


def test_paths_are_what_reverse_gives():
    day = dt.date(2024, 3, 5)
    meeting = Paths("web:meeting_detail", "committee", "date")
    case = Paths("web:case_detail", "committee", "date", "number")
    committee = Paths("web:committee_detail", "slug")
    for slug in ("oekonomiudvalget", "x-slug-x", "b_1", "1901-02-03"):
        kwargs = {"committee": slug, "date": day}
        assert meeting(**kwargs) == reverse("web:meeting_detail", kwargs=kwargs)
        assert case(**kwargs, number=12) == reverse("web:case_detail", kwargs={**kwargs, "number": 12})
        assert committee(slug=slug) == reverse("web:committee_detail", kwargs={"slug": slug})
    # A slug the <slug:> converter refuses is refused as before, not put in a URL.
    with pytest.raises(NoReverseMatch):
        committee(slug="æble/x")


def test_paths_keep_the_script_prefix():
    set_script_prefix("/arkiv/x-slug-x/")
    try:
        paths = Paths("web:meeting_detail", "committee", "date")
        kwargs = {"committee": "kb", "date": dt.date(2024, 3, 5)}
        assert paths(**kwargs) == reverse("web:meeting_detail", kwargs=kwargs)
        assert paths(**kwargs) == "/arkiv/x-slug-x/moeder/kb/2024-03-05/"
    finally:
        set_script_prefix("/")


# --- the committee list ---------------------------------------------------------------------------------------


def test_committee_list_rows(rows_archive, client):
    response = client.get(reverse("web:committee_list"))
    text, page = text_of(response), response.content.decode()
    coming = rows_archive["agenda"].date  # the latest meeting: an agenda counts as it is published
    assert f"Økonomiudvalget (ØU) 3 6 {LongDates()(coming)}" in text
    assert "Tomt udvalg Ingen møder i arkivet endnu" in text
    assert f'<a href="{rows_archive["ou"].get_absolute_url()}">Økonomiudvalget</a>' in page
    assert f'<time datetime="{coming:%Y-%m-%d}">{coming.day}. ' in page
    assert '<time datetime="2024-03-05">5. marts 2024</time>' in page
    assert "<script>" not in page and "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page
    assert '<span class="muted">(&lt;b&gt;)</span>' in page


def test_committee_rows_are_the_old_loops_rows(rows_archive):
    committees = Committee.objects.order_by("name")
    rows = committees.values("name", "code", "slug", "meeting_count", "case_count", "last_meeting")
    assert_same_html(render(OLD_COMMITTEE_ROWS, committees=committees), tag("committee_rows", "rows", rows=rows))


def test_home_page_committee_cards(rows_archive, client):
    ou = rows_archive["ou"]
    factories.meeting(ou, date=dt.date(2019, 6, 3))
    response = client.get("/")
    text, page = text_of(response), response.content.decode()
    coming = rows_archive["agenda"].date
    assert (
        f"Udvalgene {EVIL} 1 møde, 1 sag 2024 Økonomiudvalget 4 møder, 6 sager 2019–{coming.year} Alle udvalg" in text
    )
    assert "Tomt udvalg" not in text  # no published meeting: not on the home page
    assert f'<a href="{ou.get_absolute_url()}">Økonomiudvalget</a>' in page
    assert "<script>" not in page and "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page


def test_committee_cards_are_the_old_loops_cards(rows_archive):
    for committees in (Committee.objects.with_published_meetings().order_by("name"), Committee.objects.none()):
        assert_same_html(
            render(OLD_COMMITTEE_CARDS, committees=committees),
            tag("committee_cards", "committees", committees=committees),
        )


# --- lists of meetings ----------------------------------------------------------------------------------------


def test_meeting_rows_on_every_page_that_lists_meetings(rows_archive, client):
    ou, agenda = rows_archive["ou"], rows_archive["agenda"]
    coming = f"Økonomiudvalget {LongDates()(agenda.date)} Dagsorden 3 sager"
    home = text_of(client.get("/"))
    assert coming in home
    assert "Konstituerende møde 1. maj 2024 2 sager" in home and "Økonomiudvalget 5. marts 2024 1 sag " in home
    listing = client.get(reverse("web:meeting_list"), {"udvalg": ou.slug})
    assert "Konstituerende møde 1. maj 2024 2 sager Økonomiudvalget 5. marts 2024 1 sag" in text_of(listing)
    page = client.get(ou.get_absolute_url(), {"aar": 2024})
    text = text_of(page)
    assert f"Kommende møder Dagsordenerne er offentliggjort; mødet er ikke holdt endnu. {coming}" in text
    assert "Møder i 2024" in text and "Konstituerende møde 1. maj 2024 2 sager Økonomiudvalget 5. marts 2024" in text
    link = f'<a class="meeting-list__link" href="{agenda.get_absolute_url()}">'
    assert link in page.content.decode()
    evil = client.get(rows_archive["evil"].get_absolute_url()).content.decode()
    assert "<script>" not in evil and "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; co" in evil
    empty = factories.committee("Nyt udvalg", "NU")
    factories.meeting(empty, date=dt.date(2019, 1, 2))
    assert "Ingen møder." in text_of(client.get(reverse("web:meeting_list"), {"udvalg": empty.slug, "aar": 2024}))


def test_meeting_rows_are_the_old_includes_rows(rows_archive):
    old = Template(OLD_MEETING_ROWS)
    for meetings in (
        Meeting.objects.published().for_listing(),
        Meeting.objects.published().for_listing().filter(committee=rows_archive["evil"]),
        Meeting.objects.none(),
    ):
        expected = old.render(Context({"meetings": meetings}))
        assert_same_html(expected, tag("meeting_rows", "meetings", meetings=meetings))
    ou = rows_archive["ou"]
    own = Meeting.objects.filter(committee=ou).order_by("-date")
    rows = own.values("date", "title", "kind", "case_count")
    expected = old.render(Context({"meetings": own.with_committee()}))
    assert_same_html(expected, tag("meeting_rows", "rows", "committee", rows=rows, committee=ou))


# --- a member's page ------------------------------------------------------------------------------------------


def test_person_page_rows(rows_archive, client):
    anne, evil_person, bo = rows_archive["anne"], rows_archive["evil_person"], rows_archive["bo"]
    text = text_of(client.get(anne.get_absolute_url()))
    assert "Økonomiudvalget — 2 møder (5. marts 2024 – 1. maj 2024), næstformand, formand" in text
    assert f"{EVIL} — 1 møde (5. marts 2024)" in text
    assert "Konstituerende møde" not in text  # a member's meetings are named by committee and date
    assert "Møde Rolle Deltagelse Økonomiudvalget 1. maj 2024 Næstformand (A) Til stede, men ikke ved sag 7–8" in text
    assert f"{EVIL} 5. marts 2024 Medlem Til stede Økonomiudvalget 5. marts 2024 Formand (A) Til stede" in text
    assert (
        "Formand og næstformand i 2024 Næstformand, Økonomiudvalget 1. maj 2024 Formand, Økonomiudvalget 5. marts 2024"
        in text
    )
    assert f"Sager uden deltagelse i 2024 Økonomiudvalget 1. maj 2024 Sag nr. 7: Sag om {EVIL} Sag nr. 8" in text

    response = client.get(evil_person.get_absolute_url())
    text, page = text_of(response), response.content.decode()
    assert "Medlem (<i>), suppleant for Bo Berg Til stede" in text
    assert "Medlem (Ø) Til stede, men ikke ved sag 1" in text
    assert "<script>" not in page and "<i>" not in page and "(&lt;i&gt;), suppleant for Bo Berg" in page
    may = Meeting.objects.get(date=dt.date(2024, 5, 1))
    assert f'<a href="{may.get_absolute_url()}">Økonomiudvalget 1. maj 2024</a>' in page

    response = client.get(bo.get_absolute_url())
    text = text_of(response)
    assert "Økonomiudvalget 5. marts 2024 Medlem (V) Fraværende" in text
    assert "Sager uden deltagelse i 2024 Økonomiudvalget 5. marts 2024 — hele mødet" in text
    assert "Formand og næstformand" not in text
    march = Meeting.objects.get(date=dt.date(2024, 3, 5), committee=rows_archive["ou"])
    assert f'<section class="missed" aria-labelledby="fravaer-{march.pk}">' in response.content.decode()


def test_person_rows_are_the_old_loops_rows(rows_archive, client):
    for person in (rows_archive["anne"], rows_archive["evil_person"], rows_archive["bo"]):
        context = client.get(person.get_absolute_url()).context
        old = old_person_context(person, context["year"])
        assert_same_html(
            render(OLD_COMMITTEE_MEMBERSHIPS, committees=context["committees"]),
            tag("committee_memberships", "committees", committees=context["committees"]),
        )
        assert_same_html(
            render(OLD_ATTENDANCE_ROWS, **old), tag("attendance_rows", "rows", rows=context["attendances"])
        )
        assert_same_html(render(OLD_CHAIR_ROLES, **old), tag("chair_role_items", "rows", rows=context["chair_roles"]))
        assert_same_html(
            render(OLD_MISSED_CASES, **old), tag("missed_case_sections", "rows", rows=context["missed_cases"])
        )


def old_person_context(person, year: int) -> dict:
    """The member's page's lists as the view built them before row_tags: model instances."""
    absences = Absence.objects.select_related("case").order_by("case__number")
    attendances = list(
        Attendance.objects.filter(person=person)
        .in_year(year)
        .select_related("meeting__committee", "substitute_for")
        .prefetch_related(Prefetch("absences", queryset=absences))
        .order_by("-meeting__date", "meeting__committee__name")
    )
    missed = []
    for attendance in attendances:
        absences = list(attendance.absences.all())
        if absences or not attendance.present:
            cases = [
                {"number": a.case.number, "title": a.case.title, "url": a.case.get_absolute_url()} for a in absences
            ]
            missed.append({"meeting": attendance.meeting, "whole_meeting": not attendance.present, "cases": cases})
    return {
        "attendances": attendances,
        "chair_roles": [a for a in attendances if a.role != Attendance.Role.MEMBER],
        "missed_cases": missed,
    }
