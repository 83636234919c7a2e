"""Issue 12: a decline's proposed new time is checked on the whole loop, as booking it is.

Reproduced from the demo, where "Elena Petrova would go 175 minutes without a 30-minute break"
was proposed: the engine was asked for the declined session alone."""

from __future__ import annotations

import pytest
from django.utils import timezone

from secondround.bookings.models import Decline
from secondround.bookings.replacements import MOVE, propose
from secondround.scheduling.models import ScheduledSession, SessionStatus
from secondround.scheduling.services import check_session_change
from tests.demo_cache import load_demo

pytestmark = pytest.mark.django_db


def test_no_proposed_new_time_breaks_a_rule_of_the_whole_loop() -> None:
    load_demo()
    now = timezone.now()
    upcoming = ScheduledSession.objects.filter(
        status=SessionStatus.BOOKED,
        starts_at__gt=now,
        application__candidate__full_name__in=["Elena Petrova", "Chloé Martin"],
    ).prefetch_related("assignments__interview")
    proposals = 0
    for scheduled in upcoming:
        for assignment in scheduled.assignments.all():
            decline = Decline.objects.create(
                interview=assignment.interview, reason="ill", declined_by=assignment.interviewer
            )
            proposal = propose(decline, now=now)
            decline.delete()
            if proposal.kind != MOVE:
                continue
            proposals += 1
            assert proposal.starts_at is not None and proposal.person is not None
            found = check_session_change(
                scheduled, proposal.starts_at, {assignment.seat_id: proposal.person}, now=now
            )
            assert not found.hard and not found.soft, (scheduled.session.title, found.soft)
    assert upcoming.exists()
