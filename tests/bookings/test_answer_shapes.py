"""The bookings API's answers have schemas now; they still say exactly what the old
`response=dict` answers said (a schema silently drops a key it does not declare, so each
answer is compared with the dict the endpoint builds)."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

import pytest
from ninja.responses import NinjaJSONEncoder

from secondround.accounts.models import User
from secondround.api import bookings as endpoints
from secondround.bookings.models import LoopOffer
from secondround.hiring.models import Interview, Position
from secondround.scheduling.models import ScheduledSession
from tests.api.test_hiring import Api
from tests.bookings.conftest import finalist

pytestmark = pytest.mark.django_db


def as_json(value: Any) -> Any:
    """What the API wrote for a plain dict: ninja's encoder, no schema in between."""
    return json.loads(json.dumps(value, cls=NinjaJSONEncoder))


def instants(session: dict[str, Any]) -> dict[str, Any]:
    times = {key: datetime.fromisoformat(session[key]) for key in ("starts_at", "ends_at")}
    return session | times


def test_options_booking_agenda_and_decline_answers_are_the_whole_dicts(
    planned: Position, team: dict[str, User]
) -> None:
    ana = finalist(planned, "Ana Finalist")
    manager = Api(planned.hiring_manager)
    made = manager.post(f"/applications/{ana.pk}/options", {}).json()
    offer = LoopOffer.objects.get(pk=made["id"])
    assert made == as_json(endpoints._offer(offer))
    listed = manager.get(f"/applications/{ana.pk}/options").json()
    assert listed == {"offer": as_json(endpoints._offer(offer)), "booked": []}
    booked = manager.post(f"/applications/{ana.pk}/options/{offer.pk}/book", {"option": 0}).json()
    sessions = ScheduledSession.objects.filter(application=ana).order_by("starts_at")
    assert booked["taken"] is False and booked["fresh_offer"] is None
    # The booking answers with the sessions as booked (times in the local zone), the database
    # gives them back in UTC: the same instants, so compare those.
    assert sorted(map(instants, booked["booked"]), key=lambda s: s["starts_at"]) == [
        instants(as_json(endpoints._session(s))) for s in sessions
    ]

    interview = Interview.objects.filter(application=ana).exclude(interviewer=team["recruiter"])[0]
    person = Api(interview.interviewer)
    agenda = person.get("/me/interviews").json()
    assert set(agenda) == {"time_zone", "upcoming", "past"}
    [row] = [r for r in agenda["upcoming"] if r["id"] == interview.pk]
    assert set(row) == {
        "id", "title", "candidate", "position", "starts_at", "ends_at", "where", "video_link",
        "seat_id", "declined",
    }  # fmt: skip
    assert row["candidate"] == "Ana Finalist" and row["declined"] is False
    declined = person.post(f"/interviews/{interview.pk}/decline", {"reason": "Travelling"})
    assert set(declined.json()) == {"id", "interview", "resolution"}
    assert declined.json()["interview"] == interview.pk
