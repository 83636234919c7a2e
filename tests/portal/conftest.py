from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from secondround.hiring.models import Application
from secondround.prep import demo as prep_demo
from tests.demo_cache import load_demo

TOKEN = prep_demo.DEMO_LINK_TOKEN


@pytest.fixture
def aisha(db: None) -> Application:
    load_demo()
    return Application.objects.get(
        candidate__full_name="Aisha Bello", position__title="Senior software engineer"
    )


def portal_page(client: Client | None = None, token: str = TOKEN) -> str:
    response = (client or Client()).get(reverse("portal", args=[token]))
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def move_loop_to(application: Application, days_from_now: float) -> None:
    """Shift the candidate's round-two interviews so the first starts that many days from now.

    The demo holds the engineering loops last week; tests of the booked state move them ahead.
    """
    from datetime import timedelta

    from django.db.models import F
    from django.utils import timezone

    from secondround.hiring.models import Interview
    from secondround.scheduling.models import ScheduledSession

    interviews = Interview.objects.filter(application=application)
    first = interviews.order_by("starts_at").first()
    assert first is not None
    shift = timezone.now() + timedelta(days=days_from_now) - first.starts_at
    interviews.update(starts_at=F("starts_at") + shift)
    # The booked sessions behind them move too, so the scheduling rules see the same loop.
    ScheduledSession.objects.filter(application=application).update(
        starts_at=F("starts_at") + shift
    )
