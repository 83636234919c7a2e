"""What the debrief page shows: calibrated finalists side by side, and what is still unknown."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from secondround.accounts.models import User
from secondround.debrief import calibration
from secondround.debrief.models import Decision
from secondround.engines import calibration as engine
from secondround.hiring.models import Application, Competency, Position
from secondround.hiring.selectors import can_manage_position
from secondround.loops.models import ClarificationItem, ItemStatus
from secondround.loops.selectors import assessing_holders_of
from secondround.scorecards.models import Rating, Scorecard, ScorecardStatus
from secondround.scorecards.selectors import can_see_round_two_ratings, round_two_visible_ids

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
class ScorecardProgress:
    """How many of a finalist's round-two scorecards are in, and who is still to submit."""

    submitted: int
    expected: int
    still_to_submit: list[User]

    @property
    def complete(self) -> bool:
        return not self.still_to_submit


@dataclass(frozen=True)
class FinalistRow:
    application: Application
    result: engine.CandidateResult
    cells: list[Cell]
    # The chance that one more conversation with each reorders this finalist and the one
    # they are compared with (the leader; for the leader, the runner-up): the same number
    # for both of that pair. None when a finalist the viewer may not see takes part.
    swing: float | None
    compared_with: Application | None
    thin_must_haves: list[Competency]
    open_items: list[ClarificationItem]
    scorecards: ScorecardProgress


@dataclass(frozen=True)
class Debrief:
    position: Position
    refreshed_at: datetime
    rows: list[FinalistRow]
    competencies: list[Competency]
    weights: dict[int, float]
    interviewers: list[tuple[User, engine.InterviewerResult]]
    withheld: list[Application]  # finalists whose ratings the viewer may not see yet

    @property
    def provisional(self) -> bool:
        """Round-two scorecards are missing, so scores and P(best) will still move."""
        return any(not row.scorecards.complete for row in self.rows)

    @property
    def missing_scorecards(self) -> int:
        return sum(len(row.scorecards.still_to_submit) for row in self.rows)

    @property
    def compares_all(self) -> bool:
        """Every finalist is visible: P(best), ranks and swings compare only what is shown.

        They are relative to every finalist, so with one withheld they would tell the viewer
        something about that finalist's ratings (the independence rule forbids it).
        """
        return not self.withheld


def calibration_refreshing() -> bool:
    """The numbers shown are behind the submitted scorecards; the worker is refitting."""
    return calibration.needs_refit()


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
        comparison = _reweighted(comparison, chosen, group_name)
    group = comparison.group(group_name)
    # The decision comes along for the page's decision column (a reverse one-to-one).
    applications = Application.objects.select_related("candidate", "decision").in_bulk(
        [int(c.candidate) for c in group.candidates]
    )
    visible_ids = round_two_visible_ids(user, applications.values())
    visible = {pk: a for pk, a in applications.items() if pk in visible_ids}
    residual = comparison.model.variance_residual
    progress = scorecard_progress(position, list(visible.values()))
    open_items = open_items_by_application(list(visible))
    compares_all = len(visible) == len(applications)
    rows = []
    for result in group.candidates:
        application = visible.get(int(result.candidate))
        if application is None:
            continue
        other = _compared_with(result, group.candidates)
        rows.append(
            FinalistRow(
                application=application,
                result=result,
                cells=[_cell(result, c) for c in competencies],
                swing=_swing(result, other, residual) if compares_all else None,
                # .get: the fit may predate an application's deletion until the next refit.
                compared_with=applications.get(int(other.candidate))
                if other and compares_all
                else None,
                thin_must_haves=_thin_must_haves(result, competencies),
                open_items=open_items.get(application.pk, []),
                scorecards=progress[application.pk],
            )
        )
    return Debrief(
        position=position,
        refreshed_at=snapshot.created_at,
        rows=rows,
        competencies=competencies,
        weights=chosen,
        interviewers=_interviewers(comparison, position),
        withheld=[a for pk, a in applications.items() if pk not in visible],
    )


def _reweighted(
    comparison: engine.Comparison, chosen: dict[int, float], group_name: str
) -> engine.Comparison:
    """Rescore the position's finalists under the chosen weights (a refusal names why)."""
    rated = {c.competency for c in comparison.competencies}
    usable = {str(pk): w for pk, w in chosen.items() if str(pk) in rated}
    if not any(w > 0 for w in usable.values()):
        raise ValidationError(
            _("Give a weight above 0 to at least one competency that has ratings.")
        )
    return comparison.reweighted(usable, groups=[group_name])


