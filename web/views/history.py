"""A meeting's public history: every version published (the agenda, the minutes, corrected ones), what each
changed, word by word, and each version's text.

Only what was published is here: a version is a `SourceDocument`, which only an import or a clerk's publish
writes; uploads still in preview are `publishing.Upload` rows and never appear. A withdrawn meeting has no history
page (404), as it has no page at all.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView, View

from meetings.models import DocumentKind, Meeting, SourceDocument
from web.diff import Hunk, word_diff
from web.mixins import ConditionalMixin, PublicPageMixin, meeting_breadcrumbs
from web.views.meetings import get_published_meeting


@dataclass
class Version:
    """One published version, newest first, with what it changed from the one before it."""

    document: SourceDocument
    number: int  # 1 for the first version published
    is_current: bool
    previous: SourceDocument | None
    hunks: list[Hunk]

    @property
    def is_correction(self) -> bool:
        """Minutes replacing earlier minutes, or an agenda replacing an earlier agenda of the meeting (an agenda
        replaced by its minutes is the normal course)."""
        return self.previous is not None and self.previous.kind == self.document.kind

    @property
    def replaces_agenda(self) -> bool:
        return (
            self.previous is not None
            and self.previous.kind == DocumentKind.AGENDA
            and self.document.kind == DocumentKind.MINUTES
        )


def meeting_versions(meeting: Meeting) -> list[Version]:
    """The meeting's published versions, newest first, each compared with the one published before it."""
    documents = list(
        meeting.source_versions.order_by("imported_at", "id").only(
            "id", "meeting_id", "filename", "text", "kind", "imported_at", "sha256"
        )
    )
    versions = [
        Version(
            document=doc,
            number=i + 1,
            is_current=doc.pk == meeting.source_id,
            previous=documents[i - 1] if i else None,
            hunks=word_diff(documents[i - 1].text, doc.text) if i else [],
        )
        for i, doc in enumerate(documents)
    ]
    return versions[::-1]


class MeetingHistoryView(PublicPageMixin, DetailView):
    """/moeder/<committee>/<date>/historik/: the published versions of a meeting and what changed between them."""

    template_name = "web/meeting_history.html"
    context_object_name = "meeting"

    def get_object(self, queryset=None):
        return get_published_meeting(
            self.kwargs["committee"], self.kwargs["date"], Meeting.objects.published().with_committee()
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["versions"] = meeting_versions(self.object)
        return context

    def get_breadcrumbs(self):
        return [*meeting_breadcrumbs(self.object), (_("Historik"), None)]


class MeetingVersionTextView(ConditionalMixin, View):
    """One published version's text, exactly as imported, as plain text that a browser never runs as a page."""

    def get(self, request, committee: str, date: dt.date, pk: int):
        meeting = get_published_meeting(committee, date, Meeting.objects.published().with_committee())
        document = get_object_or_404(SourceDocument.objects.only("text", "meeting_id"), pk=pk, meeting=meeting)
        response = HttpResponse(document.text, content_type="text/plain; charset=utf-8")
        response["X-Content-Type-Options"] = "nosniff"
        response["Content-Security-Policy"] = "default-src 'none'; sandbox"
        name = f"{meeting.committee.slug}-{meeting.date.isoformat()}-udgave-{document.pk}.txt"
        response["Content-Disposition"] = f'inline; filename="{name}"'
        return response
