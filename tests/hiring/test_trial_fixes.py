"""Defects found by a new-user trial of the hiring side (access, finalists, limits, decisions)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from secondround.hiring.models import Application, Position, Stage
from secondround.loops.models import Seat
from secondround.scorecards.models import Scorecard, ScorecardStatus
from tests.api.test_hiring import Api
from tests.conftest import client_for
from tests.demo_cache import load_demo
from tests.factories import soon

pytestmark = pytest.mark.django_db


@pytest.fixture
def engineering() -> Position:
    load_demo()
    return Position.objects.get(title="Senior software engineer")


def submitted_seat(position: Position) -> tuple[Seat, Scorecard]:
    """A seat whose interviewer (not the hiring manager) has submitted a round-two scorecard."""
    card = (
        Scorecard.objects.filter(
            application__position=position,
            round=Scorecard.Round.TWO,
            status=ScorecardStatus.SUBMITTED,
        )
        .exclude(interviewer=position.hiring_manager)
        .select_related("interviewer")
        .first()
    )
    assert card is not None
    seat = Seat.objects.filter(
        session__plan__position=position, interviewer=card.interviewer
    ).exclude(session__competency_kinds=[])[0]
    return seat, card


def test_interviewer_dropped_from_the_panel_loses_scorecard_colleagues_and_kits(
    engineering: Position,
) -> None:
    seat, card = submitted_seat(engineering)
    interviewer = card.interviewer
    client, api = client_for(interviewer), Api(interviewer)
    assert client.get(reverse("scorecard", args=[card.pk])).status_code == 200
    assert engineering.title in client.get(reverse("my-kits")).content.decode()

    engineering.interviewers.remove(interviewer)

    assert client.get(reverse("scorecard", args=[card.pk])).status_code == 404
    assert engineering.title not in client.get(reverse("my-kits")).content.decode()
    path = f"/applications/{card.application_id}/scorecards"
    assert api.get(path).status_code == 404
    assert api.get(f"/kits/{seat.pk}/{card.application_id}").status_code == 404
    from secondround.scorecards.selectors import round_two_scorecards_visible_to

    assert not round_two_scorecards_visible_to(interviewer, card.application).exists()


def first_round_application(position: Position) -> Application:
    application = position.applications.filter(stage=Stage.FIRST_ROUND).first()
    assert application is not None
    return application


def test_no_kit_or_scorecard_for_a_candidate_who_is_not_a_finalist(
    engineering: Position,
) -> None:
    seat, _card = submitted_seat(engineering)
    early = first_round_application(engineering)
    client, api = client_for(seat.interviewer), Api(seat.interviewer)
    assert client.get(reverse("kit", args=[seat.pk, early.pk])).status_code == 404
    assert client.get(reverse("kit-pdf", args=[seat.pk, early.pk])).status_code == 404
    assert client.get(reverse("scorecard-for-seat", args=[seat.pk, early.pk])).status_code == 404
    assert api.get(f"/kits/{seat.pk}/{early.pk}").status_code == 404
    written = api.post(f"/seats/{seat.pk}/scorecards/{early.pk}", {"ratings": []})
    assert written.status_code == 404
    assert not Scorecard.objects.filter(application=early, round=Scorecard.Round.TWO).exists()


def test_scorecard_notes_over_the_limit_are_refused_naming_the_field(
    engineering: Position,
) -> None:
    from secondround.limits import NOTES_MAX
    from secondround.scorecards.services import open_round_two_scorecard

    finalist = engineering.applications.get(candidate__full_name="Jordan Ellis")
    pending = next(
        s
        for s in Seat.objects.filter(session__plan__position=engineering).exclude(
            session__competency_kinds=[]
        )
        if not Scorecard.objects.filter(
            interviewer=s.interviewer, application=finalist, status=ScorecardStatus.SUBMITTED
        ).exists()
    )
    card = open_round_two_scorecard(actor=pending.interviewer, seat=pending, application=finalist)
    competency = pending.competencies.first()
    assert competency is not None
    client = client_for(pending.interviewer)
    too_long = "x" * (NOTES_MAX + 1)
    for action in ("draft", "submit"):
        response = client.post(
            reverse("scorecard", args=[card.pk]),
            {"action": action, f"rating_{competency.pk}": "4", f"notes_{competency.pk}": too_long},
            headers={"HX-Request": "true"} if action == "draft" else {},
        )
        assert response.status_code == 400, action
        assert "Evidence" in response.content.decode()
        card.refresh_from_db()
        assert card.status == ScorecardStatus.DRAFT
        assert not card.ratings.filter(notes=too_long).exists()
    api = Api(pending.interviewer)
    written = api.post(
        f"/seats/{pending.pk}/scorecards/{finalist.pk}",
        {"ratings": [{"competency_id": competency.pk, "rating": 4, "notes": too_long}]},
    )
    assert written.status_code == 422 and "notes" in written.content.decode()


def test_stage_move_reason_over_the_limit_is_refused(engineering: Position) -> None:
    from secondround.limits import MOVE_REASON_MAX

    early = first_round_application(engineering)
    api = Api(engineering.hiring_manager)
    moved = api.post(
        f"/applications/{early.pk}/move",
        {"stage": Stage.REJECTED, "reason": "y" * (MOVE_REASON_MAX + 1)},
    )
    assert moved.status_code == 422 and "reason" in moved.content.decode()
    early.refresh_from_db()
    assert early.stage == Stage.FIRST_ROUND


def decide_on(position: Position, **changes: object) -> object:

    from secondround.debrief.services import record_decision

    finalist = position.applications.get(candidate__full_name="Jordan Ellis")
    asked: dict[str, object] = {
        "actor": position.hiring_manager, "application": finalist, "decision": "on_hold",
        "reasons": "Budget freeze.", "dissent": [], "next_step": "Revisit",
        "competencies": list(position.competencies.filter(must_have=True)),
        "next_step_date": soon(30), "no_outcome_reason": "Told by phone.",
    }  # fmt: skip
    return record_decision(**(asked | changes))  # type: ignore[arg-type]


def test_a_next_step_in_the_past_is_refused_naming_the_field(engineering: Position) -> None:
    from datetime import date

    from django.core.exceptions import ValidationError

    from secondround.debrief.models import Decision

    with pytest.raises(ValidationError) as error:
        decide_on(engineering, next_step_date=date(1900, 1, 1))
    assert "next_step_date" in error.value.message_dict
    assert not Decision.objects.filter(application__candidate__full_name="Jordan Ellis").exists()


def test_posting_the_same_decision_again_changes_nothing(engineering: Position) -> None:
    from secondround.debrief.models import Decision, DecisionRevision
    from secondround.hiring.models import StageMove

    decide_on(engineering)
    decide_on(engineering, decision="reject", change_reason="Finance said no.")
    moves = StageMove.objects.count()
    decide_on(engineering, decision="reject", change_reason="Finance said no.")
    assert DecisionRevision.objects.count() == 1
    assert StageMove.objects.count() == moves
    assert (
        Decision.objects.get(application__candidate__full_name="Jordan Ellis").decision == "reject"
    )


def test_moving_to_the_stage_it_is_already_at_says_so_and_changes_nothing(
    engineering: Position,
) -> None:
    from secondround.hiring.models import StageMove

    early = first_round_application(engineering)
    client = client_for(engineering.hiring_manager)
    url = reverse("application", args=[early.pk])
    first = client.post(url, {"stage": Stage.SECOND_ROUND}, follow=True)
    assert "moved to Second round" in first.content.decode()
    moves = StageMove.objects.filter(application=early).count()
    again = client.post(url, {"stage": Stage.SECOND_ROUND}, follow=True).content.decode()
    assert "already at Second round" in again and "moved to Second round" not in again
    assert StageMove.objects.filter(application=early).count() == moves
    api = Api(engineering.hiring_manager)
    assert (
        api.post(f"/applications/{early.pk}/move", {"stage": Stage.SECOND_ROUND}).status_code == 200
    )
    assert StageMove.objects.filter(application=early).count() == moves


def test_a_what_if_with_a_zero_weight_says_saved_weights_are_1_to_5(engineering: Position) -> None:
    competencies = list(engineering.competencies.all())
    client = client_for(engineering.hiring_manager)
    what_if = {f"w{c.pk}": 0 if c == competencies[0] else 3 for c in competencies}
    page = client.get(reverse("debrief", args=[engineering.pk]), what_if).content.decode()
    assert "Save these weights for the position" not in page
    assert "Saved weights are 1 to 5" in page
    saved = client.post(reverse("debrief-weights", args=[engineering.pk]), what_if)
    assert saved.status_code == 400
    assert "0 is only for trying out" in saved.content.decode()
    competencies[0].refresh_from_db()
    assert competencies[0].weight >= 1
    whole = {f"w{c.pk}": 2 for c in competencies}
    page = client.get(reverse("debrief", args=[engineering.pk]), whole).content.decode()
    assert "Save these weights for the position" in page
