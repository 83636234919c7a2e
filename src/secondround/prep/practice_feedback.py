"""Feedback on one practice attempt, from its stored analysis, for the page."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from secondround.engines.answers import OFF_TOPIC_RELEVANCE, spoken_duration
from secondround.prep.models import (
    PracticeAttempt,
)

STAR_LABELS = {
    "situation": _("Situation"),
    "task": _("Task"),
    "action": _("Action"),
    "result": _("Result"),
}


@dataclass(frozen=True)
class StarFeedback:
    part: str
    label: str
    present: bool
    sentences: tuple[str, ...]


@dataclass(frozen=True)
class ScoreFeedback:
    name: str
    label: str
    value: float
    percent: int
    hint: str


@dataclass(frozen=True)
class Feedback:
    attempt: PracticeAttempt
    parts: tuple[StarFeedback, ...]
    scores: tuple[ScoreFeedback, ...]
    word_count: int
    speaking_seconds: int
    fillers: tuple[tuple[str, int], ...]
    suggestions: tuple[str, ...]
    score_percent: int

    relevance_measured: bool = False
    relevance: float = 0.0

    @property
    def parts_present(self) -> int:
        return sum(1 for p in self.parts if p.present)

    @property
    def off_topic(self) -> bool:
        """The story does not answer the question: its STAR parts are not credited (the
        score is gated the same way, see engines.answers)."""
        return self.relevance_measured and self.relevance < OFF_TOPIC_RELEVANCE

    @property
    def spoken(self) -> str:
        """ "75 seconds", or in minutes beyond 90 seconds ("39 minutes")."""
        return spoken_duration(self.speaking_seconds)


def feedback(attempt: PracticeAttempt) -> Feedback:
    """The stored analysis of an attempt, in STAR order with labels, for the page."""
    analysis = attempt.analysis
    star = analysis.get("star", {})
    parts = tuple(
        StarFeedback(
            part=part,
            label=str(label),
            present=bool(star.get(part, {}).get("present")),
            sentences=tuple(star.get(part, {}).get("sentences", ())),
        )
        for part, label in STAR_LABELS.items()
    )
    hints = {
        "specificity": _("Numbers, names and a concrete outcome."),
        "ownership": _("How much of the action is told with “I” rather than “we”."),
        "relevance": _("How closely the answer speaks to the question and competency."),
    }
    labels = {
        "specificity": _("Specificity"),
        "ownership": _("Ownership"),
        "relevance": _("Relevance"),
    }
    scores = tuple(
        ScoreFeedback(
            name=name,
            label=str(labels[name]),
            value=float(analysis.get(name, 0.0)),
            percent=round(100 * float(analysis.get(name, 0.0))),
            hint=str(hints[name]),
        )
        for name in ("specificity", "ownership", "relevance")
    )
    return Feedback(
        attempt=attempt,
        parts=parts,
        scores=scores,
        word_count=int(analysis.get("word_count", 0)),
        speaking_seconds=int(analysis.get("speaking_seconds", 0)),
        fillers=tuple(sorted(analysis.get("filler_words", {}).items(), key=lambda kv: -kv[1])),
        suggestions=tuple(analysis.get("suggestions", ())),
        score_percent=round(100 * attempt.score),
        relevance_measured=bool(attempt.question or attempt.competency),
        relevance=float(analysis.get("relevance", 0.0)),
    )
