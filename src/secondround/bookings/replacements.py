"""After a decline, the least change: a qualified colleague at the same time, else a new
time for that one session between its neighbours, everything else fixed.

Reads only: the proposal is computed from the database and the engine on each view, and
booked by ``services.book_replacement`` with the values shown.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.utils.translation import gettext as _

from secondround.accounts.models import User
from secondround.bookings.models import Decline
from secondround.engines import scheduling as engine
from secondround.loops.models import Seat
from secondround.scheduling import selectors as sched
from secondround.scheduling import services as sched_services
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
        counts_toward_caps=sched.counts_toward_caps(item.session),
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
    return _new_time(
        scheduled, assignment.seat, own, loop, session, seat, declined, inputs, booked, now
    )


MOVE_ATTEMPTS = 12
"""How many of the engine's times are checked against the whole loop before giving up."""


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
    now: datetime | None,
) -> Proposal:
    """The session alone, between the end of the one before and the start of the one after
    (so the loop keeps its order and day); other seats keep their people.

    The engine sees this one session, so only starts that keep the whole loop's break rule
    are offered to it, and every time it finds is checked by scheduling's `check_loop` on
    the whole loop (what booking it will check); a time that fails is dropped and the
    engine asked again."""
    index = next(i for i, s in enumerate(own) if s.pk == scheduled.pk)
    zone = ZoneInfo(inputs.rules.time_zone)
    gap = timedelta(minutes=inputs.rules.buffer_minutes)
    day = scheduled.starts_at.astimezone(zone).date()
    day_start = datetime.combine(day, datetime.min.time(), zone)
    low = own[index - 1].ends_at + gap if index > 0 else day_start
    high = own[index + 1].starts_at - gap if index + 1 < len(own) else day_start + timedelta(days=1)
    starts = _starts_keeping_breaks(own, index, low, high, day_start, inputs.rules)
    sitting = {t: p for t, p in _engine_booked(scheduled).interviewers}
    seats = tuple(
        t if t.id == seat.id else replace(t, eligible=(sitting.get(t.id, t.eligible[0]),))
        for t in session.seats
    )
    others = [b for b in booked if not (b.loop_id == loop.id and b.session_id == session.id)]
    length = timedelta(minutes=session.minutes)
    for _attempt in range(MOVE_ATTEMPTS):
        window = _within(_spans(starts, length, inputs.rules.slot_minutes), loop.free)
        if not window:
            break
        alone = engine.Loop(loop.id, loop.candidate, window, (replace(session, seats=seats),))
        options = engine.loop_options(
            alone, inputs.people, inputs.rooms, inputs.rules, others, count=1
        )
        if not options:
            break
        placed = options[0].sessions[0]
        who = inputs.users[dict(placed.interviewers)[seat.id]]
        found = sched_services.check_session_change(
            scheduled, placed.start, {seat_row.pk: who}, now=now
        )
        if not found.hard and not found.soft:
            return Proposal(MOVE, scheduled, seat_row, starts_at=placed.start, person=who)
        starts.discard(placed.start)
    return Proposal(
        NONE,
        scheduled,
        seat_row,
        explanation=_(
            "Nobody qualified is free at that time, and no other time fits between the "
            "sessions before and after it. Offer the candidate fresh options or book by hand."
        ),
    )


def _starts_keeping_breaks(
    own: list[ScheduledSession],
    index: int,
    low: datetime,
    high: datetime,
    day_start: datetime,
    rules: engine.Rules,
) -> set[datetime]:
    """Starts on the engine's grid in [low, high − length] that keep the loop's break rule
    (`engine.runs_without_break`, as `check_loop` applies it) with the others where they are."""
    moving = own[index]
    length = timedelta(minutes=moving.duration_minutes)
    step = timedelta(minutes=rules.slot_minutes)
    at = day_start + step * math.ceil((low - day_start) / step)
    found = set()
    while at + length <= high:
        spans = [
            (at, at + length) if i == index else (s.starts_at, s.ends_at) for i, s in enumerate(own)
        ]
        origin = min(a for a, _b in spans)
        minutes = [
            (int((a - origin).total_seconds() // 60), int((b - origin).total_seconds() // 60))
            for a, b in sorted(spans)
        ]
        if not engine.runs_without_break(
            minutes, rules.break_minutes, rules.max_continuous_minutes
        ):
            found.add(at)
        at += step
    return found


def _spans(starts: set[datetime], length: timedelta, slot_minutes: int) -> list[engine.Interval]:
    """Free time in which the session can start exactly at these starts: each run of
    consecutive starts becomes one interval from its first start to its last start's end."""
    step = timedelta(minutes=slot_minutes)
    out: list[engine.Interval] = []
    for at in sorted(starts):
        if out and at - step == out[-1].end - length:
            out[-1] = engine.Interval(out[-1].start, at + length)
        else:
            out.append(engine.Interval(at, at + length))
    return out


def _within(
    spans: list[engine.Interval], free: tuple[engine.Interval, ...]
) -> tuple[engine.Interval, ...]:
    return tuple(
        engine.Interval(max(s.start, f.start), min(s.end, f.end))
        for s in spans
        for f in free
        if f.start < s.end and s.start < f.end
    )
