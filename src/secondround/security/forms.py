from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class CodeForm(forms.Form):
    code = forms.RegexField(
        label=_("6-digit code from your authenticator app"),
        regex=r"^\s*\d{6}\s*$",
        error_messages={"invalid": _("Enter the 6 digits your app shows, without spaces.")},
        widget=forms.TextInput({"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )


class SecurityPolicyForm(forms.Form):
    require_admin_two_factor = forms.BooleanField(
        label=_("Admins must sign in with a one-time code from an authenticator app"),
        required=False,
    )
