"""The candidate's side in Chromium: a job seeker's kit, stories, practice; an invited finalist."""

from __future__ import annotations

import re
from datetime import timedelta
from html import unescape

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from secondround import demo
from secondround.accounts.models import User
from secondround.hiring.models import Application
from secondround.loops.models import SessionQuestion
from secondround.prep import services
from secondround.prep.models import InviteLink
from tests.browser.conftest import Shots, assert_accessible
from tests.demo_cache import load_demo
from tests.prep.test_kit import GOOD_ANSWER
from tests.prep.test_posting import BACKEND_POSTING

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

COMPANY_NOTES = (
    "Lumen Pay exists to make getting paid the easiest part of running a small business. "
    "They raised a Series B in March. Promotions follow a written career ladder."
)


def paste_posting(page: Page) -> None:
    page.goto("/prep/")
    page.get_by_label("Company name").fill("Lumen Pay")
    page.get_by_label("The job posting").fill(BACKEND_POSTING)
    page.get_by_label("What you know of the company (optional)").fill(COMPANY_NOTES)
    page.get_by_role("button", name="Build my kit").click()
    expect(page.get_by_role("heading", name="Senior Backend Engineer", level=1)).to_be_visible()


def write_story(page: Page, title: str, competency: str, *, kind: str) -> None:
    form = page.get_by_role("region", name="Write a story")
    form.get_by_label("Title").fill(title)
    form.get_by_label("Kind of story").select_option(label=kind)
    form.get_by_label("Situation").fill("At Acme, our checkout failed every Monday morning.")
    form.get_by_label("Task").fill("I had to find the cause before the next peak.")
    form.get_by_label("Action").fill(
        "I reproduced the load, read the slow-query log and added an index."
    )
    form.get_by_label("Result").fill("p95 latency fell from 900 to 120 ms; no timeouts since.")
    form.get_by_label("What I learned").fill("Reproduce first, then change one thing at a time.")
    form.get_by_label(competency).check()
    form.get_by_role("button", name="Save story").click()
    expect(page.get_by_role("status").filter(has_text=f"Story “{title}” saved.")).to_be_visible()


def coverage_status(page: Page, competency: str) -> str:
    row = (
        page.get_by_role("region", name="Coverage map")
        .get_by_role("row")
        .filter(has=page.get_by_role("rowheader", name=competency, exact=True))
    )
    return row.get_by_role("cell").last.inner_text().strip()


def test_job_seeker_pastes_a_posting_and_gets_a_kit(page: Page, shots: Shots) -> None:
    page.goto("/prep/")
    expect(page.get_by_role("heading", name="Prepare for your interview")).to_be_visible()
    assert_accessible(page)
    shots.take("start")

    paste_posting(page)
    expect(page.get_by_text("Your preparation kit is ready.")).to_be_visible()
    expect(page.get_by_text("Software engineer")).to_be_visible()  # the role family it matched
    role = page.get_by_role("region", name="Understanding the role")
    expect(role.get_by_text("Design, build and run the services")).to_be_visible()
    assessed = page.get_by_role("region", name="What will be assessed, and likely questions")
    expect(assessed.get_by_role("heading", name="System design")).to_be_visible()
    expect(assessed.get_by_text("What good looks like").first).to_be_visible()
    research = page.get_by_role("region", name="Research checklist")
    expect(research.get_by_text("Our mission is to make getting paid")).to_be_visible()
    assert_accessible(page)
    shots.take("kit")

    research.get_by_label("Done: Recent news to look up").check()
    research.get_by_label("Your notes: Recent news to look up").fill(
        "Series B in March: ask what it funds."
    )
    research.get_by_role("button", name="Save research notes").click()
    expect(research.get_by_role("status")).to_contain_text("Research notes saved.")
    page.reload()
    expect(page.get_by_label("Your notes: Recent news to look up")).to_have_value(
        "Series B in March: ask what it funds."
    )

    page.get_by_role("link", name="Questions to ask").click()
    suggestions = page.get_by_role("region", name="Suggestions for this role")
    expect(suggestions.locator("strong", has_text="What would success look like")).to_be_visible()
    # The company notes answer career progression and the posting's benefits answer
    # professional development: those are not suggested, they are listed as answered.
    expect(suggestions.get_by_text("how are promotions decided")).to_have_count(0)
    expect(suggestions.get_by_text("Already answered by the company")).to_be_visible()
    suggestions.get_by_role("button", name="What would success look like").click()
    mine = page.get_by_role("region", name="My questions")
    expect(mine.get_by_text("What would success look like")).to_be_visible()
    mine.get_by_label("Your question").fill("What does on-call look like in the first month?")
    mine.get_by_role("button", name="Add my question").click()
    expect(mine.get_by_role("listitem")).to_have_count(2)
    assert_accessible(page)
    shots.take("questions-to-ask")

    page.get_by_role("link", name="Keep your work").click()
    page.get_by_label("Your name").fill("Robin Vega")
    page.get_by_label("Email").fill("robin@mail.example")
    page.get_by_label("Password").fill("a-long-pass-phrase")
    assert_accessible(page)
    shots.take("keep-your-work")
    page.get_by_role("button", name="Create account and keep my work").click()
    expect(page.get_by_text("Account created. Your work is kept.")).to_be_visible()
    page.goto("/")
    expect(page.get_by_role("region", name="Your kits").get_by_role("link")).to_have_text(
        "Senior Backend Engineer"
    )
    shots.take("job-seeker-home")


