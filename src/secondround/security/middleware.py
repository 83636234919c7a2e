"""Sessions that end after idleness, and two-factor sign-in enforced on every page."""

from __future__ import annotations

import time
from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _

from secondround.accounts.models import User
from secondround.security import selectors

LAST_SEEN_KEY = "secondround_last_seen"
# Writing the session on every request would turn every read into a write; a minute is precise enough.
LAST_SEEN_RESOLUTION_SECONDS = 60
# Paths a half-signed-in person may still reach: the two-factor pages, signing out, and assets.
OPEN_PREFIXES = ("/account/two-factor/", "/accounts/logout/", "/static/", "/healthz", "/api/")


def _redirect(request: HttpRequest, url: str) -> HttpResponse:
    if request.headers.get("HX-Request"):
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    return HttpResponseRedirect(url)


class IdleTimeoutMiddleware:
    """Sign a person out after SECONDROUND_IDLE_MINUTES without a request."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = int(time.time())
            last_seen = request.session.get(LAST_SEEN_KEY, now)
            if now - last_seen > settings.SECONDROUND_IDLE_MINUTES * 60:
                logout(request)
                messages.info(
                    request,
                    _("You were signed out after %(minutes)d minutes without activity.")
                    % {"minutes": settings.SECONDROUND_IDLE_MINUTES},
                )
                login = f"{reverse('login')}?{urlencode({'next': request.get_full_path()})}"
                return _redirect(request, login)
            if (
                now - last_seen >= LAST_SEEN_RESOLUTION_SECONDS
                or LAST_SEEN_KEY not in request.session
            ):
                request.session[LAST_SEEN_KEY] = now
        return self.get_response(request)


class TwoFactorMiddleware:
    """After the password, a person with an authenticator (or an admin who must have one) goes
    to the two-factor page before anything else. Runs after django-otp's OTPMiddleware."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if isinstance(user, User) and not request.path.startswith(OPEN_PREFIXES):
            if selectors.has_two_factor(user) and not user.is_verified():  # type: ignore[attr-defined]
                query = urlencode({"next": request.get_full_path()})
                return _redirect(request, f"{reverse('two-factor-verify')}?{query}")
            if selectors.must_set_up_two_factor(user):
                return _redirect(request, reverse("two-factor"))
        return self.get_response(request)
