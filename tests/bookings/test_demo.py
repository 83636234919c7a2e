"""The demo: the unbooked finalist picks from open options on their link; Inês has a feed."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import formats

from secondround import demo
from secondround.accounts.models import User
from secondround.bookings.demo import BOOKED_FINALIST, DEMO_SCHEDULE_TOKEN, UNBOOKED_FINALIST
from secondround.bookings.models import CalendarFeed, LoopOffer, OfferStatus
from secondround.bookings.selectors import booked_sessions, candidate_zone
from secondround.hiring.models import Application
from secondround.messaging.models import Message, MessageKind, MessageState
from secondround.scheduling.models import ScheduledSession
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def test_demo_finalist_has_options_to_pick_and_ines_has_her_feed() -> None:
    demo.load()
    offer = LoopOffer.objects.get(status=OfferStatus.OPEN)
    assert offer.application.candidate.full_name == UNBOOKED_FINALIST
    assert len(offer.options) >= 3
    page = Client().get(reverse("candidate-schedule", args=[DEMO_SCHEDULE_TOKEN]))
    assert page.status_code == 200 and "Pick the times that suit you" in page.content.decode()
    picked = Client().post(
        reverse("candidate-pick", args=[DEMO_SCHEDULE_TOKEN]), {"offer": offer.pk, "option": 0}
    )
    assert picked.status_code == 302
    assert ScheduledSession.objects.filter(application=offer.application).exists()
    ines = User.objects.get(full_name__startswith="Inês")
    assert CalendarFeed.objects.get(user=ines).is_active
    agenda = client_for(ines).get(reverse("my-interviews")).content.decode()
    assert "/interviews/feed/" in agenda


def test_aishas_schedule_confirmation_is_her_booked_loop_in_her_zone() -> None:
    demo.load()
    aisha = Application.objects.get(candidate__full_name=BOOKED_FINALIST)
    zone = ZoneInfo(candidate_zone(aisha))
    confirmation = Message.objects.get(
        application=aisha, kind=MessageKind.SCHEDULE_CONFIRMATION, state=MessageState.SENT
    )
    sessions = booked_sessions(aisha)
    assert sessions
    for session in sessions:
        starts = session.starts_at.astimezone(zone)
        assert f"{starts:%a %d %b %H:%M}" in confirmation.body_text
        assert session.session.title in confirmation.body_text
    first_day = formats.date_format(sessions[0].starts_at.astimezone(zone), "DATE_FORMAT")
    assert first_day in confirmation.subject
    assert confirmation.attachments.count() == len(sessions)  # one .ics per session
