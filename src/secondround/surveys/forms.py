from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from secondround.surveys.models import COMMENT_MAX, STATEMENTS

AGREE_CHOICES = [
    (1, _("Strongly disagree")),
    (2, _("Disagree")),
    (3, _("Neither")),
    (4, _("Agree")),
    (5, _("Strongly agree")),
]


class SurveyForm(forms.Form):
    """Seven statements from 1 to 5, likelihood to recommend from 0 to 10, and free text."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for key, label in STATEMENTS:
            self.fields[key] = forms.TypedChoiceField(
                label=label, choices=AGREE_CHOICES, coerce=int, widget=forms.RadioSelect,
                error_messages={"required": _("Choose an answer from 1 to 5.")},
            )  # fmt: skip
        self.fields["recommend"] = forms.TypedChoiceField(
            label=_("How likely are you to recommend applying here to a friend? (0 = not at all, 10 = very likely)"),
            choices=[(n, str(n)) for n in range(11)], coerce=int, widget=forms.RadioSelect,
            error_messages={"required": _("Choose a number from 0 to 10.")},
        )  # fmt: skip
        self.fields["comment"] = forms.CharField(
            label=_("Anything else you would like to tell us? (optional)"), required=False,
            max_length=COMMENT_MAX, widget=forms.Textarea(attrs={"rows": 5}),
            help_text=_("At most %(max)d characters. Your interviewers never see your answers on their own.") % {"max": COMMENT_MAX},
        )  # fmt: skip

    def answers(self) -> dict[str, int]:
        return {key: self.cleaned_data[key] for key, _label in STATEMENTS}
