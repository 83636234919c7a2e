"""The JSON API at /api/v1/: thin endpoints over the same services and selectors as the web.

Authentication: a personal token in `Authorization: Bearer <token>`, or the browser session
(with its CSRF check) for pages that call the API.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import (
    NON_FIELD_ERRORS,
    ObjectDoesNotExist,
    PermissionDenied,
    ValidationError,
)
from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI, Status
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import HttpBearer, SessionAuth

from secondround.accounts.models import Department, User
from secondround.accounts.services import user_for_api_key
from secondround.api import schemas as s
from secondround.hiring import selectors, services
from secondround.hiring.models import Application, Candidate, Competency, Position
from secondround.ids import Id
from secondround.scorecards.selectors import (
    VisibleHistory,
    histories_visible_to,
    history_visible_to,
)


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        user = user_for_api_key(token)
        if user is not None:
            request.user = user
        return user


api = NinjaAPI(
    title="secondround API",
    version="1",
    urls_namespace="api",
    auth=[TokenAuth(), SessionAuth()],
    docs_url="/docs",
)


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


api.add_router("/", "secondround.api.rounds.router")
api.add_router("/", "secondround.api.debrief.router")
api.add_router("/", "secondround.api.scheduling.router")
api.add_router("/", "secondround.api.messaging.router")


# Every validation error answers 422 with {"detail": [{"loc", "msg", "type"}, ...]}: `loc` is
# where the value was ("body", then the field path; or "query"/"path" and the parameter),
# whether the schema refused it or a service did.


def _problem(loc: list[Any], msg: str, type_: str) -> dict[str, Any]:
    return {"loc": loc, "msg": msg, "type": type_}


@api.exception_handler(ValidationError)
def validation_error(request: HttpRequest, error: ValidationError) -> HttpResponse:
    if not hasattr(error, "error_dict"):
        detail = [
            _problem(["body"], " ".join(error.messages), getattr(error, "code", None) or "invalid")
        ]
    else:
        messages = error.message_dict
        detail = [
            _problem(_service_loc(field), " ".join(messages[field]), errors[0].code or "invalid")
            for field, errors in error.error_dict.items()
        ]
    return api.create_response(request, {"detail": detail}, status=422)


def _service_loc(field: str) -> list[Any]:
    return ["body"] if field == NON_FIELD_ERRORS else ["body", field]


@api.exception_handler(NinjaValidationError)
def schema_error(request: HttpRequest, error: NinjaValidationError) -> HttpResponse:
    detail = [_problem(_schema_loc(e["loc"]), e["msg"], e["type"]) for e in error.errors]
    return api.create_response(request, {"detail": detail}, status=422)


def _schema_loc(loc: Any) -> list[Any]:
    """Ninja nests a body under the view's parameter name (["body", "data", "title"]); the
    caller never sent "data", so the field path starts right after "body"."""
    loc = list(loc)
    return [loc[0], *loc[2:]] if loc[:1] == ["body"] and len(loc) > 1 else loc


@api.exception_handler(PermissionDenied)
def permission_denied(request: HttpRequest, error: PermissionDenied) -> HttpResponse:
    return api.create_response(request, {"detail": _refusal(request, error)}, status=403)


def _refusal(request: HttpRequest, error: PermissionDenied) -> str:
    """Why the request was refused, worded for what it tried: a read is not a change."""
    message = str(error)
    if request.method in ("GET", "HEAD") and (not message or message.endswith("can change it.")):
        return "Only the position's hiring team can read this."
    return message or "Forbidden"


@api.exception_handler(ObjectDoesNotExist)
def not_found(request: HttpRequest, error: ObjectDoesNotExist) -> HttpResponse:
    return api.create_response(request, {"detail": "Not found"}, status=404)


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


@api.get("/positions", response=list[s.PositionOut], tags=["positions"])
def list_positions(request: HttpRequest) -> list[dict[str, Any]]:
    positions = selectors.visible_positions(_user(request)).prefetch_related("competencies")
    return [_position(p) for p in positions]


@api.post("/positions", response={201: s.PositionOut}, tags=["positions"])
def create_position(request: HttpRequest, data: s.PositionIn) -> Status[dict[str, Any]]:
    department = (
        Department.objects.get_or_create(name=data.department.strip())[0]
        if data.department.strip()
        else None
    )
    position = services.create_position_from_template(
        actor=_user(request), template_slug=data.template, title=data.title, department=department
    )
    return Status(201, _position(position))


@api.get("/positions/{position_id}", response=s.PositionOut, tags=["positions"])
def get_position(request: HttpRequest, position_id: Id) -> dict[str, Any]:
    return _position(selectors.get_visible_position(_user(request), position_id))


@api.patch("/positions/{position_id}", response=s.PositionOut, tags=["positions"])
def patch_position(request: HttpRequest, position_id: Id, data: s.PositionPatch) -> dict[str, Any]:
    user = _user(request)
    position = selectors.get_visible_position(user, position_id)
    services.update_position(actor=user, position=position, fields=data.dict(exclude_unset=True))
    return _position(position)


@api.post(
    "/positions/{position_id}/competencies", response={201: s.CompetencyOut}, tags=["positions"]
)
def create_competency(
    request: HttpRequest, position_id: Id, data: s.CompetencyIn
) -> Status[dict[str, Any]]:
    user = _user(request)
    position = selectors.get_visible_position(user, position_id)
    competency = services.save_competency(
        actor=user, position=position, fields=_competency_fields(data)
    )
    return Status(201, _competency(competency))


def _visible_competency(user: User, position_id: Id, competency_id: Id) -> Competency:
    position = selectors.get_visible_position(user, position_id)
    return position.competencies.get(pk=competency_id)


@api.patch(
    "/positions/{position_id}/competencies/{competency_id}",
    response=s.CompetencyOut,
    tags=["positions"],
)
def patch_competency(
    request: HttpRequest, position_id: Id, competency_id: Id, data: s.CompetencyPatch
) -> dict[str, Any]:
    user = _user(request)
    competency = _visible_competency(user, position_id, competency_id)
    services.save_competency(
        actor=user,
        position=competency.position,
        competency=competency,
        fields=_competency_fields(data),
    )
    return _competency(competency)


@api.delete(
    "/positions/{position_id}/competencies/{competency_id}",
    response={204: None},
    tags=["positions"],
)
def delete_competency(request: HttpRequest, position_id: Id, competency_id: Id) -> Status[None]:
    user = _user(request)
    services.delete_competency(
        actor=user, competency=_visible_competency(user, position_id, competency_id)
    )
    return Status(204, None)


# --- candidates and applications ------------------------------------------------------------


@api.get("/candidates", response=list[s.CandidateOut], tags=["candidates"])
def list_candidates(request: HttpRequest) -> list[Candidate]:
    return list(selectors.visible_candidates(_user(request)))


@api.get("/candidates/{candidate_id}", response=s.CandidateOut, tags=["candidates"])
def get_candidate(request: HttpRequest, candidate_id: Id) -> Candidate:
    return selectors.get_visible_candidate(_user(request), candidate_id)


@api.patch("/candidates/{candidate_id}", response=s.CandidateOut, tags=["candidates"])
def patch_candidate(request: HttpRequest, candidate_id: Id, data: s.CandidatePatch) -> Candidate:
    user = _user(request)
    candidate = selectors.get_visible_candidate(user, candidate_id)
    return services.update_candidate(
        actor=user, candidate=candidate, fields=data.dict(exclude_unset=True)
    )


@api.get("/applications", response=list[s.ApplicationOut], tags=["applications"])
def list_applications(request: HttpRequest, position_id: Id | None = None) -> list[dict[str, Any]]:
    user = _user(request)
    applications = selectors.visible_applications(user)
    if position_id is not None:
        applications = applications.filter(position_id=position_id)
    histories = histories_visible_to(user, applications)  # a fixed number of queries for all
    return [_application(user, a, histories[a.pk]) for a in applications]


@api.post("/applications", response={201: s.ApplicationOut}, tags=["applications"])
def create_application(request: HttpRequest, data: s.ApplicationIn) -> Status[dict[str, Any]]:
    user = _user(request)
    position = selectors.get_visible_position(user, data.position_id)
    application = services.add_candidate_to_position(
        actor=user, position=position, fields=data.candidate.dict()
    )
    return Status(201, _application(user, application))


@api.get("/applications/{application_id}", response=s.ApplicationOut, tags=["applications"])
def get_application(request: HttpRequest, application_id: Id) -> dict[str, Any]:
    user = _user(request)
    return _application(user, selectors.get_visible_application(user, application_id))


@api.post("/applications/{application_id}/move", response=s.ApplicationOut, tags=["applications"])
def move_application(request: HttpRequest, application_id: Id, data: s.MoveIn) -> dict[str, Any]:
    user = _user(request)
    application = selectors.get_visible_application(user, application_id)
    application = services.move_application(
        actor=user, application=application, to_stage=data.stage, reason=data.reason
    )
    return _application(user, application)


@api.delete("/applications/{application_id}", response={204: None}, tags=["applications"])
def delete_application(request: HttpRequest, application_id: Id) -> Status[None]:
    user = _user(request)
    services.delete_application(
        actor=user, application=selectors.get_visible_application(user, application_id)
    )
    return Status(204, None)
