"""The candidate's scheduling pages on their private link (/prep/i/<token>/schedule/).

Access is the private link itself, through the one rule every candidate page follows
(``prep.private_link.candidate_page``): an unknown token is 404, an expired or revoked link
410 with the recruiter's address, and scheduling closes with the outcome.
"""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from secondround.bookings import offers, selectors
from secondround.bookings.forms import (
    PickForm,
    TimeZoneForm,
    WeekGridForm,
    grid_days,
    posted_grid_days,
)
from secondround.hiring.models import Application
from secondround.prep.access import LinkPart
from secondround.prep.models import InviteLink
from secondround.prep.private_link import candidate_page
from secondround.scheduling.models import CandidateAvailability
from secondround.scheduling.selectors import policy, time_zone_choices

# Every page here opens only while the link may open scheduling (prep's one rule).
on_private_link = candidate_page(LinkPart.SCHEDULE)

# What a pick carries, named for the candidate when it does not come through.
PICK_PARTS = {
    "offer": gettext_lazy("which set of times you were offered"),
    "option": gettext_lazy("which option you picked"),
}


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
            days=grid_days(schedule.time_zone, now := timezone.now(), _notice_hours()),
            now=now,
            notice_hours=_notice_hours(),
        )
    return render(
        request,
        "bookings/candidate_schedule.html",
        {
            "token": token,
            "schedule": schedule,
            "grid": grid,
            "zones": time_zone_choices(),
        },
        status=status,
    )


def _notice_hours() -> int:
    return policy().min_notice_hours


def _given_slots(given: Any, zone_name: str) -> list[str]:
    zone = ZoneInfo(zone_name)
    slots = []
    for span in given:
        local = span.starts_at.astimezone(zone)
        slots.append(f"{local.date().isoformat()}:{'am' if local.hour < 12 else 'pm'}")
    return slots


@require_GET
@on_private_link
def schedule_page(request: HttpRequest, link: InviteLink, token: str) -> HttpResponse:
    application = link.application
    return _page(request, token, application)


def _refuse(request: HttpRequest, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


def _unreadable_pick(form: PickForm) -> str:
    lost = [str(PICK_PARTS[name]) for name in PICK_PARTS if name in form.errors]
    what = (
        _("%(first)s and %(second)s") % {"first": lost[0], "second": lost[1]}
        if len(lost) > 1
        else lost[0]
    )
    return _(
        "That choice could not be read: %(what)s did not come through. Nothing was booked; "
        "please pick one of the options below again."
    ) % {"what": what}


@require_POST
@on_private_link
def pick(request: HttpRequest, link: InviteLink, token: str) -> HttpResponse:
    application = link.application
    form = PickForm(request.POST)
    if not form.is_valid():  # a hand-made or damaged post: the page again, saying what was lost
        messages.error(request, _unreadable_pick(form))
        return _page(request, token, application, status=400)
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
def reschedule(request: HttpRequest, link: InviteLink, token: str) -> HttpResponse:
    application = link.application
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
def availability(request: HttpRequest, link: InviteLink, token: str) -> HttpResponse:
    """The week grid in the candidate's zone: saved, then fresh options when none are booked."""
    application = link.application
    closed = selectors.week_grid_refusal(application)
    if closed:  # a tab from before the booking: its grid is no longer on the page to show why
        messages.error(request, closed)
        return _page(request, token, application, status=409)
    zone_form = TimeZoneForm({"time_zone": request.POST.get("time_zone", "")})
    posted_zone = zone_form.cleaned_data["time_zone"] if zone_form.is_valid() else "UTC"
    shown_zone = selectors.candidate_schedule(application).time_zone
    now = timezone.now()
    grid = WeekGridForm(
        request.POST,
        days=posted_grid_days(shown_zone, posted_zone, now),
        now=now,
        notice_hours=_notice_hours(),
    )
    if not grid.is_valid():
        return _page(request, token, application, grid=grid, status=400)
    try:
        offers.save_candidate_times(
            application=application, time_zone=grid.cleaned_data["time_zone"], spans=grid.spans()
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
