"""The candidate's portal in a real browser: each state, German, 390 px and desktop, axe."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import Page, expect

from secondround import demo
from secondround.hiring.models import Application, Interview, Stage
from secondround.messaging.models import MessageKind
from secondround.messaging.selectors import messages_for_candidate
from secondround.messaging.services import queue_message
from secondround.portal.selectors import shared_questions
from secondround.prep import demo as prep_demo
from secondround.prep.access import token_hash
from secondround.prep.models import InviteLink
from secondround.scheduling.models import ScheduledSession, SessionStatus
from tests.browser.conftest import Shots, assert_accessible
from tests.demo_cache import load_demo
from tests.portal.conftest import move_loop_to

TOKEN = prep_demo.DEMO_LINK_TOKEN


def aisha() -> Application:
    return Application.objects.get(
        candidate__full_name="Aisha Bello", position__title="Senior software engineer"
    )


def both_widths(page: Page, shots: Shots, name: str) -> None:
    assert_accessible(page)
    shots.take(name)
    page.set_viewport_size({"width": 390, "height": 844})
    assert_accessible(page)
    shots.take(f"{name}-390")
    page.set_viewport_size({"width": 1280, "height": 900})


def log_in(page: Page, email: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(demo.DEMO_PASSWORD)
    page.get_by_role("button", name="Log in").click()


def test_candidate_uses_the_portal(page: Page, shots: Shots) -> None:
    load_demo()
    application = aisha()
    move_loop_to(application, 2)  # the demo held the loop last week: show it booked
    queue_message(
        kind=MessageKind.INVITATION,
        candidate=application.candidate,
        application=application,
        values={"portal_link": f"https://jobs.example/prep/i/{TOKEN}/"},
    )
    page.goto(f"/prep/i/{TOKEN}/")
    expect(page.get_by_role("heading", name="Senior software engineer", level=1)).to_be_visible()
    expect(page.get_by_text("Your conversations are booked")).to_be_visible()
    itinerary = page.get_by_role("region", name="Your conversations")
    first = Interview.objects.filter(application=application).order_by("starts_at").first()
    assert first is not None
    expect(itinerary.get_by_text(first.interviewer.full_name).first).to_be_visible()
    expect(page.get_by_role("region", name="About Kestrel Health")).to_contain_text(
        "Patients first"
    )
    questions = page.get_by_role("region", name="Your questions for us")
    expect(questions.get_by_text("To be answered in:")).to_have_count(1)
    expect(questions.get_by_text("Answered in your conversations")).to_have_count(1)
    sent = messages_for_candidate(application.candidate).count()
    assert sent >= 1
    expect(
        page.get_by_role("region", name="Messages we sent you").locator("summary")
    ).to_have_count(sent)
    both_widths(page, shots, "booked")

    questions.get_by_label("Your question").fill("How do you decide what the team works on next?")
    questions.get_by_label("It is about").select_option("leadership")
    questions.get_by_role("button", name="Send my question").click()
    expect(page.get_by_text("your question is with the team")).to_be_visible()
    expect(questions.get_by_text("To be answered in:")).to_have_count(2)

    adjustments = page.get_by_role("region", name="Adjustments for your interviews")
    adjustments.get_by_label("Captions or a transcript on video calls").check()
    adjustments.get_by_role("button", name="Send to the recruiter").click()
    expect(page.get_by_text("the recruiter will arrange what you asked for")).to_be_visible()

    with page.expect_download() as download:
        page.get_by_role("link", name="Add all to my calendar (.ics)").click()
    assert download.value.suggested_filename.endswith(".ics")

    page.get_by_label("Language:", exact=True).select_option("de")
    page.get_by_label("Your time zone").select_option("Europe/Lisbon")
    page.get_by_role("button", name="Apply").click()
    expect(page.get_by_role("heading", name="Wo Sie stehen")).to_be_visible()
    expect(page.get_by_text("Zeiten in Europe/Lisbon.")).to_be_visible()
    both_widths(page, shots, "booked-de")

    page.get_by_role("link", name="Vorbereitungskit öffnen").click()
    expect(page.get_by_role("heading", name="Senior software engineer", level=1)).to_be_visible()


def test_portal_before_after_and_decided_and_a_dead_link(page: Page, shots: Shots) -> None:
    load_demo()
    application = aisha()
    Interview.objects.filter(application=application).update(
        starts_at=timezone.now() - timedelta(days=1)
    )
    page.goto(f"/portal/{TOKEN}/")
    expect(page.get_by_text("The team is now comparing what they learned")).to_be_visible()
    both_widths(page, shots, "after-loop")

    Interview.objects.filter(application=application).delete()
    ScheduledSession.objects.filter(application=application).update(status=SessionStatus.CANCELLED)
    page.goto(f"/portal/{TOKEN}/")
    expect(page.get_by_text("No times are booked yet")).to_be_visible()
    both_widths(page, shots, "before-loop")

    Application.objects.filter(pk=application.pk).update(stage=Stage.REJECTED)
    page.goto(f"/portal/{TOKEN}/")
    expect(page.get_by_text("not to go further with your application")).to_be_visible()
    expect(page.get_by_role("button", name="Send my question")).to_have_count(0)
    both_widths(page, shots, "decided")

    InviteLink.objects.filter(token_hash=token_hash(TOKEN)).update(
        expires_at=timezone.now() - timedelta(minutes=1)
    )
    response = page.goto(f"/portal/{TOKEN}/")
    assert response is not None and response.status == 410
    expect(page.get_by_role("heading", name="This link has expired")).to_be_visible()
    expect(page.get_by_role("link", name="Write to rita@kestrel.example")).to_be_visible()
    both_widths(page, shots, "expired")


def test_after_the_outcome_the_link_still_opens_the_page_but_the_kit_closes(
    page: Page, shots: Shots
) -> None:
    """One rule for the link's life (prep/access.py): the page, letter and survey stay open
    after the decision; preparing and scheduling close, saying so, with whom to write to."""
    load_demo()
    Application.objects.filter(pk=aisha().pk).update(stage=Stage.REJECTED)
    page.goto(f"/prep/i/{TOKEN}/")
    expect(page.get_by_text("not to go further with your application")).to_be_visible()
    assert page.url.endswith(f"/portal/{TOKEN}/")
    for closed in (f"/prep/i/{TOKEN}/?to=kit", f"/prep/i/{TOKEN}/schedule/"):
        response = page.goto(closed)
        assert response is not None and response.status == 410, closed
        expect(
            page.get_by_role("heading", name="This part of your page has closed")
        ).to_be_visible()
        expect(page.get_by_role("link", name="Write to rita@kestrel.example")).to_be_visible()
    both_widths(page, shots, "closed-after-the-outcome")
    page.get_by_role("link", name="Back to your page").click()
    expect(page.get_by_text("not to go further with your application")).to_be_visible()
    response = page.goto(f"/prep/i/{TOKEN}/survey/")
    assert response is not None and response.status == 200


def test_the_team_routes_answers_and_marks_questions(page: Page, shots: Shots) -> None:
    load_demo()
    application = aisha()
    career = shared_questions(application).first()
    assert career is not None and career.session is not None
    log_in(page, "rita@kestrel.example")
    page.goto(f"/applications/{application.pk}/")
    section = page.get_by_role("region", name="The candidate's questions in advance")
    expect(section.get_by_text("One question is still open")).to_be_visible()
    section.get_by_label("Answered in").first.select_option(
        label="Values and culture with the team"
    )
    section.get_by_role("button", name="Move").first.click()
    expect(page.get_by_text("The question moved.")).to_be_visible()
    section.get_by_label("Written answer (the candidate reads it on their page)").first.fill(
        "Levels are reviewed twice a year with your manager; most people move up in 2–3 years."
    )
    section.get_by_role("button", name="Send the answer").first.click()
    expect(page.get_by_text("The candidate can read your answer on their page.")).to_be_visible()
    expect(section.get_by_text("still open")).to_have_count(0)
    expect(section.get_by_text("Breaks", exact=False).first).to_be_visible()  # the adjustments
    both_widths(page, shots, "application-page")

    team = shared_questions(application).last()
    assert team is not None and team.session is not None
    seat = team.session.seats.select_related("interviewer").first()
    assert seat is not None
    page.context.clear_cookies()
    log_in(page, seat.interviewer.email)
    page.goto(f"/kits/{seat.pk}/{application.pk}/")
    kit = page.locator("#candidate-questions")
    expect(kit.get_by_text(team.text)).to_be_visible()
    kit.get_by_role("button", name="Mark as answered").click()
    expect(kit.get_by_role("button", name="Mark as not answered")).to_be_visible()
    both_widths(page, shots, "kit")

    page.goto(f"/portal/{TOKEN}/")
    expect(page.get_by_text("Answered in your conversations")).to_have_count(2)
    expect(page.get_by_text("Levels are reviewed twice a year")).to_be_visible()
