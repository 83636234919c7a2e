"""Content checks for the built-in role templates (no Django needed)."""

import json
import re
from pathlib import Path

import pytest

TEMPLATES_PATH = Path(__file__).resolve().parents[2] / "src/secondround/hiring/role_templates.json"

KINDS = {
    "technical",
    "problem_solving",
    "leadership",
    "stress",
    "collaboration",
    "values",
    "role_specific",
}
FAMILY_KEYS = {
    "slug",
    "name",
    "department",
    "summary",
    "titles",
    "skills",
    "responsibilities",
    "expectations",
    "competencies",
}
OPTIONAL_FAMILY_KEYS = {"look_alike_titles"}
COMPETENCY_KEYS = {"name", "kind", "description", "weight", "must_have", "anchors"}
REQUIRED_SLUGS = {
    "software-engineer",
    "data-analyst",
    "product-manager",
    "account-executive",
    "customer-support-specialist",
    "marketing-manager",
    "product-designer",
    "operations-project-manager",
    "finance-analyst",
    "registered-nurse",
    "people-partner-recruiter",
    "site-reliability-engineer",
}
SLUG_RE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")

TEMPLATES = json.loads(TEMPLATES_PATH.read_text(encoding="utf-8"))


def _ids(families):
    return [family.get("slug", "?") for family in families]


def test_is_a_list_of_at_least_thirty_families():
    assert isinstance(TEMPLATES, list)
    assert len(TEMPLATES) >= 30


def test_families_cover_the_worlds_common_occupations():
    """Issue #14: engineering specialities, data, design, support, sales, people, finance,
    operations, healthcare, education, trades, hospitality, legal, logistics."""
    departments = {family["department"] for family in TEMPLATES}
    assert departments >= {
        "Engineering", "Data", "Design", "Customer Support", "Sales", "People", "Finance",
        "Operations", "Clinical Care", "Care", "Education", "Trades", "Hospitality", "Legal",
        "Logistics", "Security", "IT", "Retail", "Administration",
    }  # fmt: skip


def test_a_job_title_names_one_family_only():
    """Titles decide the family first, so the same title must not sit in two families."""
    owners: dict[str, list[str]] = {}
    for family in TEMPLATES:
        for title in family["titles"]:
            owners.setdefault(title.casefold(), []).append(family["slug"])
    assert {t: s for t, s in owners.items() if len(s) > 1} == {}


def test_slugs_are_unique_and_well_formed():
    slugs = [family["slug"] for family in TEMPLATES]
    assert len(slugs) == len(set(slugs))
    assert all(SLUG_RE.match(slug) for slug in slugs)


def test_required_families_present():
    assert {family["slug"] for family in TEMPLATES} >= REQUIRED_SLUGS


@pytest.mark.parametrize("family", TEMPLATES, ids=_ids(TEMPLATES))
class TestFamily:
    def test_exact_keys_and_text_fields(self, family):
        assert FAMILY_KEYS <= set(family) <= FAMILY_KEYS | OPTIONAL_FAMILY_KEYS
        for key in ("slug", "name", "department", "summary"):
            assert isinstance(family[key], str) and family[key].strip()

    def test_titles_and_skills(self, family):
        for key, least in (("titles", 5), ("skills", 10)):
            items = family[key]
            assert len(items) >= least, key
            assert all(isinstance(i, str) and i == i.strip().lower() and i for i in items), key
            assert len(items) == len(set(items)), key

    def test_look_alike_titles_are_not_own_titles(self, family):
        alike = family.get("look_alike_titles", [])
        assert all(isinstance(i, str) and i == i.strip().lower() and i for i in alike)
        assert not set(alike) & set(family["titles"])

    def test_responsibilities_and_expectations(self, family):
        assert 5 <= len(family["responsibilities"]) <= 7
        assert 4 <= len(family["expectations"]) <= 5
        for item in family["responsibilities"] + family["expectations"]:
            assert isinstance(item, str) and item.strip()

    def test_seven_or_eight_competencies(self, family):
        assert 7 <= len(family["competencies"]) <= 8

    def test_all_seven_kinds_covered(self, family):
        kinds = [c["kind"] for c in family["competencies"]]
        assert set(kinds) <= KINDS
        assert set(kinds) == KINDS

    def test_competency_names_unique_and_short(self, family):
        names = [c["name"] for c in family["competencies"]]
        assert len(names) == len({name.casefold() for name in names})
        for name in names:
            assert 2 <= len(name.split()) <= 5, name

    def test_two_to_four_must_haves(self, family):
        must_haves = [c for c in family["competencies"] if c["must_have"] is True]
        assert 2 <= len(must_haves) <= 4

    def test_competency_fields(self, family):
        for comp in family["competencies"]:
            assert set(comp) == COMPETENCY_KEYS, comp["name"]
            assert isinstance(comp["description"], str) and comp["description"].strip()
            assert isinstance(comp["must_have"], bool)
            assert type(comp["weight"]) is int and 1 <= comp["weight"] <= 3

    def test_five_anchors_without_leading_digit(self, family):
        for comp in family["competencies"]:
            anchors = comp["anchors"]
            assert len(anchors) == 5, comp["name"]
            assert len(set(anchors)) == 5, comp["name"]
            for anchor in anchors:
                assert isinstance(anchor, str) and anchor.strip(), comp["name"]
                assert not anchor.lstrip()[0].isdigit(), anchor
                assert 10 <= len(anchor.split()) <= 30, anchor
