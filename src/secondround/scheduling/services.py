"""Writes for scheduling. `book_loop` is the one writer of booked sessions and their Interview rows;
`move_session`, `set_session_place` and `cancel_loop` change them; `schedule_position` solves a
position's finalists as one batch and books them through `book_loop`.

Every hand edit is checked against the same rules as automatic scheduling. Hard rules (seat
eligibility, a room used twice, the loop's sessions) are always refused; the others (clashes,
busy times, working hours, caps, notice, order, day and break rules) are refused naming the
person and the clash unless the editor gives a reason, which is kept on the session.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from itertools import pairwise
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from secondround.accounts.models import User
from secondround.audit.models import AuditAction
from secondround.audit.services import record_event
from secondround.calendars import busy as calendars
from secondround.engines import scheduling as engine
from secondround.hiring.models import Application, Interview, Position
from secondround.hiring.selectors import require_manager
from secondround.hiring.services import require_not_own_candidates
from secondround.limits import REASONS_MAX
from secondround.loops.models import LoopSession, Seat, SeatStandIn
from secondround.loops.selectors import FINALIST_STAGES
from secondround.scheduling import selectors
from secondround.scheduling.demo_feed import bundled
from secondround.scheduling.models import (
    BusyBlock,
    BusySource,
    CalendarConnection,
    CandidateAvailability,
    CandidateTimeZone,
    ConnectionKind,
    PersonAvailability,
    Room,
    ScheduledSession,
    SchedulingPolicy,
    SeatAssignment,
    SessionStatus,
    validate_time_zone,
)
from secondround.scorecards.models import Scorecard

CALENDAR_DAYS_AHEAD = 60


# ---- placements and their checks ---------------------------------------------------------


@dataclass
class Placement:
    """One session of a loop at a time, with the person in each of its seats."""

    session: LoopSession
    starts_at: datetime
    people: dict[int, User]  # seat pk -> person
    room: Room | None = None
    video_link: str = ""
    # A booked session's own length (what its invitations said); None: the plan's, for a
    # loop being booked now. The plan may change later; what was sent stays the truth.
    booked_minutes: int | None = None

    @property
    def ends_at(self) -> datetime:
        minutes = self.booked_minutes or self.session.duration_minutes
        return self.starts_at + timedelta(minutes=minutes)


@dataclass
class Check:
    hard: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    soft: list[str] = field(default_factory=list)


def _when(moment: datetime, zone: ZoneInfo) -> str:
    return moment.astimezone(zone).strftime("%a %d %b %H:%M")


def _span(start: datetime, end: datetime, zone: ZoneInfo) -> str:
    return f"{_when(start, zone)}–{end.astimezone(zone):%H:%M}"


def check_loop(
    application: Application,
    placements: Sequence[Placement],
    *,
    now: datetime,
    ignore: Sequence[int] = (),
    moved: Sequence[int] | None = None,
) -> Check:
    """Every rule for one finalist's loop, against everything booked except `ignore` (ids).

    `moved`: the LoopSession pks whose time is being set (None = all); only those are held to
    the minimum notice, so editing one session is not refused for its neighbours' notice."""
    rules = selectors.policy()
    zone = ZoneInfo(rules.time_zone)
    found = Check()
    sessions = selectors.loop_sessions(application.position)
    _check_sessions(sessions, placements, found)
    if found.hard:
        return found
    start = min(p.starts_at for p in placements) - timedelta(days=8)
    end = max(p.ends_at for p in placements) + timedelta(days=8)
    others = list(
        selectors.booked_sessions(start, end)
        .exclude(pk__in=list(ignore))
        .exclude(application=application)
    )
    for placement in placements:
        timed = moved is None or placement.session.pk in moved
        _check_people(application, placement, placements, others, rules, zone, now, found, timed)
        _check_room(placement, others, zone, found)
    _check_loop_shape(application, placements, rules, zone, found)
    _check_caps(placements, others, rules, zone, found)
    return found


def _check_sessions(
    sessions: list[LoopSession], placements: Sequence[Placement], found: Check
) -> None:
    if not sessions:
        found.hard["session"].append(_("The position has no accepted loop to schedule."))
        return
    by_pk = {s.pk: s for s in sessions}
    for placement in placements:
        session = by_pk.get(placement.session.pk)
        if session is None:
            found.hard["session"].append(
                _("%(session)s is not a session of this loop.") % {"session": placement.session}
            )
            continue
        seats = {seat.pk: seat for seat in session.seats.all()}
        if set(placement.people) != set(seats):
            found.hard["interviewer"].append(
                _("%(session)s needs a person in each of its seats.") % {"session": session}
            )
            continue
        for seat_pk, person in placement.people.items():
            seat = seats[seat_pk]
            allowed = selectors.eligible_for_seat(seat, session.plan.position)
            if person not in allowed:
                found.hard["interviewer"].append(
                    _(
                        "%(person)s may not take %(who)s's seat in %(session)s: they are not "
                        "qualified for its competencies."
                    )
                    % {"person": person.full_name, "who": seat.interviewer.full_name,
                       "session": session.title}
                )  # fmt: skip


