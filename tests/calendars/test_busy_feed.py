"""Busy times from an iCal feed served over loopback HTTP, and the ways a feed goes wrong."""

from __future__ import annotations

from datetime import datetime

import pytest

from secondround.calendars.busy import (
    CalendarError,
    CalendarErrorKind,
    busy_from_feed,
    busy_from_ical,
)
from tests.calendars import samples
from tests.calendars.conftest import FeedServer, free_port

START, END = samples.WINDOW


def spans(intervals: tuple) -> list[tuple[datetime, datetime]]:
    return [(i.start, i.end) for i in intervals]


def test_feed_is_expanded_into_busy_intervals(feed_server: FeedServer) -> None:
    feed_server.routes["/cal.ics"] = (200, "text/calendar", samples.feed())
    busy = busy_from_feed(
        feed_server.url("/cal.ics"), start=START, end=END, time_zone="Europe/Berlin"
    )
    assert spans(busy) == samples.EXPECTED_BUSY_UTC


def test_busy_is_clipped_to_the_window() -> None:
    # the window opens in the middle of the 16 March sync (08:00-09:00 UTC)
    start = samples.utc(2026, 3, 16, 8, 30)
    busy = busy_from_ical([samples.feed()], start=start, end=END, time_zone="Europe/Berlin")
    assert spans(busy)[0] == (start, samples.utc(2026, 3, 16, 9))


def test_floating_times_follow_the_person_zone() -> None:
    text = samples.vcalendar(samples.FLOATING_LUNCH).encode()
    busy = busy_from_ical([text], start=START, end=END, time_zone="America/New_York")
    # 13:00 in New York on 24 March (EDT, UTC-4) is 17:00 UTC
    assert spans(busy) == [(samples.utc(2026, 3, 24, 17), samples.utc(2026, 3, 24, 17, 30))]


def test_x_wr_timezone_names_the_zone_of_floating_times() -> None:
    text = samples.vcalendar(samples.FLOATING_LUNCH, extra="X-WR-TIMEZONE:Asia/Tokyo").encode()
    busy = busy_from_ical([text], start=START, end=END, time_zone="Europe/Berlin")
    assert spans(busy) == [(samples.utc(2026, 3, 24, 4), samples.utc(2026, 3, 24, 4, 30))]


def test_overlapping_events_from_two_calendars_merge() -> None:
    one = samples.vcalendar(samples.OFFSITE_ALL_DAY).encode()
    two = samples.vcalendar(samples.FLOATING_LUNCH.replace("20260324", "20260325")).encode()
    busy = busy_from_ical([one, two], start=START, end=END, time_zone="Europe/Berlin")
    assert spans(busy) == [(samples.utc(2026, 3, 24, 23), samples.utc(2026, 3, 25, 23))]


def test_webcal_address_is_read_as_https() -> None:
    # nothing listens on https at this port: the scheme was accepted and the fetch tried
    with pytest.raises(CalendarError) as caught:
        busy_from_feed(
            f"webcal://127.0.0.1:{free_port()}/cal.ics",
            start=START, end=END, time_zone="Europe/Berlin", timeout=2,
        )  # fmt: skip
    assert caught.value.kind == CalendarErrorKind.UNREACHABLE


@pytest.mark.parametrize(
    "url", ["file:///etc/passwd", "ftp://example.org/cal.ics", "calendar.ics", "https://"]
)
def test_only_http_addresses_are_fetched(url: str) -> None:
    with pytest.raises(CalendarError) as caught:
        busy_from_feed(url, start=START, end=END, time_zone="Europe/Berlin")
    assert caught.value.kind == CalendarErrorKind.BAD_ADDRESS
    assert "https://" in str(caught.value)


def test_unreachable_port_is_reported() -> None:
    url = f"http://127.0.0.1:{free_port()}/cal.ics"
    with pytest.raises(CalendarError) as caught:
        busy_from_feed(url, start=START, end=END, time_zone="Europe/Berlin", timeout=2)
    assert caught.value.kind == CalendarErrorKind.UNREACHABLE
    assert "could not be reached" in str(caught.value)


def test_http_error_status_is_reported(feed_server: FeedServer) -> None:
    with pytest.raises(CalendarError) as caught:
        busy_from_feed(
            feed_server.url("/gone.ics"), start=START, end=END, time_zone="Europe/Berlin"
        )
    assert caught.value.kind == CalendarErrorKind.REFUSED
    assert "404" in str(caught.value)


def test_html_page_is_not_ical(feed_server: FeedServer) -> None:
    html = b"<!doctype html><html><body>Sign in to your calendar</body></html>"
    feed_server.routes["/page"] = (200, "text/html", html)
    with pytest.raises(CalendarError) as caught:
        busy_from_feed(feed_server.url("/page"), start=START, end=END, time_zone="Europe/Berlin")
    assert caught.value.kind == CalendarErrorKind.NOT_ICAL
    assert "secret iCal" in str(caught.value)


def test_truncated_calendar_is_not_ical(feed_server: FeedServer) -> None:
    feed_server.routes["/cut.ics"] = (200, "text/calendar", samples.feed()[:300])
    with pytest.raises(CalendarError) as caught:
        busy_from_feed(feed_server.url("/cut.ics"), start=START, end=END, time_zone="Europe/Berlin")
    assert caught.value.kind == CalendarErrorKind.NOT_ICAL


def test_huge_body_is_refused_without_reading_it_all(feed_server: FeedServer) -> None:
    huge = samples.feed() + b" " * (6 * 1024 * 1024)
    feed_server.routes["/huge.ics"] = (200, "text/calendar", huge)
    with pytest.raises(CalendarError) as caught:
        busy_from_feed(
            feed_server.url("/huge.ics"), start=START, end=END, time_zone="Europe/Berlin"
        )
    assert caught.value.kind == CalendarErrorKind.TOO_LARGE
    assert "5 MB" in str(caught.value)


def test_broken_rrule_fails_the_read_and_names_the_event(feed_server: FeedServer) -> None:
    broken = samples.WEEKLY_SYNC.replace("BYDAY=MO", "BYDAY=XX")
    feed_server.routes["/broken.ics"] = (
        200, "text/calendar", samples.vcalendar(broken, samples.OFFSITE_ALL_DAY).encode(),
    )  # fmt: skip
    with pytest.raises(CalendarError) as caught:
        busy_from_feed(
            feed_server.url("/broken.ics"), start=START, end=END, time_zone="Europe/Berlin"
        )
    assert caught.value.kind == CalendarErrorKind.BROKEN_EVENT
    message = str(caught.value)
    assert "Team sync" in message and "team-sync@example.org" in message
    assert "RRULE" in message and "last good busy times" in message


def test_window_must_be_aware_and_ordered() -> None:
    with pytest.raises(ValueError, match="aware"):
        busy_from_ical([samples.feed()], start=datetime(2026, 3, 16), end=END, time_zone="UTC")
    with pytest.raises(ValueError, match="after"):
        busy_from_ical([samples.feed()], start=END, end=START, time_zone="UTC")
    with pytest.raises(ValueError, match="time zone"):
        busy_from_ical([samples.feed()], start=START, end=END, time_zone="Mars/Olympus")
