"""Scheduling whole second-round loops: who interviews whom, when, and in which room.

A *loop* is one finalist's sequence of sessions (welcome first, wrap-up last); each session
has seats, and each seat a list of people qualified to take it (the planner's coverage
promise: a replacement must be eligible for the same competencies). The engine places a
batch of loops at once — every finalist of a position, or every loop of a week — because
interviewers are shared between them.

Rules (all hard unless said otherwise)
-------------------------------------
- Everyone only when free: people and candidates give free intervals (working hours minus
  busy times); rooms likewise.
- **One day** per loop by default, or at most ``max_days`` days (days in the organisation's
  time zone, which also bounds the daily caps; a day is midnight to midnight there, so a
  daylight-saving change inside the week is handled).
- Sessions in the given order, ``transition_minutes`` apart at least; at most
  ``max_continuous_minutes`` without a break of ``break_minutes``.
- Per person: at most ``max_per_day`` and ``max_per_week`` interviews (counting those already
  booked), and ``buffer_minutes`` after each interview before the next.
- Rooms never double-booked; a session that needs a room gets one large enough.
- Not before ``not_before`` (minimum notice).

Objective, lexicographic (solved in stages, each stage's optimum fixed before the next):

1. every loop placed (a loop is placed whole or not at all);
2. the fairest load: the smallest maximum number of interviews per person, then the
   smallest spread between the most and least loaded of the people who could be asked;
3. least idle time for candidates, then the earliest days.

Caps are never exceeded here; a coordinator may override one by hand, with a reason, outside
the engine. A loop that cannot be placed is explained in words (who, which rule, which day).

Model (OR-Tools CP-SAT), in slots of ``slot_minutes``: an interval variable per session (its
start restricted to where the candidate is free), a Boolean per (seat, eligible person) with
an optional interval in that person's no-overlap set (padded by the buffer, beside their
busy intervals), a Boolean per (session, day) and per (seat, person, day) for the day rule
and the caps, and a Boolean per (session, room).
"""

from __future__ import annotations

import math
import time
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from ortools.sat.python import cp_model

__all__ = [
    "Interval",
    "Loop",
    "LoopOption",
    "Person",
    "Room",
    "Rules",
    "Schedule",
    "ScheduledSession",
    "SchedulingInputError",
    "Seat",
    "Session",
    "Unplaced",
    "free_replacements",
    "loop_options",
    "schedule",
]


class SchedulingInputError(ValueError):
    """The input cannot describe a schedule (naive times, unknown people, empty loops...)."""


@dataclass(frozen=True)
class Interval:
    start: datetime
    end: datetime


@dataclass(frozen=True)
class Person:
    id: str
    name: str
    free: tuple[Interval, ...]
    max_per_day: int = 2
    max_per_week: int = 6
    booked_per_day: Mapping[date, int] = field(default_factory=dict)
    """Interviews already booked outside this batch, by day (organisation's time zone)."""


@dataclass(frozen=True)
class Seat:
    id: str
    eligible: tuple[str, ...]
    """Ids of the people qualified to take this seat."""


@dataclass(frozen=True)
class Session:
    id: str
    title: str
    minutes: int
    seats: tuple[Seat, ...]
    needs_room: bool = False


@dataclass(frozen=True)
class Loop:
    id: str
    candidate: str
    """The candidate's name, for explanations."""
    free: tuple[Interval, ...]
    sessions: tuple[Session, ...]
    """In the order they must happen."""


@dataclass(frozen=True)
class Room:
    id: str
    name: str
    capacity: int
    free: tuple[Interval, ...]


@dataclass(frozen=True)
class Rules:
    time_zone: str = "UTC"
    slot_minutes: int = 15
    buffer_minutes: int = 10
    transition_minutes: int = 0
    max_days: int = 1
    max_continuous_minutes: int = 180
    break_minutes: int = 30
    not_before: datetime | None = None
    time_limit_seconds: float = 10.0
    workers: int = 2


@dataclass(frozen=True)
class ScheduledSession:
    loop_id: str
    session_id: str
    start: datetime
    end: datetime
    interviewers: tuple[tuple[str, str], ...]
    """(seat id, person id) pairs."""
    room_id: str | None = None


@dataclass(frozen=True)
class Unplaced:
    loop_id: str
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class Schedule:
    sessions: tuple[ScheduledSession, ...]
    unplaced: tuple[Unplaced, ...]
    load: Mapping[str, int]
    """Interviews per person over the horizon: this batch plus those already booked."""
    idle_minutes: int
    proven_optimal: bool
    gap: float
    """Relative gap of the last stage (0 when proven optimal)."""
    seconds_to_first: float
    seconds: float

    @property
    def placed(self) -> int:
        return len({s.loop_id for s in self.sessions})


@dataclass(frozen=True)
class LoopOption:
    sessions: tuple[ScheduledSession, ...]

    @property
    def start(self) -> datetime:
        return self.sessions[0].start

    @property
    def end(self) -> datetime:
        return self.sessions[-1].end


