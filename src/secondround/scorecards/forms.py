from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from secondround.accounts.selectors import organisation_members
from secondround.hiring.models import Competency, Position
from secondround.hiring.selectors import members_not_applied_for
from secondround.ids import IdChoiceField
from secondround.limits import NOTES_MAX, REASONS_MAX, TAKEAWAYS_MAX
from secondround.scorecards.models import (
    ItemResolution,
    Rating,
    Recommendation,
    Resolution,
    Scorecard,
)
from secondround.scorecards.services import (
    OverallEntry,
    RatingEntry,
    ResolutionEntry,
    ScorecardInput,
    scorecard_version,
)

RATING_CHOICES = [("", _("Not assessed")), *[(str(n), str(n)) for n in range(1, 6)]]
CONFIDENCE_CHOICES = [("", "—"), *[(str(n), str(n)) for n in range(1, 6)]]


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Round-one ratings (CSV or JSON)"),
        help_text=_(
            "Columns: candidate_email, interviewer_email, competency, rating (1–5, empty or NA "
            "= not assessed), confidence (1–5), notes, concern (yes/no)."
        ),
    )


class InterviewerForm(forms.Form):
    interviewer = IdChoiceField(label=_("Interviewer"), queryset=organisation_members())

    def __init__(self, *args: Any, position: Position, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Nobody rates a position they applied for: the picker leaves applicants out.
        field = self.fields["interviewer"]
        assert isinstance(field, IdChoiceField)
        field.queryset = members_not_applied_for(position)
        field.error_messages["invalid_choice"] = _(
            "Choose a colleague in the organisation who has not applied for this position."
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
        label=_("Evidence notes"), required=False, max_length=NOTES_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
    )  # fmt: skip
    concern = forms.BooleanField(label=_("Concern raised"), required=False)

    def __init__(self, *args: object, competency: Competency, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.competency = competency


class RoundTwoScorecardForm(forms.Form):
    """One field per focus competency (rating, evidence, shareable) and per clarification item."""

    recommendation = forms.ChoiceField(
        label=_("Overall recommendation"),
        choices=[("", "—"), *Recommendation.choices],
        required=False,
    )
    confidence = forms.TypedChoiceField(
        label=_("How confident are you in this scorecard?"),
        choices=CONFIDENCE_CHOICES, coerce=int, empty_value=None, required=False,
    )  # fmt: skip
    takeaways = forms.CharField(
        label=_("Key takeaways"), required=False, max_length=TAKEAWAYS_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )  # fmt: skip

    # The stored version this page was loaded at (see `services.StaleScorecard`); the page
    # renders it in the "saved" partial, which each autosave answer replaces.
    version = forms.CharField(required=False, max_length=64, widget=forms.HiddenInput)

    def __init__(self, *args: Any, scorecard: Scorecard, **kwargs: Any) -> None:
        initial = {
            name: getattr(scorecard, name) for name in ("recommendation", "confidence", "takeaways")
        }
        self.ratings = list(scorecard.ratings.select_related("competency"))
        self.resolutions = list(scorecard.resolutions.select_related("item__competency"))
        for r in self.ratings:
            initial |= {f"rating_{r.competency_id}": r.rating, f"notes_{r.competency_id}": r.notes,
                        f"shareable_{r.competency_id}": r.shareable}  # fmt: skip
        for x in self.resolutions:
            initial |= {f"resolution_{x.item_id}": x.status, f"resolution_note_{x.item_id}": x.note}
        super().__init__(*args, **{**kwargs, "initial": initial})
        for r in self.ratings:
            c = r.competency_id
            self.fields[f"rating_{c}"] = forms.TypedChoiceField(
                label=_("Rating"), choices=RATING_CHOICES, coerce=int, empty_value=None,
                required=False, widget=forms.RadioSelect,
            )  # fmt: skip
            self.fields[f"notes_{c}"] = forms.CharField(
                label=_("Evidence: what the candidate said or did"), required=False,
                max_length=NOTES_MAX, widget=forms.Textarea(attrs={"rows": 3}),
            )  # fmt: skip
            self.fields[f"shareable_{c}"] = forms.BooleanField(
                label=_("May be shared with the candidate in feedback"), required=False
            )
        for x in self.resolutions:
            self.fields[f"resolution_{x.item_id}"] = forms.ChoiceField(
                label=_("Now"), choices=Resolution.choices
            )
            self.fields[f"resolution_note_{x.item_id}"] = forms.CharField(
                label=_("What you learned"),
                required=False,
                max_length=NOTES_MAX,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def rows(self) -> list[tuple[Rating, list[forms.BoundField]]]:
        return [
            (r, [self[f"rating_{r.competency_id}"], self[f"notes_{r.competency_id}"],
                 self[f"shareable_{r.competency_id}"]])
            for r in self.ratings
        ]  # fmt: skip

    def item_rows(self) -> list[tuple[ItemResolution, list[forms.BoundField]]]:
        return [
            (x, [self[f"resolution_{x.item_id}"], self[f"resolution_note_{x.item_id}"]])
            for x in self.resolutions
        ]

    def refusals(self) -> dict[str, list[str]]:
        """Errors that refuse a save, by field: a bad value (e.g. over its length limit).

        A missing value does not: a draft is half-written by nature, and submitting checks
        completeness in the service.
        """
        return {
            field: [str(m) for e in errors if e.code != "required" for m in e.messages]
            for field, errors in self.errors.as_data().items()
            if any(e.code != "required" for e in errors)
        }

    def refusal_summary(self) -> str:
        """The refusals in one line, each naming its field (and competency or item)."""
        names = {f"notes_{r.competency_id}": _("Evidence notes for %s") % r.competency.name
                 for r in self.ratings}  # fmt: skip
        names |= {f"resolution_note_{x.item_id}": _("What you learned about %s")
                  % (x.item.competency or x.item) for x in self.resolutions}  # fmt: skip
        return " ".join(
            f"{names.get(field, self.fields[field].label if field in self.fields else field)}: "
            f"{message}"
            for field, messages in self.refusals().items()
            for message in messages
        )

    def version_shown(self, scorecard: Scorecard) -> str:
        """The version the page goes on from: after a refused post the one it was loaded at
        (so a stale tab stays refused until reloaded), else the stored one."""
        posted = getattr(self, "cleaned_data", {}).get("version")
        return posted if self.is_bound and posted else scorecard_version(scorecard)

    def overall_fields(self) -> list[forms.BoundField]:
        return [self["recommendation"], self["confidence"], self["takeaways"]]

    def to_input(self) -> ScorecardInput:
        """What was typed, field by field; fields that did not validate are left out."""
        data: dict[str, Any] = getattr(self, "cleaned_data", {})
        return ScorecardInput(
            ratings={r.competency_id: _rating_entry(data, r.competency_id) for r in self.ratings},
            resolutions={x.item_id: _resolution_entry(data, x.item_id) for x in self.resolutions},
            overall=_overall_entry(data),
        )


def _rating_entry(data: dict[str, Any], competency_id: int) -> RatingEntry:
    entry: RatingEntry = {}
    if f"rating_{competency_id}" in data:
        entry["rating"] = data[f"rating_{competency_id}"]
    if f"notes_{competency_id}" in data:
        entry["notes"] = data[f"notes_{competency_id}"]
    if f"shareable_{competency_id}" in data:
        entry["shareable"] = data[f"shareable_{competency_id}"]
    return entry


def _resolution_entry(data: dict[str, Any], item_id: int) -> ResolutionEntry:
    entry: ResolutionEntry = {}
    if f"resolution_{item_id}" in data:
        entry["status"] = data[f"resolution_{item_id}"]
    if f"resolution_note_{item_id}" in data:
        entry["note"] = data[f"resolution_note_{item_id}"]
    return entry


def _overall_entry(data: dict[str, Any]) -> OverallEntry:
    entry: OverallEntry = {}
    if "recommendation" in data:
        entry["recommendation"] = data["recommendation"]
    if "confidence" in data:
        entry["confidence"] = data["confidence"]
    if "takeaways" in data:
        entry["takeaways"] = data["takeaways"]
    return entry


class AmendForm(forms.Form):
    reason = forms.CharField(
        label=_("Why are you changing a submitted scorecard?"),
        max_length=REASONS_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )
