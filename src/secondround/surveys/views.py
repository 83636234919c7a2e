"""Survey pages: the candidate's questionnaire on their private link, and the results."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from secondround.hiring.selectors import get_visible_position
from secondround.prep.access import LinkPart
from secondround.prep.models import InviteLink
from secondround.prep.private_link import candidate_page
from secondround.surveys import selectors, services
from secondround.surveys.forms import SurveyForm
from secondround.surveys.models import STATEMENT_KEYS, SurveyMoment
from secondround.web.helpers import request_user, run_service, visible_or_404


@require_http_methods(["GET", "POST"])
@candidate_page(LinkPart.SURVEY)
def candidate_survey(request: HttpRequest, link: InviteLink, token: str) -> HttpResponse:
    application = link.application
    moment = request.POST.get("moment") or selectors.current_moment(application)
    # Only a known moment is looked up: the service refuses anything else by field, and a
    # NUL in it could not even be compared by PostgreSQL.
    earlier = selectors.own_response(application, moment) if moment in SurveyMoment.values else None
    initial = (
        {f: getattr(earlier, f) for f in (*STATEMENT_KEYS, "recommend", "comment")}
        if earlier
        else None
    )
    form = SurveyForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        done = run_service(
            form,
            lambda: services.submit_survey(
                application=application,
                moment=str(moment),
                answers=form.answers(),
                recommend=form.cleaned_data["recommend"],
                comment=form.cleaned_data["comment"],
            ),
        )
        if done is not None:
            messages.success(request, _("Thank you: your answers are saved."))
            return redirect("survey-candidate", token)
    context = {
        "application": application,
        "form": form,
        "moment": moment,
        "moment_label": SurveyMoment(moment).label if moment in SurveyMoment.values else "",
        "earlier": earlier,
    }
    return render(request, "surveys/candidate.html", context, status=400 if form.errors else 200)


@login_required
def results(request: HttpRequest, pk: int) -> HttpResponse:
    moment = request.GET.get("moment", SurveyMoment.AFTER_LOOP)
    if moment not in SurveyMoment.values:
        visible_or_404(get_visible_position, request, pk)
        return HttpResponse(
            _("moment: choose after_loop or after_outcome."), status=400, content_type="text/plain"
        )
    data = visible_or_404(
        lambda user, position_id: selectors.position_results(user, position_id, moment),
        request,
        pk,
    )
    return render(
        request,
        "surveys/results.html",
        {"results": data, "moments": SurveyMoment.choices, "minimum": selectors.MIN_RESPONSES},
    )


@login_required
def overview(request: HttpRequest) -> HttpResponse:
    rows = selectors.positions_overview(request_user(request))
    return render(
        request,
        "surveys/overview.html",
        {"rows": rows, "moments": SurveyMoment.choices, "minimum": selectors.MIN_RESPONSES},
    )
