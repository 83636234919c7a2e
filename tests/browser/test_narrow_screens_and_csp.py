"""The main pages as each role at 390 px: nothing scrolls sideways, nothing the CSP blocks.

Also the API docs (Swagger from this site) and a stale scorecard tab's autosave message.
"""

from __future__ import annotations

import pytest
from django.urls import reverse
from playwright.sync_api import Browser, ConsoleMessage, Page, expect

from secondround import demo
from secondround.accounts.models import Role
from secondround.hiring.models import Position
from secondround.loops.models import Seat
from secondround.prep import services as prep_services
from secondround.scorecards.models import Scorecard, ScorecardStatus
from secondround.scorecards.services import open_round_two_scorecard
from tests.browser.conftest import Shots, assert_accessible
from tests.demo_cache import load_demo
from tests.factories import UserFactory
from tests.prep.test_posting import BACKEND_POSTING

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 390, "height": 844}
# The innermost elements that reach past the right edge: what to fix when a page is too wide.
WIDEST_ELEMENTS = """() => {
  const clipped = (el) => { for (let a = el.parentElement; a; a = a.parentElement) {
    if (getComputedStyle(a).overflowX !== "visible") return true; } return false; };
  return Array.from(document.querySelectorAll("body *"))
  .filter(el => el.getBoundingClientRect().right > 391 && !clipped(el)
    && !Array.from(el.children).some(c => c.getBoundingClientRect().right > 391))
  .slice(0, 4).map(el => el.tagName.toLowerCase() + (el.className ? "." + el.className : "")
    + " " + Math.round(el.getBoundingClientRect().right)); }"""


def log_in(page: Page, email: str, password: str = demo.DEMO_PASSWORD) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("button", name="Log out")).to_be_attached()


def pages_by_role() -> dict[str, list[str]]:
    engineering = Position.objects.get(title="Senior software engineer")
    jordan = engineering.applications.get(candidate__full_name="Jordan Ellis")
    priya_seat = Seat.objects.filter(
        session__plan__position=engineering, interviewer__email="priya@kestrel.example"
    ).first()
    assert priya_seat is not None
    seeker = UserFactory(role=Role.JOB_SEEKER, email="robin@mail.example")
    kit, _key = prep_services.create_posting_kit(
        posting_text=BACKEND_POSTING, company_name="Lumen Pay", owner=seeker
    )
    position_pages = [
        reverse(name, args=[engineering.pk])
        for name in ("position", "position-edit", "round-two", "round-one-import", "debrief")
    ]
    return {
        "hana@kestrel.example": [
            "/", "/positions/", *position_pages, "/candidates/",
            reverse("application", args=[jordan.pk]),
            reverse("decision", args=[engineering.pk, jordan.pk]),
            reverse("prep-links", args=[jordan.pk]),
            "/questions/", "/scenarios/", "/company/", "/account/tokens/", "/kits/",
        ],
        "priya@kestrel.example": [
            "/", "/kits/", reverse("kit", args=[priya_seat.pk, jordan.pk]),
            reverse("scorecard-for-seat", args=[priya_seat.pk, jordan.pk]),
            reverse("application", args=[jordan.pk]), "/questions/",
        ],
        "robin@mail.example": [
            "/prep/", reverse("prep-kit", args=[kit.public_id]),
            reverse("prep-stories", args=[kit.public_id]),
            reverse("prep-ask", args=[kit.public_id]),
            reverse("prep-practice", args=[kit.public_id]),
        ],
    }  # fmt: skip


def test_main_pages_fit_a_phone_and_break_no_policy(browser: Browser, live_server: object) -> None:
    load_demo()
    problems: list[str] = []
    for email, urls in pages_by_role().items():
        context = browser.new_context(base_url=str(live_server), viewport=PHONE)
        page = context.new_page()
        page.set_default_timeout(10_000)
        blocked: list[str] = []

        def on_console(message: ConsoleMessage, seen: list[str] = blocked, p: Page = page) -> None:
            if "Content Security Policy" in message.text:
                seen.append(f"{p.url}: {message.text}")

        page.on("console", on_console)
        page.on("pageerror", lambda error, seen=blocked, p=page: seen.append(f"{p.url}: {error}"))  # type: ignore[misc]
        password = "correct-horse-battery-staple" if email.endswith("mail.example") else None
        log_in(page, email, password or demo.DEMO_PASSWORD)
        shots = Shots(page, f"phone-{email.split('@')[0]}")
        for url in urls:
            page.goto(url)
            page.wait_for_load_state("networkidle")
            width = page.evaluate("document.documentElement.scrollWidth")
            if width > PHONE["width"]:
                wide = page.evaluate(WIDEST_ELEMENTS)
                problems.append(f"{email} {url}: {width} px wide at 390 px, by {wide}")
            shots.take(url.strip("/").replace("/", "-") or "home")
        problems += [f"{email}: {text}" for text in blocked]
        context.close()
    assert not problems, "\n".join(problems)


def test_api_docs_render_without_the_internet(page: Page, shots: Shots) -> None:
    blocked: list[str] = []
    page.on("requestfailed", lambda request: blocked.append(request.url))
    page.on("console", lambda m: blocked.append(m.text) if "Security Policy" in m.text else None)
    page.goto("/api/v1/docs")
    expect(page.get_by_text("secondround API").first).to_be_visible()
    expect(page.locator(".opblock").first).to_be_visible()
    shots.take("api-docs-desktop")
    page.set_viewport_size(PHONE)
    shots.take("api-docs-phone")
    assert blocked == []


def test_a_stale_tab_is_told_its_edits_were_not_saved(page: Page, shots: Shots) -> None:
    load_demo()
    engineering = Position.objects.get(title="Senior software engineer")
    submitted = Scorecard.objects.filter(
        round=Scorecard.Round.TWO, status=ScorecardStatus.SUBMITTED
    )
    seat = next(
        s
        for s in Seat.objects.filter(session__plan__position=engineering).exclude(
            session__competency_kinds=[]
        )
        if not submitted.filter(interviewer=s.interviewer).exists()
    )
    jordan = engineering.applications.get(candidate__full_name="Jordan Ellis")
    card = open_round_two_scorecard(actor=seat.interviewer, seat=seat, application=jordan)
    log_in(page, seat.interviewer.email)
    page.goto(reverse("scorecard", args=[card.pk]))
    first_notes = page.get_by_label("Evidence: what the candidate said or did").first
    first_notes.fill("Drew the queue and the retries.")
    expect(page.locator("#saved")).to_contain_text("Draft saved")
    # Meanwhile, in another tab, the scorecard is submitted.
    Scorecard.objects.filter(pk=card.pk).update(status=ScorecardStatus.SUBMITTED)
    first_notes.fill("Drew the queue, the retries and the idempotency keys.")
    alert = page.locator("#saved[role=alert]")
    expect(alert).to_contain_text("Your latest edits were not saved.")
    expect(alert).to_contain_text("Submitted: changes now need a reason.")
    assert_accessible(page)
    shots.take("stale-tab-desktop")
    page.set_viewport_size(PHONE)
    shots.take("stale-tab-phone")
