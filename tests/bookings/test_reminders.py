"""The candidate's reminder the day before their loop: once, with the times and their page."""

from __future__ import annotations

from datetime import timedelta

import pytest

from secondround.bookings import offers
from secondround.bookings.reminders import remind_candidates_of_tomorrow
from secondround.hiring.models import Position
from secondround.messaging.models import Message, MessageKind
from secondround.scheduling.models import ScheduledSession
from tests.bookings.conftest import finalist

pytestmark = pytest.mark.django_db


def test_the_day_before_the_loop_the_candidate_is_reminded_once(planned: Position) -> None:
    ana = finalist(planned, "Ana Finalist")
    offer = offers.offer_times(actor=planned.hiring_manager, application=ana)
    offers.pick_option(application=ana, offer_id=offer.pk, index=0, actor=planned.hiring_manager)
    first = ScheduledSession.objects.filter(application=ana).order_by("starts_at").first()
    assert first is not None

    two_days_before = first.starts_at - timedelta(days=2)
    assert remind_candidates_of_tomorrow(now=two_days_before) == 0
    day_before = first.starts_at - timedelta(days=1)
    assert remind_candidates_of_tomorrow(now=day_before) == 1
    assert remind_candidates_of_tomorrow(now=day_before + timedelta(minutes=15)) == 0

    reminder = Message.objects.get(kind=MessageKind.REMINDER)
    assert reminder.application == ana and reminder.subject.startswith("Tomorrow")
    assert first.session.title in reminder.body_text and "/prep/i/" in reminder.body_text
    assert reminder.attachments.filter(filename__endswith=".ics").exists()
