from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from secondround.portal.models import Need
from secondround.portal.services import ANSWER_LIMIT, DETAILS_LIMIT, QUESTION_LIMIT
from secondround.prep.guidance import TOPIC_LABELS
from secondround.scheduling.selectors import time_zone_choices
from secondround.widgets import PlainSelect


def _choice_field(form: forms.Form, name: str) -> forms.ChoiceField:
    field = form.fields[name]
    assert isinstance(field, forms.ChoiceField)
    return field


class QuestionForm(forms.Form):
    text = forms.CharField(
        label=_("Your question"),
        max_length=QUESTION_LIMIT,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Up to 400 characters. We route it to the person best placed to answer."),
    )
    topic = forms.ChoiceField(label=_("It is about"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choice_field(self, "topic").choices = [
            ("", _("Let us work it out")),
            *((key, label) for key, label in TOPIC_LABELS.items()),
        ]


class AdjustmentForm(forms.Form):
    needs = forms.MultipleChoiceField(
        label=_("What would help"),
        choices=Need.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    details = forms.CharField(
        label=_("Anything else we should know"),
        required=False,
        max_length=DETAILS_LIMIT,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Only the recruiter sees this. Up to 2,000 characters."),
    )


class PreferencesForm(forms.Form):
    language = forms.ChoiceField(label=_("Language"))
    time_zone = forms.ChoiceField(label=_("Your time zone"), widget=PlainSelect)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choice_field(self, "language").choices = [(c, n) for c, n in settings.LANGUAGES]
        _choice_field(self, "time_zone").choices = [
            (settings.TIME_ZONE, settings.TIME_ZONE),
            *((z, z.replace("_", " ")) for z in time_zone_choices()),
        ]


class RouteForm(forms.Form):
    session = forms.TypedChoiceField(label=_("Answered in"), coerce=int, required=False)

    def __init__(self, *args: Any, sessions: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choice_field(self, "session").choices = [("", _("No session")), *sessions]


class WrittenAnswerForm(forms.Form):
    written_answer = forms.CharField(
        label=_("Written answer"),
        max_length=ANSWER_LIMIT,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
