"""The candidate's schedule page in Chromium when their own times limit what they can do: a
loop that has taken place offers no move, and a stale grid's half-day inside the minimum
notice is refused by name; and, staff side, a session moved into the past is refused even
with a reason (desktop and 390 px, axe)."""

from __future__ import annotations

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from secondround.bookings.demo import DEMO_SCHEDULE_TOKEN
from secondround.prep.demo import DEMO_LINK_TOKEN
from secondround.scheduling.models import (
    CandidateAvailability,
    ScheduledSession,
    SchedulingPolicy,
)
from tests.browser.conftest import Shots, assert_accessible
from tests.browser.test_bookings_flow import NARROW, no_sideways_scroll
from tests.browser.test_hiring_manager_flow import log_in
from tests.demo_cache import load_demo

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_loop_that_took_place_offers_no_other_times(
    page: Page, shots: Shots, browser: Browser, live_server
) -> None:
    load_demo()  # Aisha's loop took place last week
    url = f"/prep/i/{DEMO_LINK_TOKEN}/schedule/"
    page.goto(url)
    expect(page.get_by_role("heading", name="Your booked interview")).to_be_visible()
    expect(page.get_by_text("can no longer be moved here")).to_be_visible()
    expect(page.get_by_role("button", name="Find other times")).to_have_count(0)
    assert_accessible(page)
    shots.take("begun-desktop")
    phone = browser.new_context(base_url=str(live_server), viewport=NARROW)
    narrow = phone.new_page()
    narrow.goto(url)
    expect(narrow.get_by_text("can no longer be moved here")).to_be_visible()
    no_sideways_scroll(narrow)
    Shots(narrow, "test_a_loop_that_took_place_offers_no_other_times_390").take("begun-390")
    phone.close()


def test_a_half_day_inside_the_notice_is_refused_by_name(page: Page, shots: Shots) -> None:
    load_demo()
    page.set_viewport_size(NARROW)
    page.goto(f"/prep/i/{DEMO_SCHEDULE_TOKEN}/schedule/")
    grid = page.get_by_role("group", name="Half-days that suit you")
    first_day = grid.get_by_role("row").nth(1)
    day_name = first_day.get_by_role("rowheader").inner_text()
    first_day.get_by_role("checkbox").last.check()
    # The page was opened before the notice grew: its first day is now too soon.
    SchedulingPolicy.objects.update(min_notice_hours=24 * 5)
    given = CandidateAvailability.objects.count()
    page.get_by_role("button", name="Save and show options").click()
    refusal = page.get_by_text("Too soon for us to arrange (we need 120 hours' notice)")
    expect(refusal).to_be_visible()
    assert " ".join(day_name.split()[1:]) in refusal.inner_text()  # "1 Dec": the day by name
    no_sideways_scroll(page)
    assert_accessible(page)
    shots.take("too-soon-390")
    page.set_viewport_size({"width": 1280, "height": 900})
    shots.take("too-soon-desktop")
    assert CandidateAvailability.objects.count() == given


def test_a_session_moved_into_the_past_is_refused_even_with_a_reason(
    page: Page, shots: Shots
) -> None:
    load_demo()
    log_in(page, "luis@kestrel.example")
    page.get_by_role("link", name="Product manager, scheduling").first.click()
    page.get_by_role("link", name="Schedule", exact=True).click()
    page.get_by_role("button", name="Schedule next week's loops").click()
    expect(page.get_by_role("heading", name="1 loop booked")).to_be_visible(timeout=60_000)
    deep_dive = ScheduledSession.objects.filter(
        session__title="Role deep dive", status="booked", starts_at__gt=timezone.now()
    ).first()
    assert deep_dive is not None
    page.goto(f"/scheduled/{deep_dive.pk}/")
    page.get_by_label("New start").fill("2020-01-01T10:00")
    page.locator("#id_move-override_reason").fill("because")
    page.get_by_role("button", name="Move session").click()
    expect(page.locator("#edit-panel")).to_contain_text("Wed 01 Jan 2020 10:00")
    expect(page.locator("#edit-panel")).to_contain_text("no reason can override that")
    assert_accessible(page)
    shots.take("past-refused-desktop")
    page.set_viewport_size(NARROW)
    no_sideways_scroll(page)
    shots.take("past-refused-390")
    deep_dive.refresh_from_db()
    assert deep_dive.starts_at > timezone.now()