# --- input checks and time grid ---------------------------------------------------------------


def _aware(moment: datetime, what: str) -> None:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise SchedulingInputError(f"{what}: times must carry a time zone ({moment} has none)")


def _validate(
    loops: Sequence[Loop], people: Sequence[Person], rooms: Sequence[Room], rules: Rules
) -> None:
    if rules.slot_minutes <= 0 or 60 % rules.slot_minutes:
        raise SchedulingInputError("slot_minutes must divide an hour (5, 10, 15, 20, 30 or 60)")
    if rules.max_days < 1:
        raise SchedulingInputError("max_days must be at least 1")
    try:
        ZoneInfo(rules.time_zone)
    except (KeyError, ValueError) as error:
        raise SchedulingInputError(f"unknown time zone {rules.time_zone!r}") from error
    ids = [p.id for p in people]
    if len(set(ids)) != len(ids):
        raise SchedulingInputError("two people share an id")
    known = set(ids)
    for person in people:
        for interval in person.free:
            _check_interval(interval, f"{person.name}'s free time")
    for room in rooms:
        for interval in room.free:
            _check_interval(interval, f"room {room.name}")
    if len({loop.id for loop in loops}) != len(loops):
        raise SchedulingInputError("two loops share an id")
    for loop in loops:
        if not loop.sessions:
            raise SchedulingInputError(f"the loop of {loop.candidate} has no sessions")
        for interval in loop.free:
            _check_interval(interval, f"{loop.candidate}'s free time")
        for session in loop.sessions:
            if session.minutes <= 0:
                raise SchedulingInputError(f"session {session.title!r} must last a positive time")
            for seat in session.seats:
                unknown = [p for p in seat.eligible if p not in known]
                if unknown:
                    raise SchedulingInputError(
                        f"seat {seat.id} of {session.title!r} names unknown people: {unknown}"
                    )
    if rules.not_before is not None:
        _aware(rules.not_before, "not_before")


def _check_interval(interval: Interval, what: str) -> None:
    _aware(interval.start, what)
    _aware(interval.end, what)
    if interval.end <= interval.start:
        raise SchedulingInputError(f"{what}: an interval ends before it starts ({interval})")


@dataclass(frozen=True)
class _Grid:
    """Whole slots from an origin; every time in the model is a slot index."""

    origin: datetime
    slot: int  # minutes
    zone: ZoneInfo

    def index_up(self, moment: datetime) -> int:
        return math.ceil((moment - self.origin) / timedelta(minutes=self.slot))

    def index_down(self, moment: datetime) -> int:
        return math.floor((moment - self.origin) / timedelta(minutes=self.slot))

    def moment(self, index: int) -> datetime:
        return (self.origin + timedelta(minutes=self.slot * index)).astimezone(self.zone)

    def slots(self, minutes: int) -> int:
        return math.ceil(minutes / self.slot)

    def windows(self, intervals: Iterable[Interval], not_before: int = 0) -> list[tuple[int, int]]:
        """Free intervals as merged [start, end) slot ranges, trimmed to whole slots."""
        ranges = sorted(
            (max(self.index_up(i.start), not_before), self.index_down(i.end)) for i in intervals
        )
        merged: list[tuple[int, int]] = []
        for start, end in ranges:
            if end <= start:
                continue
            if merged and start <= merged[-1][1]:
                merged[-1] = (merged[-1][0], max(merged[-1][1], end))
            else:
                merged.append((start, end))
        return merged

    def day_of(self, index: int) -> date:
        return self.moment(index).date()


def _grid(loops: Sequence[Loop], people: Sequence[Person], rules: Rules) -> _Grid:
    zone = ZoneInfo(rules.time_zone)
    starts = [i.start for loop in loops for i in loop.free]
    starts += [i.start for p in people for i in p.free]
    if rules.not_before is not None:
        starts.append(rules.not_before)
    if not starts:
        raise SchedulingInputError("nobody has any free time")
    earliest = min(starts).astimezone(zone)
    midnight = datetime.combine(earliest.date(), datetime.min.time(), zone)
    # In UTC: arithmetic on two times of one ZoneInfo zone is wall-clock arithmetic in Python,
    # which is an hour off across a daylight-saving change.
    return _Grid(origin=midnight.astimezone(UTC), slot=rules.slot_minutes, zone=zone)


def _days(grid: _Grid, last: int) -> list[tuple[date, int, int]]:
    """Local calendar days as (date, first slot, end slot); 23- and 25-hour days included."""
    days: list[tuple[date, int, int]] = []
    day = grid.origin.astimezone(grid.zone).date()
    while True:
        start = grid.index_up(datetime.combine(day, datetime.min.time(), grid.zone))
        end = grid.index_up(
            datetime.combine(day + timedelta(days=1), datetime.min.time(), grid.zone)
        )
        if start >= last:
            return days
        days.append((day, start, end))
        day += timedelta(days=1)


