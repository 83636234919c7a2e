from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from secondround.debrief.models import DecisionKind
from secondround.hiring.models import Competency, Position
from secondround.ids import IdMultipleChoiceField


class WeightsForm(forms.Form):
    def __init__(self, *args: Any, position: Position, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.competencies = list(position.competencies.all())
        for c in self.competencies:
            self.fields[f"w{c.pk}"] = forms.IntegerField(
                label=c.name, min_value=0, max_value=5, initial=c.weight
            )

    def weights(self) -> dict[int, float]:
        return {c.pk: float(self.cleaned_data[f"w{c.pk}"]) for c in self.competencies}


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(label=_("Decision"), choices=DecisionKind.choices)
    competencies = IdMultipleChoiceField(
        label=_("The competencies it rests on"),
        queryset=Competency.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    reasons = forms.CharField(
        label=_("Reasons, tied to competencies and evidence"),
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    dissent = forms.CharField(
        label=_("Dissenting views, one per line: “Name: their view”"), required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )  # fmt: skip
    next_step = forms.CharField(label=_("Next step"), max_length=250)
    next_step_date = forms.DateField(
        label=_("Next step by"), widget=forms.DateInput(attrs={"type": "date"})
    )
    change_reason = forms.CharField(
        label=_("Why the decision changes (needed when it was already recorded)"),
        required=False, widget=forms.Textarea(attrs={"rows": 2}),
    )  # fmt: skip

    def __init__(self, *args: Any, position: Position, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["competencies"].queryset = position.competencies.all()  # type: ignore[attr-defined]

    def clean_dissent(self) -> list[dict[str, str]]:
        views = []
        for number, line in enumerate(self.cleaned_data["dissent"].splitlines(), start=1):
            if not line.strip():
                continue
            person, colon, view = line.partition(":")
            if not colon or not person.strip() or not view.strip():
                raise forms.ValidationError(
                    _("Line %(n)d: write “Name: their view”.") % {"n": number}
                )
            views.append({"person": person.strip(), "view": view.strip()})
        return views
