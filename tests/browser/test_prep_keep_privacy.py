"""In Chromium: "Keep your work" with a staff address answers neutrally and keeps nothing."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from playwright.sync_api import Page, expect

from secondround.accounts.models import Role, User
from secondround.prep.services import KEEP_REFUSED
from tests.browser.conftest import Shots, assert_accessible
from tests.browser.test_prep_flow import paste_posting
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("width", [1280, 390])
def test_a_staff_address_is_neither_confirmed_nor_taken(
    page: Page, shots: Shots, width: int
) -> None:
    cache.clear()
    UserFactory(email="hana@acme.example", role=Role.HIRING_MANAGER)
    page.set_viewport_size({"width": width, "height": 900})
    paste_posting(page)
    page.get_by_role("link", name="Keep your work").click()
    page.get_by_label("Your name").fill("Someone Curious")
    page.get_by_label("Email").fill("hana@acme.example")
    page.get_by_label("Password").fill("a-long-pass-phrase")
    page.get_by_role("button", name="Create account and keep my work").click()
    expect(page.get_by_text(str(KEEP_REFUSED))).to_be_visible()
    expect(page.get_by_text("already exists")).to_have_count(0)
    expect(page.get_by_role("link", name="Log in")).to_be_visible()
    assert_accessible(page)
    shots.take(f"keep-neutral-{width}")
    assert User.objects.filter(email="hana@acme.example").count() == 1
    assert not User.objects.filter(role=Role.JOB_SEEKER).exists()
