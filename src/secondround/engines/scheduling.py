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
  booked), and ``buffer_minutes`` after each interview before the next. Seats with
  ``counts_toward_caps=False`` (hosting) take time and buffers but count toward no cap or load.
- Rooms never double-booked; a session that needs a room gets one large enough.
- Not before ``not_before`` (minimum notice).

Objective, lexicographic (solved in stages, each stage's optimum fixed before the next):

1. every loop placed (a loop is placed whole or not at all);
2. the smallest highest load (interviews per person), then the smallest spread between the
   most and least loaded of the people who could be asked;
3. least idle time for candidates, then the earliest days.

Caps are never exceeded here; a coordinator may override one by hand, with a reason, outside
the engine. A loop that cannot be placed is explained in words (who, which rule, which day).

How (see docs/engines.md): a best-fit first schedule that obeys every rule; for each stage
a bound known without search or from the untimed relaxation (HiGHS), improvements by ruin
and recreate; CP-SAT on the full model (per-day seat Booleans, availability as start
domains, buffered optional intervals per person) only where a gap remains. Each stage's
value, bound and gap are reported in `Schedule.stages`.
"""

from __future__ import annotations

import math
import time
from bisect import bisect_right
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import numpy as np
from ortools.sat.python import cp_model
from scipy import sparse
from scipy.optimize import Bounds, LinearConstraint, milp

__all__ = [
    "Interval",
    "Loop",
    "LoopOption",
    "LoopOptions",
    "Person",
    "Room",
    "Rules",
    "Schedule",
    "ScheduledSession",
    "SchedulingInputError",
    "Seat",
    "Session",
    "Stage",
    "Unplaced",
    "free_replacements",
    "loop_options",
    "loop_options_explained",
    "runs_without_break",
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
    counts_toward_caps: bool = True
    """False for a seat that only hosts (welcome, the candidate's questions, wrap-up): it takes
    the person's time but is not an interview for their caps, nor for the fair-load stages."""


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
    counts_toward_caps: bool = True
    """Booked: whether its seats are interviews for the caps (False: hosted only)."""


@dataclass(frozen=True)
class Unplaced:
    loop_id: str
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class Stage:
    """One objective of the lexicographic order, as solved: its value and the proven bound."""

    name: str
    """"placed", "max load", "load spread", "idle" (in slots) or "earliest" (day indices)."""
    value: int
    bound: int
    """The best value possible, as proven (by the solver or by a bound known without search)."""
    optimal: bool
    seconds: float

    @property
    def gap(self) -> float:
        """Relative distance between the value and the proven bound (0 when optimal)."""
        if self.optimal:
            return 0.0
        return abs(self.value - self.bound) / max(1, abs(self.value), abs(self.bound))


@dataclass(frozen=True)
class Schedule:
    sessions: tuple[ScheduledSession, ...]
    unplaced: tuple[Unplaced, ...]
    load: Mapping[str, int]
    """Interviews per person over the horizon: this batch plus those already booked."""
    idle_minutes: int
    proven_optimal: bool
    """Every stage proven optimal (each given the optimum of the stages before it)."""
    gap: float
    """The largest relative gap over the stages (0 when proven optimal); see `stages`."""
    seconds_to_first: float
    seconds: float
    stages: tuple[Stage, ...] = ()
    """Each objective in order, with its value, proven bound and time."""

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


@dataclass(frozen=True)
class LoopOptions:
    options: tuple[LoopOption, ...]
    reasons: tuple[str, ...]
    """Why there are fewer options than asked for, in words (empty otherwise)."""


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


def _intersect(a: list[tuple[int, int]], b: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Intersection of two sorted lists of inclusive ranges."""
    out, i, j = [], 0, 0
    while i < len(a) and j < len(b):
        low, high = max(a[i][0], b[j][0]), min(a[i][1], b[j][1])
        if low <= high:
            out.append((low, high))
        if a[i][1] < b[j][1]:
            i += 1
        else:
            j += 1
    return out


def runs_without_break(
    spans: Sequence[tuple[int, int]], rest: int, cap: int
) -> list[tuple[int, int]]:
    """The break rule, the one statement of it that the engine and the app's checks share.

    `spans` are a loop's sessions as (start, end) in any one unit (slots here, minutes in the
    app), in order. A gap of `rest` or more since the latest end is a break and restarts the
    run; otherwise the run goes on through the gap. Returns (session index, run length) for
    each session whose run exceeds the limit: `cap`, or the longest single session when that
    is longer (a session longer than the cap stands alone, a break cannot shorten it). After
    a breach the run restarts at that session, so one long stretch is reported once.
    """
    if not spans:
        return []
    limit = max(cap, *(end - start for start, end in spans))
    breaches: list[tuple[int, int]] = []
    run_start, latest_end = spans[0][0], spans[0][0]
    for index, (start, end) in enumerate(spans):
        if start - latest_end >= rest:
            run_start = start
        if end - run_start > limit:
            breaches.append((index, end - run_start))
            run_start = start
        latest_end = max(latest_end, end)
    return breaches


def _gap_patterns(lengths: Sequence[int], short: int, rest: int, cap: int) -> list[tuple[int, ...]]:
    """Gaps between consecutive sessions that keep the break rule, least idle first.

    Between two sessions the candidate either goes straight on (``short``: the transition) or
    takes a break (``rest`` at least). Without a break the time runs on; no run may exceed
    ``cap`` (a single session longer than the cap stands alone). Only these compact patterns
    can reach the least idle time, so the smallest total is a lower bound on a loop's idle time.
    """
    brk = max(rest, short)
    limit = max(cap, *lengths)
    found: list[tuple[int, ...]] = []

    def extend(gaps: tuple[int, ...], run: int) -> None:
        k = len(gaps) + 1
        if k == len(lengths):
            found.append(gaps)
            return
        if short < rest and run + short + lengths[k] <= limit:
            extend((*gaps, short), run + short + lengths[k])
        extend((*gaps, brk), lengths[k])

    if len(found) < 4096:
        extend((), lengths[0])
    return sorted(found, key=lambda gaps: (sum(gaps), gaps[::-1]))


@dataclass
class _LoopData:
    loop: Loop
    free: list[tuple[int, int]]
    lengths: list[int]
    starts: list[list[tuple[int, int]]]
    """Per session, where it may start (inclusive ranges): inside the candidate's free time."""
    eligible: dict[tuple[int, str], list[str]]
    """(session index, seat id) -> people who could be free for it at some allowed start."""
    days: list[int]
    """Day indices on which the loop (its first session, with max_days > 1 any session) fits."""
    patterns: list[tuple[int, ...]]
    min_idle: int

    @property
    def total(self) -> int:
        return sum(self.lengths)


class _Problem:
    """A batch in slots: free windows after what is booked, days, caps, the loops' options.

    Shared by the CP-SAT model, the constructive first schedule and the options search, so
    that all three apply exactly the same rules.
    """

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
        self.grid = grid = _grid(loops, people, rules)
        ends = [i.end for loop in loops for i in loop.free] + [
            i.end for p in people for i in p.free
        ]
        self.horizon = grid.index_up(max(ends)) if ends else 1
        self.days = _days(grid, self.horizon)
        self.weeks = _weeks(self.days)
        self.week_of = {d: w for w, days in enumerate(self.weeks) for d in days}
        not_before = grid.index_up(rules.not_before) if rules.not_before else 0
        self.not_before = max(0, not_before)
        self.buffer = grid.slots(rules.buffer_minutes)
        self.transition = grid.slots(rules.transition_minutes)
        self.rest = grid.slots(rules.break_minutes)
        self.cap = grid.slots(rules.max_continuous_minutes)
        self.person_free = {p.id: grid.windows(p.free, self.not_before) for p in people}
        self.room_free = {r.id: grid.windows(r.free, self.not_before) for r in rooms}
        self.uncounted = {
            seat.id
            for loop in loops
            for session in loop.sessions
            for seat in session.seats
            if not seat.counts_toward_caps
        }
        self.booked_load: dict[str, dict[int, int]] = {p.id: self._booked_by_day(p) for p in people}
        self._add_booked(booked)
        self.impossible: dict[str, list[str]] = {}
        self.data: dict[str, _LoopData] = {}
        self._free_for: dict[tuple[str, int, str, int], list[str]] = {}
        for loop in loops:
            self._prepare(loop)

    def counts(self, seat_id: str) -> bool:
        """Does sitting this seat count toward caps and load (hosting seats do not)?"""
        return seat_id not in self.uncounted

    # booked interviews outside the batch take people's time and count toward their caps
    def _booked_by_day(self, person: Person) -> dict[int, int]:
        by_date = {day: d for d, (day, _s, _e) in enumerate(self.days)}
        return {by_date[day]: n for day, n in person.booked_per_day.items() if day in by_date}

    def _add_booked(self, booked: Sequence[ScheduledSession]) -> None:
        """Booked interviews leave their people's free time (with the buffer around them).

        Taken out of the free windows rather than added as fixed intervals: a calendar feed
        often holds the interview itself, and two fixed intervals must never overlap.
        """
        for item in booked:
            start, end = self.grid.index_down(item.start), self.grid.index_up(item.end)
            day = self.day_index(start)
            for _seat, person in item.interviewers:
                if person not in self.people:
                    continue
                self.person_free[person] = _subtract(
                    self.person_free[person], start - self.buffer, end + self.buffer
                )
                if day is not None and item.counts_toward_caps:
                    self.booked_load[person][day] = self.booked_load[person].get(day, 0) + 1
            if item.room_id in self.room_free:
                self.room_free[item.room_id] = _subtract(self.room_free[item.room_id], start, end)

    def day_index(self, slot: int) -> int | None:
        for d, (_day, start, end) in enumerate(self.days):
            if start <= slot < end:
                return d
        return None

    def _prepare(self, loop: Loop) -> None:
        free = self.grid.windows(loop.free, self.not_before)
        lengths = [self.grid.slots(s.minutes) for s in loop.sessions]
        starts = [_starts(free, length) for length in lengths]
        problems = [
            f"{loop.candidate} has no free stretch of {s.minutes} minutes for “{s.title}”."
            for s, options in zip(loop.sessions, starts, strict=True)
            if not options
        ]
        eligible: dict[tuple[int, str], list[str]] = {}
        for k, session in enumerate(loop.sessions):
            for seat in session.seats:
                eligible[(k, seat.id)] = [
                    pid
                    for pid in dict.fromkeys(seat.eligible)
                    if _fits_somewhere(self.person_free[pid], starts[k], lengths[k])
                ]
                if starts[k] and not eligible[(k, seat.id)]:
                    problems.append(_nobody_free(loop, session, seat, self.people))
            size = len(session.seats) + 1
            if session.needs_room and not any(r.capacity >= size for r in self.rooms):
                problems.append(f"No room holds {size} people for “{session.title}”.")
        if problems:
            self.impossible[loop.id] = problems
            return
        patterns = _gap_patterns(lengths, self.transition, self.rest, self.cap)
        shortest = sum(lengths) + sum(patterns[0])
        if self.rules.max_days == 1:
            days = [
                d
                for d, (_day, low, high) in enumerate(self.days)
                if _intersect(starts[0], [(low, high - shortest)])
            ]
        else:
            days = [
                d
                for d, (_day, low, high) in enumerate(self.days)
                if any(
                    _intersect(s, [(low, high - n)]) for s, n in zip(starts, lengths, strict=True)
                )
            ]
        if not days:
            self.impossible[loop.id] = [_candidate_time(loop, self)]
            return
        self.data[loop.id] = _LoopData(
            loop, free, lengths, starts, eligible, days, patterns, sum(patterns[0])
        )

    def free_for(self, data: _LoopData, k: int, seat_id: str, start: int) -> list[str]:
        """Who may take a seat at a start as far as their calendar goes (cached)."""
        key = (data.loop.id, k, seat_id, start)
        found = self._free_for.get(key)
        if found is None:
            end = start + data.lengths[k]
            found = [pid for pid in data.eligible[(k, seat_id)] if self.is_free(pid, start, end)]
            self._free_for[key] = found
        return found

    def is_free(self, pid: str, start: int, end: int) -> bool:
        return _inside(self.person_free[pid], start, end)

    def day_starts(self, d: int, length: int) -> list[tuple[int, int]]:
        _day, low, high = self.days[d]
        return [(low, high - length)]

    def person_starts(self, pid: str, length: int) -> list[tuple[int, int]]:
        return _starts(self.person_free[pid], length)

    def room_starts(self, rid: str, length: int) -> list[tuple[int, int]]:
        return _starts(self.room_free[rid], length)

    def load_bound(self, pools: bool = False) -> int:
        """A lower bound on the highest load, known without search.

        Nobody has less than they already have booked. With every loop placed (`pools`),
        for a pool of people, the seats that only that pool can take (plus what its people
        have booked) are shared by at most that many people. The pools tried: each seat's
        qualified people, and the union over the loops of one seat of one session (all the
        welcome seats, say).
        """
        bound = max((sum(v.values()) for v in self.booked_load.values()), default=0)
        if not pools:
            return bound
        seats, candidates = self._pools()
        for pool in candidates:
            if not pool:
                continue
            inside = sum(1 for other in seats if other <= pool)
            booked = sum(sum(self.booked_load[pid].values()) for pid in pool)
            bound = max(bound, math.ceil((inside + booked) / len(pool)))
        return bound

    def _pools(self) -> tuple[list[frozenset[str]], set[frozenset[str]]]:
        """Every seat's qualified people, and the pools worth a bound: the union over the
        loops of one seat of one session, each seat's own pool (while that stays cheap)."""
        seats: list[frozenset[str]] = []
        unions: dict[tuple[str, int], set[str]] = defaultdict(set)
        for data in self.data.values():
            for k, session in enumerate(data.loop.sessions):
                for j, seat in enumerate(session.seats):
                    if not seat.counts_toward_caps:
                        continue
                    seats.append(frozenset(data.eligible[(k, seat.id)]))
                    unions[(session.title, j)] |= seats[-1]
        candidates = {frozenset(u) for u in unions.values()}
        if len(set(seats)) <= 200:
            candidates |= set(seats)
        return seats, candidates

    def earliest_bound(self, seconds: float) -> int | None:
        """A lower bound on the sum of the loops' days, with every loop placed on one day.

        Each day, the seats that only one pool of people can take fit into that pool's daily
        caps: loops assigned to days under these capacities (a small MIP, HiGHS) cannot start
        earlier in total than its optimum.
        """
        if self.rules.max_days != 1 or not self.data or seconds < 0.05:
            return None
        columns = [(lid, d) for lid, data in self.data.items() for d in data.days]
        index = {key: i for i, key in enumerate(columns)}
        rows: list[int] = []
        cols: list[int] = []
        values: list[int] = []
        lower: list[float] = []
        upper: list[float] = []
        for lid, data in self.data.items():
            for d in data.days:
                rows.append(len(lower))
                cols.append(index[(lid, d)])
                values.append(1)
            lower.append(1)
            upper.append(1)
        seats = {
            lid: [frozenset(e) for (_k, sid), e in data.eligible.items() if self.counts(sid)]
            for lid, data in self.data.items()
        }
        for pool in {e for pools in seats.values() for e in pools}:
            need = {lid: sum(1 for e in pools if e <= pool) for lid, pools in seats.items()}
            for d in range(len(self.days)):
                room = sum(
                    max(0, self.people[pid].max_per_day - self.booked_load[pid].get(d, 0))
                    for pid in pool
                )
                terms = [(index[(lid, d)], n) for lid, n in need.items() if n and (lid, d) in index]
                if sum(n for _i, n in terms) <= room:
                    continue  # never binding
                for i, n in terms:
                    rows.append(len(lower))
                    cols.append(i)
                    values.append(n)
                lower.append(-math.inf)
                upper.append(room)
        cost = np.array([d for _lid, d in columns], dtype=float)
        matrix = sparse.csr_array((values, (rows, cols)), shape=(len(lower), len(columns)))
        result = milp(
            cost,
            integrality=np.ones(len(columns)),
            bounds=Bounds(0, 1),
            constraints=LinearConstraint(matrix, lower, upper),
            options={"time_limit": seconds, "disp": False},
        )
        best: float | None = result.fun if result.status == 0 else result.get("mip_dual_bound")
        if best is None or not math.isfinite(best):
            return None
        return math.ceil(best - 1e-6)

    def spread_bound(self, highest: int, people: set[str]) -> int:
        """A lower bound on the spread, with every loop placed and `highest` fixed.

        For any group of the `people` who can take a seat, their loads add up to at most the
        seats open to any of them (plus what they have booked), so the least loaded has at
        most that over the group's size. Groups tried: everyone, each pool (see `_pools`)
        and each person alone. The spread is at least `highest` minus the smallest of these.
        """
        if not people:
            return 0
        seats, candidates = self._pools()
        groups = {frozenset(people)} | candidates | {frozenset([pid]) for pid in people}
        lowest = highest
        for group in groups:
            members = group & people
            if not members:
                continue
            open_seats = sum(1 for seat in seats if not seat.isdisjoint(members))
            booked = sum(sum(self.booked_load[pid].values()) for pid in members)
            lowest = min(lowest, (open_seats + booked) // len(members))
        return max(0, highest - lowest)


# --- the model -------------------------------------------------------------------------------


@dataclass
class _SessionVars:
    data: _LoopData
    index: int
    start: cp_model.IntVar
    length: int
    day: dict[int, cp_model.IntVar]  # day index -> Boolean
    seat: dict[tuple[str, str, int], cp_model.IntVar]  # (seat id, person id, day) -> Boolean
    room: dict[str, cp_model.IntVar]

    @property
    def loop(self) -> Loop:
        return self.data.loop

    @property
    def session(self) -> Session:
        return self.data.loop.sessions[self.index]


class _Model:
    """The CP-SAT model of one batch; built once, solved in stages.

    Tight where it matters for the bounds: a seat's choice is a Boolean per (person, day)
    whose sum equals the loop's day Boolean (so the daily caps are plain sums of the decision
    Booleans), each such choice restricts the session's start to where that person is free
    (a domain, not a busy interval in a no-overlap), and a loop's idle time is bounded below
    by the least idle its break rule allows.

    Untimed (``timed=False``) it is a relaxation: days, seats and caps without clock times
    (no starts, buffers, breaks or rooms). It is small and solved fast, and its optimum is a
    valid bound for the full model's: the bound that proves the fairness stages.
    """

    def __init__(self, problem: _Problem, timed: bool = True) -> None:
        self.problem = p = problem
        self.timed = timed
        self.model = cp_model.CpModel()
        self.sessions: list[_SessionVars] = []
        self.by_loop: dict[str, list[_SessionVars]] = {}
        self.placed: dict[str, cp_model.IntVar] = {}
        self.idle: dict[str, cp_model.IntVar] = {}
        self.first_day: dict[str, cp_model.LinearExprT] = {}
        self.person_intervals: dict[str, list[cp_model.IntervalVar]] = defaultdict(list)
        self.per_day: dict[tuple[str, int], list[cp_model.IntVar]] = defaultdict(list)
        for data in p.data.values():
            self._add_loop(data)
        self._add_people()
        if timed:
            self._add_rooms()
        self.load = self._add_load()
        top = max((pp.max_per_week for pp in p.people.values()), default=0) * max(1, len(p.weeks))
        top = max(top, p.load_bound())
        self.highest = self.model.new_int_var(0, top, "highest")
        self.lowest = self.model.new_int_var(0, top, "lowest")
        for expr in self.load.values():
            self.model.add(self.highest >= expr)
            self.model.add(self.lowest <= expr)

    def _add_loop(self, data: _LoopData) -> None:
        m, p = self.model, self.problem
        loop = data.loop
        placed = m.new_bool_var(f"placed[{loop.id}]")
        self.placed[loop.id] = placed
        shared = {d: m.new_bool_var("") for d in data.days} if p.rules.max_days == 1 else None
        if shared is not None:
            m.add(sum(shared.values()) == placed)
        used: dict[int, cp_model.IntVar] = {}
        mine: list[_SessionVars] = []
        continuous: cp_model.LinearExprT = 0
        limit = max(p.cap, *data.lengths)
        for k, length in enumerate(data.lengths):
            start = m.new_int_var_from_domain(cp_model.Domain.from_intervals(data.starts[k]), "")
            if shared is not None:
                days = shared
            else:
                days = {d: m.new_bool_var("") for d in data.days}
                m.add(sum(days.values()) == placed)
                for d, x in days.items():
                    used.setdefault(d, m.new_bool_var(""))
                    m.add_implication(x, used[d])
            vars_ = _SessionVars(data, k, start, length, days, {}, {})
            self._add_seats(vars_)
            if mine and self.timed:
                before = mine[-1]
                gap = start - before.start - before.length
                m.add(gap >= p.transition).only_enforce_if(placed)
                continuous = self._continuity(continuous, gap, length, limit, placed)
            else:
                continuous = length
            mine.append(vars_)
        if used:
            m.add(sum(used.values()) <= p.rules.max_days)
        self.sessions.extend(mine)
        self.by_loop[loop.id] = mine
        idle = m.new_int_var(0, p.horizon, f"idle[{loop.id}]")
        if self.timed:
            m.add(
                idle >= mine[-1].start + mine[-1].length - mine[0].start - data.total
            ).only_enforce_if(placed)
        m.add(idle >= data.min_idle * placed)
        self.idle[loop.id] = idle
        self.first_day[loop.id] = sum(d * x for d, x in mine[0].day.items())

    def _add_seats(self, vars_: _SessionVars) -> None:
        """A Boolean per (seat, person, day), each allowing only the starts that person is free."""
        m, p = self.model, self.problem
        data, k, length = vars_.data, vars_.index, vars_.length
        by_person: dict[str, list[cp_model.IntVar]] = defaultdict(list)
        for d, x in vars_.day.items():
            on_day = _intersect(data.starts[k], p.day_starts(d, length))
            if not on_day:
                m.add(x == 0)
                continue
            if self.timed:
                domain = cp_model.Domain.from_intervals([list(r) for r in on_day])
                m.add_linear_expression_in_domain(vars_.start, domain).only_enforce_if(x)
            for seat in vars_.session.seats:
                choices = []
                for pid in data.eligible[(k, seat.id)]:
                    allowed = _intersect(on_day, p.person_starts(pid, length))
                    if not allowed:
                        continue
                    z = m.new_bool_var("")
                    if self.timed and allowed != on_day:
                        free = cp_model.Domain.from_intervals([list(r) for r in allowed])
                        m.add_linear_expression_in_domain(vars_.start, free).only_enforce_if(z)
                    # Padded by the buffer: the person's next interview starts that much later.
                    if self.timed:
                        self.person_intervals[pid].append(
                            m.new_optional_fixed_size_interval_var(
                                vars_.start, length + p.buffer, z, ""
                            )
                        )
                    if seat.counts_toward_caps:
                        self.per_day[(pid, d)].append(z)
                    vars_.seat[(seat.id, pid, d)] = z
                    by_person[pid].append(z)
                    choices.append(z)
                m.add(sum(choices) == x)
        for zs in by_person.values():
            if len(zs) > 1:
                m.add(sum(zs) <= 1)  # one seat each in a session

    def _continuity(
        self,
        before: cp_model.LinearExprT,
        gap: cp_model.LinearExprT,
        length: int,
        limit: int,
        placed: cp_model.IntVar,
    ) -> cp_model.IntVar:
        """Time without a break up to the end of this session, capped by the rule."""
        m, p = self.model, self.problem
        now = m.new_int_var(0, limit, "")
        took_break = m.new_bool_var("")
        m.add(gap >= p.rest).only_enforce_if([took_break, placed])
        m.add(gap < p.rest).only_enforce_if([took_break.negated(), placed])
        m.add(now == length).only_enforce_if(took_break)
        run_on = cp_model.LinearExpr.sum([before, gap, length])
        m.add(now == run_on).only_enforce_if([took_break.negated(), placed])
        return now

    def _add_people(self) -> None:
        m, p = self.model, self.problem
        for intervals in self.person_intervals.values():
            if len(intervals) > 1:
                m.add_no_overlap(intervals)
        for pid, person in p.people.items():
            booked = p.booked_load[pid]
            for week in p.weeks:
                total = []
                for d in week:
                    zs = self.per_day.get((pid, d), [])
                    if len(zs) > person.max_per_day - booked.get(d, 0):
                        m.add(sum(zs) <= max(0, person.max_per_day - booked.get(d, 0)))
                    total.extend(zs)
                already = sum(booked.get(d, 0) for d in week)
                if len(total) > person.max_per_week - already:
                    m.add(sum(total) <= max(0, person.max_per_week - already))

    def _add_rooms(self) -> None:
        m, p = self.model, self.problem
        room_intervals: dict[str, list[cp_model.IntervalVar]] = defaultdict(list)
        for vars_ in self.sessions:
            if not vars_.session.needs_room:
                continue
            size = len(vars_.session.seats) + 1
            options = []
            for room in p.rooms:
                allowed = _intersect(
                    vars_.data.starts[vars_.index], p.room_starts(room.id, vars_.length)
                )
                if room.capacity < size or not allowed:
                    continue
                r = m.new_bool_var("")
                m.add_linear_expression_in_domain(
                    vars_.start, cp_model.Domain.from_intervals([list(x) for x in allowed])
                ).only_enforce_if(r)
                vars_.room[room.id] = r
                options.append(r)
                room_intervals[room.id].append(
                    m.new_optional_fixed_size_interval_var(vars_.start, vars_.length, r, "")
                )
            m.add(sum(options) == self.placed[vars_.loop.id])
        for intervals in room_intervals.values():
            if len(intervals) > 1:
                m.add_no_overlap(intervals)

    def _add_load(self) -> dict[str, cp_model.LinearExprT]:
        load: dict[str, list[cp_model.IntVar]] = defaultdict(list)
        for vars_ in self.sessions:
            for (seat, who, _d), z in vars_.seat.items():
                if self.problem.counts(seat):
                    load[who].append(z)
        booked = self.problem.booked_load
        return {who: sum(zs) + sum(booked[who].values()) for who, zs in load.items()}

    # --- solutions as values of the decision variables --------------------------------------

    def decisions(self) -> list[cp_model.IntVar]:
        out: list[cp_model.IntVar] = list(self.placed.values())
        for vars_ in self.sessions:
            out.append(vars_.start)
            out.extend(vars_.seat.values())
            out.extend(vars_.room.values())
        out.extend({x.index: x for v in self.sessions for x in v.day.values()}.values())
        return out

    def values_of(self, placements: Mapping[str, list[_Placed]]) -> dict[int, int]:
        """The decision values of a schedule found outside the model (the first fit)."""
        values: dict[int, int] = {}
        for loop_id, mine in self.by_loop.items():
            found = placements.get(loop_id)
            values[self.placed[loop_id].index] = int(found is not None)
            for vars_ in mine:
                item = found[vars_.index] if found else None
                day = self.problem.day_index(item.start) if item else None
                for d, x in vars_.day.items():
                    values[x.index] = int(d == day)
                if item is not None:
                    values[vars_.start.index] = item.start
                chosen = {(s, who, day) for s, who in item.people} if item else set()
                for key, z in vars_.seat.items():
                    values[z.index] = int(key in chosen)
                for rid, r in vars_.room.items():
                    values[r.index] = int(item is not None and rid == item.room)
        return values


@dataclass(frozen=True)
class _Placed:
    """One session placed by the first fit or the options search, in slots."""

    start: int
    people: tuple[tuple[str, str], ...]  # (seat id, person id)
    room: str | None


class _Solution:
    """A schedule as values of the model's decision variables, with its stage measures."""

    def __init__(self, built: _Model, values: Mapping[int, int]) -> None:
        self.built, self.values = built, dict(values)

    def value(self, var: cp_model.IntVar) -> int:
        return self.values.get(var.index, 0)

    def is_placed(self, loop_id: str) -> bool:
        var = self.built.placed.get(loop_id)
        return var is not None and bool(self.value(var))

    def loads(self) -> dict[str, int]:
        booked = self.built.problem.booked_load
        load = {who: sum(booked[who].values()) for who in self.built.load}
        for vars_ in self.built.sessions:
            for (seat, who, _d), z in vars_.seat.items():
                if who in load and self.built.problem.counts(seat):
                    load[who] += self.value(z)
        return load

    def idle(self, loop_id: str) -> int:
        mine = self.built.by_loop[loop_id]
        last = self.value(mine[-1].start) + mine[-1].length
        return last - self.value(mine[0].start) - mine[0].data.total

    def measure(self, stage: str) -> int:
        placed = [lid for lid in self.built.placed if self.is_placed(lid)]
        loads = list(self.loads().values()) or [0]
        if stage == "placed":
            return len(placed)
        if stage == "max load":
            return max(loads)
        if stage == "load spread":
            return max(loads) - min(loads)
        if stage == "idle":
            return sum(self.idle(lid) for lid in placed)
        return sum(self.value_of_day(lid) for lid in placed)

    def value_of_day(self, loop_id: str) -> int:
        first = self.built.by_loop[loop_id][0]
        return sum(d * self.value(x) for d, x in first.day.items())


# --- the first fit: a feasible, fair, compact schedule in a fraction of a second -------------


class _FirstFit:
    """Loops one at a time, most constrained first: the least idle pattern at the earliest
    start that works, each seat to the least loaded qualified person who is free.

    Obeys every rule the model does (it is the model's first solution, so it must), but only
    tries one-day placements with the compact gap patterns; what it cannot place is left to
    the solver.
    """

    def __init__(self, problem: _Problem, limit: int | None = None) -> None:
        self.p = problem
        self.limit = limit  # at most this many interviews each (a target for fairness)
        self.taken: dict[str, list[tuple[int, int]]] = defaultdict(list)
        self.room_taken: dict[str, list[tuple[int, int]]] = defaultdict(list)
        self.day_load: dict[tuple[str, int], int] = defaultdict(int)
        self.week_load: dict[tuple[str, int], int] = defaultdict(int)
        self.total: dict[str, int] = defaultdict(int)
        for pid, by_day in problem.booked_load.items():
            for d, n in by_day.items():
                self.day_load[(pid, d)] += n
                self.week_load[(pid, problem.week_of[d])] += n
                self.total[pid] += n

    def run(self, deadline: float, best: bool = False) -> dict[str, list[_Placed]]:
        """Place the loops one by one: at the first placement that works, or (`best`) at the
        least idle placement that weighs least on the load."""
        placed: dict[str, list[_Placed]] = {}
        order = sorted(
            self.p.data.values(),
            key=lambda data: (len(data.days), min(map(len, data.eligible.values()), default=0)),
        )
        for data in order:
            # Past the deadline the rest only get the first placement that works (fast).
            found = self.best(data) if best and time.perf_counter() < deadline else None
            found = found or next(self.placements(data), None)
            if found is not None:
                self.commit_loop(data, found)
                placed[data.loop.id] = found
        return placed

    def placements(
        self,
        data: _LoopData,
        patterns: int | None = None,
        skip: Callable[[int], bool] | None = None,
    ) -> Iterator[list[_Placed]]:
        """Feasible placements of one loop: least idle pattern first, then earliest start
        (none whose first session starts at a slot `skip` names)."""
        for gaps in data.patterns[:patterns]:
            offsets = [0]
            for length, gap in zip(data.lengths, gaps, strict=False):
                offsets.append(offsets[-1] + length + gap)
            span = offsets[-1] + data.lengths[-1]
            for d in data.days:
                _day, low, high = self.p.days[d]
                for first_low, first_high in _intersect(data.starts[0], [(low, high - span)]):
                    for first in range(first_low, first_high + 1):
                        if skip is not None and skip(first):
                            continue
                        starts = [first + o for o in offsets]
                        if not all(
                            _inside(data.free, s, s + n)
                            for s, n in zip(starts, data.lengths, strict=True)
                        ):
                            continue
                        found = self.staff(data, starts, d)
                        if found is not None:
                            yield found

    def staff(self, data: _LoopData, starts: list[int], d: int) -> list[_Placed] | None:
        """Seats and rooms for a loop at fixed times, or None (a small depth-first search)."""
        seats = [
            (k, seat.id) for k, session in enumerate(data.loop.sessions) for seat in session.seats
        ]
        if not all(self.p.free_for(data, k, seat_id, starts[k]) for k, seat_id in seats):
            return None
        picks: list[tuple[int, str, str]] = []  # (session index, seat id, person)
        budget = [200]

        def search(i: int) -> bool:
            if i == len(seats):
                return True
            budget[0] -= 1
            if budget[0] < 0:
                return False
            k, seat_id = seats[i]
            s, e = starts[k], starts[k] + data.lengths[k]
            people = sorted(
                self.p.free_for(data, k, seat_id, s),
                key=lambda pid: (self.total[pid], self.week_load[(pid, self.p.week_of[d])]),
            )
            for pid in people:
                if self.can_take(pid, s, e, d, k, picks, starts, data.lengths, seat_id):
                    picks.append((k, seat_id, pid))
                    if search(i + 1):
                        return True
                    picks.pop()
            return False

        if not search(0):
            return None
        rooms = self.find_rooms(data, starts)
        if rooms is None:
            return None
        return [
            _Placed(
                starts[k],
                tuple((seat_id, pid) for kk, seat_id, pid in picks if kk == k),
                rooms[k],
            )
            for k in range(len(data.lengths))
        ]

    def can_take(
        self,
        pid: str,
        s: int,
        e: int,
        d: int,
        k: int,
        picks: list[tuple[int, str, str]],
        starts: list[int],
        lengths: list[int],
        seat_id: str = "",
    ) -> bool:
        p, buffer = self.p, self.p.buffer
        mine = [kk for kk, _seat, who in picks if who == pid]
        if k in mine or not p.is_free(pid, s, e):
            return False
        if p.counts(seat_id) and not self.under_caps(pid, d, picks):
            return False
        busy = self.taken[pid] + [(starts[kk], starts[kk] + lengths[kk]) for kk in mine]
        return all(e + buffer <= a or b + buffer <= s for a, b in busy)

    def under_caps(self, pid: str, d: int, picks: list[tuple[int, str, str]]) -> bool:
        """One more interview for `pid` on day `d` keeps their caps (and the load target)."""
        person = self.p.people[pid]
        counted = sum(1 for _kk, seat, who in picks if who == pid and self.p.counts(seat))
        if self.day_load[(pid, d)] + counted >= person.max_per_day:
            return False
        if self.week_load[(pid, self.p.week_of[d])] + counted >= person.max_per_week:
            return False
        return self.limit is None or self.total[pid] + counted < self.limit

    def find_rooms(self, data: _LoopData, starts: list[int]) -> list[str | None] | None:
        rooms: list[str | None] = []
        mine: list[tuple[str, int, int]] = []
        for k, session in enumerate(data.loop.sessions):
            if not session.needs_room:
                rooms.append(None)
                continue
            s, e = starts[k], starts[k] + data.lengths[k]
            size = len(session.seats) + 1
            choice = next(
                (
                    room.id
                    for room in sorted(self.p.rooms, key=lambda r: (r.capacity, r.id))
                    if room.capacity >= size
                    and _inside(self.p.room_free[room.id], s, e)
                    and all(
                        e <= a or b <= s
                        for a, b in self.room_taken[room.id]
                        + [(a, b) for r, a, b in mine if r == room.id]
                    )
                ),
                None,
            )
            if choice is None:
                return None
            mine.append((choice, s, e))
            rooms.append(choice)
        return rooms

    def commit_loop(self, data: _LoopData, placed: list[_Placed]) -> None:
        for item, length in zip(placed, data.lengths, strict=True):
            d = self.p.day_index(item.start)
            assert d is not None  # the first fit places inside the days
            for seat, pid in item.people:
                self.taken[pid].append((item.start, item.start + length))
                if self.p.counts(seat):
                    self.day_load[(pid, d)] += 1
                    self.week_load[(pid, self.p.week_of[d])] += 1
                    self.total[pid] += 1
            if item.room is not None:
                self.room_taken[item.room].append((item.start, item.start + length))

    def uncommit_loop(self, data: _LoopData, placed: list[_Placed]) -> None:
        for item, length in zip(placed, data.lengths, strict=True):
            d = self.p.day_index(item.start)
            assert d is not None
            for seat, pid in item.people:
                self.taken[pid].remove((item.start, item.start + length))
                if self.p.counts(seat):
                    self.day_load[(pid, d)] -= 1
                    self.week_load[(pid, self.p.week_of[d])] -= 1
                    self.total[pid] -= 1
            if item.room is not None:
                self.room_taken[item.room].remove((item.start, item.start + length))

    def score(self, data: _LoopData, placed: list[_Placed]) -> tuple[int, int, int, int]:
        """How a placement weighs on the load: the highest it makes, the rise in the sum of
        squared loads (the fewer, the fairer), then its idle time and its start."""
        people = Counter(pid for item in placed for seat, pid in item.people if self.p.counts(seat))
        after = {pid: self.total[pid] + n for pid, n in people.items()}
        squares = sum(n * n - self.total[pid] ** 2 for pid, n in after.items())
        idle = placed[-1].start + data.lengths[-1] - placed[0].start - data.total
        return (max(after.values(), default=0), squares, idle, placed[0].start)

    def earliness(self, data: _LoopData, placed: list[_Placed]) -> tuple[int, int, int, int]:
        d = self.p.day_index(placed[0].start)
        return (d or 0, placed[0].start, 0, 0)

    def keeps_floor(self, old: list[_Placed], new: list[_Placed], floor: int) -> bool:
        """Moving a loop from `old` (already taken out) to `new` leaves nobody below `floor`."""
        gained = Counter(pid for item in new for seat, pid in item.people if self.p.counts(seat))
        return all(
            self.total[pid] + gained[pid] >= floor
            for item in old
            for seat, pid in item.people
            if self.p.counts(seat)
        )

    def best(self, data: _LoopData) -> list[_Placed] | None:
        """The least idle placement that weighs least on the load (see `score`)."""
        compact = [g for g in data.patterns if sum(g) == data.min_idle]
        return min(
            self.placements(replace(data, patterns=compact)),
            key=lambda option: self.score(data, option),
            default=None,
        )

    def reinsert(
        self, placed: dict[str, list[_Placed]], deadline: float, floor: int | None = None
    ) -> None:
        """Take each loop out and put it back where it weighs least (ruin and recreate).

        The loop's old placement is among those tried, so no move makes the load less fair;
        loops not placed yet are tried too. Sweeps until nothing changes or time is up.
        With a `floor` (the lowest load to keep) the loads are settled and the loop goes back
        to its earliest placement that keeps everyone between the floor and the limit.
        """
        changed = True
        while changed and time.perf_counter() < deadline:
            changed = False
            for data in self.p.data.values():
                if time.perf_counter() > deadline:
                    return
                old = placed.get(data.loop.id)
                if old is not None:
                    self.uncommit_loop(data, old)
                compact = [g for g in data.patterns if sum(g) == data.min_idle]
                rank = self.score if floor is None else self.earliness
                best, best_score = old, rank(data, old) if old else None
                for option in self.placements(replace(data, patterns=compact)):
                    if floor is not None and old and not self.keeps_floor(old, option, floor):
                        continue
                    score = rank(data, option)
                    if best_score is None or score < best_score:
                        best, best_score = option, score
                if best is not None:
                    self.commit_loop(data, best)
                    placed[data.loop.id] = best
                    changed = changed or best is not old

    def rebalance(self, placed: dict[str, list[_Placed]], deadline: float) -> None:
        """Hand seats from the busiest to the least busy, where the time and caps allow.

        A seat moves only from someone with at least two interviews more than the person who
        takes it, so the highest load never rises, the lowest never falls, and the sum of
        squared loads falls with every move (the loop ends).
        """
        moved = True
        while moved and time.perf_counter() < deadline:
            moved = False
            for loop_id, items in placed.items():
                data = self.p.data[loop_id]
                for k, item in enumerate(items):
                    for seat_id, holder in item.people:
                        if not self.p.counts(seat_id):
                            continue  # hosting moves no load
                        taker = self.taker(data, k, item, seat_id, holder)
                        if taker is not None:
                            items[k] = self.move(data, k, item, seat_id, holder, taker)
                            moved = True
                            break

    def taker(
        self, data: _LoopData, k: int, item: _Placed, seat_id: str, holder: str
    ) -> str | None:
        s, e = item.start, item.start + data.lengths[k]
        d = self.p.day_index(s)
        assert d is not None
        sitting = {pid for _seat, pid in item.people}
        for pid in sorted(data.eligible[(k, seat_id)], key=lambda q: self.total[q]):
            if self.total[pid] + 2 > self.total[holder]:
                return None
            if pid not in sitting and self.can_take(pid, s, e, d, k, [], [], [], seat_id):
                return pid
        return None

    def move(
        self, data: _LoopData, k: int, item: _Placed, seat_id: str, holder: str, taker: str
    ) -> _Placed:
        span = (item.start, item.start + data.lengths[k])
        d = self.p.day_index(item.start)
        assert d is not None
        w = self.p.week_of[d]
        self.taken[holder].remove(span)
        self.taken[taker].append(span)
        for pid, change in ((holder, -1), (taker, 1)):
            self.day_load[(pid, d)] += change
            self.week_load[(pid, w)] += change
            self.total[pid] += change
        people = tuple((sid, taker if sid == seat_id else pid) for sid, pid in item.people)
        return replace(item, people=people)


def _inside(windows: list[tuple[int, int]], start: int, end: int) -> bool:
    """Is [start, end) inside one of the sorted, merged [low, high) windows?"""
    i = bisect_right(windows, (start, math.inf)) - 1
    return i >= 0 and windows[i][0] <= start and end <= windows[i][1]


def _fits_somewhere(
    person_free: list[tuple[int, int]], starts: list[tuple[int, int]], length: int
) -> bool:
    """Could this person be free for some start the candidate allows? (A cheap prefilter.)"""
    for low, high in starts:
        for free_start, free_end in person_free:
            if max(low, free_start) <= min(high, free_end - length):
                return True
    return False


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


def _solver(seconds: float, workers: int) -> cp_model.CpSolver:
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(0.05, seconds)
    solver.parameters.num_workers = workers
    solver.parameters.random_seed = 7
    # Presolve probing took seconds of wall time on batch models for little gain.
    solver.parameters.cp_model_probing_level = 0
    return solver


_STAGES: tuple[tuple[str, bool, float], ...] = (
    # name, maximise?, share of the time left
    ("placed", True, 0.2),
    ("max load", False, 0.2),
    ("load spread", False, 0.3),
    ("idle", False, 0.05),
    ("earliest", False, 0.25),
)


class _Stages:
    """Solve the objectives one after the other, each stage's optimum kept as a constraint.

    Each stage gets a proven bound and a schedule, then compares them:

    - bounds: known without search (every loop placed; each loop's least idle and earliest
      day) or, for the fairness and earliest stages, the optimum of the untimed relaxation
      (days, seats and caps without clock times) solved as a MIP by HiGHS;
    - schedules: the first fit, then for fairness the first fit again under a load limit and
      seats handed from the busiest to the least busy; only if a gap remains does the full
      CP-SAT model search, hinted with the current schedule, within the stage's time.

    A stage that closes no gap keeps the best schedule found and reports the gap honestly.
    """

    def __init__(
        self,
        built: _Model,
        relaxed: _Model,
        first_fit: dict[str, list[_Placed]],
        started: float,
        budget: float,
    ) -> None:
        self.built, self.relaxed = built, relaxed
        self.placements: dict[str, list[_Placed]] | None = first_fit
        self.solution = _Solution(built, built.values_of(first_fit))
        self.started, self.budget = started, budget
        self.results: list[Stage] = []

    def run(self) -> None:
        for n, (name, maximize, share) in enumerate(_STAGES):
            began = time.perf_counter()
            left = self.budget - (began - self.started)
            seconds = max(0.0, left * share / sum(s for _n, _m, s in _STAGES[n:]))
            value = self.solution.measure(name)
            bound = self.trivial_bound(name, self.solution.measure("placed"))
            if value != bound and name == "max load":
                relaxed = _milp_bound(
                    self.relaxed, _objective(self.relaxed, name), seconds / 2, enough=value
                )
                bound = max(bound, relaxed) if relaxed is not None else bound
            if value != bound and self.placements is not None:
                value = self.improve(name, value, bound, began + seconds * 0.7)
            optimal = value == bound
            if not optimal:
                remaining = seconds - (time.perf_counter() - began)
                value, bound, optimal = self.solve(name, maximize, remaining, value, bound)
            for built in (self.built, self.relaxed):
                objective = _objective(built, name)
                built.model.add(objective >= value if maximize else objective <= value)
            self.results.append(Stage(name, value, bound, optimal, time.perf_counter() - began))

    def trivial_bound(self, name: str, placed: int) -> int:
        data = self.built.problem.data
        if name == "placed":
            return len(data)
        if name == "max load":
            return self.built.problem.load_bound(pools=placed == len(data))
        if name == "load spread" and placed == len(data):
            return self.built.problem.spread_bound(
                self.solution.measure("max load"), set(self.built.load)
            )
        if name == "idle":
            return sum(sorted(d.min_idle for d in data.values())[:placed])
        if name == "earliest":
            trivial = sum(sorted(d.days[0] for d in data.values())[:placed])
            if placed < len(data):
                return trivial
            return max(trivial, self.built.problem.earliest_bound(1.0) or 0)
        return 0

    def improve(self, name: str, value: int, bound: int, deadline: float) -> int:
        """Better schedules without the solver: a load limit for the first fit, rebalancing."""
        assert self.placements is not None
        problem = self.built.problem
        if name in ("max load", "load spread"):
            # Never above the highest load the stage before fixed (or the current one).
            search = _FirstFit(problem, limit=self.solution.measure("max load"))
            placements = {k: list(v) for k, v in self.placements.items()}
            for loop_id, items in placements.items():
                search.commit_loop(problem.data[loop_id], items)
            search.reinsert(placements, deadline)
            search.rebalance(placements, deadline)
            self.adopt(placements)
        if name == "earliest":
            loads = self.solution.loads().values()
            search = _FirstFit(problem, limit=max(loads, default=0))
            placements = {k: list(v) for k, v in self.placements.items()}
            for loop_id, items in placements.items():
                search.commit_loop(problem.data[loop_id], items)
            search.reinsert(placements, deadline, floor=min(loads, default=0))
            self.adopt(placements)
        return self.solution.measure(name)

    def adopt(self, placements: dict[str, list[_Placed]]) -> None:
        self.placements = placements
        self.solution = _Solution(self.built, self.built.values_of(placements))

    def solve(
        self, name: str, maximize: bool, seconds: float, value: int, bound: int
    ) -> tuple[int, int, bool]:
        if seconds < 0.2:
            return value, bound, False
        m = self.built.model
        objective = _objective(self.built, name)
        m.maximize(objective) if maximize else m.minimize(objective)
        m.clear_hints()  # type: ignore[no-untyped-call]  # OR-Tools' wrapper has no annotations
        for var in self.built.decisions():
            m.add_hint(var, self.solution.value(var))
        solver = _solver(seconds, self.built.problem.rules.workers)
        status = solver.solve(m)
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return value, bound, False
        found = _Solution(self.built, {v.index: solver.value(v) for v in self.built.decisions()})
        measured = found.measure(name)
        if (measured > value) if maximize else (measured < value):
            self.solution, value, self.placements = found, measured, None
        solved = solver.best_objective_bound
        if maximize:
            bound = min(bound, math.floor(solved + 1e-6))
        else:
            bound = max(bound, math.ceil(solved - 1e-6))
        return value, bound, value == bound


def _objective(built: _Model, name: str) -> cp_model.LinearExprT:
    if name == "placed":
        return sum(built.placed.values())
    if name == "max load":
        return built.highest
    if name == "load spread":
        return built.highest - built.lowest
    if name == "idle":
        return sum(built.idle.values())
    return sum(built.first_day.values())


def _milp_bound(
    built: _Model, objective: cp_model.LinearExprT, seconds: float, enough: int
) -> int | None:
    """A lower bound on `objective` over the model's linear constraints, from HiGHS.

    Constraints that are not plain linear ones (enforced, or of other kinds) are left out, so
    the result is a bound for the model as a whole. On the untimed relaxation that leaves
    nothing out; HiGHS proves the fairness bounds there in well under a second, where CP-SAT
    on a shared two-core machine does not (its LP worker rarely gets to run).
    """
    if seconds < 0.05:
        return None
    built.model.minimize(objective)
    proto = built.model.proto
    n = len(proto.variables)
    low = np.array([_finite(v.domain[0]) for v in proto.variables], dtype=float)
    high = np.array([_finite(list(v.domain)[-1]) for v in proto.variables], dtype=float)
    rows: list[int] = []
    cols: list[int] = []
    values: list[int] = []
    lower: list[float] = []
    upper: list[float] = []
    for constraint in proto.constraints:
        if constraint.enforcement_literal or not constraint.has_linear():
            continue
        linear = constraint.linear
        if any(v < 0 for v in linear.vars):
            continue
        row = len(lower)
        rows.extend([row] * len(linear.vars))
        cols.extend(linear.vars)
        values.extend(linear.coeffs)
        lower.append(_finite(linear.domain[0]))
        upper.append(_finite(list(linear.domain)[-1]))  # the hull, if it has holes
    cost = np.zeros(n)
    for var, coeff in zip(proto.objective.vars, proto.objective.coeffs, strict=True):
        if var < 0:
            return None
        cost[var] += coeff
    matrix = sparse.csr_array((values, (rows, cols)), shape=(len(lower), n))
    started, bound = time.perf_counter(), None
    # The LP first (fast); the MIP only when the LP bound does not reach the value in hand.
    for integral in (False, True):
        left = seconds - (time.perf_counter() - started)
        if left < 0.05:
            break
        result = milp(
            cost,
            integrality=np.ones(n) if integral else np.zeros(n),
            bounds=Bounds(low, high),
            constraints=LinearConstraint(matrix, lower, upper),
            options={"time_limit": left, "disp": False},
        )
        best: float | None = result.fun if result.status == 0 else result.get("mip_dual_bound")
        if integral and result.status != 0:
            best = result.get("mip_dual_bound")
        elif not integral and result.status != 0:
            best = None
        if best is not None and math.isfinite(best):
            found = math.ceil(best + proto.objective.offset - 1e-6)
            bound = found if bound is None else max(bound, found)
        if bound is not None and bound >= enough:
            break
    return bound


def _finite(value: int) -> float:
    return value if abs(value) < 2**53 else math.copysign(math.inf, value)


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
        The organisation's rules and the solver's time limit (shared by the stages).
    booked
        Sessions already booked for other loops: they take their people's time and count
        toward their caps.

    Returns
    -------
    Schedule
        The placed sessions, the loops that could not be placed with the reasons, the load
        per person, and how good the solution is known to be, stage by stage.
    """
    _validate(loops, people, rooms, rules)
    started = time.perf_counter()
    problem = _Problem(loops, people, rooms, rules, booked)
    # The first feasible schedule: the first placement that works, loop by loop (fast); then
    # the best fit, which is the one kept unless it places fewer loops.
    first_fit = _FirstFit(problem).run(math.inf)
    first_seconds = time.perf_counter() - started
    best_fit = _FirstFit(problem).run(started + rules.time_limit_seconds * 0.3, best=True)
    if len(best_fit) >= len(first_fit):
        first_fit = best_fit
    built, relaxed = _Model(problem), _Model(problem, timed=False)
    # A little time is kept for reading the schedule and explaining what was left out.
    stages = _Stages(built, relaxed, first_fit, started, rules.time_limit_seconds * 0.95)
    stages.run()
    return _read(
        built, stages.solution, tuple(stages.results), first_seconds, time.perf_counter() - started
    )


def _read(
    built: _Model,
    solution: _Solution,
    stages: tuple[Stage, ...],
    first: float,
    seconds: float,
) -> Schedule:
    grid = built.problem.grid
    sessions = []
    for vars_ in built.sessions:
        if not solution.is_placed(vars_.loop.id):
            continue
        start = solution.value(vars_.start)
        sessions.append(
            ScheduledSession(
                loop_id=vars_.loop.id,
                session_id=vars_.session.id,
                start=grid.moment(start),
                end=grid.moment(start + vars_.length),
                interviewers=tuple(
                    (seat, who) for (seat, who, _d), z in vars_.seat.items() if solution.value(z)
                ),
                room_id=next((r for r, x in vars_.room.items() if solution.value(x)), None),
            )
        )
    per_day: dict[tuple[str, int], int] = defaultdict(int)
    for pid, booked_days in built.problem.booked_load.items():
        for d, n in booked_days.items():
            per_day[(pid, d)] += n
    for item in sessions:
        day = built.problem.day_index(grid.index_down(item.start))
        for seat, pid in item.interviewers:
            if built.problem.counts(seat):
                per_day[(pid, day if day is not None else -1)] += 1
    unplaced = []
    for loop in built.problem.loops:
        if not solution.is_placed(loop.id):
            reasons = built.problem.impossible.get(loop.id) or _explain(
                loop, built.problem, per_day
            )
            unplaced.append(Unplaced(loop.id, tuple(reasons)))
    idle = solution.measure("idle") * grid.slot
    optimal = all(s.optimal for s in stages)
    gap = max((s.gap for s in stages), default=0.0)
    return Schedule(
        tuple(sessions),
        tuple(unplaced),
        solution.loads(),
        idle,
        optimal,
        gap,
        first,
        seconds,
        stages,
    )


def _explain(
    loop: Loop, problem: _Problem, per_day: Mapping[tuple[str, int], int] | None = None
) -> list[str]:
    """Why a loop was left out, found by relaxing one rule at a time on the loop alone.

    Each check is a small feasibility solve of this one loop beside what was booked before
    the batch: without any seat (the candidate's time and the day and break rules), without
    the caps (then the caps are why), and with one seat at a time (then that seat is why).
    """
    people = list(problem.people.values())
    rules = replace(problem.rules, time_limit_seconds=1.0)
    booked, rooms = problem.booked, problem.rooms
    bare = replace(loop, sessions=tuple(replace(s, seats=()) for s in loop.sessions))
    if not _fits_alone(bare, people, rooms, rules, booked):
        return [_candidate_time(loop, problem)]
    uncapped = [
        replace(p, max_per_day=10**6, max_per_week=10**6, booked_per_day={}) for p in people
    ]
    if not _fits_alone(loop, people, rooms, rules, booked):
        if _fits_alone(loop, uncapped, rooms, rules, booked):
            return [_at_caps(loop, problem)]
        reasons = []
        for session in loop.sessions:
            for seat in session.seats:
                alone = replace(
                    bare,
                    sessions=tuple(
                        replace(s, seats=(seat,)) if s is session else s for s in bare.sessions
                    ),
                )
                if not _fits_alone(alone, uncapped, rooms, rules, booked):
                    reasons.append(_nobody_free(loop, session, seat, problem.people))
        return reasons or [
            f"{loop.candidate}'s loop needs the same people in several sessions at times "
            "they are not all free; widen the panel for one of its sessions."
        ]
    return _crowded_out(loop, problem, per_day or {})


def _fits_alone(
    loop: Loop,
    people: Sequence[Person],
    rooms: Sequence[Room],
    rules: Rules,
    booked: Sequence[ScheduledSession],
) -> bool:
    problem = _Problem([loop], people, rooms, rules, booked)
    if loop.id in problem.impossible:
        return False
    if _FirstFit(problem).run(deadline=math.inf):
        return True
    built = _Model(problem)
    built.model.add(built.placed[loop.id] == 1)
    status = _solver(rules.time_limit_seconds, rules.workers).solve(built.model)
    return status in (cp_model.OPTIMAL, cp_model.FEASIBLE)


def _candidate_time(loop: Loop, problem: _Problem) -> str:
    total = sum(s.minutes for s in loop.sessions)
    grid = problem.grid
    per_day: dict[date, int] = defaultdict(int)
    for start, end in grid.windows(loop.free, problem.not_before):
        for slot in range(start, end):
            per_day[grid.day_of(slot)] += grid.slot
    most = max(per_day.values(), default=0)
    days = "one day" if problem.rules.max_days == 1 else f"{problem.rules.max_days} days"
    if most * problem.rules.max_days < total:
        return (
            f"{loop.candidate} is free for at most {_duration(most)} on any day; the loop needs "
            f"{_duration(total)} within {days}."
        )
    return (
        f"{loop.candidate}'s free time does not fit the loop's order and breaks "
        f"({_duration(total)} of sessions, at most {problem.rules.max_continuous_minutes} "
        f"minutes without a {problem.rules.break_minutes}-minute break) within {days}."
    )


def _candidate_days(loop: Loop, problem: _Problem) -> set[int]:
    days = set()
    for start, end in problem.grid.windows(loop.free, problem.not_before):
        days |= {problem.day_index(start), problem.day_index(end - 1)}
    return {d for d in days if d is not None}


def _at_caps(loop: Loop, problem: _Problem) -> str:
    needed = {
        p
        for s in loop.sessions
        for seat in s.seats
        if seat.counts_toward_caps
        for p in seat.eligible
    }
    free_days = _candidate_days(loop, problem)
    full = []
    for pid in sorted(needed, key=lambda p: problem.people[p].name):
        person = problem.people[pid]
        by_day = problem.booked_load[pid]
        for d, count in sorted(by_day.items()):
            if count >= person.max_per_day and d in free_days:
                full.append(f"{person.name} ({count} on {problem.days[d][0]:%a %d %b})")
        for week in problem.weeks:
            count = sum(by_day.get(d, 0) for d in week)
            if count >= person.max_per_week and free_days & set(week):
                full.append(
                    f"{person.name} ({count} in the week of {problem.days[week[0]][0]:%d %b}, "
                    "weekly cap)"
                )
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


def _crowded_out(
    loop: Loop, problem: _Problem, per_day: Mapping[tuple[str, int], int]
) -> list[str]:
    """Why a loop that fits on its own was left out: who it needs that others took.

    `per_day` counts each person's interviews per day in the batch's schedule (with those
    booked before): the people at a cap are named with the day and the cap.
    """
    needed = sorted(
        {
            p
            for s in loop.sessions
            for seat in s.seats
            if seat.counts_toward_caps
            for p in seat.eligible
        },
        key=lambda pid: problem.people[pid].name,
    )
    days = _candidate_days(loop, problem)
    full = []
    for pid in needed:
        person = problem.people[pid]
        for d in sorted(x for x in days if x is not None):
            count = per_day.get((pid, d), 0)
            if count >= person.max_per_day:
                full.append(
                    f"{person.name} ({count} on {problem.days[d][0]:%a %d %b}, "
                    f"daily cap {person.max_per_day})"
                )
        for week in problem.weeks:
            count = sum(per_day.get((pid, d), 0) for d in week)
            if count >= person.max_per_week and days & set(week):
                full.append(
                    f"{person.name} ({count} in the week of {problem.days[week[0]][0]:%d %b}, "
                    f"weekly cap {person.max_per_week})"
                )
    if full:
        listed = ", ".join(full[:6]) + ("…" if len(full) > 6 else "")
        return [
            f"{loop.candidate}'s loop fits on its own but not beside the others: the people it "
            f"needs are at their caps on the days {loop.candidate} is free: {listed}. "
            "Widen the panel, add days, or book over a cap by hand with a reason."
        ]
    names = [problem.people[p].name for p in needed]
    return [
        f"{loop.candidate}'s loop fits on its own but not beside the others: the people it "
        f"needs ({', '.join(names[:6])}{'…' if len(names) > 6 else ''}) are taken at the "
        f"times {loop.candidate} is free. Widen the panel or add days."
    ]


# --- options for one candidate -----------------------------------------------------------------


def loop_options(
    loop: Loop,
    people: Sequence[Person],
    rooms: Sequence[Room] = (),
    rules: Rules = Rules(),
    booked: Sequence[ScheduledSession] = (),
    count: int = 5,
) -> tuple[LoopOption, ...]:
    """Up to `count` whole-loop options for one candidate, on different days or half-days.

    See `loop_options_explained`, which also says why there are fewer than `count`.
    """
    return loop_options_explained(loop, people, rooms, rules, booked, count).options


#: Start slots the options search may try once it has an option (about 1.5 s of CPU here).
WIDENING_BUDGET = 200_000


def loop_options_explained(
    loop: Loop,
    people: Sequence[Person],
    rooms: Sequence[Room] = (),
    rules: Rules = Rules(),
    booked: Sequence[ScheduledSession] = (),
    count: int = 5,
    budget: int = WIDENING_BUDGET,
) -> LoopOptions:
    """Whole-loop options for one candidate beside the loops already booked (kept fixed).

    Every placement of the loop on one day with a compact gap pattern (least idle first, then
    patterns with up to an hour more in one gap, only while options are missing) is tried;
    each half-day (midnight–noon, noon–midnight, local) keeps its best: the least idle, then
    the least loaded panel, then the earliest. Options come from different days first, then from the other half of a day
    already offered, and are returned in time order. With fewer than `count`, `reasons` says
    why in words (who, which rule, which day).
    """
    _validate([loop], people, rooms, rules)
    problem = _Problem([loop], people, rooms, rules, booked)
    if loop.id in problem.impossible:
        return LoopOptions((), tuple(problem.impossible[loop.id]))
    data = problem.data[loop.id]
    search = _FirstFit(problem)
    best: dict[tuple[date, bool], tuple[tuple[int, int, int, int], list[_Placed]]] = {}
    looser = _looser(data, problem)
    # Widening stops after `budget` start slots once there is an option: with wide free time
    # and a busy panel, every looser pattern on every day took 2 million (16 s) on the demo.
    # Counted, not timed, so the options do not depend on how busy the machine is.
    tried = 0
    out_of_budget = False
    for idle in sorted({sum(g) for g in looser}):
        # Looser patterns only fill half-days the more compact ones left empty: stop once
        # there are enough half-days on enough different days to choose from.
        covered = {problem.day_index(placed[0].start) for _score, placed in best.values()}
        if out_of_budget or (len(best) >= count and len(covered) >= min(count, len(data.days))):
            break
        # With enough half-days, only the days without an option are worth widening.
        days = [d for d in data.days if len(best) < count or d not in covered]
        same_idle = [g for g in looser if sum(g) == idle]
        # A half-day with an option at a lower idle keeps it (the score compares idle
        # first): its starts are not tried again.
        done = set(best)

        def skip(first: int, done: set[tuple[date, bool]] = done) -> bool:
            nonlocal out_of_budget, tried
            tried += 1
            out_of_budget = out_of_budget or (bool(best) and tried > budget)
            moment = problem.grid.moment(first)
            return out_of_budget or (moment.date(), moment.hour < 12) in done

        for placed in search.placements(replace(data, patterns=same_idle, days=days), skip=skip):
            first = problem.grid.moment(placed[0].start)
            half = (first.date(), first.hour < 12)
            score = _option_score(search, data, placed)
            if half not in best or score < best[half][0]:
                best[half] = (score, placed)
    chosen = _spread_over_days(best, count)
    options = tuple(
        LoopOption(_sessions_of(problem, data, best[half][1]))
        for half in sorted(chosen, key=lambda half: best[half][1][0].start)
    )
    if len(options) >= count:
        return LoopOptions(options, ())
    if not options:
        return LoopOptions((), tuple(_explain(loop, problem)))
    found = f"{len(options)} half-day{'s' if len(options) > 1 else ''}"
    if out_of_budget:
        return LoopOptions(
            options,
            (
                f"{found} found; the search stopped before trying every looser gap "
                "between sessions.",
            ),
        )
    return LoopOptions(
        options,
        (
            f"Only {found} in {loop.candidate}'s free time have everyone the loop needs free "
            "and under their caps beside the interviews already booked.",
        ),
    )


def _looser(data: _LoopData, problem: _Problem) -> list[tuple[int, ...]]:
    """The compact gap patterns, then each with up to four more slots in one of its gaps."""
    looser = list(data.patterns)
    for gaps in data.patterns:
        for i in range(len(gaps)):
            for extra in range(1, 5):
                looser.append((*gaps[:i], gaps[i] + extra, *gaps[i + 1 :]))
    kept = [g for g in dict.fromkeys(looser) if _keeps_breaks(data.lengths, g, problem)]
    return sorted(kept, key=sum)


def _keeps_breaks(lengths: Sequence[int], gaps: Sequence[int], problem: _Problem) -> bool:
    """The break rule (`runs_without_break`) for a loop laid out with these gaps."""
    spans, at = [], 0
    for gap, length in zip((0, *gaps), lengths, strict=True):
        at += gap
        spans.append((at, at + length))
        at += length
    return not runs_without_break(spans, problem.rest, problem.cap)


def _option_score(
    search: _FirstFit, data: _LoopData, placed: list[_Placed]
) -> tuple[int, int, int, int]:
    people = [pid for item in placed for seat, pid in item.people if search.p.counts(seat)]
    loads = [search.total[pid] + people.count(pid) for pid in people]
    span = placed[-1].start + data.lengths[-1] - placed[0].start
    return (span - data.total, max(loads, default=0), sum(loads), placed[0].start)


def _spread_over_days(
    best: Mapping[tuple[date, bool], tuple[tuple[int, int, int, int], list[_Placed]]],
    count: int,
) -> list[tuple[date, bool]]:
    ranked = sorted(best, key=lambda half: best[half][0])
    chosen: list[tuple[date, bool]] = []
    for half in ranked:  # one per day first
        if len(chosen) < count and all(half[0] != c[0] for c in chosen):
            chosen.append(half)
    for half in ranked:  # then the other halves of the days offered
        if len(chosen) < count and half not in chosen:
            chosen.append(half)
    return chosen


def _sessions_of(
    problem: _Problem, data: _LoopData, placed: list[_Placed]
) -> tuple[ScheduledSession, ...]:
    grid = problem.grid
    return tuple(
        ScheduledSession(
            loop_id=data.loop.id,
            session_id=session.id,
            start=grid.moment(item.start),
            end=grid.moment(item.start + length),
            interviewers=item.people,
            room_id=item.room,
        )
        for session, item, length in zip(data.loop.sessions, placed, data.lengths, strict=True)
    )


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
            if not item.counts_toward_caps:
                continue
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
        under_caps = not seat.counts_toward_caps or (
            booked_today < person.max_per_day and per_week[pid] < person.max_per_week
        )
        if free and not clash and under_caps:
            found.append(pid)
    return tuple(sorted(found, key=lambda pid: (per_week[pid], seat.eligible.index(pid))))
