"""The question bank: search and filter, add and edit your own, retire what you do not use."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from secondround.questions import selectors, services
from secondround.questions.forms import QuestionForm, ScenarioForm, SearchForm
from secondround.questions.models import Question, Scenario
from secondround.web.helpers import form_status, refuse_job_seekers, request_user, run_service

PAGE_SIZE = 50


@login_required
def bank(request: HttpRequest) -> HttpResponse:
    refuse_job_seekers(request_user(request))
    form = SearchForm(request.GET or None)
    filters: dict[str, Any] = {}
    if form.is_bound:
        form.is_valid()  # a value the bank does not know is named on its field (400) …
        filters = form.cleaned_data  # … while the filters that are valid still apply
    questions = selectors.search_questions(
        text=filters.get("q", ""),
        kind=filters.get("kind", ""),
        type=filters.get("type", ""),
        role_family=filters.get("family", ""),
        include_retired=filters.get("retired", False),
    )
    total = questions.count()
    template = "questions/bank.html#results" if request.htmx else "questions/bank.html"  # type: ignore[attr-defined]
    return render(
        request,
        template,
        {"form": form, "questions": questions[:PAGE_SIZE], "total": total, "page_size": PAGE_SIZE},
        status=form_status(form),
    )


@login_required
def question_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    refuse_job_seekers(request_user(request))
    question = get_object_or_404(Question, pk=pk) if pk else None
    initial = {}
    if question:
        initial = {
            f: getattr(question, f)
            for f in (
                "text",
                "type",
                "kind",
                "role_families",
                "reason",
                "answer_1",
                "answer_3",
                "answer_5",
            )
        } | {"follow_ups": "\n".join(question.follow_ups)}
    form = QuestionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        saved = run_service(
            form,
            lambda: services.save_question(
                actor=request_user(request), question=question, fields=form.service_fields()
            ),
        )
        if saved:
            messages.success(request, _("Question saved."))
            return redirect("question-bank")
    return render(
        request, "questions/question_form.html", {"form": form, "question": question},
        status=form_status(form),
    )  # fmt: skip


@login_required
@require_POST
def question_retire(request: HttpRequest, pk: int) -> HttpResponse:
    question = get_object_or_404(Question, pk=pk)
    retired = request.POST.get("retired") == "1"
    services.set_question_retired(actor=request_user(request), question=question, retired=retired)
    messages.success(request, _("Question retired.") if retired else _("Question restored."))
    return _back_to(request, request.POST.get("next", ""), fallback="question-bank")


def _back_to(request: HttpRequest, url: str, *, fallback: str) -> HttpResponse:
    """Go back to `next` if it is an address on this site; anywhere else goes to the fallback."""
    if url.startswith("/") and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return HttpResponseRedirect(url)
    return redirect(fallback)


@login_required
def scenarios(request: HttpRequest) -> HttpResponse:
    refuse_job_seekers(request_user(request))
    selectors.search_questions()  # loads the built-in bank on a new install
    show_retired = request.GET.get("retired") == "1"
    found = Scenario.objects.all() if show_retired else Scenario.objects.filter(retired=False)
    return render(
        request, "questions/scenarios.html", {"scenarios": found, "show_retired": show_retired}
    )


@login_required
def scenario_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    refuse_job_seekers(request_user(request))
    scenario = get_object_or_404(Scenario, pk=pk) if pk else None
    initial = {}
    if scenario:
        initial = {
            "title": scenario.title, "role_family": scenario.role_family, "brief": scenario.brief,
            "materials": "\n".join(scenario.materials), "timebox_minutes": scenario.timebox_minutes,
            "watch_for": "\n".join(scenario.watch_for),
            "rubric": "\n".join(f"{r['competency']}: {r['what_good_looks_like']}" for r in scenario.rubric),
        }  # fmt: skip
    form = ScenarioForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        saved = run_service(
            form,
            lambda: services.save_scenario(
                actor=request_user(request), scenario=scenario, fields=form.service_fields()
            ),
        )
        if saved:
            messages.success(request, _("Scenario saved."))
            return redirect("scenarios")
    return render(
        request, "questions/scenario_form.html", {"form": form, "scenario": scenario},
        status=form_status(form),
    )  # fmt: skip


@login_required
@require_POST
def scenario_retire(request: HttpRequest, pk: int) -> HttpResponse:
    scenario = get_object_or_404(Scenario, pk=pk)
    retired = request.POST.get("retired") == "1"
    services.set_scenario_retired(actor=request_user(request), scenario=scenario, retired=retired)
    messages.success(request, _("Scenario retired.") if retired else _("Scenario restored."))
    return redirect("scenarios")
