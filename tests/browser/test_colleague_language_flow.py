"""A colleague chooses German on their account page in Chromium: the page, its message and the
next pages speak it; choosing the organisation default brings English back."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from secondround.accounts.models import User
from tests.browser.conftest import Shots
from tests.browser.test_users_flow import both_widths, log_in
from tests.demo_cache import load_demo

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_colleague_sets_their_language_on_the_account_page(page: Page, shots: Shots) -> None:
    load_demo()
    log_in(page, "priya@kestrel.example")
    page.get_by_role("link", name="Account", exact=True).click()
    expect(page.get_by_role("heading", name="Your account")).to_be_visible()
    language = page.get_by_label("Language of your mails and pages")
    expect(language).to_have_value("")  # the organisation's, until they choose
    both_widths(page, shots, "account")

    language.select_option(label="Deutsch")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Gespeichert: Ihre E-Mails und Seiten")).to_be_visible()
    expect(page.get_by_role("heading", name="Ihr Konto")).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "de")
    assert User.objects.get(email="priya@kestrel.example").language == "de"
    both_widths(page, shots, "account-german")

    page.get_by_label("Sprache Ihrer E-Mails und Seiten").select_option(value="")
    page.locator("main form button[type=submit]").click()
    expect(page.get_by_role("heading", name="Your account")).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    assert User.objects.get(email="priya@kestrel.example").language == ""
