"""Feedback letter pages: the hiring team's editor, the candidate's letter and its PDF."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from secondround.feedback import selectors, services
from secondround.feedback.forms import LetterForm
from secondround.prep.access import LinkPart
from secondround.prep.models import InviteLink
from secondround.prep.private_link import candidate_page
from secondround.revisions import FIELD as REVISION_FIELD
from secondround.web.helpers import kept_revision, request_user, run_service, visible_or_404
from secondround.web.pdf import pdf_response


@login_required
@require_http_methods(["GET", "POST"])
def letter_editor(request: HttpRequest, pk: int) -> HttpResponse:
    editor = visible_or_404(selectors.letter_editor, request, pk)
    application = editor.application
    form = LetterForm(
        request.POST or None,
        competencies=selectors.competencies(application),
        content=editor.content,
    )
    if request.method == "POST" and form.is_valid():
        letter = {
            "actor": request_user(request),
            "application": application,
            "opening": form.cleaned_data["opening"],
            "sections": form.section_inputs(),
            "closing": form.cleaned_data["closing"],
            "based_on": request.POST.get(REVISION_FIELD),  # none posted: not tracked
        }
        if request.POST.get("action") == "approve":
            base_url = request.build_absolute_uri("/")
            done: object = run_service(
                form, lambda: services.approve_feedback_letter(**letter, base_url=base_url)
            )
        else:
            done = run_service(form, lambda: services.save_letter_draft(**letter))
        if done is not None:
            _say_what_happened(request, done)
            return redirect("feedback-letter-editor", application.pk)
    status = 400 if form.errors else 200
    revision = kept_revision(request, form, editor.revision)
    return render(
        request,
        "feedback/editor.html",
        {"editor": editor, "form": form, "revision": revision},
        status=status,
    )


def _say_what_happened(request: HttpRequest, done: object) -> None:
    if not isinstance(done, services.Approval):
        messages.success(request, _("Draft saved. The candidate sees it only once you approve it."))
    elif done.message is not None:
        messages.success(
            request, _("Letter approved: the candidate can read it now and has been told.")
        )
    elif done.not_sent:
        messages.warning(
            request,
            _("Letter approved and on the candidate's page, but no message was sent: %(why)s")
            % {"why": done.not_sent},
        )
    else:
        messages.info(request, _("This letter was already approved as it stands."))


@candidate_page(LinkPart.LETTER)
def candidate_letter(request: HttpRequest, link: InviteLink, token: str) -> HttpResponse:
    application = link.application
    letter = selectors.approved_letter(application)
    return render(
        request,
        "feedback/candidate.html",
        {"application": application, "letter": letter, "token": token},
    )


@candidate_page(LinkPart.LETTER)
def candidate_letter_pdf(request: HttpRequest, link: InviteLink, token: str) -> HttpResponse:
    application = link.application
    letter = selectors.approved_letter(application)
    if letter is None:
        raise Http404
    html = render_to_string(
        "feedback/letter_print.html",
        {"application": application, "letter": letter},
        request=request,
    )
    name = slugify(f"feedback {application.position.title}") or "feedback-letter"
    return pdf_response(html, filename=f"{name}.pdf", base_url=request.build_absolute_uri("/"))
