"""An Atom feed of a search's newest matches, so a journalist can subscribe to it."""

from __future__ import annotations

from django.urls import reverse
from django.utils.html import escape
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from cases.feeds import ArchiveFeed
from search.forms import SearchCriteria
from search.services import NEWEST, matching, ordered

FEED_ITEMS = 50


class SearchFeed(ArchiveFeed):
    def get_object(self, request, *args, **kwargs):
        params = request.GET.copy()
        params.pop("format", None)
        params.pop("page", None)
        criteria = SearchCriteria(params)
        criteria.page_url = reverse("search:search") + ("?" + params.urlencode() if params else "")
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
        return list(ordered(matched, obj.query, NEWEST).for_listing()[:FEED_ITEMS])

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
