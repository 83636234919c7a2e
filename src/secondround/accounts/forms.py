"""Forms for the admins' Users page, accepting an invitation, and one's own account."""

from __future__ import annotations

from contextlib import nullcontext
from typing import Any

from django import forms
from django.contrib.auth.forms import PasswordResetForm
from django.utils.translation import gettext_lazy as _

from secondround.accounts.language import language_choices, speaking_to
from secondround.accounts.models import Department, Role

COLLEAGUE_ROLE_CHOICES = [
    (value, label) for value, label in Role.choices if value != Role.JOB_SEEKER
]


class ColleagueForm(forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=150)
    role = forms.ChoiceField(label=_("Role"), choices=COLLEAGUE_ROLE_CHOICES)
    department = forms.ModelChoiceField(
        label=_("Department"), queryset=Department.objects.all(), required=False
    )
    title = forms.CharField(label=_("Job title"), max_length=150, required=False)
    language = forms.ChoiceField(
        label=_("Language of their mails and pages"), choices=language_choices, required=False
    )


class InviteForm(ColleagueForm):
    email = forms.EmailField(label=_("Work email"), max_length=254)

    field_order = ["email", "full_name", "role", "department", "title", "language"]


class OwnLanguageForm(forms.Form):
    language = forms.ChoiceField(
        label=_("Language of your mails and pages"), choices=language_choices, required=False,
        help_text=_("Reminders, invitations and notifications to you are written in it."),
    )  # fmt: skip


class ColleaguePasswordResetForm(PasswordResetForm):
    """The reset mail in a colleague's own language; a job seeker's in their browser's."""

    def send_mail(
        self,
        subject_template_name: str,
        email_template_name: str,
        context: dict[str, Any],
        from_email: str | None,
        to_email: str,
        html_email_template_name: str | None = None,
    ) -> None:
        user = context["user"]
        language = speaking_to(user) if user.is_organisation_member else nullcontext()
        with language:
            super().send_mail(
                subject_template_name, email_template_name, context, from_email, to_email,
                html_email_template_name,
            )  # fmt: skip
