"""Round one (imported from a file or entered by hand) and the interviewers' round-two scorecards."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import NON_FIELD_ERRORS, ObjectDoesNotExist, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from secondround.accounts.models import User
from secondround.hiring import selectors as hiring
from secondround.loops.selectors import own_seat_and_finalist
from secondround.scorecards.forms import (
    AmendForm,
    CompetencyRatingForm,
    ImportForm,
    InterviewerForm,
    RoundTwoScorecardForm,
)
from secondround.scorecards.importer import ImportRejected, read_upload
from secondround.scorecards.models import Scorecard
from secondround.scorecards.selectors import (
    get_own_scorecard,
    own_round_two_scorecard,
    round_two_scorecards_visible_to,
)
from secondround.scorecards.services import (
    StaleScorecard,
    amend_scorecard,
    import_first_round,
    open_round_two_scorecard,
    save_draft,
    save_round_one_scorecard,
    scorecard_version,
    submit_scorecard,
)
from secondround.web.helpers import form_status, request_user, run_service, visible_or_404


@login_required
def import_round_one(request: HttpRequest, pk: int) -> HttpResponse:
    position = visible_or_404(hiring.get_visible_position, request, pk)
    hiring.require_manager(request_user(request), position)
    form = ImportForm(request.POST or None, request.FILES or None)
    problems: list[str] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            result = import_first_round(
                actor=request_user(request), filename=upload.name, content=read_upload(upload),
                position=position,
            )  # fmt: skip
        except ImportRejected as rejected:
            problems = [str(p) for p in rejected.problems]
        else:
            messages.success(
                request,
                _("Imported %(total)d ratings: %(created)d new, %(updated)d changed, "
                  "%(unchanged)d unchanged.")
                % {"total": result.total, "created": result.created, "updated": result.updated,
                   "unchanged": result.unchanged},
            )  # fmt: skip
            return redirect("round-two", position.pk)
    return render(
        request,
        "scorecards/import.html",
        {"form": form, "position": position, "problems": problems},
        status=400 if problems else form_status(form),
    )


@login_required
def round_one_entry(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    application = visible_or_404(hiring.get_visible_application, request, pk)
    hiring.require_manager(user, application.position)
    data = request.POST or None
    who = InterviewerForm(data, position=application.position)
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
            messages.success(request, _("Round-one scorecard saved."))
            return redirect("application", application.pk)
    return render(
        request,
        "scorecards/round_one_entry.html",
        {"application": application, "who": who, "rows": rows},
        status=form_status(who, *rows),
    )


@login_required
def scorecard_for_seat(request: HttpRequest, seat_pk: int, application_pk: int) -> HttpResponse:
    """The interviewer's own round-two scorecard for a finalist: a GET only finds it (or
    offers to start it); the POST creates it, with a row per focus competency."""
    user = request_user(request)
    try:
        seat, application = own_seat_and_finalist(user, seat_pk, application_pk)
    except ObjectDoesNotExist as error:
        raise Http404 from error
    if request.method == "POST":
        scorecard = open_round_two_scorecard(actor=user, seat=seat, application=application)
        return redirect("scorecard", scorecard.pk)
    existing = own_round_two_scorecard(user, application)
    if existing is not None:
        return redirect("scorecard", existing.pk)
    return render(request, "scorecards/start.html", {"seat": seat, "application": application})


@login_required
def scorecard(request: HttpRequest, pk: int) -> HttpResponse:
    """Fill in, autosave, submit and amend one's own round-two scorecard."""
    user = request_user(request)
    card = visible_or_404(get_own_scorecard, request, pk)
    form = RoundTwoScorecardForm(request.POST or None, scorecard=card)
    amend = AmendForm(request.POST or None)
    action = request.POST.get("action", "")
    stale = False
    if request.method == "POST":
        form.is_valid()  # keep every field that validates, even in a half-written draft
        if action == "draft":
            return _autosave(request, card, form)
        # A field that did not validate (e.g. over its length limit) refuses the whole submit.
        refused = bool(form.refusals()) or (action == "amend" and not amend.is_valid())
        done = (
            None if refused else run_service(form, lambda: _finish(user, card, form, amend, action))
        )
        stale = form.has_error(NON_FIELD_ERRORS, "stale")
        if done:
            messages.success(
                request,
                _("Scorecard submitted.")
                if action == "submit"
                else _("Scorecard amended; the change and its reason are kept."),
            )
            return redirect("scorecard", card.pk)
    return render(
        request,
        "scorecards/scorecard.html",
        {
            "card": card,
            "form": form,
            "amend": amend,
            "colleagues": round_two_scorecards_visible_to(user, card.application).exclude(
                pk=card.pk
            ),
            "revisions": card.revisions.select_related("changed_by"),
            "version": form.version_shown(card),
        },
        # A POST that gets here was refused, by the form or by the service (e.g. no overall
        # recommendation on submit): a 400 with the errors, like every refused form; a save
        # from a stale tab is a 409 (reload to see the newer version).
        status=409 if stale else 400 if request.method == "POST" else 200,
    )


def _finish(
    user: User, card: Scorecard, form: RoundTwoScorecardForm, amend: AmendForm, action: str
) -> Scorecard:
    version = form.cleaned_data.get("version") or None
    if action == "amend":
        reason = amend.cleaned_data.get("reason", "") if amend.is_valid() else ""
        return amend_scorecard(
            actor=user, scorecard=card, data=form.to_input(), reason=reason, version=version
        )
    return submit_scorecard(actor=user, scorecard=card, data=form.to_input(), version=version)


def _autosave(request: HttpRequest, card: Scorecard, form: RoundTwoScorecardForm) -> HttpResponse:
    if form.refusals():
        # Nothing is saved from a refused draft (e.g. notes over the length limit): the page
        # shows which field to shorten; the browser keeps its own copy meanwhile.
        return render(
            request,
            "scorecards/scorecard.html#saved",
            {"card": card, "refused": form.refusal_summary(), "version": form.version_shown(card)},
            status=400,
        )
    try:
        save_draft(
            actor=request_user(request), scorecard=card, data=form.to_input(),
            version=form.cleaned_data.get("version") or None,
        )  # fmt: skip
    except ValidationError as error:
        # A stale tab (submitted elsewhere, or saved from another tab since) must say so: the
        # page swaps this 409 in (scorecard-draft.js) where "Draft saved" would have appeared,
        # keeping the version it had, so its next autosave is refused too until it reloads.
        return render(
            request,
            "scorecards/scorecard.html#saved",
            {
                "card": card,
                "refused": " ".join(error.messages),
                "version": form.version_shown(card),
                "stale": isinstance(error, StaleScorecard),  # its message asks to reload
            },
            status=409,
        )
    return render(
        request,
        "scorecards/scorecard.html#saved",
        {"card": card, "saved_at": timezone.now(), "version": scorecard_version(card)},
    )
