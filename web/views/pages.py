"""The front page and the about page."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from meetings.models import Committee, Meeting
from web.mixins import PublicPageMixin

LATEST_MEETINGS_ON_HOME = 8


class HomeView(PublicPageMixin, TemplateView):
    """The front page: latest meetings, the committees, and a search box."""

    template_name = "web/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["breadcrumbs"] = []
        context["latest_meetings"] = Meeting.objects.published().for_listing()[:LATEST_MEETINGS_ON_HOME]
        context["committees"] = Committee.objects.with_counts().filter(meeting_count__gt=0).order_by("name")
        return context


class AboutView(PublicPageMixin, TemplateView):
    """About the archive and a glossary of the terms citizens meet in the minutes."""

    template_name = "web/about.html"

    def get_breadcrumbs(self):
        return [(_("Om arkivet"), None)]
