"""The candidate's portal on their private link, and the hiring team's side of it.

Thin views: the link is checked on every request (``prep.private_link.candidate_page``), the
candidate's language and time zone live in their session for this link, and every write
goes through ``services``.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.template import TemplateDoesNotExist
from django.template.loader import get_template
from django.urls import reverse
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from secondround.bookings.invites import calendar_domain
from secondround.hiring import selectors as hiring
from secondround.portal import forms, selectors, services
from secondround.portal.itinerary_ics import itinerary_ics
from secondround.prep.access import LinkPart
from secondround.prep.models import CandidateQuestion, InviteLink
from secondround.prep.private_link import candidate_page
from secondround.web.helpers import request_user, run_service, visible_or_404

# Sections other apps add to the portal by shipping a template of this name (see docs/portal.md).
SECTION_TEMPLATES = ("feedback/portal_section.html", "surveys/portal_section.html")


# --- the link and the candidate's preferences -----------------------------------------------------


# Every candidate view here opens only while the link may open the portal (prep's rule).
portal_view = candidate_page(LinkPart.PORTAL)


def _sections() -> list[str]:
    found = []
    for name in SECTION_TEMPLATES:
        try:
            get_template(name)
        except TemplateDoesNotExist:
            continue
        found.append(name)
    return found


def _page(
    request: HttpRequest, link: InviteLink, token: str, status: int = 200, **forms_: Any
) -> HttpResponse:
    portal = selectors.portal_for(link)
    context = {
        "portal": portal,
        "token": token,
        "application": portal.application,
        "candidate": portal.candidate,
        "position": portal.position,
        "stage": portal.application.stage,
        "LANGUAGE_CODE": translation.get_language(),  # base.html's <html lang>
        "sections": _sections(),
        "question_form": forms_.get("question_form") or forms.QuestionForm(),
        "adjustment_form": forms_.get("adjustment_form")
        or forms.AdjustmentForm(
            initial={
                "needs": portal.adjustments.needs if portal.adjustments else [],
                "details": portal.adjustments.details if portal.adjustments else "",
            }
        ),
        "preferences_form": forms_.get("preferences_form")
        or forms.PreferencesForm(
            initial={"language": translation.get_language(), "time_zone": portal.zone.key}
        ),
    }
    return render(request, "portal/portal.html", context, status=status)


# --- the candidate ------------------------------------------------------------------------------


@portal_view
@require_GET
def portal(request: HttpRequest, link: InviteLink, token: str) -> HttpResponse:
    return _page(request, link, token)


@portal_view
@require_POST
def preferences(request: HttpRequest, link: InviteLink, token: str) -> HttpResponse:
    form = forms.PreferencesForm(request.POST)
    saved = (
        run_service(
            form,
            lambda: services.save_preferences(
                application=link.application,
                language=form.cleaned_data["language"],
                time_zone=form.cleaned_data["time_zone"],
            ),
        )
        if form.is_valid()
        else None
    )
    if saved is None:
        _show_saved_choices(form, link)
        return _page(request, link, token, status=400, preferences_form=form)
    return redirect("portal", token)


def _show_saved_choices(form: forms.PreferencesForm, link: InviteLink) -> None:
    """A select cannot show a value it does not offer (it would show its first option, which
    one more Apply would save): refused fields show what is saved; their errors name what was
    sent."""
    saved = {
        "language": translation.get_language(),
        "time_zone": selectors.candidate_zone(link.application).key,
    }
    shown = dict(form.data.items())
    shown.update({name: saved[name] for name in form.errors if name in saved})
    form.data = shown


@portal_view
@require_POST
def ask(request: HttpRequest, link: InviteLink, token: str) -> HttpResponse:
    form = forms.QuestionForm(request.POST)
    sent = None
    if form.is_valid():
        sent = run_service(
            form,
            lambda: services.submit_question(
                application=link.application,
                text=form.cleaned_data["text"],
                topic=form.cleaned_data["topic"],
            ),
        )
    if sent is not None:
        messages.success(request, _("Thank you: your question is with the team."))
        return redirect(reverse("portal", args=[token]) + "#questions")
    return _page(request, link, token, status=400, question_form=form)


@portal_view
@require_POST
def adjustments(request: HttpRequest, link: InviteLink, token: str) -> HttpResponse:
    if not selectors.accepts_questions(link.application):
        # A tab left open from before: the page no longer has the form to show errors on.
        messages.error(request, services.adjustments_closed())
        return _page(request, link, token, status=409)
    form = forms.AdjustmentForm(request.POST)
    saved = None
    if form.is_valid():
        saved = run_service(
            form,
            lambda: services.save_adjustments(
                application=link.application,
                needs=form.cleaned_data["needs"],
                details=form.cleaned_data["details"],
            ),
        )
    if saved is not None:
        messages.success(request, _("Thank you: the recruiter will arrange what you asked for."))
        return redirect(reverse("portal", args=[token]) + "#adjustments")
    return _page(request, link, token, status=400, adjustment_form=form)


@portal_view
@require_GET
def itinerary_download(request: HttpRequest, link: InviteLink, token: str) -> HttpResponse:
    portal = selectors.portal_for(link)
    if not portal.slots:
        raise Http404("No conversations are booked yet.")
    body = itinerary_ics(portal, domain=calendar_domain())
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    name = slugify(f"interviews {portal.position.title}")
    response["Content-Disposition"] = f'attachment; filename="{name}.ics"'
    return response


# --- the hiring team ------------------------------------------------------------------------------


def _shared_question(request: HttpRequest, pk: int, question_pk: int) -> CandidateQuestion:
    application = visible_or_404(hiring.get_visible_application, request, pk)
    return get_object_or_404(
        CandidateQuestion.objects.select_related("kit__application__position", "session"),
        pk=question_pk,
        kit__application=application,
        shared_at__isnull=False,
    )


def _back(request: HttpRequest, pk: int) -> HttpResponse:
    # Only a path on this site (never a view name for redirect() to reverse, nor another host).
    target = request.POST.get("next", "")
    if target.startswith("/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return HttpResponseRedirect(target)
    return redirect(reverse("application", args=[pk]) + "#candidate-questions")


def _report(request: HttpRequest, error: ValidationError) -> HttpResponse:
    text = "; ".join(str(m) for messages_ in error.message_dict.values() for m in messages_)
    return HttpResponse(text, status=400, content_type="text/plain; charset=utf-8")


@login_required
@require_POST
def route(request: HttpRequest, pk: int, question_pk: int) -> HttpResponse:
    question = _shared_question(request, pk, question_pk)
    sessions = selectors.loop_sessions(question.kit.application)  # type: ignore[arg-type]
    form = forms.RouteForm(request.POST, sessions=[(s.pk, s.title) for s in sessions])
    if not form.is_valid():
        return HttpResponse(_("session: choose a session of this candidate's loop."), status=400)
    chosen = form.cleaned_data["session"]
    session = next((s for s in sessions if s.pk == chosen), None) if chosen else None
    try:
        services.route_question(actor=request_user(request), question=question, session=session)
    except ValidationError as error:
        return _report(request, error)
    messages.success(request, _("The question moved."))
    return _back(request, pk)


@login_required
@require_POST
def mark_answered(request: HttpRequest, pk: int, question_pk: int) -> HttpResponse:
    question = _shared_question(request, pk, question_pk)
    answered = request.POST.get("answered", "yes") != "no"
    services.mark_question_answered(
        actor=request_user(request), question=question, answered=answered
    )
    return _back(request, pk)


@login_required
@require_POST
def answer(request: HttpRequest, pk: int, question_pk: int) -> HttpResponse:
    question = _shared_question(request, pk, question_pk)
    form = forms.WrittenAnswerForm(request.POST)
    if not form.is_valid():
        errors = "; ".join(f"{f}: {' '.join(str(m) for m in e)}" for f, e in form.errors.items())
        return HttpResponse(errors, status=400, content_type="text/plain; charset=utf-8")
    try:
        services.answer_question_in_writing(
            actor=request_user(request), question=question, text=form.cleaned_data["written_answer"]
        )
    except ValidationError as error:
        return _report(request, error)
    messages.success(request, _("The candidate can read your answer on their page."))
    return _back(request, pk)
