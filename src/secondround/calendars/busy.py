"""Busy times from a person's calendar, and free time within their working hours.

Two sources, one path: an iCal feed URL (the secret address Google, Microsoft and Apple
calendars publish) is fetched over http(s); a CalDAV account is searched with the
``caldav`` client. Either way the raw VCALENDAR text goes through ``busy_from_ical``,
which expands recurrences with ``recurring-ical-events`` (RRULE, RDATE, EXDATE,
RECURRENCE-ID, VTIMEZONE) and merges what it finds into sorted, disjoint intervals.

Rules, so that a reader of a person's page can predict the result:

- An event blocks time unless it is ``TRANSP:TRANSPARENT`` ("show as free") or
  ``STATUS:CANCELLED``; a cancelled single occurrence (RECURRENCE-ID) frees its slot.
- Floating times (no zone) and all-day events are read in the calendar's zone:
  ``X-WR-TIMEZONE`` if the feed names one (Google does), else the person's zone given
  by the caller. An all-day event blocks that whole local day, DST-length included.
- An event without DTEND blocks its DURATION, or nothing if it has neither (RFC 5545).
- **A broken event fails the whole read** (``CalendarError`` naming the event). Skipping
  it would show a weekly meeting as free time and let the scheduler book over it; a stale
  answer is safer than a wrong one, so the caller keeps the last good busy times and
  shows the message until the person fixes the event.

Every failure is a ``CalendarError`` with a ``kind`` and a message written for the
person's own page; nothing else escapes.
"""

from __future__ import annotations

import enum
import ipaddress
import socket
import time as time_module
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import icalendar
import recurring_ical_events

MAX_FEED_BYTES = 5 * 1024 * 1024
"""Large enough for years of a busy person's calendar; a bigger body is refused."""
FETCH_TIMEOUT_SECONDS = 15.0
ALLOWED_SCHEMES = ("http", "https")
USER_AGENT = "secondround-calendar/1 (+busy times for interview scheduling)"


class CalendarErrorKind(enum.StrEnum):
    BAD_ADDRESS = "bad_address"
    UNREACHABLE = "unreachable"
    REFUSED = "refused"
    TOO_LARGE = "too_large"
    NOT_ICAL = "not_ical"
    BROKEN_EVENT = "broken_event"


class CalendarError(Exception):
    """A calendar could not be read; ``str(error)`` is fit for the person's page."""

    def __init__(self, kind: CalendarErrorKind, message: str) -> None:
        super().__init__(message)
        self.kind = kind
        self.message = message


@dataclass(frozen=True, order=True)
class Interval:
    """A half-open span of time ``[start, end)`` between two aware datetimes."""

    start: datetime
    end: datetime

    def __post_init__(self) -> None:
        if self.start.tzinfo is None or self.end.tzinfo is None:
            raise ValueError("Interval: start and end must be time-zone aware.")
        if self.end <= self.start:
            raise ValueError(f"Interval: end {self.end} must be after start {self.start}.")


@dataclass(frozen=True)
class WorkingHours:
    """Weekly working hours in a person's own time zone.

    ``weekly`` maps a weekday (0 = Monday … 6 = Sunday) to its working spans as local
    ``(from, to)`` times; a day that is missing is not worked.
    """

    time_zone: str
    weekly: Mapping[int, Sequence[tuple[time, time]]]

    def __post_init__(self) -> None:
        zone_of(self.time_zone)
        for weekday, spans in self.weekly.items():
            if weekday not in range(7):
                raise ValueError(f"WorkingHours: weekday {weekday} is not 0 (Monday) to 6.")
            for begin, finish in spans:
                if finish <= begin:
                    raise ValueError(
                        f"WorkingHours: on weekday {weekday}, {finish} is not after {begin}."
                    )


def zone_of(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"Unknown time zone {name!r}.") from None


# ---------------------------------------------------------------- sources


