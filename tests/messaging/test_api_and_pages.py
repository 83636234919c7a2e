"""The messages API and pages: same services, outsiders refused, bad input a 4xx naming it."""

from __future__ import annotations

import pytest
from django.urls import reverse

from secondround.accounts.models import User
from secondround.hiring import services as hiring
from secondround.hiring.models import Application, Position, Stage
from secondround.messaging.models import Message, MessageKind, MessageState
from secondround.messaging.services import queue_message
from tests.api.test_hiring import Api
from tests.conftest import client_for
from tests.factories import make_application

pytestmark = pytest.mark.django_db


def finalist(position: Position) -> Application:
    application = make_application(position)
    for stage in (Stage.FIRST_ROUND, Stage.SECOND_ROUND):
        application = hiring.move_application(
            actor=position.hiring_manager, application=application, to_stage=stage
        )
    return application


def invitation(application: Application) -> Message:
    return queue_message(
        kind=MessageKind.INVITATION,
        candidate=application.candidate,
        application=application,
        values={"portal_link": "https://x.test/p/1"},
    )


def test_outcome_over_the_api_and_its_refusals(position: Position, outsider: User) -> None:
    application = finalist(position)
    api = Api(position.hiring_manager)
    path = f"/applications/{application.pk}/outcome"
    long = api.post(path, {"outcome": "outcome_another_conversation", "next_step": "x" * 2001})
    assert long.status_code == 422 and long.json()["detail"][0]["loc"] == ["body", "next_step"]
    unknown = api.post(
        path, {"outcome": "outcome_another_conversation", "next_step": "Call", "cc": "x"}
    )
    assert unknown.status_code == 422
    missing = api.post(path, {"outcome": "outcome_another_conversation"})
    assert missing.status_code == 422 and "next_step" in str(missing.json())
    assert Api(outsider).post(path, {"outcome": "outcome_not_this_time"}).status_code == 404
    sent = api.post(path, {"outcome": "outcome_not_this_time"})
    assert sent.status_code == 200 and sent.json()["state"] == "queued"
    listed = api.get(f"/messages?application_id={application.pk}").json()
    assert [row["kind"] for row in listed] == ["outcome_not_this_time"]
    assert Api(outsider).get("/messages").json() == []


def test_language_and_template_over_the_api(position: Position, recruiter: User) -> None:
    application = finalist(position)
    api = Api(recruiter)
    bad = api.client.put(
        f"/api/v1/candidates/{application.candidate_id}/language",
        {"language": "xx"},
        content_type="application/json",
    )
    assert bad.status_code == 422 and "language" in str(bad.json())
    ok = api.client.put(
        f"/api/v1/candidates/{application.candidate_id}/language",
        {"language": "de"},
        content_type="application/json",
    )
    assert ok.json()["language"] == "de"
    refused = api.client.put(
        "/api/v1/message-templates/invitation/en",
        {"subject": "Hi", "body_text": "{nope}"},
        content_type="application/json",
    )
    assert refused.status_code == 422 and "{nope}" in str(refused.json())


def test_outbox_page_filters_and_refuses_job_seekers(position: Position) -> None:
    application = finalist(position)
    message = invitation(application)
    Message.objects.filter(pk=message.pk).update(
        state=MessageState.FAILED, last_error="421 Service not available"
    )
    client = client_for(position.hiring_manager)
    page = client.get(reverse("outbox"), {"state": "failed"}).content.decode()
    assert "421 Service not available" in page
    assert "421" not in client.get(reverse("outbox"), {"state": "sent"}).content.decode()
    assert client.get(reverse("outbox"), {"state": "bogus"}).status_code == 400
    from secondround.accounts.models import Role
    from tests.factories import UserFactory

    seeker = UserFactory(role=Role.JOB_SEEKER)
    assert client_for(seeker).get(reverse("outbox")).status_code == 403


def test_message_page_and_resend_are_the_teams_only(
    position: Position, outsider: User, panel_interviewer: User
) -> None:
    message = invitation(finalist(position))
    Message.objects.filter(pk=message.pk).update(state=MessageState.FAILED)
    assert client_for(outsider).get(reverse("message", args=[message.pk])).status_code == 404
    assert (
        client_for(panel_interviewer).post(reverse("message-resend", args=[message.pk])).status_code
        == 404
    )
    client = client_for(position.hiring_manager)
    assert client.post(reverse("message-resend", args=[message.pk])).status_code == 302
    message.refresh_from_db()
    assert message.state == MessageState.QUEUED


def test_application_page_shows_the_messages_card_to_the_team_only(
    position: Position, panel_interviewer: User
) -> None:
    application = finalist(position)
    invitation(application)
    url = reverse("application", args=[application.pk])
    team_page = client_for(position.hiring_manager).get(url).content.decode()
    assert 'id="messages"' in team_page and "Your second interview" in team_page
    assert 'id="messages"' not in client_for(panel_interviewer).get(url).content.decode()


def test_outcome_form_on_the_application_page_says_what_is_missing(position: Position) -> None:
    application = finalist(position)
    client = client_for(position.hiring_manager)
    response = client.post(
        reverse("message-outcome", args=[application.pk]),
        {"outcome": "outcome_another_conversation"},
    )
    assert response.status_code == 400
    assert "Say what happens next for the candidate." in response.content.decode()
    assert not Message.objects.exists()


def test_a_message_from_the_page_carries_a_fresh_private_link(position: Position) -> None:
    from django.test import Client

    application = finalist(position)
    client_for(position.hiring_manager).post(
        reverse("message-outcome", args=[application.pk]), {"outcome": "outcome_not_this_time"}
    )
    message = Message.objects.get()
    link = next(word for word in message.body_text.split() if "/prep/i/" in word)
    opened = Client().get(link.split("testserver", 1)[1], follow=True)
    assert opened.status_code == 200 and application.position.title in opened.content.decode()


def test_the_round_two_invitation_is_sent_from_the_page_with_a_working_portal_link(
    position: Position, panel_interviewer: User
) -> None:
    from django.test import Client

    application = finalist(position)
    url = reverse("message-invitation", args=[application.pk])
    assert client_for(panel_interviewer).post(url).status_code in (403, 404)
    assert not Message.objects.exists()
    page = client_for(position.hiring_manager).post(url, follow=True).content.decode()
    assert "Invitation queued" in page
    message = Message.objects.get()
    assert message.kind == MessageKind.INVITATION and message.application == application
    link = next(word for word in message.body_text.split() if "/prep/i/" in word)
    opened = Client().get(link.split("testserver", 1)[1], follow=True)
    assert opened.status_code == 200 and "Your second round" in opened.content.decode()


def test_only_finalists_are_invited(position: Position) -> None:
    application = make_application(position)
    client = client_for(position.hiring_manager)
    page = client.post(reverse("message-invitation", args=[application.pk]), follow=True)
    assert "Only finalists in round two are invited." in page.content.decode()
    assert not Message.objects.exists()
