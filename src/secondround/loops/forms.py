from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from secondround.accounts.models import User
from secondround.hiring.models import OPEN_KINDS, Competency, CompetencyKind, Position
from secondround.hiring.qualifications import editable_competencies
from secondround.ids import IdChoiceField, IdMultipleChoiceField
from secondround.loops.models import ClarificationItem, ItemStatus, LoopSession, Seat
from secondround.loops.selectors import seat_choices


class ProposeForm(forms.Form):
    time_budget_minutes = forms.IntegerField(
        label=_("Time budget for the whole loop (minutes)"), min_value=30, max_value=720
    )
    # The fingerprint of the loop the team saw the changes for (an accepted loop only).
    confirmed = forms.CharField(required=False, max_length=64, widget=forms.HiddenInput)


class SwapForm(forms.Form):
    interviewer = IdChoiceField(
        label=_("Interviewer"),
        queryset=User.objects.none(),
        error_messages={
            "invalid_choice": _(
                "Choose someone on the position's panel: recruiters off the panel host only "
                "the sessions that rate nothing (welcome, wrap-up), and applicants sit no seat."
            )
        },
    )

    def __init__(self, *args: object, position: Position, seat: Seat, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["interviewer"].queryset = seat_choices(position, seat)  # type: ignore[attr-defined]


class SeatCompetenciesForm(forms.Form):
    competencies = IdMultipleChoiceField(
        label=_("Focus competencies (at most three)"),
        queryset=Competency.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: object, position: Position, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["competencies"].queryset = position.competencies.all()  # type: ignore[attr-defined]


class SessionForm(forms.ModelForm[LoopSession]):
    class Meta:
        model = LoopSession
        fields = ["title", "purpose", "duration_minutes"]
        widgets = {"purpose": forms.Textarea(attrs={"rows": 3})}


class ItemForm(forms.ModelForm[ClarificationItem]):
    class Meta:
        model = ClarificationItem
        fields = ["summary", "questions", "session", "status"]
        field_classes = {"session": IdChoiceField}
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 2}),
            "questions": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args: object, position: Position, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["session"].queryset = LoopSession.objects.filter(plan__position=position)  # type: ignore[attr-defined]
        self.fields["status"].choices = ItemStatus.choices  # type: ignore[attr-defined]


class NewItemForm(forms.Form):
    competency = IdChoiceField(
        label=_("Competency"), queryset=Competency.objects.none(), required=False
    )
    summary = forms.CharField(label=_("What is open"), widget=forms.Textarea(attrs={"rows": 2}))
    questions = forms.CharField(
        label=_("Questions to ask (one per line)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )

    def __init__(self, *args: object, position: Position, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["competency"].queryset = position.competencies.all()  # type: ignore[attr-defined]


class QualificationsForm(forms.Form):
    kinds = forms.MultipleChoiceField(
        label=_("May rate every competency of these kinds"),
        choices=[(k, label) for k, label in CompetencyKind.choices if k not in OPEN_KINDS],
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Values and collaboration are open to everyone and need no tick."),
    )
    competencies = IdMultipleChoiceField(
        label=_("May rate these competencies"),
        queryset=Competency.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Competencies of the positions you manage; others are left as they are."),
    )

    def __init__(self, *args: object, actor: User, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        field = self.fields["competencies"]
        field.queryset = editable_competencies(actor).exclude(kind__in=OPEN_KINDS)  # type: ignore[attr-defined]
        field.label_from_instance = lambda c: f"{c.position.title}: {c.name}"  # type: ignore[attr-defined]
