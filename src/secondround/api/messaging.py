"""API for messages to candidates: the outbox, resending, outcomes, promised dates, language,
and the templates. The same services and selectors as the pages."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Router, Schema
from pydantic import Field

from secondround.api.schemas import StrictSchema
from secondround.hiring import selectors as hiring
from secondround.ids import Id
from secondround.messaging import selectors, services
from secondround.messaging.models import BODY_MAX, SUBJECT_MAX, Message, MessageState
from secondround.messaging.services import CORRECTION_REASON_MAX, NEXT_STEP_MAX
from secondround.web.helpers import request_user

router = Router(tags=["messages"])

Outcome = Literal["outcome_offer", "outcome_another_conversation", "outcome_not_this_time"]


class OutcomeIn(StrictSchema):
    outcome: Outcome
    next_step: str = Field(default="", max_length=NEXT_STEP_MAX)
    correction_reason: str = Field(
        default="", max_length=CORRECTION_REASON_MAX,
        description="Needed to send a different outcome after offer or not-this-time was sent.",
    )  # fmt: skip
    portal_link: str = Field(
        default="", max_length=2_000,
        description="A live link to this candidate's own page on this site; leave it out and "
        "a fresh one is made.",
    )  # fmt: skip


class PromisedDateIn(StrictSchema):
    promised_decision_on: date


class LanguageIn(StrictSchema):
    language: str = Field(max_length=8)


class TemplateIn(StrictSchema):
    subject: str = Field(max_length=SUBJECT_MAX)
    body_text: str = Field(max_length=BODY_MAX)


class MessageOut(Schema):
    id: int
    candidate_id: int
    application_id: int | None
    kind: str
    language: str
    to: str
    reply_to: str
    subject: str
    body_text: str
    state: str
    attempts: int
    last_error: str
    correction_reason: str
    created_at: str = Field(description="ISO 8601, as Python writes it.")
    sent_at: str | None = Field(description="ISO 8601, as Python writes it; null until sent.")


class PromisedDateOut(Schema):
    application_id: int
    promised_decision_on: date


class LanguageOut(Schema):
    candidate_id: int
    language: str


class TemplateOut(Schema):
    kind: str
    language: str
    subject: str
    body_text: str


def _message(message: Message) -> dict[str, Any]:
    return {
        "id": message.pk,
        "candidate_id": message.candidate_id,
        "application_id": message.application_id,
        "kind": message.kind,
        "language": message.language,
        "to": message.to_email,
        "reply_to": message.reply_to,
        "subject": message.subject,
        "body_text": message.body_text,
        "state": message.state,
        "attempts": message.attempts,
        "last_error": message.last_error,
        "correction_reason": message.correction_reason,
        "created_at": message.created_at.isoformat(),
        "sent_at": message.sent_at.isoformat() if isinstance(message.sent_at, datetime) else None,
    }


@router.get("/messages", response=list[MessageOut])
def list_messages(
    request: HttpRequest, state: MessageState | None = None, application_id: Id | None = None
) -> list[dict[str, Any]]:
    """The outbox, newest first (at most 200), for the positions whose hiring team you are on."""
    rows = selectors.outbox_visible_to(request_user(request))
    if state:
        rows = rows.filter(state=state)
    if application_id:
        rows = rows.filter(application_id=application_id)
    return [_message(message) for message in rows[:200]]


@router.post("/messages/{message_id}/resend", response=MessageOut)
def resend(request: HttpRequest, message_id: Id) -> dict[str, Any]:
    user = request_user(request)
    message = selectors.get_visible_message(user, message_id)
    return _message(services.resend_message(actor=user, message=message))


@router.post("/applications/{application_id}/outcome", response=MessageOut)
def send_outcome(request: HttpRequest, application_id: Id, data: OutcomeIn) -> dict[str, Any]:
    user = request_user(request)
    application = hiring.get_visible_application(user, application_id)
    return _message(
        services.send_outcome(
            actor=user, application=application, outcome=data.outcome,
            next_step=data.next_step, correction_reason=data.correction_reason,
            portal_link=data.portal_link, site_url=request.build_absolute_uri("/"),
        )
    )  # fmt: skip


@router.put("/applications/{application_id}/promised-decision", response=PromisedDateOut)
def set_promised_decision(
    request: HttpRequest, application_id: Id, data: PromisedDateIn
) -> dict[str, Any]:
    user = request_user(request)
    application = hiring.get_visible_application(user, application_id)
    services.set_promised_decision_date(
        actor=user, application=application, on=data.promised_decision_on
    )
    return {"application_id": application.pk, "promised_decision_on": data.promised_decision_on}


@router.put("/candidates/{candidate_id}/language", response=LanguageOut)
def set_language(request: HttpRequest, candidate_id: Id, data: LanguageIn) -> dict[str, Any]:
    user = request_user(request)
    candidate = hiring.get_visible_candidate(user, candidate_id)
    services.set_candidate_language(candidate=candidate, language=data.language, actor=user)
    return {"candidate_id": candidate.pk, "language": candidate.language}


@router.put("/message-templates/{kind}/{language}", response=TemplateOut)
def save_template(
    request: HttpRequest, kind: str, language: str, data: TemplateIn
) -> dict[str, Any]:
    template = services.save_template(
        actor=request_user(request), kind=kind, language=language,
        subject=data.subject, body_text=data.body_text,
    )  # fmt: skip
    return {"kind": template.kind, "language": template.language, "subject": template.subject,
            "body_text": template.body_text}  # fmt: skip
