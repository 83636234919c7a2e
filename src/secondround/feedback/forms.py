from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from secondround.feedback.models import LETTER_TEXT_MAX
from secondround.feedback.services import SectionInput, stronger_field, went_well_field
from secondround.hiring.models import Competency


def _text(label: StrOrPromise, rows: int = 4) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        max_length=LETTER_TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


class LetterForm(forms.Form):
    """Opening, one pair of texts per competency of the position, closing."""

    opening = _text(_("Opening"), rows=5)
    closing = _text(_("Closing"), rows=4)

    def __init__(
        self, data: Any = None, *, competencies: list[Competency], content: dict[str, Any]
    ) -> None:
        by_name = {s["competency"]: s for s in content.get("sections", [])}
        initial = {"opening": content.get("opening", ""), "closing": content.get("closing", "")}
        super().__init__(data, initial=initial)
        self.competencies = competencies
        for competency in competencies:
            section = by_name.get(competency.name, {})
            self.fields[went_well_field(competency.pk)] = _text(_("What went well"))
            self.fields[stronger_field(competency.pk)] = _text(
                _("What would have made it stronger")
            )
            self.initial[went_well_field(competency.pk)] = section.get("went_well", "")
            self.initial[stronger_field(competency.pk)] = section.get("stronger", "")

    def section_rows(self) -> list[tuple[Competency, forms.BoundField, forms.BoundField]]:
        return [
            (c, self[went_well_field(c.pk)], self[stronger_field(c.pk)]) for c in self.competencies
        ]

    def section_inputs(self) -> list[SectionInput]:
        data = self.cleaned_data
        return [
            SectionInput(
                competency_id=c.pk,
                went_well=data.get(went_well_field(c.pk), ""),
                stronger=data.get(stronger_field(c.pk), ""),
            )
            for c in self.competencies
        ]
