"""Background work for scheduling: reading everyone's connected calendar every quarter hour."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from django.tasks import task
from django.utils import timezone

from secondround.scheduling.models import CalendarConnection

REFRESH_EVERY = timedelta(minutes=15)
CALENDAR_REFRESH = "calendar-refresh"


def latest_quarter_slot(now: datetime) -> datetime:
    """The most recent quarter hour (UTC) that is not in the future: the refresh's timetable."""
    moment = now.astimezone(UTC)
    return moment.replace(minute=moment.minute - moment.minute % 15, second=0, microsecond=0)


def anything_to_refresh() -> bool:
    return CalendarConnection.objects.exists()


@task()
def refresh_calendar(connection_id: int) -> bool:
    """Read one person's calendar now (the "refresh now" button queues this)."""
    from secondround.scheduling.services import refresh_calendar as refresh

    connection = CalendarConnection.objects.select_related("user").filter(pk=connection_id).first()
    return refresh(connection) if connection is not None else False


@task()
def refresh_calendars() -> int:
    """Read every connection not tried within the last quarter hour; one failure never stops the
    others (its message is stored for the person's page). Returns how many were read."""
    from secondround.scheduling.services import refresh_calendar as refresh

    due = timezone.now() - REFRESH_EVERY + timedelta(minutes=1)
    read = 0
    for connection in CalendarConnection.objects.select_related("user").exclude(
        last_tried_at__gt=due
    ):
        read += refresh(connection)
    return read
