"""The public site's URLs. Every path is a permanent citation: never change one, only add."""

from django.urls import path

from web.feeds import CaseTrailFeed, MeetingFeed
from web.views import calendars, cases, committees, data, history, meetings, pages, people, search

app_name = "web"

urlpatterns = [
    path("", pages.HomeView.as_view(), name="home"),
    path("om/", pages.AboutView.as_view(), name="about"),
    path("data/", data.DataView.as_view(), name="data"),
    path("udvalg/", committees.CommitteeListView.as_view(), name="committee_list"),
    path("udvalg/<slug:slug>/", committees.CommitteeDetailView.as_view(), name="committee_detail"),
    path("udvalg/<slug:slug>/feed/", MeetingFeed(), name="committee_feed"),
    path("udvalg/<slug:slug>/kalender.ics", calendars.MeetingCalendarView.as_view(), name="committee_calendar"),
    path("moeder/", meetings.MeetingListView.as_view(), name="meeting_list"),
    path("moeder/feed/", MeetingFeed(), name="meeting_feed"),
    path("moeder/kalender.ics", calendars.MeetingCalendarView.as_view(), name="meeting_calendar"),
    path("moeder/<slug:committee>/<isodate:date>/", meetings.MeetingDetailView.as_view(), name="meeting_detail"),
    path(
        "moeder/<slug:committee>/<isodate:date>/original.txt",
        meetings.MeetingOriginalView.as_view(),
        name="meeting_original",
    ),
    path(
        "moeder/<slug:committee>/<isodate:date>/historik/",
        history.MeetingHistoryView.as_view(),
        name="meeting_history",
    ),
    path(
        "moeder/<slug:committee>/<isodate:date>/historik/<int:pk>.txt",
        history.MeetingVersionTextView.as_view(),
        name="meeting_version_text",
    ),
    path(
        "moeder/<slug:committee>/<isodate:date>/sag/<int:number>/",
        cases.CaseDetailView.as_view(),
        name="case_detail",
    ),
    path("moeder/<slug:committee>/<isodate:date>/sag/<int:number>/feed/", CaseTrailFeed(), name="case_feed"),
    path("personer/", people.PersonListView.as_view(), name="person_list"),
    path("personer/<slug:slug>/", people.PersonDetailView.as_view(), name="person_detail"),
    path("soeg/", search.SearchView.as_view(), name="search"),
    path("soeg/medlemmer.json", search.member_suggestions, name="members"),
]
