"""Pages: my availability, rooms, the policy, the board per position, the load page."""

from __future__ import annotations

import contextlib
from datetime import date, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from secondround.accounts.models import User
from secondround.hiring.selectors import get_visible_position, require_manager
from secondround.ids import is_valid_id
from secondround.scheduling import selectors, services, tasks
from secondround.scheduling.forms import (
    WEEKDAYS,
    AvailabilityForm,
    BusyBlockForm,
    CalendarForm,
    CandidateAvailabilityForm,
    MoveForm,
    PlaceForm,
    PolicyForm,
    RoomForm,
    ScheduleForm,
    aware,
)
from secondround.scheduling.models import (
    BusyBlock,
    BusySource,
    CalendarConnection,
    Room,
    ScheduledSession,
    SessionStatus,
)
from secondround.web.helpers import add_service_error, form_status, request_user, run_service


def _member(request: HttpRequest) -> User:
    user = request_user(request)
    if not user.is_organisation_member:
        raise PermissionDenied
    return user


# ---- my availability --------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def availability(request: HttpRequest) -> HttpResponse:
    user = _member(request)
    mine = selectors.availability_of(user)
    action = request.POST.get("action", "")
    forms: dict[str, Any] = {
        "hours": AvailabilityForm(
            request.POST if action == "hours" else None,
            initial=AvailabilityForm.initial_for(mine),
        ),
        "busy": BusyBlockForm(request.POST if action == "busy" else None),
        "calendar": CalendarForm(
            request.POST if action == "connect" else None,
            initial=_calendar_initial(user),
        ),
    }
    if request.method == "POST":
        done = _availability_action(request, user, mine, action, forms)
        if done:
            return redirect("scheduling:availability")
    return render(
        request,
        "scheduling/availability.html",
        _availability_context(user, mine, forms),
        status=400 if any(f.errors for f in forms.values()) else 200,
    )


def _calendar_initial(user: User) -> dict[str, str]:
    connection = CalendarConnection.objects.filter(user=user).first()
    if connection is None:
        return {"kind": "ical"}
    return {"kind": connection.kind, "url": connection.url, "username": connection.username}


def _availability_action(
    request: HttpRequest, user: User, mine: Any, action: str, forms: dict[str, Any]
) -> bool:
    if action == "hours" and forms["hours"].is_valid():
        data = forms["hours"].cleaned_data
        saved = run_service(
            forms["hours"],
            lambda: services.save_availability(
                user, time_zone=data["time_zone"], working_hours=data["working_hours"],
                max_per_day=data["max_per_day"], max_per_week=data["max_per_week"],
            ),
        )  # fmt: skip
        if saved:
            messages.success(request, _("Working hours saved."))
            _say_what_was_joined(request, data["working_hours"], saved.working_hours)
        return saved is not None
    if action == "busy" and forms["busy"].is_valid():
        data = forms["busy"].cleaned_data
        block = run_service(
            forms["busy"],
            lambda: services.add_busy_block(
                user, aware(data["starts_at"], mine.time_zone), aware(data["ends_at"], mine.time_zone),
                data["note"],
            ),
        )  # fmt: skip
        return block is not None
    if action == "delete-busy":
        block_id = request.POST.get("block", "")
        if is_valid_id(block_id):
            with contextlib.suppress(ValidationError):
                services.delete_busy_block(user, int(block_id))
        return True
    if action == "connect" and forms["calendar"].is_valid():
        data = forms["calendar"].cleaned_data
        connection = run_service(forms["calendar"], lambda: services.connect_calendar(user, **data))
        if connection is not None:
            _refresh_now(request, connection)
        return connection is not None
    if action == "refresh":
        connection = CalendarConnection.objects.filter(user=user).first()
        if connection is not None:
            _refresh_now(request, connection)
        return True
    if action == "disconnect":
        services.disconnect_calendar(user)
        messages.success(request, _("Calendar disconnected; its busy times are gone."))
        return True
    return False


def _say_what_was_joined(
    request: HttpRequest, entered: dict[str, list[list[str]]], kept: dict[str, list[list[str]]]
) -> None:
    """Overlapping spans of a day are saved as one: say so, so nobody wonders where one went."""
    joined = [
        f"{WEEKDAYS[int(day)]} {', '.join(f'{a}-{b}' for a, b in spans)}"
        for day, spans in sorted(kept.items())
        if spans != sorted(entered.get(day, []))
    ]
    if joined:
        messages.info(
            request, _("Overlapping hours were joined: %(days)s.") % {"days": "; ".join(joined)}
        )


def _refresh_now(request: HttpRequest, connection: CalendarConnection) -> None:
    """Read it right away, so the person sees the result (the worker keeps it fresh after)."""
    if services.refresh_calendar(connection):
        messages.success(request, _("Calendar read: your busy times are up to date."))
    else:
        connection.refresh_from_db()
        messages.error(request, connection.last_error)


