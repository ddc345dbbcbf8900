"""Atom feeds: newly published meetings (the whole archive or one committee), a search's newest matches and one
matter's trail ("Følg sagen")."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

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

from cases.models import Case, CaseStep
from meetings.models import Committee, Meeting
from oparl.matters import load_matters
from search.forms import SearchCriteria
from search.services import NEWEST

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
        return _("Offentliggjorte dagsordener og referater med sagerne og beslutningerne.")

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
        title = f"{meeting.committee.name}, {date_format(meeting.date, 'j. F Y')}"
        # A subscriber must see that an agenda's cases are not decided; the minutes later update the same entry.
        return _("Dagsorden: %(meeting)s") % {"meeting": title} if meeting.is_agenda else title

    def item_description(self, meeting):
        # Atom summaries are HTML: protocol text is escaped by format_html.
        note = format_html("<p>{}</p>", _("Dagsorden: sagerne er ikke afgjort endnu.")) if meeting.is_agenda else ""
        return note + format_html(
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
        return SearchCriteria(params)

    def title(self, obj):
        if obj.query.text:
            return _("Rødovre-referater: søgning efter “%(query)s”") % {"query": obj.query.text}
        return _("Rødovre-referater: nyeste sager")

    def subtitle(self, obj):
        return _("De nyeste sager, der matcher søgningen.")

    def link(self, obj):
        return obj.page_url()  # the search page for the same search, with only the parameters in use

    def items(self, obj):
        search = obj.search
        return list(search.ordered(search.matching(obj.documents), NEWEST).for_listing()[:SEARCH_FEED_ITEMS])

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


@dataclass(frozen=True)
class TrailEntry:
    """One treatment of a matter: a case of it in the archive, or an earlier body's decision that a case quotes."""

    title: str
    body: str
    url: str
    guid: str
    date: dt.date
    text: str
    updated: dt.datetime


@dataclass(frozen=True)
class FollowedCase:
    case: Case
    site: str  # scheme and host, for the entries' absolute ids


def trail_entries(case: Case, site: str) -> list[TrailEntry]:
    """The matter of `case`, newest treatment first: each of its cases, then each decision its cases quote from a
    body whose case is not in the archive (once, however many later cases quote it)."""
    ids = set(load_matters().cases_of(case.pk))
    steps = CaseStep.objects.select_related("earlier_case__meeting").order_by("position")
    cases = list(
        Case.objects.published()
        .filter(pk__in=ids)
        .select_related("meeting__committee", "decision")
        .prefetch_related(Prefetch("steps", queryset=steps))
    )
    entries, seen = [], set()
    for treated in cases:
        meeting, decision, url = treated.meeting, getattr(treated, "decision", None), treated.get_absolute_url()
        seen.add((meeting.committee_id, meeting.date, treated.number))
        outcome = decision.get_outcome_display() if decision else _("på dagsordenen")
        entries.append(
            TrailEntry(
                title=f"{meeting.committee.name}, {date_format(meeting.date, 'j. F Y')}: {outcome}",
                body=meeting.committee.name,
                url=url,
                guid=site + url,
                date=meeting.date,
                text=f"{_('Sag nr.')} {treated.number}: {treated.title}\n{decision.text if decision else ''}".strip(),
                updated=meeting.updated_at,
            )
        )
    for treated in cases:
        for step in treated.steps.all():
            if step.earlier_case_id in ids:
                continue
            key = (step.body_committee_id or step.body.casefold(), step.date, step.item)
            if key in seen:
                continue
            seen.add(key)
            url = treated.get_absolute_url()
            when = date_format(step.date, "j. F Y") if step.date else _("uden dato")
            entries.append(
                TrailEntry(
                    title=f"{step.body}, {when}: {step.get_outcome_display()}",
                    body=step.body,
                    url=f"{url}#sagsgang",
                    guid=f"{site}{url}#sagsgang-{step.position}",
                    date=step.date or treated.meeting.date,
                    text=step.text,
                    updated=treated.meeting.updated_at,
                )
            )
    return sorted(entries, key=lambda e: (e.date, e.guid), reverse=True)


class CaseTrailFeed(ArchiveFeed):
    """/moeder/<committee>/<date>/sag/<number>/feed/ ("Følg sagen"): an entry whenever another body treats the
    matter — its cases in the archive (see `oparl.matters`) and the earlier decisions they quote."""

    def get_object(self, request, committee: str, date: dt.date, number: int):
        case = get_object_or_404(
            Case.objects.published().select_related("meeting__committee"),
            meeting__committee__slug=committee,
            meeting__date=date,
            number=number,
        )
        return FollowedCase(case, request.build_absolute_uri("/").rstrip("/"))

    def title(self, obj):
        return _("Rødovre-referater: følg sagen »%(title)s«") % {"title": obj.case.title}

    def subtitle(self, obj):
        return _("En ny post, hver gang et udvalg behandler sagen.")

    def link(self, obj):
        return obj.case.get_absolute_url()

    def items(self, obj):
        return trail_entries(obj.case, obj.site)

    def item_title(self, entry):
        return entry.title

    def item_description(self, entry):
        # Atom summaries are HTML: protocol text is escaped.
        return escape(Truncator(entry.text).words(80))

    def item_link(self, entry):
        return entry.url

    def item_guid(self, entry):
        return entry.guid

    def item_categories(self, entry):
        return [entry.body]

    def item_date(self, entry):
        return entry.date

    def item_updateddate(self, entry):
        return entry.updated
