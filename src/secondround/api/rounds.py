"""API for round two: round-one ratings, clarification items, the bank, loop plans and kits."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import File, Router, Schema, Status, UploadedFile
from ninja.params import functions as param
from pydantic import Field

from secondround.api.schemas import StrictSchema
from secondround.hiring import selectors as hiring
from secondround.ids import Id
from secondround.loops import items, selectors, services
from secondround.loops.models import ClarificationItem, ItemStatus, LoopPlan
from secondround.questions.models import Question, Scenario
from secondround.questions.selectors import search_questions
from secondround.questions.services import save_question
from secondround.scorecards.importer import ImportRejected, read_upload
from secondround.scorecards.selectors import can_see_round_two_ratings, round_one_ratings
from secondround.scorecards.services import import_first_round
from secondround.web.helpers import refuse_job_seekers, request_user

router = Router(tags=["round two"])


class RatingOut(Schema):
    candidate_email: str
    interviewer_email: str
    competency: str
    rating: int | None
    confidence: int | None
    notes: str
    concern: bool


class ImportOut(Schema):
    created: int
    updated: int
    unchanged: int
    scorecards: int


class ItemOut(Schema):
    id: int
    application_id: int
    candidate: str
    competency: str | None
    reasons: list[str]
    priority: float
    summary: str
    evidence: list[dict[str, Any]]
    questions: list[str]
    session: str | None
    status: str


class ItemPatch(StrictSchema):
    summary: str | None = None
    questions: list[str] | None = None
    status: ItemStatus | None = None


class QuestionOut(Schema):
    id: int
    key: str | None
    text: str
    type: str
    kind: str
    role_families: list[str]
    reason: str
    follow_ups: list[str]
    answer_1: str
    answer_3: str
    answer_5: str
    builtin: bool
    retired: bool


class QuestionIn(StrictSchema):
    text: str = Field(min_length=5)
    type: str
    kind: str
    role_families: list[str] = []
    reason: str = ""
    follow_ups: list[str] = Field(min_length=2)
    answer_1: str = Field(min_length=1)
    answer_3: str = Field(min_length=1)
    answer_5: str = Field(min_length=1)


class ScenarioOut(Schema):
    id: int
    role_family: str
    title: str
    brief: str
    materials: list[str]
    timebox_minutes: int
    watch_for: list[str]
    rubric: list[dict[str, str]]


class ImportProblemOut(Schema):
    loc: list[str | int]  # ["file", unit, line, column]
    msg: str


class ImportRejectedOut(Schema):
    detail: list[ImportProblemOut]


class CheckOut(Schema):
    """A coverage rule the loop breaks (`loops/checks.py`)."""

    rule: str
    label: str
    subject: str
    message: str
    severity: str


class SeatOut(Schema):
    id: int
    interviewer: str  # email
    competencies: list[str]


class SessionQuestionOut(Schema):
    question_id: int
    text: str
    competency: str | None


class SessionOut(Schema):
    id: int
    kind: str
    title: str
    purpose: str
    duration_minutes: int
    scenario: str | None
    seats: list[SeatOut]
    questions: list[SessionQuestionOut]


class LoopOut(Schema):
    position_id: int
    status: str
    time_budget_minutes: int
    total_minutes: int
    checks: list[CheckOut]
    sessions: list[SessionOut]


class KeptSeatOut(Schema):
    interviewer: str
    session: str
    focus: list[str]
    scorecards: int
    submitted: int


class SeatChangeOut(Schema):
    change: str
    interviewer: str
    session: str
    focus_before: list[str] | None
    focus_after: list[str] | None


class DurationChangeOut(Schema):
    session: str
    before: int
    after: int


class LoopChangesOut(Schema):
    token: str  # send it back as `confirmed` to propose an accepted loop again
    accepted: bool
    total_minutes: int
    budget_problem: str
    kept: list[KeptSeatOut]
    changes: list[SeatChangeOut]
    durations: list[DurationChangeOut]


class KitSessionOut(Schema):
    title: str
    purpose: str
    duration_minutes: int


class KitCompetencyOut(Schema):
    name: str
    anchors: list[str]  # what a 1 to a 5 looks like


class KitQuestionOut(Schema):
    text: str
    follow_ups: list[str]
    competency: str | None


class KitItemOut(ItemOut):
    # From colleagues' submitted scorecards: None until the viewer submitted their own.
    status: str | None  # type: ignore[assignment]


class KitOut(Schema):
    candidate: str
    position: str
    session: KitSessionOut
    interviewer: str  # email
    competencies: list[KitCompetencyOut]
    questions: list[KitQuestionOut]
    clarification_items: list[KitItemOut]
    scenario: str | None


class ProposeIn(StrictSchema):
    time_budget_minutes: int = Field(default=300, ge=30, le=720)
    # For an accepted loop: the token from GET …/loop/changes for the same budget.
    confirmed: str | None = Field(default=None, max_length=64)


def _position(request: HttpRequest, position_id: Id) -> Any:
    position = hiring.get_visible_position(request_user(request), position_id)
    hiring.require_manager(request_user(request), position)
    return position


def _item(item: ClarificationItem) -> dict[str, Any]:
    return {
        "id": item.pk, "application_id": item.application_id,
        "candidate": item.application.candidate.full_name,
        "competency": item.competency.name if item.competency else None,
        "reasons": item.reasons, "priority": item.priority, "summary": item.summary,
        "evidence": item.evidence, "questions": item.question_list,
        "session": item.session.title if item.session else None, "status": item.status,
    }  # fmt: skip


def _kit_item(item: ClarificationItem, viewer_may_see_outcomes: bool) -> dict[str, Any]:
    """An item in a kit. Its state comes from colleagues' submitted scorecards, so it stays
    hidden (None) until the viewer has submitted their own."""
    return {**_item(item), "status": item.status if viewer_may_see_outcomes else None}


def _plan(plan: LoopPlan) -> dict[str, Any]:
    return {
        "position_id": plan.position_id,
        "status": plan.status,
        "time_budget_minutes": plan.time_budget_minutes,
        "total_minutes": plan.total_minutes,
        "checks": plan.checks,
        "sessions": [
            {
                "id": s.pk,
                "kind": s.kind,
                "title": s.title,
                "purpose": s.purpose,
                "duration_minutes": s.duration_minutes,
                "scenario": s.scenario.title if s.scenario else None,
                "seats": [
                    {
                        "id": seat.pk,
                        "interviewer": seat.interviewer.email,
                        "competencies": [c.name for c in seat.competencies.all()],
                    }
                    for seat in s.seats.all()
                ],
                "questions": [
                    {
                        "question_id": q.question_id,
                        "text": q.question.text,
                        "competency": q.competency.name if q.competency else None,
                    }
                    for q in s.questions.select_related("question", "competency")
                ],
            }
            for s in plan.sessions.all()
        ],
    }


@router.get("/positions/{position_id}/round-one/ratings", response=list[RatingOut])
def list_round_one(request: HttpRequest, position_id: Id) -> list[dict[str, Any]]:
    position = _position(request, position_id)
    return [
        {
            "candidate_email": r.scorecard.application.candidate.email,
            "interviewer_email": r.scorecard.interviewer.email,
            "competency": r.competency.name,
            "rating": r.rating,
            "confidence": r.confidence,
            "notes": r.notes,
            "concern": r.concern,
        }
        for r in round_one_ratings(position)
    ]


@router.post(
    "/positions/{position_id}/round-one/import", response={200: ImportOut, 422: ImportRejectedOut}
)
def import_round_one(
    request: HttpRequest, position_id: Id, file: File[UploadedFile]
) -> Status[Any]:
    position = _position(request, position_id)
    try:
        result = import_first_round(
            actor=request_user(request), filename=file.name or "upload.csv",
            content=read_upload(file), position=position,
        )  # fmt: skip
    except ImportRejected as rejected:
        detail = [
            {"loc": ["file", p.unit, p.line, p.column], "msg": str(p)} for p in rejected.problems
        ]
        return Status(422, {"detail": detail})
    return Status(200, result.__dict__)


@router.get("/positions/{position_id}/clarification-items", response=list[ItemOut])
def list_items(request: HttpRequest, position_id: Id) -> list[dict[str, Any]]:
    position = _position(request, position_id)
    items = ClarificationItem.objects.filter(application__position=position).select_related(
        "application__candidate", "competency", "session"
    )
    return [_item(i) for i in items]


@router.patch("/clarification-items/{item_id}", response=ItemOut)
def patch_item(request: HttpRequest, item_id: Id, data: ItemPatch) -> dict[str, Any]:
    user = request_user(request)
    item = ClarificationItem.objects.select_related("application__position").get(
        pk=item_id, application__position__in=hiring.managed_positions(user)
    )
    items.update_item(
        actor=user, item=item,
        summary=data.summary if data.summary is not None else item.summary,
        questions="\n".join(data.questions) if data.questions is not None else item.questions,
        session=item.session, status=data.status or item.status,
    )  # fmt: skip
    return _item(item)


@router.get("/questions", response=list[QuestionOut])
def list_questions(
    request: HttpRequest, q: str = "", kind: str = "", type: str = "", role_family: str = ""
) -> list[Question]:
    refuse_job_seekers(request_user(request))
    return list(search_questions(text=q, kind=kind, type=type, role_family=role_family)[:200])


@router.post("/questions", response={201: QuestionOut})
def create_question(request: HttpRequest, data: QuestionIn) -> Status[Question]:
    return Status(201, save_question(actor=request_user(request), fields=data.dict()))


@router.get("/scenarios", response=list[ScenarioOut])
def list_scenarios(request: HttpRequest, role_family: str = "") -> list[Scenario]:
    refuse_job_seekers(request_user(request))
    search_questions()  # loads the built-in bank on a new install
    scenarios = Scenario.objects.filter(retired=False)
    return list(scenarios.filter(role_family=role_family) if role_family else scenarios)


@router.get("/positions/{position_id}/loop", response=LoopOut)
def get_loop(request: HttpRequest, position_id: Id) -> dict[str, Any]:
    plan = selectors.plan_for(_position(request, position_id))
    if plan is None:
        raise LoopPlan.DoesNotExist
    return _plan(plan)


@router.post("/positions/{position_id}/loop", response={201: LoopOut})
def propose_loop(request: HttpRequest, position_id: Id, data: ProposeIn) -> Status[Any]:
    plan = services.propose_loop(
        actor=request_user(request),
        position=_position(request, position_id),
        time_budget_minutes=data.time_budget_minutes,
        confirmed=data.confirmed,
    )
    return Status(201, _plan(plan))


@router.get("/positions/{position_id}/loop/changes", response=LoopChangesOut)
def loop_changes(
    request: HttpRequest,
    position_id: int,
    time_budget_minutes: int = param.Query(300, ge=30, le=720),
) -> dict[str, Any]:
    """What proposing the loop again would change, and the token that confirms it."""
    position = _position(request, position_id)
    draft = services.preview_loop(
        actor=request_user(request), position=position, time_budget_minutes=time_budget_minutes
    )
    return {
        "token": services.loop_fingerprint(
            position=position, time_budget_minutes=time_budget_minutes
        ),
        "accepted": draft.was_accepted,
        "total_minutes": draft.total_minutes,
        "budget_problem": draft.budget_problem,
        "kept": [
            {"interviewer": k.interviewer, "session": k.session, "focus": list(k.focus),
             "scorecards": k.written.total, "submitted": k.written.submitted}
            for k in draft.kept
        ],
        "changes": [
            {"change": c.what, "interviewer": c.interviewer, "session": c.session,
             "focus_before": c.before, "focus_after": c.after}
            for c in draft.changes
        ],
        "durations": [
            {"session": title, "before": before, "after": after}
            for title, before, after in draft.durations
        ],
    }  # fmt: skip


@router.get("/kits/{seat_id}/{application_id}", response=KitOut)
def get_kit(request: HttpRequest, seat_id: Id, application_id: Id) -> dict[str, Any]:
    user = request_user(request)
    kit = selectors.kit(user, seat_id, application_id)
    viewer_may_see_outcomes = can_see_round_two_ratings(user, kit.application)
    return {
        "candidate": kit.application.candidate.full_name,
        "position": kit.position.title,
        "session": {"title": kit.session.title, "purpose": kit.session.purpose,
                    "duration_minutes": kit.session.duration_minutes},
        "interviewer": kit.seat.interviewer.email,
        "competencies": [
            {"name": c.name, "anchors": [t for _p, t in c.anchors]} for c in kit.competencies
        ],
        "questions": [
            {"text": q.question.text, "follow_ups": q.question.follow_ups,
             "competency": q.competency.name if q.competency else None}
            for q in kit.questions
        ],
        "clarification_items": [_kit_item(i, viewer_may_see_outcomes) for i in kit.items],
        "scenario": kit.session.scenario.title if kit.session.scenario else None,
    }  # fmt: skip
