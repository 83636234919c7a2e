"""An admin invites a colleague, changes their role, deactivates and reactivates them; the
colleague sets a password from the emailed link and is signed in. Clicked through in Chromium."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from secondround import demo
from secondround.accounts.models import Role, User
from tests.browser.conftest import Shots, assert_accessible
from tests.conftest import Inbox, body_of
from tests.demo_cache import load_demo

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


def log_in(page: Page, email: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(demo.DEMO_PASSWORD)
    page.get_by_role("button", name="Log in").click()


def both_widths(page: Page, shots: Shots, name: str) -> None:
    assert_accessible(page)
    shots.take(f"{name}-desktop")
    page.set_viewport_size(PHONE)
    no_sideways_scroll = page.evaluate(
        "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    )
    assert no_sideways_scroll, f"{name} scrolls sideways at 390 px"
    shots.take(f"{name}-390")
    page.set_viewport_size(DESKTOP)


def test_admin_invites_changes_deactivates_and_reactivates_a_colleague(
    page: Page,
    shots: Shots,
    smtp: Inbox,
) -> None:
    load_demo()
    log_in(page, "admin@kestrel.example")
    page.get_by_role("link", name="Users").click()
    expect(page.get_by_role("heading", name="Users", exact=True)).to_be_visible()
    expect(page.locator("#users")).not_to_contain_text("robin@seeker.example")
    both_widths(page, shots, "users")

    page.get_by_label("Work email").fill("lea.roux@kestrel.example")
    page.get_by_label("Full name").fill("Léa Roux")
    page.get_by_label("Role").select_option(label="Interviewer")
    page.get_by_label("Department").select_option(label="Clinical Operations")
    page.get_by_label("Job title").fill("Staff nurse")
    page.get_by_role("button", name="Send invitation").click()
    expect(page.get_by_text("Invitation sent to lea.roux@kestrel.example")).to_be_visible()
    invited = User.objects.get(email="lea.roux@kestrel.example")
    row = page.locator(f"#user-{invited.pk}")
    expect(row).to_contain_text("Invited")
    both_widths(page, shots, "invited")

    row.get_by_role("link", name="Léa Roux").click()
    page.get_by_label("Role").select_option(label="Recruiter")
    page.get_by_label("Department").select_option(label="People")
    both_widths(page, shots, "edit")
    page.get_by_role("button", name="Save").click()
    expect(row).to_contain_text("Recruiter")
    expect(row).to_contain_text("People")
    invited.refresh_from_db()
    assert invited.role == Role.RECRUITER

    row.get_by_role("button", name="Deactivate").click()
    expect(row).to_contain_text("Deactivated")
    assert not User.objects.get(pk=invited.pk).is_active
    both_widths(page, shots, "deactivated")
    row.get_by_role("button", name="Reactivate").click()
    expect(row).to_contain_text("Invited")
    assert User.objects.get(pk=invited.pk).is_active

    link = re.search(r"https?://[^/\s]+(/accounts/invitation/\S+)", body_of(smtp.messages[-1]))
    assert link is not None
    page.get_by_role("button", name=re.compile("Log out")).click()
    page.goto(link.group(1))
    expect(page.get_by_role("heading", name="Welcome to secondround")).to_be_visible()
    both_widths(page, shots, "invitation")
    page.locator("#id_new_password1").fill("a-long-enough-passphrase-77")
    page.locator("#id_new_password2").fill("a-long-enough-passphrase-77")
    page.get_by_role("button", name="Set password and sign in").click()
    expect(page.get_by_text("your password is set")).to_be_visible()
    expect(page.get_by_role("button", name="Log out Léa")).to_be_visible()
    both_widths(page, shots, "signed-in")


def test_position_edit_offers_colleagues_only_and_the_scenario_setting(
    page: Page, shots: Shots
) -> None:
    load_demo()
    from secondround.hiring.models import Position

    engineering = Position.objects.get(title="Senior software engineer")
    log_in(page, "hana@kestrel.example")
    page.goto(f"/positions/{engineering.pk}/edit/")
    recruiters = page.get_by_label("Recruiters")
    expect(
        recruiters.locator("option", has_text="Inês Costa (Interviewer, Clinical Operations)")
    ).to_have_count(1)
    expect(page.locator("option", has_text="Robin")).to_have_count(0)
    expect(page.locator("option", has_text="seeker.example")).to_have_count(0)
    setting = page.get_by_label("share the scenario brief with finalists in advance")
    expect(setting).not_to_be_checked()
    setting.check()
    both_widths(page, shots, "position-edit")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Position saved.")).to_be_visible()
    engineering.refresh_from_db()
    assert engineering.share_scenario_brief
