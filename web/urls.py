"""The public site's URLs. Every path is a permanent citation: never change one, only add."""

from django.urls import path

from web.feeds import MeetingFeed
from web.views import cases, committees, meetings, pages, people, search

app_name = "web"

urlpatterns = [
    path("", pages.HomeView.as_view(), name="home"),
    path("om/", pages.AboutView.as_view(), name="about"),
    path("udvalg/", committees.CommitteeListView.as_view(), name="committee_list"),
    path("udvalg/<slug:slug>/", committees.CommitteeDetailView.as_view(), name="committee_detail"),
    path("udvalg/<slug:slug>/feed/", MeetingFeed(), name="committee_feed"),
    path("moeder/", meetings.MeetingListView.as_view(), name="meeting_list"),
    path("moeder/feed/", MeetingFeed(), name="meeting_feed"),
    path("moeder/<slug:committee>/<isodate:date>/", meetings.MeetingDetailView.as_view(), name="meeting_detail"),
    path(
        "moeder/<slug:committee>/<isodate:date>/original.txt",
        meetings.MeetingOriginalView.as_view(),
        name="meeting_original",
    ),
    path(
        "moeder/<slug:committee>/<isodate:date>/sag/<int:number>/",
        cases.CaseDetailView.as_view(),
        name="case_detail",
    ),
    path("personer/", people.PersonListView.as_view(), name="person_list"),
    path("personer/<slug:slug>/", people.PersonDetailView.as_view(), name="person_detail"),
    path("soeg/", search.SearchView.as_view(), name="search"),
    path("soeg/medlemmer.json", search.member_suggestions, name="members"),
]
