"""The feedback letter and the survey in Chromium: the hiring manager edits and approves the
letter; the candidate reads it (and its PDF) and answers the survey on their private link;
an admin reads the results. Desktop and 390 px, axe, no sideways scrolling, no CSP report."""

from __future__ import annotations

import pytest
from django.urls import reverse
from playwright.sync_api import ConsoleMessage, Page, expect

from secondround.accounts.models import User
from secondround.hiring.models import Position
from secondround.surveys.models import STATEMENT_KEYS
from secondround.surveys.services import submit_survey
from tests.browser.conftest import Shots, assert_accessible
from tests.factories import PASSWORD, make_finalist, submit_round_two
from tests.feedback.helpers import (
    HIDDEN_NOTE,
    RATER_NAMES,
    SHARED_STRONGER,
    SHARED_WELL,
    decide,
    finalist_with_evidence,
    letter_token,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


def log_in(page: Page, email: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("button", name="Log out")).to_be_attached()


def watch_csp(page: Page) -> list[str]:
    blocked: list[str] = []

    def on_console(message: ConsoleMessage) -> None:
        if "Content Security Policy" in message.text:
            blocked.append(message.text)

    page.on("console", on_console)
    return blocked


def both_widths(page: Page, shots: Shots, name: str) -> None:
    """Screenshots at desktop and phone width; at 390 px nothing may scroll sideways."""
    page.set_viewport_size(DESKTOP)
    shots.take(f"{name}-desktop")
    page.set_viewport_size(PHONE)
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 390, f"{name} scrolls sideways at 390 px ({width} px)"
    assert_accessible(page)
    shots.take(f"{name}-390")
    page.set_viewport_size(DESKTOP)


def test_the_manager_edits_and_approves_the_letter_and_the_candidate_reads_it(
    page: Page, shots: Shots, position: Position, manager: User
) -> None:
    blocked = watch_csp(page)
    finalist = finalist_with_evidence(position)
    application = finalist.application
    first, second = list(position.competencies.all())[:2]

    log_in(page, manager.email)
    page.goto(reverse("application", args=[application.pk]))
    page.get_by_role("link", name="Feedback letter").click()
    expect(page.get_by_role("heading", name="Feedback letter: Casey Candidate")).to_be_visible()
    expect(page.get_by_text("Not approved yet: the candidate sees nothing.")).to_be_visible()
    group = page.get_by_role("group", name=first.name)
    expect(group.get_by_label("What went well")).to_have_value(SHARED_WELL)
    stronger = page.get_by_role("group", name=second.name).get_by_label(
        "What would have made it stronger"
    )
    expect(stronger).to_have_value(SHARED_STRONGER)
    body = page.content()
    assert HIDDEN_NOTE[:20] not in body and RATER_NAMES[0] not in body
    assert_accessible(page)
    both_widths(page, shots, "letter-editor-draft")

    group.get_by_label("What went well").fill(SHARED_WELL + " Your diagram was easy to follow.")
    page.get_by_role("button", name="Approve and share with the candidate").click()
    expect(page.get_by_role("alert")).to_contain_text("Record the decision first")
    shots.take("letter-editor-refused-before-decision")

    decide(application)
    page.get_by_role("button", name="Approve and share with the candidate").click()
    expect(page.get_by_text("Letter approved: the candidate can read it now")).to_be_visible()
    expect(page.get_by_text("Version 1 approved")).to_be_visible()
    both_widths(page, shots, "letter-editor-approved")

    page.get_by_role("button", name="Log out").click()
    page.goto(reverse("feedback-letter-candidate", args=[finalist.token]))
    # The letter's mail carries a new link that replaced the earlier one (one live link).
    expect(page.get_by_role("heading", name="This link is no longer active")).to_be_visible()
    page.goto(reverse("feedback-letter-candidate", args=[letter_token(application)]))
    letter = page.get_by_role("article")
    expect(letter.get_by_role("heading", name=first.name)).to_be_visible()
    expect(letter).to_contain_text("Your diagram was easy to follow.")
    expect(letter).to_contain_text(SHARED_STRONGER)
    assert_accessible(page)
    both_widths(page, shots, "candidate-letter")
    pdf = page.request.get(page.get_by_role("link", name="Download as PDF").get_attribute("href"))
    assert pdf.ok and pdf.body().startswith(b"%PDF")
    assert blocked == []


def _answer(application: object, value: int) -> None:
    submit_survey(
        application=application,  # type: ignore[arg-type]
        moment="after_loop",
        answers=dict.fromkeys(STATEMENT_KEYS, value),
        recommend=value * 2,
        comment="",
    )


def test_the_candidate_answers_the_survey_and_an_admin_reads_the_results(
    page: Page, shots: Shots, position: Position, admin_user: User
) -> None:
    blocked = watch_csp(page)
    finalist = finalist_with_evidence(position)
    page.goto(reverse("survey-candidate", args=[finalist.token]))
    expect(page.get_by_role("heading", name="How did it go?")).to_be_visible()
    assert_accessible(page)
    both_widths(page, shots, "survey-empty")
    page.get_by_role("button", name="Send my answers").click()
    expect(page.get_by_role("alert").first).to_be_visible()  # every answer is needed
    shots.take("survey-refused")
    for fieldset in page.locator("fieldset.scale:not(.recommend)").all():
        fieldset.get_by_label("Agree", exact=True).check()
    page.get_by_role("group", name="How likely are you to recommend").get_by_label(
        "9", exact=True
    ).check()
    page.get_by_label("Anything else you would like to tell us? (optional)").fill(
        "Friendly and well organised."
    )
    page.get_by_role("button", name="Send my answers").click()
    expect(page.get_by_text("Thank you: your answers are saved.")).to_be_visible()
    expect(page.get_by_text("Sending the form again replaces those answers.")).to_be_visible()
    both_widths(page, shots, "survey-answered")

    for number in range(4):  # four more candidates: the position reaches five
        application = make_finalist(position, name=f"Finalist {number}")
        submit_round_two(application, finalist.raters[0], {})
        _answer(application, 3 + number % 3)
    decide(finalist.application)
    log_in(page, admin_user.email)
    page.goto(reverse("surveys"))
    expect(page.get_by_role("link", name=position.title)).to_be_visible()
    assert_accessible(page)
    both_widths(page, shots, "survey-overview")
    page.get_by_role("link", name=position.title).click()
    table = page.get_by_role("table", name=f"{position.title} · 5 responses")
    expect(table.get_by_role("row", name="I was treated with respect.")).to_be_visible()
    expect(page.get_by_text(f"{RATER_NAMES[1]}: fewer than 5 responses")).to_be_visible()
    assert_accessible(page)
    both_widths(page, shots, "survey-results")
    assert blocked == []
