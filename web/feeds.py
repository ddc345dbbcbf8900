"""Atom feeds: newly published meetings (the whole archive or one committee) and a search's newest matches."""

from __future__ import annotations

import datetime as dt

from django.contrib.syndication.views import Feed
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.formats import date_format
from django.utils.html import escape, format_html, format_html_join
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from cases.models import Case
from meetings.models import Committee, Meeting
from search.forms import SearchCriteria
from search.services import NEWEST, matching, ordered

FEED_ITEMS = 30
SEARCH_FEED_ITEMS = 50


class ArchiveFeed(Feed):
    """What the archive's Atom feeds share: an entry links to its page, is dated on its meeting's day and is filed
    under its committee (`item.committee`)."""

    feed_type = Atom1Feed

    def item_date(self, item) -> dt.date:
        raise NotImplementedError

    def item_link(self, item):
        return item.get_absolute_url()

    def item_pubdate(self, item):
        # Protocols give a date, not a time: midday keeps the day the same in every time zone a reader uses.
        return timezone.make_aware(dt.datetime.combine(self.item_date(item), dt.time(12, 0)))

    def item_categories(self, item):
        return [item.committee.name]


class MeetingFeed(ArchiveFeed):
    """/moeder/feed/ and /udvalg/<slug>/feed/: the newest meetings, each entry listing its cases and decisions."""

    def get_object(self, request, slug: str | None = None):
        return get_object_or_404(Committee, slug=slug) if slug else None

    def title(self, committee):
        name = committee.name if committee else _("alle udvalg")
        return _("Rødovre-referater: nye møder i %(name)s") % {"name": name}

    def subtitle(self, committee):
        return _("Offentliggjorte referater med sagerne og beslutningerne.")

    def link(self, committee):
        return committee.get_absolute_url() if committee else reverse("web:meeting_list")

    def items(self, committee):
        cases = Case.objects.select_related("decision").only(
            "id", "meeting_id", "number", "title", "decision__outcome", "decision__text"
        )
        meetings = Meeting.objects.published().select_related("committee")
        if committee:
            meetings = meetings.filter(committee=committee)
        return list(
            meetings.prefetch_related(Prefetch("cases", queryset=cases.order_by("number"))).order_by(
                "-date", "committee__name"
            )[:FEED_ITEMS]
        )

    def item_title(self, meeting):
        return f"{meeting.committee.name}, {date_format(meeting.date, 'j. F Y')}"

    def item_description(self, meeting):
        # Atom summaries are HTML: protocol text is escaped by format_html.
        return format_html(
            "<ol>{}</ol>",
            format_html_join(
                "",
                "<li>{} {}: {}{}</li>",
                (
                    (
                        _("Sag nr."),
                        case.number,
                        case.title,
                        f" — {case.decision.get_outcome_display()}" if getattr(case, "decision", None) else "",
                    )
                    for case in meeting.cases.all()
                ),
            ),
        )

    def item_date(self, meeting):
        return meeting.date

    def item_updateddate(self, meeting):
        return meeting.updated_at


class SearchFeed(ArchiveFeed):
    """/soeg/?…&format=atom: the newest matches of a search, so a journalist can subscribe to it."""

    def get_object(self, request, *args, **kwargs):
        params = request.GET.copy()
        params.pop("format", None)
        params.pop("page", None)
        criteria = SearchCriteria(params)
        criteria.page_url = reverse("web:search") + ("?" + params.urlencode() if params else "")
        return criteria

    def title(self, obj):
        if obj.query.text:
            return _("Rødovre-referater: søgning efter “%(query)s”") % {"query": obj.query.text}
        return _("Rødovre-referater: nyeste sager")

    def subtitle(self, obj):
        return _("De nyeste sager, der matcher søgningen.")

    def link(self, obj):
        return obj.page_url

    def items(self, obj):
        matched = matching(obj.documents, obj.query)
        return list(ordered(matched, obj.query, NEWEST).for_listing()[:SEARCH_FEED_ITEMS])

    def item_title(self, item):
        return f"{item.committee.name} {item.meeting_date:%d.%m.%Y}, sag {item.number}: {item.title}"

    def item_description(self, item):
        # Atom summaries are HTML: text from a protocol must be escaped here.
        outcome = item.get_outcome_display()
        text = Truncator(item.decision or item.text_b or item.text_c).words(60)
        return escape(f"{outcome}. {text}" if outcome else text)

    def item_date(self, item):
        return item.meeting_date

    def item_updateddate(self, item):
        return item.indexed_at
