from django.urls import path

from meetings import views

app_name = "meetings"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("om/", views.AboutView.as_view(), name="about"),
    path("udvalg/", views.CommitteeListView.as_view(), name="committee_list"),
    path("udvalg/<slug:slug>/", views.CommitteeDetailView.as_view(), name="committee_detail"),
    path("moeder/", views.MeetingListView.as_view(), name="meeting_list"),
    path("personer/", views.PersonListView.as_view(), name="person_list"),
    path("personer/<slug:slug>/", views.PersonDetailView.as_view(), name="person_detail"),
]
