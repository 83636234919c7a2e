""".ics invitations for interview sessions, and a person's own feed of interviews.

An invitation is an iTIP message (RFC 5546): ``METHOD:REQUEST`` to invite or update,
``METHOD:CANCEL`` to call a session off. Calendar clients match an update to the event
they already hold by its UID and apply it only if its SEQUENCE is higher, so:

- the UID is derived from ids, never random: ``loop-<loop>-session-<session>@<domain>``,
  the same for every update and the cancellation of that session;
- the SEQUENCE comes from the caller, who stores it and raises it on every change
  (new time, new room, new interviewer, cancellation).

**One session per message.** iTIP requires every component of one message to share a
UID, and Outlook and Gmail act only on the first event of a multi-event request; a loop
of six sessions is therefore six ``.ics`` attachments (``loop_invitations``), each
answerable on its own. The personal feed (``METHOD:PUBLISH``) holds many sessions: it is
subscribed to, not answered.

Times are written in the session's time zone with its VTIMEZONE (icalendar builds it from
zoneinfo), so a reader in another zone sees the right local time and a DST change inside
the week is handled by the client.
"""

from __future__ import annotations

import enum
import re
import urllib.parse
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

import icalendar

from secondround.calendars.busy import zone_of

PRODID = "-//secondround//interview scheduling//EN"
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
DOMAIN = re.compile(r"^[A-Za-z0-9.-]+$")
FEED_REFRESH = timedelta(hours=1)


class Method(enum.StrEnum):
    REQUEST = "REQUEST"
    CANCEL = "CANCEL"


class Role(enum.StrEnum):
    CHAIR = "CHAIR"
    REQUIRED = "REQ-PARTICIPANT"
    OPTIONAL = "OPT-PARTICIPANT"


class PartStat(enum.StrEnum):
    NEEDS_ACTION = "NEEDS-ACTION"
    ACCEPTED = "ACCEPTED"
    DECLINED = "DECLINED"
    TENTATIVE = "TENTATIVE"


@dataclass(frozen=True)
class Contact:
    email: str
    name: str = ""

    def __post_init__(self) -> None:
        if not EMAIL.match(self.email):
            raise ValueError(f"email: {self.email!r} is not an email address.")


@dataclass(frozen=True)
class Attendee(Contact):
    role: Role = Role.REQUIRED
    partstat: PartStat = PartStat.NEEDS_ACTION
    rsvp: bool = True


@dataclass(frozen=True)
class SessionEvent:
    """One booked interview session, as the invitation and the feed show it."""

    loop_id: int | str
    session_id: int | str
    title: str
    start: datetime
    end: datetime
    time_zone: str
    sequence: int
    attendees: tuple[Attendee, ...]
    description: str = ""
    location: str = ""
    video_url: str = ""
    extra_lines: tuple[str, ...] = field(default=())
    """More lines for the description (the agenda, who to ask for at reception)."""

    def __post_init__(self) -> None:
        if not self.title.strip():
            raise ValueError("title: a session needs a title.")
        if self.start.tzinfo is None or self.end.tzinfo is None:
            raise ValueError("start: times must be time-zone aware.")
        if self.end <= self.start:
            raise ValueError("end: the session must end after it starts.")
        zone_of(self.time_zone)
        if self.sequence < 0:
            raise ValueError("sequence: must be 0 or more.")
        if self.video_url and urllib.parse.urlsplit(self.video_url).scheme not in (
            "http",
            "https",
        ):
            raise ValueError("video_url: must be an http(s) address.")


def session_uid(loop_id: int | str, session_id: int | str, domain: str) -> str:
    """The stable UID of a session: the same for its invitation, updates and cancellation."""
    if not DOMAIN.match(domain):
        raise ValueError(f"domain: {domain!r} is not a host name.")
    return f"loop-{loop_id}-session-{session_id}@{domain}"


def invitation(
    session: SessionEvent,
    *,
    organizer: Contact,
    domain: str,
    method: Method = Method.REQUEST,
    stamp: datetime | None = None,
) -> bytes:
    """An iTIP message for one session: REQUEST (new or changed) or CANCEL."""
    calendar = new_calendar(method=str(method))
    event = session_vevent(session, organizer=organizer, domain=domain, stamp=stamp)
    if method is Method.CANCEL:
        event.add("status", "CANCELLED")
    else:
        event.add("status", "CONFIRMED")
    calendar.add_component(event)
    return finish(calendar)