def scorecard_progress(
    position: Position, applications: list[Application]
) -> dict[int, ScorecardProgress]:
    """Per finalist: round-two scorecards submitted by those who sit its assessing seats
    (a replacement booked for that finalist instead of the seat's own interviewer)."""
    expected = assessing_holders_of(position, applications)
    everyone = set().union(*expected.values()) if expected else set()
    people = sorted(User.objects.filter(pk__in=everyone), key=lambda u: u.full_name)
    submitted: dict[int, set[int]] = {}
    for application_id, interviewer_id in Scorecard.objects.filter(
        application__in=applications, round=Scorecard.Round.TWO, status=ScorecardStatus.SUBMITTED,
        interviewer_id__in=everyone,
    ).values_list("application_id", "interviewer_id"):  # fmt: skip
        if interviewer_id in expected[application_id]:
            submitted.setdefault(application_id, set()).add(interviewer_id)
    return {
        a.pk: ScorecardProgress(
            submitted=len(submitted.get(a.pk, set())),
            expected=len(expected[a.pk]),
            still_to_submit=[
                u
                for u in people
                if u.pk in expected[a.pk] and u.pk not in submitted.get(a.pk, set())
            ],
        )
        for a in applications
    }


def _cell(result: engine.CandidateResult, competency: Competency) -> Cell:
    try:
        score = result.competency(str(competency.pk))
    except KeyError:
        return Cell(competency, None, None, False, 0)
    return Cell(competency, score.score, score.se, score.disagree, score.n_ratings)


def _compared_with(
    result: engine.CandidateResult, candidates: tuple[engine.CandidateResult, ...]
) -> engine.CandidateResult | None:
    """The leader; for the leader, the runner-up (None when there is nobody else)."""
    leader = candidates[0]
    if result is not leader:
        return leader
    return candidates[1] if len(candidates) > 1 else None


def _shift(result: engine.CandidateResult, residual_variance: float) -> float:
    """How far one more conversation (about three ratings) moves a score (one s.d.).

    It shrinks the finalist's variance from se² to 1/(1/se² + k/σ²); the score then moves
    with a standard deviation of sqrt(se² - new variance).
    """
    if result.se <= 0:
        return 0.0
    new_variance = 1 / (1 / result.se**2 + RATINGS_PER_CONVERSATION / max(residual_variance, 1e-9))
    return math.sqrt(max(result.se**2 - new_variance, 0.0))


def _swing(
    result: engine.CandidateResult,
    other: engine.CandidateResult | None,
    residual_variance: float,
) -> float:
    """How likely one more conversation with each of the two reorders this pair.

    Symmetric in the pair, so the leader's "the runner-up could come out ahead" and the
    runner-up's "could come out ahead of the leader" give one number. The gap moves with
    the two shifts combined, sqrt(a² + b²); the chance it moves past zero in the one
    direction that reorders them is ½·erfc(gap / (shift·√2)).
    """
    if other is None:
        return 0.0
    shift = math.hypot(_shift(result, residual_variance), _shift(other, residual_variance))
    if shift == 0:
        return 0.0
    gap = abs(result.score - other.score)
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


def open_items_by_application(application_ids: list[int]) -> dict[int, list[ClarificationItem]]:
    """Round-one items still open (neither resolved nor dismissed), per application, in one query."""
    items: dict[int, list[ClarificationItem]] = {}
    for item in (
        ClarificationItem.objects.filter(application__in=application_ids)
        .exclude(status__in=[ItemStatus.RESOLVED, ItemStatus.DISMISSED])
        .select_related("competency")
    ):
        items.setdefault(item.application_id, []).append(item)
    return items


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
        ratings = ratings.filter(scorecard__round=Scorecard.Round.ONE)
    return list(ratings)


def decisions_visible_to(user: User, position: Position) -> list[Decision]:
    """The position's decisions, without those on finalists whose round-two ratings the
    user may not see yet (a decision and its reasons rest on those ratings)."""
    if not can_manage_position(user, position):
        raise PermissionDenied
    decisions = (
        Decision.objects.filter(application__position=position)
        .select_related("application__candidate", "decided_by")
        .prefetch_related("competencies")
        .order_by("application__candidate__full_name")
    )
    visible = round_two_visible_ids(user, [d.application for d in decisions])
    return [d for d in decisions if d.application_id in visible]