def busy_from_feed(
    url: str,
    *,
    start: datetime,
    end: datetime,
    time_zone: str,
    timeout: float = FETCH_TIMEOUT_SECONDS,
    max_bytes: int = MAX_FEED_BYTES,
    allow_private_hosts: bool = False,
) -> tuple[Interval, ...]:
    """Busy intervals in ``[start, end)`` from an iCal feed URL (http, https or webcal).

    ``allow_private_hosts`` lets the address resolve to loopback or a private network
    (an on-premises calendar server); by default it must be a public address, so a
    person cannot make the server probe its own network.
    """
    check_window(start, end, time_zone)
    body = fetch_feed(
        url, timeout=timeout, max_bytes=max_bytes, allow_private_hosts=allow_private_hosts
    )
    return busy_from_ical([body], start=start, end=end, time_zone=time_zone)


def busy_from_caldav(
    url: str,
    *,
    username: str,
    password: str,
    start: datetime,
    end: datetime,
    time_zone: str,
    timeout: float = FETCH_TIMEOUT_SECONDS,
    allow_private_hosts: bool = False,
) -> tuple[Interval, ...]:
    """Busy intervals in ``[start, end)`` from every calendar of a CalDAV account.

    The server only selects the events touching the window; expansion happens here, on
    the same path as a feed, so both sources follow the same rules.
    """
    check_window(start, end, time_zone)
    check_address(url, allow_private_hosts=allow_private_hosts)
    texts = caldav_event_texts(
        url, username=username, password=password, start=start, end=end, timeout=timeout
    )
    return busy_from_ical(texts, start=start, end=end, time_zone=time_zone)


def check_window(start: datetime, end: datetime, time_zone: str) -> None:
    """Validate the caller's arguments before any network I/O."""
    Interval(start, end)
    zone_of(time_zone)


def fetch_feed(url: str, *, timeout: float, max_bytes: int, allow_private_hosts: bool) -> bytes:
    """The body of an iCal feed, refusing other schemes, errors and oversized bodies.

    ``timeout`` bounds the whole download, not only each read, so a server that drips
    one byte at a time cannot hold a worker.
    """
    address = check_address(url, allow_private_hosts=allow_private_hosts)
    request = urllib.request.Request(
        address, headers={"User-Agent": USER_AGENT, "Accept": "text/calendar"}
    )
    opener = urllib.request.build_opener(CheckedRedirects(allow_private_hosts))
    deadline = time_module.monotonic() + timeout
    try:
        with opener.open(request, timeout=timeout) as response:
            declared = response.headers.get("Content-Length")
            if declared and declared.isdigit() and int(declared) > max_bytes:
                raise too_large(max_bytes)
            return read_within(response, max_bytes=max_bytes, deadline=deadline)
    except urllib.error.HTTPError as error:
        if 300 <= error.code < 400:  # urllib refuses redirects to other schemes itself
            raise CalendarError(
                CalendarErrorKind.BAD_ADDRESS,
                "The calendar address redirects to a place that is not a web address.",
            ) from None
        raise CalendarError(
            CalendarErrorKind.REFUSED,
            f"The calendar server answered {error.code} {error.reason}. "
            "Check that the secret address is complete and still valid.",
        ) from None
    except (urllib.error.URLError, OSError) as error:
        reason = getattr(error, "reason", error)
        raise CalendarError(
            CalendarErrorKind.UNREACHABLE,
            f"The calendar address could not be reached ({reason}).",
        ) from None


def read_within(response: Any, *, max_bytes: int, deadline: float) -> bytes:
    chunks: list[bytes] = []
    size = 0
    while chunk := response.read1(64 * 1024):
        size += len(chunk)
        if size > max_bytes:
            raise too_large(max_bytes)
        if time_module.monotonic() > deadline:
            raise CalendarError(
                CalendarErrorKind.UNREACHABLE,
                "The calendar server is too slow: the download did not finish in time.",
            )
        chunks.append(chunk)
    return b"".join(chunks)


