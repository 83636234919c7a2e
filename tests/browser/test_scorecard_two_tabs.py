"""One scorecard open in two tabs: autosaves in one keep going (each answer renews the page's
version), the other tab's stale autosave is refused in place and overwrites nothing, and a
reload shows the server's scorecard; edits typed offline on the current version come back."""

from __future__ import annotations

import pytest
from playwright.sync_api import APIResponse, Page, Route, expect

from secondround.hiring.models import Position
from secondround.scorecards.models import Scorecard
from secondround.scorecards.services import open_round_two_scorecard
from tests.browser.conftest import Shots, assert_accessible
from tests.browser.test_hiring_manager_flow import log_in
from tests.demo_cache import load_demo
from tests.scorecards.test_views import unwritten_seat

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 390, "height": 844}


def _draft() -> Scorecard:
    load_demo()
    position = Position.objects.get(title="Senior software engineer")
    seat, application = unwritten_seat(position)
    return open_round_two_scorecard(actor=seat.interviewer, seat=seat, application=application)


def _takeaways(card: Scorecard) -> str:
    return Scorecard.objects.get(pk=card.pk).takeaways


def test_a_stale_tab_is_refused_and_a_reload_shows_the_latest(page: Page, shots: Shots) -> None:
    card = _draft()
    log_in(page, card.interviewer.email)
    page.goto(f"/scorecards/{card.pk}/")
    stale = page.context.new_page()
    stale.goto(f"/scorecards/{card.pk}/")

    box = page.get_by_label("Key takeaways")
    for text in ("Clear", "Clear on trade-offs", "Clear on trade-offs; asked good questions"):
        box.fill(text)
        expect(page.locator("#saved")).to_contain_text("Draft saved", timeout=10_000)
        page.wait_for_timeout(900)  # the next autosave goes out with the version just renewed
        assert _takeaways(card) == text

    stale.get_by_label("Key takeaways").fill("Typed in the older tab")
    expect(stale.locator("#saved")).to_contain_text("another tab", timeout=10_000)
    expect(stale.locator("#saved")).to_contain_text("Reload the page")
    assert _takeaways(card) == "Clear on trade-offs; asked good questions"
    assert_accessible(stale)
    Shots(stale, "test_a_stale_tab_is_refused_and_a_reload_shows_the_latest").take("refused-1280")
    stale.set_viewport_size(PHONE)
    stale.get_by_label("Key takeaways").fill("Typed in the older tab, again")
    expect(stale.locator("#saved")).to_contain_text("another tab", timeout=10_000)
    stale.wait_for_timeout(900)
    assert _takeaways(card) == "Clear on trade-offs; asked good questions"
    Shots(stale, "test_a_stale_tab_is_refused_and_a_reload_shows_the_latest").take("refused-390")

    stale.reload()
    expect(stale.get_by_label("Key takeaways")).to_have_value(
        "Clear on trade-offs; asked good questions"
    )
    shots.take("first-tab-1280")


def test_edits_typed_offline_come_back_after_a_reload(page: Page) -> None:
    card = _draft()
    log_in(page, card.interviewer.email)
    page.goto(f"/scorecards/{card.pk}/")
    box = page.get_by_label("Key takeaways")
    box.fill("Saved online")
    expect(page.locator("#saved")).to_contain_text("Draft saved", timeout=10_000)
    page.context.set_offline(True)
    box.fill("Saved online, then typed offline")
    page.wait_for_timeout(1500)
    page.context.set_offline(False)
    page.reload()
    expect(page.get_by_label("Key takeaways")).to_have_value("Saved online, then typed offline")


def test_words_typed_while_a_save_is_answered_come_back_after_a_reload(page: Page) -> None:
    """The server saved, its answer (with the next version) is slow, the interviewer types on,
    the next save is lost and they reload: the copy in the browser was typed on top of that
    save, so it comes back."""
    card = _draft()
    log_in(page, card.interviewer.email)
    held: list[tuple[Route, APIResponse]] = []

    def hold_first_answer_lose_the_rest(route: Route) -> None:
        if route.request.method != "POST":
            route.continue_()
        elif not held:
            held.append((route, route.fetch()))  # saved on the server; the answer waits
        else:
            route.abort()

    page.route(lambda url: url.endswith(f"/scorecards/{card.pk}/"), hold_first_answer_lose_the_rest)
    page.goto(f"/scorecards/{card.pk}/")
    box = page.get_by_label("Key takeaways")
    box.fill("First words")
    for _ in range(50):
        if held:
            break
        page.wait_for_timeout(100)
    assert _takeaways(card) == "First words"
    box.fill("First words, and more")
    route, answer = held[0]
    route.fulfill(response=answer)
    expect(page.locator("#saved")).to_contain_text("Draft saved")
    page.wait_for_timeout(1500)  # the next autosave goes out and is lost
    assert _takeaways(card) == "First words"
    page.unroute_all()
    page.reload()
    expect(page.get_by_label("Key takeaways")).to_have_value("First words, and more")
