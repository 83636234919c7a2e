"""One's own account: the language of one's mails and pages (tokens and two-factor link off)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _

from secondround.accounts.forms import OwnLanguageForm
from secondround.accounts.language import language_of
from secondround.accounts.services import set_colleague_language
from secondround.web.helpers import form_status, request_user, run_service


@login_required
def own_account(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    if not user.is_organisation_member:
        raise PermissionDenied  # job seekers' pages follow their browser
    form = OwnLanguageForm(request.POST or None, initial={"language": user.language})
    if request.method == "POST" and form.is_valid():
        language = form.cleaned_data["language"]
        saved = run_service(
            form, lambda: set_colleague_language(actor=user, user=user, language=language)
        )
        if saved:
            with translation.override(language_of(saved)):  # said in the language just chosen
                messages.success(request, _("Saved: your mails and pages are in this language."))
            return redirect("account")
    return render(request, "web/account.html", {"form": form}, status=form_status(form))
