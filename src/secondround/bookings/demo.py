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
from secondround.messaging.demo import portal_link
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


def confirm_booked_loop() -> None:
    """Aisha's schedule confirmation, made from her booked loop as a booking makes it (times in
    her zone, the calendar files) and sent after messaging's demo has invited her."""
    application = Application.objects.select_related("position").get(
        candidate__full_name=BOOKED_FINALIST, position__title="Senior software engineer"
    )
    recruiter = application.position.recruiters.order_by("pk").first()
    notice = CandidateNotice(actor=recruiter, portal_link=portal_link(DEMO_LINK_TOKEN))
    tell_candidate(booked_sessions(application), Method.REQUEST, notice)
    confirmation = Message.objects.filter(
        application=application, kind=MessageKind.SCHEDULE_CONFIRMATION
    ).latest("created_at", "pk")
    deliver(confirmation.pk)
