"""Which session of the loop is best placed to answer a candidate's question.

Pure Python (no Django): the portal's services pass plain values in and store the answer.
A question's topic is the candidate's own choice when they made one, else it is read from
the words of the question (``infer_topic``). Each topic has an ordered list of session kinds
that can answer it well (career progression is the hiring manager's to answer, team life the
cross-department colleague's); the first kind the loop actually has wins, then the session
for the candidate's questions, the wrap-up, and finally the first session of the loop.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

# Session kinds (loops.SessionKind values), best first, for each question topic
# (prep.guidance.TOPIC_LABELS keys).
PREFERRED_KINDS: dict[str, tuple[str, ...]] = {
    "career_progression": ("manager",),
    "professional_development": ("manager",),
    "first_90_days": ("manager", "deep_dive"),
    "great_vs_good": ("manager", "deep_dive"),
    "leadership": ("manager", "deep_dive"),
    "challenges": ("deep_dive", "scenario", "manager"),
    "team": ("cross_department", "values"),
    "values_day_to_day": ("values", "cross_department"),
    "onboarding": ("welcome", "manager"),
    "next_steps": ("wrap_up", "welcome"),
}
FALLBACK_KINDS = ("candidate_questions", "wrap_up")

# Words that show what a question is about, when the candidate left the topic open.
# Checked in this order: the first topic with a matching word wins.
TOPIC_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("career_progression", ("promot", "career", "progress", "level", "grow into",
                            "beförder", "karriere", "laufbahn", "aufstieg")),
    ("professional_development", ("learn", "training", "course", "conference", "mentor",
                                  "develop my", "skills", "weiterbildung", "lernen", "fortbildung")),
    ("first_90_days", ("first 90", "first three months", "first months", "ninety days",
                       "first weeks", "ersten 90", "ersten monate")),
    ("onboarding", ("onboard", "buddy", "new starter", "new joiner", "einarbeitung")),
    ("next_steps", ("next step", "hear back", "timeline", "decision", "offer", "nächste schritt",
                    "entscheidung", "rückmeldung")),
    ("values_day_to_day", ("value", "culture", "feedback", "disagree", "werte", "kultur")),
    ("team", ("team", "colleague", "collaborat", "work with", "remote", "office", "hybrid",
              "kolleg", "zusammenarbeit")),
    ("challenges", ("challenge", "hardest", "difficult", "problem", "tech debt", "stack",
                    "herausforderung", "schwierig")),
    ("leadership", ("direction", "roadmap", "strategy", "influence", "decide", "strategie")),
    ("great_vs_good", ("great", "success", "excellent", "erfolg")),
)  # fmt: skip


@dataclass(frozen=True)
class SessionChoice:
    """One session of the loop as routing needs it."""

    id: int
    kind: str
    order: int


def infer_topic(text: str) -> str:
    """The topic a question's words point to, or "" when none does."""
    words = " ".join(re.findall(r"[\w-]+", text.lower()))
    for topic, cues in TOPIC_WORDS:
        if any(cue in words for cue in cues):
            return topic
    return ""


def suggest_session(topic: str, text: str, sessions: Sequence[SessionChoice]) -> int | None:
    """The id of the session best placed to answer; None only when the loop has no sessions."""
    if not sessions:
        return None
    topic = topic or infer_topic(text)
    ordered = sorted(sessions, key=lambda s: (s.order, s.id))
    for kind in (*PREFERRED_KINDS.get(topic, ()), *FALLBACK_KINDS):
        for session in ordered:
            if session.kind == kind:
                return session.id
    return ordered[0].id
