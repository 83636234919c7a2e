"""After a decline, the least change: a qualified colleague at the same time, else a new
time for that one session between its neighbours, everything else fixed.

Reads only: the proposal is computed from the database and the engine on each view, and
booked by ``services.book_replacement`` with the values shown.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.utils.translation import gettext as _

from secondround.accounts.models import User
from secondround.bookings.models import Decline
from secondround.engines import scheduling as engine
from secondround.loops.models import Seat
from secondround.scheduling import selectors as sched
from secondround.scheduling.models import ScheduledSession, SessionStatus

REPLACE = "replace"
MOVE = "move"
NONE = "none"


@dataclass(frozen=True)
class Proposal:
    kind: str
    scheduled: ScheduledSession | None
    seat: Seat | None
    people: list[User] = field(default_factory=list)
    """REPLACE: qualified colleagues free at the time, the least loaded first."""
    starts_at: datetime | None = None
    """MOVE: the new start of the session."""
    person: User | None = None
    """MOVE: who takes the seat at the new time."""
    explanation: str = ""


def _engine_booked(item: ScheduledSession) -> engine.ScheduledSession:
    return engine.ScheduledSession(
        sched.uid("a", item.application_id),
        sched.uid("s", item.session_id),
        item.starts_at,
        item.ends_at,
        tuple(
            (sched.uid("t", a.seat_id), sched.uid("u", a.interviewer_id))
            for a in item.assignments.all()
        ),
        sched.uid("r", item.room_id) if item.room_id else None,
    )


def _week(moment: datetime, zone: str) -> tuple[datetime, datetime]:
    local = moment.astimezone(ZoneInfo(zone))
    monday = local.date() - timedelta(days=local.weekday())
    start = datetime.combine(monday, datetime.min.time(), ZoneInfo(zone))
    return start, start + timedelta(days=7)


def propose(decline: Decline, *, now: datetime | None = None) -> Proposal:
    assignment = getattr(decline.interview, "seat_assignment", None)
    if assignment is None:
        return Proposal(
            NONE,
            None,
            None,
            explanation=_("This interview was not booked through scheduling; rebook it by hand."),
        )
    scheduled = assignment.scheduled_session
    if scheduled.status != SessionStatus.BOOKED:
        return Proposal(
            NONE, scheduled, assignment.seat, explanation=_("This session is cancelled.")
        )
    application = scheduled.application
    start, end = _week(scheduled.starts_at, sched.policy().time_zone)
    inputs = sched.engine_inputs(
        [application], start, end, now=now, alternates=True, time_limit_seconds=3.0
    )
    own = [
        s
        for s in ScheduledSession.objects.filter(
            application=application, status=SessionStatus.BOOKED
        )
        .prefetch_related("assignments")
        .order_by("starts_at")
    ]
    booked = [*inputs.booked, *(_engine_booked(s) for s in own)]
    loop = next(iter(inputs.loops), None)
    seat_id = sched.uid("t", assignment.seat_id)
    session = (
        next((s for s in loop.sessions if s.id == sched.uid("s", scheduled.session_id)), None)
        if loop
        else None
    )
    seat = next((t for t in session.seats if t.id == seat_id), None) if session else None
    if loop is None or session is None or seat is None:
        return Proposal(
            NONE,
            scheduled,
            assignment.seat,
            explanation=_("The loop changed since this was booked; rebook by hand."),
        )
    declined = sched.uid("u", decline.interview.interviewer_id)
    free = engine.free_replacements(
        _engine_booked(scheduled), seat, declined, inputs.people, booked, inputs.rules
    )
    if free:
        return Proposal(REPLACE, scheduled, assignment.seat, people=[inputs.users[p] for p in free])
    return _new_time(scheduled, assignment.seat, own, loop, session, seat, declined, inputs, booked)


def _new_time(
    scheduled: ScheduledSession,
    seat_row: Seat,
    own: list[ScheduledSession],
    loop: engine.Loop,
    session: engine.Session,
    seat: engine.Seat,
    declined: str,
    inputs: sched.EngineInputs,
    booked: list[engine.ScheduledSession],
) -> Proposal:
    """The session alone, between the end of the one before and the start of the one after
    (so the loop keeps its order and day); other seats keep their people."""
    index = next(i for i, s in enumerate(own) if s.pk == scheduled.pk)
    gap = timedelta(minutes=inputs.rules.buffer_minutes)
    day = scheduled.starts_at.astimezone(ZoneInfo(inputs.rules.time_zone)).date()
    day_start = datetime.combine(day, datetime.min.time(), ZoneInfo(inputs.rules.time_zone))
    low = own[index - 1].ends_at + gap if index > 0 else day_start
    high = own[index + 1].starts_at - gap if index + 1 < len(own) else day_start + timedelta(days=1)
    window = [
        engine.Interval(max(i.start, low), min(i.end, high))
        for i in loop.free
        if i.end > low and i.start < high
    ]
    sitting = {t: p for t, p in _engine_booked(scheduled).interviewers}
    seats = tuple(
        t if t.id == seat.id else replace(t, eligible=(sitting.get(t.id, t.eligible[0]),))
        for t in session.seats
    )
    alone = engine.Loop(loop.id, loop.candidate, tuple(window), (replace(session, seats=seats),))
    others = [b for b in booked if not (b.loop_id == loop.id and b.session_id == session.id)]
    options = (
        engine.loop_options(alone, inputs.people, inputs.rooms, inputs.rules, others, count=1)
        if window
        else ()
    )
    if not options:
        return Proposal(
            NONE,
            scheduled,
            seat_row,
            explanation=_(
                "Nobody qualified is free at that time, and no other time fits between the "
                "sessions before and after it. Offer the candidate fresh options or book by hand."
            ),
        )
    placed = options[0].sessions[0]
    who = dict(placed.interviewers)[seat.id]
    return Proposal(
        MOVE,
        scheduled,
        seat_row,
        starts_at=placed.start,
        person=inputs.users[who],
    )
