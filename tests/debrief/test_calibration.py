"""The debrief page reads the stored fit; only the worker (or the Refresh button) fits."""

from __future__ import annotations

import pytest
from django.utils import timezone

from secondround.accounts.models import User
from secondround.debrief import calibration
from secondround.debrief.models import CalibrationSnapshot
from secondround.hiring.models import Position
from secondround.ops import schedule
from secondround.scorecards.models import Scorecard, ScorecardStatus
from tests.conftest import client_for
from tests.demo_cache import load_demo

pytestmark = pytest.mark.django_db


def test_a_changed_scorecard_makes_the_page_say_refreshing_and_the_worker_refits() -> None:
    load_demo()  # fits once
    position = Position.objects.get(title="Senior software engineer")
    hana = client_for(User.objects.get(email="hana@kestrel.example"))
    url = f"/positions/{position.pk}/debrief/"
    assert not calibration.needs_refit()
    assert 'id="refreshing"' not in hana.get(url).content.decode()

    # A scorecard submitted after the fit (the service's own save bumps updated_at).
    card = Scorecard.objects.filter(status=ScorecardStatus.SUBMITTED).first()
    assert card is not None
    Scorecard.objects.filter(pk=card.pk).update(updated_at=timezone.now())
    fits_before = CalibrationSnapshot.objects.count()
    page = hana.get(url)
    assert page.status_code == 200 and 'id="refreshing"' in page.content.decode()
    assert CalibrationSnapshot.objects.count() == fits_before  # the GET fitted nothing

    assert schedule.CALIBRATION_REFIT in schedule.enqueue_due_jobs()
    assert schedule.CALIBRATION_REFIT not in schedule.enqueue_due_jobs()  # once a minute at most
    calibration.refresh_snapshot()  # what the queued task runs
    assert not calibration.needs_refit()
    assert 'id="refreshing"' not in hana.get(url).content.decode()


def test_nothing_submitted_needs_no_fit() -> None:
    assert calibration.current() is None
    assert not calibration.needs_refit()
