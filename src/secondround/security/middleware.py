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
# What the two-factor check found, kept in the session so that it costs no query on most
# requests: {"user": pk, "at": epoch seconds, "device": bool, "set_up": bool}. Rechecked after a
# minute, so a device added or a rule changed in another session applies within a minute; the
# pages that change them here forget it at once (forget_two_factor_check).
TWO_FACTOR_KEY = "secondround_two_factor"
TWO_FACTOR_RECHECK_SECONDS = 60
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
        # Verified means a confirmed device this session (django-otp loaded it): nothing to ask.
        if (
            isinstance(user, User)
            and not request.path.startswith(OPEN_PREFIXES)
            and not user.is_verified()  # type: ignore[attr-defined]
        ):
            has_device, must_set_up = _two_factor_check(request, user)
            if has_device:
                query = urlencode({"next": request.get_full_path()})
                return _redirect(request, f"{reverse('two-factor-verify')}?{query}")
            if must_set_up:
                return _redirect(request, reverse("two-factor"))
        return self.get_response(request)


def _two_factor_check(request: HttpRequest, user: User) -> tuple[bool, bool]:
    """(has a confirmed device, must set one up), from the session when checked within a minute."""
    now = int(time.time())
    stored = request.session.get(TWO_FACTOR_KEY)
    if (
        isinstance(stored, dict)
        and stored.get("user") == user.pk
        and 0 <= now - int(stored.get("at", 0)) < TWO_FACTOR_RECHECK_SECONDS
    ):
        return bool(stored.get("device")), bool(stored.get("set_up"))
    has_device = selectors.has_two_factor(user)
    must_set_up = not has_device and selectors.must_set_up_two_factor(user)
    request.session[TWO_FACTOR_KEY] = {
        "user": user.pk, "at": now, "device": has_device, "set_up": must_set_up,
    }  # fmt: skip
    return has_device, must_set_up


def forget_two_factor_check(request: HttpRequest) -> None:
    """After this session changed a device or the admins' rule: check again on the next request."""
    request.session.pop(TWO_FACTOR_KEY, None)