def _starts(windows: list[tuple[int, int]], length: int) -> list[tuple[int, int]]:
    """Where something of `length` slots can start inside the windows, as inclusive ranges."""
    return [(s, e - length) for s, e in windows if e - s >= length]


def _subtract(windows: list[tuple[int, int]], start: int, end: int) -> list[tuple[int, int]]:
    out = []
    for low, high in windows:
        if high <= start or low >= end:
            out.append((low, high))
            continue
        if low < start:
            out.append((low, start))
        if high > end:
            out.append((end, high))
    return out


def _complement(windows: list[tuple[int, int]], horizon: int) -> list[tuple[int, int]]:
    busy, cursor = [], 0
    for start, end in windows:
        if start > cursor:
            busy.append((cursor, start))
        cursor = max(cursor, end)
    if cursor < horizon:
        busy.append((cursor, horizon))
    return busy


# --- the model -------------------------------------------------------------------------------


@dataclass
class _SessionVars:
    loop: Loop
    session: Session
    start: cp_model.IntVar
    end: cp_model.IntVar
    length: int
    day: dict[int, cp_model.IntVar]  # day index -> Boolean
    seat: dict[tuple[str, str], cp_model.IntVar]  # (seat id, person id) -> Boolean
    room: dict[str, cp_model.IntVar]