def check_address(url: str, *, allow_private_hosts: bool) -> str:
    """The URL to fetch: http or https with a host; ``webcal://`` is read as https."""
    address = url.strip()
    scheme, _, rest = address.partition("://")
    if scheme.lower() == "webcal":
        address = "https://" + rest
    parts = urllib.parse.urlsplit(address)
    if parts.scheme.lower() not in ALLOWED_SCHEMES or not parts.hostname:
        raise CalendarError(
            CalendarErrorKind.BAD_ADDRESS,
            "A calendar address must start with https:// (or http://, webcal://) and name a server.",
        )
    if not allow_private_hosts:
        refuse_private_host(parts.hostname, parts.port)
    return address


def refuse_private_host(host: str, port: int | None) -> None:
    """Refuse a host that resolves to loopback, a private network or link-local.

    The check resolves the name before the request does; a name that changes its answer
    in between (DNS rebinding) is not caught here, which is why a deployment that fears
    it should also keep the worker off internal networks.
    """
    try:
        answers = socket.getaddrinfo(host, port or 443, proto=socket.IPPROTO_TCP)
    except (OSError, UnicodeError):
        raise CalendarError(
            CalendarErrorKind.UNREACHABLE, f"The server name {host!r} was not found."
        ) from None
    for *_, sockaddr in answers:
        if not ipaddress.ip_address(str(sockaddr[0]).split("%")[0]).is_global:
            raise CalendarError(
                CalendarErrorKind.BAD_ADDRESS,
                f"The calendar address {host!r} points into a private network; "
                "use the calendar's public address.",
            )


class CheckedRedirects(urllib.request.HTTPRedirectHandler):
    """Follow a redirect only to an address that passes the same checks as the first."""

    def __init__(self, allow_private_hosts: bool) -> None:
        self.allow_private_hosts = allow_private_hosts

    def redirect_request(
        self,
        req: urllib.request.Request,
        fp: Any,
        code: int,
        msg: str,
        headers: Any,
        newurl: str,
    ) -> urllib.request.Request | None:
        check_address(newurl, allow_private_hosts=self.allow_private_hosts)
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def too_large(max_bytes: int) -> CalendarError:
    return CalendarError(
        CalendarErrorKind.TOO_LARGE,
        f"The calendar is larger than {readable_size(max_bytes)}; "
        "publish a calendar with fewer past events.",
    )


def readable_size(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):g} MB"
    return f"{size / 1024:g} KB"


def caldav_event_texts(
    url: str, *, username: str, password: str, start: datetime, end: datetime, timeout: float
) -> list[bytes]:
    """The raw VCALENDAR text of each event resource touching the window, all calendars."""
    # imported here: it pulls in an HTTP stack only CalDAV users need
    from caldav.davclient import DAVClient
    from caldav.lib import error as dav_error

    margin = timedelta(days=1)  # floating times and all-day events sit in any zone
    try:
        with DAVClient(
            url=url,
            username=username,
            password=password,
            timeout=int(timeout),
            enable_rfc6764=False,
        ) as client:
            texts: list[bytes] = []
            for calendar in client.principal().calendars():
                found = calendar.search(
                    start=start - margin, end=end + margin, event=True, expand=False
                )
                texts += [as_bytes(item.data) for item in found]
            return texts
    except dav_error.AuthorizationError:
        raise CalendarError(
            CalendarErrorKind.REFUSED,
            "The CalDAV server refused the user name or app password.",
        ) from None
    except dav_error.DAVError as error:
        raise CalendarError(
            CalendarErrorKind.REFUSED,
            f"The CalDAV server did not answer as a calendar server ({type(error).__name__}).",
        ) from None
    except Exception as error:  # the HTTP stack (niquests) raises its own connection errors
        raise CalendarError(
            CalendarErrorKind.UNREACHABLE,
            f"The CalDAV server could not be reached ({type(error).__name__}).",
        ) from None


def as_bytes(data: str | bytes) -> bytes:
    return data.encode() if isinstance(data, str) else data


