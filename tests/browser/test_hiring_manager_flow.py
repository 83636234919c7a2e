"""A hiring manager's first ten minutes, clicked through in Chromium."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from secondround import demo
from secondround.hiring.models import Application, Stage
from tests.browser.conftest import Shots, assert_accessible
from tests.demo_cache import load_demo

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page: Page, email: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(demo.DEMO_PASSWORD)
    page.get_by_role("button", name="Log in").click()


def test_manager_creates_position_adds_candidate_and_moves_them_to_round_two(
    page: Page, shots: Shots
) -> None:
    load_demo()
    page.goto("/")
    expect(page.get_by_role("heading", name="Log in")).to_be_visible()
    assert_accessible(page)
    shots.take("login")

    log_in(page, "hana@kestrel.example")
    expect(page.get_by_role("heading", name="Welcome, Hana")).to_be_visible()
    assert_accessible(page)
    shots.take("home")

    page.get_by_role("link", name="New position").first.click()
    page.get_by_label("Role template").select_option(label="Data analyst")
    page.get_by_label("Title").fill("Data analyst, clinic insights")
    assert_accessible(page)
    shots.take("new-position")
    page.get_by_role("button", name="Create position").click()

    expect(page.get_by_role("heading", name="Data analyst, clinic insights")).to_be_visible()
    expect(page.get_by_text("Position created from the template.")).to_be_visible()
    assert_accessible(page)
    shots.take("position")

    page.get_by_role("link", name="Add candidate").click()
    page.get_by_label("Full name").fill("Morgan Reyes")
    page.get_by_label("Email").fill("morgan.reyes@mail.example")
    page.get_by_label("Location").fill("Porto")
    page.get_by_role("button", name="Add candidate").click()
    expect(page.get_by_text("Morgan Reyes added.")).to_be_visible()

    page.get_by_role("link", name="Morgan Reyes").click()
    page.get_by_label("Move to").select_option(label="First round")
    page.get_by_role("button", name="Move").click()
    expect(page.locator("#current-stage")).to_have_text("First round")
    page.get_by_label("Move to").select_option(label="Second round")
    page.get_by_role("textbox", name="Why:", exact=True).fill(
        "Clear, specific SQL answers in round one."
    )
    page.get_by_role("button", name="Move").click()
    expect(page.locator("#current-stage")).to_have_text("Second round")
    assert_accessible(page)
    shots.take("candidate-in-round-two")

    page.get_by_role("link", name="Home").click()
    finalists = page.get_by_role("region", name="Finalists waiting for a decision")
    expect(finalists.get_by_role("link", name="Morgan Reyes")).to_be_visible()
    shots.take("home-with-finalist")

    application = Application.objects.get(candidate__email="morgan.reyes@mail.example")
    assert application.stage == Stage.SECOND_ROUND
    assert application.moves.last().reason == "Clear, specific SQL answers in round one."  # type: ignore[union-attr]


def test_bad_input_is_shown_next_to_its_field(page: Page, shots: Shots) -> None:
    load_demo()
    log_in(page, "hana@kestrel.example")
    page.get_by_role("link", name="Positions").click()
    page.get_by_role("link", name="Senior software engineer").click()
    page.get_by_role("link", name="Add candidate").click()
    page.get_by_label("Full name").fill("No Email")
    page.get_by_label("Email").fill("jordan.ellis@mail.example")  # already a candidate here
    page.get_by_role("button", name="Add candidate").click()
    expect(page.get_by_role("alert")).to_contain_text("already applied")
    assert_accessible(page)
    shots.take("duplicate-candidate")


def test_interviewer_sees_their_interviews_and_is_refused_elsewhere(
    page: Page, shots: Shots
) -> None:
    load_demo()
    log_in(page, "ben@kestrel.example")  # sits on the product panel only
    expect(page.get_by_role("heading", name="Panels I sit on")).to_be_visible()
    shots.take("interviewer-home")
    from secondround.hiring.models import Position

    engineering = Position.objects.get(title="Senior software engineer")
    response = page.goto(f"/positions/{engineering.pk}/")
    assert response is not None and response.status == 404
    expect(page.get_by_role("heading", name="Not found")).to_be_visible()
    shots.take("interviewer-refused")


def test_company_profile_and_tokens_pages(page: Page, shots: Shots) -> None:
    load_demo()
    log_in(page, "admin@kestrel.example")
    page.get_by_role("link", name="Company").click()
    expect(page.get_by_label("Company name")).to_have_value("Kestrel Health")
    assert_accessible(page)
    shots.take("company")
    page.get_by_label("Mission").fill("Give clinics back their time.")
    page.get_by_role("button", name="Save company profile").click()
    expect(page.get_by_text("Company profile saved.")).to_be_visible()

    page.get_by_role("link", name="API tokens").click()
    page.get_by_label("Token name").fill("Nightly export")
    page.get_by_role("button", name="Create token").click()
    expect(page.locator("#new-token")).to_contain_text("sr_")
    assert_accessible(page)
    shots.take("tokens")
