"""/data/: what the archive offers as data (downloads, the OParl API, calendars and feeds) and how to use it."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from web.mixins import PublicPageMixin


def export_link(url: str) -> str:
    """The configured nightly-export address if it is one a link may point to (http, https or a path on this
    site), else "" (no link): a mistyped setting must not turn into a `javascript:` link."""
    url = url.strip()
    parts = urlsplit(url)
    if parts.scheme in {"http", "https"} and parts.netloc:
        return url
    return url if not parts.scheme and not parts.netloc and url.startswith("/") else ""


class DataView(PublicPageMixin, TemplateView):
    """A Danish guide to the archive's open data, with a link to the latest nightly export when one is configured."""

    template_name = "web/data.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        api = self.request.build_absolute_uri(reverse("oparl:system"))
        export_url = export_link(settings.OPEN_DATA_EXPORT_URL)
        context.update(
            export_url=self.request.build_absolute_uri(export_url) if export_url else "",
            api_url=api,
            site_url=self.request.build_absolute_uri("/").rstrip("/"),
        )
        return context

    def get_breadcrumbs(self):
        return [(_("Åbne data"), None)]