def _check_people(
    application: Application,
    placement: Placement,
    placements: Sequence[Placement],
    others: list[ScheduledSession],
    rules: SchedulingPolicy,
    zone: ZoneInfo,
    now: datetime,
    found: Check,
    timed: bool = True,
) -> None:
    pad = timedelta(minutes=rules.buffer_minutes)
    start, end = placement.starts_at, placement.ends_at
    if timed and start < now + timedelta(hours=rules.min_notice_hours):
        found.soft.append(
            _("%(session)s at %(when)s is less than %(hours)s hours from now (minimum notice).")
            % {"session": placement.session.title, "when": _when(start, zone),
               "hours": rules.min_notice_hours}
        )  # fmt: skip
    for person in set(placement.people.values()):
        name = person.full_name
        for other in others:
            if person.pk in {a.interviewer_id for a in other.assignments.all()} and (
                other.starts_at < end + pad and start < other.ends_at + pad
            ):
                found.soft.append(
                    _("%(person)s already interviews %(candidate)s (%(session)s) %(when)s.")
                    % {"person": name, "candidate": other.application.candidate.full_name,
                       "session": other.session.title,
                       "when": _span(other.starts_at, other.ends_at, zone)}
                )  # fmt: skip
        for mine in placements:
            overlaps = mine.starts_at < end and start < mine.ends_at
            if mine is not placement and person in mine.people.values() and overlaps:
                found.soft.append(
                    _("%(person)s would be in %(a)s and %(b)s at the same time.")
                    % {"person": name, "a": placement.session.title, "b": mine.session.title}
                )
        for block in BusyBlock.objects.filter(user=person, starts_at__lt=end, ends_at__gt=start):
            found.soft.append(
                _("%(person)s is busy %(when)s (%(source)s).")
                % {"person": name, "when": _span(block.starts_at, block.ends_at, zone),
                   "source": block.get_source_display().lower()}
            )  # fmt: skip
        availability = selectors.availability_of(person)
        working = selectors.free_time(availability, [], start, end)
        if not any(i.start <= start and end <= i.end for i in working):
            found.soft.append(
                _("%(session)s at %(when)s is outside %(person)s's working hours (%(zone)s).")
                % {"session": placement.session.title, "when": _span(start, end, zone),
                   "person": name, "zone": availability.time_zone}
            )  # fmt: skip
    given = list(CandidateAvailability.objects.filter(application=application, ends_at__gt=now))
    if given and not any(a.starts_at <= start and end <= a.ends_at for a in given):
        found.soft.append(
            _("%(candidate)s did not say they are free %(when)s.")
            % {"candidate": application.candidate.full_name, "when": _span(start, end, zone)}
        )


def _check_room(
    placement: Placement, others: list[ScheduledSession], zone: ZoneInfo, found: Check
) -> None:
    room = placement.room
    if room is None:
        return
    for other in others:
        overlaps = other.starts_at < placement.ends_at and placement.starts_at < other.ends_at
        if other.room_id == room.pk and overlaps:
            found.hard["room"].append(
                    _("%(room)s is taken %(when)s (%(session)s with %(candidate)s).")
                    % {"room": room.name, "when": _span(other.starts_at, other.ends_at, zone),
                       "session": other.session.title,
                       "candidate": other.application.candidate.full_name}
                )  # fmt: skip
    if room.capacity < len(placement.people) + 1:
        found.soft.append(
            _("%(room)s seats %(capacity)s; %(session)s needs %(needed)s.")
            % {"room": room.name, "capacity": room.capacity, "session": placement.session.title,
               "needed": len(placement.people) + 1}
        )  # fmt: skip


def _check_loop_shape(
    application: Application,
    placements: Sequence[Placement],
    rules: SchedulingPolicy,
    zone: ZoneInfo,
    found: Check,
) -> None:
    ordered = sorted(placements, key=lambda p: (p.session.order, p.session.pk))
    for before, after in pairwise(ordered):
        if after.starts_at < before.ends_at:
            found.soft.append(
                _("%(after)s would start before %(before)s ends; the loop keeps its order.")
                % {"after": after.session.title, "before": before.session.title}
            )
    days = {p.starts_at.astimezone(zone).date() for p in placements}
    if len(days) > rules.loop_days:
        found.soft.append(
            _("%(candidate)s's loop would span %(days)s days; the rule is at most %(most)s.")
            % {"candidate": application.candidate.full_name, "days": len(days),
               "most": rules.loop_days}
        )  # fmt: skip
    origin = ordered[0].starts_at
    spans = [(_minutes(p.starts_at - origin), _minutes(p.ends_at - origin)) for p in ordered]
    breaches = engine.runs_without_break(spans, rules.break_minutes, rules.max_continuous_minutes)
    for index, minutes in breaches:
        found.soft.append(
            _(
                "%(candidate)s would go %(minutes)s minutes without a %(break)s-minute break "
                "by the end of %(session)s (at most %(most)s)."
            )
            % {"candidate": application.candidate.full_name, "minutes": minutes,
               "break": rules.break_minutes, "session": ordered[index].session.title,
               "most": rules.max_continuous_minutes}
        )  # fmt: skip


