"""The candidate's reminder the day before their loop: once, with the times and their page.

The loop is booked for tomorrow as seen from the real clock (the outbox stamps messages with
it, and "once" is counted from those stamps), and the remind loop is run at noon of today, so
these tests hold whatever day and hour the suite runs, even across midnight.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

import pytest

from secondround.bookings.reminders import remind_candidates_of_tomorrow
from secondround.hiring.models import Application, Position
from secondround.messaging.models import Message, MessageKind
from tests.bookings.conftest import BERLIN, book_directly, finalist

pytestmark = pytest.mark.django_db


def berlin_day(days_from_today: int) -> datetime:
    """Midnight of a day in the organisation's zone (Berlin, the policy's default)."""
    day = datetime.now(BERLIN).date() + timedelta(days=days_from_today)
    return datetime.combine(day, time.min, BERLIN)


def ana_booked_tomorrow(planned: Position) -> Application:
    ana = finalist(planned, "Ana Finalist")
    book_directly(ana, berlin_day(1).replace(hour=10))
    return ana


def test_the_day_before_the_loop_the_candidate_is_reminded_once(planned: Position) -> None:
    ana = ana_booked_tomorrow(planned)
    first = ana.scheduled_sessions.order_by("starts_at").first()
    assert first is not None

    noon = berlin_day(0).replace(hour=12)
    assert remind_candidates_of_tomorrow(now=noon - timedelta(days=1)) == 0
    assert remind_candidates_of_tomorrow(now=noon) == 1
    assert remind_candidates_of_tomorrow(now=noon + timedelta(minutes=15)) == 0  # next round

    reminder = Message.objects.get(kind=MessageKind.REMINDER)
    assert reminder.application == ana and reminder.subject.startswith("Tomorrow")
    assert first.session.title in reminder.body_text and "/prep/i/" in reminder.body_text
    assert reminder.attachments.filter(filename__endswith=".ics").exists()


def test_a_reminder_sent_just_after_midnight_is_not_sent_again_that_evening(
    planned: Position,
) -> None:
    """The remind loop runs all day: the day-before reminder goes once per day, not once per
    20 hours (a reminder queued at 00:05 used to go again at 20:05)."""
    ana = ana_booked_tomorrow(planned)
    assert remind_candidates_of_tomorrow(now=berlin_day(0).replace(hour=0, minute=5)) == 1
    Message.objects.filter(application=ana).update(created_at=berlin_day(0) + timedelta(minutes=5))
    evening = berlin_day(0).replace(hour=20, minute=15)
    assert remind_candidates_of_tomorrow(now=evening) == 0
    assert Message.objects.filter(application=ana, kind=MessageKind.REMINDER).count() == 1
