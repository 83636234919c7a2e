"""The messages API's answers keep their keys and value formats now that they have schemas
(a schema drops keys it does not declare, and these answers had no other test of their shape)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from secondround.accounts.models import User
from secondround.hiring.models import Position
from secondround.messaging.models import Message
from tests.api.test_hiring import Api
from tests.factories import soon
from tests.messaging.test_api_and_pages import finalist, invitation

pytestmark = pytest.mark.django_db

MESSAGE_KEYS = {
    "id", "candidate_id", "application_id", "kind", "language", "to", "reply_to", "subject",
    "body_text", "state", "attempts", "last_error", "correction_reason", "created_at", "sent_at",
}  # fmt: skip


def test_the_outbox_and_resend_answer_every_key_with_python_timestamps(
    position: Position,
) -> None:
    message = invitation(finalist(position))
    sent_at = timezone.now() - timedelta(hours=1)
    Message.objects.filter(pk=message.pk).update(sent_at=sent_at, state="sent")
    message.refresh_from_db()
    api = Api(position.hiring_manager)
    [listed] = api.get(f"/messages?application_id={message.application_id}").json()
    assert set(listed) == MESSAGE_KEYS
    assert listed["created_at"] == message.created_at.isoformat()
    assert listed["sent_at"] == sent_at.isoformat()
    assert listed["to"] == message.to_email and listed["application_id"] == message.application_id
    resent = api.post(f"/messages/{message.pk}/resend", {})
    assert resent.status_code == 200 and set(resent.json()) == MESSAGE_KEYS
    assert resent.json()["state"] == "queued" and resent.json()["attempts"] == 0


def test_the_promised_date_language_and_template_answers(position: Position) -> None:
    application = finalist(position)
    api = Api(position.hiring_manager)
    promised = api.client.put(
        f"/api/v1/applications/{application.pk}/promised-decision",
        {"promised_decision_on": soon(5).isoformat()},
        content_type="application/json",
    )
    assert promised.json() == {
        "application_id": application.pk,
        "promised_decision_on": soon(5).isoformat(),
    }
    language = api.client.put(
        f"/api/v1/candidates/{application.candidate_id}/language",
        {"language": "de"},
        content_type="application/json",
    )
    assert language.json() == {"candidate_id": application.candidate_id, "language": "de"}


def test_the_template_answer(recruiter: User) -> None:
    saved = Api(recruiter).client.put(
        "/api/v1/message-templates/invitation/en",
        {"subject": "Your interviews", "body_text": "Hello, see {portal_link}"},
        content_type="application/json",
    )
    assert saved.status_code == 200, saved.json()
    assert saved.json() == {
        "kind": "invitation",
        "language": "en",
        "subject": "Your interviews",
        "body_text": "Hello, see {portal_link}",
    }
