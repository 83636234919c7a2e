"""The JSON API at /api/v1/: thin endpoints over the same services and selectors as the web.

This module holds the API itself (authentication, the error answers) and registers each
app's router (``api/<app>.py``); the endpoints live in those modules.

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
from ninja import NinjaAPI
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import HttpBearer, SessionAuth

from secondround.accounts.models import User
from secondround.accounts.services import user_for_api_key
from secondround.revisions import STALE


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


api.add_router("/", "secondround.api.hiring.router")
api.add_router("/", "secondround.api.rounds.router")
api.add_router("/", "secondround.api.debrief.router")
api.add_router("/", "secondround.api.scheduling.router")
api.add_router("/", "secondround.api.bookings.router")
api.add_router("/", "secondround.api.messaging.router")
api.add_router("/", "secondround.api.accounts.router")


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
    # Someone changed it since the caller read it: a conflict, not a bad value.
    stale = all(problem["type"] == STALE for problem in detail)
    return api.create_response(request, {"detail": detail}, status=409 if stale else 422)


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