def test_two_stories_change_the_coverage_map(page: Page, shots: Shots) -> None:
    paste_posting(page)
    page.get_by_role("link", name="Story bank").click()
    expect(page.get_by_role("heading", name="Story bank", level=1)).to_be_visible()
    assert coverage_status(page, "Debugging unclear problems") == "No story yet"
    assert coverage_status(page, "System design") == "No story yet"
    assert_accessible(page)
    shots.take("empty-story-bank")

    write_story(
        page, "Slow Monday checkouts", "Debugging unclear problems", kind="Challenge overcome"
    )
    assert coverage_status(page, "Debugging unclear problems") == "Covered"
    assert coverage_status(page, "System design") == "No story yet"
    shots.take("one-story")

    write_story(page, "Multi-tenant booking service", "System design", kind="Accomplishment")
    assert coverage_status(page, "System design") == "Covered"
    kinds = page.get_by_role("region", name="Coverage map")
    expect(kinds.get_by_text("Accomplishment: 1")).to_be_visible()
    stories = page.get_by_role("region", name="Your stories")
    expect(stories.get_by_role("heading", level=3)).to_have_count(2)
    assert_accessible(page)
    shots.take("two-stories")

    # Without JavaScript the same form works as a plain post and redirect.
    page.get_by_role("link", name="Edit Slow Monday checkouts").click()
    page.get_by_label("Result").fill("")
    page.get_by_role("button", name="Save story").click()
    assert coverage_status(page, "Debugging unclear problems") == "Unfinished"


def test_practising_an_answer_gives_feedback(page: Page, shots: Shots) -> None:
    paste_posting(page)
    assessed = page.get_by_role("region", name="What will be assessed, and likely questions")
    debugging = assessed.get_by_role("article", name="Debugging unclear problems")
    debugging.get_by_role("link", name="Practise").first.click()
    expect(page.get_by_role("heading", name="Practice", level=1)).to_be_visible()
    question = page.get_by_label(re.compile(r"^Question:?$"))
    expect(question).not_to_have_value("")
    assert_accessible(page)
    shots.take("practice")

    page.get_by_role("button", name="Start timer").click()
    page.get_by_label("Your answer").fill(GOOD_ANSWER)
    page.wait_for_timeout(1200)
    page.get_by_role("button", name="Stop timer").click()
    expect(page.get_by_label("Time taken (seconds, optional)")).not_to_have_value("")
    page.get_by_role("button", name="Get feedback").click()
    feedback = page.get_by_role("region", name="Feedback")
    expect(feedback.get_by_text("4 of 4 STAR parts told")).to_be_visible()
    expect(feedback.get_by_role("heading", name="Try next")).to_be_visible()
    expect(feedback.get_by_text("you took")).to_be_visible()
    readiness = page.get_by_role("region", name="Readiness across the role's competencies")
    row = readiness.get_by_role("row").filter(has_text="Debugging unclear problems")
    expect(row).to_contain_text("1")
    assert_accessible(page)
    shots.take("feedback")

    page.get_by_label("Your answer").fill("I think maybe I would look at the logs.")
    page.get_by_role("button", name="Get feedback").click()
    expect(feedback).not_to_contain_text("4 of 4 STAR parts told")
    progress = page.get_by_role("region", name="Progress")
    expect(progress.get_by_text("Slipping").first).to_be_visible()
    shots.take("second-attempt")


