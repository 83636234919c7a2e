"""The outcome message never contradicts the recorded decision: "another conversation" is
refused, naming the field, while the debrief's decision is a hire or a reject (the candidate
would be invited back against the record). With no decision yet, or one for another
conversation or on hold, it goes out as before."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from secondround.hiring.models import Application, Position
from secondround.messaging.models import Message, MessageKind
from secondround.messaging.services import send_outcome
from tests.api.test_hiring import Api
from tests.conftest import client_for
from tests.factories import make_finalist, record_hire
from tests.messaging.test_outcome_needs_decision import picker_values

pytestmark = pytest.mark.django_db

AGAIN = MessageKind.OUTCOME_ANOTHER_CONVERSATION


@pytest.fixture
def finalist(position: Position) -> Application:
    return make_finalist(position)


def again(application: Application) -> Message:
    return send_outcome(
        actor=application.position.hiring_manager, application=application, outcome=AGAIN,
        next_step="One more conversation with the team.",
    )  # fmt: skip


def test_after_a_hire_another_conversation_is_refused(finalist: Application) -> None:
    record_hire(finalist)
    with pytest.raises(ValidationError) as refused:
        again(finalist)
    assert "Hire / make an offer" in refused.value.message_dict["outcome"][0]
    assert not Message.objects.filter(application=finalist).exists()


def test_after_a_reject_another_conversation_is_refused(finalist: Application) -> None:
    send_outcome(
        actor=finalist.position.hiring_manager, application=finalist,
        outcome=MessageKind.OUTCOME_NOT_THIS_TIME,
    )  # fmt: skip
    record_hire(finalist, decision="reject")
    with pytest.raises(ValidationError) as refused:
        again(finalist)
    assert "“Reject”" in refused.value.message_dict["outcome"][0]
    assert Message.objects.filter(application=finalist, kind=AGAIN).count() == 0


@pytest.mark.parametrize("decision", [None, "another_conversation", "on_hold"])
def test_otherwise_it_goes_out(finalist: Application, decision: str | None) -> None:
    if decision:
        record_hire(finalist, decision=decision)
    assert again(finalist).kind == AGAIN


def test_the_api_and_the_page_refuse_it_after_a_hire(finalist: Application) -> None:
    record_hire(finalist)
    manager = finalist.position.hiring_manager
    response = Api(manager).post(
        f"/applications/{finalist.pk}/outcome",
        {"outcome": AGAIN, "next_step": "One more conversation."},
    )
    assert response.status_code == 422 and "outcome" in str(response.json()["detail"])
    client = client_for(manager)
    page = client.get(reverse("application", args=[finalist.pk])).content.decode()
    assert AGAIN not in picker_values(page)
    refused = client.post(
        reverse("message-outcome", args=[finalist.pk]), {"outcome": AGAIN, "next_step": "Talk"}
    )
    assert refused.status_code == 400
    assert not Message.objects.filter(application=finalist).exists()
