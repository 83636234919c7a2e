"""The demo's messages, built with the real services and sent through the real delivery code
(into DATA_DIR/mail unless SECONDROUND_EMAIL_URL says otherwise).

Aisha has her invitation (her schedule confirmation is the one her booked loop sends:
``bookings.demo.confirm_booked_loop``); Mateo gets "another conversation" after the hiring
manager's decision, on his documented link (his one live link: feedback's demo shows his
letter's draft on it); Jordan is past the decision date he was promised, so the
recruiter's home page lists him.

Messages sent before the demo's loops took place are dated then (``date_sent``), so a
candidate's page never shows an invitation or a confirmation written after the conversations.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from secondround.debrief.services import record_decision
from secondround.hiring.models import Application
from secondround.messaging.delivery import deliver
from secondround.messaging.models import Message, MessageKind
from secondround.messaging.services import queue_message, send_outcome
from secondround.prep.demo import DEMO_LINK_TOKEN
from secondround.prep.services import create_invite_link

ENGINEERING = "Senior software engineer"
MATEO_LINK_TOKEN = "prep_demo-mateo-garcia-heron"  # /prep/i/prep_demo-mateo-garcia-heron/
MATEO_LINK_DAYS = 60


def _finalist(name: str) -> Application:
    return Application.objects.select_related("candidate", "position__hiring_manager").get(
        candidate__full_name=name, position__title=ENGINEERING
    )


def portal_link(token: str) -> str:
    return settings.SECONDROUND_BASE_URL + reverse("prep-invitation", args=[token])


def date_sent(message: Message, when: datetime) -> None:
    """Demo data, not a user action: a message the story sent earlier is dated then."""
    Message.objects.filter(pk=message.pk).update(created_at=when, sent_at=when)


def days_before_loop(application: Application, days: int) -> datetime | None:
    """That many days before the application's first round-two conversation, if booked."""
    first = application.interviews.filter(round=2).order_by("starts_at").first()
    return first.starts_at - timedelta(days=days) if first else None


# How long before the loop the demo's mails went out (the demo books loops a week ahead).
INVITED_DAYS_BEFORE = 10
CONFIRMED_DAYS_BEFORE = 7


def load() -> None:
    aisha = _finalist("Aisha Bello")
    recruiter = aisha.position.recruiters.order_by("pk").first()
    link = portal_link(DEMO_LINK_TOKEN)
    sent = [
        queue_message(
            kind=MessageKind.INVITATION, candidate=aisha.candidate, application=aisha,
            actor=recruiter, values={"portal_link": link},
        ),
    ]  # fmt: skip
    mateo = _finalist("Mateo García")
    manager = mateo.position.hiring_manager
    record_decision(
        actor=manager, application=mateo, decision="another_conversation",
        reasons="Debugging evidence is split between raters; one more working session on it.",
        competencies=list(mateo.position.competencies.filter(must_have=True)[:1]), dissent=[],
        next_step="A 45-minute debugging session with Priya",
        next_step_date=timezone.localdate() + timedelta(days=7),
    )  # fmt: skip
    create_invite_link(
        actor=manager, application=mateo, days=MATEO_LINK_DAYS, token=MATEO_LINK_TOKEN
    )
    sent.append(
        send_outcome(
            actor=manager, application=mateo, outcome=MessageKind.OUTCOME_ANOTHER_CONVERSATION,
            next_step="A 45-minute debugging session with Priya next week.",
            portal_link=portal_link(MATEO_LINK_TOKEN),
        )
    )  # fmt: skip
    for message in sent:
        deliver(message.pk)
    invited = days_before_loop(aisha, INVITED_DAYS_BEFORE)
    if invited is not None:
        date_sent(sent[0], invited)
    # Demo data, not a user action (the service refuses past dates): Jordan's promise lapsed.
    Application.objects.filter(pk=_finalist("Jordan Ellis").pk).update(
        promised_decision_on=timezone.localdate() - timedelta(days=2)
    )
