"""Trial r8, staff #8, in Chromium: a letter's Opening filled to its maxlength with line breaks
(the browser counts each as one character, and posts it as two) is saved, not refused."""

from __future__ import annotations

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from secondround.accounts.models import User
from secondround.feedback.models import LETTER_TEXT_MAX, FeedbackLetter
from secondround.hiring.models import Position
from tests.browser.conftest import Shots
from tests.browser.test_feedback_and_survey_flow import both_widths, log_in, watch_csp
from tests.feedback.helpers import finalist_with_evidence

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_letter_filled_to_its_maxlength_with_line_breaks_is_saved(
    page: Page, shots: Shots, position: Position, manager: User
) -> None:
    blocked = watch_csp(page)
    application = finalist_with_evidence(position).application
    log_in(page, manager.email)
    page.goto(reverse("feedback-letter-editor", args=[application.pk]))
    opening = page.get_by_label("Opening")
    assert opening.get_attribute("maxlength") == str(LETTER_TEXT_MAX)
    paragraph = "Thank you for the afternoon with us. " + "x" * 61  # 98 characters
    text = "\n".join([paragraph] * 50)  # 49 line breaks
    text += "y" * (LETTER_TEXT_MAX - len(text))
    assert len(text) == LETTER_TEXT_MAX
    opening.fill(text)
    assert opening.evaluate("box => box.value.length") == LETTER_TEXT_MAX  # what the browser allows
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_text("Draft saved.")).to_be_visible()
    stored = FeedbackLetter.objects.get().opening
    assert "\r" not in stored and stored.count("\n") == 49 and len(stored) == LETTER_TEXT_MAX
    both_widths(page, shots, "letter-saved-with-line-breaks")
    assert blocked == []
