"""The posting reader on formats the first corpus lacked (issue #14, item 4): one cause each.

The postings here are written for these tests, not taken from the benchmark corpus, so the
benchmark's fresh splits stay unseen by the tests too.
"""

from __future__ import annotations

import pytest

from secondround.engines.posting import family_profiles, parse_posting
from secondround.hiring.role_templates import role_templates

FAMILIES = family_profiles(role_templates())

RUN_ON = (
    "Platform Engineer. Key responsibilities: keep our Kubernetes clusters healthy and automate "
    "releases. Tech stack: Terraform, GCP, Argo CD. Requirements: three years running "
    "production systems. Interview process: 1) phone screen 2) systems interview 3) meet "
    "the team."
)


def test_heading_runs_inside_one_paragraph_become_sections() -> None:
    parsed = parse_posting(RUN_ON, families=FAMILIES)
    assert parsed.responsibilities == (
        "keep our Kubernetes clusters healthy and automate releases",
    )
    assert parsed.requirements[0] == "three years running production systems"
    assert "Terraform, GCP, Argo CD" in parsed.requirements  # the stack, not a duty
    assert not any("Interview" in duty for duty in parsed.responsibilities)


def test_numbered_steps_in_one_run_are_each_a_step() -> None:
    parsed = parse_posting(RUN_ON, families=FAMILIES)
    assert parsed.interview_steps == ("phone screen", "systems interview", "meet the team")


@pytest.mark.parametrize(
    "run",
    [
        "How we hire: screening call → case study → final chat",
        "Our process: (1) screening call, (2) case study, (3) final chat.",
        "Selection: a screening call, then a case study, then a final chat.",
    ],
)
def test_steps_written_with_arrows_brackets_or_then(run: str) -> None:
    posting = f"Bookkeeper\n- keep the ledgers for 40 clients\n{run}"
    steps = parse_posting(posting, families=FAMILIES).interview_steps
    assert [s.removeprefix("a ") for s in steps] == ["screening call", "case study", "final chat"]


def test_a_steps_heading_without_colon_or_capitals() -> None:
    posting = (
        "Bookkeeper\n- keep the ledgers for 40 clients\nOur interview steps\n"
        "1. Call with the founder (20 min)\nStep 2 – Practical task"
    )
    steps = parse_posting(posting, families=FAMILIES).interview_steps
    assert steps == ("Call with the founder (20 min)", "Practical task")


def test_unlisted_headings_are_read_by_their_words() -> None:
    posting = (
        "Bookkeeper\nKey tasks:\n- reconcile bank accounts\nWhat we pay:\n- €18 an hour\n"
        "The person:\n- two years of bookkeeping\n"
    )
    parsed = parse_posting(posting, families=FAMILIES)
    assert parsed.responsibilities == ("reconcile bank accounts",)
    assert parsed.requirements == ("two years of bookkeeping",)
    assert parsed.benefits == ("€18 an hour",)


def test_a_dash_after_a_title_is_not_a_heading() -> None:
    posting = "Tech Lead – Payments. You will lead four engineers building card payments."
    assert parse_posting(posting, families=FAMILIES).title == "Tech Lead"


def test_emoji_bullets_and_emoji_headings() -> None:
    posting = (
        "Line Cook\n🔥 What you'll do\n🍳 prep and cook on the grill station\n"
        "🥗 keep the walk-in tidy\n✅ What you need\n👉 a year on a busy line"
    )
    parsed = parse_posting(posting, families=FAMILIES)
    assert parsed.responsibilities == (
        "prep and cook on the grill station",
        "keep the walk-in tidy",
    )
    assert parsed.requirements == ("a year on a busy line",)


@pytest.mark.parametrize(
    "posting, title",
    [
        ("Sound Engineer. Mix live shows in our 800-seat venue. Requirements: Yamaha desks.",
         "Sound Engineer"),
        ("Tree Surgeon, Cotswolds. Climb and fell trees safely. Requirements: NPTC tickets.",
         "Tree Surgeon"),
        ("Dog Groomer @ Happy Paws, Leeds\nWash, clip and style dogs of all breeds.",
         "Dog Groomer"),
        ("Baker wanted! Early starts, sourdough and pastries. Experience with laminated dough.",
         "Baker"),
        ("Florist (part-time). Make bouquets and wedding flowers. Weekends required.",
         "Florist (part-time)"),
    ],
)  # fmt: skip
def test_title_from_a_first_line_or_sentence_with_qualifiers(posting: str, title: str) -> None:
    assert parse_posting(posting, families=FAMILIES).title == title


