"""Key skills on postings the reader has never seen (issue #14, item 4, round 5 follow-up):
the longest phrase wins over a family's shorter skill, benefits and qualifications are never
skills, and a family kit names the posting's own tools and methods, not only the family's.

The postings are written for these tests, not taken from the benchmark corpus.
"""

from __future__ import annotations

from secondround.engines.posting import family_profiles, parse_posting, skill_phrases
from secondround.hiring.role_templates import role_templates
from secondround.prep.posting_kit import SKILLS_COMPETENCY, posting_competencies, shown_text

TEMPLATES = role_templates()
FAMILIES = family_profiles(TEMPLATES)


def _kit_text(posting: str) -> str:
    parsed = parse_posting(posting, families=FAMILIES).to_dict()
    template = TEMPLATES.get(parsed["role_family"])
    return " ".join(shown_text(c) for c in posting_competencies(parsed, template))


def test_a_longer_named_skill_wins_over_the_family_skill_inside_it() -> None:
    posting = "Software Engineer\nRequirements:\n- Strong SQL Server and C#\n- Revit MEP a plus"
    skills = parse_posting(posting, families=FAMILIES).skills
    assert "SQL Server" in skills
    assert "SQL" not in skills  # the family's "SQL" no longer hides the posting's phrase


def test_a_leading_dot_is_kept_so_dotnet_is_not_net() -> None:
    skills = parse_posting(
        "Software Developer\nRequirements:\n- 3 years of C#, .NET and Azure", families=FAMILIES
    ).skills
    assert "NET" not in skills


def test_a_task_around_a_skill_does_not_replace_it() -> None:
    posting = "Data Scientist\nRequirements:\n- deploy NLP models\n- expect strong Python"
    skills = parse_posting(posting, families=FAMILIES).skills
    assert "NLP" in skills and "Python" in skills
    assert not {"deploy NLP models", "expect strong Python"} & set(skills)


def test_benefits_and_qualifications_are_never_skills() -> None:
    posting = (
        "Veterinary Receptionist\n"
        "- Book appointments and take payments\n"
        "- Appointment scheduling in VetPro\n"
        "Requirements: a Degree or equivalent; salary history\n"
        "Benefits\n- Paid CPD\n- Uniform provided\n- Pet care discount"
    )
    skills = {s.lower() for s in parse_posting(posting, families=FAMILIES).skills}
    assert "vetpro" in skills
    assert not {"paid cpd", "uniform provided", "pet care discount", "degree"} & skills
    assert not any("salary" in s or "discount" in s for s in skills)


def test_a_skill_ends_before_in_with_or_before() -> None:
    phrases = skill_phrases(
        [
            "Tour guiding in English",
            "Client consultation before every service",
            "Reports built on SQL Server",
        ]
    )
    assert {"Tour guiding", "English", "Client consultation", "SQL Server"} <= set(phrases)
    assert "every service" not in phrases  # what follows names nothing


def test_imperative_duties_count_when_only_the_asks_have_a_cue() -> None:
    posting = (
        "Sign Writer wanted. Studio near Leeds. Design vinyl lettering for vans and paint "
        "shop fascias by hand. Must hold a CSCS card."
    )
    skills = parse_posting(posting, families=FAMILIES).skills
    assert "vinyl lettering" in skills


def test_a_family_kit_names_the_postings_own_tools_and_methods() -> None:
    posting = (
        "Management Accountant\n"
        "Responsibilities\n- Run invoice processing for 3 entities\n"
        "- Keep the fixed asset register in Sage Intacct\n- Build a small team\n"
        "Requirements\n- ACCA or CIMA"
    )
    parsed = parse_posting(posting, families=FAMILIES)
    assert parsed.role_family == "accountant"
    kit = _kit_text(posting)
    assert "invoice processing" in kit
    assert "Sage Intacct" in kit
    assert "small team" not in kit.lower()  # a task, not a skill


def test_concrete_skills_are_tools_certifications_or_methods() -> None:
    from secondround.engines.posting import concrete_skill

    assert concrete_skill("PLC")
    assert concrete_skill("call handling")
    assert concrete_skill("medication administration")
    assert not concrete_skill("Build")
    assert not concrete_skill("small team")
    assert not concrete_skill("weekly meeting")


def test_the_skills_competency_lists_family_kit_extras_only_once() -> None:
    posting = "IT Support Analyst\nDuties:\n- Troubleshooting in Lansweeper and Freshservice\n- Lansweeper"
    parsed = parse_posting(posting, families=FAMILIES).to_dict()
    names = [c.name for c in posting_competencies(parsed, TEMPLATES[parsed["role_family"]])]
    assert names.count(SKILLS_COMPETENCY) == 1
    assert [s.lower() for s in parsed["skills"]].count("lansweeper") == 1


def test_sound_is_a_qualifier_only_before_knowledge() -> None:
    phrases = skill_phrases(
        ["You will do sound mixing for bands", "a solid grasp of signal flow",
         "sound knowledge of Xero"]
    )  # fmt: skip
    assert {"sound mixing", "signal flow", "Xero"} <= set(phrases)


def test_an_activity_noun_keeps_the_word_that_says_what_it_is() -> None:
    phrases = skill_phrases(["Carry out pressure testing and roofing inspection"])
    assert "roofing inspection" in phrases  # not a bare "inspection"
    assert "anaesthesia" in skill_phrases(["monitoring anaesthesia during surgery"])


def test_the_subject_of_a_degree_is_kept_without_the_award() -> None:
    assert "pharmacy" in skill_phrases(["Requirements: pharmacy degree"])


def test_the_job_itself_is_not_one_of_its_skills() -> None:
    posting = (
        "Farrier (Equine)\nDuties\n- Hot shoeing and remedial shoeing\n"
        "Requirements\n- Farrier\n- Registered with the Farriers Registration Council"
    )
    skills = [s.lower() for s in parse_posting(posting, families=FAMILIES).skills]
    assert "farrier" not in skills
    assert "remedial shoeing" in skills


def test_named_and_method_skills_come_before_single_words_in_a_no_family_kit() -> None:
    posting = (
        "Beekeeper\nDuties\n- routine, weight, hive inspection and queen rearing\n"
        "- honey extraction in our Langstroth hives"
    )
    skills = parse_posting(posting, families=FAMILIES).skills
    assert skills.index("hive inspection") < skills.index("routine")
    assert skills.index("Langstroth hives") < skills.index("weight")


def test_plain_words_and_job_names_are_not_skills() -> None:
    phrases = skill_phrases(
        ["Comfortable with it and with questions", "Administrator or Joiner background"]
    )
    assert not {"it", "questions", "comfortable", "Administrator", "Joiner"} & set(phrases)
