"""Staff finding r9 #1: an offer went out with no hire decision recorded. The debrief decides,
the message tells: "offer" needs a recorded hire decision, and "not this time" (sent before the
reject is recorded, which closes the application) is refused while the decision says hire.
Service, API and page alike; the picker leaves out what would be refused and says why."""

from __future__ import annotations

import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from secondround.hiring.models import Application, Position
from secondround.messaging.models import Message, MessageKind
from secondround.messaging.services import send_outcome
from tests.api.test_hiring import Api
from tests.conftest import client_for
from tests.factories import make_finalist, record_hire

pytestmark = pytest.mark.django_db

OFFER = MessageKind.OUTCOME_OFFER
NOT_THIS_TIME = MessageKind.OUTCOME_NOT_THIS_TIME


@pytest.fixture
def finalist(position: Position) -> Application:
    return make_finalist(position)


def picker_values(page: str) -> list[str]:
    select = re.search(r'<select name="outcome".*?</select>', page, re.S)
    assert select is not None
    return re.findall(r'<option value="([^"]*)"', select.group(0))


def test_an_offer_without_a_hire_decision_is_refused_naming_why(finalist: Application) -> None:
    manager = finalist.position.hiring_manager
    with pytest.raises(ValidationError) as refused:
        send_outcome(actor=manager, application=finalist, outcome=OFFER, next_step="Offer call")
    assert "needs a hire decision" in refused.value.message_dict["outcome"][0]
    record_hire(finalist, decision="on_hold")
    with pytest.raises(ValidationError) as still:
        send_outcome(actor=manager, application=finalist, outcome=OFFER, next_step="Offer call")
    assert "“On hold”" in still.value.message_dict["outcome"][0]
    assert not Message.objects.exists()
    record_hire(finalist)
    sent = send_outcome(actor=manager, application=finalist, outcome=OFFER, next_step="Call")
    assert sent.kind == OFFER


def test_not_this_time_comes_before_the_reject_but_not_after_a_hire(
    finalist: Application,
) -> None:
    manager = finalist.position.hiring_manager
    rival = make_finalist(finalist.position, name="Ada Rival")
    told = send_outcome(actor=manager, application=rival, outcome=NOT_THIS_TIME)
    assert told.kind == NOT_THIS_TIME  # no decision needed: the reject follows it
    record_hire(finalist)
    with pytest.raises(ValidationError) as refused:
        send_outcome(actor=manager, application=finalist, outcome=NOT_THIS_TIME)
    assert "is “Hire / make an offer”" in refused.value.message_dict["outcome"][0]
    assert Message.objects.filter(application=finalist).count() == 0


def test_the_api_refuses_an_offer_without_a_decision_by_field(finalist: Application) -> None:
    api = Api(finalist.position.hiring_manager)
    path = f"/applications/{finalist.pk}/outcome"
    refused = api.post(path, {"outcome": OFFER, "next_step": "Offer call"})
    assert refused.status_code == 422
    assert refused.json()["detail"][0]["loc"] == ["body", "outcome"]
    assert "needs a hire decision" in refused.json()["detail"][0]["msg"]
    record_hire(finalist)
    assert api.post(path, {"outcome": OFFER, "next_step": "Offer call"}).status_code == 200


def test_the_page_offers_no_offer_before_the_hire_and_refuses_one_with_400(
    finalist: Application,
) -> None:
    client = client_for(finalist.position.hiring_manager)
    page_url = reverse("application", args=[finalist.pk])
    page = client.get(page_url).content.decode()
    assert OFFER not in picker_values(page) and NOT_THIS_TIME in picker_values(page)
    assert "An offer needs a hire decision" in page
    refused = client.post(
        reverse("message-outcome", args=[finalist.pk]), {"outcome": OFFER, "next_step": "Call"}
    )
    assert refused.status_code == 400
    assert "An offer needs a hire decision" in refused.content.decode()
    assert not Message.objects.exists()
    record_hire(finalist)
    page = client.get(page_url).content.decode()
    assert OFFER in picker_values(page) and NOT_THIS_TIME not in picker_values(page)
    sent = client.post(
        reverse("message-outcome", args=[finalist.pk]), {"outcome": OFFER, "next_step": "Call"}
    )
    assert sent.status_code == 302 and Message.objects.get().kind == OFFER
