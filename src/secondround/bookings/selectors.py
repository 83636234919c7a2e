"""Reads for bookings: a person's agenda, their feed, a candidate's open options. Never writes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from secondround.accounts.models import User
from secondround.bookings.models import (
    CalendarFeed,
    Decline,
    DeclineResolution,
    LoopOffer,
    OfferStatus,
)
from secondround.hiring.models import Application, Interview, Stage
from secondround.loops.models import LoopSession
from secondround.loops.selectors import panel
from secondround.scheduling.models import (
    CandidateTimeZone,
    PersonAvailability,
    ScheduledSession,
    SchedulingPolicy,
    SessionStatus,
)


def policy() -> SchedulingPolicy:
    """The organisation's scheduling rules (defaults until an admin saves them)."""
    return SchedulingPolicy.objects.order_by("pk").first() or SchedulingPolicy()


def person_zone(user: User) -> str:
    found = PersonAvailability.objects.filter(user=user).values_list("time_zone", flat=True).first()
    return found or policy().time_zone


def candidate_zone(application: Application) -> str:
    found = (
        CandidateTimeZone.objects.filter(application=application)
        .values_list("time_zone", flat=True)
        .first()
    )
    return found or policy().time_zone


# --- the agenda -------------------------------------------------------------------------------


@dataclass(frozen=True)
class AgendaRow:
    interview: Interview
    scheduled: ScheduledSession | None
    starts: datetime
    ends: datetime
    where: str
    video_link: str
    seat_id: int | None  # the kit's seat, while the kit is open (the candidate is a finalist)
    open_decline: Decline | None
    kit_closed: bool = False  # a seat's kit for a candidate already decided on: no link to it

    @property
    def candidate(self) -> str:
        return self.interview.application.candidate.full_name

    @property
    def position(self) -> str:
        return self.interview.application.position.title


@dataclass(frozen=True)
class Agenda:
    time_zone: str
    upcoming: list[AgendaRow]
    past: list[AgendaRow]


def my_interviews_queryset(user: User) -> QuerySet[Interview]:
    """A person's interviews that still stand: not on a cancelled session."""
    return (
        Interview.objects.filter(interviewer=user)
        .exclude(scheduled_sessions__status=SessionStatus.CANCELLED)
        .select_related("application__candidate", "application__position")
        .prefetch_related(
            Prefetch(
                "scheduled_sessions",
                queryset=ScheduledSession.objects.select_related("room", "session"),
            ),
            Prefetch(
                "declines",
                queryset=Decline.objects.filter(resolution=DeclineResolution.OPEN),
                to_attr="open_declines",
            ),
        )
        .order_by("starts_at", "pk")
    )


def _row(interview: Interview, zone: ZoneInfo) -> AgendaRow:
    scheduled = next(iter(interview.scheduled_sessions.all()), None)
    room = scheduled.room if scheduled else None
    if room is not None:
        where = f"{room.name}, {room.location}".strip(", ")
    else:  # a scheduled session without a room is by video: the link is shown as a link
        where = "" if scheduled is not None else interview.location
    assignment = getattr(interview, "seat_assignment", None) if scheduled else None
    # The kit is open while the candidate is a finalist (`loops.selectors.kit`); linking it
    # for a decided candidate would lead to a 404.
    kit_open = interview.application.stage in Stage.finalists()
    declines = getattr(interview, "open_declines", [])
    return AgendaRow(
        interview=interview,
        scheduled=scheduled,
        starts=interview.starts_at.astimezone(zone),
        ends=interview.ends_at.astimezone(zone),
        where=where,
        video_link=scheduled.video_link if scheduled else "",
        seat_id=assignment.seat_id if assignment and kit_open else None,
        open_decline=declines[0] if declines else None,
        kit_closed=assignment is not None and not kit_open,
    )


def agenda(user: User) -> Agenda:
    zone_name = person_zone(user)
    zone = ZoneInfo(zone_name)
    now = timezone.now()
    rows = [_row(i, zone) for i in my_interviews_queryset(user).select_related("seat_assignment")]
    return Agenda(
        time_zone=zone_name,
        upcoming=[r for r in rows if r.interview.ends_at >= now],
        past=sorted(
            (r for r in rows if r.interview.ends_at < now), key=lambda r: r.starts, reverse=True
        ),
    )


def feed_of(user: User) -> CalendarFeed | None:
    return CalendarFeed.objects.filter(user=user, revoked_at__isnull=True).first()


# --- the candidate's options ------------------------------------------------------------------


def current_offer(application: Application) -> LoopOffer | None:
    """The newest offer that is still open and not yet expired (expired ones stay as they are
    until the worker or the next write marks them: reads never write)."""
    return (
        LoopOffer.objects.filter(
            application=application, status=OfferStatus.OPEN, expires_at__gt=timezone.now()
        )
        .order_by("-created_at", "-pk")
        .first()
    )


