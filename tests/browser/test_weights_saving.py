"""A what-if weight of 0 can be tried but not saved; the page says so plainly."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import Shots
from tests.browser.test_hiring_manager_flow import log_in
from tests.demo_cache import load_demo

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_zero_weight_is_for_trying_out_and_whole_weights_can_be_saved(
    page: Page, shots: Shots
) -> None:
    load_demo()
    from secondround.hiring.models import Position

    position = Position.objects.get(title="Senior software engineer")
    log_in(page, position.hiring_manager.email)
    page.goto(f"/positions/{position.pk}/debrief/")
    weights = page.locator("form.weights")
    weights.get_by_label("Debugging unclear problems").fill("0")
    expect(page.locator("body")).to_contain_text("a weight of 0 is for trying out only")
    expect(page.get_by_role("button", name="Save these weights for the position")).to_have_count(0)
    shots.take("zero-weight-desktop")
    page.set_viewport_size({"width": 390, "height": 844})
    shots.take("zero-weight-390")
    page.set_viewport_size({"width": 1280, "height": 900})
    weights.get_by_label("Debugging unclear problems").fill("2")
    page.get_by_role("button", name="Save these weights for the position").click()
    expect(page.locator("body")).to_contain_text("Weights saved for this position.")
    shots.take("weights-saved")
