"""An admin who applies for a position is a candidate there like anyone else: they neither see
nor act on its applications, debrief or decisions (staff trial, finding 1). Other positions
stay theirs to run."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from secondround.accounts.models import Role, User
from secondround.debrief.services import record_decision
from secondround.hiring import selectors
from secondround.hiring import services as hiring_services
from secondround.hiring.models import Application, Position, Stage
from secondround.messaging.selectors import outbox_visible_to
from secondround.messaging.services import send_outcome
from tests.api.test_hiring import Api
from tests.conftest import client_for
from tests.factories import UserFactory, make_finalist, make_position

pytestmark = pytest.mark.django_db


@pytest.fixture
def applicant_admin(db: None) -> User:
    # Mixed case on the account; the candidate's email is stored lower case.
    return UserFactory(
        role=Role.ADMIN, is_staff=True, is_superuser=True, email="Alex.Admin@Kestrel.example"
    )


@pytest.fixture
def own(position: Position, applicant_admin: User) -> Application:
    return hiring_services.add_candidate_to_position(
        actor=position.hiring_manager,
        position=position,
        fields={"full_name": "Alex Admin", "email": applicant_admin.email},
    )


@pytest.fixture
def rival(position: Position) -> Application:
    return make_finalist(position, name="Ada Rival")


def test_the_admin_neither_sees_nor_manages_the_position_they_applied_for(
    position: Position, applicant_admin: User, own: Application, rival: Application
) -> None:
    elsewhere = make_position(position.hiring_manager)
    assert position not in selectors.visible_positions(applicant_admin)
    assert position not in selectors.managed_positions(applicant_admin)
    assert not selectors.can_manage_position(applicant_admin, position)
    assert not set(selectors.visible_applications(applicant_admin)) & {own, rival}
    assert rival.candidate not in selectors.visible_candidates(applicant_admin)
    # everything else is still theirs
    assert elsewhere in selectors.visible_positions(applicant_admin)
    assert selectors.can_manage_position(applicant_admin, elsewhere)


def test_without_the_application_the_admin_sees_everything_as_before(
    position: Position, applicant_admin: User, rival: Application
) -> None:
    assert selectors.can_manage_position(applicant_admin, position)
    assert rival in selectors.visible_applications(applicant_admin)
    assert rival.candidate in selectors.visible_candidates(applicant_admin)


def test_the_services_refuse_the_applicant_admin(
    position: Position, applicant_admin: User, own: Application, rival: Application
) -> None:
    with pytest.raises(PermissionDenied):
        hiring_services.move_application(
            actor=applicant_admin, application=own, to_stage=Stage.FIRST_ROUND, reason="self"
        )
    with pytest.raises(PermissionDenied):
        hiring_services.update_candidate(
            actor=applicant_admin, candidate=rival.candidate, fields={"full_name": "X"}
        )
    with pytest.raises(PermissionDenied):
        record_decision(
            actor=applicant_admin, application=own, decision="hire", reasons="Self-hire",
            competencies=list(position.competencies.all()[:1]), dissent=[],
            next_step="Offer", next_step_date=timezone.localdate() + timedelta(days=7),
            confirm_provisional=True,
        )  # fmt: skip
    with pytest.raises(PermissionDenied):
        send_outcome(actor=applicant_admin, application=rival, outcome="outcome_not_this_time")
    own.refresh_from_db()
    assert own.stage == Stage.APPLIED


def test_the_outbox_leaves_out_that_positions_messages(
    position: Position, applicant_admin: User, own: Application, rival: Application
) -> None:
    send_outcome(actor=position.hiring_manager, application=rival, outcome="outcome_not_this_time")
    assert not outbox_visible_to(applicant_admin).filter(application=rival).exists()
    assert outbox_visible_to(position.hiring_manager).filter(application=rival).exists()


def test_the_pages_answer_404(
    position: Position, applicant_admin: User, own: Application, rival: Application
) -> None:
    client = client_for(applicant_admin)
    for url in (
        reverse("position", args=[position.pk]),
        reverse("application", args=[own.pk]),
        reverse("application", args=[rival.pk]),
        reverse("debrief", args=[position.pk]),
        reverse("decision", args=[position.pk, own.pk]),
    ):
        assert client.get(url).status_code == 404, url
    moved = client.post(reverse("application", args=[own.pk]), {"stage": Stage.FIRST_ROUND})
    assert moved.status_code == 404
    assert "Ada Rival" not in client.get(reverse("candidates")).content.decode()
    own.refresh_from_db()
    assert own.stage == Stage.APPLIED


def test_the_api_answers_404_and_lists_nothing_of_the_position(
    position: Position, applicant_admin: User, own: Application, rival: Application
) -> None:
    api = Api(applicant_admin)
    moved = api.post(f"/applications/{own.pk}/move", {"stage": "first_round", "reason": "self"})
    assert moved.status_code == 404
    decided = api.client.put(
        f"/api/v1/applications/{own.pk}/decision",
        {"decision": "hire", "reasons": "Self", "competency_ids": [], "next_step": "Offer",
         "next_step_date": str(timezone.localdate() + timedelta(days=7))},
        content_type="application/json",
    )  # fmt: skip
    assert decided.status_code == 404
    assert api.get(f"/positions/{position.pk}/debrief").status_code == 404
    assert api.get(f"/applications?position_id={position.pk}").json() == []
    assert rival.candidate.pk not in {c["id"] for c in api.get("/candidates").json()}
    own.refresh_from_db()
    assert own.stage == Stage.APPLIED
