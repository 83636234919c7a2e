"""Practice feedback in Chromium: an off-topic story scores low, a tiny answer is '1 second'."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import Shots, assert_accessible
from tests.browser.test_prep_flow import paste_posting

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HOLIDAY_PARTY = (
    "Last December I was on the social committee, and two days before our office holiday "
    "party the venue cancelled. I found a bowling alley with a private room, negotiated a "
    "group rate and organised a quiz between the games. Everyone said it was the best party "
    "in years."
)
TECHNICAL_QUESTION = "Tell me about a time you solved a difficult technical problem."


def open_practice(page: Page) -> None:
    paste_posting(page)
    assessed = page.get_by_role("region", name="What will be assessed, and likely questions")
    debugging = assessed.get_by_role("article", name="Debugging unclear problems")
    debugging.get_by_role("link", name="Practise").first.click()
    expect(page.get_by_role("heading", name="Practice", level=1)).to_be_visible()


@pytest.mark.parametrize("width", [1280, 390])
def test_feedback_flags_an_off_topic_story_and_counts_one_second(
    page: Page, shots: Shots, width: int
) -> None:
    page.set_viewport_size({"width": width, "height": 900})
    open_practice(page)
    page.get_by_label(re.compile(r"^Question:?$")).select_option(index=0)
    page.get_by_label("Or type your own question").fill(TECHNICAL_QUESTION)
    page.get_by_label("Your answer").fill(HOLIDAY_PARTY)
    page.get_by_role("button", name="Get feedback").click()
    feedback = page.get_by_role("region", name="Feedback")
    expect(feedback.get_by_text(re.compile("^Tie the story to the question"))).to_be_visible()
    outcome = feedback.get_by_role("heading", name="Result: told").locator("+ blockquote")
    expect(outcome).to_have_text("Everyone said it was the best party in years.")
    overall = feedback.get_by_text(re.compile(r"overall \d+%")).inner_text()
    assert int(re.search(r"overall (\d+)%", overall).group(1)) < 50  # type: ignore[union-attr]
    assert_accessible(page)
    shots.take(f"off-topic-{width}px")

    page.get_by_label("Your answer").fill("Fixed it.")
    page.get_by_role("button", name="Get feedback").click()
    expect(feedback.get_by_text("2 words, about 1 second spoken")).to_be_visible()
    expect(feedback).not_to_contain_text("1 seconds")
    shots.take(f"one-second-{width}px")
