"""A seat's scorecard page: a GET finds the scorecard or offers to start it; only a POST
creates one."""

from __future__ import annotations

import pytest
from django.urls import reverse

from secondround.hiring.models import Application, Position
from secondround.loops.models import Seat
from secondround.loops.selectors import finalist_applications
from secondround.scorecards.models import Scorecard
from tests.conftest import client_for
from tests.demo_cache import load_demo

pytestmark = pytest.mark.django_db


def unwritten_seat(position: Position) -> tuple[Seat, Application]:
    """An assessing seat whose interviewer has no round-two scorecard for some finalist."""
    for seat in Seat.objects.filter(session__plan__position=position).select_related(
        "session", "interviewer"
    ):
        if not seat.session.assesses:
            continue
        for application in finalist_applications(position):
            if not Scorecard.objects.filter(
                application=application, interviewer=seat.interviewer, round=Scorecard.Round.TWO
            ).exists():
                return seat, application
    raise AssertionError("the demo has no unwritten seat")


def test_get_never_creates_the_scorecard_and_post_does() -> None:
    load_demo()
    position = Position.objects.get(title="Senior software engineer")
    seat, application = unwritten_seat(position)
    client = client_for(seat.interviewer)
    url = reverse("scorecard-for-seat", args=[seat.pk, application.pk])
    mine = Scorecard.objects.filter(
        application=application, interviewer=seat.interviewer, round=Scorecard.Round.TWO
    )

    offered = client.get(url)
    assert offered.status_code == 200
    assert b"Start my scorecard" in offered.content
    assert not mine.exists()

    kit = client.get(reverse("kit", args=[seat.pk, application.pk]))
    assert f'action="{url}"'.encode() in kit.content  # the kit's button posts

    started = client.post(url)
    card = mine.get()
    assert started.status_code == 302 and started["Location"] == reverse(
        "scorecard", args=[card.pk]
    )
    assert card.ratings.count() == seat.competencies.count()

    again = client.get(url)
    assert again.status_code == 302 and again["Location"] == reverse("scorecard", args=[card.pk])
    assert mine.count() == 1
