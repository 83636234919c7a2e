"""Login throttling (django-axes) that leaves sign-ins made by code, not by a request, alone."""

from __future__ import annotations

from typing import Any

from axes.backends import AxesStandaloneBackend
from axes.handlers.database import AxesDatabaseHandler
from django.conf import settings
from django.db.models import Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


class ThrottledLoginBackend(AxesStandaloneBackend):
    """Counts failed sign-ins per account and per address; refuses them while locked out.

    `authenticate()` without a request comes from code (management commands, the test client),
    never from someone at the login form, so there is nothing to throttle; the next backend decides.
    """

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> None:
        if request is None:
            return None
        super().authenticate(request, username, password, **kwargs)
        return None


def login_username(request: HttpRequest, credentials: dict[str, Any] | None) -> str:
    """The email as the account knows it, so 'Hana@X' and 'hana@x' count against one account."""
    raw = (credentials or {}).get("username") or request.POST.get("username", "")
    return str(raw).strip().lower()


def locked_out(
    request: HttpRequest, original_response: HttpResponse | None, credentials: dict[str, Any] | None
) -> HttpResponse:
    """The page a locked-out person sees: what happened, for how long, and what they can do."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(request, "registration/locked_out.html", {"cooloff_minutes": minutes}, status=429)


class AccountAndAddressHandler(AxesDatabaseHandler):
    """Failed sign-ins counted per account and per address, each against its own limit.

    One wrong password too many locks that account (``AXES_FAILURE_LIMIT``); an address is
    locked only after many more failures across accounts (``SECONDROUND_LOGIN_ADDRESS_LIMIT``),
    so one person guessing at one account does not lock out a whole office behind one address,
    while someone trying many accounts from one address is still stopped.
    """

    def get_failures(self, request: HttpRequest, credentials: dict[str, Any] | None = None) -> int:
        by_account, by_address = (
            attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0
            for attempts in self.get_user_attempts(request, credentials)
        )
        address_locked = by_address >= settings.SECONDROUND_LOGIN_ADDRESS_LIMIT
        # Axes compares this number with the account limit: an address over its own limit
        # counts as reaching it.
        return int(max(by_account, settings.AXES_FAILURE_LIMIT if address_locked else 0))
