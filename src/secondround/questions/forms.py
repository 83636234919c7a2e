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
