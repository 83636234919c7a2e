"""Reads for the candidate's portal. Everything here is safe to show the candidate.

What the portal shows is assembled field by field from an allow-list: the candidate's own
application stage, the times and people of their conversations (name, job title,
department, and why they meet them, written for a candidate), the company profile, their
own questions and adjustments. Never a rating, a scorecard, a recommendation, an internal
note, a clarification item, a session's internal purpose, or anything of another candidate.
``tests/portal/test_leaks.py`` checks the rendered pages for that.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TypeGuard
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from secondround.accounts.models import User
from secondround.bookings.selectors import candidate_zone as booking_zone
from secondround.bookings.selectors import loop_has_begun
from secondround.calendars.invitations import Contact
from secondround.hiring.models import (
    Application,
    Candidate,
    CompanyProfile,
    Interview,
    Position,
    Stage,
)
from secondround.hiring.selectors import company_profile
from secondround.loops.models import LoopSession, Seat, SessionKind
from secondround.loops.selectors import plan_for
from secondround.messaging.models import Message, MessageKind
from secondround.messaging.selectors import last_word_on_standing, messages_for_candidate
from secondround.portal import routing
from secondround.portal.models import AdjustmentRequest
from secondround.prep.access import LinkPart, link_contact, private_link_access
from secondround.prep.models import CandidateQuestion, InviteLink
from secondround.scheduling.models import ScheduledSession, SessionStatus
from secondround.scheduling.selectors import known_time_zone

# Why the candidate meets someone, by the kind of session they lead (for the candidate).
WHY_BY_KIND: dict[str, object] = {
    SessionKind.WELCOME: _(
        "They welcome you, walk you through the day and answer anything practical."
    ),
    SessionKind.DEEP_DIVE: _(
        "They do the work this role does every day: talk through your experience in depth."
    ),
    SessionKind.SCENARIO: _(
        "They work through a realistic situation from the role with you, as colleagues would."
    ),
    SessionKind.CROSS_DEPARTMENT: _(
        "They work in a team you would work with closely: ask them what working together is like."
    ),
    SessionKind.VALUES: _(
        "They talk with you about how we work together and what matters to us, and to you."
    ),
    SessionKind.MANAGER: _(
        "They lead the team you would join: ask them about expectations, growth and career "
        "progression."
    ),
    SessionKind.CANDIDATE_QUESTIONS: _(
        "This time is yours: they answer your questions about the role, the team and the company."
    ),
    SessionKind.WRAP_UP: _(
        "They close the day, tell you what happens next and when you will hear from us."
    ),
}
GENERIC_WHY = _("They are part of the team you would work with.")
DECIDED_STAGES = (Stage.OFFER, Stage.HIRED, Stage.REJECTED, Stage.WITHDRAWN)
MAX_SHARED_QUESTIONS = 10
URL = re.compile(r"https?://\S+")


# --- the itinerary ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Person:
    name: str
    title: str
    department: str
    why: str


@dataclass
class Slot:
    """One conversation of the loop as the candidate sees it, in their time zone."""

    title: str
    starts_at: datetime  # in the candidate's zone
    ends_at: datetime
    place: str
    video_link: str
    people: list[Person] = field(default_factory=list)
    ids: list[int] = field(default_factory=list)
    # A booked session's calendar identity, the same the invitations carry, so importing both
    # the invitation and the portal's file gives one event, not two.
    event_uid: str = ""
    sequence: int = 0
    # It has ended: the page says it took place and offers no way to join it any more.
    took_place: bool = False

    @property
    def mode(self) -> str:
        if self.video_link and self.place:
            return "both"
        return "video" if self.video_link else "in_person"


def _seats_by_person(application: Application) -> dict[int, LoopSession]:
    """Each interviewer's session in the position's loop (the last one, if they sit in two).

    One query for the seats with their sessions, in the loop's order (sessions by order, then
    seats): the loop's full prefetch (people, departments, competencies) is not needed here.
    """
    seats = (
        Seat.objects.filter(session__plan__position_id=application.position_id)
        .select_related("session")
        .order_by("session__order", "session_id", "id")
    )
    return {seat.interviewer_id: seat.session for seat in seats}


def _person(interview: Interview, session: LoopSession | None) -> Person:
    person: User = interview.interviewer
    why = WHY_BY_KIND.get(session.kind, GENERIC_WHY) if session else GENERIC_WHY
    return Person(
        name=person.full_name,
        title=person.title,
        department=person.department.name if person.department else "",
        why=str(why),
    )


def _booked(interview: Interview) -> ScheduledSession | None:
    """The scheduling app's booked session this interview belongs to, if it was booked there."""
    booked = [s for s in interview.scheduled_sessions.all() if s.status == SessionStatus.BOOKED]
    return booked[0] if booked else None


def _where(interview: Interview, booked: ScheduledSession | None) -> tuple[str, str]:
    """(place, video link): the booked room and link, else read from the interview's location."""
    if booked is not None:
        room = booked.room
        place = ", ".join(p for p in (room.name, room.location) if p) if room else ""
        return place, booked.video_link
    link = URL.search(interview.location)
    return URL.sub("", interview.location).strip(" /·,-"), link.group(0) if link else ""