class _Model:
    """The CP-SAT model of one batch; built once, solved in stages."""

    def __init__(
        self,
        loops: Sequence[Loop],
        people: Sequence[Person],
        rooms: Sequence[Room],
        rules: Rules,
        booked: Sequence[ScheduledSession],
    ) -> None:
        self.rules, self.loops = rules, list(loops)
        self.rooms, self.booked = list(rooms), list(booked)
        self.people = {p.id: p for p in people}
        self.grid = _grid(loops, people, rules)
        ends = [i.end for loop in loops for i in loop.free] + [
            i.end for p in people for i in p.free
        ]
        self.horizon = self.grid.index_up(max(ends)) if ends else 1
        self.days = _days(self.grid, self.horizon)
        not_before = self.grid.index_up(rules.not_before) if rules.not_before else 0
        self.not_before = max(0, not_before)
        self.buffer = self.grid.slots(rules.buffer_minutes)
        self.model = cp_model.CpModel()
        self.person_free = {p.id: self.grid.windows(p.free, self.not_before) for p in people}
        self.person_intervals: dict[str, list[cp_model.IntervalVar]] = defaultdict(list)
        self.booked_load: dict[str, dict[int, int]] = {p.id: self._booked_by_day(p) for p in people}
        self._add_booked(booked)
        self.sessions: list[_SessionVars] = []
        self.placed: dict[str, cp_model.IntVar] = {}
        self.impossible: dict[str, list[str]] = {}
        self.idle: dict[str, cp_model.IntVar] = {}
        self.first_day: dict[str, cp_model.IntVar] = {}
        for loop in loops:
            self._add_loop(loop)
        self._add_people()
        self._add_rooms(rooms)
        self.load = self._add_load()

    # booked interviews outside the batch take people's time and count toward their caps
    def _booked_by_day(self, person: Person) -> dict[int, int]:
        by_index = {day: d for d, (day, _s, _e) in enumerate(self.days)}
        return {by_index[day]: n for day, n in person.booked_per_day.items() if day in by_index}

    def _add_booked(self, booked: Sequence[ScheduledSession]) -> None:
        """Booked interviews leave their people's free time (with the buffer around them).

        Taken out of the free windows rather than added as fixed intervals: a calendar feed
        often holds the interview itself, and two fixed intervals must never overlap.
        """
        for item in booked:
            start, end = self.grid.index_down(item.start), self.grid.index_up(item.end)
            day = self._day_index(start)
            for _seat, person in item.interviewers:
                if person not in self.people:
                    continue
                self.person_free[person] = _subtract(
                    self.person_free[person], start - self.buffer, end + self.buffer
                )
                if day is not None:
                    self.booked_load[person][day] = self.booked_load[person].get(day, 0) + 1

    def _day_index(self, slot: int) -> int | None:
        for d, (_day, start, end) in enumerate(self.days):
            if start <= slot < end:
                return d
        return None

    def _add_loop(self, loop: Loop) -> None:
        free = self.grid.windows(loop.free, self.not_before)
        problems = []
        made = []
        for session in loop.sessions:
            length = self.grid.slots(session.minutes)
            starts = _starts(free, length)
            if not starts:
                problems.append(
                    f"{loop.candidate} has no free stretch of {session.minutes} minutes "
                    f"for “{session.title}”."
                )
                continue
            made.append((session, length, starts))
        if problems:
            self.impossible[loop.id] = problems
            return
        m = self.model
        placed = m.new_bool_var(f"placed[{loop.id}]")
        self.placed[loop.id] = placed
        used_days: dict[int, cp_model.IntVar] = {}
        previous: _SessionVars | None = None
        continuous = None
        for session, length, starts in made:
            start = m.new_int_var_from_domain(
                cp_model.Domain.from_intervals([list(r) for r in starts]), ""
            )
            end = m.new_int_var(0, self.horizon, "")
            m.add(end == start + length)
            days = {}
            for d, (_day, day_start, day_end) in enumerate(self.days):
                if any(s <= day_end - length and e >= day_start for s, e in starts):
                    x = m.new_bool_var("")
                    m.add(start >= day_start).only_enforce_if(x)
                    m.add(end <= day_end).only_enforce_if(x)
                    if d not in used_days:
                        used_days[d] = m.new_bool_var("")
                    m.add_implication(x, used_days[d])
                    days[d] = x
            m.add(sum(days.values()) == placed)
            vars_ = _SessionVars(loop, session, start, end, length, days, {}, {})
            for seat in session.seats:
                choices = []
                for person in dict.fromkeys(seat.eligible):
                    if not _fits_somewhere(self.person_free[person], starts, length):
                        continue
                    a = m.new_bool_var("")
                    vars_.seat[(seat.id, person)] = a
                    choices.append(a)
                    # Padded by the buffer: the person's next interview starts that much later.
                    self.person_intervals[person].append(
                        m.new_optional_fixed_size_interval_var(start, length + self.buffer, a, "")
                    )
                if not choices:
                    self.impossible.setdefault(loop.id, []).append(
                        _nobody_free(loop, session, seat, self.people)
                    )
                m.add(sum(choices) == placed)
            for session_people in _people_in_session(vars_).values():
                m.add(sum(session_people) <= 1)
            if previous is not None:
                gap = m.new_int_var(0, self.horizon, "")
                m.add(gap == start - previous.end).only_enforce_if(placed)
                m.add(
                    start >= previous.end + self.grid.slots(self.rules.transition_minutes)
                ).only_enforce_if(placed)
                continuous = self._continuity(continuous, gap, length, placed)
            else:
                continuous = m.new_constant(length)
            self.sessions.append(vars_)
            previous = vars_
        if loop.id in self.impossible:
            m.add(placed == 0)
        m.add(sum(used_days.values()) <= self.rules.max_days)
        mine = [s for s in self.sessions if s.loop is loop]
        total = sum(s.length for s in mine)
        idle = m.new_int_var(0, self.horizon, f"idle[{loop.id}]")
        m.add(idle >= mine[-1].end - mine[0].start - total).only_enforce_if(placed)
        self.idle[loop.id] = idle
        first_day = m.new_int_var(0, len(self.days), "")
        m.add(first_day == sum(d * x for d, x in mine[0].day.items()))
        self.first_day[loop.id] = first_day

    def _continuity(
        self,
        before: cp_model.IntVar | None,
        gap: cp_model.IntVar,
        length: int,
        placed: cp_model.IntVar,
    ) -> cp_model.IntVar:
        """Minutes without a break up to the end of this session, capped by the rule."""
        m, rules = self.model, self.rules
        cap = self.grid.slots(rules.max_continuous_minutes)
        rest = self.grid.slots(rules.break_minutes)
        now = m.new_int_var(0, self.horizon, "")
        took_break = m.new_bool_var("")
        m.add(gap >= rest).only_enforce_if(took_break)
        m.add(gap < rest).only_enforce_if(took_break.negated())
        m.add(now == length).only_enforce_if(took_break)
        assert before is not None
        m.add(now == before + gap + length).only_enforce_if([took_break.negated(), placed])
        m.add(now <= cap).only_enforce_if(placed)
        return now

    def _add_people(self) -> None:
        m = self.model
        for person_id, person in self.people.items():
            for start, end in _complement(self.person_free[person_id], self.horizon + self.buffer):
                self.person_intervals[person_id].append(
                    m.new_interval_var(start, end - start, end, "")
                )
            if self.person_intervals[person_id]:
                m.add_no_overlap(self.person_intervals[person_id])
            per_day: dict[int, list[cp_model.IntVar]] = defaultdict(list)
            for vars_ in self.sessions:
                for (_seat, who), a in vars_.seat.items():
                    if who != person_id:
                        continue
                    for d, x in vars_.day.items():
                        y = m.new_bool_var("")
                        m.add_bool_or([a.negated(), x.negated(), y])
                        per_day[d].append(y)
            booked = self.booked_load[person_id]
            for d, ys in per_day.items():
                m.add(sum(ys) <= max(0, person.max_per_day - booked.get(d, 0)))
            for week in _weeks(self.days):
                total = [y for d in week for y in per_day.get(d, [])]
                already = sum(booked.get(d, 0) for d in week)
                if total:
                    m.add(sum(total) <= max(0, person.max_per_week - already))

    def _add_rooms(self, rooms: Sequence[Room]) -> None:
        m = self.model
        room_intervals: dict[str, list[cp_model.IntervalVar]] = defaultdict(list)
        for room in rooms:
            for start, end in _complement(self.grid.windows(room.free), self.horizon):
                room_intervals[room.id].append(m.new_interval_var(start, end - start, end, ""))
        for vars_ in self.sessions:
            if not vars_.session.needs_room:
                continue
            size = len(vars_.session.seats) + 1
            options = []
            for room in rooms:
                if room.capacity < size:
                    continue
                r = m.new_bool_var("")
                vars_.room[room.id] = r
                options.append(r)
                room_intervals[room.id].append(
                    m.new_optional_interval_var(vars_.start, vars_.length, vars_.end, r, "")
                )
            if not options:
                self.impossible.setdefault(vars_.loop.id, []).append(
                    f"No room holds {size} people for “{vars_.session.title}”."
                )
                m.add(self.placed[vars_.loop.id] == 0)
            m.add(sum(options) == self.placed[vars_.loop.id])
        for intervals in room_intervals.values():
            m.add_no_overlap(intervals)

    def _add_load(self) -> dict[str, cp_model.LinearExprT]:
        load: dict[str, list[cp_model.IntVar]] = defaultdict(list)
        for vars_ in self.sessions:
            for (_seat, who), a in vars_.seat.items():
                load[who].append(a)
        return {
            who: sum(choices) + sum(self.booked_load[who].values()) for who, choices in load.items()
        }

    # --- objectives, in stages ------------------------------------------------------------

    def fairness(self) -> cp_model.LinearExprT:
        m = self.model
        if not self.load:
            return m.new_constant(0)
        top = max(p.max_per_week for p in self.people.values()) * max(1, len(_weeks(self.days)))
        highest, lowest = m.new_int_var(0, top, "max_load"), m.new_int_var(0, top, "min_load")
        m.add_max_equality(highest, list(self.load.values()))
        m.add_min_equality(lowest, list(self.load.values()))
        return highest * (top + 1) + (highest - lowest)

    def compactness(self) -> cp_model.LinearExprT:
        earliest = len(self.days) * max(1, len(self.loops)) + 1
        return sum(self.idle.values()) * earliest + sum(self.first_day.values())


