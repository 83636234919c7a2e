"""Invitations for booked sessions: one mail per person, one .ics per session (iTIP).

Every interviewer gets their own sessions; the candidate gets the whole loop. The UID of a
session's event is derived from its ``ScheduledSession.uid`` and never changes, and its
SEQUENCE is the row's ``sequence``, raised by scheduling on every change, so an update
replaces the event in the person's calendar and a CANCEL removes it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from secondround.accounts.language import language_of
from secondround.accounts.models import User
from secondround.bookings.mail import Attachment, queue_mail
from secondround.bookings.selectors import candidate_zone, my_interviews_queryset, policy
from secondround.calendars.invitations import (
    Attendee,
    Contact,
    Method,
    Role,
    SessionEvent,
    invitation,
    personal_feed,
)
from secondround.hiring.models import Application, Interview
from secondround.messaging.models import MessageKind
from secondround.messaging.services import Attachment as MessageAttachment
from secondround.messaging.services import queue_message
from secondround.scheduling.models import ScheduledSession

ICS_TYPE = "text/calendar; charset=utf-8; method={method}"


def calendar_domain() -> str:
    """The host part of event UIDs: the sender address's domain, stable for an installation."""
    return str(settings.DEFAULT_FROM_EMAIL).rpartition("@")[2].strip(">") or "secondround.local"


def organizer_of(application: Application) -> Contact:
    """The position's first recruiter, else its hiring manager: who answers replies."""
    position = application.position
    person = position.recruiters.order_by("pk").first() or position.hiring_manager
    return Contact(email=person.email, name=person.full_name)


def interviewers_of(
    scheduled: ScheduledSession, people: Mapping[int, list[User]] | None = None
) -> list[User]:
    """Who sits the session; `people` (session pk -> people) for a cancelled session, whose
    seat assignments went with its Interview rows."""
    if people is not None and scheduled.pk in people:
        return list(people[scheduled.pk])
    return [a.interviewer for a in scheduled.assignments.select_related("interviewer")]


def session_event(
    scheduled: ScheduledSession,
    *,
    time_zone: str,
    people: Mapping[int, list[User]] | None = None,
) -> SessionEvent:
    application = scheduled.application
    candidate = application.candidate
    attendees = [
        Attendee(email=u.email, name=u.full_name) for u in interviewers_of(scheduled, people)
    ]
    if candidate.email:
        attendees.append(Attendee(email=candidate.email, name=candidate.full_name, role=Role.CHAIR))
    room = scheduled.room
    location = f"{room.name}, {room.location}".strip(", ") if room else ""
    return SessionEvent(
        loop_id=application.pk,
        session_id=str(scheduled.uid),
        title=f"{scheduled.session.title} — {candidate.full_name}, {application.position.title}",
        start=scheduled.starts_at,
        end=scheduled.ends_at,
        time_zone=time_zone,
        sequence=scheduled.sequence,
        attendees=tuple(attendees),
        description=scheduled.session.purpose,
        location=location,
        video_url=scheduled.video_link,
    )


@dataclass(frozen=True)
class Recipient:
    email: str
    name: str
    is_candidate: bool
    language: str = ""  # a colleague's, for their mail (the candidate's comes from messaging)


def _recipients(
    sessions: Iterable[ScheduledSession],
    only: Iterable[User] | None,
    people: Mapping[int, list[User]] | None,
) -> dict[Recipient, list[ScheduledSession]]:
    chosen = {u.pk for u in only} if only is not None else None
    by_person: dict[Recipient, list[ScheduledSession]] = defaultdict(list)
    for scheduled in sessions:
        for person in interviewers_of(scheduled, people):
            if chosen is None or person.pk in chosen:
                recipient = Recipient(person.email, person.full_name, False, language_of(person))
                by_person[recipient].append(scheduled)
        candidate = scheduled.application.candidate
        if chosen is None and candidate.email:
            by_person[Recipient(candidate.email, candidate.full_name, True)].append(scheduled)
    return by_person


@dataclass(frozen=True)
class CandidateNotice:
    """How the candidate is told (through the messaging outbox, in their language).

    ``kind`` is the message kind; ``cancelled`` are sessions whose CANCEL rides along (a
    reschedule); ``actor`` the team member acting, or None for the candidate's own pick, which
    passes their ``portal_link`` (messaging makes a fresh link only for an actor).
    """

    kind: str = MessageKind.SCHEDULE_CONFIRMATION
    actor: User | None = None
    portal_link: str = ""
    cancelled: Sequence[ScheduledSession] = ()


def _ics_files(
    sessions: Iterable[ScheduledSession],
    method: Method,
    people: Mapping[int, list[User]] | None,
    *,
    first: int = 1,
) -> list[Attachment]:
    sessions = sorted(sessions, key=lambda s: s.starts_at)
    if not sessions:
        return []
    zone = policy().time_zone
    organizer = organizer_of(sessions[0].application)
    return [
        Attachment(
            filename=f"interview-{index}.ics",
            content=invitation(
                session_event(s, time_zone=zone, people=people),
                organizer=organizer,
                domain=calendar_domain(),
                method=method,
            ),
            mimetype=ICS_TYPE.format(method=method),
        )
        for index, s in enumerate(sessions, start=first)
    ]


