"""The scheduling API's answers have schemas now; they still say exactly what the old
`response=dict` answers said: the same keys, values and formats (a schema silently drops a
key it does not declare, so each answer is compared with the dict the endpoint builds)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from ninja.responses import NinjaJSONEncoder

from secondround.api import scheduling as endpoints
from secondround.scheduling.models import ScheduledSession
from tests.conftest import client_for
from tests.scheduling.conftest import Setup, next_monday

pytestmark = pytest.mark.django_db


def as_json(value: Any) -> Any:
    """What the API wrote for a plain dict: ninja's encoder, no schema in between."""
    return json.loads(json.dumps(value, cls=NinjaJSONEncoder))


def test_availability_answer_is_the_whole_dict(setup: Setup) -> None:
    answer = client_for(setup.priya).get("/api/v1/availability").json()
    assert answer == as_json(endpoints._availability(setup.priya))
    assert set(answer) == {"time_zone", "working_hours", "max_per_day", "max_per_week", "caps"}


def test_board_and_bookings_answer_every_session_key(setup: Setup) -> None:
    client = client_for(setup.manager)
    url = f"/api/v1/positions/{setup.position.pk}/schedule"
    week = next_monday().isoformat()
    plan = client.post(url, {"week": week, "dry_run": True}, content_type="application/json")
    assert set(plan.json()) == {"week", "booked", "proven_optimal", "planned", "unplaced"}
    assert set(plan.json()["planned"][0]) == {"application_id", "candidate", "sessions"}
    assert set(plan.json()["planned"][0]["sessions"][0]) == {
        "session_id", "title", "starts_at", "ends_at", "interviewers", "room",
    }  # fmt: skip
    client.post(url, {"week": week}, content_type="application/json")
    expected = {
        s.pk: as_json(endpoints._session(s))
        for s in ScheduledSession.objects.filter(application__position=setup.position)
    }
    assert len(expected) == 6
    bookings = client.get(f"/api/v1/bookings?position_id={setup.position.pk}").json()
    assert {row["id"]: row for row in bookings} == expected
    board = client.get(f"{url}?week={week}").json()
    assert set(board) == {"position_id", "week", "time_zone", "finalists"}
    assert set(board["finalists"][0]) == {
        "application_id", "candidate", "booked", "time_zone", "sessions",
    }  # fmt: skip
    on_board = {s["id"]: s for f in board["finalists"] for s in f["sessions"]}
    assert on_board == expected
