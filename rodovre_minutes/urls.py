from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.sitemaps import views as sitemap_views
from django.urls import include, path
from django.views.generic import TemplateView

from web.sitemaps import SITEMAPS
from web.views import sitemaps

urlpatterns = [
    path("admin/", admin.site.urls),
    path("robots.txt", TemplateView.as_view(template_name="robots.txt", content_type="text/plain"), name="robots"),
    path(
        "sitemap.xml", sitemap_views.index, {"sitemaps": SITEMAPS, "sitemap_url_name": "sitemap"}, name="sitemap_index"
    ),
    path("sitemap-<section>.xml", sitemaps.section, name="sitemap"),
    # Only log in and out: password reset would need outgoing mail, which the archive does not send.
    path("konto/log-ind/", auth_views.LoginView.as_view(), name="login"),
    path("konto/log-ud/", auth_views.LogoutView.as_view(), name="logout"),
    path("api/oparl/v1/", include("oparl.urls")),
    path("", include("web.urls")),
    path("", include("publishing.urls")),
]
