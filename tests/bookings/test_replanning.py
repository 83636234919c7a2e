"""Issue 12: proposing an accepted loop again never deletes booked sessions silently."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from secondround.accounts.models import User
from secondround.hiring.models import Application, Interview, Position
from secondround.loops.models import LoopPlan, LoopSession, Seat
from secondround.loops.services import loop_fingerprint, propose_loop, update_session
from secondround.scheduling.models import ScheduledSession, SessionStatus
from secondround.scheduling.services import cancel_loop, check_session_change
from tests.bookings.conftest import book_directly, finalist, next_weekday
from tests.conftest import client_for


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


# --- a booked session keeps the length its invitations gave (a trial's loose end) ----------


def _deep_dive(position: Position) -> LoopSession:
    return LoopSession.objects.filter(plan__position=position).exclude(competency_kinds=[])[0]


def _booked_times(application: Application) -> list[tuple[datetime, int]]:
    rows = ScheduledSession.objects.filter(application=application, status=SessionStatus.BOOKED)
    return [(s.starts_at, s.duration_minutes) for s in rows.order_by("starts_at")]


def test_a_booked_session_is_checked_at_the_length_it_was_booked_for(planned: Position) -> None:
    """Rows booked before lengths were guarded: the plan says longer, the booking does not.
    A check of the booked loop must read the booked times, not report a clash that the
    candidate's and interviewers' calendars do not have."""
    ana = finalist(planned, "Ana Finalist")
    start = next_weekday()
    booked = book_directly(ana, start)
    deep = _deep_dive(planned)
    LoopSession.objects.filter(pk=deep.pk).update(duration_minutes=deep.duration_minutes + 60)
    following = next(s for s in booked if s.starts_at > start and s.session_id != deep.pk)
    found = check_session_change(following, following.starts_at, now=start - timedelta(days=3))
    assert not [clash for clash in found.soft if "would start before" in clash], found.soft


def test_changing_a_booked_sessions_length_is_refused_naming_the_finalist(
    planned: Position, team: dict[str, User]
) -> None:
    ana = finalist(planned, "Ana Finalist")
    book_directly(ana, next_weekday())
    before = _booked_times(ana)
    deep = _deep_dive(planned)
    length = deep.duration_minutes
    with pytest.raises(ValidationError) as refused:
        update_session(actor=team["manager"], session=deep, title=deep.title,
                       purpose=deep.purpose, duration_minutes=length + 30)  # fmt: skip
    message = " ".join(refused.value.message_dict["duration_minutes"])
    assert "Ana Finalist" in message and f"{length} minutes" in message
    deep.refresh_from_db()
    assert deep.duration_minutes == length
    assert _booked_times(ana) == before
    # a new title changes no time: allowed
    update_session(actor=team["manager"], session=deep, title="Deep dive, renamed",
                   purpose=deep.purpose, duration_minutes=length)  # fmt: skip
    # once the loop is cancelled, the length is the team's to change
    cancel_loop(ana, team["manager"])
    update_session(actor=team["manager"], session=deep, title=deep.title,
                   purpose=deep.purpose, duration_minutes=length + 30)  # fmt: skip
    deep.refresh_from_db()
    assert deep.duration_minutes == length + 30


def test_replanning_that_would_change_a_booked_length_is_refused(
    planned: Position, team: dict[str, User]
) -> None:
    ana = finalist(planned, "Ana Finalist")
    book_directly(ana, next_weekday())
    before = _booked_times(ana)
    lengths = {s.pk: s.duration_minutes for s in LoopSession.objects.filter(plan__position=planned)}
    # 200 minutes fits the loop by shortening its sessions (120 cannot, so nothing is cut)
    token = loop_fingerprint(position=planned, time_budget_minutes=200)
    with pytest.raises(ValidationError) as refused:
        propose_loop(actor=team["manager"], position=planned, time_budget_minutes=200,
                     confirmed=token)  # fmt: skip
    message = " ".join(refused.value.message_dict["confirmed"])
    assert "Ana Finalist" in message and "Cancel those bookings first" in message
    assert {
        s.pk: s.duration_minutes for s in LoopSession.objects.filter(plan__position=planned)
    } == lengths
    assert _booked_times(ana) == before


def test_the_session_page_refuses_a_booked_sessions_new_length_on_its_field(
    planned: Position, team: dict[str, User]
) -> None:
    ana = finalist(planned, "Ana Finalist")
    book_directly(ana, next_weekday())
    deep = _deep_dive(planned)
    response = client_for(team["manager"]).post(
        reverse("session-edit", args=[planned.pk, deep.pk]),
        {"title": deep.title, "purpose": deep.purpose,
         "duration_minutes": deep.duration_minutes + 15},
    )  # fmt: skip
    assert response.status_code == 400
    body = response.content.decode()
    assert 'id="id_duration_minutes_error"' in body and "Ana Finalist" in body
    assert LoopSession.objects.get(pk=deep.pk).duration_minutes == deep.duration_minutes
