"""The demo: the unbooked finalist picks from open options on their link; Inês has a feed."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from secondround import demo
from secondround.accounts.models import User
from secondround.bookings.demo import DEMO_SCHEDULE_TOKEN, UNBOOKED_FINALIST
from secondround.bookings.models import CalendarFeed, LoopOffer, OfferStatus
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
