from django import forms
from django.utils.translation import gettext_lazy as _

from secondround.bookings.services import DECLINE_REASON_MAX


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label=_("Why can you not make it?"),
        max_length=DECLINE_REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
