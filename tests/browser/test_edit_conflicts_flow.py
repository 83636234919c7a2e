"""Two people on one feedback letter in Chromium: the later save is refused naming who saved,
the typed text stays in the box, and saving again replaces theirs. Desktop and 390 px, axe."""

from __future__ import annotations

import pytest
from django.urls import reverse
from playwright.sync_api import Browser, Page, expect

from secondround.accounts.models import Role, User
from secondround.feedback.models import FeedbackLetter
from secondround.hiring.models import Position
from tests.browser.conftest import Shots
from tests.browser.test_feedback_and_survey_flow import both_widths, log_in, watch_csp
from tests.factories import UserFactory
from tests.feedback.helpers import finalist_with_evidence

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_save_over_a_colleagues_newer_draft_is_refused_then_saved_knowingly(
    page: Page, browser: Browser, live_server: object, shots: Shots, position: Position,
    manager: User,
) -> None:  # fmt: skip
    blocked = watch_csp(page)
    colleague = UserFactory(role=Role.ADMIN, full_name="Grace Admin")
    application = finalist_with_evidence(position).application
    url = reverse("feedback-letter-editor", args=[application.pk])
    log_in(page, manager.email)
    page.goto(url)
    opening = page.get_by_label("Opening")

    other = browser.new_context(base_url=str(live_server)).new_page()
    log_in(other, colleague.email)
    other.goto(url)
    other.get_by_label("Opening").fill("Dear Casey, thank you from Grace.")
    other.get_by_role("button", name="Save draft").click()
    expect(other.get_by_text("Draft saved.")).to_be_visible()

    opening.fill("Dear Casey, thank you from Hana.")
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_role("alert")).to_contain_text("Grace Admin changed this")
    expect(opening).to_have_value("Dear Casey, thank you from Hana.")  # nothing typed is lost
    assert FeedbackLetter.objects.get().opening == "Dear Casey, thank you from Grace."
    both_widths(page, shots, "letter-refused")

    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_text("Draft saved.")).to_be_visible()
    expect(opening).to_have_value("Dear Casey, thank you from Hana.")
    assert FeedbackLetter.objects.get().opening == "Dear Casey, thank you from Hana."
    other.context.close()
    assert blocked == []


def test_two_tabs_on_one_position_the_refusal_says_you_and_keeps_the_stored_heading(
    page: Page, browser: Browser, live_server: object, shots: Shots, position: Position,
    manager: User,
) -> None:  # fmt: skip
    """Trial r8, staff #6: the same person's other tab, a no-op save, the heading."""
    blocked = watch_csp(page)
    url = reverse("position-edit", args=[position.pk])
    stored = position.title
    log_in(page, manager.email)
    page.goto(url)
    other = page.context.new_page()  # the same person, another tab
    other.goto(url)
    other.get_by_role("button", name="Save").click()  # changes nothing: no clash for anyone
    other.goto(url)
    other.get_by_label("Title").fill("Staff engineer")
    other.get_by_role("button", name="Save").click()
    expect(other.get_by_text("Position saved.")).to_be_visible()

    page.get_by_label("Title").fill("Principal engineer")
    page.get_by_role("button", name="Save").click()
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("You changed this in another tab at")
    expect(alert).to_contain_text("everything on this page")
    expect(page.get_by_role("heading", level=1)).to_have_text("Edit Staff engineer")
    expect(page.get_by_label("Title")).to_have_value("Principal engineer")
    assert stored != "Staff engineer"
    both_widths(page, shots, "position-refused-other-tab")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Position saved.")).to_be_visible()
    position.refresh_from_db()
    assert position.title == "Principal engineer"
    assert blocked == []