def _availability_context(user: User, mine: Any, forms: dict[str, Any]) -> dict[str, Any]:
    now = timezone.now()
    blocks = BusyBlock.objects.filter(
        user=user, ends_at__gt=now, starts_at__lt=now + timedelta(days=14)
    )
    rules = selectors.policy()
    cap_day, cap_week = selectors.caps_of(mine, rules)
    return {
        "forms": forms,
        "manual": [b for b in blocks if b.source == BusySource.MANUAL],
        "from_calendar": [b for b in blocks if b.source == BusySource.CALENDAR],
        "connection": CalendarConnection.objects.filter(user=user).first(),
        "zone": mine.time_zone,
        "policy": rules,
        "cap_day": cap_day,
        "cap_week": cap_week,
        "refresh_minutes": int(tasks.REFRESH_EVERY.total_seconds() // 60),
    }


# ---- rooms and policy (admins) ------------------------------------------------------------


def _admin(request: HttpRequest) -> User:
    user = request_user(request)
    if not user.is_org_admin:
        raise PermissionDenied
    return user


@login_required
@require_http_methods(["GET", "POST"])
def rooms(request: HttpRequest, room_id: int | None = None) -> HttpResponse:
    user = _admin(request)
    room = None
    if room_id is not None:
        if not is_valid_id(room_id):
            raise Http404
        room = get_object_or_404(Room, pk=room_id)
    form = RoomForm(request.POST or None, instance=room)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        saved = run_service(
            form,
            lambda: services.save_room(
                user, room, name=data["name"], capacity=data["capacity"],
                location=data["location"], active=data["active"],
            ),
        )  # fmt: skip
        if saved is not None:
            messages.success(request, _("Room saved."))
            return redirect("scheduling:rooms")
    return render(
        request,
        "scheduling/rooms.html",
        {"form": form, "room": room, "rooms": Room.objects.all()},
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def policy_settings(request: HttpRequest) -> HttpResponse:
    user = _admin(request)
    current = selectors.policy()
    form = PolicyForm(request.POST or None, instance=current)
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in PolicyForm.Meta.fields}
        if run_service(form, lambda: services.update_policy(user, fields)) is not None:
            messages.success(request, _("Scheduling rules saved."))
            return redirect("scheduling:policy")
    return render(
        request, "scheduling/policy.html", {"form": form}, status=400 if form.errors else 200
    )


# ---- the board ----------------------------------------------------------------------------


def _week(request: HttpRequest) -> date:
    text = request.GET.get("week", "")
    try:
        chosen = date.fromisoformat(text) if text else None
    except ValueError:
        chosen = None
    if chosen is None or not services.in_calendar(chosen):
        return selectors.coming_week()
    return services.week_of(chosen)


def _managed_position(request: HttpRequest, position_id: int) -> Any:
    user = request_user(request)
    if not is_valid_id(position_id):
        raise Http404
    try:
        position = get_visible_position(user, position_id)
    except Exception as error:  # DoesNotExist: what the user may not see does not exist
        raise Http404 from error
    require_manager(user, position)
    return user, position


@login_required
@require_GET
def board(request: HttpRequest, position_id: int) -> HttpResponse:
    _user, position = _managed_position(request, position_id)
    week = _week(request)
    form = ScheduleForm(initial={"week": week})
    return render(request, "scheduling/board.html", _board_context(position, week, form))


def _board_context(position: Any, week: date, form: ScheduleForm, **extra: Any) -> dict[str, Any]:
    return {
        "board": selectors.board(position, week),
        "form": form,
        "previous_week": week - timedelta(days=7),
        "next_week": week + timedelta(days=7),
        "rooms": Room.objects.filter(active=True),
        **extra,
    }


@login_required
@require_POST
def run_schedule(request: HttpRequest, position_id: int) -> HttpResponse:
    """The one action: schedule the week's loops for every finalist not yet booked."""
    user, position = _managed_position(request, position_id)
    form = ScheduleForm(request.POST)
    result = None
    if form.is_valid():
        data = form.cleaned_data
        result = run_service(
            form,
            lambda: services.schedule_position(
                position, data["week"], user, dry_run=data["dry_run"],
                in_person=data["in_person"],
            ),
        )  # fmt: skip
    week = result.week_start if result else _week(request)
    status = 400 if form.errors else 200
    return render(
        request,
        "scheduling/board.html",
        _board_context(position, week, form, result=result),
        status=status,
    )


def _session_for(request: HttpRequest, session_id: int) -> tuple[User, ScheduledSession]:
    if not is_valid_id(session_id):
        raise Http404
    scheduled = get_object_or_404(
        ScheduledSession.objects.select_related("application__position", "session", "room"),
        pk=session_id,
        status=SessionStatus.BOOKED,
    )
    user, _position = _managed_position(request, scheduled.application.position_id)
    return user, scheduled


@login_required
@require_http_methods(["GET", "POST"])
def edit_session(request: HttpRequest, session_id: int) -> HttpResponse:
    """Move a session, or change its room or video link (htmx swaps the edit panel)."""
    user, scheduled = _session_for(request, session_id)
    zone = selectors.policy().time_zone
    action = request.POST.get("action", "")
    if request.method == "POST" and action not in ("move", "place"):
        return HttpResponse(_("action: choose move or place."), status=400)
    move = MoveForm(
        request.POST if action == "move" else None,
        prefix="move",
        initial={"starts_at": scheduled.starts_at.astimezone(ZoneInfo(zone))},
    )
    place = PlaceForm(
        request.POST if action == "place" else None,
        prefix="place",
        initial={"room": scheduled.room_id, "video_link": scheduled.video_link},
    )
    saved = None
    if action == "move" and move.is_valid():
        starts_at = aware(move.cleaned_data["starts_at"], zone)
        reason = move.cleaned_data["override_reason"]
        saved = run_service(move, lambda: services.move_session(scheduled, starts_at, user, reason))
    elif action == "place" and place.is_valid():
        data = place.cleaned_data
        saved = run_service(
            place,
            lambda: services.set_session_place(
                scheduled, data["room"], data["video_link"] or "", user, data["override_reason"]
            ),
        )  # fmt: skip
    if saved is not None:
        scheduled = saved
        if not request.htmx:  # type: ignore[attr-defined]  # htmx: the panel says so in place
            messages.success(request, _("Session changed; everyone's Interview was updated."))
            return redirect(_board_url(scheduled))
    template = "scheduling/session.html"
    if request.htmx:  # type: ignore[attr-defined]
        template += "#edit-panel"
    context = {"scheduled": scheduled, "move": move, "place": place, "zone": zone,
               "saved": saved is not None, "board_url": _board_url(scheduled)}  # fmt: skip
    # A refusal is a 400 to htmx too: base.html's htmx-config swaps it into the panel.
    return render(request, template, context, status=form_status(move, place))


def _board_url(scheduled: ScheduledSession) -> str:
    day = scheduled.starts_at.astimezone(ZoneInfo(selectors.policy().time_zone)).date()
    week = services.monday_of(day)  # not week_of: a stored date may lie outside its range
    from django.urls import reverse

    return reverse("scheduling:board", args=[scheduled.application.position_id]) + f"?week={week}"


@login_required
@require_http_methods(["GET", "POST"])
def candidate_availability(request: HttpRequest, application_id: int) -> HttpResponse:
    """The recruiter enters a finalist's time zone and the times they can interview."""
    user = request_user(request)
    if not is_valid_id(application_id):
        raise Http404
    from secondround.hiring.selectors import get_visible_application

    try:
        application = get_visible_application(user, application_id)
    except Exception as error:
        raise Http404 from error
    require_manager(user, application.position)
    zone = selectors.candidate_zone(application, selectors.policy().time_zone)
    lines = _availability_lines(application, zone)
    form = CandidateAvailabilityForm(
        request.POST or None, initial={"time_zone": zone, "spans": lines}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.set_candidate_availability(
                user, application, time_zone=data["time_zone"], spans=data["parsed_spans"]
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("The candidate's availability is saved."))
            return redirect("scheduling:board", application.position_id)
    return render(
        request,
        "scheduling/candidate_availability.html",
        {"form": form, "application": application},
        status=400 if form.errors else 200,
    )


def _availability_lines(application: Any, zone: str) -> str:
    tz = ZoneInfo(zone)
    rows = application.availability.all()
    return "\n".join(
        f"{r.starts_at.astimezone(tz):%Y-%m-%d %H:%M}-{r.ends_at.astimezone(tz):%H:%M}"
        for r in rows
    )


@login_required
@require_POST
def cancel(request: HttpRequest, application_id: int) -> HttpResponse:
    user = request_user(request)
    if not is_valid_id(application_id):
        raise Http404
    from secondround.hiring.selectors import get_visible_application

    try:
        application = get_visible_application(user, application_id)
    except Exception as error:
        raise Http404 from error
    try:
        services.cancel_loop(application, user, request.POST.get("reason", "")[:2000])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The loop is cancelled."))
    return redirect("scheduling:board", application.position_id)


# ---- the load page ------------------------------------------------------------------------


@login_required
@require_GET
def load(request: HttpRequest) -> HttpResponse:
    _member(request)
    week = _week(request)
    return render(
        request,
        "scheduling/load.html",
        {"rows": selectors.load(week), "week": week, "previous_week": week - timedelta(days=7),
         "next_week": week + timedelta(days=7), "policy": selectors.policy()},
    )  # fmt: skip
