"""iCalendar (RFC 5545) feeds of the published meetings, all of them or one committee's, for calendar apps.

Each meeting is one event whose UID is built from its permanent address (committee slug and date) and the site's
domain (`CALENDAR_UID_DOMAIN`, else the host asked), so a calendar app that refreshes the feed updates the event
instead of adding a second one. Protocols give a meeting's date and
when it ended, not when it began: events are all-day, with the closing time in the description.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db.models import Prefetch
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.views.generic import View
from icalendar import Calendar, Event

from cases.models import Case
from meetings.models import Committee, Meeting
from web.mixins import ConditionalMixin

PRODID = "-//Rødovre Referatarkiv//Mødekalender//DA"
REFRESH = dt.timedelta(hours=12)


def meeting_uid(meeting: Meeting, host: str) -> str:
    """The event's UID: the meeting's permanent key at this site's host (stable across refreshes and edits)."""
    return f"moede-{meeting.committee.slug}-{meeting.date.isoformat()}@{host}"


def uid_domain(request) -> str:
    """The domain of the UIDs: the configured one, so that they stay the same whichever of the site's names a
    calendar was subscribed under; without one, the host of the request."""
    return settings.CALENDAR_UID_DOMAIN or request.get_host().split(":")[0]


def meeting_event(meeting: Meeting, *, url: str, host: str) -> Event:
    """One all-day event: committee (and the meeting's own title) as summary, the agenda as description."""
    event = Event()
    summary = meeting.committee.name + (f": {meeting.title}" if meeting.title else "")
    lines = [f"{_('Sag nr.')} {case.number}: {case.title}" for case in meeting.cases.all()]
    if meeting.ended_at:
        lines.append(_("Mødet sluttede kl. %(time)s.") % {"time": meeting.ended_at.strftime("%H.%M")})
    lines.append(url)
    event.add("uid", meeting_uid(meeting, host))
    event.add("summary", summary)
    event.add("dtstart", meeting.date)
    event.add("dtend", meeting.date + dt.timedelta(days=1))
    event.add("dtstamp", meeting.updated_at)
    event.add("created", meeting.created_at)
    event.add("last-modified", meeting.updated_at)
    event.add("url", url)
    event.add("description", "\n".join(lines))
    event.add("categories", [meeting.committee.name])
    event.add("status", "CONFIRMED")
    # An all-day entry of a meeting should not mark the subscriber's whole day as busy.
    event.add("transp", "TRANSPARENT")
    return event


class MeetingCalendarView(ConditionalMixin, View):
    """/moeder/kalender.ics and /udvalg/<slug>/kalender.ics: every published meeting (of that committee)."""

    def get(self, request, slug: str | None = None):
        committee = get_object_or_404(Committee, slug=slug) if slug else None
        cases = Case.objects.only("id", "meeting_id", "number", "title").order_by("number")
        meetings = Meeting.objects.published().select_related("committee").order_by("date", "committee_id")
        if committee is not None:
            meetings = meetings.filter(committee=committee)
        name = _("Møder i %(name)s (Rødovre)") % {"name": committee.name} if committee else _("Møder i Rødovre Kommune")
        calendar = Calendar()
        calendar.add("prodid", PRODID)
        calendar.add("version", "2.0")
        calendar.add("calscale", "GREGORIAN")
        calendar.add("method", "PUBLISH")
        calendar.add("name", name)
        calendar.add("x-wr-calname", name)
        calendar.add("x-wr-timezone", "Europe/Copenhagen")
        calendar.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
        calendar.add("x-published-ttl", "PT12H")
        host = uid_domain(request)
        for meeting in meetings.prefetch_related(Prefetch("cases", queryset=cases)):
            url = request.build_absolute_uri(meeting.get_absolute_url())
            calendar.add_component(meeting_event(meeting, url=url, host=host))
        filename = f"moeder-{committee.slug}.ics" if committee else "moeder.ics"
        response = HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")
        response["Content-Disposition"] = f'inline; filename="{filename}"'
        return response
