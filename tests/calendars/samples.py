"""One person's calendar around the Berlin daylight-saving change (Sunday 2026-03-29).

Each entry of ``RESOURCES`` is one CalDAV resource (a VCALENDAR); ``feed()`` joins them
into one published feed. ``EXPECTED_BUSY_UTC`` is what a reader must find in ``WINDOW``.
"""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

BERLIN = ZoneInfo("Europe/Berlin")
WINDOW = (datetime(2026, 3, 16, tzinfo=BERLIN), datetime(2026, 4, 7, tzinfo=BERLIN))

VTIMEZONE_BERLIN = """BEGIN:VTIMEZONE
TZID:Europe/Berlin
BEGIN:DAYLIGHT
TZOFFSETFROM:+0100
TZOFFSETTO:+0200
TZNAME:CEST
DTSTART:19700329T020000
RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU
END:DAYLIGHT
BEGIN:STANDARD
TZOFFSETFROM:+0200
TZOFFSETTO:+0100
TZNAME:CET
DTSTART:19701025T030000
RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU
END:STANDARD
END:VTIMEZONE"""

# Monday 09:00 Berlin, weekly: 23 March skipped (EXDATE), 30 March moved to Tuesday 14:00.
WEEKLY_SYNC = """BEGIN:VEVENT
UID:team-sync@example.org
DTSTAMP:20260301T000000Z
SUMMARY:Team sync
DTSTART;TZID=Europe/Berlin:20260302T090000
DTEND;TZID=Europe/Berlin:20260302T100000
RRULE:FREQ=WEEKLY;BYDAY=MO
EXDATE;TZID=Europe/Berlin:20260323T090000
END:VEVENT
BEGIN:VEVENT
UID:team-sync@example.org
DTSTAMP:20260301T000000Z
SUMMARY:Team sync (moved)
RECURRENCE-ID;TZID=Europe/Berlin:20260330T090000
DTSTART;TZID=Europe/Berlin:20260331T140000
DTEND;TZID=Europe/Berlin:20260331T150000
END:VEVENT"""

OFFSITE_ALL_DAY = """BEGIN:VEVENT
UID:offsite@example.org
DTSTAMP:20260301T000000Z
SUMMARY:Offsite
DTSTART;VALUE=DATE:20260325
DTEND;VALUE=DATE:20260326
END:VEVENT"""

FOCUS_TRANSPARENT = """BEGIN:VEVENT
UID:focus@example.org
DTSTAMP:20260301T000000Z
SUMMARY:Focus time (shows as free)
DTSTART;TZID=Europe/Berlin:20260326T100000
DTEND;TZID=Europe/Berlin:20260326T110000
TRANSP:TRANSPARENT
END:VEVENT"""

CANCELLED = """BEGIN:VEVENT
UID:cancelled@example.org
DTSTAMP:20260301T000000Z
SUMMARY:Called off
DTSTART;TZID=Europe/Berlin:20260327T100000
DTEND;TZID=Europe/Berlin:20260327T110000
STATUS:CANCELLED
END:VEVENT"""

FLOATING_LUNCH = """BEGIN:VEVENT
UID:lunch@example.org
DTSTAMP:20260301T000000Z
SUMMARY:Lunch (floating time)
DTSTART:20260324T130000
DTEND:20260324T133000
END:VEVENT"""


def vcalendar(*events: str, extra: str = "") -> str:
    body = "\n".join(["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//tests//calendars//EN"])
    if extra:
        body += "\n" + extra
    return (
        body + "\n" + VTIMEZONE_BERLIN + "\n" + "\n".join(events) + "\nEND:VCALENDAR\n"
    ).replace("\n", "\r\n")


RESOURCES = [
    vcalendar(WEEKLY_SYNC),
    vcalendar(OFFSITE_ALL_DAY),
    vcalendar(FOCUS_TRANSPARENT),
    vcalendar(CANCELLED),
    vcalendar(FLOATING_LUNCH),
]


def feed() -> bytes:
    events = [WEEKLY_SYNC, OFFSITE_ALL_DAY, FOCUS_TRANSPARENT, CANCELLED, FLOATING_LUNCH]
    return vcalendar(*events).encode()


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)  # type: ignore[misc]


EXPECTED_BUSY_UTC = [
    (utc(2026, 3, 16, 8), utc(2026, 3, 16, 9)),  # Monday sync, CET (UTC+1)
    (utc(2026, 3, 24, 12), utc(2026, 3, 24, 12, 30)),  # floating lunch read in Berlin
    (utc(2026, 3, 24, 23), utc(2026, 3, 25, 23)),  # all-day offsite, Berlin midnight
    (utc(2026, 3, 31, 12), utc(2026, 3, 31, 13)),  # the moved sync, CEST (UTC+2)
    (utc(2026, 4, 6, 7), utc(2026, 4, 6, 8)),  # Monday sync after the change, CEST
]