# Only booked sessions are shown (`_booked`): one query for them with their room and loop
# session, instead of one for the sessions and one each for rooms and loop sessions.
_BOOKED_WITH_ROOM_AND_SESSION = Prefetch(
    "scheduled_sessions",
    queryset=ScheduledSession.objects.filter(status=SessionStatus.BOOKED).select_related(
        "room", "session"
    ),
)


def itinerary(application: Application, zone: ZoneInfo) -> list[Slot]:
    """The candidate's round-two conversations, people at the same time grouped together."""
    sessions = _seats_by_person(application)
    interviews = (
        Interview.objects.filter(application=application, round=2)
        .select_related("interviewer__department")
        .prefetch_related(_BOOKED_WITH_ROOM_AND_SESSION)
        .order_by("starts_at", "pk")
    )
    slots: dict[tuple[datetime, int], Slot] = {}
    for interview in interviews:
        booked = _booked(interview)
        session = booked.session if booked else sessions.get(interview.interviewer_id)
        key = (interview.starts_at, interview.duration_minutes)
        if key not in slots:
            place, video_link = _where(interview, booked)
            slots[key] = Slot(
                title=session.title if session else interview.title,
                starts_at=interview.starts_at.astimezone(zone),
                ends_at=interview.ends_at.astimezone(zone),
                place=place,
                video_link=video_link,
                event_uid=str(booked.uid) if booked else "",
                sequence=booked.sequence if booked else 0,
            )
        slots[key].people.append(_person(interview, session))
        slots[key].ids.append(interview.pk)
    unseated = _booked_without_people(application, zone)
    everything = sorted([*slots.values(), *unseated], key=lambda slot: slot.starts_at)
    now = timezone.now()
    for slot in everything:
        slot.took_place = slot.ends_at <= now
    return everything


def _booked_without_people(application: Application, zone: ZoneInfo) -> list[Slot]:
    """Booked sessions nobody sits yet (a seat still open): the candidate still attends them."""
    booked = ScheduledSession.objects.filter(
        application=application, status=SessionStatus.BOOKED, interviews__isnull=True
    ).select_related("room", "session")
    slots = []
    for scheduled in booked:
        room = scheduled.room
        slots.append(
            Slot(
                title=scheduled.session.title,
                starts_at=scheduled.starts_at.astimezone(zone),
                ends_at=scheduled.ends_at.astimezone(zone),
                place=", ".join(p for p in (room.name, room.location) if p) if room else "",
                video_link=scheduled.video_link,
                event_uid=str(scheduled.uid),
                sequence=scheduled.sequence,
            )
        )
    return slots


def candidate_zone(application: Application) -> ZoneInfo:
    """The candidate's one zone, the one their scheduling page and invitations use: what they
    (on the portal or the scheduling page) or the recruiter chose, else the organisation's."""
    name = booking_zone(application)
    return ZoneInfo(name) if known_time_zone(name) else ZoneInfo(settings.TIME_ZONE)


# --- where the candidate stands ---------------------------------------------------------------


# A final outcome told in a message, though the stage has not moved yet: the page says what the
# candidate was told.
TOLD_STAGE: dict[str, str] = {
    MessageKind.OUTCOME_OFFER: Stage.OFFER,
    MessageKind.OUTCOME_NOT_THIS_TIME: Stage.REJECTED,
}


@dataclass(frozen=True)
class Standing:
    state: str  # before_loop | booked | another_conversation | after_loop | decided
    stage: str  # the stage the page speaks of (a final outcome told counts as reached)
    next_by: date | None  # the date by which the next step happens, when known
    promise_passed: bool = False  # next_by is a promised decision date that has gone by
    resumed: bool = False  # booked, and some conversations already took place
    told: Message | None = None  # the message this follows, when one does


def promised_date(application: Application) -> date | None:
    return application.promised_decision_on


def _promise(state: str, application: Application, today: date, told: Message | None) -> Standing:
    """A state after the loop, with the decision date promised and whether it has passed."""
    by = promised_date(application)
    passed = by is not None and by < today
    return Standing(state, application.stage, by, promise_passed=passed, told=told)


def _told_one_more(told: Message | None) -> TypeGuard[Message]:
    """The candidate's last word from the team: "we would like one more conversation"."""
    return told is not None and told.kind == MessageKind.OUTCOME_ANOTHER_CONVERSATION


def _asks_for_one_more(told: Message | None, slots: list[Slot]) -> bool:
    """The candidate was last told "one more conversation" and it has not taken place yet:
    told after their last conversation (a later one would be the one asked for)."""
    if not _told_one_more(told):
        return False
    return not slots or slots[-1].ends_at <= told.created_at


