"""The hiring pages: the company profile, positions, their competencies and adding candidates.

Thin views over the hiring selectors and services. The pages that show an application's stage
(position pipeline, candidates, an application) stay in ``web.views``: the independence rule
that may hide a stage lives in scorecards, above hiring.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from secondround.hiring import forms as hiring_forms
from secondround.hiring import selectors, services
from secondround.hiring.role_templates import role_templates
from secondround.revisions import FIELD as REVISION_FIELD
from secondround.revisions import revision_of
from secondround.web.helpers import (
    form_status,
    kept_revision,
    request_user,
    run_service,
    visible_or_404,
)

# --- company ------------------------------------------------------------------------------


@login_required
def company_profile(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    if not selectors.can_edit_company(user):
        raise PermissionDenied
    profile = selectors.company_profile()
    initial_values = [
        {"name": v.name, "description": v.description, "behaviours": v.behaviours}
        for v in (profile.values.all() if profile else [])
    ]
    form = hiring_forms.CompanyProfileForm(request.POST or None, instance=profile)
    values = hiring_forms.CompanyValueFormSet(
        request.POST or None, initial=initial_values, prefix="v"
    )
    if request.method == "POST" and form.is_valid() and values.is_valid():
        kept = [v for v in values.cleaned_data if v and not v.get("DELETE")]
        saved = run_service(
            form,
            lambda: services.update_company_profile(
                actor=user,
                fields=form.cleaned_data,
                values=[{k: v[k] for k in ("name", "description", "behaviours")} for v in kept],
            ),
        )
        if saved:
            messages.success(request, _("Company profile saved."))
            return redirect("company")
    return render(
        request, "hiring/company.html", {"form": form, "values": values},
        status=form_status(form, values),
    )  # fmt: skip


# --- positions ------------------------------------------------------------------------------


@login_required
def position_list(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    return render(
        request,
        "hiring/position_list.html",
        {
            "positions": selectors.visible_positions(user),
            "can_create_positions": selectors.can_create_positions(user),
        },
    )


@login_required
def position_create(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    if not selectors.can_create_positions(user):
        raise PermissionDenied
    form = hiring_forms.PositionFromTemplateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        position = run_service(
            form,
            lambda: services.create_position_from_template(
                actor=user,
                template_slug=data["template"],
                title=data["title"],
                department=data["department"],
            ),
        )
        if position:
            messages.success(request, _("Position created from the template."))
            return redirect("position", position.pk)
    return render(
        request,
        "hiring/position_create.html",
        {"form": form, "templates": role_templates().values()},
        status=form_status(form),
    )


@login_required
def position_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    position = visible_or_404(selectors.get_visible_position, request, pk)
    selectors.require_manager(user, position)
    # Before the form writes the posted values into it: a refused page is headed by the
    # position as stored, not by the title it refused.
    opened_at, stored_title = position.edited_at, position.title
    form = hiring_forms.PositionForm(request.POST or None, instance=position)
    team = hiring_forms.TeamForm(
        request.POST or None,
        initial={
            "recruiters": position.recruiters.all(),
            "interviewers": position.interviewers.all(),
        },
    )
    if request.method == "POST" and form.is_valid() and team.is_valid():
        fields = {name: form.cleaned_data[name] for name in form.Meta.fields}
        saved = run_service(
            form,
            lambda: services.update_position(
                actor=user,
                position=position,
                fields=fields,
                recruiters=team.cleaned_data["recruiters"],
                interviewers=team.cleaned_data["interviewers"],
                based_on=request.POST.get(REVISION_FIELD),  # none posted: not tracked
            ),
        )
        if saved:
            messages.success(request, _("Position saved."))
            return redirect("position", position.pk)
    revision = kept_revision(request, form, revision_of(opened_at))
    return render(
        request, "hiring/position_edit.html",
        {"form": form, "team": team, "position": position, "revision": revision,
         "stored_title": stored_title},
        status=form_status(form, team),
    )  # fmt: skip


@login_required
def competency_edit(
    request: HttpRequest, pk: int, competency_pk: int | None = None
) -> HttpResponse:
    user = request_user(request)
    position = visible_or_404(selectors.get_visible_position, request, pk)
    selectors.require_manager(user, position)
    competency = (
        get_object_or_404(position.competencies, pk=competency_pk) if competency_pk else None
    )
    form = hiring_forms.CompetencyForm(request.POST or None, instance=competency)
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in form.Meta.fields}
        saved = run_service(
            form,
            lambda: services.save_competency(
                actor=user, position=position, competency=competency, fields=fields
            ),
        )
        if saved:
            messages.success(request, _("Competency “%s” saved.") % saved.name)
            return redirect("position", position.pk)
    return render(
        request,
        "hiring/competency_edit.html",
        {"form": form, "position": position, "competency": competency},
        status=form_status(form),
    )


@login_required
@require_POST
def competency_delete(request: HttpRequest, pk: int, competency_pk: int) -> HttpResponse:
    user = request_user(request)
    position = visible_or_404(selectors.get_visible_position, request, pk)
    competency = get_object_or_404(position.competencies, pk=competency_pk)
    services.delete_competency(actor=user, competency=competency)
    messages.success(request, _("Competency “%s” removed.") % competency.name)
    return redirect("position", position.pk)


@login_required
def candidate_add(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    position = visible_or_404(selectors.get_visible_position, request, pk)
    selectors.require_manager(user, position)
    form = hiring_forms.CandidateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        application = run_service(
            form,
            lambda: services.add_candidate_to_position(
                actor=user, position=position, fields=form.cleaned_data
            ),
        )
        if application:
            messages.success(request, _("%s added.") % application.candidate)
            return redirect("position", position.pk)
    return render(
        request, "hiring/candidate_add.html", {"form": form, "position": position},
        status=form_status(form),
    )  # fmt: skip