def loop_invitations(
    sessions: Sequence[SessionEvent],
    *,
    organizer: Contact,
    domain: str,
    method: Method = Method.REQUEST,
    stamp: datetime | None = None,
) -> list[tuple[str, bytes]]:
    """``(uid, .ics)`` for each session of a loop: one attachment per session."""
    return [
        (
            session_uid(s.loop_id, s.session_id, domain),
            invitation(s, organizer=organizer, domain=domain, method=method, stamp=stamp),
        )
        for s in sessions
    ]


def personal_feed(
    sessions: Iterable[SessionEvent],
    *,
    owner_name: str,
    organizer: Contact,
    domain: str,
    stamp: datetime | None = None,
) -> bytes:
    """All of one person's interviews as a subscribable calendar (METHOD:PUBLISH)."""
    calendar = new_calendar(method="PUBLISH")
    calendar.add("x-wr-calname", f"Interviews — {owner_name}".strip(" —"))
    calendar.add("refresh-interval", FEED_REFRESH, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", icalendar.vDuration(FEED_REFRESH))
    for session in sorted(sessions, key=lambda s: s.start):
        event = session_vevent(session, organizer=organizer, domain=domain, stamp=stamp)
        event.add("status", "CONFIRMED")
        calendar.add_component(event)
    return finish(calendar)


def new_calendar(*, method: str) -> icalendar.Calendar:
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", method)
    return calendar


def finish(calendar: icalendar.Calendar) -> bytes:
    """Add a VTIMEZONE for every zone the events use, then serialise.

    The VTIMEZONE spans only the years around the events: a client needs the rules in
    force then, and the default (1970-2038) makes each attachment kilobytes longer.
    """
    starts = [event.decoded("dtstart").date() for event in calendar.walk("VEVENT")]
    if starts:
        calendar.add_missing_timezones(
            first_date=date(min(starts).year - 1, 1, 1),
            last_date=date(max(starts).year + 2, 1, 1),
        )
    return bytes(calendar.to_ical())


def session_vevent(
    session: SessionEvent, *, organizer: Contact, domain: str, stamp: datetime | None
) -> icalendar.Event:
    zone = zone_of(session.time_zone)
    event = icalendar.Event()
    event.add("uid", session_uid(session.loop_id, session.session_id, domain))
    event.add("sequence", session.sequence)
    event.add("dtstamp", (stamp or datetime.now(UTC)).astimezone(UTC))
    event.add("dtstart", session.start.astimezone(zone))
    event.add("dtend", session.end.astimezone(zone))
    event.add("summary", session.title)
    event.add("description", description_of(session))
    if session.location:
        event.add("location", session.location)
    elif session.video_url:
        event.add("location", session.video_url)
    if session.video_url:
        event.add("url", session.video_url)
    event.add("organizer", calendar_address(organizer))
    for attendee in session.attendees:
        event.add("attendee", attendee_address(attendee))
    event.add("transp", "OPAQUE")
    return event


def description_of(session: SessionEvent) -> str:
    lines = [session.description.strip()] if session.description.strip() else []
    if session.video_url:
        lines.append(f"Join by video: {session.video_url}")
    if session.location:
        lines.append(f"Where: {session.location}")
    lines += [line for line in session.extra_lines if line.strip()]
    return "\n\n".join(lines)


def calendar_address(contact: Contact) -> icalendar.vCalAddress:
    address = icalendar.vCalAddress(f"mailto:{contact.email}")
    if contact.name:
        address.params["CN"] = contact.name
    return address


def attendee_address(attendee: Attendee) -> icalendar.vCalAddress:
    address = calendar_address(attendee)
    address.params["CUTYPE"] = "INDIVIDUAL"
    address.params["ROLE"] = str(attendee.role)
    address.params["PARTSTAT"] = str(attendee.partstat)
    address.params["RSVP"] = "TRUE" if attendee.rsvp else "FALSE"
    return address
