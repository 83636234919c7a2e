"""Routing a candidate's question to the session best placed to answer it (pure)."""

from __future__ import annotations

import pytest

from secondround.portal.routing import PREFERRED_KINDS, SessionChoice, infer_topic, suggest_session
from secondround.prep.guidance import TOPIC_LABELS

FULL_LOOP = [
    SessionChoice(1, "welcome", 0),
    SessionChoice(2, "deep_dive", 1),
    SessionChoice(3, "scenario", 2),
    SessionChoice(4, "cross_department", 3),
    SessionChoice(5, "values", 4),
    SessionChoice(6, "manager", 5),
    SessionChoice(7, "candidate_questions", 6),
    SessionChoice(8, "wrap_up", 7),
]


@pytest.mark.parametrize(
    "topic, expected",
    [
        ("career_progression", 6),
        ("professional_development", 6),
        ("team", 4),
        ("values_day_to_day", 5),
        ("challenges", 2),
        ("onboarding", 1),
        ("next_steps", 8),
        ("", 7),  # nothing to go on: the session for the candidate's questions
    ],
)
def test_topic_picks_the_session(topic: str, expected: int) -> None:
    assert suggest_session(topic, "Something?", FULL_LOOP) == expected


def test_words_decide_when_the_topic_is_left_open() -> None:
    assert suggest_session("", "How do people get promoted here?", FULL_LOOP) == 6
    assert suggest_session("", "Who would I collaborate with most?", FULL_LOOP) == 4
    assert suggest_session("", "Wie sieht die Karriere hier aus?", FULL_LOOP) == 6


def test_the_next_best_session_when_the_loop_lacks_the_preferred_one() -> None:
    no_manager = [s for s in FULL_LOOP if s.kind != "manager"]
    assert suggest_session("career_progression", "", no_manager) == 7
    short = [SessionChoice(10, "deep_dive", 0), SessionChoice(11, "values", 1)]
    assert suggest_session("team", "", short) == 11  # values is team's second choice
    assert suggest_session("next_steps", "", short) == 10  # first session as the last resort
    assert suggest_session("team", "", []) is None


def test_order_not_list_position_decides_between_two_of_a_kind() -> None:
    twice = [SessionChoice(21, "manager", 5), SessionChoice(20, "manager", 2)]
    assert suggest_session("career_progression", "", twice) == 20


def test_every_prep_topic_has_a_route_and_infer_topic_names_known_topics() -> None:
    assert set(PREFERRED_KINDS) == set(TOPIC_LABELS)
    for text in ("What does the onboarding look like?", "What is the hardest problem?"):
        assert infer_topic(text) in TOPIC_LABELS
    assert infer_topic("Hello") == ""
