"""The absolute URLs of the API's objects: every `id` is its object's canonical URL (OParl 1.1 §2.3).

Objects are named by the same permanent keys as the public pages (committee slug, meeting date, case number), not
by database ids, so an archive rebuilt from its protocols keeps its URLs. The paths are formatted here rather than
reversed one by one (a list page holds thousands of URLs); `tests/test_oparl_api.py` checks that each resolves to
the view `urls.py` gives it.
"""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

# The archive serves one body: Rødovre Kommune.
BODY_KEY = "rodovre"


class Links:
    """URL builder for one request (scheme and host come from the request, as for every absolute URL here)."""

    def __init__(self, request):
        self.api = request.build_absolute_uri(reverse("oparl:system"))
        self.site = request.build_absolute_uri("/").rstrip("/")

    def web(self, path: str) -> str:
        """An HTML page of the site, from its path (e.g. `get_absolute_url()`)."""
        return self.site + path

    def system(self) -> str:
        return self.api

    def list(self, name: str) -> str:
        """The external list of one type ("meeting", "paper", …)."""
        return f"{self.api}{name}/"

    def body(self) -> str:
        return f"{self.api}body/{BODY_KEY}/"

    def term(self, start_year: int) -> str:
        return f"{self.api}legislativeterm/{start_year}/"

    def organization(self, slug: str) -> str:
        return f"{self.api}organization/{slug}/"

    def organization_meetings(self, slug: str) -> str:
        return f"{self.api}organization/{slug}/meeting/"

    def person(self, slug: str) -> str:
        return f"{self.api}person/{slug}/"

    def membership(self, committee_slug: str, term: int, person_slug: str, role: str) -> str:
        return f"{self.api}membership/{committee_slug}/{term}/{person_slug}/{role}/"

    def meeting(self, committee_slug: str, date: dt.date) -> str:
        return f"{self.api}meeting/{committee_slug}/{date.isoformat()}/"

    def _case_path(self, kind: str, committee_slug: str, date: dt.date, number: int) -> str:
        return f"{self.api}{kind}/{committee_slug}/{date.isoformat()}/{number}/"

    def agenda_item(self, committee_slug: str, date: dt.date, number: int) -> str:
        return self._case_path("agendaitem", committee_slug, date, number)

    def consultation(self, committee_slug: str, date: dt.date, number: int) -> str:
        return self._case_path("consultation", committee_slug, date, number)

    def paper(self, committee_slug: str, date: dt.date, number: int) -> str:
        return self._case_path("paper", committee_slug, date, number)

    def file(self, kind: str, pk: int) -> str:
        """A File object: kind "protocol" (SourceDocument) or "document" (AttachmentDocument)."""
        return f"{self.api}file/{kind}/{pk}/"

    def file_access(self, kind: str, pk: int) -> str:
        return f"{self.api}file/{kind}/{pk}/access"

    def file_download(self, kind: str, pk: int) -> str:
        return f"{self.api}file/{kind}/{pk}/download"

    # Shortcuts for loaded model instances ------------------------------------------------------------------------

    def meeting_of(self, meeting) -> str:
        return self.meeting(meeting.committee.slug, meeting.date)

    def agenda_item_of(self, case) -> str:
        return self.agenda_item(case.meeting.committee.slug, case.meeting.date, case.number)

    def consultation_of(self, case) -> str:
        return self.consultation(case.meeting.committee.slug, case.meeting.date, case.number)

    def paper_of(self, case) -> str:
        return self.paper(case.meeting.committee.slug, case.meeting.date, case.number)
