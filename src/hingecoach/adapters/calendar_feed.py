"""A calendar feed (RFC 5545, with the RFC 7986 name and refresh interval) made with the
`icalendar` library, from events the reminder service has planned.

Every event is a whole day: a calendar app then shows it on the right day wherever the
learner is, and no time zone has to be guessed for a session the learner fits in when
they can. The planned sessions change as the learner logs, so calendar apps are asked to
fetch the feed again every few hours, and each event keeps its UID from fetch to fetch
(the learner, the kind and the day) so that an app updates it in place.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from icalendar import TRANSP, Calendar, Event, vDuration

__all__ = ["CalendarEvent", "calendar_ics"]

# How often a calendar app should fetch the feed again: often enough that a logged session
# moves the next ones the same day, rarely enough to be polite (RFC 7986 REFRESH-INTERVAL;
# X-PUBLISHED-TTL is the same hint in Outlook's words).
REFRESH = timedelta(hours=4)
_PRODID = "-//HingeCoach//Reminders//EN"


@dataclass(frozen=True)
class CalendarEvent:
    uid: str
    day: date
    summary: str
    description: str


def _event(found: CalendarEvent, stamp: datetime) -> Event:
    return Event.new(
        uid=found.uid,
        stamp=stamp,
        start=found.day,
        end=found.day + timedelta(days=1),
        summary=found.summary,
        description=found.description,
        transparency=TRANSP.TRANSPARENT,  # a reminder: the day is not shown as busy
    )


def calendar_ics(uid: str, name: str, events: Iterable[CalendarEvent], stamp: datetime) -> bytes:
    """The feed as bytes (UTF-8, CRLF line ends, long lines folded). `stamp` (UTC) is when
    it was made: every event's DTSTAMP."""
    calendar = Calendar.new(prodid=_PRODID, name=name, uid=uid)
    calendar.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", vDuration(REFRESH))
    for found in events:
        calendar.add_component(_event(found, stamp))
    feed: bytes = calendar.to_ical()
    return feed
