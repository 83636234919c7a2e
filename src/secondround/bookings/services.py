"""Writes for bookings: one atomic call per user action, the same from pages, API and CLI.

Validation errors are keyed by field name; a refused request changes nothing.
"""

from __future__ import annotations

import secrets
from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from secondround.accounts.language import speaking_to
from secondround.accounts.models import User
from secondround.bookings.feeds import feed_token, token_hash
from secondround.bookings.invites import CandidateNotice, send_invitations
from secondround.bookings.mail import queue_mail
from secondround.bookings.models import (
    CalendarFeed,
    Decline,
    DeclineResolution,
    LoopOffer,
    OfferStatus,
)
from secondround.calendars.invitations import Method
from secondround.hiring.models import Interview
from secondround.hiring.selectors import require_manager
from secondround.limits import MOVE_REASON_MAX
from secondround.messaging.models import MessageKind
from secondround.scheduling import services as sched_services
from secondround.scheduling.models import (
    ScheduledSession,
    SeatAssignment,
)

DECLINE_REASON_MAX = MOVE_REASON_MAX

# --- the personal calendar feed ---------------------------------------------------------------


@transaction.atomic
def regenerate_calendar_feed(*, user: User) -> tuple[CalendarFeed, str]:
    """A new feed URL token for the person (the old URL stops working); returns the token."""
    nonce = secrets.token_urlsafe(32)
    feed, _created = CalendarFeed.objects.select_for_update().get_or_create(
        user=user, defaults={"nonce": nonce, "token_hash": ""}
    )
    feed.nonce = nonce
    token = feed_token(feed)
    feed.token_hash = token_hash(token)
    feed.created_at = timezone.now()
    feed.revoked_at = None
    feed.save()
    return feed, token


@transaction.atomic
def revoke_calendar_feed(*, user: User) -> bool:
    """End the person's feed URL; False when there was none to end."""
    return bool(
        CalendarFeed.objects.filter(user=user, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )
    )


# --- declines ---------------------------------------------------------------------------------


def _clean_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why, so the team can find the right replacement.")})
    if len(reason) > DECLINE_REASON_MAX:
        raise ValidationError(
            {"reason": _("At most %(n)d characters.") % {"n": DECLINE_REASON_MAX}}
        )
    return reason


@transaction.atomic
def decline_interview(*, actor: User, interview: Interview, reason: str) -> Decline:
    """The interviewer cannot make it: record why and tell the hiring team."""
    if interview.interviewer_id != actor.pk:
        raise PermissionDenied("Only the interviewer can decline their interview.")
    reason = _clean_reason(reason)
    if interview.ends_at <= timezone.now():
        raise ValidationError({"interview": _("This interview is over; it cannot be declined.")})
    if Decline.objects.filter(interview=interview, resolution=DeclineResolution.OPEN).exists():
        raise ValidationError({"interview": _("You have already declined this interview.")})
    decline = Decline.objects.create(interview=interview, reason=reason, declined_by=actor)
    _tell_team_of_decline(decline)
    return decline


def _tell_team_of_decline(decline: Decline) -> None:
    interview = decline.interview
    position = interview.application.position
    team = {position.hiring_manager, *position.recruiters.all()}
    names = {
        "name": interview.interviewer.full_name,
        "session": interview.title,
        "candidate": interview.application.candidate.full_name,
    }
    for person in team:
        # In the reader's language, not the one declining (their request's).
        with speaking_to(person):
            subject = _("%(name)s declined %(session)s with %(candidate)s") % names
            body = _(
                "%(name)s cannot make %(session)s with %(candidate)s. Reason:\n\n%(reason)s\n\n"
                "Open the candidate's schedule to book the proposed replacement."
            ) % {**names, "reason": decline.reason}
        queue_mail(to=person.email, subject=subject, body=body)


# --- whole-loop options -----------------------------------------------------------------------


def expire_offers() -> int:
    """Mark open offers past their expiry as expired; returns how many (run by the worker)."""
    return LoopOffer.objects.filter(status=OfferStatus.OPEN, expires_at__lte=timezone.now()).update(
        status=OfferStatus.EXPIRED
    )


# --- booking the replacement after a decline --------------------------------------------------


@transaction.atomic
def book_replacement(
    *,
    actor: User,
    decline: Decline,
    person: User,
    starts_at: datetime | None = None,
    now: datetime | None = None,
) -> ScheduledSession:
    """The hiring team books what the proposal showed: `person` takes the declined seat,
    at the same time or (``starts_at``) at a new time for that session.

    Scheduling rechecks every clash and cap; the person taken off gets a CANCEL, everyone
    else (and the candidate) the update with a higher SEQUENCE.
    """
    decline = Decline.objects.select_for_update().select_related("interview").get(pk=decline.pk)
    if decline.resolution != DeclineResolution.OPEN:
        raise ValidationError({"decline": _("This decline is already resolved.")})
    assignment: SeatAssignment | None = getattr(decline.interview, "seat_assignment", None)
    if assignment is None:
        raise ValidationError({"decline": _("This interview was not booked through scheduling.")})
    scheduled = assignment.scheduled_session
    require_manager(actor, scheduled.application.position)
    leaving = decline.interview.interviewer
    if starts_at is not None and starts_at != scheduled.starts_at:
        # The new time and the new person are checked as one change: the decliner may be
        # busy at the new time, the replacement at the old one.
        scheduled = sched_services.move_session(
            scheduled, starts_at, actor, now=now, replacing=(assignment.seat, person)
        )
        resolution = DeclineResolution.MOVED
    else:
        resolution = DeclineResolution.REPLACED
        if person.pk != leaving.pk:
            scheduled = sched_services.replace_interviewer(
                scheduled, assignment.seat, person, actor, now=now
            )
    decline.resolution = resolution
    decline.resolved_by = actor
    decline.resolved_at = timezone.now()
    decline.save(update_fields=["resolution", "resolved_by", "resolved_at"])
    if person.pk != leaving.pk:
        send_invitations(
            [scheduled], method=Method.CANCEL, only=[leaving], people={scheduled.pk: [leaving]}
        )
    # The candidate hears of a new time; a new colleague at the same time changes nothing
    # they need to act on (their page shows who they meet).
    moved = resolution == DeclineResolution.MOVED
    notice = CandidateNotice(MessageKind.RESCHEDULE, actor) if moved else None
    send_invitations([scheduled], candidate=notice)
    return scheduled