def standing(
    application: Application,
    slots: list[Slot],
    *,
    told: Message | None = None,
    today: date | None = None,
) -> Standing:
    """Where the candidate stands: the decided stage, else the latest outcome or next steps
    they were sent (``told``), read against their conversations (``slots``).

    A conversation still ahead is the next step, except at the stage "decision" (the team has
    closed the loop; a session left on the books is not what the candidate waits for) unless
    the candidate was since told "one more conversation": then it is the one they were asked to.

    ``today`` is the candidate's day (their zone), for whether a promised date has passed.
    """
    today = today or timezone.localdate()
    if application.stage in DECIDED_STAGES:
        return Standing("decided", application.stage, None, told=told)
    if told is not None and told.kind in TOLD_STAGE:
        return Standing("decided", TOLD_STAGE[told.kind], None, told=told)
    ahead = [slot for slot in slots if not slot.took_place]
    if ahead and (application.stage != Stage.DECISION or _told_one_more(told)):
        resumed = len(ahead) < len(slots)
        return Standing("booked", application.stage, ahead[0].starts_at.date(), resumed=resumed)
    if _asks_for_one_more(told, slots):
        return _promise("another_conversation", application, today, told)
    if application.stage == Stage.DECISION or slots or told is not None:
        return _promise("after_loop", application, today, told)
    return Standing("before_loop", application.stage, None)


# --- questions and adjustments ----------------------------------------------------------------


def accepts_questions(application: Application) -> bool:
    """Questions in advance are taken until the loop is over (after it, ask the recruiter)."""
    slots = itinerary(application, ZoneInfo("UTC"))
    told = last_word_on_standing(application)
    return standing(application, slots, told=told).state in ("before_loop", "booked")


def shared_questions(application: Application) -> QuerySet[CandidateQuestion]:
    return (
        CandidateQuestion.objects.filter(kit__application=application, shared_at__isnull=False)
        .select_related("session")
        .order_by("shared_at", "pk")
    )


def open_questions(application: Application) -> QuerySet[CandidateQuestion]:
    """Shared questions nobody has marked answered or answered in writing."""
    return shared_questions(application).filter(answered_at__isnull=True, written_answer="")


def routing_choices(application: Application) -> list[routing.SessionChoice]:
    plan = plan_for(application.position)
    if plan is None:
        return []
    return [routing.SessionChoice(s.pk, s.kind, s.order) for s in plan.sessions.all()]


def loop_sessions(application: Application) -> list[LoopSession]:
    plan = plan_for(application.position)
    return list(plan.sessions.all()) if plan else []


def questions_for_seat(application: Application, session: LoopSession) -> list[CandidateQuestion]:
    return list(shared_questions(application).filter(session=session))


def adjustments(application: Application) -> AdjustmentRequest | None:
    return AdjustmentRequest.objects.filter(application=application).first()


def can_see_adjustments(user: User, application: Application) -> bool:
    """The position's recruiters and admins: interviewers and the hiring manager do not see them."""
    if not user.is_active:
        return False
    return user.is_org_admin or application.position.recruiters.filter(pk=user.pk).exists()


# --- the whole page ---------------------------------------------------------------------------


# The candidate's own scheduling page (bookings): pick a whole loop, or move a booked one.
TIMES_LINK = {"before_loop": "pick", "booked": "change"}


def _times_link(application: Application, where: Standing) -> str:
    """Which scheduling link the page offers: none to move a loop that has begun, since the
    scheduling page would only refuse the move (`bookings.offers.request_reschedule`)."""
    times = TIMES_LINK.get(where.state, "")
    if times == "change" and loop_has_begun(application):
        return ""
    return times


@dataclass
class Portal:
    link: InviteLink
    application: Application
    zone: ZoneInfo
    slots: list[Slot]
    standing: Standing
    company: CompanyProfile | None
    questions: list[CandidateQuestion]
    adjustments: AdjustmentRequest | None
    kit_available: bool
    can_ask: bool
    messages: list[Message]
    times: str  # "pick" before the loop is booked, "change" once it is, else ""
    contact: Contact | None  # whom the candidate asks (the recruiter, else the hiring manager)

    @property
    def candidate(self) -> Candidate:
        return self.application.candidate

    @property
    def position(self) -> Position:
        return self.application.position


def portal_for(link: InviteLink) -> Portal:
    """Everything the candidate's page shows (the link comes with its application, candidate
    and position: `prep.access.link_for_token`)."""
    application = link.application
    zone = candidate_zone(application)
    slots = itinerary(application, zone)
    told = last_word_on_standing(application)
    where = standing(application, slots, told=told, today=timezone.now().astimezone(zone).date())
    return Portal(
        link=link,
        application=application,
        zone=zone,
        slots=slots,
        standing=where,
        company=company_profile(),
        questions=list(shared_questions(application)),
        adjustments=adjustments(application),
        kit_available=private_link_access(link).refusal(LinkPart.KIT) is None,
        can_ask=where.state in ("before_loop", "booked"),
        messages=list(messages_for_candidate(application.candidate)),
        times=_times_link(application, where),
        contact=link_contact(application),
    )
