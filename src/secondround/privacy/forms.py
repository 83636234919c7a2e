from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from secondround.privacy.models import RetentionPolicy


class RetentionPolicyForm(forms.ModelForm[RetentionPolicy]):
    class Meta:
        model = RetentionPolicy
        fields = ["enabled", "days_after_closing"]


class EraseForm(forms.Form):
    """Erasure cannot be undone, so the admin types the candidate's name to confirm."""

    confirm_name = forms.CharField(
        label=_("Type the candidate's full name to confirm"), max_length=150
    )

    def __init__(self, *args: object, expected_name: str, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.expected_name = expected_name

    def clean_confirm_name(self) -> str:
        typed = str(self.cleaned_data["confirm_name"]).strip()
        if typed.casefold() != self.expected_name.strip().casefold():
            raise forms.ValidationError(_("That is not the candidate's name; nothing was erased."))
        return typed