def _fits_somewhere(
    person_free: list[tuple[int, int]], starts: list[tuple[int, int]], length: int
) -> bool:
    """Could this person be free for some start the candidate allows? (A cheap prefilter.)"""
    for low, high in starts:
        for free_start, free_end in person_free:
            if max(low, free_start) <= min(high, free_end - length):
                return True
    return False


def _people_in_session(vars_: _SessionVars) -> dict[str, list[cp_model.IntVar]]:
    by_person: dict[str, list[cp_model.IntVar]] = defaultdict(list)
    for (_seat, who), a in vars_.seat.items():
        by_person[who].append(a)
    return by_person


def _weeks(days: list[tuple[date, int, int]]) -> list[list[int]]:
    weeks: dict[tuple[int, int], list[int]] = defaultdict(list)
    for d, (day, _s, _e) in enumerate(days):
        weeks[tuple(day.isocalendar())[:2]].append(d)  # type: ignore[index]
    return list(weeks.values())


def _nobody_free(loop: Loop, session: Session, seat: Seat, people: Mapping[str, Person]) -> str:
    names = ", ".join(people[p].name for p in seat.eligible) or "nobody is qualified"
    return (
        f"Nobody who may take a seat in “{session.title}” is free while {loop.candidate} is "
        f"(qualified: {names})."
    )


# --- solving ---------------------------------------------------------------------------------


class _FirstSolution(cp_model.CpSolverSolutionCallback):
    def __init__(self, started: float) -> None:
        super().__init__()
        self.started, self.seconds = started, math.nan

    def on_solution_callback(self) -> None:
        if math.isnan(self.seconds):
            self.seconds = time.perf_counter() - self.started


def _solver(seconds: float, workers: int) -> cp_model.CpSolver:
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(0.05, seconds)
    solver.parameters.num_workers = workers
    solver.parameters.random_seed = 7
    # Presolve probing took seconds of wall time on batch models for little gain.
    solver.parameters.cp_model_probing_level = 0
    return solver


def _stage(
    built: _Model,
    objective: cp_model.LinearExprT,
    maximize: bool,
    seconds: float,
    callback: cp_model.CpSolverSolutionCallback | None = None,
) -> tuple[cp_model.CpSolver, int, bool] | None:
    """Optimise one stage, keep its value for the stages after, hint the next with its solution."""
    m = built.model
    if maximize:
        m.maximize(objective)
    else:
        m.minimize(objective)
    solver = _solver(seconds, built.rules.workers)
    status = solver.solve(m, callback) if callback else solver.solve(m)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    value = round(solver.objective_value)
    m.clear_hints()
    for var in _decisions(built):
        m.add_hint(var, solver.value(var))
    if maximize:
        m.add(objective >= value)
    else:
        m.add(objective <= value)
    return solver, value, status == cp_model.OPTIMAL


