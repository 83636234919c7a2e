"""Round-two planning pages: import round one, gaps, the loop and its coverage, kits."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from secondround.accounts.models import User
from secondround.hiring import qualifications as quals
from secondround.hiring import selectors as hiring
from secondround.hiring.models import Position
from secondround.loops import forms, items, selectors, services
from secondround.loops.models import ClarificationItem, LoopSession, PlanStatus, Seat
from secondround.web.helpers import (
    error_text,
    form_status,
    request_user,
    run_service,
    visible_or_404,
)
from secondround.web.pdf import pdf_response


def _managed_position(request: HttpRequest, pk: int) -> Position:
    position = visible_or_404(hiring.get_visible_position, request, pk)
    hiring.require_manager(request_user(request), position)
    return position


@login_required
def round_two(request: HttpRequest, pk: int) -> HttpResponse:
    return _round_two_page(request, _managed_position(request, pk))


def _round_two_page(request: HttpRequest, position: Position, status: int = 200) -> HttpResponse:
    finalists = selectors.prefetch_clarification_items(services.finalists(position))
    plan = selectors.plan_with_questions(position)
    if plan is not None:
        selectors.mark_written_seats(plan)
    return render(
        request,
        "loops/round_two.html",
        {
            "position": position,
            "finalists": finalists,
            "matrix": selectors.gap_matrix(position, finalists),
            "plan": plan,
            "coverage": selectors.coverage_matrix(plan) if plan else [],
            "errors": [c for c in plan.checks if c.get("severity") != "warning"] if plan else [],
            "warnings": [c for c in plan.checks if c.get("severity") == "warning"] if plan else [],
            "propose_form": forms.ProposeForm(
                initial={
                    "time_budget_minutes": plan.time_budget_minutes
                    if plan
                    else services.DEFAULT_BUDGET_MINUTES
                }
            ),
            "panel": selectors.panel(position),
            "hosts": selectors.hosts(position),
        },
        status=status,
    )


@login_required
@require_POST
def propose(request: HttpRequest, pk: int) -> HttpResponse:
    position = _managed_position(request, pk)
    form = forms.ProposeForm(request.POST)
    if not form.is_valid():
        messages.error(request, error_text(form))
        return redirect("round-two", position.pk)
    actor, budget = request_user(request), form.cleaned_data["time_budget_minutes"]
    plan = selectors.plan_for(position)
    if (
        plan is not None
        and plan.status == PlanStatus.ACCEPTED
        and not form.cleaned_data["confirmed"]
    ):
        return _confirm_replan(request, position, budget)
    done = run_service(
        form,
        lambda: services.propose_loop(
            actor=actor, position=position, time_budget_minutes=budget,
            confirmed=form.cleaned_data["confirmed"] or None,
        ),
    )  # fmt: skip
    if done is None:
        if "confirmed" in form.errors:  # the loop changed meanwhile: show what changes now
            messages.error(request, error_text(form))
            return _confirm_replan(request, position, budget)
        messages.error(request, error_text(form))
        return redirect("round-two", position.pk)
    if plan is not None and plan.status == PlanStatus.ACCEPTED:
        messages.success(request, _("The changes are made; the loop stays accepted."))
    else:
        messages.success(
            request, _("A loop is proposed. Check its coverage, edit, then accept it.")
        )
    for check in done.checks:
        if check["rule"] == "time_budget":
            messages.warning(request, check["message"])
    return redirect("round-two", position.pk)


def _confirm_replan(request: HttpRequest, position: Position, budget: int) -> HttpResponse:
    """Show what proposing again would change in an accepted loop, and ask to confirm."""
    actor = request_user(request)
    draft = services.preview_loop(actor=actor, position=position, time_budget_minutes=budget)
    token = services.loop_fingerprint(position=position, time_budget_minutes=budget)
    return render(
        request,
        "loops/replan_confirm.html",
        {
            "position": position,
            "draft": draft,
            "form": forms.ProposeForm(initial={"time_budget_minutes": budget, "confirmed": token}),
            "errors": [
                draft.budget_problem
                if v.rule == "time_budget" and draft.budget_problem
                else v.message
                for v in draft.proposal.violations
                if v.severity == "error"
            ],
        },
    )


@login_required
@require_POST
def accept(request: HttpRequest, pk: int) -> HttpResponse:
    position = _managed_position(request, pk)
    plan = selectors.plan_for(position)
    if plan is None:
        raise Http404
    services.accept_plan(actor=request_user(request), plan=plan)
    messages.success(request, _("Loop accepted. Interviewers can open their kits."))
    return redirect("round-two", position.pk)


def _seat(request: HttpRequest, pk: int, seat_pk: int) -> tuple[Position, Seat]:
    position = _managed_position(request, pk)
    return position, get_object_or_404(Seat, pk=seat_pk, session__plan__position=position)


@login_required
@require_POST
def swap(request: HttpRequest, pk: int, seat_pk: int) -> HttpResponse:
    position, seat = _seat(request, pk, seat_pk)
    form = forms.SwapForm(request.POST, position=position, seat=seat)
    if form.is_valid():
        done = run_service(
            form,
            lambda: services.swap_seat_interviewer(
                actor=request_user(request), seat=seat, interviewer=form.cleaned_data["interviewer"]
            ),
        )
        if done:
            messages.success(request, _("Swapped in %s; coverage rechecked.") % done.interviewer)
    if form.errors:  # refused: the page again, saying why, and nothing changed
        messages.error(request, error_text(form))
        return _round_two_page(request, position, status=400)
    return redirect(f"{_round_two_url(position)}#plan")


def _round_two_url(position: Position) -> str:
    return reverse("round-two", args=[position.pk])


@login_required
def seat_competencies(request: HttpRequest, pk: int, seat_pk: int) -> HttpResponse:
    position, seat = _seat(request, pk, seat_pk)
    form = forms.SeatCompetenciesForm(
        request.POST or None, position=position, initial={"competencies": seat.competencies.all()}
    )
    if request.method == "POST" and form.is_valid():
        run_service(
            form,
            lambda: services.set_seat_competencies(
                actor=request_user(request),
                seat=seat,
                competencies=form.cleaned_data["competencies"],
            ),
        )
        if form.is_valid():
            messages.success(request, _("Focus competencies saved; coverage rechecked."))
            return redirect(f"{_round_two_url(position)}#plan")
    return render(
        request,
        "loops/seat_form.html",
        {"form": form, "seat": seat, "position": position},
        status=form_status(form),
    )


@login_required
def session_edit(request: HttpRequest, pk: int, session_pk: int) -> HttpResponse:
    position = _managed_position(request, pk)
    session = get_object_or_404(LoopSession, pk=session_pk, plan__position=position)
    form = forms.SessionForm(request.POST or None, instance=session)
    if request.method == "POST" and form.is_valid():
        saved = run_service(
            form,
            lambda: services.update_session(
                actor=request_user(request), session=session, **form.cleaned_data
            ),
        )
        if saved:
            messages.success(request, _("Session saved; coverage rechecked."))
            return redirect(f"{_round_two_url(position)}#plan")
    return render(
        request, "loops/session_form.html", {"form": form, "session": session, "position": position},
        status=form_status(form),
    )  # fmt: skip


@login_required
def item_edit(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    position = _managed_position(request, pk)
    item = get_object_or_404(ClarificationItem, pk=item_pk, application__position=position)
    form = forms.ItemForm(request.POST or None, instance=item, position=position)
    if request.method == "POST" and form.is_valid():
        saved = run_service(
            form,
            lambda: items.update_item(actor=request_user(request), item=item, **form.cleaned_data),
        )
        if saved:
            messages.success(request, _("Clarification item saved."))
            return redirect(f"{_round_two_url(position)}#items")
    return render(
        request, "loops/item_form.html", {"form": form, "item": item, "position": position},
        status=form_status(form),
    )  # fmt: skip


@login_required
def item_new(request: HttpRequest, pk: int, application_pk: int) -> HttpResponse:
    position = _managed_position(request, pk)
    application = get_object_or_404(position.applications, pk=application_pk)
    form = forms.NewItemForm(request.POST or None, position=position)
    if request.method == "POST" and form.is_valid():
        competency = form.cleaned_data["competency"]
        plan = selectors.plan_for(position)
        saved = run_service(
            form,
            lambda: items.add_item(
                actor=request_user(request), application=application, competency=competency,
                summary=form.cleaned_data["summary"], questions=form.cleaned_data["questions"],
                session=items.owning_session(plan, competency) if plan and competency else None,
            ),
        )  # fmt: skip
        if saved:
            messages.success(request, _("Clarification item added."))
            return redirect(f"{_round_two_url(position)}#items")
    return render(
        request,
        "loops/item_form.html",
        {"form": form, "item": None, "application": application, "position": position},
        status=form_status(form),
    )


def _kit(request: HttpRequest, seat_pk: int, application_pk: int) -> selectors.Kit:
    try:
        return selectors.kit(request_user(request), seat_pk, application_pk)
    except ObjectDoesNotExist as error:
        raise Http404 from error


@login_required
def kit(request: HttpRequest, seat_pk: int, application_pk: int) -> HttpResponse:
    return render(request, "loops/kit.html", {"kit": _kit(request, seat_pk, application_pk)})


@login_required
def kit_pdf(request: HttpRequest, seat_pk: int, application_pk: int) -> HttpResponse:
    the_kit = _kit(request, seat_pk, application_pk)
    html = render_to_string("loops/kit_print.html", {"kit": the_kit}, request=request)
    name = slugify(f"kit {the_kit.application.candidate} {the_kit.session.title}")
    return pdf_response(html, filename=f"{name}.pdf", base_url=request.build_absolute_uri("/"))


@login_required
def my_kits(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    context = {"rows": selectors.my_kit_rows(user), "left": selectors.drafts_left_behind(user)}
    return render(request, "loops/my_kits.html", context)


# --- who may rate what ------------------------------------------------------------------------


@login_required
def qualifications_list(request: HttpRequest) -> HttpResponse:
    """Everyone who may interview and what they may rate; for one position, as a matrix."""
    actor = request_user(request)
    quals.require_qualification_editor(actor)
    position = _position_filter(request, actor)
    people = list(quals.qualifiable_people())
    if position is not None:
        people = [
            p for p in people if p.pk in set(selectors.panel(position).values_list("pk", flat=True))
        ]
    summaries = quals.summaries(people)
    matrix = []
    competencies = list(position.competencies.all()) if position else []
    if position is not None:
        allowed = quals.qualified_competencies(position, people)
        matrix = [(p, [c.pk in allowed[p.pk] for c in competencies]) for p in people]
    return render(
        request,
        "loops/qualifications.html",
        {
            "position": position,
            "rows": [(p, summaries.get(p.pk, [])) for p in people],
            "competencies": competencies,
            "matrix": matrix,
        },
    )


def _position_filter(request: HttpRequest, actor: User) -> Position | None:
    raw = request.GET.get("position", "")
    if not raw:
        return None
    if not raw.isdigit() or len(raw) > 18:
        raise Http404
    return visible_or_404(hiring.get_visible_position, request, int(raw))


@login_required
def qualifications_edit(request: HttpRequest, user_pk: int) -> HttpResponse:
    actor = request_user(request)
    quals.require_qualification_editor(actor)
    person = get_object_or_404(quals.qualifiable_people(), pk=user_pk)
    kinds, held = quals.held_by(person)
    form = forms.QualificationsForm(
        request.POST or None, actor=actor, initial={"kinds": kinds, "competencies": held}
    )
    if request.method == "POST" and form.is_valid():
        done = run_service(
            form,
            lambda: quals.set_qualifications(
                actor=actor, person=person, kinds=form.cleaned_data["kinds"],
                competencies=list(form.cleaned_data["competencies"]),
            ) or True,
        )  # fmt: skip
        if done:
            messages.success(request, _("Saved what %s may rate.") % person)
            back = request.POST.get("position", "")
            url = reverse("qualifications")
            return redirect(f"{url}?position={back}" if back.isdigit() else url)
    return render(
        request,
        "loops/qualifications_edit.html",
        {"form": form, "person": person, "position": request.GET.get("position", "")},
        status=form_status(form),
    )
