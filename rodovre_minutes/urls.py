from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("meetings.urls")),
    path("soeg/", include("search.urls")),
    path("", include("publishing.urls")),
    path("", include("cases.urls")),
]