def _decisions(built: _Model) -> list[cp_model.IntVar]:
    out: list[cp_model.IntVar] = list(built.placed.values())
    for vars_ in built.sessions:
        out.append(vars_.start)
        out.extend(vars_.day.values())
        out.extend(vars_.seat.values())
        out.extend(vars_.room.values())
    return out


def schedule(
    loops: Sequence[Loop],
    people: Sequence[Person],
    rooms: Sequence[Room] = (),
    rules: Rules = Rules(),
    booked: Sequence[ScheduledSession] = (),
) -> Schedule:
    """Place a batch of loops (see the module docstring for the rules and the objective).

    Parameters
    ----------
    loops, people, rooms
        What to schedule, who may interview, and where.
    rules
        The organisation's rules and the solver's time limit (split over the stages).
    booked
        Sessions already booked for other loops: they take their people's time and count
        toward their caps.

    Returns
    -------
    Schedule
        The placed sessions, the loops that could not be placed with the reasons, the load
        per person, and how good the solution is known to be.
    """
    _validate(loops, people, rooms, rules)
    started = time.perf_counter()
    built = _Model(loops, people, rooms, rules, booked)
    budget = rules.time_limit_seconds
    _warm_start(built, loops, people, rooms, rules, booked, deadline=started + budget * 0.5)
    first = _FirstSolution(started)
    stages: list[tuple[cp_model.LinearExprT, bool, float]] = [
        (sum(built.placed.values()) if built.placed else built.model.new_constant(0), True, 0.4),
        (built.fairness(), False, 0.3),
        (built.compactness(), False, 0.3),
    ]
    solver: cp_model.CpSolver | None = None
    optimal, gap = True, 0.0
    for n, (objective, maximize, share) in enumerate(stages):
        # Time a stage does not use goes to the stages after it, in proportion.
        remaining = budget - (time.perf_counter() - started)
        seconds = remaining * share / sum(later for _o, _m, later in stages[n:])
        result = _stage(built, objective, maximize, seconds, first if solver is None else None)
        if result is None:  # out of time in this stage: the previous stage's schedule stands
            optimal = False
            break
        solver, value, optimal = result
        gap = 0.0 if optimal else abs(value - solver.best_objective_bound) / max(1.0, abs(value))
    elapsed = time.perf_counter() - started
    if solver is None:
        reason = f"No schedule was found within {budget:g} seconds; allow the solver more time."
        unplaced = tuple(Unplaced(loop.id, (reason,)) for loop in loops)
        return Schedule((), unplaced, {}, 0, False, 1.0, math.nan, elapsed)
    return _read(built, solver, optimal, gap, first.seconds, elapsed)


def _warm_start(
    built: _Model,
    loops: Sequence[Loop],
    people: Sequence[Person],
    rooms: Sequence[Room],
    rules: Rules,
    booked: Sequence[ScheduledSession],
    deadline: float,
) -> None:
    """Hint the batch model with loops placed one at a time, each beside those before it.

    A whole batch is a large model whose first solution can take CP-SAT long to find; one loop
    alone is small and fast. The sequential schedule is feasible for the batch too, so the
    solver starts from it and spends its time on fairness and compactness.
    """
    single = replace(rules, time_limit_seconds=0.5)
    placed: list[ScheduledSession] = []
    for loop in loops:
        if loop.id not in built.placed or time.perf_counter() > deadline:
            continue
        alone = _Model([loop], people, rooms, single, [*booked, *placed])
        if loop.id in alone.impossible:
            continue
        alone.model.add(alone.placed[loop.id] == 1)
        alone.model.minimize(alone.compactness())
        solver = _solver(single.time_limit_seconds, rules.workers)
        if solver.solve(alone.model) in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            placed.extend(_read(alone, solver, False, 0.0, 0.0, 0.0).sessions)
    by_session = {(s.loop_id, s.session_id): s for s in placed}
    for vars_ in built.sessions:
        found = by_session.get((vars_.loop.id, vars_.session.id))
        if found is None:
            continue
        start = built.grid.index_down(found.start)
        built.model.add_hint(vars_.start, start)
        for d, x in vars_.day.items():
            built.model.add_hint(x, int(built.days[d][1] <= start < built.days[d][2]))
        chosen = set(found.interviewers)
        for key, a in vars_.seat.items():
            built.model.add_hint(a, int(key in chosen))
        for room_id, r in vars_.room.items():
            built.model.add_hint(r, int(room_id == found.room_id))
    placed_loops = {s.loop_id for s in placed}
    for loop_id, var in built.placed.items():
        built.model.add_hint(var, int(loop_id in placed_loops))


