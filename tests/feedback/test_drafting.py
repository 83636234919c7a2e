"""The pure draft builder: only shareable words, sorted by competency and by how they went."""

from __future__ import annotations

from secondround.feedback.drafting import Evidence, Section, draft_sections

NAMES = ["System design", "Collaboration", "Ownership"]


def test_only_shareable_notes_reach_the_draft() -> None:
    sections = draft_sections(
        NAMES,
        [
            Evidence("System design", "Clear trade-offs named.", shareable=True, rating=4),
            Evidence("System design", "INTERNAL: weaker than Jordan.", shareable=False, rating=2),
        ],
    )
    assert sections == [Section("System design", "Clear trade-offs named.", "")]


def test_low_ratings_and_concerns_become_what_would_have_made_it_stronger() -> None:
    sections = draft_sections(
        NAMES,
        [
            Evidence("Collaboration", "Named who they worked with.", shareable=True, rating=3),
            Evidence("Collaboration", "The outcome stayed vague.", shareable=True, rating=2),
            Evidence("Collaboration", "Talked over the panel.", shareable=True, rating=5,
                     concern=True),
        ],
    )  # fmt: skip
    assert sections == [
        Section(
            "Collaboration",
            "Named who they worked with.",
            "The outcome stayed vague.\n\nTalked over the panel.",
        )
    ]


def test_sections_follow_the_position_order_and_skip_competencies_without_evidence() -> None:
    sections = draft_sections(
        NAMES,
        [
            Evidence("Ownership", "Owned the migration end to end.", shareable=True, rating=5),
            Evidence("System design", "Sketched the data flow first.", shareable=True),
            Evidence("Not on this position", "Ignored.", shareable=True, rating=5),
            Evidence("Collaboration", "   ", shareable=True, rating=5),
        ],
    )
    assert [s.competency for s in sections] == ["System design", "Ownership"]
    assert sections[0].went_well == "Sketched the data flow first."  # not assessed: an observation


def test_the_same_words_from_two_interviewers_are_said_once() -> None:
    same = "A specific example with a measurable result."
    sections = draft_sections(
        NAMES,
        [
            Evidence("Ownership", same, shareable=True, rating=4),
            Evidence("Ownership", same, shareable=True, rating=5),
        ],
    )
    assert sections == [Section("Ownership", same, "")]
