"""The outcome and invitation on the application page, clicked through in Chromium (staff trial
#2 and #11): no outcome is chosen for you, the card says which one went out, a contradicting one
needs a correction with a reason, and inviting again says it replaced the old link.
Screenshots at desktop and 390 px, axe on each."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from secondround.hiring.models import Application
from secondround.messaging.models import Message, MessageKind
from tests.browser.conftest import Shots
from tests.browser.test_users_flow import both_widths, log_in
from tests.demo_cache import load_demo
from tests.factories import record_hire

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_outcome_is_chosen_on_purpose_and_corrected_only_with_a_reason(
    page: Page, shots: Shots
) -> None:
    load_demo()
    aisha = Application.objects.get(candidate__full_name="Aisha Bello")
    outcomes = Message.objects.filter(application=aisha, kind__startswith="outcome_")
    log_in(page, "rita@kestrel.example")
    page.goto(f"/applications/{aisha.pk}/")
    card = page.locator("#messages")
    picker = card.get_by_label("Outcome")
    expect(picker).to_have_value("")
    card.get_by_role("button", name="Send the outcome").click()  # the browser asks for a choice
    assert picker.evaluate("el => el.validity.valueMissing")
    assert not outcomes.exists()
    expect(card.get_by_label("Correction: why the candidate is now told otherwise")).to_have_count(
        0
    )

    # No hire decision yet (r9 #1): the picker has no offer and says why.
    expect(picker.locator(f"option[value={MessageKind.OUTCOME_OFFER}]")).to_have_count(0)
    expect(card.locator("#outcome-needs-decision")).to_contain_text("needs a hire decision")
    both_widths(page, shots, "outcome-needs-decision")
    picker.select_option(MessageKind.OUTCOME_NOT_THIS_TIME)
    card.get_by_role("button", name="Send the outcome").click()
    expect(page.locator("#outcome-sent")).to_contain_text("Outcome: not this time")
    both_widths(page, shots, "outcome-sent")
    invite = page.get_by_role("button", name="Send the round-two invitation")
    invite.click()
    expect(page.get_by_text("Invitation queued")).to_be_visible()
    expect(page.locator("#invited-already")).to_contain_text("replaces the link sent before")
    page.get_by_role("button", name="Send the round-two invitation").click()
    expect(page.get_by_text("which no longer work")).to_be_visible()
    both_widths(page, shots, "invitation-replaced")

    record_hire(aisha)  # the team changes its mind in the debrief
    page.reload()

    card = page.locator("#messages")
    card.get_by_label("Outcome").select_option(MessageKind.OUTCOME_OFFER)
    card.get_by_label("Next step for the candidate").fill("Offer call on Monday")
    card.get_by_role("button", name="Send the outcome").click()
    expect(page.locator("li.error")).to_contain_text("send it only as a correction")
    assert outcomes.count() == 1
    both_widths(page, shots, "outcome-correction-refused")

    card = page.locator("#messages")
    card.get_by_label("Outcome").select_option(MessageKind.OUTCOME_OFFER)
    card.get_by_label("Next step for the candidate").fill("Offer call on Monday")
    card.get_by_label("Correction: why the candidate is now told otherwise").fill(
        "The rejection went to the wrong finalist."
    )
    card.get_by_role("button", name="Send the outcome").click()
    sent = page.locator("#outcome-sent")
    expect(sent).to_contain_text("Outcome: offer")
    expect(sent).to_contain_text("The rejection went to the wrong finalist.")
    assert outcomes.count() == 2
