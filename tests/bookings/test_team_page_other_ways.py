"""Staff finding: when no whole loop fits, the finalist's booking page said "ask the candidate
for more availability, or book by hand" with no way to do either from there. The page now
links the two places that do it: the candidate's times (entered by the team) and the
scheduling board (book the week; move a booked session by hand, with a reason)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse

from secondround.hiring.models import Position
from secondround.scheduling.models import BusyBlock
from tests.bookings.conftest import finalist, next_weekday
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def test_a_refused_offer_leaves_the_team_a_way_on(planned: Position) -> None:
    ana = finalist(planned, "Ana Finalist")
    start = next_weekday(days_ahead=0, hour=0)
    for person in planned.interviewers.all():  # nobody free for three weeks: no loop fits
        BusyBlock.objects.create(
            user=person, starts_at=start - timedelta(days=2),
            ends_at=start + timedelta(days=21),
        )  # fmt: skip
    client = client_for(planned.hiring_manager)
    refused = client.post(reverse("booking-offer", args=[ana.pk]))
    assert refused.status_code == 409
    page = refused.content.decode()
    assert "No whole loop fits" in page
    assert reverse("scheduling:candidate-availability", args=[ana.pk]) in page
    assert reverse("scheduling:board", args=[planned.pk]) in page
