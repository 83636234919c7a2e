"""API for scheduling: one's own availability, a position's board, batch scheduling, bookings."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router, Schema
from pydantic import Field

from secondround.api.schemas import StrictSchema
from secondround.hiring import selectors as hiring
from secondround.ids import Id
from secondround.scheduling import selectors, services
from secondround.scheduling.models import ScheduledSession
from secondround.web.helpers import request_user

router = Router(tags=["scheduling"])


class AvailabilityIn(StrictSchema):
    time_zone: str = Field(max_length=64)
    working_hours: dict[str, list[list[str]]]
    max_per_day: int | None = Field(default=None, ge=0, le=50)
    max_per_week: int | None = Field(default=None, ge=0, le=100)


class ScheduleIn(StrictSchema):
    week: date
    dry_run: bool = False
    in_person: bool = False


class WeekQuery(StrictSchema):
    week: date | None = None


class BookingsQuery(StrictSchema):
    position_id: Id | None = None
    week: date | None = None


class CapsOut(Schema):
    per_day: int
    per_week: int


class AvailabilityOut(Schema):
    time_zone: str
    working_hours: dict[str, list[list[str]]]
    max_per_day: int | None
    max_per_week: int | None
    caps: CapsOut


class InterviewerOut(Schema):
    seat_id: int
    email: str
    name: str


class SessionOut(Schema):
    """A booked session as the board and the bookings list show it."""

    id: int
    uid: str
    application_id: int
    candidate: str
    session_id: int
    title: str
    starts_at: datetime
    ends_at: datetime
    interviewers: list[InterviewerOut]
    room: str | None
    video_link: str
    status: str
    sequence: int
    override_reason: str
    override_clashes: list[str]


class FinalistOut(Schema):
    application_id: int
    candidate: str
    booked: bool
    time_zone: str
    sessions: list[SessionOut]


class BoardOut(Schema):
    position_id: int
    week: date
    time_zone: str
    finalists: list[FinalistOut]


class PlannedSessionOut(Schema):
    session_id: int
    title: str
    starts_at: datetime
    ends_at: datetime
    interviewers: list[str]
    room: str | None


class PlannedLoopOut(Schema):
    application_id: int
    candidate: str
    sessions: list[PlannedSessionOut]


class UnplacedOut(Schema):
    application_id: int
    candidate: str
    reasons: list[str]


class ScheduleOut(Schema):
    week: date
    booked: bool
    proven_optimal: bool
    planned: list[PlannedLoopOut]
    unplaced: list[UnplacedOut]


def _availability(user: Any) -> dict[str, Any]:
    mine = selectors.availability_of(user)
    day, week = selectors.caps_of(mine, selectors.policy())
    return {
        "time_zone": mine.time_zone, "working_hours": mine.working_hours,
        "max_per_day": mine.max_per_day, "max_per_week": mine.max_per_week,
        "caps": {"per_day": day, "per_week": week},
    }  # fmt: skip


def _session(s: ScheduledSession) -> dict[str, Any]:
    return {
        "id": s.pk, "uid": str(s.uid), "application_id": s.application_id,
        "candidate": s.application.candidate.full_name, "session_id": s.session_id,
        "title": s.session.title, "starts_at": s.starts_at, "ends_at": s.ends_at,
        "interviewers": [{"seat_id": a.seat_id, "email": a.interviewer.email,
                          "name": a.interviewer.full_name} for a in s.assignments.all()],
        "room": s.room.name if s.room else None, "video_link": s.video_link,
        "status": s.status, "sequence": s.sequence, "override_reason": s.override_reason,
        "override_clashes": s.override_clashes,
    }  # fmt: skip


def _member(request: HttpRequest) -> Any:
    user = request_user(request)
    if not user.is_organisation_member:
        raise PermissionDenied("Only colleagues have availability.")
    return user


@router.get("/availability", response=AvailabilityOut)
def get_availability(request: HttpRequest) -> dict[str, Any]:
    return _availability(_member(request))


@router.put("/availability", response=AvailabilityOut)
def put_availability(request: HttpRequest, data: AvailabilityIn) -> dict[str, Any]:
    user = _member(request)
    services.save_availability(
        user, time_zone=data.time_zone, working_hours=data.working_hours,
        max_per_day=data.max_per_day, max_per_week=data.max_per_week,
    )  # fmt: skip
    return _availability(user)


def _managed(request: HttpRequest, position_id: int) -> tuple[Any, Any]:
    user = request_user(request)
    position = hiring.get_visible_position(user, position_id)
    hiring.require_manager(user, position)
    return user, position


@router.get("/positions/{position_id}/schedule", response=BoardOut)
def get_board(request: HttpRequest, position_id: Id, query: Query[WeekQuery]) -> dict[str, Any]:
    _user, position = _managed(request, position_id)
    week = services.week_of(query.week or selectors.coming_week())
    board = selectors.board(position, week)
    return {
        "position_id": position.pk, "week": week, "time_zone": board.time_zone,
        "finalists": [
            {"application_id": row.application.pk, "candidate": row.application.candidate.full_name,
             "booked": row.booked, "time_zone": row.time_zone,
             "sessions": [_session(s) for d in row.days for s in d.sessions]}
            for row in board.rows
        ],
    }  # fmt: skip


@router.post("/positions/{position_id}/schedule", response=ScheduleOut)
def post_schedule(request: HttpRequest, position_id: Id, data: ScheduleIn) -> dict[str, Any]:
    """Solve and book (or with `dry_run`, only plan) the week's loops for every unbooked finalist."""
    user, position = _managed(request, position_id)
    result = services.schedule_position(
        position, data.week, user, dry_run=data.dry_run, in_person=data.in_person
    )
    return {
        "week": result.week_start, "booked": result.booked, "proven_optimal": result.proven_optimal,
        "planned": [
            {"application_id": loop.application.pk,
             "candidate": loop.application.candidate.full_name,
             "sessions": [{"session_id": p.session.pk, "title": p.session.title,
                           "starts_at": p.starts_at, "ends_at": p.ends_at,
                           "interviewers": [u.email for u in p.people.values()],
                           "room": p.room.name if p.room else None}
                          for p in loop.placements]}
            for loop in result.planned
        ],
        "unplaced": [{"application_id": a.pk, "candidate": a.candidate.full_name,
                      "reasons": list(reasons)} for a, reasons in result.unplaced],
    }  # fmt: skip


@router.get("/bookings", response=list[SessionOut])
def list_bookings(request: HttpRequest, query: Query[BookingsQuery]) -> list[dict[str, Any]]:
    """Booked sessions of the positions the caller manages (a week, or from today on)."""
    user = request_user(request)
    managed = hiring.managed_positions(user)
    if query.position_id is not None:
        managed = managed.filter(pk=query.position_id)
    rules = selectors.policy()
    if query.week is not None:
        start, end = selectors.week_bounds(services.week_of(query.week), rules.time_zone)
    else:
        start = timezone.now()
        end = start + timedelta(days=366)
    rows = selectors.booked_sessions(start, end).filter(
        starts_at__gte=start, application__position__in=managed
    )
    return [_session(s) for s in rows[:1000]]
