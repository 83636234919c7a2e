"""Closing a finalist's application (rejected, withdrawn, hired) releases the conversations
still ahead: cancelled, gone from the candidate's page and calendar file, CANCEL to the panel.
The ones that took place stay, as history."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from secondround.bookings import offers
from secondround.bookings.models import LoopOffer, OfferStatus
from secondround.hiring import services as hiring
from secondround.hiring.models import Application, Interview, Position, Stage
from secondround.messaging.models import Message, MessageKind
from secondround.prep.services import create_invite_link
from secondround.scheduling.models import ScheduledSession, SessionStatus
from tests.bookings.conftest import book_directly, finalist, next_weekday
from tests.bookings.test_invitations_and_declines import book_ana, deliver, events_for
from tests.conftest import Inbox


def close(application: Application, stage: str = Stage.REJECTED) -> None:
    hiring.move_application(
        actor=application.position.hiring_manager,
        application=application,
        to_stage=stage,
        reason="Closed in a test.",
        no_outcome_reason="Told by phone.",
    )


def portal_of(application: Application) -> str:
    _link, token = create_invite_link(
        actor=application.position.hiring_manager, application=application
    )
    return token


@pytest.mark.django_db
@pytest.mark.parametrize("stage", [Stage.REJECTED, Stage.WITHDRAWN])
def test_closing_cancels_the_conversations_still_ahead(planned: Position, stage: str) -> None:
    ana = finalist(planned, "Ana Finalist")
    booked = book_directly(ana, next_weekday())
    token = portal_of(ana)
    close(ana, stage)
    assert {s.status for s in ScheduledSession.objects.filter(application=ana)} == {
        SessionStatus.CANCELLED
    }
    assert all(s.sequence == 1 for s in ScheduledSession.objects.filter(application=ana))
    assert not Interview.objects.filter(application=ana).exists()  # no reminder, no agenda
    page = Client().get(reverse("portal", args=[token])).content.decode()
    assert booked[0].video_link not in page and "Join the video call" not in page
    ics = Client().get(reverse("portal-ics", args=[token])).content.decode()
    assert "VEVENT" not in ics


@pytest.mark.django_db
def test_conversations_that_took_place_stay_as_history(planned: Position) -> None:
    ana = finalist(planned, "Ana Finalist")
    held = book_directly(ana, timezone.now() - timedelta(days=3))
    close(ana)
    assert {s.status for s in ScheduledSession.objects.filter(application=ana)} == {
        SessionStatus.BOOKED
    }
    assert Interview.objects.filter(application=ana).count() == sum(
        s.interviews.count() for s in held
    )


@pytest.mark.django_db
def test_closing_withdraws_open_options(planned: Position) -> None:
    ana = finalist(planned, "Ana Finalist")
    offer = offers.offer_times(actor=planned.hiring_manager, application=ana)
    close(ana)
    assert LoopOffer.objects.get(pk=offer.pk).status == OfferStatus.WITHDRAWN


@pytest.mark.django_db
def test_a_refused_close_cancels_nothing(planned: Position) -> None:
    ana = finalist(planned, "Ana Finalist")
    book_directly(ana, next_weekday())
    with pytest.raises(Exception, match="outcome"):
        hiring.move_application(
            actor=planned.hiring_manager, application=ana, to_stage=Stage.REJECTED, reason="x"
        )
    assert (
        not ScheduledSession.objects.filter(application=ana)
        .exclude(status=SessionStatus.BOOKED)
        .exists()
    )


@pytest.mark.django_db(transaction=True)
def test_the_panel_gets_a_cancel_for_each_session_ahead(smtp: Inbox, planned: Position) -> None:
    ana = book_ana(planned)
    deliver()
    smtp.messages.clear()
    sessions = list(ScheduledSession.objects.filter(application=ana))
    person = next(s for s in sessions if s.assignments.exists()).assignments.first().interviewer
    close(ana)
    deliver()
    cancels = events_for(smtp, person.email)
    assert cancels and {m for m, _e in cancels} == {"CANCEL"}
    assert all(e["SEQUENCE"] == 1 for _m, e in cancels)


@pytest.mark.django_db(transaction=True)
def test_the_candidate_gets_a_cancel_that_removes_each_event_they_were_sent(
    smtp: Inbox, planned: Position
) -> None:
    ana = book_ana(planned)
    deliver()
    booked = {str(e["UID"]) for _m, e in events_for(smtp, ana.candidate.email)}
    smtp.messages.clear()
    close(ana)
    deliver()
    told = [m for m in smtp.messages if m["To"] == ana.candidate.email]
    assert len(told) == 1 and "Cancelled" in str(told[0]["Subject"])
    cancels = events_for(smtp, ana.candidate.email)
    assert {m for m, _e in cancels} == {"CANCEL"}
    assert {str(e["UID"]) for _m, e in cancels} == booked  # the same events, removed
    assert all(e["SEQUENCE"] == 1 for _m, e in cancels)  # newer than the booking's 0
    assert Message.objects.get(application=ana, kind=MessageKind.SESSIONS_CANCELLED).state == "sent"


@pytest.mark.django_db(transaction=True)
def test_closing_with_nothing_ahead_sends_the_candidate_no_cancel(
    smtp: Inbox, planned: Position
) -> None:
    ana = finalist(planned, "Ana Finalist")
    book_directly(ana, timezone.now() - timedelta(days=3))
    close(ana)
    deliver()
    assert not Message.objects.filter(kind=MessageKind.SESSIONS_CANCELLED).exists()
    assert [m for m in smtp.messages if m["To"] == ana.candidate.email] == []
