from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from secondround.audit.models import AuditAction


class AuditFilterForm(forms.Form):
    who = forms.CharField(label=_("Who (name or email)"), required=False, max_length=200)
    action = forms.ChoiceField(
        label=_("What"), required=False, choices=[("", _("Everything")), *AuditAction.choices]
    )
    since = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput({"type": "date"})
    )
    until = forms.DateField(label=_("To"), required=False, widget=forms.DateInput({"type": "date"}))

    def clean(self) -> dict[str, object]:
        cleaned = super().clean() or {}
        since, until = cleaned.get("since"), cleaned.get("until")
        if since and until and since > until:
            self.add_error("until", _("The end date is before the start date."))
        return cleaned
