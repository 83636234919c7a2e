"""The admins' Users page (invite, change, deactivate, reactivate) and accepting an invitation."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import PasswordResetConfirmView
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from secondround.accounts import selectors, services
from secondround.accounts.forms import ColleagueForm, InviteForm
from secondround.accounts.models import User
from secondround.web.helpers import form_status, request_user, run_service


def _admin(request: HttpRequest) -> User:
    user = request_user(request)
    if not user.is_org_admin:
        raise PermissionDenied
    return user


def _site_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/")


@login_required
def user_list(request: HttpRequest) -> HttpResponse:
    admin = _admin(request)
    form = InviteForm(request.POST or None, initial={"role": "interviewer"})
    if request.method == "POST" and form.is_valid():
        invited = run_service(
            form,
            lambda: services.invite_colleague(
                actor=admin, site_url=_site_url(request), **form.cleaned_data
            ),
        )
        if invited:
            messages.success(
                request, _("Invitation sent to %s: they set their password from the link.")
                % invited.email,
            )  # fmt: skip
            return redirect("users")
    context: dict[str, Any] = {
        "form": form,
        "colleagues": selectors.colleagues(),
        "valid_days": services.invitation_valid_days(),
    }
    return render(request, "web/users.html", context, status=form_status(form))


def _colleague(pk: int) -> User:
    return get_object_or_404(selectors.colleagues(), pk=pk)


@login_required
def user_edit(request: HttpRequest, pk: int) -> HttpResponse:
    admin = _admin(request)
    colleague = _colleague(pk)
    initial = {
        "full_name": colleague.full_name,
        "role": colleague.role,
        "department": colleague.department,
        "title": colleague.title,
        "language": colleague.language,
    }
    form = ColleagueForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        saved = run_service(
            form,
            lambda: services.update_colleague(actor=admin, user=colleague, **form.cleaned_data),
        )
        if saved:
            messages.success(request, _("%s saved.") % saved)
            return redirect("users")
    return render(
        request, "web/user_edit.html", {"form": form, "colleague": colleague},
        status=form_status(form),
    )  # fmt: skip


def _after_action(request: HttpRequest, action: Any, done: str) -> HttpResponse:
    try:
        action()
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, done)
    return redirect("users")


@login_required
@require_POST
def user_deactivate(request: HttpRequest, pk: int) -> HttpResponse:
    admin, colleague = _admin(request), _colleague(pk)
    return _after_action(
        request,
        lambda: services.set_colleague_active(actor=admin, user=colleague, active=False),
        _("%s is deactivated: they cannot sign in or use the API.") % colleague,
    )


@login_required
@require_POST
def user_reactivate(request: HttpRequest, pk: int) -> HttpResponse:
    admin, colleague = _admin(request), _colleague(pk)
    return _after_action(
        request,
        lambda: services.set_colleague_active(actor=admin, user=colleague, active=True),
        _("%s is active again.") % colleague,
    )


@login_required
@require_POST
def user_reinvite(request: HttpRequest, pk: int) -> HttpResponse:
    admin, colleague = _admin(request), _colleague(pk)
    return _after_action(
        request,
        lambda: services.resend_invitation(
            actor=admin, user=colleague, site_url=_site_url(request)
        ),
        _("A new invitation went to %s.") % colleague.email,
    )


class AcceptInvitationView(PasswordResetConfirmView):
    """Set a first password from the invitation link, then sign in."""

    token_generator = services.invitation_tokens
    template_name = "web/invitation.html"
    success_url = reverse_lazy("home")
    post_reset_login = True
    post_reset_login_backend = "django.contrib.auth.backends.ModelBackend"

    def get_user(self, uidb64: str) -> User | None:
        user = super().get_user(uidb64)
        # A deactivated colleague's old invitation opens nothing.
        return user if isinstance(user, User) and user.is_organisation_member else None

    def form_valid(self, form: Any) -> HttpResponse:
        messages.success(self.request, _("Welcome to secondround: your password is set."))
        return super().form_valid(form)
