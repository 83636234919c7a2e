"""The demo's bookings: the unbooked product finalist has whole-loop options to pick on a
private link whose token is fixed (so the docs can name it), and Inês has a calendar feed."""

from __future__ import annotations

from secondround.accounts.models import User
from secondround.bookings.offers import offer_times
from secondround.bookings.services import regenerate_calendar_feed
from secondround.hiring.models import Application
from secondround.prep.access import token_hash
from secondround.prep.models import InviteLink
from secondround.prep.services import create_invite_link

UNBOOKED_FINALIST = "Ravi Shah"
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
