"""The candidate's side: preparation kits, story bank, questions to ask and practice.

Thin views: they read the request, call a selector or a service, and render. Access to a
kit is decided by ``access.kit_for`` on every request (see its docstring).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from functools import wraps
from typing import Any
from uuid import UUID

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from secondround.accounts.models import Role, User
from secondround.hiring import selectors as hiring
from secondround.hiring.models import Application
from secondround.prep import access, forms, practice_feedback, progress, services
from secondround.prep import content as kit_texts
from secondround.prep.access import LinkPart, LinkRefused, private_link_access
from secondround.prep.content import KitContent
from secondround.prep.models import CandidateQuestion, InviteLink, PrepKit, Story
from secondround.prep.private_link import candidate_page, refused_page, show_way_home
from secondround.security.throttle import keep_account_throttled
from secondround.web.helpers import form_status, request_user, run_service, visible_or_404
from secondround.web.pdf import pdf_response

SESSION_KEY = "prep_kits"
# {link pk: when this browser's last open of it was counted}, see invitation_opened.
OPENS_KEY = "prep_link_opens"


# --- access -------------------------------------------------------------------------------------


def _user(request: HttpRequest) -> User | None:
    return request.user if isinstance(request.user, User) and request.user.is_active else None


def _grants(request: HttpRequest) -> dict[str, dict[str, Any]]:
    grants = request.session.get(SESSION_KEY)
    return grants if isinstance(grants, dict) else {}


def _grant(request: HttpRequest, kit: PrepKit, **grant: Any) -> None:
    grants = _grants(request)
    if grants.get(str(kit.public_id)) == grant:
        return  # opened again from the same session: rewriting it would make each open a write
    grants[str(kit.public_id)] = grant
    request.session[SESSION_KEY] = grants
    request.session.modified = True


KitView = Callable[..., HttpResponse]


def kit_view(view: KitView) -> Callable[..., HttpResponse]:
    """Resolve the kit for this person (404 when they may not open it) and its content."""

    @wraps(view)
    @never_cache
    def wrapper(request: HttpRequest, public_id: UUID, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            kit = access.kit_for(
                user=_user(request), grants=_grants(request), public_id=str(public_id)
            )
        except PrepKit.DoesNotExist as error:
            raise Http404 from error
        except LinkRefused as refused:
            return refused_page(request, refused.reason, refused.application)
        _show_way_home(request, kit)
        return view(request, kit, kit_texts.kit_content(kit), *args, **kwargs)

    return wrapper


def _show_way_home(request: HttpRequest, kit: PrepKit) -> None:
    """A kit opened from a private link leads back to the portal (the token was kept with the
    grant when the link was opened); a job seeker's kit leads to their kits. Colleagues keep
    the staff home."""
    token = _grants(request).get(str(kit.public_id), {}).get("portal")
    if kit.is_invitation and isinstance(token, str):
        show_way_home(request, portal_url=reverse("portal", args=[token]))
    elif not kit.is_invitation:
        user = _user(request)
        if user is None or user.role == Role.JOB_SEEKER:
            show_way_home(request, home_url=reverse("prep-home"))


def _partial(request: HttpRequest, template: str, name: str) -> str:
    return f"{template}#{name}" if getattr(request, "htmx", False) else template


# --- start: paste a posting, or open an invitation ------------------------------------------------


def prep_home(request: HttpRequest) -> HttpResponse:
    """Start a kit from a job posting (no account needed) and list the kits this person has."""
    form = forms.PostingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        created = run_service(
            form,
            lambda: services.create_posting_kit(
                posting_text=data["posting_text"],
                company_text=data["company_text"],
                company_name=data["company_name"],
                owner=_user(request),
            ),
        )
        if created:
            kit, key = created
            _grant(request, kit, key=key)
            messages.success(request, _("Your preparation kit is ready."))
            return redirect("prep-kit", kit.public_id)
    return render(
        request,
        "prep/home.html",
        {"form": form, "kits": access.my_kits(user=_user(request), grants=_grants(request))},
        status=form_status(form),
    )


@candidate_page(LinkPart.PORTAL)
def invitation(request: HttpRequest, link: InviteLink, token: str) -> HttpResponse:
    """A finalist opens the private link their recruiter sent.

    It lands on the candidate's portal (by URL name: prep does not import the portal app),
    which stays open after the outcome; the portal's "preparation kit" link comes back here
    with ?to=kit, and the kit opens only while the link may open it (``access.OPEN_PARTS``).
    Fetching the link counts no open: the portal page reports one (``invitation_opened``).
    """
    wants_kit = request.GET.get("to") == "kit"
    if private_link_access(link).refusal(LinkPart.KIT) is None:
        try:
            kit, link = services.open_invitation(token=token)
        except LinkRefused as refused:  # revoked or decided a moment ago
            return refused_page(request, refused.reason, link.application)
        # The token (which only this browser holds anyway) lets the kit's pages link back here.
        _grant(request, kit, link=link.pk, portal=token)
        if wants_kit:
            return redirect("prep-kit", kit.public_id)
    elif wants_kit:
        return refused_page(request, "closed", link.application, token=token)
    return redirect("portal", token)


@candidate_page(LinkPart.PORTAL)
@require_POST
def invitation_opened(request: HttpRequest, link: InviteLink, token: str) -> HttpResponse:
    """The candidate's page, loaded in a browser, tells us a person opened the link.

    Counted at most once a visit per browser session and link (``OPEN_VISIT_WINDOW``); the
    time of the last counted open lives in this browser's session only. 204 either way.
    """
    counted_before = _opens(request)
    try:
        counted = services.record_invitation_open(
            token=token, last_counted_at=_time_or_none(counted_before.get(str(link.pk)))
        )
    except LinkRefused as refused:  # revoked or expired a moment ago
        return refused_page(request, refused.reason, link.application)
    if counted is not None:
        request.session[OPENS_KEY] = {**counted_before, str(link.pk): counted.isoformat()}
    return HttpResponse(status=204)


def _opens(request: HttpRequest) -> dict[str, Any]:
    opens = request.session.get(OPENS_KEY)
    return opens if isinstance(opens, dict) else {}


def _time_or_none(value: object) -> datetime | None:
    """A time this code stored in the session; None for anything else (never counted)."""
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else None


# --- the kit --------------------------------------------------------------------------------------


@kit_view
def kit_overview(request: HttpRequest, kit: PrepKit, content: KitContent) -> HttpResponse:
    return render(
        request,
        "prep/kit.html",
        {
            "kit": kit,
            "content": content,
            "research_form": forms.ResearchForm(content=content),
            "section": "kit",
        },
    )


@kit_view
@require_http_methods(["GET", "POST"])
def research(request: HttpRequest, kit: PrepKit, content: KitContent) -> HttpResponse:
    if request.method == "GET":  # a bookmarked or reloaded address: the checklist lives on the kit
        return redirect(reverse("prep-kit", args=[kit.public_id]) + "#research")
    form = forms.ResearchForm(request.POST, content=content)
    saved = form.is_valid() and (
        run_service(form, lambda: services.save_research(kit=kit, items=form.items())) is not None
    )
    if saved and not getattr(request, "htmx", False):
        messages.success(request, _("Research notes saved."))
        return redirect(reverse("prep-kit", args=[kit.public_id]) + "#research")
    # The checklist (htmx) or the whole kit page, with the notes as typed when refused (400).
    content = kit_texts.kit_content(kit)
    context = {
        "kit": kit,
        "content": content,
        "research_form": forms.ResearchForm(content=content) if saved else form,
        "saved": saved,
        "section": "kit",
    }
    template = _partial(request, "prep/kit.html", "research")
    return render(request, template, context, status=form_status(form))


# --- stories --------------------------------------------------------------------------------------


def _stories_context(kit: PrepKit, content: KitContent, form: Any, **extra: Any) -> dict[str, Any]:
    return {
        "kit": kit,
        "content": content,
        "coverage": progress.story_coverage(kit, content),
        "form": form,
        "section": "stories",
        **extra,
    }


@kit_view
def stories(request: HttpRequest, kit: PrepKit, content: KitContent) -> HttpResponse:
    form = forms.StoryForm(request.POST or None, content=content)
    saved_message = ""
    if request.method == "POST" and form.is_valid():
        story = run_service(
            form,
            lambda: services.save_story(
                kit=kit,
                content=content,
                fields=form.story_fields(),
                competencies=form.cleaned_data["competencies"],
            ),
        )
        if story:
            saved_message = _("Story “%(title)s” saved.") % {"title": story.title}
            if not getattr(request, "htmx", False):
                messages.success(request, saved_message)
                return redirect("prep-stories", kit.public_id)
            form = forms.StoryForm(content=content)
    context = _stories_context(kit, content, form, saved_message=saved_message)
    return render(
        request,
        _partial(request, "prep/stories.html", "story-workspace"),
        context,
        status=form_status(form),
    )


@kit_view
def story_edit(request: HttpRequest, kit: PrepKit, content: KitContent, pk: int) -> HttpResponse:
    story = get_object_or_404(Story, pk=pk, kit=kit)
    initial = {name: getattr(story, name) for name in services.STORY_FIELDS}
    initial["competencies"] = story.competencies
    form = forms.StoryForm(request.POST or None, content=content, initial=initial)
    if request.method == "POST" and form.is_valid():
        saved = run_service(
            form,
            lambda: services.save_story(
                kit=kit,
                content=content,
                fields=form.story_fields(),
                competencies=form.cleaned_data["competencies"],
                story=story,
            ),
        )
        if saved:
            messages.success(request, _("Story “%(title)s” saved.") % {"title": saved.title})
            return redirect("prep-stories", kit.public_id)
    return render(
        request,
        "prep/story_edit.html",
        {"kit": kit, "content": content, "form": form, "story": story, "section": "stories"},
        status=form_status(form),
    )


@kit_view
@require_POST
def story_delete(request: HttpRequest, kit: PrepKit, content: KitContent, pk: int) -> HttpResponse:
    story = get_object_or_404(Story, pk=pk, kit=kit)
    services.delete_story(kit=kit, story=story)
    messages.success(request, _("Story “%(title)s” deleted.") % {"title": story.title})
    return redirect("prep-stories", kit.public_id)


# --- questions to ask ---------------------------------------------------------------------------


def _ask_context(kit: PrepKit, content: KitContent, form: Any) -> dict[str, Any]:
    mine = list(kit.my_questions.all())
    return {
        "kit": kit,
        "content": content,
        "form": form,
        "mine": mine,
        "suggestions": kit_texts.suggested_questions(content, [q.text for q in mine]),
        "section": "ask",
    }


@kit_view
def ask(request: HttpRequest, kit: PrepKit, content: KitContent) -> HttpResponse:
    form = forms.QuestionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        added = run_service(
            form,
            lambda: services.add_question(
                kit=kit, text=form.cleaned_data["text"], topic=form.cleaned_data["topic"]
            ),
        )
        if added:
            form = forms.QuestionForm()
            if not getattr(request, "htmx", False):
                messages.success(request, _("Added to your list."))
                return redirect("prep-ask", kit.public_id)
    return render(
        request,
        _partial(request, "prep/ask.html", "ask-workspace"),
        _ask_context(kit, content, form),
        status=form_status(form),
    )


@kit_view
@require_POST
def ask_remove(request: HttpRequest, kit: PrepKit, content: KitContent, pk: int) -> HttpResponse:
    question = get_object_or_404(CandidateQuestion, pk=pk, kit=kit)
    try:
        services.remove_question(kit=kit, question=question)
    except ValidationError as refused:  # sent to the team: it stays, and the list says why
        context = {**_ask_context(kit, content, forms.QuestionForm()), "refusal": refused.messages}
        return render(
            request, _partial(request, "prep/ask.html", "ask-workspace"), context, status=409
        )
    if getattr(request, "htmx", False):
        return render(
            request,
            "prep/ask.html#ask-workspace",
            _ask_context(kit, content, forms.QuestionForm()),
        )
    messages.success(request, _("Removed from your list."))
    return redirect("prep-ask", kit.public_id)


# --- practice -------------------------------------------------------------------------------------


def _practice_question(content: KitContent, data: dict[str, Any]) -> tuple[str, str]:
    if data.get("question_pk"):
        found = kit_texts.kit_question(content, data["question_pk"])
        if found is None:
            raise ValidationError({"question_pk": _("Choose one of the questions listed.")})
        question, competency = found
        return question.text, competency
    return data.get("question_text", ""), data.get("competency", "")


@kit_view
def practice(request: HttpRequest, kit: PrepKit, content: KitContent) -> HttpResponse:
    initial: dict[str, Any] = {}
    chosen = request.GET.get("q", "")
    if chosen.isdigit() and kit_texts.kit_question(content, int(chosen)):
        initial["question_pk"] = int(chosen)
    form = forms.PracticeForm(request.POST or None, content=content, initial=initial)
    attempt = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data

        def record() -> Any:
            question, competency = _practice_question(content, data)
            return services.record_attempt(
                kit=kit,
                content=content,
                question=question,
                competency=competency,
                answer=data["answer"],
                seconds=data["seconds"],
            )

        attempt = run_service(form, record)
        if attempt is not None:  # keep the question and answer to revise; the clock restarts
            form = forms.PracticeForm(
                content=content, initial={k: v for k, v in data.items() if k != "seconds"}
            )
    context = {
        "kit": kit,
        "content": content,
        "form": form,
        "feedback": practice_feedback.feedback(attempt) if attempt else None,
        "by_question": progress.progress_by_question(kit),
        "by_competency": progress.progress_by_competency(kit),
        "readiness": progress.readiness(kit, content),
        "attempts": list(kit.attempts.all()[:20]),
        "section": "practice",
    }
    return render(
        request,
        _partial(request, "prep/practice.html", "practice-workspace"),
        context,
        status=form_status(form),
    )


# --- summary PDF ----------------------------------------------------------------------------------


@kit_view
def summary_pdf(request: HttpRequest, kit: PrepKit, content: KitContent) -> HttpResponse:
    html = render_to_string(
        "prep/summary_print.html",
        {
            "kit": kit,
            "content": content,
            "coverage": progress.story_coverage(kit, content),
            "mine": list(kit.my_questions.all()),
            "readiness": progress.readiness(kit, content),
        },
        request=request,
    )
    name = slugify(f"prep {content.company_name} {content.title}") or "prep-summary"
    return pdf_response(html, filename=f"{name}.pdf", base_url=request.build_absolute_uri("/"))


# --- keep your work: an account for a job seeker --------------------------------------------------


@kit_view
def keep(request: HttpRequest, kit: PrepKit, content: KitContent) -> HttpResponse:
    if kit.is_invitation or kit.owner_id is not None:
        return redirect("prep-kit", kit.public_id)
    form = forms.KeepForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        # Counted before anything is looked up, so the form cannot list accounts in bulk.
        if keep_account_throttled(request, form.cleaned_data["email"]):
            form.add_error(
                None, _("Too many tries from here or for this address. Try again later.")
            )
            status = 429
        elif user := _create_keeping_account(request, form):
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, _("Account created. Your work is kept."))
            return redirect("prep-kit", kit.public_id)
    context = {"kit": kit, "content": content, "form": form, "section": "keep"}
    return render(request, "prep/keep.html", context, status=status)


def _create_keeping_account(request: HttpRequest, form: forms.KeepForm) -> User | None:
    data = form.cleaned_data
    kits = [
        k
        for k in access.my_kits(user=_user(request), grants=_grants(request))
        if not k.is_invitation
    ]
    return run_service(
        form,
        lambda: services.create_account_for_kits(
            kits=kits, email=data["email"], full_name=data["full_name"], password=data["password"]
        ),
    )


# --- the hiring team: links for finalists -------------------------------------------------------


def _managed_application(request: HttpRequest, pk: int) -> Application:
    """404 when the user may not see the application; 403 when they may not manage it."""
    application = visible_or_404(hiring.get_visible_application, request, pk)
    hiring.require_manager(request_user(request), application.position)
    return application


@login_required
def links(request: HttpRequest, pk: int) -> HttpResponse:
    application = _managed_application(request, pk)
    user = request_user(request)
    form = forms.InviteLinkForm(request.POST or None)
    new_url = ""
    if request.method == "POST" and form.is_valid():
        created = run_service(
            form,
            lambda: services.create_invite_link(
                actor=user, application=application, days=form.cleaned_data["days"]
            ),
        )
        if created:
            _link, token = created
            new_url = request.build_absolute_uri(reverse("prep-invitation", args=[token]))
            form = forms.InviteLinkForm()
    return render(
        request,
        "prep/links.html",
        {
            "application": application,
            "links": access.links_for(user, application),
            "form": form,
            "new_url": new_url,
        },
        status=form_status(form),
    )


@login_required
@require_POST
def link_revoke(request: HttpRequest, pk: int, link_pk: int) -> HttpResponse:
    application = _managed_application(request, pk)
    link = get_object_or_404(application.prep_links, pk=link_pk)
    services.revoke_invite_link(actor=request_user(request), link=link)
    messages.success(request, _("Link revoked. It no longer opens the kit."))
    return redirect("prep-links", application.pk)
