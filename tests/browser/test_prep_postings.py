"""Kits from postings the old reader refused or misread (issue #14), in Chromium."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import Shots, assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DATA_ENGINEER = """Senior Data Engineer | Northwind Freight | Leeds

Key accountabilities:
- Build batch pipelines in Python and SQL
- Orchestrate jobs in Airflow

Our stack: Snowflake, dbt, Kafka
Salary: £70,000 - £80,000

Interview process
1. Call with the recruiter (30 minutes)
2. SQL and pipeline design interview (60 minutes)
3. Meet the team
"""

VET = (
    "We're hoping to find a vet to join our small-animal practice in Hexham. You would see "
    "consults, do routine surgery and run diagnostics, with a fair out-of-hours rota. RCVS "
    "registration and animal welfare at heart."
)


def build_kit(page: Page, posting: str) -> None:
    page.goto("/prep/")
    page.get_by_label("The job posting").fill(posting)
    page.get_by_role("button", name="Build my kit").click()
    expect(page.get_by_text("Your preparation kit is ready.")).to_be_visible()


def both_widths(page: Page, shots: Shots, name: str) -> None:
    shots.take(f"{name}-desktop")
    page.set_viewport_size({"width": 390, "height": 844})
    # Nothing may be wider than a phone (the research checklist once was: 24rem columns).
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    shots.take(f"{name}-390")
    page.set_viewport_size({"width": 1280, "height": 900})


def test_a_data_engineer_posting_reads_its_family_skills_and_interview_steps(
    page: Page, shots: Shots
) -> None:
    build_kit(page, DATA_ENGINEER)
    expect(page.get_by_role("heading", name="Senior Data Engineer", level=1)).to_be_visible()
    about = page.get_by_role("region", name="About this kit")
    expect(about.get_by_text("Data engineer")).to_be_visible()
    process = page.get_by_role("region", name="The interview process")
    expect(
        process.get_by_role("heading", name="SQL and pipeline design interview")
    ).to_contain_text("60 minutes")
    expect(process.get_by_role("heading", name="Meet the team")).not_to_contain_text("minutes")
    assessed = page.get_by_role("region", name="What will be assessed, and likely questions")
    expect(assessed.get_by_role("heading", name="Pipelines and orchestration")).to_be_visible()
    expect(assessed.get_by_text("Airflow").first).to_be_visible()
    role = page.get_by_role("region", name="Understanding the role")
    expect(role.get_by_text("£70,000")).to_have_count(0)  # the salary is not a requirement
    assert_accessible(page)
    both_widths(page, shots, "data-engineer-kit")


def test_a_prose_posting_no_family_fits_still_makes_a_kit_from_its_skills(
    page: Page, shots: Shots
) -> None:
    build_kit(page, VET)
    about = page.get_by_role("region", name="About this kit")
    expect(about.get_by_text("None of the role families we know fits")).to_be_visible()
    assessed = page.get_by_role("region", name="What will be assessed, and likely questions")
    skills = assessed.get_by_role("heading", name="Skills this posting asks for")
    expect(skills).to_be_visible()
    expect(assessed.get_by_text("routine surgery").first).to_be_visible()
    expect(assessed.get_by_role("heading", name="Working with others")).to_be_visible()
    assert_accessible(page)
    both_widths(page, shots, "no-family-kit")


def test_a_bare_front_line_posting_gets_no_manager_duties_and_off_topic_feedback(
    page: Page, shots: Shots
) -> None:
    build_kit(page, "Barista wanted\nWeekends, good pay.")
    about = page.get_by_role("region", name="About this kit")
    expect(about.get_by_text("None of the role families we know fits")).to_be_visible()
    role = page.get_by_role("region", name="Understanding the role")
    expect(role.get_by_text("P&L")).to_have_count(0)
    expect(role.get_by_role("heading", name="Responsibilities")).to_have_count(0)
    research = page.locator("#research")
    expect(research.get_by_text("Try the product")).to_have_count(0)
    assert_accessible(page)
    both_widths(page, shots, "barista-kit")

    page.get_by_role("link", name="Practice").first.click()
    page.get_by_label(re.compile(r"^Question:?$")).select_option("")
    page.get_by_label("Or type your own question").fill(
        "Tell me about a time you debugged a hard production problem."
    )
    page.get_by_label("Your answer").fill(
        "Last summer we went to Lisbon for a week. I booked a flat near the river and we ate "
        "grilled sardines every night. In the end it was the best holiday we had."
    )
    page.get_by_role("button", name="Get feedback").click()
    feedback = page.get_by_role("region", name="Feedback")
    expect(feedback.get_by_text("This story does not answer the question")).to_be_visible()
    expect(feedback.get_by_text("of 4 STAR parts told")).to_have_count(0)
    assert_accessible(page)
    both_widths(page, shots, "off-topic-feedback")