def loop_has_begun(application: Application, now: datetime | None = None) -> bool:
    """The booked loop's first session has started (or the whole loop is over): it can no
    longer be moved by the candidate."""
    first = (
        ScheduledSession.objects.filter(application=application, status=SessionStatus.BOOKED)
        .order_by("starts_at")
        .values_list("starts_at", flat=True)
        .first()
    )
    return first is not None and first <= (now or timezone.now())


def week_grid_refusal(application: Application, now: datetime | None = None) -> str | None:
    """Why the week grid may not be saved now, or None. The grid is for a candidate with
    nothing booked (the page shows it only then); a tab left open from before the booking
    still posts it, and what they ticked must not replace what the booking was made from."""
    if loop_has_begun(application, now):
        return _(
            "Your interview has begun or taken place, so the times you ticked were not saved. "
            "For anything about it, please write to your recruiter."
        )
    if ScheduledSession.objects.filter(
        application=application, status=SessionStatus.BOOKED
    ).exists():
        return _(
            "Your interview is already booked, so the times you ticked were not saved. To move "
            "it, see “Your booked interview” below."
        )
    return None


def booked_sessions(application: Application) -> list[ScheduledSession]:
    return list(
        ScheduledSession.objects.filter(application=application, status=SessionStatus.BOOKED)
        .select_related("session", "room")
        .prefetch_related("assignments__interviewer")
        .order_by("starts_at")
    )


@dataclass(frozen=True)
class OptionSession:
    title: str
    starts: datetime
    ends: datetime
    people: list[str]


@dataclass(frozen=True)
class OptionView:
    index: int
    starts: datetime
    ends: datetime
    sessions: list[OptionSession]


def option_views(offer: LoopOffer, time_zone: str) -> list[OptionView]:
    """The offer's options for the candidate's page, times in their zone."""
    zone = ZoneInfo(time_zone)
    session_ids = {int(p["session"]) for option in offer.options for p in option}
    people_ids = {int(u) for option in offer.options for p in option for u in p["people"].values()}
    titles = dict(LoopSession.objects.filter(pk__in=session_ids).values_list("pk", "title"))
    names = dict(User.objects.filter(pk__in=people_ids).values_list("pk", "full_name"))
    views = []
    for index, option in enumerate(offer.options):
        sessions = [
            OptionSession(
                title=titles.get(int(p["session"]), ""),
                starts=datetime.fromisoformat(p["start"]).astimezone(zone),
                ends=datetime.fromisoformat(p["end"]).astimezone(zone),
                people=[names.get(int(u), "") for u in p["people"].values()],
            )
            for p in option
        ]
        views.append(OptionView(index, sessions[0].starts, sessions[-1].ends, sessions))
    return views


@dataclass(frozen=True)
class CandidateSchedule:
    application: Application
    time_zone: str
    booked: list[ScheduledSession]
    offer: LoopOffer | None
    options: list[OptionView]
    reschedules_left: int
    begun: bool = False
    """The booked loop has begun: nothing is offered to move it."""
    ended: frozenset[int] = frozenset()
    """The booked sessions (ids) that are over: they took place, there is nothing to join."""


def candidate_schedule(application: Application) -> CandidateSchedule:
    zone = candidate_zone(application)
    begun = loop_has_begun(application)
    offer = None if begun else current_offer(application)
    used = LoopOffer.objects.filter(
        application=application, kind="reschedule", status=OfferStatus.PICKED
    ).count()
    booked = booked_sessions(application)
    now = timezone.now()
    return CandidateSchedule(
        application=application,
        time_zone=zone,
        booked=booked,
        offer=offer,
        options=option_views(offer, zone) if offer else [],
        reschedules_left=max(0, policy().candidate_reschedule_limit - used),
        begun=begun,
        ended=frozenset(s.pk for s in booked if s.ends_at <= now),
    )


@dataclass(frozen=True)
class DeclineRow:
    decline: Decline
    proposal: Any  # replacements.Proposal
    by_hand: list[User]
    """When nothing is proposed: the panel (less the decliner) to book by hand at the same
    time; booking still rechecks every clash and cap."""


def team_view(application: Application) -> dict[str, Any]:
    """What the hiring team sees on a finalist's booking page (times in the organisation's zone)."""
    from secondround.bookings.replacements import NONE, propose

    def row(decline: Decline) -> DeclineRow:
        proposal = propose(decline)
        by_hand = []
        booked = proposal.scheduled
        if proposal.kind == NONE and booked and booked.status == SessionStatus.BOOKED:
            # The panel, less whoever already sits in that session (the decliner too).
            seated = booked.assignments.values("interviewer")
            by_hand = list(panel(application.position).exclude(pk__in=seated))
        return DeclineRow(decline, proposal, by_hand)

    zone = policy().time_zone
    offer = current_offer(application)
    declines = (
        Decline.objects.filter(
            interview__application=application, resolution=DeclineResolution.OPEN
        )
        .select_related("interview__interviewer", "interview__seat_assignment__scheduled_session")
        .order_by("at")
    )
    return {
        "application": application,
        "time_zone": zone,
        "booked": booked_sessions(application),
        "offer": offer,
        "options": option_views(offer, zone) if offer else [],
        "declines": [row(d) for d in declines],
    }
