from django.apps import AppConfig
from django.urls import register_converter
from django.utils.translation import gettext_lazy as _


class WebConfig(AppConfig):
    """The public site: pages, feeds, sitemaps and the template tags they use."""

    name = "web"
    verbose_name = _("Offentligt websted")

    def ready(self):
        from web.converters import IsoDateConverter

        # Registered here, once, so every app's URLconf (the clerk pages' too) can use <isodate:date>.
        register_converter(IsoDateConverter, "isodate")
