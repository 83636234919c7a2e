"""The debrief page, its cells, the printable pack, weights and decisions."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from secondround.debrief import calibration, selectors, services
from secondround.debrief.forms import DecisionForm, WeightsForm
from secondround.debrief.models import Decision
from secondround.debrief.pack import pack_chart
from secondround.debrief.templatetags.debrief_format import chance
from secondround.hiring import selectors as hiring
from secondround.hiring.models import WEIGHT_MIN, Position
from secondround.scorecards.selectors import can_see_round_two_ratings
from secondround.web.helpers import error_text, request_user, run_service, visible_or_404
from secondround.web.pdf import pdf_response


def _position(request: HttpRequest, pk: int) -> Position:
    position = visible_or_404(hiring.get_visible_position, request, pk)
    hiring.require_manager(request_user(request), position)
    return position


def _chart_spec(data: selectors.Debrief) -> dict[str, object]:
    """A Vega-Lite spec: each finalist's calibrated score with its interval."""
    values = [
        {"finalist": r.application.candidate.full_name, "score": round(r.result.score, 2),
         "low": round(r.result.low, 2), "high": round(r.result.high, 2),
         "p_best": chance(r.result.p_best) if data.compares_all else "hidden"}
        for r in data.rows
    ]  # fmt: skip
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v6.json",
        "data": {"values": values},
        "width": "container",
        "height": {"step": 34},
        "encoding": {"y": {"field": "finalist", "type": "nominal", "sort": None, "title": None}},
        "layer": [
            {"mark": {"type": "rule", "strokeWidth": 2},
             "encoding": {"x": {"field": "low", "type": "quantitative", "title": "Calibrated score (1–5)",
                                "scale": {"zero": False}}, "x2": {"field": "high"}}},
            {"mark": {"type": "point", "filled": True, "size": 90},
             "encoding": {"x": {"field": "score", "type": "quantitative"},
                          "tooltip": [{"field": "finalist"}, {"field": "score"}, {"field": "low"},
                                      {"field": "high"}, {"field": "p_best", "title": "P(best)"}]}},
        ],
    }  # fmt: skip


@login_required
def debrief(request: HttpRequest, pk: int) -> HttpResponse:
    """The debrief; weights in the query are a read-only "what if" (nothing is saved).

    A GET is right for it: it changes nothing, can be bookmarked and shared, and carries no
    CSRF token (saving the weights is a separate POST form with its own token).
    """
    position = _position(request, pk)
    form = WeightsForm(request.GET or None, position=position)
    if not request.htmx:  # type: ignore[attr-defined]  # the page, not its partials
        services.record_debrief_viewed(actor=request_user(request), position=position)
    return _render_debrief(request, position, form)


def _render_debrief(request: HttpRequest, position: Position, form: WeightsForm) -> HttpResponse:
    """The page (or, for htmx, its results): refused weights keep the saved ones, with a 400."""
    user = request_user(request)
    weights = form.weights() if form.is_bound and form.is_valid() else None
    try:
        data = selectors.debrief(user, position, weights=weights)
    except ValidationError as error:
        form.add_error(None, error)
        data = selectors.debrief(user, position)
    template = "debrief/debrief.html#results" if request.htmx else "debrief/debrief.html"  # type: ignore[attr-defined]
    context = {
        "position": position,
        "data": data,
        "form": form,
        "chart": _chart_spec(data) if data else None,
        "refreshing": selectors.calibration_refreshing(),
        "show_leniency": user.is_org_admin or user.pk == position.hiring_manager_id,
        "pack_query": urlencode(form.as_query()) if weights else "",
        # Saved weights are 1–5 (Competency.weight): a what-if with a 0 can be tried, not saved.
        "weights_savable": bool(weights) and all(w >= 1 for w in (weights or {}).values()),
    }
    status = 400 if form.is_bound and form.errors else 200
    return render(request, template, context, status=status)


@login_required
@require_POST
def save_weights(request: HttpRequest, pk: int) -> HttpResponse:
    position = _position(request, pk)
    # Saved weights are 1–5 (the model's own rule); 0 is only for a "what if".
    form = WeightsForm(request.POST, position=position, minimum=WEIGHT_MIN)
    if not form.is_valid():
        return _render_debrief(request, position, form)
    weights = {pk: int(weight) for pk, weight in form.weights().items()}
    saved = run_service(
        form,
        lambda: services.save_weights(
            actor=request_user(request), position=position, weights=weights
        ),
    )
    if saved is None:
        return _render_debrief(request, position, form)
    messages.success(request, _("Weights saved for this position."))
    return redirect("debrief", position.pk)


