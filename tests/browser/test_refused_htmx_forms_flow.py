"""Refused input in htmx forms, in Chromium: the 400 answer swaps in and its error is visible.

htmx swaps only 2xx answers unless told otherwise; base.html's htmx-config tells it to swap
400, 409 and 422. Each test submits refused input, sees the error in place (what was typed
stays), then submits good input and sees it accepted. Desktop and 390 px screenshots.
"""

from __future__ import annotations

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from secondround.accounts.models import User
from secondround.hiring.models import Position
from secondround.limits import NOTES_MAX
from secondround.prep import demo as prep_demo
from secondround.prep.access import token_hash
from secondround.prep.models import InviteLink, PrepKit
from secondround.scheduling.models import ScheduledSession, SessionStatus
from tests.browser.conftest import Shots, assert_accessible
from tests.browser.test_hiring_manager_flow import log_in
from tests.demo_cache import load_demo
from tests.portal.conftest import move_loop_to
from tests.web.test_refused_htmx_forms import draft_scorecard

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


def both_widths(page: Page, shots: Shots, name: str) -> None:
    """Screenshots at desktop and phone width; at 390 px nothing may scroll sideways."""
    page.set_viewport_size(DESKTOP)
    shots.take(f"{name}-desktop")
    page.set_viewport_size(PHONE)
    wide = page.evaluate("() => document.documentElement.scrollWidth")
    assert wide <= PHONE["width"] + 1, f"{page.url} is {wide} px wide at 390 px"
    shots.take(f"{name}-390")
    page.set_viewport_size(DESKTOP)


def robins_kit(page: Page) -> PrepKit:
    email, _name = prep_demo.DEMO_JOB_SEEKER
    log_in(page, email)
    return PrepKit.objects.get(owner=User.objects.get(email=email))


def test_a_refused_scorecard_autosave_and_submit_show_why(page: Page, shots: Shots) -> None:
    load_demo()
    card = draft_scorecard(Position.objects.get(title="Senior software engineer"))
    log_in(page, card.interviewer.email)
    page.goto(reverse("scorecard", args=[card.pk]))
    notes = page.get_by_label("Evidence: what the candidate said or did").first
    # The browser's maxlength stops typing at the limit; a script or an old browser need not.
    notes.evaluate("el => el.removeAttribute('maxlength')")
    too_long = "x" * (NOTES_MAX + 1)
    notes.fill(too_long)
    alert = page.locator("#saved[role=alert]")
    expect(alert).to_contain_text("Your latest edits were not saved.")
    expect(alert).to_contain_text("Evidence notes for")
    assert notes.input_value() == too_long  # the refusal swaps the status line, not the form
    assert_accessible(page)
    both_widths(page, shots, "autosave-refused")

    notes.fill("Drew the queue and the retries on the whiteboard.")
    expect(page.locator("#saved[role=status]")).to_contain_text("Draft saved at")
    page.get_by_role("button", name="Submit scorecard").click()
    expect(page.get_by_text("Give an overall recommendation.")).to_be_visible()
    expect(notes).to_have_value("Drew the queue and the retries on the whiteboard.")
    both_widths(page, shots, "submit-refused")

    page.get_by_label("Overall recommendation").select_option(index=1)
    page.get_by_label("How confident are you in this scorecard?").select_option(index=3)
    page.get_by_role("button", name="Submit scorecard").click()
    expect(page.get_by_text("Scorecard submitted.")).to_be_visible()
    card.refresh_from_db()
    assert card.status == "submitted"


