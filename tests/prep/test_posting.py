"""The job-posting reader: sections, values words, seniority and role family, on real-looking postings."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from secondround.engines.posting import (
    NO_FIT_SCORE,
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
    assert parsed.role_family_score >= 0.0  # 10 or more for a title match, see ParsedPosting
    assert parsed.role_family == "" or parsed.role_family in role_templates()
    assert parsed.role_family == "" or parsed.role_family_score >= NO_FIT_SCORE


# --- issue #14: each failure of the old reader ------------------------------------------------


def test_prose_only_posting_reads_duties_requirements_and_family() -> None:
    text = (
        "We are hiring a Data Engineer: our data lives in too many places. You would "
        "build and run the pipelines that move data from our booking system into one "
        "warehouse. Most of this is Python and SQL today; we would like to move to Airflow. "
        "You have done this before and you like tidy data models."
    )
    parsed = parse_posting(text, families=FAMILIES)
    assert parsed.responsibilities and parsed.requirements
    assert parsed.role_family == "data-engineer"
    assert {"python", "sql", "airflow"} <= {s.lower() for s in parsed.skills}


def test_title_split_by_bars_is_read() -> None:
    parsed = parse_posting(
        "Brightcart | Frontend Developer | Remote\n\nReact and CSS.", families=FAMILIES
    )
    assert parsed.title == "Frontend Developer"
    assert parsed.role_family == "frontend-engineer"


def test_inline_requirements_line_is_kept() -> None:
    parsed = parse_posting(
        "Data Analyst\nRequirements: 3 years in BI, SQL and Excel.\n", families=FAMILIES
    )
    assert parsed.requirements == ("3 years in BI, SQL and Excel",)
    assert {"sql", "excel"} <= {s.lower() for s in parsed.skills}


def test_unknown_headings_and_salary_do_not_spill_into_sections() -> None:
    text = (
        "Senior Python Engineer\n\nWhat you'll do:\n- ship features in Django\n"
        "Our stack:\n- PostgreSQL, htmx\nInterview process:\n1. intro call (30 min)\n"
        "2. pairing session (90 min)\nLocation:\nBerlin\nSalary: €80,000–€95,000\n"
        "Something we never heard of:\n- free bikes\n"
    )
    parsed = parse_posting(text, families=FAMILIES)
    assert parsed.responsibilities == ("ship features in Django",)
    assert parsed.requirements == ("PostgreSQL, htmx",)  # the stack, never the interview
    assert parsed.interview_steps == ("intro call (30 min)", "pairing session (90 min)")
    assert parsed.benefits == ("€80,000–€95,000",)
    assert "free bikes" not in parsed.responsibilities + parsed.requirements


def test_salary_line_inside_a_section_goes_to_benefits() -> None:
    parsed = parse_posting(
        "Chef\nWhat you'll do\n- cook\n- £32,000 per annum plus tips\n", families=FAMILIES
    )
    assert parsed.responsibilities == ("cook",)
    assert parsed.benefits == ("£32,000 per annum plus tips",)


def test_frontend_developer_with_figma_is_not_a_designer() -> None:
    text = (
        "Frontend Developer\nYou will build our design system in React from Figma files, "
        "working with product designers on the design system."
    )
    assert parse_posting(text, families=FAMILIES).role_family == "frontend-engineer"


def test_senior_data_engineer_is_a_data_engineer_with_sql_and_pipelines() -> None:
    parsed = parse_posting(
        "Senior Data Engineer\n- Build data pipelines in SQL and Python\n", families=FAMILIES
    )
    assert parsed.role_family == "data-engineer"
    assert parsed.seniority == "senior"
    assert {"data pipelines", "sql", "python"} <= {s.lower() for s in parsed.skills}


@pytest.mark.parametrize(
    "title, family",
    [("Teacher of Mathematics", "teacher"), ("Warehouse Supervisor", "warehouse-supervisor"),
     ("Legal Counsel", "legal-counsel"), ("Civil Engineer", "civil-engineer"),
     ("Cyber Security Analyst", "security-analyst")],
)  # fmt: skip
def test_roles_once_forced_into_the_nearest_family_get_their_own(title: str, family: str) -> None:
    assert parse_posting(f"{title}\n- the job\n", families=FAMILIES).role_family == family


def test_no_family_fits_a_vet_and_none_is_forced() -> None:
    parsed = parse_posting(
        "Veterinary Surgeon\nConsults, routine surgery and diagnostics for cats and dogs. "
        "RCVS registered.",
        families=FAMILIES,
    )
    assert parsed.role_family == ""


def test_a_kit_without_a_family_is_built_from_the_skills_found() -> None:
    from secondround.prep.posting_kit import SKILLS_COMPETENCY, posting_competencies

    parsed = {"role_family": "", "skills": ["excel", "first aid"]}
    competencies = posting_competencies(parsed, None)
    assert competencies[0].name == SKILLS_COMPETENCY
    assert "excel, first aid" in competencies[0].description
    assert {c.kind for c in competencies} >= {"technical", "problem_solving", "values"}


def test_a_family_kit_adds_only_skills_the_family_does_not_name() -> None:
    from secondround.prep.posting_kit import posting_competencies

    template = role_templates()["data-engineer"]
    competencies = posting_competencies({"skills": ["sql", "fivetran", "kafka"]}, template)
    assert competencies[-1].description.endswith(": kafka.") is False
    assert "fivetran" in competencies[-1].description and "sql" not in competencies[-1].description


# --- kits from postings (database) ------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    "posting",
    [
        "React developer, TypeScript, remote.",
        "Nurse wanted. NMC pin. Nights.",
        "Freelance Translator (German > English). Translate technical and marketing documents "
        "using CAT tools, proofread colleagues' work and meet tight deadlines.",
    ],
)
def test_short_and_prose_postings_make_a_kit(posting: str) -> None:
    from secondround.prep import content as kit_texts
    from secondround.prep import services

    kit, _key = services.create_posting_kit(posting_text=posting, owner=None)
    assert kit_texts.kit_content(kit).competencies


@pytest.mark.django_db
def test_text_with_nothing_of_a_job_is_still_refused_naming_the_field() -> None:
    from django.core.exceptions import ValidationError

    from secondround.prep import services
    from secondround.prep.models import PrepKit

    with pytest.raises(ValidationError) as error:
        services.create_posting_kit(posting_text="Hello there", owner=None)
    assert "posting_text" in error.value.message_dict
    assert not PrepKit.objects.exists()


@pytest.mark.django_db
def test_the_postings_interview_steps_become_the_kits_sessions() -> None:
    from secondround.prep import content as kit_texts
    from secondround.prep import services

    posting = (
        "Senior Python Engineer\nWhat you'll do:\n- ship features in Django\n"
        "Interview process: intro call (30 min); pairing session (90 min); meet the founders\n"
    )
    kit, _key = services.create_posting_kit(posting_text=posting, owner=None)
    content = kit_texts.kit_content(kit)
    assert [(s.title, s.duration_minutes) for s in content.sessions] == [
        ("intro call", 30), ("pairing session", 90), ("meet the founders", 0),
    ]  # fmt: skip
    assert content.total_minutes == 120


@pytest.mark.django_db
def test_a_kit_no_family_fits_asks_about_its_skills_with_questions_for_every_role() -> None:
    from secondround.prep import content as kit_texts
    from secondround.prep import services
    from secondround.prep.posting_kit import SKILLS_COMPETENCY
    from secondround.questions.models import Question

    kit, _key = services.create_posting_kit(
        posting_text="Veterinary Surgeon\nConsults, routine surgery and diagnostics. RCVS.",
        owner=None,
    )
    content = kit_texts.kit_content(kit)
    assert content.role_family == "" and content.matched_family_name == ""
    skills = content.competencies[0]
    assert skills.name == SKILLS_COMPETENCY and "routine surgery" in skills.description
    assert skills.questions == ()  # no bank question was written for a vet's skills
    asked = [q.pk for c in content.competencies for q in c.questions]
    assert asked
    assert all(not q.role_families for q in Question.objects.filter(pk__in=asked))
