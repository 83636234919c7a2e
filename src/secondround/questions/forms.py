from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from secondround.hiring.models import CompetencyKind
from secondround.hiring.role_templates import role_templates
from secondround.questions.models import GapReasonChoice, QuestionType


def _families() -> list[tuple[str, str]]:
    return [(t.slug, t.name) for t in role_templates().values()]


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    kind = forms.ChoiceField(
        label=_("Competency kind"),
        required=False,
        choices=[("", _("Any")), *CompetencyKind.choices],
    )
    type = forms.ChoiceField(
        label=_("Type"), required=False, choices=[("", _("Any")), *QuestionType.choices]
    )
    family = forms.ChoiceField(
        label=_("Role family"), required=False, choices=lambda: [("", _("Any")), *_families()]
    )
    retired = forms.BooleanField(label=_("Show retired"), required=False)


class QuestionForm(forms.Form):
    text = forms.CharField(label=_("Question"), widget=forms.Textarea(attrs={"rows": 2}))
    type = forms.ChoiceField(label=_("Type"), choices=QuestionType.choices)
    kind = forms.ChoiceField(label=_("Competency kind"), choices=CompetencyKind.choices)
    role_families = forms.MultipleChoiceField(
        label=_("Role families (none = every role)"), choices=_families, required=False,
        widget=forms.CheckboxSelectMultiple,
    )  # fmt: skip
    reason = forms.ChoiceField(
        label=_("Clarifies (clarification templates only)"),
        choices=[("", "—"), *GapReasonChoice.choices],
        required=False,
    )
    follow_ups = forms.CharField(
        label=_("Follow-up probes (one per line, at least two)"),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    answer_1 = forms.CharField(
        label=_("What a 1 answer sounds like"), widget=forms.Textarea(attrs={"rows": 2})
    )
    answer_3 = forms.CharField(
        label=_("What a 3 answer sounds like"), widget=forms.Textarea(attrs={"rows": 2})
    )
    answer_5 = forms.CharField(
        label=_("What a 5 answer sounds like"), widget=forms.Textarea(attrs={"rows": 2})
    )

    def service_fields(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["follow_ups"] = [
            line.strip() for line in data["follow_ups"].splitlines() if line.strip()
        ]
        return data


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


class ScenarioForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=150)
    role_family = forms.ChoiceField(label=_("Role family"), choices=_families)
    brief = forms.CharField(
        label=_("Brief for the candidate"), widget=forms.Textarea(attrs={"rows": 5})
    )
    materials = forms.CharField(
        label=_("Materials (one per line)"), widget=forms.Textarea(attrs={"rows": 3})
    )
    timebox_minutes = forms.IntegerField(label=_("Timebox (minutes)"), min_value=10, max_value=240)
    watch_for = forms.CharField(
        label=_("What the interviewer watches for (one per line)"),
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    rubric = forms.CharField(
        label=_("Rubric: one line per competency, “Competency: what good looks like”"),
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def clean_rubric(self) -> list[dict[str, str]]:
        rubric = []
        for number, line in enumerate(_lines(self.cleaned_data["rubric"]), start=1):
            competency, colon, good = line.partition(":")
            if not colon or not competency.strip() or not good.strip():
                raise forms.ValidationError(
                    _("Line %(n)d: write “Competency: what good looks like”.") % {"n": number}
                )
            rubric.append({"competency": competency.strip(), "what_good_looks_like": good.strip()})
        return rubric

    def service_fields(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["materials"] = _lines(data["materials"])
        data["watch_for"] = _lines(data["watch_for"])
        return data
