"""Web pages that belong to no single app: home, the pages that show an application's stage
(hidden by the independence rule of scorecards, a layer above hiring), and API tokens."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from secondround.accounts.models import ApiToken, Role, User
from secondround.accounts.services import create_api_token, revoke_api_token
from secondround.hiring import forms as hiring_forms
from secondround.hiring import selectors, services
from secondround.hiring.models import Application, Position, Stage
from secondround.messaging.selectors import owed_decisions
from secondround.ops.health import check_health, warnings_for_admins
from secondround.scorecards.selectors import (
    can_see_round_two_ratings,
    history_visible_to,
    round_two_scorecards_visible_to,
)
from secondround.web import forms as web_forms
from secondround.web.helpers import form_status, request_user, run_service, visible_or_404

# --- home -----------------------------------------------------------------------------------


@login_required
def home(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    if user.role == Role.JOB_SEEKER:
        return redirect("prep-home")
    return render(
        request,
        "web/home.html",
        {
            "interviews": selectors.upcoming_interviews(user),
            "positions": selectors.open_positions_owned(user),
            "panel_positions": selectors.visible_positions(user).filter(interviewers=user),
            "finalists": selectors.finalists_awaiting_decision(user),
            "owed_decisions": owed_decisions(user),
            "can_create_positions": selectors.can_create_positions(user),
            "ops_warnings": _ops_warnings(user),
        },
    )


def _ops_warnings(user: User) -> list[str]:
    """Admins hear on their home page when background work stalls or fails."""
    if not (user.is_superuser or user.role == Role.ADMIN):
        return []
    return warnings_for_admins(check_health())


# --- positions ------------------------------------------------------------------------------


@login_required
def position_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    position = visible_or_404(selectors.get_visible_position, request, pk)
    can_manage = selectors.can_manage_position(user, position)
    return render(
        request,
        "web/position_detail.html",
        {
            "position": position,
            "can_manage": can_manage,
            "competencies": position.competencies.all(),
            "columns": _pipeline(user, position),
            "candidate_form": hiring_forms.CandidateForm(),
        },
    )


def _pipeline(user: User, position: Position) -> list[tuple[str, object, list[Application]]]:
    """Applications by stage; one whose stage would reveal a decision to the user stays apart."""
    applications = selectors.visible_applications(user).filter(position=position)
    stages = {a.pk: history_visible_to(user, a).stage for a in applications}
    columns: list[tuple[str, object, list[Application]]] = [
        (value, label, [a for a in applications if stages[a.pk] == value])
        for value, label in Stage.choices
    ]
    hidden = [a for a in applications if stages[a.pk] is None]
    if hidden:
        columns.append(("hidden", _("Decided — hidden until you submit your scorecard"), hidden))
    return columns


# --- candidates and applications ------------------------------------------------------------


@login_required
def candidate_list(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    applications = selectors.visible_applications(user).order_by("candidate__full_name")
    rows = [(a, history_visible_to(user, a)) for a in applications]
    return render(request, "web/candidate_list.html", {"rows": rows})


@login_required
def application_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """An application's stage and history; the hiring team moves it here (htmx swaps in place)."""
    user = request_user(request)
    application = visible_or_404(selectors.get_visible_application, request, pk)
    form = _move_form(request.POST or None, application)
    moved_message = ""
    if request.method == "POST":
        selectors.require_manager(user, application.position)
        if request.POST.get("stage") == application.stage:
            return _already_there(request, user, application)
        moved = (
            None
            if not form.is_valid()
            else run_service(
                form,
                lambda: services.move_application(
                    actor=user,
                    application=application,
                    to_stage=form.cleaned_data["stage"],
                    reason=form.cleaned_data["reason"],
                    no_outcome_reason=form.cleaned_data["no_outcome_reason"],
                ),
            )
        )
        if moved:
            moved_message = _("%(candidate)s moved to %(stage)s.") % {
                "candidate": moved.candidate,
                "stage": moved.get_stage_display(),
            }
            if not request.htmx:  # type: ignore[attr-defined]
                messages.success(request, moved_message)
                return redirect("application", moved.pk)
            application, form = moved, _move_form(None, moved)
    template = "web/application_detail.html"
    if request.htmx:  # type: ignore[attr-defined]
        template += "#stage-and-history"
    if form.is_bound:  # refused: shown again with only the moves open now
        form.fields["stage"].choices = _open_moves(application)  # type: ignore[attr-defined]
    return render(
        request,
        template,
        _application_context(user, application, form, moved_message),
        status=form_status(form),
    )


def _application_context(
    user: User, application: Application, form: hiring_forms.MoveForm, moved_message: str
) -> dict[str, Any]:
    return {
        "application": application,
        "history": history_visible_to(user, application),
        "form": form,
        "can_manage": selectors.can_manage_position(user, application.position),
        "moved_message": moved_message,
        "round_two": round_two_scorecards_visible_to(user, application),
        "round_two_hidden": not can_see_round_two_ratings(user, application),
    }


def _already_there(request: HttpRequest, user: User, application: Application) -> HttpResponse:
    """A move posted again (stale tab, back button): say where it is; record nothing."""
    already = _("%(candidate)s is already at %(stage)s; nothing changed.") % {
        "candidate": application.candidate,
        "stage": application.get_stage_display(),
    }
    if not request.htmx:  # type: ignore[attr-defined]
        messages.info(request, already)
        return redirect("application", application.pk)
    return render(
        request,
        "web/application_detail.html#stage-and-history",
        _application_context(user, application, _move_form(None, application), already),
    )


def _move_form(data: Any, application: Application) -> hiring_forms.MoveForm:
    """The stages offered are those open now (no offer before a hire decision); a posted
    form takes any allowed move, so the service says why one is refused (naming the stage)."""
    if data is None:
        return hiring_forms.MoveForm(allowed=services.allowed_moves(application))
    return hiring_forms.MoveForm(data, allowed=sorted(services.ALLOWED_MOVES[application.stage]))


def _open_moves(application: Application) -> list[tuple[str, str]]:
    open_now = services.allowed_moves(application)
    return [(value, str(label)) for value, label in Stage.choices if value in open_now]


# --- API tokens -----------------------------------------------------------------------------


@login_required
def api_tokens(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    form = web_forms.ApiTokenForm(request.POST or None)
    new_key = None
    if request.method == "POST" and form.is_valid():
        created = run_service(
            form, lambda: create_api_token(user=user, name=form.cleaned_data["name"])
        )
        if created:
            new_key = created[1]
            form = web_forms.ApiTokenForm()
    context: dict[str, Any] = {"form": form, "tokens": user.api_tokens.all(), "new_key": new_key}
    return render(request, "web/api_tokens.html", context, status=form_status(form))


@login_required
@require_POST
def api_token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    token = get_object_or_404(ApiToken, pk=pk, user=user)
    revoke_api_token(actor=user, token=token)
    messages.success(request, _("Token “%s” revoked.") % token.name)
    return redirect("api-tokens")
