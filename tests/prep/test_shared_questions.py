"""A question sent to the hiring team from the portal stays sent: the kit's private list shows
it without a Remove button, and removing it is refused (it would vanish from the team's view
and lift the cap of questions sent). Unsent questions are the candidate's own to remove."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from secondround.hiring.models import Application
from secondround.portal.selectors import shared_questions
from secondround.prep import services
from secondround.prep.models import CandidateQuestion, PrepKit
from tests.portal.conftest import TOKEN, aisha  # noqa: F401 (the demo finalist fixture)

pytestmark = pytest.mark.django_db


def open_kit(client: Client) -> PrepKit:
    response = client.get(reverse("prep-invitation", args=[TOKEN]) + "?to=kit")
    assert response.status_code == 302
    return PrepKit.objects.get(public_id=response["Location"].rstrip("/").split("/")[-1])


def test_the_service_refuses_to_remove_a_question_sent_to_the_team(
    aisha: Application,  # noqa: F811
) -> None:
    sent = shared_questions(aisha).first()
    assert sent is not None
    with pytest.raises(ValidationError) as refused:
        services.remove_question(kit=sent.kit, question=sent)
    assert "question" in refused.value.message_dict
    assert CandidateQuestion.objects.filter(pk=sent.pk).exists()


def test_the_kit_page_keeps_sent_questions_and_removes_private_ones(
    aisha: Application,  # noqa: F811
) -> None:
    client = Client()
    kit = open_kit(client)
    sent = list(shared_questions(aisha))
    assert len(sent) == 2  # the demo's two portal questions
    private = services.add_question(kit=kit, text="What would my first project be?")
    page = client.get(reverse("prep-ask", args=[kit.public_id])).content.decode()
    assert page.count("Sent to the hiring team") == 2
    assert reverse("prep-ask-remove", args=[kit.public_id, private.pk]) in page
    for question in sent:
        assert reverse("prep-ask-remove", args=[kit.public_id, question.pk]) not in page

    refused = client.post(reverse("prep-ask-remove", args=[kit.public_id, sent[0].pk]))
    assert refused.status_code == 409
    assert "already sent it to the hiring team" in refused.content.decode()
    assert shared_questions(aisha).count() == 2

    removed = client.post(reverse("prep-ask-remove", args=[kit.public_id, private.pk]))
    assert removed.status_code == 302
    assert not CandidateQuestion.objects.filter(pk=private.pk).exists()
