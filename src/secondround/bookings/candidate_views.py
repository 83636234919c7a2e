"""The candidate's scheduling pages on their private link (/prep/i/<token>/schedule/).

Access is the preparation link itself: an unknown token is 404, an expired, revoked or
closed one 410 (prep's own refusal page), so the pages need no account.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from functools import wraps
from typing import Any
from zoneinfo import ZoneInfo, available_timezones

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from secondround.bookings import offers, selectors
from secondround.bookings.forms import PickForm, TimeZoneForm, WeekGridForm
from secondround.hiring.models import Application
from secondround.messaging.selectors import candidate_language
from secondround.prep.models import InviteLink
from secondround.prep.selectors import link_for_token, link_refusal
from secondround.scheduling.models import CandidateAvailability
from secondround.scheduling.services import set_candidate_availability

GRID_DAYS = 14
# Region/City names only (what a person recognises), for the time zone field's suggestions.
ZONES = sorted(
    z for z in available_timezones() if "/" in z and not z.startswith(("Etc/", "SystemV/"))
)

CandidateView = Callable[..., HttpResponse]


def on_private_link(view: CandidateView) -> Callable[..., HttpResponse]:
    @wraps(view)
    @never_cache
    def wrapper(request: HttpRequest, token: str, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            link = link_for_token(token)
        except InviteLink.DoesNotExist:
            return render(request, "prep/refused.html", {"reason": "unknown"}, status=404)
        refusal = link_refusal(link)
        if refusal:
            return render(request, "prep/refused.html", {"reason": refusal}, status=410)
        # The candidate's own language, as on the portal they came from (English or German).
        with translation.override(candidate_language(link.application.candidate)):
            response = view(request, token, link.application, *args, **kwargs)
            response.setdefault("Content-Language", translation.get_language())
            return response

    return wrapper


def _grid_days(zone: str) -> list[date]:
    today = timezone.now().astimezone(ZoneInfo(zone)).date()
    days = [today + timedelta(days=n) for n in range(1, GRID_DAYS + 1)]
    return [d for d in days if d.weekday() < 5]


def _page(
    request: HttpRequest,
    token: str,
    application: Application,
    *,
    grid: WeekGridForm | None = None,
    status: int = 200,
) -> HttpResponse:
    schedule = selectors.candidate_schedule(application)
    if grid is None:
        given = CandidateAvailability.objects.filter(application=application)
        grid = WeekGridForm(
            initial={
                "time_zone": schedule.time_zone,
                "slots": _given_slots(given, schedule.time_zone),
            },
            days=_grid_days(schedule.time_zone),
        )
    return render(
        request,
        "bookings/candidate_schedule.html",
        {
            "token": token,
            "schedule": schedule,
            "grid": grid,
            "zones": ZONES,
        },
        status=status,
    )


def _given_slots(given: Any, zone_name: str) -> list[str]:
    zone = ZoneInfo(zone_name)
    slots = []
    for span in given:
        local = span.starts_at.astimezone(zone)
        slots.append(f"{local.date().isoformat()}:{'am' if local.hour < 12 else 'pm'}")
    return slots


@require_GET
@on_private_link
def schedule_page(request: HttpRequest, token: str, application: Application) -> HttpResponse:
    return _page(request, token, application)


def _refuse(request: HttpRequest, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


@require_POST
@on_private_link
def pick(request: HttpRequest, token: str, application: Application) -> HttpResponse:
    form = PickForm(request.POST)
    if not form.is_valid():
        return HttpResponse(form.errors.as_text(), status=400, content_type="text/plain")
    try:
        outcome = offers.pick_option(
            application=application,
            offer_id=form.cleaned_data["offer"],
            index=form.cleaned_data["option"],
            portal_link=request.build_absolute_uri(reverse("prep-invitation", args=[token])),
        )
    except ValidationError as error:
        _refuse(request, error)
        return _page(request, token, application, status=409)
    if outcome.taken:
        messages.warning(
            request,
            _(outcome.fresh.notice)
            if outcome.fresh
            else _("Those times were just taken. Your recruiter will offer new times soon."),
        )
    else:
        messages.success(request, _("Booked. Invitations are on their way to you and the panel."))
    return redirect("candidate-schedule", token)


@require_POST
@on_private_link
def reschedule(request: HttpRequest, token: str, application: Application) -> HttpResponse:
    try:
        offers.request_reschedule(application=application)
    except ValidationError as error:
        _refuse(request, error)
        return _page(request, token, application, status=409)
    messages.success(
        request, _("Pick new times below. Your current times stay booked until you do.")
    )
    return redirect("candidate-schedule", token)


@require_POST
@on_private_link
def availability(request: HttpRequest, token: str, application: Application) -> HttpResponse:
    """The week grid in the candidate's zone: saved, then fresh options when none are booked."""
    zone = request.POST.get("time_zone", "")
    days_zone = zone if TimeZoneForm({"time_zone": zone}).is_valid() else "UTC"
    grid = WeekGridForm(request.POST, days=_grid_days(days_zone))
    if not grid.is_valid():
        return _page(request, token, application, grid=grid, status=400)
    try:
        set_candidate_availability(
            None, application, time_zone=grid.cleaned_data["time_zone"], spans=grid.spans()
        )
    except ValidationError as error:
        _refuse(request, error)
        return _page(request, token, application, status=400)
    if selectors.booked_sessions(application):
        messages.success(request, _("Thank you, saved."))
        return redirect("candidate-schedule", token)
    try:  # what they gave is kept even when no whole loop fits it yet
        offers.offer_times(actor=None, application=application)
    except ValidationError:
        messages.warning(
            request,
            _("Saved. No whole interview fits those times yet: tick more half-days, or your "
              "recruiter will be in touch."),
        )  # fmt: skip
        return redirect("candidate-schedule", token)
    messages.success(request, _("Thank you. These options fit the times you gave."))
    return redirect("candidate-schedule", token)
