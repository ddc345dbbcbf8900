from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OparlConfig(AppConfig):
    """The archive as data: matters, the read-only OParl 1.1 API and the bulk export and restore."""

    name = "oparl"
    verbose_name = _("Åbne data (OParl)")
