"""Entering round-one ratings by hand, one interviewer's scorecard at a time."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from secondround.hiring import selectors as hiring
from secondround.loops.services import refresh_clarification_items
from secondround.scorecards.forms import CompetencyRatingForm, InterviewerForm
from secondround.scorecards.services import save_round_one_scorecard
from secondround.web.helpers import request_user, run_service, visible_or_404


@login_required
def round_one_entry(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    application = visible_or_404(hiring.get_visible_application, request, pk)
    hiring.require_manager(user, application.position)
    data = request.POST or None
    who = InterviewerForm(data)
    rows = [
        CompetencyRatingForm(data, competency=c, prefix=f"c{c.pk}")
        for c in application.position.competencies.all()
    ]
    if request.method == "POST" and who.is_valid() and all(f.is_valid() for f in rows):
        saved = run_service(
            who,
            lambda: save_round_one_scorecard(
                actor=user,
                application=application,
                interviewer=who.cleaned_data["interviewer"],
                ratings={f.competency.pk: f.cleaned_data for f in rows},
            ),
        )
        if saved:
            refresh_clarification_items(position=application.position)
            messages.success(request, _("Round-one scorecard saved."))
            return redirect("application", application.pk)
    return render(
        request,
        "scorecards/round_one_entry.html",
        {"application": application, "who": who, "rows": rows},
    )
