"""``{% application_messages application %}``: the messages card on the application page."""

from __future__ import annotations

from typing import Any

from django import template
from django.conf import settings

from secondround.accounts.models import User
from secondround.hiring.models import Application
from secondround.messaging import forms, selectors, services
from secondround.messaging.models import MessageKind

register = template.Library()


@register.inclusion_tag("messaging/application_messages.html", takes_context=True)
def application_messages(context: dict[str, Any], application: Application) -> dict[str, Any]:
    user = context["request"].user
    can_send = isinstance(user, User) and services.can_send_for(user, application)
    told = selectors.last_outcome(application) if can_send else None
    refused = selectors.outcome_refusals(application) if can_send else {}
    invited = (
        selectors.messages_for_application(user, application)
        .filter(kind=MessageKind.INVITATION)
        .first()
        if can_send
        else None
    )
    return {
        "request": context["request"],
        "csrf_token": context.get("csrf_token"),
        "application": application,
        "can_send": can_send,
        "rows": list(selectors.messages_for_application(user, application)[:20])
        if can_send
        else [],
        "last_outcome": told,
        "last_invitation": invited,
        "outcome_refusals": refused,
        "outcome_form": forms.OutcomeForm(correcting=told is not None, refused=refused),
        "date_form": forms.DecisionDateForm(
            initial={"promised_decision_on": application.promised_decision_on}
        ),
        "language_form": forms.LanguageForm(initial={"language": application.candidate.language}),
        "languages": dict(settings.LANGUAGES),
    }
