"""Staff finding r9 #3: a seat swapped away from a recruiter could not be swapped back. The
planner seats the position's recruiter as host of the sessions that rate nothing, but the swap
picker (and its form) offered only the panel. Now such a seat offers the recruiters too; an
assessing seat still does not, and the refusal says which rule."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from secondround.accounts.models import User
from secondround.hiring.models import Position
from secondround.loops.models import Seat, SessionKind
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def options_of(page: str, seat: Seat) -> list[str]:
    select = re.search(rf'<select name="interviewer" id="swap-{seat.pk}">.*?</select>', page, re.S)
    assert select is not None
    return re.findall(r'<option value="(\d+)"', select.group(0))


def test_a_recruiter_swapped_out_of_the_welcome_can_be_swapped_back(
    planned: Position, team: dict[str, User]
) -> None:
    recruiter, colleague = team["recruiter"], team["p0"]
    welcome = Seat.objects.get(session__plan__position=planned, session__kind=SessionKind.WELCOME)
    assert welcome.interviewer == recruiter  # the planner's host
    client = client_for(planned.hiring_manager)
    swap = reverse("seat-swap", args=[planned.pk, welcome.pk])
    round_two = reverse("round-two", args=[planned.pk])

    assert client.post(swap, {"interviewer": colleague.pk}).status_code == 302
    welcome.refresh_from_db()
    assert welcome.interviewer == colleague
    assert str(recruiter.pk) in options_of(client.get(round_two).content.decode(), welcome)
    client.post(swap, {"interviewer": recruiter.pk})
    welcome.refresh_from_db()
    assert welcome.interviewer == recruiter


def test_an_assessing_seat_is_for_the_panel_and_the_refusal_says_so(
    planned: Position, team: dict[str, User]
) -> None:
    seat = Seat.objects.filter(session__plan__position=planned).exclude(
        session__competency_kinds=[]
    )[0]
    before = seat.interviewer_id
    client = client_for(planned.hiring_manager)
    assert str(team["recruiter"].pk) not in options_of(
        client.get(reverse("round-two", args=[planned.pk])).content.decode(), seat
    )
    refused = client.post(
        reverse("seat-swap", args=[planned.pk, seat.pk]),
        {"interviewer": team["recruiter"].pk},
    )
    assert refused.status_code == 400
    assert "recruiters off the panel host only the sessions that rate nothing" in (
        refused.content.decode()
    )
    seat.refresh_from_db()
    assert seat.interviewer_id == before
