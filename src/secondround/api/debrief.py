"""API for round-two scorecards (independence applies), the debrief and decisions."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, cast

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from pydantic import Field, Strict, field_validator
from pydantic_core import InitErrorDetails, PydanticCustomError
from pydantic_core import ValidationError as CoreValidationError

from secondround.api.schemas import StrictSchema
from secondround.debrief import selectors as debrief_selectors
from secondround.debrief.models import Decision, DecisionKind
from secondround.debrief.services import record_decision
from secondround.hiring import selectors as hiring
from secondround.ids import Id
from secondround.limits import MOVE_REASON_MAX, NOTES_MAX, REASONS_MAX, TAKEAWAYS_MAX
from secondround.loops.selectors import own_seat_and_finalist
from secondround.scorecards.models import Scorecard
from secondround.scorecards.selectors import (
    can_see_round_two_ratings,
    get_own_scorecard,
    round_two_scorecards_visible_to,
)
from secondround.scorecards.services import (
    OverallEntry,
    RatingEntry,
    ScorecardInput,
    StaleScorecard,
    scorecard_version,
    write_round_two_scorecard,
)
from secondround.web.helpers import request_user

router = Router(tags=["debrief"])


# A point on the 1–5 scale is a JSON whole number: pydantic would read `true` as 1 and 3.0 as 3.
ScalePoint = Annotated[int, Strict()]


class RatingIn(StrictSchema):
    """One competency's rating. A field left out keeps its stored value; null or "" clears it."""

    competency_id: Id
    rating: ScalePoint | None = Field(default=None, ge=1, le=5)
    notes: str = Field(default="", max_length=NOTES_MAX)
    shareable: bool = False


class ScorecardIn(StrictSchema):
    """A write to one's own scorecard. A field left out (overall or in a rating, and a
    competency not in `ratings`) keeps its stored value; send null or "" to clear one."""

    ratings: list[RatingIn] = []
    recommendation: str = ""
    confidence: ScalePoint | None = Field(default=None, ge=1, le=5)
    takeaways: str = Field(default="", max_length=TAKEAWAYS_MAX)
    submit: bool = False
    # The `version` of the scorecard this write starts from; a stale one is a 409.
    version: str | None = Field(
        default=None, max_length=64,
        description="The `version` read with the scorecard (16 hexadecimal digits): a stale one "
        "is a 409, anything else that is no version a 422 naming `version`. Left out: no check.",
    )  # fmt: skip

    @field_validator("ratings")
    @classmethod
    def _each_competency_once(cls, ratings: list[RatingIn]) -> list[RatingIn]:
        """Two ratings of one competency would leave the last one silently winning."""
        first: dict[int, int] = {}
        for index, rating in enumerate(ratings):
            earlier = first.setdefault(rating.competency_id, index)
            if earlier != index:
                message = "competency {c} is rated already in ratings[{i}]; send it once"
                problem = PydanticCustomError(
                    "duplicate", message, {"c": rating.competency_id, "i": earlier}
                )
                # Raised as a validation error of its own so the place is the repeated id
                # (["body", "ratings", 1, "competency_id"]), not the whole list.
                raise CoreValidationError.from_exception_data(
                    "ratings", [InitErrorDetails(type=problem, loc=(index, "competency_id"),
                                                 input=rating.competency_id)]
                )  # fmt: skip
        return ratings


OVERALL_INPUTS = ("recommendation", "confidence", "takeaways")
RATING_INPUTS = ("rating", "notes", "shareable")


def _entered(data: ScorecardIn) -> ScorecardInput:
    """What the caller sent, and only that: the service keeps what is left out (as autosave)."""

    def sent(shape: StrictSchema, names: tuple[str, ...]) -> dict[str, Any]:
        return shape.model_dump(include=set(names) & shape.model_fields_set)

    return ScorecardInput(
        ratings={r.competency_id: cast(RatingEntry, sent(r, RATING_INPUTS)) for r in data.ratings},
        resolutions={},
        overall=cast(OverallEntry, sent(data, OVERALL_INPUTS)),
    )