@login_required
@require_POST
def refresh(request: HttpRequest, pk: int) -> HttpResponse:
    _position(request, pk)
    calibration.refresh_snapshot()
    messages.success(request, _("Calibration refreshed from every submitted rating."))
    return redirect("debrief", pk)


@login_required
def cell(request: HttpRequest, pk: int, application_pk: int, competency_pk: int) -> HttpResponse:
    position = _position(request, pk)
    application = get_object_or_404(
        position.applications.select_related("candidate"), pk=application_pk
    )
    competency = get_object_or_404(position.competencies, pk=competency_pk)
    ratings = selectors.ratings_for_cell(request_user(request), application, competency)
    # htmx swaps the fragment into the page; a link opened on its own gets a whole page.
    template = "debrief/cell.html" if request.htmx else "debrief/cell_page.html"  # type: ignore[attr-defined]
    return render(
        request,
        template,
        {"position": position, "application": application, "competency": competency,
         "ratings": ratings},
    )  # fmt: skip


@login_required
def pack(request: HttpRequest, pk: int) -> HttpResponse:
    """The printable pack: the same numbers as the page (with the weights in the query),
    the decisions and dissent, the chart as a table of intervals, and the weights used."""
    position = _position(request, pk)
    user = request_user(request)
    form = WeightsForm(request.GET or None, position=position)
    if form.is_bound and not form.is_valid():
        return HttpResponse(error_text(form), status=400, content_type="text/plain")
    try:
        data = selectors.debrief(user, position, weights=form.weights() if form.is_bound else None)
    except ValidationError as error:
        return HttpResponse(" ".join(error.messages), status=400, content_type="text/plain")
    html = render_to_string(
        "debrief/pack.html",
        {"position": position, "data": data, "chart": pack_chart(data) if data else [],
         "decisions": selectors.decisions_visible_to(user, position)},
        request=request,
    )  # fmt: skip
    services.record_debrief_viewed(actor=user, position=position, what="PDF pack")
    return pdf_response(html, filename=f"debrief-{slugify(position.title)}.pdf")


@login_required
def decide(request: HttpRequest, pk: int, application_pk: int) -> HttpResponse:
    position = _position(request, pk)
    application = get_object_or_404(
        position.applications.select_related("candidate"), pk=application_pk
    )
    user = request_user(request)
    if not can_see_round_two_ratings(user, application):
        raise PermissionDenied(_("Submit your own scorecard for this finalist first."))
    progress = selectors.scorecard_progress(position, [application])[application.pk]
    existing = Decision.objects.filter(application=application).first()
    initial = {}
    if existing:
        initial = {
            "decision": existing.decision, "competencies": existing.competencies.all(),
            "reasons": existing.reasons, "next_step": existing.next_step,
            "next_step_date": existing.next_step_date,
            "dissent": "\n".join(f"{d['person']}: {d['view']}" for d in existing.dissent),
        }  # fmt: skip
    form = DecisionForm(
        request.POST or None, position=position, initial=initial,
        scorecards_missing=not progress.complete,
    )  # fmt: skip
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        saved = run_service(
            form,
            lambda: services.record_decision(
                actor=user, application=application, decision=data["decision"],
                reasons=data["reasons"], competencies=list(data["competencies"]),
                dissent=data["dissent"], next_step=data["next_step"],
                next_step_date=data["next_step_date"], change_reason=data["change_reason"],
                confirm_provisional=data.get("confirm_provisional", False),
                no_outcome_reason=data["no_outcome_reason"],
            ),
        )  # fmt: skip
        if saved:
            messages.success(request, _("Decision recorded for %s.") % application.candidate)
            return redirect("debrief", position.pk)
    return render(
        request,
        "debrief/decision.html",
        {
            "form": form, "position": position, "application": application,
            "existing": existing, "progress": progress,
            "revisions": existing.revisions.select_related("changed_by") if existing else [],
        },
        status=400 if form.is_bound and form.errors else 200,
    )  # fmt: skip
