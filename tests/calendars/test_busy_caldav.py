"""Busy times read from a real Radicale CalDAV server, events written with the caldav client."""

from __future__ import annotations

import caldav
import pytest

from secondround.calendars.busy import CalendarError, CalendarErrorKind, busy_from_caldav
from tests.calendars import samples
from tests.calendars.conftest import CalDavServer, free_port

START, END = samples.WINDOW


def write_events(server: CalDavServer) -> None:
    """Two calendars, as a person with a work and a private calendar has."""
    with caldav.DAVClient(
        url=server.url, username=server.username, password=server.password
    ) as client:
        principal = client.principal()
        work = principal.make_calendar(name="Work")
        private = principal.make_calendar(name="Private")
        for text in samples.RESOURCES[:3]:
            work.save_event(text)
        for text in samples.RESOURCES[3:]:
            private.save_event(text)
        # an event far outside the window, which the server search must leave out
        far = samples.FLOATING_LUNCH.replace("20260324", "20270324").replace("lunch@", "next-year@")
        private.save_event(samples.vcalendar(far))


def test_caldav_events_become_busy_intervals(radicale: CalDavServer) -> None:
    write_events(radicale)
    busy = busy_from_caldav(
        radicale.url,
        username=radicale.username,
        password=radicale.password,
        start=START,
        end=END,
        time_zone="Europe/Berlin",
        allow_private_hosts=True,
    )
    assert [(i.start, i.end) for i in busy] == samples.EXPECTED_BUSY_UTC


def test_wrong_app_password_is_refused(radicale: CalDavServer) -> None:
    with pytest.raises(CalendarError) as caught:
        busy_from_caldav(
            radicale.url,
            username=radicale.username,
            password="wrong",
            start=START,
            end=END,
            time_zone="Europe/Berlin",
            allow_private_hosts=True,
        )
    assert caught.value.kind == CalendarErrorKind.REFUSED
    assert "app password" in str(caught.value)


def test_caldav_server_that_is_not_there_is_unreachable() -> None:
    with pytest.raises(CalendarError) as caught:
        busy_from_caldav(
            f"http://127.0.0.1:{free_port()}/",
            username="ines",
            password="x",
            start=START,
            end=END,
            time_zone="Europe/Berlin",
            allow_private_hosts=True,
            timeout=2,
        )
    assert caught.value.kind == CalendarErrorKind.UNREACHABLE


def test_caldav_address_must_be_http() -> None:
    with pytest.raises(CalendarError) as caught:
        busy_from_caldav(
            "ldap://127.0.0.1/",
            username="ines",
            password="x",
            start=START,
            end=END,
            time_zone="Europe/Berlin",
            allow_private_hosts=True,
        )
    assert caught.value.kind == CalendarErrorKind.BAD_ADDRESS
