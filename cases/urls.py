from django.urls import path, register_converter

from cases import views
from cases.feeds import MeetingFeed
from meetings.converters import IsoDateConverter

register_converter(IsoDateConverter, "isodate")

app_name = "cases"

urlpatterns = [
    path("moeder/feed/", MeetingFeed(), name="meeting_feed"),
    path("udvalg/<slug:slug>/feed/", MeetingFeed(), name="committee_feed"),
    path("moeder/<slug:committee>/<isodate:date>/", views.MeetingDetailView.as_view(), name="meeting_detail"),
    path(
        "moeder/<slug:committee>/<isodate:date>/original.txt",
        views.MeetingOriginalView.as_view(),
        name="meeting_original",
    ),
    path(
        "moeder/<slug:committee>/<isodate:date>/sag/<int:number>/", views.CaseDetailView.as_view(), name="case_detail"
    ),
]
