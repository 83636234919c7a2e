"""Pages for messages: the outbox, the template editor with preview, and the application's
message actions (outcome, next steps, promised date, language), which redirect back (a
refused outcome, date or language answers 400 with its form instead)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from secondround.hiring.models import Application
from secondround.hiring.selectors import get_visible_application
from secondround.messaging import forms, selectors, services
from secondround.messaging.models import MessageKind
from secondround.messaging.rendering import html_paragraphs, placeholders_for
from secondround.web.helpers import (
    error_text,
    refuse_job_seekers,
    request_user,
    run_service,
    visible_or_404,
)

# --- the outbox --------------------------------------------------------------------------


@login_required
@require_GET
def outbox(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    refuse_job_seekers(user)
    form = forms.OutboxFilterForm(request.GET or None)
    rows = selectors.outbox_visible_to(user)
    if form.is_valid() and form.cleaned_data["state"]:
        rows = rows.filter(state=form.cleaned_data["state"])
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    status = 400 if form.is_bound and not form.is_valid() else 200
    return render(request, "messaging/outbox.html", {"form": form, "page": page}, status=status)


@login_required
@require_GET
def message_detail(request: HttpRequest, pk: int) -> HttpResponse:
    message = visible_or_404(selectors.get_visible_message, request, pk)
    return render(
        request,
        "messaging/message_detail.html",
        {"message": message, "html": html_paragraphs(message.body_text)},
    )


@login_required
@require_POST
def message_resend(request: HttpRequest, pk: int) -> HttpResponse:
    message = visible_or_404(selectors.get_visible_message, request, pk)
    _run(request, lambda: services.resend_message(actor=request_user(request), message=message),
         _("Queued again: it will be sent in a moment."))  # fmt: skip
    return redirect("message", message.pk)


# --- templates ---------------------------------------------------------------------------


def _require_editor(request: HttpRequest) -> None:
    services.require_template_editor(request_user(request))


@login_required
@require_GET
def template_list(request: HttpRequest) -> HttpResponse:
    _require_editor(request)
    edited = set(selectors.edited_templates())
    rows = [
        {
            "kind": kind,
            "languages": [
                {"code": code, "name": name, "edited": (kind.value, code) in edited}
                for code, name in settings.LANGUAGES
            ],
        }
        for kind in MessageKind
    ]
    return render(
        request, "messaging/template_list.html", {"rows": rows, "languages": settings.LANGUAGES}
    )


@login_required
def template_edit(request: HttpRequest, kind: str, language: str) -> HttpResponse:
    _require_editor(request)
    if kind not in MessageKind.values or language not in dict(settings.LANGUAGES):
        raise Http404
    current = services.template_text(kind, language)
    form = forms.TemplateForm(
        request.POST or None,
        initial={"subject": current.subject, "body_text": current.body_text},
    )
    preview = None
    if request.method == "POST" and form.is_valid():
        fields = {"kind": kind, "language": language, **form.cleaned_data}
        if "preview" in request.POST:
            preview = run_service(form, lambda: services.preview_template(**fields))
        elif run_service(
            form, lambda: services.save_template(actor=request_user(request), **fields)
        ):
            messages.success(request, _("Template saved."))
            return redirect("message-template", kind, language)
    status = 400 if form.is_bound and form.errors else 200
    context: dict[str, Any] = {
        "form": form,
        "kind": MessageKind(kind),
        "language": language,
        "language_name": dict(settings.LANGUAGES)[language],
        "placeholders": placeholders_for(kind),
        "preview": preview,
        "preview_html": html_paragraphs(preview.body_text) if preview else "",
        "edited": selectors.is_template_edited(kind, language),
    }
    return render(request, "messaging/template_edit.html", context, status=status)


@login_required
@require_POST
def template_reset(request: HttpRequest, kind: str, language: str) -> HttpResponse:
    _require_editor(request)
    if kind not in MessageKind.values or language not in dict(settings.LANGUAGES):
        raise Http404
    services.reset_template(actor=request_user(request), kind=kind, language=language)
    messages.success(request, _("Back to the shipped wording."))
    return redirect("message-template", kind, language)


# --- an application's messages -----------------------------------------------------------


def _run(request: HttpRequest, action: Callable[[], object], done: str) -> None:
    """Run a service and say how it went on the next page (these forms redirect back)."""
    try:
        action()
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, done)


def _managed_application(request: HttpRequest, pk: int) -> Application:
    application = visible_or_404(get_visible_application, request, pk)
    if not services.can_send_for(request_user(request), application):
        raise PermissionDenied(_("Only the position's hiring team sends messages."))
    return application


def _with_form(
    request: HttpRequest, pk: int, form_class: type, act: Callable[[Application, dict[str, Any]], object],
    done: str, *, url_name: str, title: str, button: str,
) -> HttpResponse:  # fmt: skip
    """Save and go back to the application; a refused value answers 400 with the form again,
    the reason under its field, and nothing stored."""
    application = _managed_application(request, pk)
    form = form_class(request.POST)
    if form.is_valid() and run_service(form, lambda: act(application, form.cleaned_data)):
        messages.success(request, done)
        return redirect("application", application.pk)
    context = {
        "application": application, "form": form, "action": reverse(url_name, args=[pk]),
        "title": title, "button": button,
    }  # fmt: skip
    return render(request, "messaging/form_refused.html", context, status=400)


@login_required
@require_POST
def send_outcome(request: HttpRequest, pk: int) -> HttpResponse:
    """Send the outcome and go back to the application; a refused one answers 400 with the
    form again, the reason under its field and the picker left as the card has it."""
    user = request_user(request)
    application = _managed_application(request, pk)
    told = selectors.last_outcome(application)
    refused = selectors.outcome_refusals(application)
    form = forms.OutcomeForm(request.POST, correcting=told is not None, refused=refused)
    sent = None
    if form.is_valid():
        sent = run_service(form, lambda: services.send_outcome(
            actor=user, application=application, site_url=request.build_absolute_uri("/"),
            **form.cleaned_data,
        ))  # fmt: skip
    if sent is not None:
        messages.success(request, _("Outcome message queued."))
        return redirect("application", application.pk)
    context = {
        "application": application, "outcome_form": form, "last_outcome": told,
        "outcome_refusals": refused, "refusal": error_text(form),
    }  # fmt: skip
    return render(request, "messaging/outcome_refused.html", context, status=400)


@login_required
@require_POST
def send_invitation(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    application = _managed_application(request, pk)
    try:
        invited = services.send_invitation(
            actor=user, application=application, site_url=request.build_absolute_uri("/")
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _invited_text(invited))
    return redirect("application", application.pk)


def _invited_text(invited: services.Invited) -> str:
    done = _("Invitation queued, with a fresh link to the candidate's page.")
    if not invited.replaced_links:
        return done
    replaced = ngettext(
        "It replaces the earlier link, which no longer works.",
        "It replaces the %(count)d earlier links, which no longer work.",
        invited.replaced_links,
    ) % {"count": invited.replaced_links}
    return f"{done} {replaced}"


@login_required
@require_POST
def send_next_steps(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    application = _managed_application(request, pk)
    site_url = request.build_absolute_uri("/")
    _run(request, lambda: services.send_next_steps(
        actor=user, application=application, site_url=site_url
    ), _("Next-steps message queued."))  # fmt: skip
    return redirect("application", application.pk)


@login_required
@require_POST
def set_decision_date(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    return _with_form(
        request, pk, forms.DecisionDateForm,
        lambda application, data: services.set_promised_decision_date(
            actor=user, application=application, on=data["promised_decision_on"]
        ),
        _("Promised decision date saved."), url_name="message-decision-date",
        title=_("The date you promise a decision by"), button=_("Save the date"),
    )  # fmt: skip


@login_required
@require_POST
def set_language(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    return _with_form(
        request, pk, forms.LanguageForm,
        lambda application, data: services.set_candidate_language(
            actor=user, candidate=application.candidate, language=data["language"]
        ),
        _("Language saved."), url_name="message-language",
        title=_("The language of their messages"), button=_("Save the language"),
    )  # fmt: skip
