"""The order decision → offer: a finalist reaches the stage "Offer" (or "Hired") only on a
recorded hire decision, so nobody is moved to an offer the debrief did not decide, by the
page, the API or the service."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from secondround.hiring import services
from secondround.hiring.models import Application, Position, Stage, StageMove
from tests.api.test_hiring import Api
from tests.conftest import client_for
from tests.factories import make_finalist, record_hire

pytestmark = pytest.mark.django_db


def awaiting_decision(position: Position) -> Application:
    application = make_finalist(position)
    services.move_application(
        actor=position.hiring_manager, application=application, to_stage=Stage.DECISION
    )
    application.refresh_from_db()
    return application


def test_no_decision_no_offer_stage(position: Position) -> None:
    application = awaiting_decision(position)
    moves = StageMove.objects.count()
    with pytest.raises(ValidationError) as error:
        services.move_application(
            actor=position.hiring_manager, application=application, to_stage=Stage.OFFER
        )
    assert "hire decision" in error.value.message_dict["stage"][0]
    application.refresh_from_db()
    assert application.stage == Stage.DECISION and StageMove.objects.count() == moves


@pytest.mark.parametrize("decision", ["on_hold", "another_conversation"])
def test_a_decision_other_than_hire_does_not_make_an_offer(
    position: Position, decision: str
) -> None:
    application = make_finalist(position)
    record_hire(application, decision=decision)
    if application.stage != Stage.DECISION:
        services.move_application(
            actor=position.hiring_manager, application=application, to_stage=Stage.DECISION
        )
    with pytest.raises(ValidationError) as error:
        services.move_application(
            actor=position.hiring_manager, application=application, to_stage=Stage.OFFER
        )
    assert "hire decision" in error.value.message_dict["stage"][0]


def test_the_hire_decision_moves_to_offer_and_then_hired_is_allowed(position: Position) -> None:
    application = make_finalist(position)
    record_hire(application)
    assert application.stage == Stage.OFFER
    services.move_application(
        actor=position.hiring_manager,
        application=application,
        to_stage=Stage.HIRED,
        no_outcome_reason="Told them by phone; the contract is signed.",
    )
    application.refresh_from_db()
    assert application.stage == Stage.HIRED


def test_hired_needs_the_hire_decision_too(position: Position) -> None:
    """A row put at the stage "Offer" before the rule (no decision): it cannot be closed as
    hired on no decision either."""
    application = awaiting_decision(position)
    Application.objects.filter(pk=application.pk).update(stage=Stage.OFFER)
    application.refresh_from_db()
    with pytest.raises(ValidationError) as error:
        services.move_application(
            actor=position.hiring_manager,
            application=application,
            to_stage=Stage.HIRED,
            no_outcome_reason="Told by phone.",
        )
    assert "hire decision" in error.value.message_dict["stage"][0]


def test_the_page_refuses_with_400_naming_the_stage(position: Position) -> None:
    application = awaiting_decision(position)
    page = client_for(position.hiring_manager).post(
        reverse("application", args=[application.pk]), {"stage": "offer"}
    )
    assert page.status_code == 400
    assert "hire decision" in page.content.decode()
    assert '<option value="offer"' not in page.content.decode()  # not offered again
    application.refresh_from_db()
    assert application.stage == Stage.DECISION


def test_the_page_does_not_offer_the_offer_stage_without_a_hire_decision(
    position: Position,
) -> None:
    application = awaiting_decision(position)
    page = client_for(position.hiring_manager).get(reverse("application", args=[application.pk]))
    assert '<option value="offer"' not in page.content.decode()


def test_the_api_refuses_with_422_naming_the_stage(position: Position) -> None:
    application = awaiting_decision(position)
    response = Api(position.hiring_manager).post(
        f"/applications/{application.pk}/move", {"stage": "offer"}
    )
    assert response.status_code == 422
    assert "stage" in str(response.json()["detail"])
    application.refresh_from_db()
    assert application.stage == Stage.DECISION
