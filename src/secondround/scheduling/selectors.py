"""Reads for scheduling: the policy, each person's free time, and the engine's inputs.

Engine ids: people "u<user pk>", loops "a<application pk>", sessions "s<LoopSession pk>",
seats "t<Seat pk>", rooms "r<Room pk>" (see `ids`).
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from secondround.accounts.models import User
from secondround.calendars import busy as calendars
from secondround.engines import scheduling as engine
from secondround.hiring.models import Application, Position
from secondround.hiring.qualifications import qualified_competencies
from secondround.loops.models import LoopSession, PlanStatus, Seat, SeatStandIn
from secondround.loops.selectors import finalist_applications
from secondround.loops.selectors import panel as loop_panel
from secondround.scheduling.models import (
    BusyBlock,
    CandidateAvailability,
    CandidateTimeZone,
    PersonAvailability,
    Room,
    ScheduledSession,
    SchedulingPolicy,
    SessionStatus,
    default_working_hours,
)


def policy() -> SchedulingPolicy:
    return SchedulingPolicy.objects.order_by("pk").first() or SchedulingPolicy()


def availability_of(user: User) -> PersonAvailability:
    """The person's saved availability, or the defaults (unsaved) if they never set it."""
    found = PersonAvailability.objects.filter(user=user).first()
    return found or PersonAvailability(user=user, time_zone=policy().time_zone)


def caps_of(availability: PersonAvailability, rules: SchedulingPolicy) -> tuple[int, int]:
    """(per day, per week): the policy's, lowered where the person lowered theirs."""
    day = min(rules.max_per_day, availability.max_per_day or rules.max_per_day)
    week = min(rules.max_per_week, availability.max_per_week or rules.max_per_week)
    return day, week


def parse_working_hours(raw: object) -> dict[int, list[tuple[time, time]]]:
    """The stored JSON ({"0": [["09:00", "17:00"]], …}) as WorkingHours.weekly; bad values skipped
    here because the service validated them on the way in."""
    weekly: dict[int, list[tuple[time, time]]] = {}
    if not isinstance(raw, dict):
        return weekly
    for day, spans in raw.items():
        try:
            weekly[int(day)] = [(time.fromisoformat(a), time.fromisoformat(b)) for a, b in spans]
        except (TypeError, ValueError):
            continue
    return weekly


def working_hours_of(availability: PersonAvailability) -> calendars.WorkingHours:
    return calendars.WorkingHours(
        availability.time_zone, parse_working_hours(availability.working_hours)
    )


def week_bounds(week_start: date, zone: str) -> tuple[datetime, datetime]:
    """Midnight Monday to midnight next Monday in the organisation's zone (DST-aware)."""
    tz = ZoneInfo(zone)
    start = datetime.combine(week_start, time.min, tz)
    return start, datetime.combine(week_start + timedelta(days=7), time.min, tz)


def next_week_start(today: date) -> date:
    return today + timedelta(days=7 - today.weekday())


def coming_week(now: datetime | None = None) -> date:
    """The Monday of the week after today in the organisation's zone: the default week to plan.

    Today in UTC would be the wrong day for an hour or two after midnight in Berlin, so on a
    Monday night the "next" week would be the one already under way.
    """
    today = timezone.localdate(now or timezone.now(), ZoneInfo(policy().time_zone))
    return next_week_start(today)


def busy_blocks(
    users: Iterable[User], start: datetime, end: datetime
) -> dict[int, list[BusyBlock]]:
    found: dict[int, list[BusyBlock]] = defaultdict(list)
    for block in BusyBlock.objects.filter(
        user__in=list(users), starts_at__lt=end, ends_at__gt=start
    ):
        found[block.user_id].append(block)
    return found


def free_time(
    availability: PersonAvailability, blocks: Sequence[BusyBlock], start: datetime, end: datetime
) -> tuple[calendars.Interval, ...]:
    busy = [calendars.Interval(b.starts_at, b.ends_at) for b in blocks]
    return calendars.free_within(working_hours_of(availability), busy, start=start, end=end)


