"""Bookings in Chromium: a candidate picks a whole-loop option on their private link; an
interviewer declines from their agenda and the hiring team books the proposed replacement."""

from __future__ import annotations

import re

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from secondround.bookings import replacements
from secondround.bookings.demo import DEMO_SCHEDULE_TOKEN
from secondround.bookings.models import Decline, DeclineResolution
from secondround.hiring.models import Interview
from secondround.scheduling.models import ScheduledSession
from tests.browser.conftest import Shots, assert_accessible
from tests.browser.test_narrow_screens_and_csp import log_in
from tests.demo_cache import load_demo

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NARROW = {"width": 390, "height": 844}


def no_sideways_scroll(page: Page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= NARROW["width"]


def test_candidate_picks_a_whole_loop_option(
    page: Page, shots: Shots, browser: Browser, live_server
) -> None:
    load_demo()
    url = f"/prep/i/{DEMO_SCHEDULE_TOKEN}/schedule/"
    page.goto(url)
    expect(page.get_by_role("heading", name="Pick the times that suit you")).to_be_visible()
    assert_accessible(page)
    shots.take("options-desktop")

    phone = browser.new_context(base_url=str(live_server), viewport=NARROW)
    narrow = phone.new_page()
    narrow.goto(url)
    narrow_shots = Shots(narrow, "test_candidate_picks_a_whole_loop_option_390")
    expect(narrow.get_by_role("heading", name="Pick the times that suit you")).to_be_visible()
    no_sideways_scroll(narrow)
    narrow_shots.take("options-390")
    narrow.get_by_role("button", name="Book").first.click()
    expect(narrow.get_by_role("status").filter(has_text="Booked")).to_be_visible()
    expect(narrow.get_by_role("heading", name="Your booked interview")).to_be_visible()
    no_sideways_scroll(narrow)
    assert_accessible(narrow)
    narrow_shots.take("booked-390")
    phone.close()
    # The desktop tab still shows the week grid from before the booking: sending it is
    # refused, and the page says why (its grid is gone, so the message carries it).
    page.get_by_role("group", name="Half-days that suit you").get_by_role("checkbox").first.check()
    page.get_by_role("button", name="Save and show options").click()
    expect(page.get_by_role("alert")).to_contain_text("Your interview is already booked")
    expect(page.get_by_role("heading", name="Your booked interview")).to_be_visible()
    assert_accessible(page)
    shots.take("stale-grid-refused-desktop")
    page.reload()
    shots.take("booked-desktop")
    assert ScheduledSession.objects.filter(application__candidate__full_name="Ravi Shah").exists()


def test_candidate_gives_availability_on_the_week_grid(page: Page, shots: Shots) -> None:
    load_demo()
    page.set_viewport_size(NARROW)
    page.goto(f"/prep/i/{DEMO_SCHEDULE_TOKEN}/schedule/")
    page.get_by_label("Your time zone").fill("Europe/London")
    grid = page.get_by_role("group", name="Half-days that suit you")
    for row in range(2, 6):
        grid.get_by_role("row").nth(row).get_by_role("checkbox").first.check()
        grid.get_by_role("row").nth(row).get_by_role("checkbox").last.check()
    no_sideways_scroll(page)
    assert_accessible(page)
    shots.take("grid-390")
    page.get_by_role("button", name="Save and show options").click()
    expect(
        page.get_by_text("All times are shown in your time zone, Europe/London.")
    ).to_be_visible()
    shots.take("after-grid-390")


def test_interviewer_declines_from_the_agenda_and_the_team_books_a_replacement(
    page: Page,
    shots: Shots,
    browser: Browser,
    live_server,
) -> None:
    load_demo()
    upcoming = (
        Interview.objects.filter(starts_at__gt=timezone.now())
        .exclude(seat_assignment__seat__session__competency_kinds=[])
        .select_related("interviewer", "application__position__hiring_manager")
        .order_by("starts_at")
    )
    # The demo's week moves with today: take the first interview a free colleague can take
    # over at the same time, as the page will propose after the decline.
    interview = next(
        (
            i
            for i in upcoming
            if replacements.propose(Decline(interview=i, reason="?")).kind == replacements.REPLACE
        ),
        None,
    )
    assert interview is not None
    person = interview.interviewer
    log_in(page, person.email)
    page.goto("/interviews/")
    expect(page.get_by_role("heading", name="My interviews")).to_be_visible()
    assert_accessible(page)
    shots.take("agenda-desktop")
    create = page.get_by_role("button", name="Create my feed")
    if create.count():
        create.click()
    expect(page.get_by_label("Your feed address")).to_have_value(
        re.compile(r"/interviews/feed/\w+\.ics$")
    )
    row = (
        page.locator("article.agenda-row")
        .filter(has_text=interview.application.candidate.full_name)
        .filter(has_text=interview.title)
        .first
    )
    row.get_by_role("link", name="Decline").click()
    page.get_by_label("Why can you not make it?").fill("A customer visit moved onto that morning.")
    shots.take("decline-form")
    page.get_by_role("button", name="Decline").click()
    expect(page.get_by_role("status").filter(has_text="Declined")).to_be_visible()
    shots.take("agenda-after-decline")

    phone = browser.new_context(base_url=str(live_server), viewport=NARROW)
    narrow = phone.new_page()
    log_in(narrow, person.email)
    narrow.goto("/interviews/")
    no_sideways_scroll(narrow)
    Shots(narrow, "test_interviewer_declines_390").take("agenda-390")
    phone.close()

    team = browser.new_context(base_url=str(live_server), viewport={"width": 1280, "height": 900})
    manager = team.new_page()
    log_in(manager, interview.application.position.hiring_manager.email)
    manager.goto(f"/applications/{interview.application_id}/booking/")
    expect(manager.get_by_role("heading", name=f"{person.full_name} declined")).to_be_visible()
    assert_accessible(manager)
    team_shots = Shots(manager, "test_team_books_replacement")
    team_shots.take("proposal")
    manager.get_by_role("button", name="Book").first.click()
    expect(manager.get_by_role("status").filter(has_text="Booked")).to_be_visible()
    team_shots.take("booked")
    team.close()
    decline = Decline.objects.get()
    assert decline.resolution in (DeclineResolution.REPLACED, DeclineResolution.MOVED)