class DecisionIn(StrictSchema):
    decision: DecisionKind
    reasons: str = Field(max_length=REASONS_MAX)
    competency_ids: list[Id]
    dissent: list[dict[str, str]] = []
    next_step: str = Field(max_length=250)
    next_step_date: date
    change_reason: str = Field(default="", max_length=REASONS_MAX)
    # A hire while round-two scorecards are missing is refused (422) without this.
    confirm_provisional: bool = False
    # A reject closes the application: without an outcome message sent first, say why not.
    no_outcome_reason: str = Field(default="", max_length=MOVE_REASON_MAX)


# --- response shapes (so the OpenAPI document describes every answer) ----------------------


class RatingOut(Schema):
    competency_id: int
    competency: str
    rating: int | None
    notes: str
    shareable: bool


class ScorecardOut(Schema):
    id: int
    application_id: int
    interviewer: str
    round: int
    status: str
    recommendation: str
    confidence: int | None
    takeaways: str
    ratings: list[RatingOut]
    # Send it back with the next write; a write from an older version is a 409.
    version: str


class ConflictProblemOut(Schema):
    loc: list[str]
    msg: str
    type: str


class ConflictOut(Schema):
    detail: list[ConflictProblemOut]


class CompetencyScoreOut(Schema):
    score: float
    se: float
    disagree: bool


class ScorecardProgressOut(Schema):
    submitted: int
    expected: int
    still_to_submit: list[str]


class FinalistOut(Schema):
    application_id: int
    candidate: str
    score: float
    se: float
    low: float
    high: float
    p_best: float | None = Field(description="None while a finalist is withheld from you.")
    rank: int | None
    swing: float | None
    raw_mean: float | None
    n_ratings: int
    competencies: dict[str, CompetencyScoreOut]
    open_items: int
    scorecards: ScorecardProgressOut


class DebriefOut(Schema):
    position_id: int
    refreshed_at: datetime | None
    provisional: bool = False
    finalists: list[FinalistOut]
    withheld: int = 0


class DecisionRevisionOut(Schema):
    changed_by: str
    changed_at: datetime
    reason: str
    before: dict[str, Any]


class DecisionOut(Schema):
    decision: str
    reasons: str
    competencies: list[str]
    dissent: list[dict[str, str]]
    decided_by: str
    decided_at: datetime
    next_step: str
    next_step_date: date
    provisional: bool
    scorecards_missing: list[str]
    stage: str
    revisions: list[DecisionRevisionOut]


def _scorecard(card: Scorecard) -> dict[str, Any]:
    return {
        "id": card.pk, "application_id": card.application_id,
        "interviewer": card.interviewer.email, "round": card.round, "status": card.status,
        "recommendation": card.recommendation, "confidence": card.confidence,
        "takeaways": card.takeaways, "version": scorecard_version(card),
        "ratings": [
            {"competency_id": r.competency_id, "competency": r.competency.name,
             "rating": r.rating, "notes": r.notes, "shareable": r.shareable}
            for r in card.ratings.select_related("competency")
        ],
    }  # fmt: skip


@router.get("/applications/{application_id}/scorecards", response=list[ScorecardOut])
def list_scorecards(request: HttpRequest, application_id: Id) -> list[dict[str, Any]]:
    """Submitted round-two scorecards: none until the caller has submitted their own."""
    user = request_user(request)
    application = hiring.get_visible_application(user, application_id)
    return [_scorecard(c) for c in round_two_scorecards_visible_to(user, application)]


