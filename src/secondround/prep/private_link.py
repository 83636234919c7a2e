"""The one door every candidate page on a private link goes through.

``candidate_page(part)`` resolves the token, asks ``access.private_link_access`` whether the
link may open that part now, and answers for every candidate page alike: an unknown token is
404 naming nobody; a revoked or expired link, or a part closed in the application's state, is
410 with a way to write to the recruiter for a new link. The page then speaks the candidate's
language, and nothing is cached.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.views.decorators.cache import never_cache

from secondround.hiring.models import Application
from secondround.hiring.selectors import candidate_language
from secondround.prep.access import (
    LinkPart,
    link_contact,
    link_for_token,
    private_link_access,
    replaced_on,
)
from secondround.prep.models import InviteLink

# A token is 43 characters and a prefix; anything much longer was never one.
MAX_TOKEN_LENGTH = 200

LinkView = Callable[..., HttpResponse]


def refused_page(
    request: HttpRequest,
    reason: str,
    application: Application | None = None,
    *,
    token: str = "",
    link: InviteLink | None = None,
) -> HttpResponse:
    """The page for a link that does not open: 404 when unknown, 410 otherwise. A part closed
    in the application's state links back to the candidate's page, which is still open; an
    older mail's link (``link``, replaced by a newer one) says when the newer one was sent."""
    contact = link_contact(application) if application is not None else None
    replaced = replaced_on(link) if link is not None and reason == "revoked" else None
    # By URL name: the portal sits above prep and is not imported.
    portal_url = reverse("portal", args=[token]) if token and reason == "closed" else ""
    context = {
        "reason": reason,
        "contact": contact,
        "portal_url": portal_url,
        "replaced_on": replaced,
        "LANGUAGE_CODE": translation.get_language(),
    }
    return render(request, "prep/refused.html", context, status=404 if reason == "unknown" else 410)


def show_way_home(request: HttpRequest, *, portal_url: str = "", home_url: str = "") -> None:
    """Where the logo and the "Your page" link of a candidate page lead (read by base.html):
    the candidate's portal when the page was reached from their private link (``portal_url``),
    else ``home_url`` for the logo only. Never the staff home, which a candidate without an
    account meets as the staff login."""
    request.candidate_portal = portal_url  # type: ignore[attr-defined]
    request.candidate_home = portal_url or home_url  # type: ignore[attr-defined]


def _link(token: str) -> InviteLink | None:
    if not token or len(token) > MAX_TOKEN_LENGTH:
        return None
    try:
        return link_for_token(token)
    except InviteLink.DoesNotExist:
        return None


def candidate_page(part: LinkPart) -> Callable[[LinkView], LinkView]:
    """Open ``view(request, link, token, ...)`` only while the link may open ``part``."""

    def decorate(view: LinkView) -> LinkView:
        @wraps(view)
        @never_cache
        def wrapper(request: HttpRequest, token: str, *args: Any, **kwargs: Any) -> HttpResponse:
            link = _link(token)
            if link is None:
                return refused_page(request, "unknown")
            with translation.override(candidate_language(link.application.candidate)):
                reason = private_link_access(link).refusal(part)
                if reason:
                    return refused_page(request, reason, link.application, token=token, link=link)
                # By URL name: the portal sits above prep and is not imported.
                show_way_home(request, portal_url=reverse("portal", args=[token]))
                response = view(request, link, token, *args, **kwargs)
                response.setdefault("Content-Language", translation.get_language())
                return response

        return wrapper

    return decorate
