"""The bookings API: options for a finalist, booking one, declining, my interviews."""

from __future__ import annotations

import pytest

from secondround.accounts.models import User
from secondround.bookings.models import Decline
from secondround.hiring.models import Interview, Position
from tests.api.test_hiring import Api
from tests.bookings.conftest import finalist

pytestmark = pytest.mark.django_db


def test_offer_book_decline_and_agenda_through_the_api(
    planned: Position, team: dict[str, User]
) -> None:
    ana = finalist(planned, "Ana Finalist")
    manager = Api(planned.hiring_manager)
    assert manager.get(f"/applications/{ana.pk}/options").json() == {"offer": None, "booked": []}
    made = manager.post(f"/applications/{ana.pk}/options", {})
    assert made.status_code == 201
    offer = made.json()
    assert offer["status"] == "open" and len(offer["options"]) >= 2
    bad = manager.post(f"/applications/{ana.pk}/options/{offer['id']}/book", {"option": 99})
    assert bad.status_code == 422
    assert bad.json()["detail"][0]["loc"] == ["body", "option"]
    extra = manager.post(
        f"/applications/{ana.pk}/options/{offer['id']}/book", {"option": 0, "x": 1}
    )
    assert extra.status_code == 422
    booked = manager.post(f"/applications/{ana.pk}/options/{offer['id']}/book", {"option": 0})
    assert booked.status_code == 200 and booked.json()["taken"] is False
    assert len(booked.json()["booked"]) == planned.loop_plan.sessions.count()

    interview = (
        Interview.objects.filter(application=ana).exclude(interviewer=team["recruiter"]).first()
    )
    person = Api(interview.interviewer)
    mine = person.get("/me/interviews").json()
    assert interview.pk in {row["id"] for row in mine["upcoming"]}
    empty = person.post(f"/interviews/{interview.pk}/decline", {"reason": ""})
    assert empty.status_code == 422 and empty.json()["detail"][0]["loc"] == ["body", "reason"]
    done = person.post(f"/interviews/{interview.pk}/decline", {"reason": "Travelling"})
    assert done.status_code == 201 and Decline.objects.count() == 1
    again = person.post(f"/interviews/{interview.pk}/decline", {"reason": "Travelling"})
    assert again.status_code == 422 and Decline.objects.count() == 1
    other = team["p1"] if interview.interviewer == team["p0"] else team["p0"]
    refused = Api(other).post(f"/interviews/{interview.pk}/decline", {"reason": "not mine"})
    assert refused.status_code == 404


def test_only_the_hiring_team_sees_and_offers_options(
    planned: Position, team: dict[str, User]
) -> None:
    ana = finalist(planned, "Ana Finalist")
    panel = Api(team["p0"])
    assert panel.get(f"/applications/{ana.pk}/options").status_code == 403
    assert panel.post(f"/applications/{ana.pk}/options", {}).status_code == 403
    assert Api(planned.hiring_manager).get("/applications/999999/options").status_code == 404


def test_the_application_page_links_the_team_to_the_finalists_times(planned: Position) -> None:
    from django.urls import reverse

    from tests.conftest import client_for

    ana = finalist(planned, "Ana Finalist")
    page = client_for(planned.hiring_manager).get(reverse("application", args=[ana.pk]))
    assert reverse("booking-team", args=[ana.pk]) in page.content.decode()
    times = client_for(planned.hiring_manager).get(reverse("booking-team", args=[ana.pk]))
    assert times.status_code == 200 and "Offer times to the candidate" in times.content.decode()
