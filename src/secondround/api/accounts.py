"""API for people: one's own profile, and the language of one's mails and pages (an admin's
for a colleague). The same service as the account page and the Users page."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router, Schema
from pydantic import Field

from secondround.accounts import selectors, services
from secondround.accounts.language import language_of
from secondround.accounts.models import User
from secondround.api.schemas import StrictSchema
from secondround.ids import Id
from secondround.web.helpers import request_user

router = Router(tags=["people"])


class LanguageIn(StrictSchema):
    language: str = Field(
        max_length=8,
        description="A language code the site speaks (en, de), or blank for the organisation's.",
    )


class ProfileOut(Schema):
    id: int
    email: str
    full_name: str
    role: str
    department: str | None
    title: str
    language: str = Field(description="Their choice; blank follows the organisation's.")
    effective_language: str = Field(description="The language their mails are written in.")


def _profile(user: User) -> dict[str, Any]:
    return {
        "id": user.pk,
        "email": user.email,
        "full_name": user.full_name,
        "role": user.role,
        "department": user.department.name if user.department else None,
        "title": user.title,
        "language": user.language,
        "effective_language": language_of(user),
    }


@router.get("/me", response=ProfileOut)
def me(request: HttpRequest) -> dict[str, Any]:
    return _profile(request_user(request))


@router.put("/me/language", response=ProfileOut)
def set_my_language(request: HttpRequest, data: LanguageIn) -> dict[str, Any]:
    user = request_user(request)
    return _profile(services.set_colleague_language(actor=user, user=user, language=data.language))


@router.put("/users/{user_id}/language", response=ProfileOut)
def set_colleague_language(request: HttpRequest, user_id: Id, data: LanguageIn) -> dict[str, Any]:
    actor = request_user(request)
    if not actor.is_org_admin and user_id != actor.pk:
        raise PermissionDenied("Only admins choose someone else's language.")
    colleague = get_object_or_404(selectors.colleagues(), pk=user_id)
    saved = services.set_colleague_language(actor=actor, user=colleague, language=data.language)
    return _profile(saved)
