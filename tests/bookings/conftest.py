"""A position with a planned loop, two finalists and helpers to put a loop in time."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from secondround.accounts.models import Role, User
from secondround.hiring import services as hiring
from secondround.hiring.models import Application, Interview, Position, Stage
from secondround.loops.models import LoopPlan
from secondround.loops.services import accept_plan, propose_loop
from secondround.scheduling.models import ScheduledSession, SeatAssignment
from tests.factories import UserFactory, make_application, make_position

BERLIN = ZoneInfo("Europe/Berlin")


def next_weekday(days_ahead: int = 7, hour: int = 9) -> datetime:
    """A working day at least `days_ahead` days from today, at `hour` in Berlin."""
    day = datetime.now(BERLIN).date() + timedelta(days=days_ahead)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return datetime(day.year, day.month, day.day, hour, tzinfo=BERLIN)


@pytest.fixture
def team(db: None) -> dict[str, User]:
    manager = UserFactory(role=Role.HIRING_MANAGER, full_name="Hana Manager")
    recruiter = UserFactory(role=Role.RECRUITER, full_name="Rui Recruiter")
    panel = [UserFactory(full_name=f"Panel {n}") for n in range(5)]
    return {"manager": manager, "recruiter": recruiter, **{f"p{n}": p for n, p in enumerate(panel)}}


@pytest.fixture
def planned(team: dict[str, User]) -> Position:
    interviewers = [u for k, u in team.items() if k.startswith("p")]
    position = make_position(
        team["manager"], recruiters=[team["recruiter"]], interviewers=interviewers
    )
    for name in ("Ana Finalist", "Ben Finalist"):
        application = make_application(position, name=name)
        hiring.move_application(
            actor=team["manager"], application=application, to_stage=Stage.SECOND_ROUND
        )
    plan = propose_loop(actor=team["manager"], position=position, time_budget_minutes=120)
    accept_plan(actor=team["manager"], plan=plan)
    return position


def finalist(position: Position, name: str) -> Application:
    return Application.objects.get(position=position, candidate__full_name=name)


def book_directly(application: Application, start: datetime) -> list[ScheduledSession]:
    """Test data: the loop's sessions back to back from `start`, as scheduling books them."""
    plan = LoopPlan.objects.get(position=application.position)
    booked = []
    at = start
    for session in plan.sessions.prefetch_related("seats__interviewer"):
        scheduled = ScheduledSession.objects.create(
            application=application,
            session=session,
            starts_at=at,
            duration_minutes=session.duration_minutes,
            video_link=f"https://meet.example.com/sr-{session.pk}",
        )
        for seat in session.seats.all():
            interview = Interview.objects.create(
                application=application,
                interviewer=seat.interviewer,
                title=session.title,
                starts_at=at,
                duration_minutes=session.duration_minutes,
            )
            scheduled.interviews.add(interview)
            SeatAssignment.objects.create(
                scheduled_session=scheduled,
                seat=seat,
                interviewer=seat.interviewer,
                interview=interview,
            )
        booked.append(scheduled)
        at += timedelta(minutes=session.duration_minutes + 15)
    return booked


def first_assessing_seat(planned: Position, name: str = "Ana Finalist") -> SeatAssignment:
    """A finalist booked on the next weekday, and the first seat of theirs that rates."""
    booked = book_directly(finalist(planned, name), next_weekday())
    return next(
        a for s in booked for a in s.assignments.select_related("seat") if s.session.assesses
    )
