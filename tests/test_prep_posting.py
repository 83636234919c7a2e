"""The job-posting reader: sections, values words, seniority and role family, on real-looking postings."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from secondround.engines.posting import (
    SENIORITY_LEVELS,
    PostingError,
    family_profiles,
    parse_posting,
)
from secondround.hiring.role_templates import role_templates

FAMILIES = family_profiles(role_templates())

BACKEND_POSTING = """Senior Backend Engineer – Payments
Lumen Pay · Berlin or remote (EU)

About us
Lumen Pay helps independent shops take card payments without the paperwork. Our mission is to make getting paid the easiest part of running a small business.

What you'll do
- Design, build and run the services that authorise and settle card payments
- Review pull requests and keep our test suite fast and trustworthy
- Take part in the on-call rotation and lead incident reviews
- Break large projects into small, safe releases behind feature flags
- Mentor two mid-level engineers

What you'll bring
- 5+ years building backend services in Python, Go or Java
- Experience designing APIs and data models that handle money correctly
- Comfortable debugging production issues across several services
- Clear written communication

Nice to have
- PCI DSS experience

Our values
Ownership, candour, and customers first. We are curious and we learn in the open.

What we offer
- 30 days holiday
- Learning budget of 2,000 EUR
"""

NURSE_POSTING = """Job title: Registered Nurse – Acute Medical Unit (Band 5)

Northgate Community Hospital is looking for a compassionate Registered Nurse to join our 28-bed acute medical unit.

Key responsibilities:
• Assess, plan and deliver care for a group of patients on a twelve-hour shift
• Administer medicines safely and keep accurate records
• Recognise deteriorating patients early and escalate using NEWS2
• Give clear handovers to the next shift and communicate with families
• Supervise student nurses and healthcare assistants

Essential criteria:
• NMC registration
• Newly qualified nurses welcome; 1 year of acute experience is desirable
• Excellent communication with patients and their families

Our values: patient safety, kindness, respect and teamwork.
"""

ANALYST_POSTING = """## Data Analyst (Junior)

### About the role
You will turn our product and marketing data into decisions. Day to day you will:

1. Write SQL to pull and clean data from our warehouse
2. Build dashboards in Looker for the growth and product teams
3. Run A/B test analyses and explain what the results mean, including their limits
4. Frame vague questions from stakeholders into answerable ones

### Requirements
* Solid SQL and a spreadsheet tool
* Some statistics: confidence intervals, significance, regression
* 1-2 years in an analytics role, or a relevant degree

### About Brightcart
Brightcart is an online grocery for families. We value honesty with numbers and transparency.
"""

SALES_POSTING = """Account Executive, Mid-Market
Position: Account Executive, Mid-Market

Responsibilities
Own the full sales cycle from discovery to close for mid-market customers
Run discovery calls, qualify opportunities and build mutual close plans
Negotiate pricing and contract terms with procurement
Forecast accurately in our CRM

Requirements
3+ years of quota-carrying B2B SaaS sales experience
Track record of exceeding quota
"""


def test_backend_posting() -> None:
    parsed = parse_posting(BACKEND_POSTING, families=FAMILIES)
    assert parsed.title == "Senior Backend Engineer"
    assert parsed.seniority == "senior"
    assert parsed.years == 5
    assert len(parsed.responsibilities) == 5
    assert parsed.responsibilities[0].startswith("Design, build and run")
    assert len(parsed.requirements) == 4
    assert parsed.nice_to_have == ("PCI DSS experience",)
    assert "30 days holiday" in parsed.benefits
    assert parsed.role_family == "software-engineer"
    assert {"ownership", "candour", "customers first", "curiosity"} <= set(parsed.values_words)
    assert parsed.mission.startswith("Our mission is to make getting paid")


def test_nurse_posting() -> None:
    parsed = parse_posting(NURSE_POSTING, families=FAMILIES)
    assert parsed.title.startswith("Registered Nurse")
    assert parsed.role_family == "registered-nurse"
    assert len(parsed.responsibilities) == 5
    assert "NMC registration" in parsed.requirements
    assert {"safety", "kindness", "respect", "teamwork"} <= set(parsed.values_words)
    assert parsed.seniority in ("junior", "mid")


def test_analyst_posting_with_markdown_and_numbered_lists() -> None:
    parsed = parse_posting(ANALYST_POSTING, families=FAMILIES)
    assert parsed.title == "Data Analyst (Junior)"
    assert parsed.seniority == "junior"
    assert parsed.role_family == "data-analyst"
    assert "Build dashboards in Looker for the growth and product teams" in parsed.responsibilities
    assert len(parsed.requirements) == 3
    assert {"honesty", "transparency"} <= set(parsed.values_words)


def test_sales_posting_without_bullets() -> None:
    parsed = parse_posting(SALES_POSTING, families=FAMILIES)
    assert parsed.title == "Account Executive, Mid-Market"
    assert parsed.role_family == "account-executive"
    assert len(parsed.responsibilities) == 4
    assert parsed.seniority == "mid"
    assert parsed.years == 3


def test_company_text_adds_values_and_mission() -> None:
    parsed = parse_posting(
        SALES_POSTING,
        company="We exist to help hospitals buy well. We care about integrity and humility.",
        families=FAMILIES,
    )
    assert parsed.mission.startswith("We exist to help hospitals")
    assert {"integrity", "humility", "care"} <= set(parsed.values_words)


def test_posting_with_no_headings_uses_its_bullets() -> None:
    parsed = parse_posting("Support hero\n- Answer tickets\n- Fix customer problems\n")
    assert parsed.responsibilities == ("Answer tickets", "Fix customer problems")
    assert parsed.role_family == ""  # no families given


@pytest.mark.parametrize("bad", ["", "   \n ", "a\x00b", "x" * 30_001, None, 42])
def test_bad_postings_are_refused(bad: object) -> None:
    with pytest.raises(PostingError):
        parse_posting(bad)  # type: ignore[arg-type]


@settings(max_examples=60, deadline=None)
@given(st.text(min_size=1, max_size=400).filter(lambda t: t.strip() and "\x00" not in t))
def test_any_text_parses(text: str) -> None:
    parsed = parse_posting(text, families=FAMILIES)
    assert parsed.seniority in SENIORITY_LEVELS
    assert 0.0 <= parsed.role_family_score <= 1.0
    assert parsed.role_family == "" or parsed.role_family in role_templates()
