from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from secondround.accounts.models import User
from secondround.hiring.models import Competency

RATING_CHOICES = [("", _("Not assessed")), *[(str(n), str(n)) for n in range(1, 6)]]
CONFIDENCE_CHOICES = [("", "—"), *[(str(n), str(n)) for n in range(1, 6)]]


class InterviewerForm(forms.Form):
    interviewer = forms.ModelChoiceField(
        label=_("Interviewer"), queryset=User.objects.filter(is_active=True)
    )


class CompetencyRatingForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=_("Rating"), choices=RATING_CHOICES, coerce=int, empty_value=None, required=False
    )
    confidence = forms.TypedChoiceField(
        label=_("Confidence"), choices=CONFIDENCE_CHOICES, coerce=int, empty_value=None,
        required=False,
    )  # fmt: skip
    notes = forms.CharField(
        label=_("Evidence notes"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    concern = forms.BooleanField(label=_("Concern raised"), required=False)

    def __init__(self, *args: object, competency: Competency, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.competency = competency