def _read(
    built: _Model,
    solver: cp_model.CpSolver,
    optimal: bool,
    gap: float,
    first: float,
    seconds: float,
) -> Schedule:
    grid = built.grid
    sessions = []
    for vars_ in built.sessions:
        if not solver.value(built.placed[vars_.loop.id]):
            continue
        start = solver.value(vars_.start)
        sessions.append(
            ScheduledSession(
                loop_id=vars_.loop.id,
                session_id=vars_.session.id,
                start=grid.moment(start),
                end=grid.moment(start + vars_.length),
                interviewers=tuple(key for key, a in vars_.seat.items() if solver.value(a)),
                room_id=next((r for r, x in vars_.room.items() if solver.value(x)), None),
            )
        )
    unplaced = []
    for loop in built.loops:
        placed = built.placed.get(loop.id)
        if placed is None or not solver.value(placed):
            reasons = built.impossible.get(loop.id) or _explain(loop, built)
            unplaced.append(Unplaced(loop.id, tuple(reasons)))
    load = {who: int(solver.value(expr)) for who, expr in built.load.items()}
    idle = sum(solver.value(v) for v in built.idle.values()) * grid.slot
    return Schedule(tuple(sessions), tuple(unplaced), load, idle, optimal, gap, first, seconds)


def _explain(loop: Loop, built: _Model) -> list[str]:
    """Why a loop was left out, found by relaxing one rule at a time on the loop alone.

    Each check is a small feasibility solve of this one loop beside what was booked before
    the batch: without any seat (the candidate's time and the day and break rules), without
    the caps (then the caps are why), and with one seat at a time (then that seat is why).
    """
    people = list(built.people.values())
    rules = replace(built.rules, time_limit_seconds=1.0)
    booked = built.booked
    bare = replace(loop, sessions=tuple(replace(s, seats=()) for s in loop.sessions))
    if not _fits_alone(bare, people, built.rooms, rules, booked):
        return [_candidate_time(loop, built)]
    uncapped = [
        replace(p, max_per_day=10**6, max_per_week=10**6, booked_per_day={}) for p in people
    ]
    if not _fits_alone(loop, people, built.rooms, rules, booked):
        if _fits_alone(loop, uncapped, built.rooms, rules, booked):
            return [_at_caps(loop, built)]
        reasons = []
        for session in loop.sessions:
            for seat in session.seats:
                alone = replace(
                    bare,
                    sessions=tuple(
                        replace(s, seats=(seat,)) if s is session else s for s in bare.sessions
                    ),
                )
                if not _fits_alone(alone, uncapped, built.rooms, rules, booked):
                    reasons.append(_nobody_free(loop, session, seat, built.people))
        return reasons or [
            f"{loop.candidate}'s loop needs the same people in several sessions at times "
            "they are not all free; widen the panel for one of its sessions."
        ]
    return _crowded_out(loop, built)


def _fits_alone(
    loop: Loop,
    people: Sequence[Person],
    rooms: Sequence[Room],
    rules: Rules,
    booked: Sequence[ScheduledSession],
) -> bool:
    built = _Model([loop], people, rooms, rules, booked)
    if loop.id in built.impossible:
        return False
    built.model.add(built.placed[loop.id] == 1)
    status = _solver(rules.time_limit_seconds, rules.workers).solve(built.model)
    return status in (cp_model.OPTIMAL, cp_model.FEASIBLE)


def _candidate_time(loop: Loop, built: _Model) -> str:
    total = sum(s.minutes for s in loop.sessions)
    per_day: dict[date, int] = defaultdict(int)
    for start, end in built.grid.windows(loop.free, built.not_before):
        for slot in range(start, end):
            per_day[built.grid.day_of(slot)] += built.grid.slot
    most = max(per_day.values(), default=0)
    days = "one day" if built.rules.max_days == 1 else f"{built.rules.max_days} days"
    if most * built.rules.max_days < total:
        return (
            f"{loop.candidate} is free for at most {_duration(most)} on any day; the loop needs "
            f"{_duration(total)} within {days}."
        )
    return (
        f"{loop.candidate}'s free time does not fit the loop's order and breaks "
        f"({_duration(total)} of sessions, at most {built.rules.max_continuous_minutes} minutes "
        f"without a {built.rules.break_minutes}-minute break) within {days}."
    )


def _at_caps(loop: Loop, built: _Model) -> str:
    needed = {p for s in loop.sessions for seat in s.seats for p in seat.eligible}
    full = []
    for pid in sorted(needed, key=lambda p: built.people[p].name):
        person = built.people[pid]
        for d, count in sorted(built.booked_load[pid].items()):
            if count >= person.max_per_day:
                full.append(f"{person.name} ({count} on {built.days[d][0]:%a %d %b})")
    listed = ", ".join(full[:6]) + ("…" if len(full) > 6 else "")
    return (
        f"The people {loop.candidate}'s loop needs are at their interview caps on the days "
        f"{loop.candidate} is free{': ' + listed if listed else ''}. "
        "Add days, widen the panel, or book over a cap by hand with a reason."
    )


