"""An interviewer who has not submitted sees no decision on the application page (Chromium)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from secondround.hiring.models import Position
from tests.browser.conftest import Shots, assert_accessible
from tests.browser.test_users_flow import both_widths, log_in
from tests.debrief.test_decision_independence import REASONS, pending_seat_and_finalist, reject
from tests.demo_cache import load_demo

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_pending_interviewer_sees_the_history_without_the_decision(
    page: Page, shots: Shots
) -> None:
    load_demo()
    engineering = Position.objects.get(title="Senior software engineer")
    seat, finalist = pending_seat_and_finalist(engineering)
    reject(engineering, finalist)
    log_in(page, seat.interviewer.email)
    page.goto(f"/applications/{finalist.pk}/")
    expect(page.locator("#current-stage")).to_have_text("hidden until you submit your scorecard")
    expect(page.locator("#history-hidden")).to_be_visible()
    expect(page.get_by_text("Rejected")).to_have_count(0)
    expect(page.get_by_text(REASONS)).to_have_count(0)
    assert_accessible(page)
    both_widths(page, shots, "application-hidden-decision")