def booked_sessions(start: datetime, end: datetime) -> QuerySet[ScheduledSession]:
    """Booked sessions touching the window (a session is at most a few hours long)."""
    return (
        ScheduledSession.objects.filter(
            status=SessionStatus.BOOKED,
            starts_at__lt=end,
            starts_at__gte=start - timedelta(hours=12),
        )
        .select_related("session", "room", "application__candidate", "application__position")
        .prefetch_related("assignments__interviewer", "assignments__seat")
    )


def counts_toward_caps(session: LoopSession) -> bool:
    """Only assessing sessions are interviews for the caps; a recruiter's welcome is not."""
    return bool(session.competency_kinds)


def loop_sessions(position: Position) -> list[LoopSession]:
    """The accepted loop's sessions in order, with their seats; [] when there is none."""
    plan = getattr(position, "loop_plan", None)
    if plan is None or plan.status != PlanStatus.ACCEPTED:
        return []
    return list(
        plan.sessions.prefetch_related(
            Prefetch(
                "seats",
                queryset=Seat.objects.select_related("interviewer").prefetch_related(
                    "competencies"
                ),
            )
        )
    )


def eligible_for_seat(seat: Seat, position: Position) -> list[User]:
    """The seat's interviewer first, then panel members qualified for all of its competencies.

    A replacement keeps the coverage the planner promised. Automatic scheduling uses only the
    seated interviewer (their kit and scorecard belong to the seat); bookings uses the rest
    for replacements after a decline.
    """
    wanted = {c.pk for c in seat.competencies.all()}
    # The loop's panel rule (no job seeker, no applicant), its hiring manager aside.
    on_panel = loop_panel(position).filter(panel_positions=position)
    panel = [p for p in on_panel if p != seat.interviewer]
    qualified = qualified_competencies(position, panel)
    return [seat.interviewer] + [p for p in panel if wanted <= qualified.get(p.pk, set())]


def known_time_zone(name: str) -> bool:
    """A zone a candidate may give: installed here and loadable."""
    if not name or name not in _zone_names():
        return False
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


@cache
def _zone_names() -> frozenset[str]:
    """The zones installed, read once a process: `available_timezones()` walks the zone
    folder on every call (several ms of CPU per page); they change only with an upgrade."""
    return frozenset(available_timezones())


@cache
def _sorted_zone_choices() -> tuple[str, ...]:
    # Region/City names only (what a person recognises), without the legacy Etc/ and SystemV/.
    return tuple(
        sorted(z for z in _zone_names() if "/" in z and not z.startswith(("Etc/", "SystemV/")))
    )


def time_zone_choices() -> list[str]:
    """The zones a candidate picks from, on the portal and on the scheduling page alike."""
    return list(_sorted_zone_choices())


def candidate_zone(application: Application, fallback: str) -> str:
    found = CandidateTimeZone.objects.filter(application=application).first()
    return found.time_zone if found else fallback


def within_candidate_times(
    application: Application, spans: Iterable[tuple[datetime, datetime]], *, now: datetime
) -> bool:
    """Every span lies inside one of the times the candidate gave (true when they gave none
    still ahead: then the team's hours decide). The rule `check_loop` holds bookings to."""
    given = list(
        CandidateAvailability.objects.filter(application=application, ends_at__gt=now).values_list(
            "starts_at", "ends_at"
        )
    )
    return not given or all(any(a <= start and end <= b for a, b in given) for start, end in spans)


