"""Forms of the hiring pages. They check shapes; the services check the rules."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from secondround.accounts.models import Department, User
from secondround.accounts.selectors import organisation_members
from secondround.hiring.models import (
    WEIGHT_MAX,
    WEIGHT_MIN,
    Candidate,
    CompanyProfile,
    Competency,
    Position,
    Stage,
)
from secondround.hiring.role_templates import role_templates
from secondround.ids import IdChoiceField, IdMultipleChoiceField
from secondround.limits import MOVE_REASON_MAX, POSITION_TEXT_MAX


def _template_choices() -> list[tuple[str, str]]:
    return [(t.slug, t.name) for t in role_templates().values()]


class PositionFromTemplateForm(forms.Form):
    template = forms.ChoiceField(label=_("Role template"), choices=_template_choices)
    title = forms.CharField(
        label=_("Title"),
        max_length=150,
        required=False,
        help_text=_("Leave empty to use the template's name."),
    )
    department = IdChoiceField(
        label=_("Department"),
        queryset=Department.objects.all(),
        required=False,
        help_text=_("Leave empty to use the template's department."),
    )


class PositionForm(forms.ModelForm[Position]):
    class Meta:
        model = Position
        fields = [
            "title",
            "department",
            "status",
            "summary",
            "responsibilities",
            "expectations",
            "share_scenario_brief",
        ]
        field_classes = {"department": IdChoiceField}
        widgets = {
            # The browser keeps the limit the model's validator keeps (limits.py).
            "summary": forms.Textarea(attrs={"rows": 3, "maxlength": POSITION_TEXT_MAX}),
            "responsibilities": forms.Textarea(attrs={"rows": 6, "maxlength": POSITION_TEXT_MAX}),
            "expectations": forms.Textarea(attrs={"rows": 5, "maxlength": POSITION_TEXT_MAX}),
        }


class ColleagueChoiceField(IdMultipleChoiceField):
    """Colleagues only (never job seekers), named with their role and department."""

    def __init__(self, **kwargs: object) -> None:
        super().__init__(queryset=organisation_members(), required=False, **kwargs)

    def label_from_instance(self, obj: User) -> str:
        details = [str(obj.get_role_display())]
        if obj.department:
            details.append(obj.department.name)
        return f"{obj.full_name or obj.email} ({', '.join(details)})"


class TeamForm(forms.Form):
    recruiters = ColleagueChoiceField(label=_("Recruiters"))
    interviewers = ColleagueChoiceField(label=_("Interview panel"))


class CompetencyForm(forms.ModelForm[Competency]):
    # The model field's own form field says min 0 (a positive integer) and no maximum, while
    # the model takes 1–5: the input says what the server takes.
    weight = forms.IntegerField(
        label=_("weight"), min_value=WEIGHT_MIN, max_value=WEIGHT_MAX, initial=1,
        error_messages={
            key: _("A weight is a whole number from 1 to 5.")
            for key in ("invalid", "min_value", "max_value")
        },
    )  # fmt: skip

    class Meta:
        model = Competency
        fields = [
            "name",
            "kind",
            "weight",
            "must_have",
            "description",
            "anchor_1",
            "anchor_2",
            "anchor_3",
            "anchor_4",
            "anchor_5",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 2}),
            **{f"anchor_{p}": forms.Textarea(attrs={"rows": 2}) for p in range(1, 6)},
        }


class CandidateForm(forms.ModelForm[Candidate]):
    class Meta:
        model = Candidate
        fields = ["full_name", "email", "phone", "location", "source"]

    def validate_unique(self) -> None:
        """An existing candidate's email is fine here: the service reuses that candidate."""


class MoveForm(forms.Form):
    stage = forms.ChoiceField(label=_("Move to"), choices=Stage.choices)
    reason = forms.CharField(
        label=_("Why"),
        required=False,
        max_length=MOVE_REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required when rejecting or withdrawing."),
    )
    no_outcome_reason = forms.CharField(
        label=_("Why no outcome message"),
        required=False,
        max_length=MOVE_REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Only when closing a finalist who was not sent an outcome message."),
    )

    def __init__(self, *args: object, allowed: list[str] | None = None, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        if allowed is not None:
            self.fields["stage"].choices = [  # type: ignore[attr-defined]
                (value, label) for value, label in Stage.choices if value in allowed
            ]


class CompanyProfileForm(forms.ModelForm[CompanyProfile]):
    class Meta:
        model = CompanyProfile
        fields = [
            "name",
            "mission",
            "expectations",
            "career_progression",
            "professional_development",
            "growth_support",
        ]
        widgets = {
            name: forms.Textarea(attrs={"rows": 3})
            for name in (
                "mission",
                "expectations",
                "career_progression",
                "professional_development",
                "growth_support",
            )
        }


class CompanyValueForm(forms.Form):
    name = forms.CharField(label=_("Value"), max_length=100)
    description = forms.CharField(
        label=_("What it means"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    behaviours = forms.CharField(
        label=_("Behaviours that show it (one per line)"),
        widget=forms.Textarea(attrs={"rows": 3}),
    )


CompanyValueFormSet = forms.formset_factory(CompanyValueForm, extra=1, can_delete=True)
