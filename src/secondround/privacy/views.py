"""Admin pages: a candidate's data (export, erase) and the retention rule."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from secondround.privacy import selectors, services
from secondround.privacy.forms import EraseForm, RetentionPolicyForm
from secondround.web.helpers import request_user, run_service


def _held_or_404(request: HttpRequest, pk: int) -> selectors.HeldData:
    try:
        return selectors.held_data(request_user(request), pk)
    except ObjectDoesNotExist as missing:
        raise Http404 from missing


@login_required
@require_http_methods(["GET", "POST"])
def candidate_data(request: HttpRequest, pk: int) -> HttpResponse:
    held = _held_or_404(request, pk)
    form = EraseForm(request.POST or None, expected_name=held.candidate.full_name)
    if request.method == "POST" and form.is_valid() and held.erasure is None:
        actor = request_user(request)
        result = run_service(form, lambda: services.erase_candidate(actor=actor, candidate_id=pk))
        if result is not None:
            messages.success(
                request,
                _("Erased: %(redacted)d records anonymised, %(deleted)d deleted.")
                % {"redacted": result.rows_redacted, "deleted": result.rows_deleted},
            )
            return redirect("candidate-data", pk=pk)
    status = 400 if form.errors else 200
    return render(
        request, "privacy/candidate_data.html", {"held": held, "form": form}, status=status
    )


@login_required
@require_POST
def candidate_export(request: HttpRequest, pk: int) -> HttpResponse:
    """A POST: exporting personal data is an act the audit log records, not a plain read."""
    held = _held_or_404(request, pk)
    document = services.export_candidate(
        actor=request_user(request), candidate_id=held.candidate.pk
    )
    response = HttpResponse(document, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="candidate-{pk}.json"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def retention_settings(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    erasures = selectors.recent_erasures(user)  # refuses non-admins before anything else
    form = RetentionPolicyForm(request.POST or None, instance=selectors.policy())
    if request.method == "POST" and form.is_valid():
        saved = run_service(
            form,
            lambda: services.update_retention_policy(
                actor=user,
                enabled=form.cleaned_data["enabled"],
                days_after_closing=form.cleaned_data["days_after_closing"],
            ),
        )
        if saved is not None:
            messages.success(request, _("Retention rule saved."))
            return redirect("privacy-settings")
    status = 400 if form.errors else 200
    return render(
        request, "privacy/settings.html", {"form": form, "erasures": erasures}, status=status
    )
