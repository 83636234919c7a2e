"""The demo's bookings: the unbooked product finalist has whole-loop options to pick on a
private link whose token is fixed (so the docs can name it), Inês has a calendar feed, and
Aisha has the schedule confirmation her booked loop sends."""

from __future__ import annotations

from secondround.accounts.models import User
from secondround.bookings.invites import CandidateNotice, tell_candidate
from secondround.bookings.offers import offer_times
from secondround.bookings.selectors import booked_sessions
from secondround.bookings.services import regenerate_calendar_feed
from secondround.calendars.invitations import Method
from secondround.hiring.models import Application
from secondround.messaging.delivery import deliver
from secondround.messaging.demo import (
    CONFIRMED_DAYS_BEFORE,
    date_sent,
    days_before_loop,
    portal_link,
)
from secondround.messaging.models import Message, MessageKind
from secondround.prep.access import token_hash
from secondround.prep.demo import DEMO_LINK_TOKEN
from secondround.prep.models import InviteLink
from secondround.prep.services import create_invite_link

UNBOOKED_FINALIST = "Ravi Shah"
BOOKED_FINALIST = "Aisha Bello"  # her loop is booked by the scheduling demo
DEMO_SCHEDULE_TOKEN = "prep_demo-ravi-pick-your-times"
DEMO_LINK_DAYS = 30


def load_demo(people: dict[str, User]) -> None:
    application = Application.objects.select_related("position").get(
        candidate__full_name=UNBOOKED_FINALIST
    )
    recruiter = application.position.recruiters.order_by("pk").first()
    actor = recruiter or application.position.hiring_manager
    if not InviteLink.objects.filter(token_hash=token_hash(DEMO_SCHEDULE_TOKEN)).exists():
        create_invite_link(
            actor=actor, application=application, days=DEMO_LINK_DAYS, token=DEMO_SCHEDULE_TOKEN
        )
    offer_times(actor=actor, application=application)
    regenerate_calendar_feed(user=people["ines"])


def confirm_booked_loop(finalist: str = BOOKED_FINALIST, token: str = DEMO_LINK_TOKEN) -> Message:
    """A finalist's schedule confirmation (Aisha's, unless told otherwise), made from their
    booked loop as a booking makes it (times in their zone, the calendar files), sent on
    their private link after messaging's demo has invited them, dated when it went out: a
    week before the loop, when the demo's scheduler booked it."""
    application = Application.objects.select_related("position").get(
        candidate__full_name=finalist, position__title="Senior software engineer"
    )
    recruiter = application.position.recruiters.order_by("pk").first()
    notice = CandidateNotice(actor=recruiter, portal_link=portal_link(token))
    tell_candidate(booked_sessions(application), Method.REQUEST, notice)
    confirmation = Message.objects.filter(
        application=application, kind=MessageKind.SCHEDULE_CONFIRMATION
    ).latest("created_at", "pk")
    deliver(confirmation.pk)
    booked = days_before_loop(application, CONFIRMED_DAYS_BEFORE)
    if booked is not None:
        date_sent(confirmation, booked)
    return confirmation
