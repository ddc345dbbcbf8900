"""What the public pages share: conditional GET (Last-Modified/ETag) and breadcrumbs."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import condition

from meetings.models import Meeting
from web.cache import archive_state


def meetings_last_modified(request=None, *args, **kwargs) -> dt.datetime | None:
    """When anything the public sees last changed: `ArchiveVersion.changed_at` (one primary-key lookup, shared
    with the page cache for this request).

    Every write the public can see (import, re-import, publishing, withdrawal, attachment documents, admin edits)
    moves the archive's version (`meetings.services.archive_changed`), so this is a safe Last-Modified for every
    page that draws on meetings, cases, attendance and attachment documents.
    """
    return archive_state(request).changed_at


def archive_last_modified(request=None, *args, **kwargs) -> dt.datetime | None:
    """Last-Modified for meeting and case pages, which also show attachment documents: the same archive version
    (an attachment document's upload moves it too)."""
    return meetings_last_modified(request)


class ConditionalMixin:
    """Send Last-Modified (and let ConditionalGetMiddleware add the ETag) so browsers and proxies can revalidate."""

    def last_modified(self, request, *args, **kwargs):
        return meetings_last_modified(request)

    def dispatch(self, request, *args, **kwargs):
        # A logged-in clerk's pages carry their login bar and one-time messages ("Referatet er offentliggjort"):
        # never answer them "not modified" from a copy rendered before.
        if getattr(request, "user", None) is not None and request.user.is_authenticated:
            return super().dispatch(request, *args, **kwargs)
        return condition(last_modified_func=self.last_modified)(super().dispatch)(request, *args, **kwargs)


class ArchiveConditionalMixin(ConditionalMixin):
    """Conditional GET for pages that also show attachment documents."""

    def last_modified(self, request, *args, **kwargs):
        return archive_last_modified(request)


class BreadcrumbsMixin:
    """Puts `breadcrumbs` — a list of (label, url) pairs, the last one being the current page — in the context."""

    def get_breadcrumbs(self) -> list[tuple[str, str | None]]:
        return []

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["breadcrumbs"] = [(_("Forside"), reverse("web:home")), *self.get_breadcrumbs()]
        return context


class PublicPageMixin(ConditionalMixin, BreadcrumbsMixin):
    """What every public page shares."""


def meeting_breadcrumbs(meeting: Meeting, *, current: bool = False) -> list[tuple[str, str | None]]:
    """Breadcrumbs down to a meeting: Møder › committee › date (no link on the date when it is the current page)."""
    return [
        (_("Møder"), reverse("web:meeting_list")),
        (meeting.committee.name, meeting.committee.get_absolute_url()),
        (date_format(meeting.date, "j. F Y"), None if current else meeting.get_absolute_url()),
    ]
