"""Busy times from an iCal feed served over loopback HTTP, and the ways a feed goes wrong."""

from __future__ import annotations

from datetime import datetime

import pytest

from secondround.calendars.busy import (
    CalendarError,
    CalendarErrorKind,
    Interval,
    busy_from_feed,
    busy_from_ical,
)
from tests.calendars import samples
from tests.calendars.conftest import FeedServer, Reply, free_port

START, END = samples.WINDOW


def spans(intervals: tuple[Interval, ...]) -> list[tuple[datetime, datetime]]:
    return [(i.start, i.end) for i in intervals]


def read(url: str, **options: object) -> tuple[Interval, ...]:
    """Read a feed from the loopback test server (a private address, allowed here)."""
    kwargs: dict[str, object] = {"allow_private_hosts": True, **options}
    return busy_from_feed(url, start=START, end=END, time_zone="Europe/Berlin", **kwargs)  # type: ignore[arg-type]


def failure(url: str, **options: object) -> CalendarError:
    with pytest.raises(CalendarError) as caught:
        read(url, **options)
    return caught.value


def test_feed_is_expanded_into_busy_intervals(feed_server: FeedServer) -> None:
    feed_server.routes["/cal.ics"] = Reply(200, "text/calendar", samples.feed())
    assert spans(read(feed_server.url("/cal.ics"))) == samples.EXPECTED_BUSY_UTC


def test_redirect_to_another_feed_is_followed(feed_server: FeedServer) -> None:
    feed_server.routes["/cal.ics"] = Reply(200, "text/calendar", samples.feed())
    feed_server.routes["/old"] = Reply(301, "text/plain", b"", location="/cal.ics")
    assert spans(read(feed_server.url("/old"))) == samples.EXPECTED_BUSY_UTC


def test_redirect_to_a_file_is_refused(feed_server: FeedServer) -> None:
    feed_server.routes["/sneaky"] = Reply(302, "text/plain", b"", location="file:///etc/passwd")
    assert failure(feed_server.url("/sneaky")).kind == CalendarErrorKind.BAD_ADDRESS


def test_private_addresses_are_refused_by_default(feed_server: FeedServer) -> None:
    feed_server.routes["/cal.ics"] = Reply(200, "text/calendar", samples.feed())
    error = failure(feed_server.url("/cal.ics"), allow_private_hosts=False)
    assert error.kind == CalendarErrorKind.BAD_ADDRESS
    assert "private network" in str(error)


def test_redirect_into_a_private_network_is_refused() -> None:
    # checked before any request: the redirect handler applies the same rule
    from secondround.calendars.busy import CheckedRedirects

    with pytest.raises(CalendarError) as caught:
        CheckedRedirects(False).redirect_request(
            None,  # type: ignore[arg-type]
            None, 302, "Found", {}, "http://169.254.169.254/latest/meta-data/",
        )  # fmt: skip
    assert caught.value.kind == CalendarErrorKind.BAD_ADDRESS


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
    error = failure(f"webcal://127.0.0.1:{free_port()}/cal.ics", timeout=2)
    assert error.kind == CalendarErrorKind.UNREACHABLE


@pytest.mark.parametrize(
    "url", ["file:///etc/passwd", "ftp://example.org/cal.ics", "calendar.ics", "https://"]
)
def test_only_http_addresses_are_fetched(url: str) -> None:
    error = failure(url)
    assert error.kind == CalendarErrorKind.BAD_ADDRESS
    assert "https://" in str(error)


def test_unreachable_port_is_reported() -> None:
    error = failure(f"http://127.0.0.1:{free_port()}/cal.ics", timeout=2)
    assert error.kind == CalendarErrorKind.UNREACHABLE
    assert "could not be reached" in str(error)


def test_http_error_status_is_reported(feed_server: FeedServer) -> None:
    error = failure(feed_server.url("/gone.ics"))
    assert error.kind == CalendarErrorKind.REFUSED
    assert "404" in str(error)


def test_html_page_is_not_ical(feed_server: FeedServer) -> None:
    html = b"<!doctype html><html><body>Sign in to your calendar</body></html>"
    feed_server.routes["/page"] = Reply(200, "text/html", html)
    error = failure(feed_server.url("/page"))
    assert error.kind == CalendarErrorKind.NOT_ICAL
    assert "secret iCal" in str(error)


def test_truncated_calendar_is_not_ical(feed_server: FeedServer) -> None:
    feed_server.routes["/cut.ics"] = Reply(200, "text/calendar", samples.feed()[:300])
    assert failure(feed_server.url("/cut.ics")).kind == CalendarErrorKind.NOT_ICAL


def test_huge_body_is_refused(feed_server: FeedServer) -> None:
    huge = samples.feed() + b" " * (6 * 1024 * 1024)
    feed_server.routes["/huge.ics"] = Reply(200, "text/calendar", huge)
    error = failure(feed_server.url("/huge.ics"))
    assert error.kind == CalendarErrorKind.TOO_LARGE
    assert "5 MB" in str(error)


def test_huge_body_without_a_length_is_cut_off_while_reading(feed_server: FeedServer) -> None:
    body = samples.feed() + b" " * 3000
    feed_server.routes["/big.ics"] = Reply(200, "text/calendar", body)
    error = failure(feed_server.url("/big.ics"), max_bytes=2048)
    assert error.kind == CalendarErrorKind.TOO_LARGE
    assert "larger than 2 KB" in str(error)


def test_a_server_that_drips_is_cut_off_at_the_timeout(feed_server: FeedServer) -> None:
    body = samples.feed() * 4  # about 10 pieces of 1 KB, one every 0.3 s
    feed_server.routes["/slow.ics"] = Reply(200, "text/calendar", body, drip_seconds=0.3)
    error = failure(feed_server.url("/slow.ics"), timeout=1)
    assert error.kind == CalendarErrorKind.UNREACHABLE
    assert "too slow" in str(error)


def test_broken_rrule_fails_the_read_and_names_the_event(feed_server: FeedServer) -> None:
    broken = samples.WEEKLY_SYNC.replace("BYDAY=MO", "BYDAY=XX")
    body = samples.vcalendar(broken, samples.OFFSITE_ALL_DAY).encode()
    feed_server.routes["/broken.ics"] = Reply(200, "text/calendar", body)
    error = failure(feed_server.url("/broken.ics"))
    assert error.kind == CalendarErrorKind.BROKEN_EVENT
    message = str(error)
    assert "Team sync" in message and "team-sync@example.org" in message
    assert "RRULE" in message and "last good busy times" in message


def test_a_bad_window_is_refused_before_any_request() -> None:
    # the port is closed: a ValueError (not UNREACHABLE) proves nothing was fetched
    with pytest.raises(ValueError, match="aware"):
        busy_from_feed(
            f"http://127.0.0.1:{free_port()}/cal.ics",
            start=datetime(2026, 3, 16), end=END, time_zone="UTC", allow_private_hosts=True,
        )  # fmt: skip


def test_window_must_be_aware_and_ordered() -> None:
    with pytest.raises(ValueError, match="aware"):
        busy_from_ical([samples.feed()], start=datetime(2026, 3, 16), end=END, time_zone="UTC")
    with pytest.raises(ValueError, match="after"):
        busy_from_ical([samples.feed()], start=END, end=START, time_zone="UTC")
    with pytest.raises(ValueError, match="time zone"):
        busy_from_ical([samples.feed()], start=START, end=END, time_zone="Mars/Olympus")
