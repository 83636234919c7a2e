from __future__ import annotations

import html
from typing import Any

from django import forms
from django.conf import settings
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from secondround.portal.models import Need
from secondround.portal.selectors import time_zone_choices
from secondround.portal.services import ANSWER_LIMIT, DETAILS_LIMIT, QUESTION_LIMIT
from secondround.prep.guidance import TOPIC_LABELS


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


def _escape(value: Any) -> str:
    """conditional_escape for plain text at a fraction of the cost (it runs per option)."""
    return str(value.__html__()) if hasattr(value, "__html__") else html.escape(str(value))


def _attrs(attrs: dict[str, Any]) -> str:
    """Django's widgets/attrs.html in Python: ` name="value"`, bare for True, none for False."""
    return "".join(
        f" {name}" if value is True else f' {name}="{conditional_escape(str(value))}"'
        for name, value in attrs.items()
        if value is not False
    )


class PlainSelect(forms.Select):
    """A select whose options are written in Python rather than through two templates each.

    The time-zone list has about 420 options; Django builds a dict and renders two template
    includes per option, which was a third of the candidate's page's CPU. The HTML is Django's
    to the byte (tests/portal/test_plain_select.py compares both)."""

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        wanted = set(self.format_value(value))
        parts = [
            f'<select name="{conditional_escape(name)}"{_attrs(self.build_attrs(self.attrs, attrs))}>'
        ]
        has_selected = False
        for group_value, group_label in self.choices:
            if isinstance(group_label, (list, tuple)):
                parts.append(f'\n  <optgroup label="{conditional_escape(group_value)}">')
                options = group_label
            else:
                options = [("" if group_value is None else group_value, group_label)]
            for option_value, label in options:
                # Like Django's optgroups(): only the first matching option is selected.
                selected = not has_selected and str(option_value) in wanted
                has_selected |= selected
                parts.append(
                    f'\n  <option value="{html.escape(str(option_value))}"'
                    f"{' selected' if selected else ''}>{_escape(label)}</option>\n"
                )  # Django's option template ends in a newline
            if isinstance(group_label, (list, tuple)):
                parts.append("\n  </optgroup>")
        parts.append("\n</select>")
        return mark_safe("".join(parts))  # every value above is escaped


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
