"""What counts as busy, event by event (RFC 5545 as calendar clients use it)."""

from __future__ import annotations

from datetime import datetime

from secondround.calendars.busy import busy_from_ical
from tests.calendars import samples
from tests.calendars.samples import utc

START, END = samples.WINDOW


def busy_of(*events: str, zone: str = "Europe/Berlin") -> list[tuple[datetime, datetime]]:
    text = samples.vcalendar(*events).encode()
    return [(i.start, i.end) for i in busy_from_ical([text], start=START, end=END, time_zone=zone)]


def event(uid: str, *lines: str) -> str:
    return "\n".join(
        ["BEGIN:VEVENT", f"UID:{uid}", "DTSTAMP:20260301T000000Z", *lines, "END:VEVENT"]
    )


def test_a_cancelled_occurrence_frees_its_slot() -> None:
    daily = event(
        "standup@x",
        "SUMMARY:Standup",
        "DTSTART;TZID=Europe/Berlin:20260330T090000",
        "DTEND;TZID=Europe/Berlin:20260330T091500",
        "RRULE:FREQ=DAILY;COUNT=3",
    )
    cancelled = event(
        "standup@x",
        "RECURRENCE-ID;TZID=Europe/Berlin:20260331T090000",
        "DTSTART;TZID=Europe/Berlin:20260331T090000",
        "DTEND;TZID=Europe/Berlin:20260331T091500",
        "STATUS:CANCELLED",
    )
    assert busy_of(daily, cancelled) == [
        (utc(2026, 3, 30, 7), utc(2026, 3, 30, 7, 15)),
        (utc(2026, 4, 1, 7), utc(2026, 4, 1, 7, 15)),
    ]


def test_duration_instead_of_dtend() -> None:
    talk = event("talk@x", "DTSTART:20260326T150000Z", "DURATION:PT1H30M")
    assert busy_of(talk) == [(utc(2026, 3, 26, 15), utc(2026, 3, 26, 16, 30))]


def test_timed_event_without_end_takes_no_time_and_a_dated_one_a_day() -> None:
    reminder = event("reminder@x", "DTSTART:20260326T150000Z")
    holiday = event("holiday@x", "DTSTART;VALUE=DATE:20260403")
    assert busy_of(reminder, holiday) == [(utc(2026, 4, 2, 22), utc(2026, 4, 3, 22))]


def test_all_day_on_the_change_day_is_23_hours() -> None:
    sunday = event("sunday@x", "DTSTART;VALUE=DATE:20260329", "DTEND;VALUE=DATE:20260330")
    assert busy_of(sunday) == [(utc(2026, 3, 28, 23), utc(2026, 3, 29, 22))]


def test_weekly_series_in_new_york_keeps_local_time_over_the_us_change() -> None:
    # US clocks changed on 8 March; a series from February stays at 10:00 New York time
    series = event(
        "ny@x",
        "DTSTART;TZID=America/New_York:20260202T100000",
        "DTEND;TZID=America/New_York:20260202T103000",
        "RRULE:FREQ=WEEKLY;UNTIL=20260317T000000Z",
    )
    assert busy_of(series) == [(utc(2026, 3, 16, 14), utc(2026, 3, 16, 14, 30))]


def test_events_outside_the_window_are_ignored() -> None:
    old = event("old@x", "DTSTART:20250101T090000Z", "DTEND:20250101T100000Z")
    assert busy_of(old) == []