def test_a_practice_answer_without_a_question_is_refused_in_place(page: Page, shots: Shots) -> None:
    load_demo()
    kit = robins_kit(page)
    page.goto(reverse("prep-practice", args=[kit.public_id]))
    answer = "Our checkout timed out every evening; I traced it to a report and moved it."
    page.get_by_label("Your answer").fill(answer)
    page.get_by_role("button", name="Get feedback").click()
    workspace = page.locator("#practice-workspace")
    expect(workspace.get_by_role("alert")).to_contain_text("Choose a question or type your own.")
    expect(page.get_by_label("Your answer")).to_have_value(answer)
    assert kit.attempts.count() == 1  # the demo's own attempt; nothing added
    assert_accessible(page)
    both_widths(page, shots, "practice-refused")

    page.get_by_label("Or type your own question").fill("Tell me about a slow system you fixed.")
    page.get_by_role("button", name="Get feedback").click()
    expect(page.get_by_role("region", name="Feedback")).to_contain_text("STAR parts told")
    assert kit.attempts.count() == 2
    both_widths(page, shots, "practice-accepted")


def test_a_question_already_on_the_list_is_refused_in_place(page: Page, shots: Shots) -> None:
    load_demo()
    kit = robins_kit(page)
    already = kit.my_questions.first()
    assert already is not None
    page.goto(reverse("prep-ask", args=[kit.public_id]))
    field = page.get_by_label("Your question")
    field.fill(already.text)
    page.get_by_role("button", name="Add my question").click()
    expect(page.locator("#id_text_error")).to_contain_text("already on your list")
    expect(field).to_have_value(already.text)
    assert_accessible(page)
    both_widths(page, shots, "ask-refused")

    page.get_by_label("Your question").fill("What would you want me to have done by month three?")
    page.get_by_role("button", name="Add my question").click()
    mine = page.get_by_role("region", name="My questions")
    expect(mine).to_contain_text("What would you want me to have done by month three?")
    expect(page.locator("#id_text_error")).to_have_count(0)
    both_widths(page, shots, "ask-accepted")


def test_the_portal_refuses_an_empty_question_then_takes_one(page: Page, shots: Shots) -> None:
    """The portal's form is a plain page form: a 400 page names the field."""
    load_demo()
    link = InviteLink.objects.get(token_hash=token_hash(prep_demo.DEMO_LINK_TOKEN))
    move_loop_to(link.application, 2)  # the demo held the loop last week; asking is for before
    page.goto(reverse("portal", args=[prep_demo.DEMO_LINK_TOKEN]))
    page.get_by_role("button", name="Send my question").click()
    expect(page.locator("#id_text_error")).to_contain_text("This field is required.")
    expect(page.locator("#id_text_error")).to_be_in_viewport()  # opens at the form, not the top
    assert_accessible(page)
    both_widths(page, shots, "portal-ask-refused")
    page.get_by_role("textbox", name="Your question").fill(
        "Who would I work with most in the first month?"
    )
    page.get_by_role("button", name="Send my question").click()
    expect(page.get_by_text("Thank you: your question is with the team.")).to_be_visible()
    both_widths(page, shots, "portal-ask-accepted")


def test_a_plain_http_video_link_is_refused_in_the_panel(page: Page, shots: Shots) -> None:
    load_demo()
    scheduled = ScheduledSession.objects.filter(status=SessionStatus.BOOKED, room=None).first()
    assert scheduled is not None
    log_in(page, scheduled.application.position.hiring_manager.email)
    page.goto(reverse("scheduling:session", args=[scheduled.pk]))
    page.set_viewport_size(PHONE)
    shots.take("session-panel-390")
    page.set_viewport_size(DESKTOP)
    page.get_by_label("Video link").fill("http://meet.example/kestrel-deep-dive")
    page.get_by_role("button", name="Save place").click()
    panel = page.locator("#edit-panel")
    expect(panel.locator("#id_place-video_link_error")).to_contain_text("starts with https://")
    expect(page.get_by_label("Video link")).to_have_value("http://meet.example/kestrel-deep-dive")
    assert_accessible(page)
    both_widths(page, shots, "place-refused")

    page.get_by_label("Video link").fill("https://meet.example/kestrel-deep-dive")
    page.get_by_role("button", name="Save place").click()
    expect(panel).to_contain_text("Saved; everyone's Interview was updated.")
    scheduled.refresh_from_db()
    assert scheduled.video_link == "https://meet.example/kestrel-deep-dive"
    both_widths(page, shots, "place-saved")