@router.post(
    "/seats/{seat_id}/scorecards/{application_id}", response={200: ScorecardOut, 409: ConflictOut}
)
def write_scorecard(
    request: HttpRequest, seat_id: Id, application_id: Id, data: ScorecardIn
) -> Status[Any]:
    """Save the caller's own draft, or submit it with `submit: true`; a refusal changes nothing."""
    user = request_user(request)
    seat, application = own_seat_and_finalist(user, seat_id, application_id)
    entered = _entered(data)
    try:
        card = write_round_two_scorecard(
            actor=user, seat=seat, application=application, data=entered, submit=data.submit,
            version=data.version,
        )  # fmt: skip
    except StaleScorecard as stale:
        problem = {"loc": ["body", "version"], "msg": " ".join(stale.messages), "type": "stale"}
        return Status(409, {"detail": [problem]})
    return Status(200, _scorecard(get_own_scorecard(user, card.pk)))


@router.get("/positions/{position_id}/debrief", response=DebriefOut)
def get_debrief(request: HttpRequest, position_id: Id) -> dict[str, Any]:
    user = request_user(request)
    position = hiring.get_visible_position(user, position_id)
    data = debrief_selectors.debrief(user, position)
    if data is None:
        return {"position_id": position.pk, "finalists": [], "refreshed_at": None}
    # P(best), rank and the swing compare every finalist; with one withheld from the caller
    # (independence) they would reveal something of that finalist's ratings.
    compares_all = data.compares_all
    return {
        "position_id": position.pk,
        "refreshed_at": data.refreshed_at,
        "provisional": data.provisional,
        "finalists": [
            {
                "application_id": row.application.pk,
                "candidate": row.application.candidate.full_name,
                "score": row.result.score,
                "se": row.result.se,
                "low": row.result.low,
                "high": row.result.high,
                "p_best": row.result.p_best if compares_all else None,
                "rank": row.result.rank if compares_all else None,
                "swing": row.swing,
                "raw_mean": row.result.raw_mean,
                "n_ratings": row.result.n_ratings,
                "competencies": {
                    c.competency.name: {"score": c.score, "se": c.se, "disagree": c.disagree}
                    for c in row.cells
                    if c.score is not None
                },
                "open_items": len(row.open_items),
                "scorecards": {
                    "submitted": row.scorecards.submitted,
                    "expected": row.scorecards.expected,
                    "still_to_submit": [p.email for p in row.scorecards.still_to_submit],
                },
            }
            for row in data.rows
        ],
        "withheld": len(data.withheld),
    }


@router.put("/applications/{application_id}/decision", response=DecisionOut)
def put_decision(request: HttpRequest, application_id: Id, data: DecisionIn) -> dict[str, Any]:
    user = request_user(request)
    application = hiring.get_visible_application(user, application_id)
    decision = record_decision(
        actor=user, application=application, decision=data.decision, reasons=data.reasons,
        competencies=list(application.position.competencies.filter(pk__in=data.competency_ids)),
        dissent=data.dissent, next_step=data.next_step, next_step_date=data.next_step_date,
        change_reason=data.change_reason, confirm_provisional=data.confirm_provisional,
        no_outcome_reason=data.no_outcome_reason,
    )  # fmt: skip
    return _decision(decision)


@router.get("/applications/{application_id}/decision", response=DecisionOut)
def get_decision(request: HttpRequest, application_id: Id) -> dict[str, Any]:
    user = request_user(request)
    application = hiring.get_visible_application(user, application_id)
    hiring.require_manager(user, application.position)
    if not can_see_round_two_ratings(user, application):
        raise PermissionDenied(_("Submit your own scorecard for this finalist first."))
    return _decision(Decision.objects.get(application=application))


def _decision(decision: Decision) -> dict[str, Any]:
    return {
        "decision": decision.decision, "reasons": decision.reasons,
        "competencies": [c.name for c in decision.competencies.all()],
        "dissent": decision.dissent, "decided_by": decision.decided_by.email,
        "decided_at": decision.decided_at, "next_step": decision.next_step,
        "next_step_date": decision.next_step_date,
        "provisional": decision.provisional,
        "scorecards_missing": decision.scorecards_missing,
        "stage": decision.application.stage,
        "revisions": [
            {"changed_by": r.changed_by.email, "changed_at": r.changed_at, "reason": r.reason,
             "before": r.before}
            for r in decision.revisions.select_related("changed_by")
        ],
    }  # fmt: skip