def log_in(page: Page, email: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(demo.DEMO_PASSWORD)
    page.get_by_role("button", name="Log in").click()


def test_invited_candidate_sees_the_real_position_and_nothing_internal(
    page: Page, shots: Shots
) -> None:
    load_demo()
    jordan = Application.objects.get(candidate__full_name="Jordan Ellis")
    log_in(page, "rita@kestrel.example")
    page.goto(f"/applications/{jordan.pk}/prep-links/")
    expect(page.get_by_role("heading", name="Preparation links: Jordan Ellis")).to_be_visible()
    page.get_by_label("Link works for (days)").fill("10")
    page.get_by_role("button", name="Create link").click()
    url = page.locator("#new-link").inner_text().strip()
    assert "/prep/i/prep_" in url
    assert_accessible(page)
    shots.take("recruiter-links")

    candidate = page.context.browser.new_context(viewport={"width": 1280, "height": 900})  # type: ignore[union-attr]
    try:
        tab = candidate.new_page()
        # The link lands on the portal, which links to the kit; the page reports the open.
        with tab.expect_response(lambda r: r.url.endswith("/opened/")) as reported:
            tab.goto(url)
        assert reported.value.status == 204
        tab.get_by_role("link", name="Open your preparation kit").click()
        expect(tab.get_by_role("heading", name="Senior software engineer", level=1)).to_be_visible()
        day = tab.get_by_role("region", name="Your second interview")
        expect(day.get_by_role("heading", name="Role deep dive")).to_be_visible()
        expect(day.get_by_text("Priya Nair").first).to_be_visible()
        assessed = tab.get_by_role(
            "region", name="What will be assessed, and questions to practise"
        )
        expect(assessed.get_by_role("heading", name="Debugging unclear problems")).to_be_visible()
        expect(tab.get_by_text("Patients first").first).to_be_visible()
        html = tab.content()
        for internal in (
            "Jumped to rewriting the module before reproducing the bug",  # a round-one note
            "to avoid noise",  # a round-one concern
            "Stabilises first",  # the scenario's "watch for"
            "Make the candidate comfortable",  # an interviewer's session purpose
        ):
            assert internal not in html, internal
        for planned in SessionQuestion.objects.filter(session__plan__position=jordan.position):
            assert planned.question.text not in unescape(html), planned.question.text
        kit_shots = Shots(tab, "test_invited_candidate_kit")
        kit_shots.take("invited-kit")
        tab.set_viewport_size({"width": 390, "height": 844})
        kit_shots.take("invited-kit-390")
        assert_accessible(tab)
        tab.get_by_role("link", name="Practice").click()
        expect(tab.get_by_label(re.compile(r"^Question:?$"))).to_be_visible()
        assert_accessible(tab)
    finally:
        candidate.close()
    link = InviteLink.objects.get(application=jordan)
    assert link.times_opened == 1  # the portal page; the kit button (through the link) adds none


def test_expired_or_revoked_link_is_refused(page: Page, shots: Shots) -> None:
    load_demo()
    jordan = Application.objects.get(candidate__full_name="Jordan Ellis")
    rita = User.objects.get(email="rita@kestrel.example")
    expired, expired_token = services.create_invite_link(actor=rita, application=jordan)
    InviteLink.objects.filter(pk=expired.pk).update(expires_at=timezone.now() - timedelta(hours=1))
    response = page.goto(f"/prep/i/{expired_token}/")
    assert response is not None and response.status == 410
    expect(page.get_by_role("heading", name="This link has expired")).to_be_visible()
    assert_accessible(page)
    shots.take("expired")

    _link, token = services.create_invite_link(actor=rita, application=jordan)
    page.goto(f"/prep/i/{token}/")
    expect(page.get_by_role("heading", name="Senior software engineer", level=1)).to_be_visible()
    kit_url = page.url

    recruiter = page.context.browser.new_context()  # type: ignore[union-attr]
    try:
        tab = recruiter.new_page()
        tab.goto(page.url.split("/portal/")[0] + "/accounts/login/")
        tab.get_by_label("Email").fill("rita@kestrel.example")
        tab.get_by_label("Password").fill(demo.DEMO_PASSWORD)
        tab.get_by_role("button", name="Log in").click()
        tab.goto(page.url.split("/portal/")[0] + f"/applications/{jordan.pk}/prep-links/")
        active = tab.get_by_role("row").filter(has=tab.get_by_role("button", name="Revoke"))
        active.get_by_role("button", name="Revoke").click()
        expect(tab.get_by_text("Link revoked.")).to_be_visible()
        expect(tab.get_by_role("cell", name="Expired")).to_be_visible()
        Shots(tab, "test_expired_or_revoked_link_recruiter").take("links-after-revoke")
    finally:
        recruiter.close()

    response = page.goto(kit_url)
    assert response is not None and response.status == 410
    expect(page.get_by_role("heading", name="This link is no longer active")).to_be_visible()
    response = page.goto(f"/prep/i/{token}/")
    assert response is not None and response.status == 410
    assert_accessible(page)
    shots.take("revoked")
    response = page.goto("/prep/i/prep_not-a-real-token/")
    assert response is not None and response.status == 404
    expect(page.get_by_role("heading", name="This link does not work")).to_be_visible()


def test_the_kit_works_without_javascript(
    browser: Browser, live_server: object, request: pytest.FixtureRequest
) -> None:
    context = browser.new_context(base_url=str(live_server), java_script_enabled=False)
    try:
        page = context.new_page()
        shots = Shots(page, request.node.name)
        paste_posting(page)
        page.get_by_role("link", name="Story bank").click()
        write_story(
            page, "Slow Monday checkouts", "Debugging unclear problems", kind="Challenge overcome"
        )
        assert coverage_status(page, "Debugging unclear problems") == "Covered"
        page.get_by_role("link", name="Practice").click()
        page.get_by_label("Or type your own question").fill("Tell me about a hard bug.")
        page.get_by_label("Competency (for your own question)").select_option(
            "Debugging unclear problems"
        )
        page.get_by_label("Your answer").fill(GOOD_ANSWER)
        page.get_by_label("Time taken (seconds, optional)").fill("90")
        page.get_by_role("button", name="Get feedback").click()
        feedback = page.get_by_role("region", name="Feedback")
        expect(feedback.get_by_text("4 of 4 STAR parts told")).to_be_visible()
        expect(page.get_by_role("button", name="Start timer")).to_be_hidden()
        shots.take("practice-without-javascript")
    finally:
        context.close()
