"""Two-factor set-up and sign-in, and the admins' sign-in rule."""

from __future__ import annotations

import io
from base64 import b32encode

import django_otp
import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from secondround.security import selectors, services
from secondround.security.forms import CodeForm, SecurityPolicyForm
from secondround.security.middleware import forget_two_factor_check
from secondround.web.helpers import request_user, run_service


@login_required
@require_http_methods(["GET", "POST"])
def two_factor(request: HttpRequest) -> HttpResponse:
    """Set up, confirm or turn off the authenticator app."""
    user = request_user(request)
    form = CodeForm(request.POST or None)
    step = request.POST.get("step", "")
    if request.method == "POST":
        forget_two_factor_check(request)
    if step == "start":
        services.start_two_factor(user=user)
        return redirect("two-factor")
    if step in {"confirm", "off"} and form.is_valid():
        code = form.cleaned_data["code"]
        if step == "confirm":
            device = run_service(form, lambda: services.confirm_two_factor(user=user, code=code))
            if device is not None:
                django_otp.login(request, device)
                messages.success(request, _("Two-factor sign-in is on."))
                return redirect("two-factor")
        else:
            if run_service(form, lambda: services.turn_off_two_factor(user=user, code=code)):
                messages.success(request, _("Two-factor sign-in is off."))
                return redirect("two-factor")
    pending = selectors.pending_device(user)
    context = {
        "form": form,
        "enabled": selectors.has_two_factor(user),
        "required": selectors.must_set_up_two_factor(user),
        "pending": pending,
        "secret": _grouped_secret(pending.bin_key) if pending else "",
    }
    return render(request, "security/two_factor.html", context, status=400 if form.errors else 200)


@login_required
@require_GET
def two_factor_qr(request: HttpRequest) -> HttpResponse:
    """The pending secret as a QR code, for the authenticator app to scan."""
    pending = selectors.pending_device(request_user(request))
    if pending is None:
        return HttpResponse(status=404)
    out = io.BytesIO()
    segno.make(pending.config_url, error="m").save(out, kind="svg", scale=5, border=2)
    response = HttpResponse(out.getvalue(), content_type="image/svg+xml")
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def two_factor_verify(request: HttpRequest) -> HttpResponse:
    """The second step of signing in."""
    user = request_user(request)
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}, request.is_secure()):
        next_url = ""
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = run_service(
            form, lambda: services.verify_code(user=user, code=form.cleaned_data["code"])
        )
        if device is not None:
            django_otp.login(request, device)
            return redirect(next_url or "home")
    status = 400 if form.errors else 200
    return render(request, "security/verify.html", {"form": form, "next": next_url}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def security_settings(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    if not user.is_org_admin:
        raise PermissionDenied
    policy = selectors.policy()
    form = SecurityPolicyForm(
        request.POST or None, initial={"require_admin_two_factor": policy.require_admin_two_factor}
    )
    if request.method == "POST" and form.is_valid():
        services.update_security_policy(
            actor=user, require_admin_two_factor=form.cleaned_data["require_admin_two_factor"]
        )
        forget_two_factor_check(request)
        messages.success(request, _("Sign-in rule saved."))
        return redirect("security-settings")
    return render(request, "security/settings.html", {"form": form})


def _grouped_secret(key: bytes) -> str:
    text = b32encode(key).decode()
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))
