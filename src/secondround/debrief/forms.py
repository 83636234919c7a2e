from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from secondround.debrief.models import DecisionKind
from secondround.hiring.models import WEIGHT_MAX, Competency, Position
from secondround.ids import IdMultipleChoiceField
from secondround.limits import MOVE_REASON_MAX, REASONS_MAX
from secondround.widgets import PlainNumberInput


def _weight_errors(name: str, minimum: int) -> dict[str, str]:
    """Each message names the competency: the htmx results show them away from the field."""
    out_of_range = _("%(name)s: a weight is a whole number from %(low)d to 5.") % {
        "name": name, "low": minimum,
    }  # fmt: skip
    if minimum > 0:
        out_of_range += " " + _("Saved weights are 1 to 5: 0 is only for trying out a what-if.")
    return {
        "required": _("%(name)s: give it a weight.") % {"name": name},
        "invalid": out_of_range,
        # Django fills these two with %-parameters, so a "%" in the name must be escaped.
        "min_value": out_of_range.replace("%", "%%"),
        "max_value": out_of_range.replace("%", "%%"),
    }


class WeightsForm(forms.Form):
    """Competency weights, 0–5 each: a "what if" (0 leaves a competency out) or to save."""

    def __init__(self, *args: Any, position: Position, minimum: int = 0, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.competencies = list(position.competencies.all())
        for c in self.competencies:
            self.fields[f"w{c.pk}"] = forms.IntegerField(
                label=c.name, min_value=minimum, max_value=WEIGHT_MAX, initial=c.weight,
                error_messages=_weight_errors(c.name, minimum), widget=PlainNumberInput,
            )  # fmt: skip

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        weights = [cleaned.get(f"w{c.pk}") for c in self.competencies]
        if self.competencies and all(w == 0 for w in weights):
            raise forms.ValidationError(_("Give at least one competency a weight above 0."))
        return cleaned

    def weights(self) -> dict[int, float]:
        return {c.pk: float(self.cleaned_data[f"w{c.pk}"]) for c in self.competencies}

    def as_query(self) -> dict[str, int]:
        """The weights as they were accepted, to carry into a link or a save."""
        return {f"w{c.pk}": int(self.cleaned_data[f"w{c.pk}"]) for c in self.competencies}


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(label=_("Decision"), choices=DecisionKind.choices)
    competencies = IdMultipleChoiceField(
        label=_("The competencies it rests on"),
        queryset=Competency.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    reasons = forms.CharField(
        label=_("Reasons, tied to competencies and evidence"),
        max_length=REASONS_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    dissent = forms.CharField(
        label=_("Dissenting views, one per line: “Name: their view”"), required=False,
        max_length=REASONS_MAX, widget=forms.Textarea(attrs={"rows": 3}),
    )  # fmt: skip
    next_step = forms.CharField(label=_("Next step"), max_length=250)
    next_step_date = forms.DateField(
        label=_("Next step by"), widget=forms.DateInput(attrs={"type": "date"})
    )
    change_reason = forms.CharField(
        label=_("Why the decision changes (needed when it was already recorded)"),
        required=False, max_length=REASONS_MAX, widget=forms.Textarea(attrs={"rows": 2}),
    )  # fmt: skip

    no_outcome_reason = forms.CharField(
        label=_("Why the candidate is not sent an outcome message (only for a reject)"),
        required=False, max_length=MOVE_REASON_MAX, widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("A reject closes the application: send “not this time” from the "
                    "application page first, or say why not."),
    )  # fmt: skip

    confirm_provisional = forms.BooleanField(
        label=_("Decide on provisional scores: I know round-two scorecards are still missing"),
        required=False,
    )

    def __init__(
        self, *args: Any, position: Position, scorecards_missing: bool = False, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["competencies"].queryset = position.competencies.all()  # type: ignore[attr-defined]
        if not scorecards_missing:
            del self.fields["confirm_provisional"]

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