def _minutes(span: timedelta) -> int:
    return int(span.total_seconds() // 60)


def _check_caps(
    placements: Sequence[Placement],
    others: list[ScheduledSession],
    rules: SchedulingPolicy,
    zone: ZoneInfo,
    found: Check,
) -> None:
    per_day: dict[int, dict[date, int]] = defaultdict(lambda: defaultdict(int))
    people: dict[int, User] = {}
    mine_days: dict[int, set[date]] = defaultdict(set)
    for placement in placements:
        if not selectors.counts_toward_caps(placement.session):
            continue
        day = placement.starts_at.astimezone(zone).date()
        for person in placement.people.values():
            people[person.pk] = person
            per_day[person.pk][day] += 1
            mine_days[person.pk].add(day)
    for other in others:
        if not selectors.counts_toward_caps(other.session):
            continue
        for a in other.assignments.all():
            if a.interviewer_id in people:
                per_day[a.interviewer_id][other.starts_at.astimezone(zone).date()] += 1
    for pk, person in people.items():
        cap_day, cap_week = selectors.caps_of(selectors.availability_of(person), rules)
        for day in sorted(mine_days[pk]):
            if per_day[pk][day] > cap_day:
                found.soft.append(
                    _("%(person)s would have %(count)s interviews on %(day)s (cap %(cap)s a day).")
                    % {"person": person.full_name, "count": per_day[pk][day],
                       "day": day.strftime("%a %d %b"), "cap": cap_day}
                )  # fmt: skip
        for week in sorted({d.isocalendar()[:2] for d in mine_days[pk]}):
            count = sum(n for d, n in per_day[pk].items() if d.isocalendar()[:2] == week)
            if count > cap_week:
                found.soft.append(
                    _("%(person)s would have %(count)s interviews in week %(week)s (cap %(cap)s).")
                    % {"person": person.full_name, "count": count, "week": week[1],
                       "cap": cap_week}
                )  # fmt: skip


def _refuse_or_accept(found: Check, override_reason: str) -> str:
    """Raise for hard problems, and for soft ones without a reason; return the reason kept."""
    reason = override_reason.strip()
    if len(reason) > REASONS_MAX:
        raise ValidationError(
            {"override_reason": _("At most %(n)s characters.") % {"n": REASONS_MAX}}
        )
    if found.hard:
        raise ValidationError(dict(found.hard))
    if found.soft and not reason:
        raise ValidationError(
            {
                "starts_at": [
                    *found.soft,
                    _("Give a reason to override, or choose another time."),
                ]
            }
        )
    return reason if found.soft else ""


# ---- the audit log ----------------------------------------------------------------------


def _audit(
    actor: User | None,
    action: AuditAction,
    target: ScheduledSession,
    what: str,
    override: tuple[str, list[str]] | None = None,
) -> None:
    """Record a scheduling act, and the override beside it when rules were broken with a
    reason. Summaries name the application by id and carry no free text: a reason may name the
    candidate, and the append-only log cannot be redacted when they are erased. The reason
    itself is kept on the scheduled session, which erasure redacts."""
    where = f"application #{target.application_id}: {what}"
    record_event(actor=actor, action=action, target=target, summary=where)
    if override is not None and override[0]:
        clashes = override[1]
        record_event(
            actor=actor,
            action=AuditAction.SCHEDULE_OVERRIDDEN,
            target=target,
            summary=f"{where}; rules broken: {len(clashes)}, reason kept on session #{target.pk}",
        )


def _at(moment: datetime) -> str:
    return moment.astimezone(ZoneInfo(selectors.policy().time_zone)).strftime("%Y-%m-%d %H:%M")


# ---- the writers ------------------------------------------------------------------------


def lock_bookings() -> SchedulingPolicy:
    """Serialise bookings: every writer updates the policy row first, which takes SQLite's write
    lock and the row's lock on PostgreSQL, so two bookings recheck clashes one after the other.
    A missing row is created first (pk 1; a concurrent creator waits on the unique key and then
    finds it), so even the first two bookings of an installation queue on the same row."""
    rules = selectors.policy()
    if rules.pk is None:
        SchedulingPolicy.objects.get_or_create(pk=1)
        rules = selectors.policy()
    SchedulingPolicy.objects.filter(pk=rules.pk).update(updated_at=timezone.now())
    return rules


_lock = lock_bookings


def _location(scheduled: ScheduledSession) -> str:
    if scheduled.room is not None:
        where = f" ({scheduled.room.location})" if scheduled.room.location else ""
        return f"{scheduled.room.name}{where}"[:200]
    return scheduled.video_link[:200]


def _require_team(actor: User | None, application: Application) -> None:
    if actor is not None:
        require_manager(actor, application.position)


@dataclass
class Booked:
    sessions: list[ScheduledSession]
    override_reason: str


@transaction.atomic
def book_loop(
    application: Application,
    placements: Sequence[Placement],
    actor: User | None,
    override_reason: str = "",
    *,
    now: datetime | None = None,
) -> Booked:
    """Book a finalist's whole loop: the sessions, and one Interview per seat person.

    Rechecks every person's and room's clashes inside the transaction. `actor` None is the
    system (the demo, a candidate's own pick through bookings, which checks its own access).
    """
    now = now or timezone.now()
    _require_team(actor, application)
    _lock()
    if application.stage not in FINALIST_STAGES:
        raise ValidationError({"application": _("Only finalists in round two are scheduled.")})
    if ScheduledSession.objects.filter(
        application=application, status=SessionStatus.BOOKED
    ).exists():
        raise ValidationError(
            {"application": _("This loop is already booked; move or cancel its sessions.")}
        )
    sessions = selectors.loop_sessions(application.position)
    if sorted(p.session.pk for p in placements) != sorted(s.pk for s in sessions):
        raise ValidationError({"session": _("Book every session of the loop, each once.")})
    found = check_loop(application, placements, now=now)
    reason = _refuse_or_accept(found, override_reason)
    pattern = selectors.policy().video_link_pattern
    booked = []
    for placement in placements:
        scheduled = ScheduledSession.objects.create(
            application=application,
            session=placement.session,
            starts_at=placement.starts_at,
            duration_minutes=placement.session.duration_minutes,
            room=placement.room,
            video_link=placement.video_link,
            override_reason=reason,
            override_clashes=found.soft if reason else [],
            booked_by=actor,
        )
        if not scheduled.video_link and scheduled.room is None and pattern:
            scheduled.video_link = pattern.replace("{uid}", str(scheduled.uid))
            scheduled.save(update_fields=["video_link"])
        _seat_people(scheduled, placement.people)
        booked.append(scheduled)
    first = min(booked, key=lambda b: b.starts_at)
    _audit(
        actor, AuditAction.LOOP_BOOKED, first,
        f"{len(booked)} sessions from {_at(first.starts_at)}", (reason, found.soft),
    )  # fmt: skip
    return Booked(booked, reason)


def _seat_people(scheduled: ScheduledSession, people: dict[int, User]) -> None:
    for seat_pk, person in people.items():
        interview = Interview.objects.create(
            application=scheduled.application,
            interviewer=person,
            title=scheduled.session.title[:150],
            round=2,
            starts_at=scheduled.starts_at,
            duration_minutes=scheduled.duration_minutes,
            location=_location(scheduled),
        )
        assignment = SeatAssignment.objects.create(
            scheduled_session=scheduled, seat_id=seat_pk, interviewer=person, interview=interview
        )
        scheduled.interviews.add(interview)
        _hand_over_seat(assignment.seat, scheduled.application, person)


def _current_placements(application: Application) -> list[tuple[ScheduledSession, Placement]]:
    booked = ScheduledSession.objects.filter(
        application=application, status=SessionStatus.BOOKED
    ).select_related("session", "room")
    return [
        (
            s,
            Placement(
                s.session,
                s.starts_at,
                {a.seat_id: a.interviewer for a in s.assignments.select_related("interviewer")},
                s.room,
                s.video_link,
                s.duration_minutes,
            ),
        )
        for s in booked
    ]


def _changed_placements(scheduled: ScheduledSession, change: Placement) -> list[Placement]:
    """The finalist's whole booked loop with one session changed."""
    current = _current_placements(scheduled.application)
    return [change if s.pk == scheduled.pk else p for s, p in current]


def check_session_change(
    scheduled: ScheduledSession,
    starts_at: datetime,
    people: dict[int, User] | None = None,
    *,
    now: datetime | None = None,
) -> Check:
    """Read only: what `check_loop` says of the whole loop if this session moved to
    `starts_at` with these seat people (seat pk -> person; missing seats keep theirs).
    Bookings runs it on every time it proposes, so a proposal never breaks a rule that
    booking it would then refuse."""
    sitting = {
        a.seat_id: a.interviewer for a in scheduled.assignments.select_related("interviewer")
    }
    sitting.update(people or {})
    change = Placement(
        scheduled.session, starts_at, sitting, scheduled.room, scheduled.video_link,
        scheduled.duration_minutes,
    )  # fmt: skip
    moved = [scheduled.session_id] if starts_at != scheduled.starts_at else []
    return check_loop(
        scheduled.application,
        _changed_placements(scheduled, change),
        now=now or timezone.now(),
        moved=moved,
    )


def _apply_change(
    scheduled: ScheduledSession,
    change: Placement,
    actor: User | None,
    override_reason: str,
    now: datetime,
) -> tuple[ScheduledSession, Check]:
    _require_team(actor, scheduled.application)
    require_not_own_candidates(
        scheduled.application.position, {"interviewer": list(change.people.values())}
    )
    _lock()
    scheduled = ScheduledSession.objects.select_related("session", "room", "application").get(
        pk=scheduled.pk
    )
    if scheduled.status != SessionStatus.BOOKED:
        raise ValidationError({"session": _("This session was cancelled.")})
    moved = [scheduled.session_id] if change.starts_at != scheduled.starts_at else []
    if moved:
        _refuse_past_start(change.starts_at, now)
    placements = _changed_placements(scheduled, change)
    found = check_loop(scheduled.application, placements, now=now, moved=moved)
    reason = _refuse_or_accept(found, override_reason)
    old_start = scheduled.starts_at
    scheduled.starts_at = change.starts_at
    scheduled.room = change.room
    scheduled.video_link = change.video_link
    scheduled.sequence += 1
    if reason:
        scheduled.override_reason = reason
        scheduled.override_clashes = found.soft
    elif not found.soft:
        scheduled.override_reason, scheduled.override_clashes = "", []
    scheduled.full_clean(exclude=["application", "session", "booked_by", "room"])
    scheduled.save()
    before = _at(old_start)
    _seat_changes(scheduled, change.people)
    Interview.objects.filter(seat_assignment__scheduled_session=scheduled).update(
        starts_at=scheduled.starts_at, location=_location(scheduled)
    )
    _audit(
        actor, AuditAction.SESSION_MOVED, scheduled,
        f"{scheduled.session.title} from {before} to {_at(scheduled.starts_at)}, "
        f"at {_location(scheduled) or 'no place yet'}",
        (reason, found.soft),
    )  # fmt: skip
    return scheduled, found


# A moved session must start at least this far ahead: time for the invitations to reach
# everyone. Unlike the minimum notice (a rule a reason may override), this is a hard refusal.
MOVE_MARGIN = timedelta(minutes=30)


def _refuse_past_start(starts_at: datetime, now: datetime) -> None:
    if starts_at < now + MOVE_MARGIN:
        zone = ZoneInfo(selectors.policy().time_zone)
        raise ValidationError(
            {
                "starts_at": _(
                    "%(when)s (%(zone)s) is in the past or less than %(minutes)s minutes from "
                    "now; no reason can override that. Choose a later time."
                )
                % {"when": starts_at.astimezone(zone).strftime("%a %d %b %Y %H:%M"),
                   "zone": zone.key, "minutes": int(MOVE_MARGIN.total_seconds() // 60)}
            }
        )  # fmt: skip


def _seat_changes(scheduled: ScheduledSession, people: dict[int, User]) -> None:
    """Move each changed seat's assignment and Interview row to its new person (ids kept,
    so a decline stays attached); the new person has not been reminded yet."""
    for assignment in scheduled.assignments.select_related("seat__session", "interviewer"):
        person = people.get(assignment.seat_id)
        if person is not None and person.pk != assignment.interviewer_id:
            _refuse_if_scorecard_started(assignment, scheduled.application)
            assignment.interviewer = person
            assignment.save(update_fields=["interviewer"])
            Interview.objects.filter(pk=assignment.interview_id).update(
                interviewer=person, reminded_at=None
            )
            _hand_over_seat(assignment.seat, scheduled.application, person)


def _refuse_if_scorecard_started(assignment: SeatAssignment, application: Application) -> None:
    """The scorecard belongs to whoever sits the seat; once they have started it (the
    interview happened) the seat is theirs for this finalist."""
    if Scorecard.objects.filter(
        application=application, interviewer=assignment.interviewer,
        round=Scorecard.Round.TWO, session=assignment.seat.session,
    ).exists():  # fmt: skip
        raise ValidationError(
            {"seat": _("%(person)s has started the scorecard for this session; the seat stays "
                       "theirs.") % {"person": assignment.interviewer.full_name}}
        )  # fmt: skip


def _hand_over_seat(seat: Seat, application: Application, person: User) -> None:
    """The kit and the scorecard for this finalist follow the person now sitting the seat
    (`loops.SeatStandIn`); back to the seat's own interviewer, the stand-in goes."""
    if person.pk == seat.interviewer_id:
        SeatStandIn.objects.filter(seat=seat, application=application).delete()
    else:
        SeatStandIn.objects.update_or_create(
            seat=seat, application=application, defaults={"interviewer": person}
        )


@transaction.atomic
def move_session(
    scheduled: ScheduledSession,
    starts_at: datetime,
    actor: User | None,
    override_reason: str = "",
    *,
    now: datetime | None = None,
    replacing: tuple[Seat, User] | None = None,
) -> ScheduledSession:
    """Move one booked session to another time (room and link stay). `replacing` (seat, person)
    also puts another qualified person in one seat, checked with the move as one change."""
    if timezone.is_naive(starts_at):
        raise ValidationError({"starts_at": _("Give the time with its time zone.")})
    require_in_calendar(starts_at=starts_at)
    people = {a.seat_id: a.interviewer for a in scheduled.assignments.select_related("interviewer")}
    if replacing is not None:
        people[replacing[0].pk] = replacing[1]
    change = Placement(
        scheduled.session, starts_at, people, scheduled.room, scheduled.video_link,
        scheduled.duration_minutes,
    )  # fmt: skip
    moved, _found = _apply_change(scheduled, change, actor, override_reason, now or timezone.now())
    return moved


@transaction.atomic
def set_session_place(
    scheduled: ScheduledSession,
    room: Room | None,
    video_link: str,
    actor: User | None,
    override_reason: str = "",
    *,
    now: datetime | None = None,
) -> ScheduledSession:
    """In person in a room, or by video with a link (generated from the pattern when blank)."""
    video_link = video_link.strip()
    if video_link and not video_link.startswith("https://"):
        raise ValidationError({"video_link": _("A video link starts with https://.")})
    if room is not None and not room.active:
        raise ValidationError({"room": _("This room is no longer in use.")})
    pattern = selectors.policy().video_link_pattern
    if room is None and not video_link and pattern:
        video_link = pattern.replace("{uid}", str(scheduled.uid))
    people = {a.seat_id: a.interviewer for a in scheduled.assignments.select_related("interviewer")}
    change = Placement(
        scheduled.session, scheduled.starts_at, people, room, video_link,
        scheduled.duration_minutes,
    )  # fmt: skip
    placed, _found = _apply_change(scheduled, change, actor, override_reason, now or timezone.now())
    return placed


@transaction.atomic
def replace_interviewer(
    scheduled: ScheduledSession,
    seat: Seat,
    person: User,
    actor: User | None,
    override_reason: str = "",
    *,
    now: datetime | None = None,
) -> ScheduledSession:
    """Put another qualified person in one seat of a booked session, same time (after a decline).

    Rechecks the new person's clashes, busy times, hours and caps like any hand edit; their
    Interview row replaces the old person's (the assignment keeps the seat, so the seat's
    competencies stay covered); SEQUENCE goes up for the updated invitation."""
    now = now or timezone.now()
    _require_team(actor, scheduled.application)
    require_not_own_candidates(scheduled.application.position, {"interviewer": [person]})
    lock_bookings()
    scheduled = ScheduledSession.objects.select_related("session", "room", "application").get(
        pk=scheduled.pk
    )
    if scheduled.status != SessionStatus.BOOKED:
        raise ValidationError({"session": _("This session was cancelled.")})
    assignment = scheduled.assignments.select_related("interview").filter(seat=seat).first()
    if assignment is None:
        raise ValidationError({"seat": _("This seat is not part of the session.")})
    placements = [p for _s, p in _current_placements(scheduled.application)]
    for placement in placements:
        if placement.session.pk == scheduled.session_id:
            placement.people[seat.pk] = person
    found = check_loop(scheduled.application, placements, now=now, moved=[])
    reason = _refuse_or_accept(found, override_reason)
    leaving = assignment.interviewer
    _seat_changes(scheduled, {seat.pk: person})
    scheduled.sequence += 1
    if reason:
        scheduled.override_reason, scheduled.override_clashes = reason, found.soft
    scheduled.save()
    _audit(
        actor, AuditAction.INTERVIEWER_REPLACED, scheduled,
        f"{scheduled.session.title} at {_at(scheduled.starts_at)}: "
        f"{person.full_name} instead of {leaving.full_name}",
        (reason, found.soft),
    )  # fmt: skip
    return scheduled


@dataclass
class Cancelled:
    """What was cancelled and who was in it (their Interview rows are gone), for CANCEL mails."""

    sessions: list[ScheduledSession]
    people: dict[int, list[User]]  # scheduled session pk -> people


@transaction.atomic
def cancel_loop(application: Application, actor: User | None, reason: str = "") -> Cancelled:
    """Cancel every booked session of the finalist's loop; their Interview rows are deleted so no
    reminder fires and no home page shows them. The sessions stay, cancelled, with a higher
    SEQUENCE for the CANCEL message."""
    _require_team(actor, application)
    _lock()
    sessions = list(
        ScheduledSession.objects.filter(application=application, status=SessionStatus.BOOKED)
    )
    if not sessions:
        raise ValidationError({"application": _("This finalist has no booked loop.")})
    return _cancel(sessions, actor, reason)


@transaction.atomic
def cancel_sessions_ahead(
    application: Application, actor: User | None, reason: str = "", now: datetime | None = None
) -> Cancelled:
    """Cancel the booked sessions that have not begun (``cancel_loop``'s way), for a closed
    application; those that began or took place stay booked, as its history. Nothing booked
    ahead: nothing changes, and the returned ``Cancelled`` is empty."""
    _require_team(actor, application)
    _lock()
    sessions = list(
        ScheduledSession.objects.filter(
            application=application,
            status=SessionStatus.BOOKED,
            starts_at__gt=now or timezone.now(),
        )
    )
    return _cancel(sessions, actor, reason) if sessions else Cancelled([], {})


def _cancel(sessions: list[ScheduledSession], actor: User | None, reason: str) -> Cancelled:
    people: dict[int, list[User]] = {}
    for scheduled in sessions:
        people[scheduled.pk] = [
            a.interviewer for a in scheduled.assignments.select_related("interviewer")
        ]
        scheduled.status = SessionStatus.CANCELLED
        scheduled.sequence += 1
        scheduled.override_reason = reason.strip()[:REASONS_MAX] or scheduled.override_reason
        scheduled.save()
        Interview.objects.filter(seat_assignment__scheduled_session=scheduled).delete()
    first = min(sessions, key=lambda s: s.starts_at)
    _audit(
        actor, AuditAction.LOOP_CANCELLED, first,
        f"{len(sessions)} sessions from {_at(first.starts_at)}"
        + (f"; reason kept on session #{first.pk}" if reason.strip() else ""),
    )  # fmt: skip
    return Cancelled(sessions, people)


# ---- batch scheduling ----------------------------------------------------------------------


@dataclass
class PlannedLoop:
    application: Application
    placements: list[Placement]


@dataclass
class ScheduleResult:
    week_start: date
    planned: list[PlannedLoop]
    unplaced: list[tuple[Application, tuple[str, ...]]]
    booked: bool
    proven_optimal: bool
    seconds: float
    load: dict[str, int]

    @property
    def feasible(self) -> bool:
        return not self.unplaced


# The weeks anyone may schedule or list. Far wider than any interview, and it keeps a week's
# end (year 9999) or its start moved to UTC (year 1) inside what a date can hold.
FIRST_WEEK_DAY, LAST_WEEK_DAY = date(2000, 1, 1), date(2100, 1, 1)


def in_calendar(day: date) -> bool:
    return FIRST_WEEK_DAY <= day <= LAST_WEEK_DAY


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def week_of(value: date) -> date:
    """The Monday of the week containing `value`; a day outside 2000–2100 is refused."""
    if not in_calendar(value):
        raise ValidationError({"week": _("Choose a week between 2000 and 2100.")})
    return monday_of(value)


def schedule_position(
    position: Position,
    week_start: date,
    actor: User | None,
    dry_run: bool = False,
    *,
    applications: Sequence[Application] | None = None,
    in_person: bool = False,
    now: datetime | None = None,
    time_limit_seconds: float = 10.0,
) -> ScheduleResult:
    """Solve every finalist of the position without a booked loop as one batch, in the week of
    `week_start`, and book the loops found (unless `dry_run`). Loops the engine cannot place,
    or that a booking's recheck refuses, are returned with the reasons in words."""
    now = now or timezone.now()
    if actor is not None:
        require_manager(actor, position)
    if not selectors.loop_sessions(position):
        raise ValidationError({"position": _("Accept the round-two loop before scheduling it.")})
    rules = selectors.policy()
    week_start = week_of(week_start)
    start, end = selectors.week_bounds(week_start, rules.time_zone)
    if end <= now + timedelta(hours=rules.min_notice_hours):
        raise ValidationError({"week": _("That week is over (or within the minimum notice).")})
    todo = (
        list(applications) if applications is not None else selectors.unbooked_finalists(position)
    )
    if not todo:
        raise ValidationError({"position": _("Every finalist's loop is already booked.")})
    inputs = selectors.engine_inputs(
        todo, max(start, now), end, now=now, in_person=in_person,
        time_limit_seconds=time_limit_seconds,
    )  # fmt: skip
    try:
        solved = engine.schedule(
            inputs.loops, inputs.people, inputs.rooms, inputs.rules, inputs.booked
        )
    except engine.SchedulingInputError as error:
        raise ValidationError({"position": str(error)}) from error
    planned = _planned_loops(solved, inputs)
    unplaced = [(inputs.applications[u.loop_id], u.reasons) for u in solved.unplaced]
    if not dry_run:
        planned, refused = _book_all(planned, actor, now)
        unplaced += refused
    return ScheduleResult(
        week_start, planned, unplaced, not dry_run, solved.proven_optimal, solved.seconds,
        dict(solved.load),
    )  # fmt: skip


def _planned_loops(solved: engine.Schedule, inputs: selectors.EngineInputs) -> list[PlannedLoop]:
    by_loop: dict[str, list[Placement]] = defaultdict(list)
    for item in solved.sessions:
        session = inputs.sessions[item.session_id]
        by_loop[item.loop_id].append(
            Placement(
                session,
                item.start,
                {selectors.pk_of(seat): inputs.users[who] for seat, who in item.interviewers},
                inputs.room_rows.get(item.room_id) if item.room_id else None,
            )
        )
    return [
        PlannedLoop(inputs.applications[loop_id], sorted(p, key=lambda x: x.starts_at))
        for loop_id, p in by_loop.items()
    ]


def _book_all(
    planned: list[PlannedLoop], actor: User | None, now: datetime
) -> tuple[list[PlannedLoop], list[tuple[Application, tuple[str, ...]]]]:
    done, refused = [], []
    for loop in planned:
        try:
            book_loop(loop.application, loop.placements, actor, now=now)
        except ValidationError as error:
            refused.append((loop.application, tuple(error.messages)))
        else:
            done.append(loop)
    return done, refused


# ---- availability ------------------------------------------------------------------------


def parse_spans(text: str) -> list[list[str]]:
    """ "09:00-12:00, 13:00-17:30" -> [["09:00", "12:00"], ["13:00", "17:30"]]; raises ValueError."""
    spans = []
    for part in text.replace(";", ",").split(","):
        part = part.strip().replace("–", "-")
        if not part:
            continue
        begin, sep, finish = part.partition("-")
        if not sep:
            raise ValueError(part)
        a, b = time.fromisoformat(begin.strip()), time.fromisoformat(finish.strip())
        if b <= a:
            raise ValueError(part)
        spans.append([a.strftime("%H:%M"), b.strftime("%H:%M")])
    return spans


def join_overlapping(spans: list[list[str]]) -> list[list[str]]:
    """One day's spans in order, overlapping or touching ones joined ("09:00-13:00, 12:00-17:00"
    is 09:00-17:00): the person meant one stretch, and the solver reads it as one anyway."""
    joined: list[list[str]] = []
    for begin, finish in sorted(spans):  # "HH:MM" strings sort as times
        if joined and begin <= joined[-1][1]:
            joined[-1][1] = max(joined[-1][1], finish)
        else:
            joined.append([begin, finish])
    return joined


def validate_working_hours(raw: object) -> dict[str, list[list[str]]]:
    if not isinstance(raw, dict):
        raise ValidationError({"working_hours": _("Give working hours per weekday (0–6).")})
    clean: dict[str, list[list[str]]] = {}
    for day, spans in raw.items():
        if str(day) not in {str(n) for n in range(7)} or not isinstance(spans, list):
            raise ValidationError({"working_hours": _("Weekdays are 0 (Monday) to 6 (Sunday).")})
        try:
            text = ", ".join(f"{a}-{b}" for a, b in spans)
            clean[str(day)] = join_overlapping(parse_spans(text))
        except (TypeError, ValueError) as error:
            raise ValidationError(
                {"working_hours": _("Write times as 09:00-17:00, the end after the start.")}
            ) from error
    return clean


@transaction.atomic
def save_availability(
    user: User,
    *,
    time_zone: str,
    working_hours: object,
    max_per_day: int | None,
    max_per_week: int | None,
) -> PersonAvailability:
    """A person's own zone, weekly hours and caps (which may only lower the policy's)."""
    rules = selectors.policy()
    errors: dict[str, str] = {}
    try:
        validate_time_zone(time_zone)
    except ValidationError as error:
        errors["time_zone"] = error.messages[0]
    hours = validate_working_hours(working_hours)
    for name, value, most in (
        ("max_per_day", max_per_day, rules.max_per_day),
        ("max_per_week", max_per_week, rules.max_per_week),
    ):
        if value is not None and not 0 <= value <= most:
            errors[name] = _("From 0 up to the organisation's %(most)s.") % {"most": most}
    if errors:
        raise ValidationError(errors)
    availability, _created = PersonAvailability.objects.update_or_create(
        user=user,
        defaults={"time_zone": time_zone, "working_hours": hours,
                  "max_per_day": max_per_day, "max_per_week": max_per_week},
    )  # fmt: skip
    return availability


def require_in_calendar(**moments: datetime) -> None:
    """Each named moment falls between 2000 and 2100 (refused naming its field): a year-1 time
    overflows on its way to UTC, and a year-9999 one would never show on any page."""
    errors = {
        name: _("Choose a time between 2000 and 2100.")
        for name, moment in moments.items()
        if not in_calendar(moment.date())
    }
    if errors:
        raise ValidationError(errors)


def add_busy_block(user: User, starts_at: datetime, ends_at: datetime, note: str = "") -> BusyBlock:
    if timezone.is_naive(starts_at) or timezone.is_naive(ends_at):
        raise ValidationError({"starts_at": _("Give the time with its time zone.")})
    require_in_calendar(starts_at=starts_at, ends_at=ends_at)
    if ends_at <= starts_at:
        raise ValidationError({"ends_at": _("The end must be after the start.")})
    if ends_at - starts_at > timedelta(days=31):
        raise ValidationError({"ends_at": _("At most 31 days at once.")})
    return BusyBlock.objects.create(
        user=user, starts_at=starts_at, ends_at=ends_at, note=note[:200], source=BusySource.MANUAL
    )


def delete_busy_block(user: User, block_id: int) -> None:
    deleted, _rows = BusyBlock.objects.filter(
        user=user, pk=block_id, source=BusySource.MANUAL
    ).delete()
    if not deleted:
        raise ValidationError({"block": _("No such busy time of yours.")})


@transaction.atomic
def connect_calendar(
    user: User, *, kind: str, url: str, username: str = "", secret: str = ""
) -> CalendarConnection:
    """Save (or replace) the person's calendar connection; the caller refreshes it."""
    if kind not in ConnectionKind.values:
        raise ValidationError({"kind": _("Choose an iCal feed or a CalDAV account.")})
    url = url.strip()
    try:
        calendars.check_address(url, allow_private_hosts=True)
    except calendars.CalendarError as error:
        raise ValidationError({"url": str(error)}) from error
    if kind == ConnectionKind.CALDAV and not username.strip():
        raise ValidationError({"username": _("CalDAV needs the user name.")})
    existing = CalendarConnection.objects.filter(user=user).first()
    if existing is not None and existing.url == url and not secret:
        secret = existing.secret  # the secret is write-only: a blank field keeps it
    connection, _created = CalendarConnection.objects.update_or_create(
        user=user,
        defaults={"kind": kind, "url": url, "username": username.strip(), "secret": secret,
                  "last_error": ""},
    )  # fmt: skip
    connection.full_clean(exclude=["user"])
    return connection


@transaction.atomic
def disconnect_calendar(user: User) -> None:
    """Forget the connection and the busy times read from it."""
    CalendarConnection.objects.filter(user=user).delete()


def refresh_calendar(connection: CalendarConnection, *, now: datetime | None = None) -> bool:
    """Read the person's busy times from their calendar. On success the calendar's busy blocks are
    replaced as a whole; on failure they are kept and the message is stored for their page.
    The read happens outside any transaction (it can take seconds)."""
    now = now or timezone.now()
    availability = selectors.availability_of(connection.user)
    start, end = now - timedelta(days=1), now + timedelta(days=CALENDAR_DAYS_AHEAD)
    private = getattr(settings, "SECONDROUND_CALENDAR_PRIVATE_HOSTS", False)
    try:
        if (demo := bundled(connection.url)) is not None:
            busy = calendars.busy_from_ical(
                [demo], start=start, end=end, time_zone=availability.time_zone
            )
        elif connection.kind == ConnectionKind.CALDAV:
            busy = calendars.busy_from_caldav(
                connection.url, username=connection.username, password=connection.secret,
                start=start, end=end, time_zone=availability.time_zone,
                allow_private_hosts=private,
            )  # fmt: skip
        else:
            busy = calendars.busy_from_feed(
                connection.url, start=start, end=end, time_zone=availability.time_zone,
                allow_private_hosts=private,
            )  # fmt: skip
    except calendars.CalendarError as error:
        CalendarConnection.objects.filter(pk=connection.pk).update(
            last_tried_at=now, last_error=str(error)
        )
        return False
    with transaction.atomic():
        BusyBlock.objects.filter(connection=connection).delete()
        BusyBlock.objects.bulk_create(
            BusyBlock(user=connection.user, starts_at=i.start, ends_at=i.end,
                      source=BusySource.CALENDAR, connection=connection)
            for i in busy
        )  # fmt: skip
        CalendarConnection.objects.filter(pk=connection.pk).update(
            last_tried_at=now, last_ok_at=now, last_error=""
        )
    return True


# ---- rooms, policy, candidates -----------------------------------------------------------


def require_admin(actor: User) -> None:
    if not actor.is_org_admin:
        raise PermissionDenied("Only admins manage rooms and the scheduling policy.")


@transaction.atomic
def save_room(actor: User, room: Room | None, *, name: str, capacity: int, location: str,
              active: bool = True) -> Room:  # fmt: skip
    require_admin(actor)
    room = room or Room()
    room.name, room.capacity, room.location, room.active = name.strip(), capacity, location, active
    if Room.objects.filter(name__iexact=room.name).exclude(pk=room.pk).exists():
        raise ValidationError({"name": _("A room with this name exists.")})
    if capacity < 1:
        raise ValidationError({"capacity": _("At least 1.")})
    room.full_clean()
    room.save()
    return room


@transaction.atomic
def update_policy(actor: User, fields: dict[str, object]) -> SchedulingPolicy:
    require_admin(actor)
    rules = selectors.policy()
    for name, value in fields.items():
        setattr(rules, name, value)
    rules.full_clean()
    rules.save()
    return rules


@transaction.atomic
def set_candidate_availability(
    actor: User | None,
    application: Application,
    *,
    time_zone: str,
    spans: Sequence[tuple[datetime, datetime]],
) -> list[CandidateAvailability]:
    """Replace the candidate's time zone and the spans they can interview (recruiter or them)."""
    _require_team(actor, application)
    try:
        validate_time_zone(time_zone)
    except ValidationError as error:
        raise ValidationError({"time_zone": error.messages}) from error
    for start, end in spans:
        if timezone.is_naive(start) or timezone.is_naive(end) or end <= start:
            raise ValidationError({"availability": _("Each span needs a start before its end.")})
        if not (in_calendar(start.date()) and in_calendar(end.date())):
            raise ValidationError({"availability": _("Give times between 2000 and 2100.")})
    CandidateTimeZone.objects.update_or_create(
        application=application, defaults={"time_zone": time_zone}
    )
    CandidateAvailability.objects.filter(application=application).delete()
    return [
        CandidateAvailability.objects.create(application=application, starts_at=a, ends_at=b)
        for a, b in spans
    ]


def seat_of(seat_id: int) -> Seat:
    return Seat.objects.select_related("interviewer", "session").get(pk=seat_id)