def candidate_free(
    application: Application, start: datetime, end: datetime, fallback_zone: str
) -> tuple[calendars.Interval, ...]:
    """What the candidate gave, or weekdays 09:00–17:00 in their own zone if they gave nothing.

    Once they gave any times, only those count, even when none falls in the window (all too
    soon, say): options on days they never ticked would be a promise they did not make."""
    given = [
        calendars.Interval(max(a.starts_at, start), min(a.ends_at, end))
        for a in CandidateAvailability.objects.filter(
            application=application, starts_at__lt=end, ends_at__gt=start
        )
    ]
    if given or CandidateAvailability.objects.filter(application=application).exists():
        return calendars.merge(given)
    hours = calendars.WorkingHours(
        candidate_zone(application, fallback_zone),
        parse_working_hours(default_working_hours()),
    )
    return calendars.free_within(hours, (), start=start, end=end)


# ---- the engine's inputs ------------------------------------------------------------------


@dataclass
class EngineInputs:
    loops: list[engine.Loop]
    people: list[engine.Person]
    rooms: list[engine.Room]
    rules: engine.Rules
    booked: list[engine.ScheduledSession]
    users: dict[str, User] = field(default_factory=dict)
    applications: dict[str, Application] = field(default_factory=dict)
    sessions: dict[str, LoopSession] = field(default_factory=dict)
    seats: dict[str, Seat] = field(default_factory=dict)
    room_rows: dict[str, Room] = field(default_factory=dict)


def uid(prefix: str, pk: int) -> str:
    return f"{prefix}{pk}"


def pk_of(engine_id: str) -> int:
    return int(engine_id[1:])


def engine_rules(
    rules: SchedulingPolicy, now: datetime, time_limit_seconds: float = 10.0
) -> engine.Rules:
    return engine.Rules(
        time_zone=rules.time_zone,
        slot_minutes=5,
        buffer_minutes=rules.buffer_minutes,
        max_days=rules.loop_days,
        max_continuous_minutes=rules.max_continuous_minutes,
        break_minutes=rules.break_minutes,
        not_before=now + timedelta(hours=rules.min_notice_hours),
        time_limit_seconds=time_limit_seconds,
        workers=2,
    )


def engine_inputs(
    applications: Sequence[Application],
    start: datetime,
    end: datetime,
    *,
    now: datetime | None = None,
    in_person: bool = False,
    alternates: bool = False,
    time_limit_seconds: float = 10.0,
    left_out: Mapping[tuple[int, int], Collection[int]] | None = None,
) -> EngineInputs:
    """Everything the engine needs to place these finalists' loops in [start, end).

    `alternates` lets a seat go to any qualified panel member (replacements); by default the
    person sitting the seat for that finalist sits it (a stand-in booked for them, else the
    seat's own interviewer). `left_out` maps (application id, seat id) to people who may not
    sit that seat for that finalist (they declined it): the seat then goes to its other
    qualified people, the one sitting it now first. Sessions already booked in the window are
    passed as `booked`, so they take their people's time and count toward their caps.
    """
    now = now or timezone.now()
    rules = policy()
    out = EngineInputs([], [], [], engine_rules(rules, now, time_limit_seconds), [])
    seat_people: dict[str, list[User]] = {}
    holders = {
        (s.application_id, s.seat_id): s.interviewer
        for s in SeatStandIn.objects.filter(application__in=list(applications)).select_related(
            "interviewer"
        )
    }
    for application in applications:
        sessions = loop_sessions(application.position)
        if not sessions:
            continue
        loop_id = uid("a", application.pk)
        out.applications[loop_id] = application
        engine_sessions = []
        for session in sessions:
            out.sessions[uid("s", session.pk)] = session
            seats = []
            for seat in session.seats.all():
                barred = set((left_out or {}).get((application.pk, seat.pk), ()))
                holder = holders.get((application.pk, seat.pk), seat.interviewer)
                if alternates or holder.pk in barred:
                    others = eligible_for_seat(seat, application.position)
                    people = [p for p in [holder, *others] if p.pk not in barred]
                    people = list(dict.fromkeys(people))
                else:
                    people = [holder]
                seat_people[uid("t", seat.pk)] = people
                out.seats[uid("t", seat.pk)] = seat
                seats.append(
                    engine.Seat(
                        uid("t", seat.pk),
                        tuple(uid("u", p.pk) for p in people),
                        counts_toward_caps=counts_toward_caps(session),
                    )
                )
            engine_sessions.append(
                engine.Session(
                    uid("s", session.pk),
                    session.title,
                    session.duration_minutes,
                    tuple(seats),
                    needs_room=in_person,
                )
            )
        out.loops.append(
            engine.Loop(
                loop_id,
                application.candidate.full_name,
                tuple(_engine_intervals(candidate_free(application, start, end, rules.time_zone))),
                tuple(engine_sessions),
            )
        )
    for people in seat_people.values():
        for person in people:
            out.users[uid("u", person.pk)] = person
    booked = list(booked_sessions(start, end).exclude(application__in=list(applications)))
    out.booked = [_engine_booked(item) for item in booked]
    out.people = _engine_people(list(out.users.values()), start, end, rules)
    if in_person:
        for room in Room.objects.filter(active=True):
            out.room_rows[uid("r", room.pk)] = room
            taken = [
                calendars.Interval(s.starts_at, s.ends_at) for s in booked if s.room_id == room.pk
            ]
            free = calendars.subtract([calendars.Interval(start, end)], taken)
            out.rooms.append(
                engine.Room(
                    uid("r", room.pk), room.name, room.capacity, tuple(_engine_intervals(free))
                )
            )
    return out


