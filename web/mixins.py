"""What the public pages share: conditional GET (Last-Modified/ETag) and breadcrumbs."""

from __future__ import annotations

import datetime as dt

from django.db.models import Max
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import condition

from cases.models import AttachmentDocument
from meetings.models import Meeting


def meetings_last_modified(request=None, *args, **kwargs) -> dt.datetime | None:
    """When the archive's meetings last changed: the newest `Meeting.updated_at` (one aggregate query).

    Every meeting write (import, re-import, publishing, withdrawal) bumps `updated_at`, and cross-links between
    meetings are only made while some meeting is being written, so the newest value is a safe Last-Modified for
    every page that draws on meetings, cases and attendance.
    """
    return Meeting.objects.aggregate(last=Max("updated_at"))["last"]


def archive_last_modified(request=None, *args, **kwargs) -> dt.datetime | None:
    """The newest meeting write or attachment-document upload: a safe Last-Modified for meeting and case pages.

    Case pages show attachment documents, which can be uploaded (and linked) after the meeting was imported.
    """
    meetings = meetings_last_modified()
    documents = AttachmentDocument.objects.aggregate(last=Max("uploaded_at"))["last"]
    return max((t for t in (meetings, documents) if t is not None), default=None)


class ConditionalMixin:
    """Send Last-Modified (and let ConditionalGetMiddleware add the ETag) so browsers and proxies can revalidate."""

    def last_modified(self, request, *args, **kwargs):
        return meetings_last_modified()

    def dispatch(self, request, *args, **kwargs):
        return condition(last_modified_func=self.last_modified)(super().dispatch)(request, *args, **kwargs)


class ArchiveConditionalMixin(ConditionalMixin):
    """Conditional GET for pages that also show attachment documents."""

    def last_modified(self, request, *args, **kwargs):
        return archive_last_modified()


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
