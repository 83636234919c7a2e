"""My availability at the edges: overlapping hours are joined (and the page says so), a busy
time in year 9999 is refused next to its field and nothing is stored."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from secondround.scheduling.models import BusyBlock, PersonAvailability
from tests.browser.conftest import Shots, assert_accessible
from tests.browser.test_hiring_manager_flow import log_in
from tests.browser.test_scheduling_board import no_sideways_scroll
from tests.demo_cache import load_demo


@pytest.mark.parametrize("width", [1280, 390])
def test_overlapping_hours_are_joined_and_a_far_busy_time_is_refused(
    page: Page, shots: Shots, width: int
) -> None:
    load_demo()
    page.set_viewport_size({"width": width, "height": 900})
    log_in(page, "ines@kestrel.example")
    page.goto("/availability/")
    page.get_by_label("Monday").fill("09:00-13:00, 12:00-17:00")
    page.get_by_role("button", name="Save working hours").click()
    expect(page.get_by_text("Overlapping hours were joined: Monday 09:00-17:00.")).to_be_visible()
    expect(page.get_by_label("Monday")).to_have_value("09:00-17:00")
    saved = PersonAvailability.objects.get(user__email="ines@kestrel.example")
    assert saved.working_hours["0"] == [["09:00", "17:00"]]
    assert_accessible(page)
    if width == 390:
        no_sideways_scroll(page)
    shots.take(f"hours-joined-{width}")

    before = BusyBlock.objects.count()
    page.get_by_label("Busy from").fill("9999-12-31T10:00")
    page.get_by_label("until").fill("9999-12-31T11:00")
    page.get_by_role("button", name="Add busy time").click()
    expect(page.locator("#id_starts_at_error")).to_contain_text("between 2000 and 2100")
    assert BusyBlock.objects.count() == before
    assert_accessible(page)
    if width == 390:
        no_sideways_scroll(page)
    shots.take(f"busy-refused-{width}")
