"""The demo's scheduling: held and upcoming loops booked by the scheduler, Inês's calendar."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from secondround import demo
from secondround.accounts.models import User
from secondround.hiring.models import Application, Interview, Position, Stage
from secondround.hiring.selectors import upcoming_interviews
from secondround.scheduling import selectors
from secondround.scheduling.models import BusyBlock, BusySource, CalendarConnection
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def test_demo_books_loops_with_the_scheduler_and_leaves_one_finalist(settings: object) -> None:
    demo.load()
    berlin = ZoneInfo("Europe/Berlin")
    today = timezone.localdate()
    next_monday = today - timedelta(days=today.weekday()) + timedelta(days=7)
    product = Position.objects.get(title="Product manager, scheduling")
    board = selectors.board(product, next_monday)
    booked = [row for row in board.rows if row.booked]
    assert len(booked) == 3
    assert [r.application.candidate.full_name for r in board.rows if not r.booked] == ["Ravi Shah"]
    for row in booked:
        sessions = [s for day in row.days for s in day.sessions]
        assert (
            len(sessions) == 8
            and len({s.starts_at.astimezone(berlin).date() for s in sessions}) == 1
        )
        assert all(not s.override_reason and not s.conflicts for s in sessions)  # type: ignore[attr-defined]
    engineer = Position.objects.get(title="Senior software engineer")
    for application in Application.objects.filter(position=engineer, stage=Stage.SECOND_ROUND):
        assert application.interviews.count() >= 8
        assert all(i.starts_at < timezone.now() for i in application.interviews.all())
    luis = User.objects.get(email="luis@kestrel.example")
    assert upcoming_interviews(luis).count() == 3  # his conversation with each booked finalist


def test_ines_has_a_connected_calendar_with_busy_times_on_her_page() -> None:
    demo.load()
    ines = User.objects.get(email="ines@kestrel.example")
    connection = CalendarConnection.objects.get(user=ines)
    assert connection.last_ok_at is not None and not connection.last_error
    blocks = BusyBlock.objects.filter(user=ines, source=BusySource.CALENDAR)
    assert blocks.count() > 20  # three weekly series over the next 60 days
    html = client_for(ines).get(reverse("scheduling:availability")).content.decode()
    assert "From your calendar" in html
    first = blocks.filter(ends_at__gt=timezone.now()).first()
    assert first is not None
    assert first.starts_at.astimezone(ZoneInfo("Europe/Berlin")).strftime("%H:%M") in html
    assert Interview.objects.filter(interviewer=ines).exists()