# ---------------------------------------------------------------- parsing and expansion


def busy_from_ical(
    texts: Iterable[bytes], *, start: datetime, end: datetime, time_zone: str
) -> tuple[Interval, ...]:
    """Merged busy intervals in ``[start, end)`` from one or more VCALENDAR texts."""
    window = Interval(start, end)
    fallback_zone = zone_of(time_zone)
    found: list[Interval] = []
    for text in texts:
        calendar = parse_calendar(text)
        zone = calendar_zone(calendar) or fallback_zone
        found += event_intervals(calendar, window, zone)
    return merge(found)


def parse_calendar(text: bytes) -> icalendar.Calendar:
    if not text.lstrip(b"\xef\xbb\xbf \t\r\n").upper().startswith(b"BEGIN:VCALENDAR"):
        raise not_ical("it does not start with BEGIN:VCALENDAR")
    try:
        calendar = icalendar.Calendar.from_ical(text)
    except ValueError as error:
        raise not_ical(str(error)) from None
    if not isinstance(calendar, icalendar.Calendar):
        raise not_ical("it holds more than one calendar")
    report_broken_events(calendar)
    return calendar


def not_ical(detail: str) -> CalendarError:
    return CalendarError(
        CalendarErrorKind.NOT_ICAL,
        f"The address did not return an iCal calendar: {detail}. "
        "Use the secret iCal (.ics) address, not the calendar's web page.",
    )


def report_broken_events(calendar: icalendar.Calendar) -> None:
    """Raise for the first event whose time properties icalendar could not parse."""
    for event in calendar.walk("VEVENT"):
        for name, problem in getattr(event, "errors", []):
            raise broken_event(event, f"{name}: {problem}")


def broken_event(event: icalendar.Component, detail: str) -> CalendarError:
    summary = str(event.get("SUMMARY", "")) or "(no title)"
    return CalendarError(
        CalendarErrorKind.BROKEN_EVENT,
        f"The event “{summary}” (UID {event.get('UID', '?')}) cannot be read ({detail}). "
        "Fix or delete it in your calendar; until then the last good busy times are used.",
    )


def calendar_zone(calendar: icalendar.Calendar) -> ZoneInfo | None:
    name = calendar.get("X-WR-TIMEZONE")
    if not name:
        return None
    try:
        return zone_of(str(name))
    except ValueError:
        return None


def event_intervals(
    calendar: icalendar.Calendar, window: Interval, zone: ZoneInfo
) -> Iterator[Interval]:
    """Each blocking occurrence in the window, as an aware interval clipped to it.

    ``recurring_ical_events.of`` already rewrites an ``X-WR-TIMEZONE`` calendar's UTC
    times into that zone; the floating times it leaves are placed in ``zone`` here.
    """
    margin = timedelta(days=1)  # the query is zone-less for floating times: widen, then clip
    try:
        occurrences = list(
            recurring_ical_events.of(calendar).between(window.start - margin, window.end + margin)
        )
    except recurring_ical_events.InvalidCalendar as error:
        raise CalendarError(
            CalendarErrorKind.BROKEN_EVENT,
            f"An event in the calendar cannot be expanded ({error}). "
            "Fix or delete it in your calendar; until then the last good busy times are used.",
        ) from None
    for occurrence in occurrences:
        if not blocks_time(occurrence):
            continue
        span = occurrence_span(occurrence, zone)
        if span is not None and span.start < window.end and window.start < span.end:
            yield Interval(max(span.start, window.start), min(span.end, window.end))


def blocks_time(event: icalendar.Component) -> bool:
    transparent = str(event.get("TRANSP", "OPAQUE")).upper() == "TRANSPARENT"
    cancelled = str(event.get("STATUS", "")).upper() == "CANCELLED"
    return not (transparent or cancelled)


