"""An interviewer starts their scorecard with a button (a POST); opening its link only looks."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import Shots, assert_accessible
from tests.browser.test_hiring_manager_flow import log_in
from tests.demo_cache import load_demo
from tests.scorecards.test_views import unwritten_seat

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_start_page_offers_a_button_and_the_kit_button_opens_the_scorecard(
    page: Page, shots: Shots
) -> None:
    load_demo()
    from secondround.hiring.models import Position
    from secondround.scorecards.models import Scorecard

    position = Position.objects.get(title="Senior software engineer")
    seat, application = unwritten_seat(position)
    log_in(page, seat.interviewer.email)
    page.goto(f"/kits/{seat.pk}/{application.pk}/scorecard/")
    expect(page.get_by_role("heading", level=1)).to_contain_text(application.candidate.full_name)
    assert_accessible(page)
    shots.take("start-desktop")
    page.set_viewport_size({"width": 390, "height": 844})
    shots.take("start-390")
    page.set_viewport_size({"width": 1280, "height": 900})
    mine = Scorecard.objects.filter(
        application=application, interviewer=seat.interviewer, round=Scorecard.Round.TWO
    )
    assert not mine.exists()

    page.get_by_role("link", name="Interview kit").click()
    expect(page.get_by_role("button", name="Open my scorecard")).to_be_visible()
    shots.take("kit-with-button-desktop")
    page.set_viewport_size({"width": 390, "height": 844})
    shots.take("kit-with-button-390")
    page.get_by_role("button", name="Open my scorecard").click()
    expect(page).to_have_url(re.compile(r"/scorecards/\d+/$"))
    assert page.url.endswith(f"/scorecards/{mine.get().pk}/")
    shots.take("scorecard-opened")
