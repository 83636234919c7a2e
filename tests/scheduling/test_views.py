"""The board, the session edit, availability, rooms and policy pages: access and bad input."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse

from secondround.accounts.models import Role
from secondround.hiring.models import Interview
from secondround.scheduling.models import BusyBlock, PersonAvailability, Room, ScheduledSession
from secondround.scheduling.selectors import ZoneInfo
from tests.conftest import client_for
from tests.factories import UserFactory
from tests.scheduling.conftest import Setup, next_monday

pytestmark = pytest.mark.django_db


def run(setup: Setup, **extra: str) -> str:
    data = {"week": next_monday().isoformat(), **extra}
    response = client_for(setup.manager).post(
        reverse("scheduling:run", args=[setup.position.pk]), data
    )
    assert response.status_code == (400 if "bad" in extra.get("week", "") else 200)
    return response.content.decode()


def test_the_board_schedules_every_finalist_in_one_action(setup: Setup) -> None:
    html = run(setup)
    assert "2 loops booked" in html
    assert "Aisha Bello" in html and "Role deep dive" in html
    assert ScheduledSession.objects.count() == 6
    assert Interview.objects.filter(interviewer=setup.priya).count() == 2


def test_the_board_says_why_a_loop_cannot_be_placed(setup: Setup) -> None:
    start = next_monday() - timedelta(days=1)
    BusyBlock.objects.create(
        user=setup.priya,
        starts_at=f"{start.isoformat()}T00:00:00+00:00",
        ends_at=f"{(start + timedelta(days=9)).isoformat()}T00:00:00+00:00",
    )
    html = run(setup)
    assert "Could not be placed" in html and "Priya Nair" in html
    assert not ScheduledSession.objects.exists()


def test_bad_week_names_the_field(setup: Setup) -> None:
    html = run(setup, week="bad-week")
    assert 'id="id_week_error"' in html


def test_the_panel_may_not_schedule_and_outsiders_see_nothing(setup: Setup) -> None:
    url = reverse("scheduling:board", args=[setup.position.pk])
    assert client_for(setup.priya).get(url).status_code == 403
    assert client_for(UserFactory()).get(url).status_code == 404
    assert client_for(setup.manager).get(url + "?week=garbage").status_code == 200


def test_moving_a_session_onto_a_clash_is_refused_then_overridden(setup: Setup) -> None:
    run(setup)
    aisha, jordan = ScheduledSession.objects.filter(session=setup.sessions[1]).order_by("starts_at")
    url = reverse("scheduling:session", args=[jordan.pk])
    local = aisha.starts_at.astimezone(ZoneInfo("Europe/Berlin")).strftime("%Y-%m-%dT%H:%M")
    client = client_for(setup.manager)
    refused = client.post(url, {"action": "move", "move-starts_at": local})
    assert refused.status_code == 400
    assert "Priya Nair already interviews" in refused.content.decode()
    in_panel = client.post(
        url, {"action": "move", "move-starts_at": local}, headers={"HX-Request": "true"}
    )
    assert in_panel.status_code == 400  # base.html's htmx-config swaps it into the panel
    assert 'id="edit-panel"' in in_panel.content.decode()
    assert "<html" not in in_panel.content.decode()
    kept = client.post(
        url, {"action": "move", "move-starts_at": local, "move-override_reason": "Pair interview"},
        headers={"HX-Request": "true"},
    )  # fmt: skip
    assert kept.status_code == 200 and "Pair interview" in kept.content.decode()
    # The panel says so in place; no second "changed" notice waits for the next page.
    assert "Saved; everyone" in kept.content.decode()
    assert "Session changed" not in client.get(url).content.decode()
    jordan.refresh_from_db()
    assert jordan.starts_at == aisha.starts_at and jordan.sequence == 1
    board = client.get(
        reverse("scheduling:board", args=[setup.position.pk]) + f"?week={next_monday()}"
    )
    assert "Override:" in board.content.decode() and "conflict" in board.content.decode()


def test_availability_page_saves_hours_and_refuses_bad_ones(setup: Setup) -> None:
    client = client_for(setup.priya)
    url = reverse("scheduling:availability")
    assert client.get(url).status_code == 200
    bad = client.post(url, {"action": "hours", "time_zone": "Mars/Base", "day_0": "17:00-09:00"})
    assert bad.status_code == 400
    assert 'id="id_time_zone_error"' in bad.content.decode()
    assert 'id="id_day_0_error"' in bad.content.decode()
    good = client.post(
        url, {"action": "hours", "time_zone": "Europe/Lisbon", "day_0": "08:00-12:00, 13:00-16:00",
              "max_per_day": "1"},
    )  # fmt: skip
    assert good.status_code == 302
    saved = PersonAvailability.objects.get(user=setup.priya)
    assert saved.working_hours == {"0": [["08:00", "12:00"], ["13:00", "16:00"]]}
    assert saved.max_per_day == 1
    over = client.post(url, {"action": "hours", "time_zone": "UTC", "max_per_day": "9"})
    assert over.status_code == 400


def test_a_calendar_address_that_is_not_http_is_refused_on_its_field(setup: Setup) -> None:
    response = client_for(setup.priya).post(
        reverse("scheduling:availability"),
        {"action": "connect", "kind": "ical", "url": "file:///etc/passwd"},
    )
    assert response.status_code == 400
    assert 'id="id_url_error"' in response.content.decode()


def test_rooms_and_policy_are_for_admins(setup: Setup) -> None:
    admin = UserFactory(role=Role.ADMIN)
    assert client_for(setup.manager).get(reverse("scheduling:rooms")).status_code == 403
    assert client_for(setup.manager).get(reverse("scheduling:policy")).status_code == 403
    client = client_for(admin)
    assert (
        client.post(reverse("scheduling:rooms"), {"name": "Osprey", "capacity": "6"}).status_code
        == 302
    )
    duplicate = client.post(reverse("scheduling:rooms"), {"name": "osprey", "capacity": "2"})
    assert duplicate.status_code == 400 and Room.objects.count() == 1
    bad = client.post(reverse("scheduling:policy"), {"time_zone": "Europe/Berlin", "max_per_day": "3",
                                                     "max_per_week": "2"})  # fmt: skip
    assert bad.status_code == 400


def test_load_page_counts_interviews_against_caps(setup: Setup) -> None:
    run(setup)
    html = (
        client_for(setup.priya)
        .get(reverse("scheduling:load") + f"?week={next_monday()}")
        .content.decode()
    )
    assert "Priya Nair" in html and "2 / 6" in html
    assert "Rita Campbell" not in html  # hosting a welcome is not an interview
