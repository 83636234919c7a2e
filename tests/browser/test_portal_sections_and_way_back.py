"""The candidate's portal in Chromium after the new-user trials: the feedback letter and the
survey are on it once they apply, every page reached from the private link leads back to it
(the logo and "Your page"), a bad time zone is named next to its field, and questions sent to
the team stay on the kit's list. Desktop and 390 px, axe, no sideways scrolling."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from secondround.accounts.models import User
from secondround.hiring.models import Position
from secondround.portal.selectors import shared_questions
from secondround.prep import demo as prep_demo
from tests.browser.conftest import Shots, assert_accessible
from tests.browser.test_feedback_and_survey_flow import both_widths as screenshots_at_both_widths
from tests.browser.test_portal_flow import aisha
from tests.demo_cache import load_demo
from tests.feedback.helpers import (
    SHARED_WELL,
    approve_drafted_letter,
    decide,
    finalist_with_evidence,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def both_widths(page: Page, shots: Shots, name: str) -> None:
    """The feedback flow's two widths, with axe at desktop width too."""
    assert_accessible(page)
    screenshots_at_both_widths(page, shots, name)


def test_the_letter_and_survey_are_on_the_portal_and_every_page_leads_back(
    page: Page, shots: Shots, position: Position, manager: User
) -> None:
    finalist = finalist_with_evidence(position)
    application = finalist.application
    decide(application)
    token = approve_drafted_letter(manager, application)  # the letter's mail: the live link
    portal = reverse("portal", args=[token])

    page.goto(reverse("prep-invitation", args=[token]))
    assert page.url.endswith(portal)
    letter = page.get_by_role("region", name="Your feedback letter")
    survey = page.get_by_role("region", name="Tell us how it went")
    expect(letter.get_by_role("link", name="Read your feedback letter")).to_be_visible()
    expect(survey.get_by_role("link", name="Answer the survey")).to_be_visible()
    both_widths(page, shots, "portal-with-letter-and-survey")

    letter.get_by_role("link", name="Read your feedback letter").click()
    expect(page.get_by_role("article")).to_contain_text(SHARED_WELL[:30])
    both_widths(page, shots, "letter-with-way-back")
    page.get_by_role("link", name="Your page").click()
    assert page.url.endswith(portal)

    page.get_by_role("link", name="Answer the survey").click()
    expect(page.get_by_role("heading", name="How did it go?")).to_be_visible()
    both_widths(page, shots, "survey-with-way-back")
    page.get_by_role("link", name="secondround").click()  # the logo: their page, not a login
    assert page.url.endswith(portal)
    expect(page.get_by_role("region", name="Your feedback letter")).to_be_visible()


def test_a_bad_zone_is_named_and_a_sent_question_stays_in_the_kit(page: Page, shots: Shots) -> None:
    load_demo()
    token = prep_demo.DEMO_LINK_TOKEN
    page.goto(reverse("prep-invitation", args=[token]))
    # A zone no list offers (a stale page, a hand-made request): the select is given one.
    page.evaluate(
        """() => { const s = document.querySelector('#id_time_zone');
                   s.add(new Option('Mars/Olympus', 'Mars/Olympus')); s.value = 'Mars/Olympus'; }"""
    )
    page.get_by_role("button", name="Apply").click()
    error = page.locator("#id_time_zone_error")
    expect(error).to_be_visible()
    expect(error).to_contain_text("Mars/Olympus")
    both_widths(page, shots, "portal-bad-zone")

    page.get_by_label("Your time zone").select_option("Asia/Tokyo")
    page.get_by_role("button", name="Apply").click()
    expect(page.get_by_text("Times are in Asia/Tokyo.")).to_be_visible()
    page.goto(reverse("candidate-schedule", args=[token]))
    expect(page.get_by_text("All times are shown in your time zone, Asia/Tokyo.")).to_be_visible()
    both_widths(page, shots, "schedule-in-the-portals-zone")

    page.get_by_role("link", name="Your page").click()
    page.get_by_role("link", name="Open your preparation kit").click()
    page.get_by_role("link", name="Questions to ask").click()
    mine = page.get_by_role("region", name="My questions")
    sent = list(shared_questions(aisha()))
    assert len(sent) == 2
    expect(mine.get_by_text("Sent to the hiring team")).to_have_count(2)
    expect(mine.get_by_role("button", name=re.compile("^Remove"))).to_have_count(0)
    mine.get_by_label("Your question").fill("What would my first project be?")
    mine.get_by_role("button", name="Add my question").click()
    remove = mine.get_by_role("button", name=re.compile("^Remove"))
    expect(remove).to_have_count(1)  # only the private one
    expect(remove).to_contain_text("What would my first project be?")
    both_widths(page, shots, "kit-questions-sent-stay")
    remove.click()
    expect(remove).to_have_count(0)
    expect(mine.get_by_text("Sent to the hiring team")).to_have_count(2)
    page.get_by_role("link", name="secondround").click()
    assert page.url.endswith(reverse("portal", args=[token]))