def _engine_intervals(intervals: Iterable[calendars.Interval]) -> list[engine.Interval]:
    return [engine.Interval(i.start, i.end) for i in intervals]


def _engine_people(
    users: list[User],
    start: datetime,
    end: datetime,
    rules: SchedulingPolicy,
) -> list[engine.Person]:
    saved = {a.user_id: a for a in PersonAvailability.objects.filter(user__in=users)}
    blocks = busy_blocks(users, start, end)
    people = []
    for user in users:
        availability = saved.get(user.pk) or PersonAvailability(
            user=user, time_zone=rules.time_zone
        )
        day, week = caps_of(availability, rules)
        people.append(
            engine.Person(
                uid("u", user.pk),
                user.full_name,
                tuple(_engine_intervals(free_time(availability, blocks[user.pk], start, end))),
                max_per_day=day,
                max_per_week=week,
            )
        )
    return people


def _engine_booked(item: ScheduledSession) -> engine.ScheduledSession:
    return engine.ScheduledSession(
        uid("a", item.application_id),
        uid("s", item.session_id),
        item.starts_at,
        item.ends_at,
        tuple((uid("t", a.seat_id), uid("u", a.interviewer_id)) for a in item.assignments.all()),
        uid("r", item.room_id) if item.room_id else None,
        counts_toward_caps=counts_toward_caps(item.session),
    )


# ---- what the pages show -----------------------------------------------------------------


def unbooked_finalists(position: Position) -> list[Application]:
    booked = ScheduledSession.objects.filter(
        application__position=position, status=SessionStatus.BOOKED
    ).values("application_id")
    return list(
        finalist_applications(position)
        .exclude(pk__in=booked)
        .select_related("position")
        .order_by("pk")
    )


@dataclass
class BoardDay:
    day: date
    sessions: list[ScheduledSession]


@dataclass
class BoardRow:
    application: Application
    days: list[BoardDay]
    booked: bool
    time_zone: str
    availability: list[CandidateAvailability]


@dataclass
class Board:
    position: Position
    week_start: date
    days: list[date]
    rows: list[BoardRow]
    time_zone: str
    has_loop: bool
    overrides: int


