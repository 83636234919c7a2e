"""The scheduling board: one click books the week's loops; a clash by hand needs a reason."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Page, expect

from secondround.scheduling.models import ScheduledSession
from tests.browser.conftest import Shots, assert_accessible
from tests.browser.test_hiring_manager_flow import log_in
from tests.demo_cache import load_demo

PHONE = {"width": 390, "height": 844}


def no_sideways_scroll(page: Page) -> None:
    wide = page.evaluate("document.documentElement.scrollWidth")
    assert wide <= PHONE["width"] + 1, f"{page.url} is {wide} px wide"


def test_schedule_from_the_board_then_override_a_clash(page: Page, shots: Shots) -> None:
    load_demo()
    log_in(page, "luis@kestrel.example")
    page.get_by_role("link", name="Product manager, scheduling").first.click()
    page.get_by_role("link", name="Schedule", exact=True).click()
    expect(
        page.get_by_role("heading", name="Schedule: Product manager, scheduling")
    ).to_be_visible()
    expect(page.locator("table.board")).to_contain_text("not booked")
    assert_accessible(page)
    shots.take("board-before")

    page.get_by_role("button", name="Schedule next week's loops").click()
    expect(page.get_by_role("heading", name="1 loop booked")).to_be_visible(timeout=60_000)
    expect(page.locator("table.board")).not_to_contain_text("not booked")
    expect(page.locator("table.board .block.conflict")).to_have_count(0)
    assert_accessible(page)
    shots.take("board-booked")
    page.set_viewport_size(PHONE)
    shots.take("board-booked-390")
    page.set_viewport_size({"width": 1280, "height": 900})

    # Move Ravi's deep dive onto Chloé's: the same interviewers, so it is refused by name.
    sessions = ScheduledSession.objects.filter(session__title="Role deep dive")
    chloe = sessions.get(application__candidate__full_name="Chloé Martin")
    ravi = sessions.get(application__candidate__full_name="Ravi Shah")
    target = chloe.starts_at.astimezone(ZoneInfo("Europe/Berlin")).strftime("%Y-%m-%dT%H:%M")
    page.goto(f"/scheduled/{ravi.pk}/")
    page.get_by_label("New start").fill(target)
    page.get_by_role("button", name="Move session").click()
    expect(page.locator("#edit-panel")).to_contain_text("already interviews Chloé Martin")
    assert_accessible(page)
    shots.take("clash-refused")
    page.locator("#id_move-override_reason").fill("Chloé asked for a joint session")
    page.get_by_role("button", name="Move session").click()
    expect(page.locator("#edit-panel")).to_contain_text("Breaks a rule, with a reason")
    shots.take("override-kept")
    page.get_by_role("link", name="Back to the board").click()
    expect(page.locator("table.board .block.override").first).to_contain_text(
        "Chloé asked for a joint session"
    )
    expect(page.locator("table.board .block.conflict").first).to_be_visible()
    shots.take("board-override-marked")
    page.set_viewport_size(PHONE)
    shots.take("board-override-390")


@pytest.mark.parametrize("width", [1280, 390])
def test_availability_and_load_pages(page: Page, shots: Shots, width: int) -> None:
    load_demo()
    page.set_viewport_size({"width": width, "height": 900})
    log_in(page, "ines@kestrel.example")
    page.get_by_role("link", name="Availability").click()
    expect(page.get_by_role("heading", name="My availability")).to_be_visible()
    expect(page.locator("text=From your calendar")).to_be_visible()
    expect(page.locator(".busy-list li").first).to_be_visible()
    assert_accessible(page)
    if width == 390:
        no_sideways_scroll(page)
    shots.take(f"availability-{width}")
    page.goto("/schedule/load/")
    expect(page.get_by_role("heading", name="Interviewer load")).to_be_visible()
    assert_accessible(page)
    if width == 390:
        no_sideways_scroll(page)
    shots.take(f"load-{width}")
