"""The finalist's booking page in Chromium, desktop and 390 px: after a decline, the team's
two actions and the links to the candidate's times and the scheduling board (axe-checked)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page, expect

from secondround.bookings.services import decline_interview
from secondround.hiring.models import Interview
from tests.browser.conftest import Shots, assert_accessible
from tests.browser.test_bookings_flow import NARROW, no_sideways_scroll
from tests.browser.test_narrow_screens_and_csp import log_in
from tests.demo_cache import load_demo

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_team_page_shows_every_way_on(
    page: Page, shots: Shots, browser: Browser, live_server: object
) -> None:
    load_demo()
    interview = (
        Interview.objects.filter(
            application__candidate__full_name="Chloé Martin",
            interviewer__email="grace@kestrel.example",
        )
        .select_related("interviewer")
        .get()
    )
    decline_interview(actor=interview.interviewer, interview=interview, reason="Ill that day")
    url = f"/applications/{interview.application_id}/booking/"
    log_in(page, "luis@kestrel.example")
    page.goto(url)
    expect(page.get_by_role("link", name="the scheduling board")).to_be_visible()
    expect(page.get_by_role("link", name="enter the times the candidate told you")).to_be_visible()
    assert_accessible(page)
    shots.take("team-page-desktop")

    phone = browser.new_context(base_url=str(live_server), viewport=NARROW)
    narrow = phone.new_page()
    log_in(narrow, "luis@kestrel.example")
    narrow.goto(url)
    expect(narrow.get_by_role("link", name="the scheduling board")).to_be_visible()
    no_sideways_scroll(narrow)
    Shots(narrow, "test_the_team_page_shows_every_way_on_390").take("team-page-390")
    phone.close()
