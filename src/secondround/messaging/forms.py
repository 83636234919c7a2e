from __future__ import annotations

from collections.abc import Collection
from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from secondround.messaging.models import (
    BODY_MAX,
    OUTCOME_KINDS,
    SUBJECT_MAX,
    MessageKind,
    MessageState,
)
from secondround.messaging.services import CORRECTION_REASON_MAX, NEXT_STEP_MAX


class TemplateForm(forms.Form):
    subject = forms.CharField(label=_("Subject"), max_length=SUBJECT_MAX)
    body_text = forms.CharField(
        label=_("Message"), max_length=BODY_MAX, widget=forms.Textarea(attrs={"rows": 16})
    )


OUTCOME_CHOICES = [
    ("", _("Choose an outcome…")),
    *[(kind.value, kind.label) for kind in MessageKind if kind in OUTCOME_KINDS],
]


class OutcomeForm(forms.Form):
    # No outcome is chosen for you: a hasty click must not send "offer".
    outcome = forms.ChoiceField(label=_("Outcome"), choices=OUTCOME_CHOICES)
    next_step = forms.CharField(
        label=_("Next step for the candidate"),
        required=False,
        max_length=NEXT_STEP_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required for an offer or another conversation."),
    )
    correction_reason = forms.CharField(
        label=_("Correction: why the candidate is now told otherwise"),
        required=False,
        max_length=CORRECTION_REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Only to send a different outcome after one was sent; kept with the message."),
    )

    def __init__(
        self, *args: Any, correcting: bool = True, refused: Collection[str] = (), **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        if not correcting:  # nothing sent yet that a different outcome would contradict
            del self.fields["correction_reason"]
        # The picker leaves out what the decision does not allow yet (the card says why); the
        # field still accepts it, so a stale page hears the service's reason, not "invalid".
        self.fields["outcome"].widget.choices = [c for c in OUTCOME_CHOICES if c[0] not in refused]


class DecisionDateForm(forms.Form):
    promised_decision_on = forms.DateField(
        label=_("Promised decision by"), widget=forms.DateInput(attrs={"type": "date"})
    )


class LanguageForm(forms.Form):
    language = forms.ChoiceField(label=_("Language of their messages"), choices=settings.LANGUAGES)


class OutboxFilterForm(forms.Form):
    state = forms.ChoiceField(
        label=_("State"), required=False, choices=[("", _("All")), *MessageState.choices]
    )