def board(position: Position, week_start: date) -> Board:
    rules = policy()
    zone = ZoneInfo(rules.time_zone)
    start, end = week_bounds(week_start, rules.time_zone)
    days = [week_start + timedelta(days=n) for n in range(7)]
    finalists = list(finalist_applications(position).order_by("pk"))
    week_sessions = list(booked_sessions(start, end).filter(starts_at__gte=start))
    mark_conflicts(week_sessions, zone)
    sessions = [s for s in week_sessions if s.application.position_id == position.pk]
    any_booked = set(
        ScheduledSession.objects.filter(
            application__in=finalists, status=SessionStatus.BOOKED
        ).values_list("application_id", flat=True)
    )
    zones = {
        z.application_id: z.time_zone
        for z in CandidateTimeZone.objects.filter(application__in=finalists)
    }
    given: dict[int, list[CandidateAvailability]] = defaultdict(list)
    for a in CandidateAvailability.objects.filter(
        application__in=finalists, ends_at__gt=start, starts_at__lt=end
    ):
        given[a.application_id].append(a)
    rows = []
    for application in finalists:
        mine = [s for s in sessions if s.application_id == application.pk]
        rows.append(
            BoardRow(
                application,
                [
                    BoardDay(d, [s for s in mine if s.starts_at.astimezone(zone).date() == d])
                    for d in days
                ],
                application.pk in any_booked,
                zones.get(application.pk, ""),
                given[application.pk],
            )
        )
    overrides = sum(1 for s in sessions if s.override_reason)
    return Board(
        position,
        week_start,
        days,
        rows,
        rules.time_zone,
        bool(loop_sessions(position)),
        overrides,
    )


def mark_conflicts(sessions: list[ScheduledSession], zone: ZoneInfo) -> None:
    """Set `conflicts` on each session: people in two sessions at once, a room used twice
    (a time changed by hand, or an override)."""
    by_person: dict[int, list[ScheduledSession]] = defaultdict(list)
    names: dict[int, str] = {}
    for item in sessions:
        item.conflicts = []  # type: ignore[attr-defined]
        for a in item.assignments.all():
            by_person[a.interviewer_id].append(item)
            names[a.interviewer_id] = a.interviewer.full_name
    for pk, items in by_person.items():
        items.sort(key=lambda s: s.starts_at)
        for one, other in itertools.pairwise(items):
            if other.starts_at < one.ends_at:
                text = f"{names[pk]}: {one.starts_at.astimezone(zone):%H:%M} / {other.starts_at.astimezone(zone):%H:%M}"
                one.conflicts.append(text)  # type: ignore[attr-defined]
                other.conflicts.append(text)  # type: ignore[attr-defined]


@dataclass
class LoadRow:
    person: User
    per_week: int
    cap_week: int
    busiest_day: int
    cap_day: int

    @property
    def over(self) -> bool:
        return self.per_week > self.cap_week or self.busiest_day > self.cap_day


def load(week_start: date) -> list[LoadRow]:
    """Interviews (assessing sessions) per person in the week against their caps, busiest first."""
    rules = policy()
    zone = ZoneInfo(rules.time_zone)
    start, end = week_bounds(week_start, rules.time_zone)
    per_day: dict[int, dict[date, int]] = defaultdict(lambda: defaultdict(int))
    people: dict[int, User] = {}
    for item in booked_sessions(start, end).filter(starts_at__gte=start):
        if not counts_toward_caps(item.session):
            continue
        for a in item.assignments.all():
            people[a.interviewer_id] = a.interviewer
            per_day[a.interviewer_id][item.starts_at.astimezone(zone).date()] += 1
    saved = {a.user_id: a for a in PersonAvailability.objects.filter(user__in=people.values())}
    rows = []
    for pk, person in people.items():
        availability = saved.get(pk) or PersonAvailability(user=person)
        cap_day, cap_week = caps_of(availability, rules)
        counts = per_day[pk]
        rows.append(LoadRow(person, sum(counts.values()), cap_week, max(counts.values()), cap_day))
    return sorted(rows, key=lambda r: (-r.per_week, r.person.full_name))
