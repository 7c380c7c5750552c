"""Training sessions as iCalendar (RFC 5545), through the icalendar library: one file per
session and a private feed per member, so that meetings appear in a phone's calendar.

Each meeting is an event with a stable UID, so that a calendar that reads the feed again moves
an event whose time changed instead of adding a second one. Times are written in UTC: every
calendar shows them in its owner's zone (WIB in Lubuklinggau)."""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import urlsplit

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from programme.models import TrainingSession

PRODID = "-//Serambi//Pelatihan//ID"


def _host() -> str:
    return urlsplit(settings.SITE_URL).hostname or "serambi"


def calendar(
    sessions: Iterable[TrainingSession], *, name: str, with_link: set[int] = frozenset()
) -> bytes:
    """An iCalendar file of the sessions' meetings; the online meeting's link only for the
    sessions in `with_link` (those the reader is registered for)."""
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", settings.TIME_ZONE)
    for session in sessions:
        for event in _events(session, with_link=session.pk in with_link):
            cal.add_component(event)
    return cal.to_ical()


def _events(session: TrainingSession, *, with_link: bool) -> list[Event]:
    url = settings.SITE_URL + session.get_absolute_url()
    meetings = list(session.meetings.all())
    description = [session.description[:2000], "", url]
    if with_link and session.meeting_link:
        description[1:1] = ["", _("Online meeting: %(link)s") % {"link": session.meeting_link}]
    events = []
    for number, meeting in enumerate(meetings, start=1):
        event = Event()
        event.add("uid", f"meeting-{meeting.pk}@{_host()}")
        event.add("dtstamp", timezone.now())
        event.add("dtstart", meeting.starts_at)
        event.add("dtend", meeting.ends_at)
        title = session.title
        if len(meetings) > 1:
            title = _("%(title)s (meeting %(number)s of %(count)s)") % {
                "title": session.title,
                "number": number,
                "count": len(meetings),
            }
        event.add("summary", title)
        event.add("description", "\n".join(description))
        event.add("url", url)
        if session.place:
            event.add("location", session.place)
        events.append(event)
    return events
