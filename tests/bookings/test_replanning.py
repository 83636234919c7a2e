"""Issue 12: proposing an accepted loop again never deletes booked sessions silently."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from secondround.accounts.models import User
from secondround.hiring.models import Interview, Position
from secondround.loops.models import LoopPlan, Seat
from secondround.loops.services import loop_fingerprint, propose_loop
from secondround.scheduling.models import ScheduledSession, SessionStatus
from secondround.scheduling.services import cancel_loop
from tests.bookings.conftest import book_directly, finalist, next_weekday


def _propose_again(position: Position, manager: User) -> LoopPlan:
    token = loop_fingerprint(position=position, time_budget_minutes=120)
    return propose_loop(actor=manager, position=position, time_budget_minutes=120, confirmed=token)


def _leave_panel(position: Position) -> User:
    """A panel member leaves: proposing again drops their seats."""
    seat = (
        Seat.objects.filter(session__plan__position=position)
        .exclude(interviewer=position.hiring_manager)
        .exclude(interviewer__in=position.recruiters.all())
        .first()
    )
    assert seat is not None
    leaving = seat.interviewer
    User.objects.filter(pk=leaving.pk).update(is_active=False)
    return leaving


def test_replanning_over_booked_sessions_is_refused_naming_the_finalist(
    planned: Position, team: dict[str, User]
) -> None:
    ana = finalist(planned, "Ana Finalist")
    book_directly(ana, next_weekday())
    leaving = _leave_panel(planned)
    seats_before = Seat.objects.filter(session__plan__position=planned).count()
    with pytest.raises(ValidationError) as refused:
        _propose_again(planned, team["manager"])
    message = " ".join(refused.value.message_dict["confirmed"])
    assert "Ana Finalist" in message and "Cancel those bookings first" in message
    assert ScheduledSession.objects.filter(application=ana, status=SessionStatus.BOOKED).count()
    assert Interview.objects.filter(application=ana, interviewer=leaving).exists()
    assert Seat.objects.filter(session__plan__position=planned).count() == seats_before


def test_after_cancelling_the_bookings_the_loop_is_proposed_again(
    planned: Position, team: dict[str, User]
) -> None:
    ana = finalist(planned, "Ana Finalist")
    book_directly(ana, next_weekday())
    leaving = _leave_panel(planned)
    cancel_loop(ana, team["manager"])
    _propose_again(planned, team["manager"])
    assert not Seat.objects.filter(session__plan__position=planned, interviewer=leaving).exists()
