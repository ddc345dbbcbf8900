"""The OParl 1.1 API's URLs (mounted at /api/oparl/v1/). Every path is an object's id: never change one.

`oparl.links.Links` writes these paths for the objects it names; keep the two in step.
"""

from django.urls import path

from oparl import views

app_name = "oparl"

_CASE = "<slug:committee>/<isodate:date>/<int:number>/"

urlpatterns = [
    path("", views.system, name="system"),
    path("body/", views.body_list, name="body_list"),
    path("body/<slug:key>/", views.body, name="body"),
    path("legislativeterm/", views.term_list, name="term_list"),
    path("legislativeterm/<int:year>/", views.term, name="term"),
    path("organization/", views.organization_list, name="organization_list"),
    path("organization/<slug:slug>/", views.organization, name="organization"),
    path("organization/<slug:slug>/meeting/", views.organization_meetings, name="organization_meetings"),
    path("person/", views.person_list, name="person_list"),
    path("person/<slug:slug>/", views.person, name="person"),
    path("membership/", views.membership_list, name="membership_list"),
    path(
        "membership/<slug:committee>/<int:term>/<slug:person>/<slug:role>/",
        views.membership,
        name="membership",
    ),
    path("meeting/", views.meeting_list, name="meeting_list"),
    path("meeting/<slug:committee>/<isodate:date>/", views.meeting, name="meeting"),
    path("agendaitem/", views.agenda_item_list, name="agendaitem_list"),
    path(f"agendaitem/{_CASE}", views.agenda_item, name="agendaitem"),
    path("consultation/", views.consultation_list, name="consultation_list"),
    path(f"consultation/{_CASE}", views.consultation, name="consultation"),
    path("paper/", views.paper_list, name="paper_list"),
    path(f"paper/{_CASE}", views.paper, name="paper"),
    path("file/", views.file_list, name="file_list"),
    path("file/<str:kind>/<int:pk>/", views.file, name="file"),
    path("file/<str:kind>/<int:pk>/access", views.file_access, name="file_access"),
    path("file/<str:kind>/<int:pk>/download", views.file_download, name="file_download"),
]
