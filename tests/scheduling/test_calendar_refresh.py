"""The worker reads connected calendars: a real iCal feed over loopback HTTP and a real Radicale."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import caldav
import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pytest_django.fixtures import Settings

from secondround.accounts.models import User
from secondround.ops import schedule
from secondround.scheduling import services
from secondround.scheduling.models import BusyBlock, BusySource, CalendarConnection
from tests.calendars.conftest import CalDavServer, FeedServer, Reply, feed_server, radicale
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)
__all__ = ["feed_server", "radicale"]  # the fixtures, re-used from tests/calendars


@pytest.fixture(autouse=True)
def loopback_allowed(settings: Settings) -> None:
    settings.SECONDROUND_CALENDAR_PRIVATE_HOSTS = True


def stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def weekly_meeting(
    first: datetime, summary: str = "Team sync", rrule: str = "FREQ=WEEKLY"
) -> bytes:
    lines = [
        "BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//tests//EN", "BEGIN:VEVENT",
        f"UID:{summary.replace(' ', '-')}@example.org", f"DTSTAMP:{stamp(first)}",
        f"SUMMARY:{summary}", f"DTSTART:{stamp(first)}",
        f"DTEND:{stamp(first + timedelta(hours=1))}", f"RRULE:{rrule}",
        "END:VEVENT", "END:VCALENDAR", "",
    ]  # fmt: skip
    return "\r\n".join(lines).encode()


def tomorrow_at_ten() -> datetime:
    return (timezone.now() + timedelta(days=1)).replace(hour=10, minute=0, second=0, microsecond=0)


def connect(user: User, url: str) -> CalendarConnection:
    return services.connect_calendar(user, kind="ical", url=url)


def test_the_worker_reads_a_feed_and_replaces_the_calendar_blocks(
    feed_server: FeedServer, settings: Settings
) -> None:
    settings.SECONDROUND_BACKUP_KEEP = 0  # only the calendar job is due
    ines = UserFactory(full_name="Inês Costa")
    first = tomorrow_at_ten()
    feed_server.routes["/ines.ics"] = Reply(200, "text/calendar", weekly_meeting(first))
    connection = connect(ines, feed_server.url("/ines.ics"))
    BusyBlock.objects.create(user=ines, starts_at=first, ends_at=first + timedelta(hours=1))
    assert schedule.enqueue_due_jobs() == ["calendar-refresh"]
    call_command("db_worker", batch=True, verbosity=0)
    from_calendar = BusyBlock.objects.filter(user=ines, source=BusySource.CALENDAR)
    assert from_calendar.count() >= 8  # weekly over the next 60 days
    assert from_calendar.first().starts_at == first  # type: ignore[union-attr]
    assert BusyBlock.objects.filter(user=ines, source=BusySource.MANUAL).count() == 1
    connection.refresh_from_db()
    assert connection.last_ok_at is not None and connection.last_error == ""


def test_a_broken_feed_keeps_the_last_good_busy_times(feed_server: FeedServer) -> None:
    ines = UserFactory()
    feed_server.routes["/ines.ics"] = Reply(200, "text/calendar", weekly_meeting(tomorrow_at_ten()))
    connection = connect(ines, feed_server.url("/ines.ics"))
    assert services.refresh_calendar(connection)
    kept = BusyBlock.objects.filter(user=ines).count()
    broken = weekly_meeting(tomorrow_at_ten(), rrule="FREQ=SOMETIMES;BYDAY=XX")
    for reply, words in (
        (Reply(200, "text/calendar", broken), "Team sync"),
        (Reply(200, "text/html", b"<html>Sign in to Calendar</html>"), "iCal"),
        (Reply(500, "text/plain", b"oops"), ""),
    ):
        feed_server.routes["/ines.ics"] = reply
        assert not services.refresh_calendar(connection)
        connection.refresh_from_db()
        assert connection.last_error and words in connection.last_error
        assert BusyBlock.objects.filter(user=ines).count() == kept
    page = Client()
    page.force_login(ines)
    html = page.get(reverse("scheduling:availability")).content.decode()
    assert "Last good busy times are kept" in html


def test_one_bad_calendar_does_not_stop_the_others(feed_server: FeedServer) -> None:
    good, bad = UserFactory(), UserFactory()
    feed_server.routes["/good.ics"] = Reply(200, "text/calendar", weekly_meeting(tomorrow_at_ten()))
    connect(good, feed_server.url("/good.ics"))
    connect(bad, feed_server.url("/missing.ics"))
    from secondround.scheduling.tasks import refresh_calendars

    assert refresh_calendars.call() == 1
    assert BusyBlock.objects.filter(user=good).exists()
    assert CalendarConnection.objects.get(user=bad).last_error


def test_caldav_busy_times_from_a_real_radicale(radicale: CalDavServer) -> None:
    ines = UserFactory()
    client = caldav.DAVClient(radicale.url, username=radicale.username, password=radicale.password)
    principal = client.principal()
    calendar = principal.make_calendar(name="Work")
    first = tomorrow_at_ten()
    calendar.save_event(weekly_meeting(first, "Ward round").decode())
    connection = services.connect_calendar(
        ines, kind="caldav", url=radicale.url, username=radicale.username, secret=radicale.password
    )
    assert services.refresh_calendar(connection), connection.last_error
    blocks = BusyBlock.objects.filter(user=ines, source=BusySource.CALENDAR)
    assert blocks.first().starts_at == first  # type: ignore[union-attr]
    wrong = services.connect_calendar(
        ines, kind="caldav", url=radicale.url, username=radicale.username, secret="wrong"
    )
    assert not services.refresh_calendar(wrong)
    wrong.refresh_from_db()
    assert wrong.last_error
    assert blocks.count() >= 8  # kept
