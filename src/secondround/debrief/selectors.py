"""What the debrief page shows: calibrated finalists side by side, and what is still unknown."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import PermissionDenied

from secondround.accounts.models import User
from secondround.debrief import calibration
from secondround.engines import calibration as engine
from secondround.hiring.models import Application, Competency, Position
from secondround.hiring.selectors import can_manage_position
from secondround.loops.models import ClarificationItem, ItemStatus
from secondround.scorecards.models import Rating, ScorecardStatus
from secondround.scorecards.selectors import can_see_round_two_ratings

RATINGS_PER_CONVERSATION = 3  # a typical round-two session rates about three competencies


@dataclass(frozen=True)
class Cell:
    competency: Competency
    score: float | None
    se: float | None
    disagree: bool
    n_ratings: int

    @property
    def level(self) -> str:
        if self.score is None:
            return "none"
        return "high" if self.score >= 3.75 else "mid" if self.score >= 2.75 else "low"


@dataclass(frozen=True)
class FinalistRow:
    application: Application
    result: engine.CandidateResult
    cells: list[Cell]
    swing: float  # chance one more conversation reorders them with the leader
    thin_must_haves: list[Competency]
    open_items: list[ClarificationItem]


@dataclass(frozen=True)
class Debrief:
    position: Position
    refreshed_at: datetime
    rows: list[FinalistRow]
    competencies: list[Competency]
    weights: dict[int, float]
    interviewers: list[tuple[User, engine.InterviewerResult]]
    withheld: list[Application]  # finalists whose ratings the viewer may not see yet


def debrief(
    user: User, position: Position, *, weights: Mapping[int, float] | None = None
) -> Debrief | None:
    """The debrief for a position's hiring team; None until two finalists have ratings."""
    if not can_manage_position(user, position):
        raise PermissionDenied
    fitted = calibration.current()
    if fitted is None:
        return None
    snapshot, comparison = fitted
    group_name = str(position.pk)
    if group_name not in {g.group for g in comparison.groups}:
        return None
    competencies = list(position.competencies.all())
    chosen = {c.pk: float(weights[c.pk]) if weights and c.pk in weights else float(c.weight)
              for c in competencies}  # fmt: skip
    if weights is not None:
        rated = {c.competency for c in comparison.competencies}
        comparison = comparison.reweighted(
            {str(pk): w for pk, w in chosen.items() if str(pk) in rated}, groups=[group_name]
        )
    group = comparison.group(group_name)
    applications = Application.objects.select_related("candidate").in_bulk(
        [int(c.candidate) for c in group.candidates]
    )
    visible = {pk: a for pk, a in applications.items() if can_see_round_two_ratings(user, a)}
    residual = comparison.model.variance_residual
    leader = group.candidates[0]
    rows = [
        FinalistRow(
            application=visible[int(result.candidate)],
            result=result,
            cells=[_cell(result, c) for c in competencies],
            swing=_swing(result, leader, group.candidates, residual),
            thin_must_haves=_thin_must_haves(result, competencies),
            open_items=_open_items(visible[int(result.candidate)]),
        )
        for result in group.candidates
        if int(result.candidate) in visible
    ]
    return Debrief(
        position=position,
        refreshed_at=snapshot.created_at,
        rows=rows,
        competencies=competencies,
        weights=chosen,
        interviewers=_interviewers(comparison, position),
        withheld=[a for pk, a in applications.items() if pk not in visible],
    )


def _cell(result: engine.CandidateResult, competency: Competency) -> Cell:
    try:
        score = result.competency(str(competency.pk))
    except KeyError:
        return Cell(competency, None, None, False, 0)
    return Cell(competency, score.score, score.se, score.disagree, score.n_ratings)


def _swing(
    result: engine.CandidateResult,
    leader: engine.CandidateResult,
    candidates: tuple[engine.CandidateResult, ...],
    residual_variance: float,
) -> float:
    """How likely one more conversation (about three ratings) reorders this finalist and the
    one they are compared with (the leader; for the leader, the runner-up).

    One more conversation shrinks the finalist's variance from se² to 1/(1/se² + k/σ²); the
    score then moves with a standard deviation of sqrt(se² - new variance). The chance the
    move is larger than the gap is 2·Φ(-gap/shift) on one side, i.e. erfc(gap/(shift·√2)).
    """
    other = leader if result is not leader else (candidates[1] if len(candidates) > 1 else None)
    if other is None or result.se <= 0:
        return 0.0
    new_variance = 1 / (1 / result.se**2 + RATINGS_PER_CONVERSATION / max(residual_variance, 1e-9))
    shift = math.sqrt(max(result.se**2 - new_variance, 0.0))
    gap = abs(result.score - other.score)
    if shift == 0:
        return 0.0
    return 0.5 * math.erfc(gap / (shift * math.sqrt(2)))


def _thin_must_haves(
    result: engine.CandidateResult, competencies: list[Competency]
) -> list[Competency]:
    """Must-have competencies with fewer than two ratings behind them."""
    thin = []
    for competency in competencies:
        if not competency.must_have:
            continue
        try:
            n = result.competency(str(competency.pk)).n_ratings
        except KeyError:
            n = 0
        if n < 2:
            thin.append(competency)
    return thin


def _open_items(application: Application) -> list[ClarificationItem]:
    return list(
        ClarificationItem.objects.filter(application=application)
        .exclude(status__in=[ItemStatus.RESOLVED, ItemStatus.DISMISSED])
        .select_related("competency")
    )


def _interviewers(
    comparison: engine.Comparison, position: Position
) -> list[tuple[User, engine.InterviewerResult]]:
    """Context for the people who rated these finalists only (no league table of colleagues)."""
    ids = set(
        Rating.objects.filter(
            scorecard__application__position=position, scorecard__status=ScorecardStatus.SUBMITTED
        ).values_list("scorecard__interviewer_id", flat=True)
    )
    users = User.objects.in_bulk(ids)
    found = [
        (users[int(r.interviewer)], r)
        for r in comparison.interviewers
        if int(r.interviewer) in users
    ]
    return sorted(found, key=lambda pair: pair[0].full_name)


def ratings_for_cell(user: User, application: Application, competency: Competency) -> list[Rating]:
    """Every rating behind one cell, with its evidence and who gave it (independence applies)."""
    if not can_manage_position(user, application.position):
        raise PermissionDenied
    ratings = Rating.objects.select_related("scorecard__interviewer").filter(
        scorecard__application=application, competency=competency,
        scorecard__status=ScorecardStatus.SUBMITTED,
    ).order_by("scorecard__round", "scorecard__interviewer__full_name")  # fmt: skip
    if not can_see_round_two_ratings(user, application):
        ratings = ratings.filter(scorecard__round=1)
    return list(ratings)
