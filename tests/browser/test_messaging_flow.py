"""The recruiter's side of messages, clicked through in Chromium: the overdue finalist on the
home page, the outbox and a message, the template editor with its preview and refusal, and the
messages card on the application page. Screenshots at desktop and 390 px, axe on each page."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Page, expect

from secondround.bookings.selectors import booked_sessions, candidate_zone
from secondround.hiring.models import Application
from secondround.messaging.models import MessageTemplate
from tests.browser.conftest import Shots
from tests.browser.test_users_flow import both_widths, log_in
from tests.demo_cache import load_demo

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def aisha_booked_loop() -> list[str]:
    """Aisha's booked sessions as her schedule confirmation lists them (her zone, the title)."""
    application = Application.objects.get(
        candidate__full_name="Aisha Bello", position__title="Senior software engineer"
    )
    zone = ZoneInfo(candidate_zone(application))
    sessions = booked_sessions(application)
    assert sessions
    lines = []
    for session in sessions:
        starts, ends = session.starts_at.astimezone(zone), session.ends_at.astimezone(zone)
        lines.append(f"{starts:%a %d %b %H:%M}–{ends:%H:%M} ({zone.key}) {session.session.title}")
    return lines


def test_recruiter_sees_the_overdue_finalist_the_outbox_and_edits_a_template(
    page: Page, shots: Shots
) -> None:
    load_demo()
    log_in(page, "rita@kestrel.example")
    owed = page.locator("#owed-decisions")
    expect(owed).to_contain_text("Jordan Ellis")
    expect(owed).to_contain_text("Past the promised date")
    expect(owed.locator("tbody tr")).to_have_count(1)
    both_widths(page, shots, "home-owed")

    page.get_by_role("link", name="Messages", exact=True).click()
    outbox = page.locator("#outbox")
    expect(outbox).to_contain_text("Your second interview for Senior software engineer")
    expect(outbox).to_contain_text("One more conversation")
    both_widths(page, shots, "outbox")

    # Aisha's confirmation (Lena, decided since, has one from her earlier loop too).
    aisha_row = outbox.locator("tr", has_text="Aisha Bello")
    aisha_row.get_by_role("link", name="is confirmed").click()
    expect(page.locator("#message-state")).to_have_text("Sent")
    for line in aisha_booked_loop():  # the confirmation is her real loop, in her zone
        expect(page.locator(".message-body")).to_contain_text(line)
    both_widths(page, shots, "message")

    page.goto("/messages/")
    page.get_by_role("link", name="Edit the message templates").click()
    page.get_by_role("link", name="Round-two invitation — Deutsch").click()
    body = page.get_by_label("Message")
    body.fill("Guten Tag {candidate_name},\n\nbitte {kandidat} hier: {portal_link}")
    page.get_by_role("button", name="Preview").click()
    expect(page.locator("#id_body_text_error")).to_contain_text("{kandidat}")
    page.get_by_label("Message").fill("Guten Tag {candidate_name},\n\nIhre Seite: {portal_link}")
    page.get_by_role("button", name="Preview").click()
    expect(page.locator("#preview")).to_contain_text("Guten Tag Alex Example")
    both_widths(page, shots, "template-preview")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Template saved.")).to_be_visible()
    assert MessageTemplate.objects.get(kind="invitation", language="de").body_text.startswith(
        "Guten Tag"
    )

    page.goto("/candidates/")
    page.get_by_role("link", name="Aisha Bello").first.click()
    card = page.locator("#messages")
    expect(card).to_contain_text("Promised a decision by")
    expect(card).to_contain_text("Your second interview on")
    card.get_by_label("Outcome").select_option("outcome_another_conversation")
    card.get_by_role("button", name="Send the outcome").click()
    expect(page.locator("#id_next_step_error")).to_contain_text("Say what happens next")
    both_widths(page, shots, "application-messages")
