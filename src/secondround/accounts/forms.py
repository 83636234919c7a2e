"""Forms for the admins' Users page, accepting an invitation, and one's own account."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from secondround.accounts.language import language_choices
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
