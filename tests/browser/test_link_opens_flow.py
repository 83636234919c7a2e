"""In Chromium: a link preview counts no open, the candidate's page counts one, a reload none."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page, Response, expect

from secondround import demo
from secondround.accounts.models import User
from secondround.hiring.models import Application
from secondround.prep import services
from secondround.prep.models import InviteLink
from tests.browser.conftest import Shots, assert_accessible
from tests.demo_cache import load_demo

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def is_open_report(response: Response) -> bool:
    return response.request.method == "POST" and response.url.endswith("/opened/")


def times_opened(link: InviteLink) -> int:
    link.refresh_from_db()
    return link.times_opened


def test_the_candidate_opening_the_page_counts_once(
    page: Page, shots: Shots, browser: Browser, live_server: object
) -> None:
    load_demo()
    jordan = Application.objects.get(candidate__full_name="Jordan Ellis")
    rita = User.objects.get(email="rita@kestrel.example")
    link, token = services.create_invite_link(actor=rita, application=jordan)
    url = f"{live_server}/prep/i/{token}/"

    # A chat app's preview: fetches the link and follows the redirect, runs no script.
    preview = browser.new_context(java_script_enabled=False)
    try:
        bot = preview.new_page()
        bot.goto(url)
        expect(bot.get_by_role("heading", name="Senior software engineer", level=1)).to_be_visible()
        assert preview.request.get(url).status == 200
    finally:
        preview.close()
    assert times_opened(link) == 0

    candidate = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        tab = candidate.new_page()
        with tab.expect_response(is_open_report) as reported:
            tab.goto(url)
        assert reported.value.status == 204
        expect(tab.get_by_role("heading", name="Senior software engineer", level=1)).to_be_visible()
        assert times_opened(link) == 1
        with tab.expect_response(is_open_report) as reported_again:
            tab.reload()
        assert reported_again.value.status == 204
        assert times_opened(link) == 1  # the same visit
        tab.get_by_role("link", name="Open your preparation kit").click()
        expect(tab.get_by_role("heading", name="Senior software engineer", level=1)).to_be_visible()
        assert times_opened(link) == 1  # the kit button passes through the link: no open
    finally:
        candidate.close()

    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(rita.email)
    page.get_by_label("Password").fill(demo.DEMO_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.goto(f"/applications/{jordan.pk}/prep-links/")
    row = page.get_by_role("row").filter(has_text=link.prefix)
    expect(row).to_contain_text("(1×)")
    assert_accessible(page)
    shots.take("links-one-open")
    page.set_viewport_size({"width": 390, "height": 844})
    expect(row).to_contain_text("(1×)")
    assert_accessible(page)
    shots.take("links-one-open-390")
    revoke = row.get_by_role("button", name="Revoke")
    revoke.scroll_into_view_if_needed()  # the table scrolls sideways on a phone
    expect(revoke).to_be_in_viewport()
    shots.take("links-one-open-390-scrolled")
