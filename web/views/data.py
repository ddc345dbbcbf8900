"""/data/: what the archive offers as data (downloads, the OParl API, calendars and feeds) and how to use it."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from web.mixins import PublicPageMixin


class DataView(PublicPageMixin, TemplateView):
    """A Danish guide to the archive's open data, with a link to the latest nightly export when one is configured."""

    template_name = "web/data.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        api = self.request.build_absolute_uri(reverse("oparl:system"))
        context.update(
            export_url=settings.OPEN_DATA_EXPORT_URL,
            api_url=api,
            site_url=self.request.build_absolute_uri("/").rstrip("/"),
        )
        return context

    def get_breadcrumbs(self):
        return [(_("Åbne data"), None)]
