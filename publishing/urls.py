"""The clerk workflow's URLs (the `isodate` converter is registered by the web app). Login and logout: the root."""

from django.urls import path

from publishing import views

app_name = "publishing"

urlpatterns = [
    path("upload/", views.UploadView.as_view(), name="upload"),
    path("upload/<int:pk>/", views.UploadPreviewView.as_view(), name="upload_preview"),
    path("upload/<int:pk>/publish/", views.UploadPublishView.as_view(), name="upload_publish"),
    path("upload/<int:pk>/original.txt", views.UploadOriginalView.as_view(), name="upload_original"),
    path("uploads/", views.UploadListView.as_view(), name="upload_list"),
    path(
        "moeder/<slug:committee>/<isodate:date>/versioner/",
        views.MeetingVersionsView.as_view(),
        name="meeting_versions",
    ),
    path(
        "moeder/<slug:committee>/<isodate:date>/versioner/<int:pk>.txt",
        views.VersionTextView.as_view(),
        name="meeting_version_text",
    ),
]
