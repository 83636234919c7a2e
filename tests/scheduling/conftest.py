"""A small accepted loop (welcome, deep dive, wrap-up) and two finalists, for scheduling tests."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from secondround.accounts.models import Role, User
from secondround.hiring import services as hiring
from secondround.hiring.models import Application, Position, Stage
from secondround.loops.models import LoopPlan, LoopSession, PlanStatus, Seat
from secondround.scheduling.models import SchedulingPolicy
from tests.factories import UserFactory, make_application, make_position

BERLIN = ZoneInfo("Europe/Berlin")


@dataclass
class Setup:
    position: Position
    manager: User
    recruiter: User
    priya: User
    tom: User
    finalists: list[Application]
    sessions: list[LoopSession]


def next_monday(today: date | None = None) -> date:
    today = today or date.today()
    return today + timedelta(days=7 - today.weekday())


def at(day: date, hour: int, minute: int = 0, zone: ZoneInfo = BERLIN) -> datetime:
    return datetime.combine(day, time(hour, minute), zone)


def make_finalist(position: Position, name: str) -> Application:
    application = make_application(position, name=name)
    for stage in (Stage.FIRST_ROUND, Stage.SECOND_ROUND):
        hiring.move_application(
            actor=position.hiring_manager, application=application, to_stage=stage
        )
    application.refresh_from_db()
    return application


def build_loop(position: Position, host: User, interviewer: User) -> list[LoopSession]:
    plan = LoopPlan.objects.create(position=position, status=PlanStatus.ACCEPTED)
    sessions = []
    for order, (kind, title, minutes, kinds, person) in enumerate(
        [
            ("welcome", "Welcome", 15, [], host),
            ("deep_dive", "Role deep dive", 60, ["technical"], interviewer),
            ("wrap_up", "Wrap-up", 15, [], host),
        ]
    ):
        session = LoopSession.objects.create(
            plan=plan, order=order, kind=kind, title=title, purpose=title,
            duration_minutes=minutes, competency_kinds=kinds,
        )  # fmt: skip
        Seat.objects.create(session=session, interviewer=person)
        sessions.append(session)
    return sessions


@pytest.fixture
def setup(db: None) -> Setup:
    SchedulingPolicy.objects.create(min_notice_hours=24, time_zone="Europe/Berlin")
    manager = UserFactory(role=Role.HIRING_MANAGER, full_name="Hana Okafor")
    recruiter = UserFactory(role=Role.RECRUITER, full_name="Rita Campbell")
    priya = UserFactory(role=Role.INTERVIEWER, full_name="Priya Nair")
    tom = UserFactory(role=Role.INTERVIEWER, full_name="Tom Wójcik")
    position = make_position(manager, recruiters=[recruiter], interviewers=[priya, tom])
    finalists = [make_finalist(position, n) for n in ("Aisha Bello", "Jordan Ellis")]
    sessions = build_loop(position, recruiter, priya)
    return Setup(position, manager, recruiter, priya, tom, finalists, sessions)