def occurrence_span(event: icalendar.Component, zone: ZoneInfo) -> Interval | None:
    """The occurrence as aware datetimes; ``None`` if it takes no time."""
    begin = time_value(event, "DTSTART")
    finish = time_value(event, "DTEND")
    length = event.decoded("DURATION", None)
    if begin is None:
        return None
    if finish is None and isinstance(length, timedelta):
        finish = begin + length
    elif finish is None and isinstance(begin, datetime):
        return None  # RFC 5545: a timed event without DTEND or DURATION takes no time
    elif finish is None:
        finish = begin + timedelta(days=1)  # a date event without an end is one day
    start, end = aware(begin, zone), aware(finish, zone)
    return Interval(start, end) if end > start else None


def time_value(event: icalendar.Component, name: str) -> date | datetime | None:
    value = event.decoded(name, None)
    return value if isinstance(value, date) else None


def aware(moment: date | datetime, zone: tzinfo) -> datetime:
    """A DTSTART/DTEND value as an aware datetime; dates are local midnight in ``zone``."""
    if not isinstance(moment, datetime):
        moment = datetime.combine(moment, time(0))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=zone)
    return moment


# ---------------------------------------------------------------- interval arithmetic


def merge(intervals: Iterable[Interval]) -> tuple[Interval, ...]:
    """Sorted, disjoint intervals; overlapping or touching ones become one (in UTC)."""
    merged: list[Interval] = []
    for item in sorted(Interval(i.start.astimezone(UTC), i.end.astimezone(UTC)) for i in intervals):
        if merged and item.start <= merged[-1].end:
            last = merged[-1]
            merged[-1] = Interval(last.start, max(last.end, item.end))
        else:
            merged.append(item)
    return tuple(merged)


def subtract(free: Iterable[Interval], busy: Iterable[Interval]) -> tuple[Interval, ...]:
    """``free`` minus ``busy``: the parts of ``free`` no busy interval touches."""
    blocked = merge(busy)
    result: list[Interval] = []
    for span in merge(free):
        cursor = span.start
        for block in blocked:
            if block.end <= cursor or block.start >= span.end:
                continue
            if block.start > cursor:
                result.append(Interval(cursor, block.start))
            cursor = max(cursor, block.end)
        if cursor < span.end:
            result.append(Interval(cursor, span.end))
    return tuple(result)


def working_intervals(
    hours: WorkingHours, *, start: datetime, end: datetime
) -> tuple[Interval, ...]:
    """Working hours inside ``[start, end)`` as aware intervals, DST-correct.

    Each local day's spans are built in the person's zone (so 09:00 stays 09:00 across a
    daylight-saving change) and then compared in UTC.
    """
    window = Interval(start, end)
    zone = zone_of(hours.time_zone)
    first = window.start.astimezone(zone).date() - timedelta(days=1)
    last = window.end.astimezone(zone).date()
    spans: list[Interval] = []
    day = first
    while day <= last:
        for begin, finish in hours.weekly.get(day.weekday(), ()):
            span = local_span(day, begin, finish, zone)
            if span is not None and span.start < window.end and window.start < span.end:
                spans.append(Interval(max(span.start, window.start), min(span.end, window.end)))
        day += timedelta(days=1)
    return merge(spans)


def local_span(day: date, begin: time, finish: time, zone: ZoneInfo) -> Interval | None:
    """A local wall-clock span on ``day``; times skipped by a DST change move forward."""
    start = normalised(datetime.combine(day, begin, tzinfo=zone))
    end = normalised(datetime.combine(day, finish, tzinfo=zone))
    return Interval(start, end) if end > start else None


def normalised(moment: datetime) -> datetime:
    """Round-trip through UTC so a wall time that does not exist (02:30 in spring) is real."""
    return moment.astimezone(UTC).astimezone(moment.tzinfo)


def free_within(
    working_hours: WorkingHours, busy: Iterable[Interval], *, start: datetime, end: datetime
) -> tuple[Interval, ...]:
    """Free time in ``[start, end)``: the person's working hours minus their busy times."""
    return subtract(working_intervals(working_hours, start=start, end=end), busy)