def send_invitations(
    sessions: Sequence[ScheduledSession],
    *,
    method: Method = Method.REQUEST,
    only: Iterable[User] | None = None,
    people: Mapping[int, list[User]] | None = None,
    candidate: CandidateNotice | None = None,
) -> int:
    """Queue one mail per interviewer with one .ics per session they sit, and (``candidate``)
    one outbox message to the candidate with the whole loop; returns the number queued.

    ``only`` limits the mails to those interviewers (e.g. the one taken off a session gets its
    CANCEL, everyone else the update).
    """
    if not sessions:
        return 0
    zone = policy().time_zone
    mails = 0
    for recipient, own in _recipients(sessions, only, people).items():
        if recipient.is_candidate:
            continue
        # In the colleague's own language, never in whatever the request runs in (a German
        # candidate's pick, or the team member booking).
        with translation.override(recipient.language):
            subject, body = (
                _subject(own[0].application, method),
                _body(recipient, own, method, zone),
            )
        queue_mail(
            to=recipient.email,
            subject=subject,
            body=body,
            attachments=_ics_files(own, method, people),
        )
        mails += 1
    if candidate is not None:
        mails += tell_candidate(sessions, method, candidate)
    return mails


def tell_candidate(
    sessions: Sequence[ScheduledSession], method: Method, notice: CandidateNotice
) -> int:
    application = sessions[0].application
    ordered = sorted(sessions, key=lambda s: s.starts_at)
    zone = ZoneInfo(candidate_zone(application))
    schedule = "\n".join(
        f"{s.starts_at.astimezone(zone):%a %d %b %H:%M}–{s.ends_at.astimezone(zone):%H:%M} "
        f"({zone.key}) {s.session.title}"
        for s in ordered
    )
    files = _ics_files(ordered, method, None)
    files += _ics_files(notice.cancelled, Method.CANCEL, None, first=len(files) + 1)
    values: dict[str, object] = {"schedule": schedule, "interview_date": ordered[0].starts_at}
    if notice.portal_link:
        values["portal_link"] = notice.portal_link
    try:
        queue_message(
            kind=notice.kind,
            candidate=application.candidate,
            application=application,
            actor=notice.actor,
            values=values,  # type: ignore[arg-type]
            attachments=[MessageAttachment(f.filename, f.content, f.mimetype) for f in files],
            time_zone=zone.key,  # the subject's date and time as the schedule's lines
        )
    except ValidationError as refused:
        if "email" not in refused.message_dict:
            raise
        return 0  # no valid address: the booking stands and their page shows it
    return 1


def _subject(application: Application, method: Method) -> str:
    names = {"position": application.position.title, "candidate": application.candidate.full_name}
    if method is Method.CANCEL:
        return _("Cancelled: interview for %(position)s (%(candidate)s)") % names
    return _("Interview for %(position)s (%(candidate)s)") % names


def _body(
    recipient: Recipient, sessions: Sequence[ScheduledSession], method: Method, zone: str
) -> str:
    if method is Method.CANCEL:
        opening = _("Hello %(name)s,\n\nthese interview times are cancelled:") % {
            "name": recipient.name
        }
    else:
        opening = _("Hello %(name)s,\n\nyour interview times (calendar invitations attached):") % {
            "name": recipient.name
        }
    lines = [opening, ""]
    for scheduled in sorted(sessions, key=lambda s: s.starts_at):
        local = timezone.localtime(scheduled.starts_at, ZoneInfo(zone))
        when = f"{formats.date_format(local, 'DATETIME_FORMAT')} ({zone})"
        where = scheduled.room.name if scheduled.room else scheduled.video_link
        lines.append(f"- {when}: {scheduled.session.title}" + (f" ({where})" if where else ""))
    return "\n".join(lines) + "\n"


def _interview_event(interview: Interview, *, time_zone: str) -> SessionEvent:
    """An interview booked outside scheduling (by hand, before it existed): its own UID."""
    person = interview.interviewer
    return SessionEvent(
        loop_id=f"interview-{interview.application_id}",
        session_id=interview.pk,
        title=f"{interview.title} — {interview.application.candidate.full_name}",
        start=interview.starts_at,
        end=interview.ends_at,
        time_zone=time_zone,
        sequence=0,
        attendees=(Attendee(email=person.email, name=person.full_name),),
        location=interview.location,
    )


def feed_ics(user: User) -> bytes:
    """All of a person's standing interviews as a subscribable calendar (METHOD:PUBLISH)."""
    zone = policy().time_zone
    events = []
    for interview in my_interviews_queryset(user).select_related("interviewer"):
        scheduled = next(iter(interview.scheduled_sessions.all()), None)
        events.append(
            session_event(scheduled, time_zone=zone)
            if scheduled is not None
            else _interview_event(interview, time_zone=zone)
        )
    organizer = Contact(email=user.email, name=user.full_name)
    return personal_feed(
        events, owner_name=user.full_name, organizer=organizer, domain=calendar_domain()
    )