def test_heading_words_are_never_skills() -> None:
    posting = (
        "Sound Engineer. Mix live shows. Requirements: Yamaha desks; Dante audio. "
        "Responsibilities: set up the PA, run sound checks."
    )
    skills = {s.lower() for s in parse_posting(posting, families=FAMILIES).skills}
    assert not skills & {"requirements", "responsibilities"}
    assert {"yamaha desks", "dante audio"} <= skills


@pytest.mark.parametrize(
    "posting, near",
    [
        ("Veterinary Nurse – Mixed Practice\nMonitor anaesthesia, care for inpatients and run "
         "nurse clinics. RVN status required.", "registered-nurse"),
        ("Dental Nurse\nChairside support, decontamination and patient records. GDC registered.",
         "registered-nurse"),
        ("Barista\nPull espresso shots, steam milk and serve customers at a busy kiosk.",
         "restaurant-manager"),
        ("Waiter / Waitress\nTake orders, serve tables and handle card payments.",
         "restaurant-manager"),
    ],
)  # fmt: skip
def test_a_look_alike_title_names_a_near_family_but_chooses_none(posting: str, near: str) -> None:
    parsed = parse_posting(posting, families=FAMILIES)
    assert parsed.role_family == ""
    assert parsed.near_family == near
    assert parsed.skills  # the kit is built from what the posting names


@pytest.mark.parametrize(
    "posting, family",
    [
        ("Staff Nurse – Cardiology\n- patient assessment and medication rounds\n", "registered-nurse"),
        ("Restaurant Manager\n- run service for 120 covers and own the P&L\n", "restaurant-manager"),
        ("Head Chef\n- write menus and run the kitchen\n", "chef"),
    ],
)  # fmt: skip
def test_the_real_family_titles_still_choose_their_family(posting: str, family: str) -> None:
    assert parse_posting(posting, families=FAMILIES).role_family == family


def test_no_family_for_an_unrelated_role_read_from_its_body() -> None:
    posting = (
        "Harbour Pilot\nBoard incoming vessels and con them safely to berth. Requirements: "
        "master mariner certificate; local knowledge of tides and pilotage."
    )
    parsed = parse_posting(posting, families=FAMILIES)
    assert parsed.role_family == ""
    assert "master mariner certificate" in parsed.skills


def test_a_title_opening_like_a_family_title_leans_to_that_family() -> None:
    posting = (
        "Contact Centre Adviser (Gaelic speaker)\nAnswer calls and emails from customers about "
        "bills and resolve complaints first time."
    )
    assert parse_posting(posting, families=FAMILIES).role_family == "customer-support-specialist"


def test_duty_skills_lose_the_activity_word_and_the_occasion() -> None:
    posting = (
        "Animal Technician\n- monitoring anaesthesia during procedures\n"
        "- running health checks for rodent colonies\n"
    )
    skills = parse_posting(posting, families=FAMILIES).skills
    assert "anaesthesia" in skills
    assert "health checks" in skills
    assert not {"monitoring anaesthesia", "running health checks"} & set(skills)


@pytest.mark.parametrize(
    "posting, title",
    [
        ("Shift Supervisor. Cold store, Hamburg. Responsibilities: run the night shift.",
         "Shift Supervisor"),
        ("Secondary Teacher, Geography – Holy Cross College, Sligo. Cover from January.",
         "Secondary Teacher"),
        ("Nurse wanted. NMC pin. Nights.", "Nurse"),
        ("Sr. Data Engineer\n- build pipelines in Spark", "Sr. Data Engineer"),
    ],
)  # fmt: skip
def test_a_title_line_running_on_into_sentences_gives_its_first(posting: str, title: str) -> None:
    assert parse_posting(posting, families=FAMILIES).title == title


def test_a_bare_process_label_heads_the_steps() -> None:
    posting = "Bookkeeper\n- keep the ledgers for 40 clients\nProcess: call -> test task -> offer."
    steps = parse_posting(posting, families=FAMILIES).interview_steps
    assert steps == ("call", "test task", "offer")
