"""What loops needs to know about scorecards, declared here and answered from above.

Scorecards sit above loops (a scorecard points at a loop session), yet planning reads
scorecard facts: round one's ratings feed the gap analysis and the "fresh eyes" rule, and
seats with round-two scorecards must never move. Loops does not import scorecards for
them; it declares the facts it needs as plain data and a :class:`ScorecardFacts`
protocol, and the scorecards app answers them (`scorecards/facts.py`, plugged in by its
``AppConfig.ready``). The dependency points upward only through this one typed seam.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from django.core.exceptions import ImproperlyConfigured

if TYPE_CHECKING:
    from secondround.hiring.models import Position
    from secondround.loops.models import LoopPlan


@dataclass(frozen=True)
class RoundOneRating:
    """One round-one rating, as loops reads it (a rating of None: not assessed)."""

    application_id: int
    candidate_email: str
    interviewer_id: int
    interviewer_name: str
    competency_id: int
    competency_name: str
    rating: int | None
    confidence: int | None
    notes: str
    concern: bool


@dataclass(frozen=True)
class Written:
    """Round-two scorecards one interviewer has in one session (any finalist)."""

    total: int
    submitted: int


@dataclass(frozen=True)
class OpenDraft:
    """A round-two scorecard its interviewer has started and not submitted."""

    scorecard_id: int
    session_id: int
    application_id: int


class ScorecardFacts(Protocol):
    def round_one_ratings(self, position: Position) -> list[RoundOneRating]:
        """Every round-one rating given on the position's applications."""
        ...

    def written_by_seat(self, plan: LoopPlan) -> dict[tuple[int, int], Written]:
        """(session id, interviewer id) -> the round-two scorecards written there."""
        ...

    def sessions_with_scorecards(self, plan: LoopPlan) -> set[int]:
        """Ids of the plan's sessions any scorecard points at (they must not be deleted)."""
        ...

    def open_drafts(self, interviewer_id: int) -> list[OpenDraft]:
        """The interviewer's round-two scorecards not yet submitted."""
        ...


_facts: ScorecardFacts | None = None


def provide(facts: ScorecardFacts) -> None:
    """Plug in the scorecards app's answers (called once, from its ``AppConfig.ready``)."""
    global _facts
    _facts = facts


def scorecard_facts() -> ScorecardFacts:
    if _facts is None:
        raise ImproperlyConfigured(
            "No scorecard facts: add secondround.scorecards to INSTALLED_APPS (its "
            "AppConfig.ready provides them)."
        )
    return _facts