def _duration(minutes: int) -> str:
    hours, rest = divmod(minutes, 60)
    if not hours:
        return f"{rest} minutes"
    return f"{hours} h {rest:02d}" if rest else f"{hours} h"


def _crowded_out(loop: Loop, built: _Model) -> list[str]:
    """Why a loop that fits on its own was left out: who it needs that others took."""
    needed = sorted(
        {built.people[p].name for s in loop.sessions for seat in s.seats for p in seat.eligible}
    )
    return [
        f"{loop.candidate}'s loop fits on its own but not beside the others: the people it "
        f"needs ({', '.join(needed[:6])}{'…' if len(needed) > 6 else ''}) are taken or at their "
        "caps on the days they are free. Widen the panel, add days, or raise a cap by hand."
    ]


def loop_options(
    loop: Loop,
    people: Sequence[Person],
    rooms: Sequence[Room] = (),
    rules: Rules = Rules(),
    booked: Sequence[ScheduledSession] = (),
    count: int = 5,
) -> tuple[LoopOption, ...]:
    """Up to `count` whole-loop options for one candidate, each on a different half-day.

    Each option is the best (fairest, most compact) placement of the loop beside what is
    already booked, outside the half-days of the options before it.
    """
    _validate([loop], people, rooms, rules)
    options: list[LoopOption] = []
    taken: list[tuple[int, int]] = []
    per_solve = rules.time_limit_seconds / max(1, count)
    for _ in range(count):
        built = _Model([loop], people, rooms, rules, booked)
        if loop.id in built.impossible or not built.sessions:
            break
        first = built.sessions[0].start
        for low, high in taken:
            outside = built.model.new_bool_var("")
            built.model.add(first < low).only_enforce_if(outside)
            built.model.add(first >= high).only_enforce_if(outside.negated())
        built.model.add(built.placed[loop.id] == 1)
        fairness, compactness = built.fairness(), built.compactness()
        built.model.minimize(cp_model.LinearExpr.weighted_sum([fairness, compactness], [10_000, 1]))
        solver = _solver(per_solve, rules.workers)
        if solver.solve(built.model) not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            break
        option = _read(built, solver, False, 0.0, 0.0, 0.0).sessions
        options.append(LoopOption(option))
        taken.append(_half_day(built.grid, solver.value(first)))
    return tuple(options)


def _half_day(grid: _Grid, slot: int) -> tuple[int, int]:
    """The half-day (midnight–noon or noon–midnight, local) around a slot, as slot bounds."""
    moment = grid.moment(slot)
    midnight = datetime.combine(moment.date(), datetime.min.time(), grid.zone)
    noon = midnight.replace(hour=12)
    if moment < noon:
        return grid.index_up(midnight), grid.index_up(noon)
    next_midnight = datetime.combine(
        moment.date() + timedelta(days=1), datetime.min.time(), grid.zone
    )
    return grid.index_up(noon), grid.index_up(next_midnight)


def free_replacements(
    session: ScheduledSession,
    seat: Seat,
    declined: str,
    people: Sequence[Person],
    booked: Sequence[ScheduledSession],
    rules: Rules = Rules(),
) -> tuple[str, ...]:
    """People eligible for the seat who are free at the session's time, within their caps.

    The least change after a decline: the same time, another qualified person.
    Returned fewest-loaded first.
    """
    zone = ZoneInfo(rules.time_zone)
    pad = timedelta(minutes=rules.buffer_minutes)
    by_id = {p.id: p for p in people}
    day = session.start.astimezone(zone).date()
    week = day.isocalendar()[:2]
    busy: dict[str, list[tuple[datetime, datetime]]] = defaultdict(list)
    per_day: dict[str, int] = defaultdict(int)
    per_week: dict[str, int] = defaultdict(int)
    sitting = {p for _s, p in session.interviewers}
    for item in booked:
        for _seat, who in item.interviewers:
            busy[who].append((item.start, item.end))
            local = item.start.astimezone(zone).date()
            per_day[who] += local == day
            per_week[who] += local.isocalendar()[:2] == week
    found = []
    for pid in seat.eligible:
        person = by_id.get(pid)
        if person is None or pid == declined or pid in sitting:
            continue
        free = any(i.start <= session.start and session.end <= i.end for i in person.free)
        clash = any(s < session.end + pad and session.start < e + pad for s, e in busy[pid])
        booked_today = per_day[pid] + person.booked_per_day.get(day, 0)
        if (
            free
            and not clash
            and booked_today < person.max_per_day
            and per_week[pid] < person.max_per_week
        ):
            found.append(pid)
    return tuple(sorted(found, key=lambda pid: (per_week[pid], seat.eligible.index(pid))))
