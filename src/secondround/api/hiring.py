"""The hiring endpoints: positions, their competencies, candidates and applications."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router, Status

from secondround.accounts.models import User
from secondround.api import schemas as s
from secondround.hiring import selectors, services
from secondround.hiring.models import Application, Candidate, Competency, Position
from secondround.ids import Id
from secondround.revisions import revision_of
from secondround.scorecards.selectors import (
    VisibleHistory,
    histories_visible_to,
    history_visible_to,
)
from secondround.web.helpers import request_user

router = Router()


# --- shapes ---------------------------------------------------------------------------------


def _competency(c: Competency) -> dict[str, Any]:
    return {
        "id": c.pk,
        "name": c.name,
        "kind": c.kind,
        "description": c.description,
        "weight": c.weight,
        "must_have": c.must_have,
        "anchors": [text for _p, text in c.anchors],
    }


def _position(p: Position) -> dict[str, Any]:
    return {
        "id": p.pk,
        "title": p.title,
        "department": p.department.name,
        "role_family": p.role_family,
        "status": p.status,
        "summary": p.summary,
        "share_scenario_brief": p.share_scenario_brief,
        "hiring_manager": p.hiring_manager.email,
        "competencies": [_competency(c) for c in p.competencies.all()],
        "revision": revision_of(p.edited_at),
    }


def _application(
    user: User, a: Application, history: VisibleHistory | None = None
) -> dict[str, Any]:
    """The application as this user may see it: the independence rule hides a decision."""
    if history is None:
        history = history_visible_to(user, a)
    return {
        "id": a.pk,
        "position_id": a.position_id,
        "candidate": a.candidate,
        "stage": history.stage or HIDDEN_STAGE,
        "stage_changed_at": a.stage_changed_at if history.stage else None,
        "hidden_moves": history.hidden_moves,
        "history": [
            {
                "from_stage": m.from_stage,
                "to_stage": m.to_stage,
                "moved_at": m.moved_at,
                "moved_by": m.moved_by.email if m.moved_by else None,
                "reason": m.reason,
            }
            for m in history.moves
        ],
    }


HIDDEN_STAGE = "hidden"  # the stage would reveal a decision the caller may not see yet


def _competency_fields(data: s.CompetencyIn | s.CompetencyPatch) -> dict[str, Any]:
    fields = data.dict(exclude_unset=True)
    anchors = fields.pop("anchors", None)
    if anchors is not None:
        fields.update({f"anchor_{point}": text for point, text in enumerate(anchors, start=1)})
    return fields


# --- positions and competencies -------------------------------------------------------------


@router.get("/positions", response=list[s.PositionOut], tags=["positions"])
def list_positions(request: HttpRequest) -> list[dict[str, Any]]:
    positions = selectors.visible_positions(request_user(request)).prefetch_related("competencies")
    return [_position(p) for p in positions]


@router.post("/positions", response={201: s.PositionOut}, tags=["positions"])
def create_position(request: HttpRequest, data: s.PositionIn) -> Status[dict[str, Any]]:
    position = services.create_position_from_template(
        actor=request_user(request),
        template_slug=data.template,
        title=data.title,
        department=data.department,
    )
    return Status(201, _position(position))


@router.get("/positions/{position_id}", response=s.PositionOut, tags=["positions"])
def get_position(request: HttpRequest, position_id: Id) -> dict[str, Any]:
    return _position(selectors.get_visible_position(request_user(request), position_id))


@router.patch("/positions/{position_id}", response=s.PositionOut, tags=["positions"])
def patch_position(request: HttpRequest, position_id: Id, data: s.PositionPatch) -> dict[str, Any]:
    user = request_user(request)
    position = selectors.get_visible_position(user, position_id)
    fields = data.dict(exclude_unset=True)
    based_on = fields.pop("revision", None)
    services.update_position(actor=user, position=position, fields=fields, based_on=based_on)
    return _position(position)


@router.post(
    "/positions/{position_id}/competencies", response={201: s.CompetencyOut}, tags=["positions"]
)
def create_competency(
    request: HttpRequest, position_id: Id, data: s.CompetencyIn
) -> Status[dict[str, Any]]:
    user = request_user(request)
    position = selectors.get_visible_position(user, position_id)
    competency = services.save_competency(
        actor=user, position=position, fields=_competency_fields(data)
    )
    return Status(201, _competency(competency))


def _visible_competency(user: User, position_id: Id, competency_id: Id) -> Competency:
    position = selectors.get_visible_position(user, position_id)
    return position.competencies.get(pk=competency_id)


@router.patch(
    "/positions/{position_id}/competencies/{competency_id}",
    response=s.CompetencyOut,
    tags=["positions"],
)
def patch_competency(
    request: HttpRequest, position_id: Id, competency_id: Id, data: s.CompetencyPatch
) -> dict[str, Any]:
    user = request_user(request)
    competency = _visible_competency(user, position_id, competency_id)
    services.save_competency(
        actor=user,
        position=competency.position,
        competency=competency,
        fields=_competency_fields(data),
    )
    return _competency(competency)


@router.delete(
    "/positions/{position_id}/competencies/{competency_id}",
    response={204: None},
    tags=["positions"],
)
def delete_competency(request: HttpRequest, position_id: Id, competency_id: Id) -> Status[None]:
    user = request_user(request)
    services.delete_competency(
        actor=user, competency=_visible_competency(user, position_id, competency_id)
    )
    return Status(204, None)


# --- candidates and applications ------------------------------------------------------------


@router.get("/candidates", response=list[s.CandidateOut], tags=["candidates"])
def list_candidates(request: HttpRequest) -> list[Candidate]:
    return list(selectors.visible_candidates(request_user(request)))


@router.get("/candidates/{candidate_id}", response=s.CandidateOut, tags=["candidates"])
def get_candidate(request: HttpRequest, candidate_id: Id) -> Candidate:
    return selectors.get_visible_candidate(request_user(request), candidate_id)


@router.patch("/candidates/{candidate_id}", response=s.CandidateOut, tags=["candidates"])
def patch_candidate(request: HttpRequest, candidate_id: Id, data: s.CandidatePatch) -> Candidate:
    user = request_user(request)
    candidate = selectors.get_visible_candidate(user, candidate_id)
    return services.update_candidate(
        actor=user, candidate=candidate, fields=data.dict(exclude_unset=True)
    )


@router.get("/applications", response=list[s.ApplicationOut], tags=["applications"])
def list_applications(request: HttpRequest, position_id: Id | None = None) -> list[dict[str, Any]]:
    user = request_user(request)
    applications = selectors.visible_applications(user)
    if position_id is not None:
        applications = applications.filter(position_id=position_id)
    histories = histories_visible_to(user, applications)  # a fixed number of queries for all
    return [_application(user, a, histories[a.pk]) for a in applications]


@router.post("/applications", response={201: s.ApplicationOut}, tags=["applications"])
def create_application(request: HttpRequest, data: s.ApplicationIn) -> Status[dict[str, Any]]:
    user = request_user(request)
    position = selectors.get_visible_position(user, data.position_id)
    application = services.add_candidate_to_position(
        actor=user, position=position, fields=data.candidate.dict()
    )
    return Status(201, _application(user, application))


@router.get("/applications/{application_id}", response=s.ApplicationOut, tags=["applications"])
def get_application(request: HttpRequest, application_id: Id) -> dict[str, Any]:
    user = request_user(request)
    return _application(user, selectors.get_visible_application(user, application_id))


@router.post(
    "/applications/{application_id}/move", response=s.ApplicationOut, tags=["applications"]
)
def move_application(request: HttpRequest, application_id: Id, data: s.MoveIn) -> dict[str, Any]:
    user = request_user(request)
    application = selectors.get_visible_application(user, application_id)
    application = services.move_application(
        actor=user, application=application, to_stage=data.stage, reason=data.reason
    )
    return _application(user, application)


@router.delete("/applications/{application_id}", response={204: None}, tags=["applications"])
def delete_application(request: HttpRequest, application_id: Id) -> Status[None]:
    user = request_user(request)
    services.delete_application(
        actor=user, application=selectors.get_visible_application(user, application_id)
    )
    return Status(204, None)


# The operation ids these endpoints had in the OpenAPI document while they lived in api.py,
# kept so that clients generated from the document keep working after the split.
for _path_view in router.path_operations.values():
    for _operation in _path_view.operations:
        _operation.operation_id = f"secondround_api_api_{_operation.view_func.__name__}"
