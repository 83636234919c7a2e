"""An admin answers a candidate's data request and turns on two-factor sign-in, in Chromium."""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import Page, expect

from secondround.hiring.models import Candidate
from tests.browser.conftest import Shots, assert_accessible
from tests.browser.test_hiring_manager_flow import log_in
from tests.demo_cache import load_demo

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_admin_exports_then_erases_a_candidate_and_sets_up_two_factor(
    page: Page, shots: Shots
) -> None:
    load_demo()
    log_in(page, "admin@kestrel.example")
    page.goto("/candidates/")
    page.get_by_role("link", name="Nora Berg").click()
    page.get_by_role("link", name="Personal data (export, erase)").click()
    expect(page.get_by_role("heading", name="Personal data of Nora Berg")).to_be_visible()
    assert_accessible(page)
    shots.take("candidate-data")

    with page.expect_download() as download:
        page.get_by_role("button", name="Download all their data (JSON)").click()
    exported = json.loads(download.value.path().read_text(encoding="utf-8"))
    assert exported["candidate"]["full_name"] == "Nora Berg"

    page.get_by_label("Type the candidate's full name to confirm").fill("Nora B.")
    page.get_by_role("button", name="Erase their personal data").click()
    expect(
        page.get_by_text("That is not the candidate's name; nothing was erased.")
    ).to_be_visible()
    shots.take("erase-refused")
    page.get_by_label("Type the candidate's full name to confirm").fill("Nora Berg")
    page.get_by_role("button", name="Erase their personal data").click()
    expect(page.get_by_text("Erased on")).to_be_visible()
    assert not Candidate.objects.filter(full_name="Nora Berg").exists()
    shots.take("erased")

    page.get_by_role("link", name="Audit log").click()
    expect(page.get_by_role("cell", name="Erased a candidate's data")).to_be_visible()
    expect(page.get_by_role("cell", name="Exported a candidate's data")).to_be_visible()
    assert_accessible(page)
    shots.take("audit-log")

    page.get_by_role("link", name="Security").click()
    page.get_by_role("link", name="Your own two-factor sign-in").click()
    page.get_by_role("button", name="Set up an authenticator app").click()
    expect(page.get_by_role("img", name="QR code of your authenticator key")).to_be_visible()
    assert_accessible(page)
    shots.take("two-factor-setup")

    page.set_viewport_size({"width": 390, "height": 844})
    shots.take("two-factor-setup-phone")
    page.goto("/settings/privacy/")
    expect(page.get_by_role("heading", name="Data retention")).to_be_visible()
    assert_accessible(page)
    shots.take("retention-phone")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
