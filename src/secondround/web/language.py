"""Staff pages in the signed-in colleague's own language."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils import translation

from secondround.accounts.language import language_of
from secondround.accounts.models import User


class ColleagueLanguageMiddleware:
    """Activate the signed-in colleague's language (blank: the organisation's) for the request.

    Runs after Django's LocaleMiddleware, which still chooses for everyone else (signed out,
    job seekers) from the browser; its response step then writes Content-Language from this
    choice. Candidate pages override the language with the candidate's inside their view.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if isinstance(user, User) and user.is_organisation_member:
            language = language_of(user)
            translation.activate(language)
            request.LANGUAGE_CODE = language
        return self.get_response(request)
