from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    # Only log in and out: password reset would need outgoing mail, which the archive does not send.
    path("konto/log-ind/", auth_views.LoginView.as_view(), name="login"),
    path("konto/log-ud/", auth_views.LogoutView.as_view(), name="logout"),
    path("", include("meetings.urls")),
    path("soeg/", include("search.urls")),
    path("", include("publishing.urls")),
    path("", include("cases.urls")),
]
