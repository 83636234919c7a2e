"""A decision stays hidden from an interviewer who has not submitted yet (#10 item 4)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from secondround.accounts.models import User
from secondround.debrief.services import record_decision
from secondround.hiring.models import Application, Position, Stage
from secondround.loops.models import ClarificationItem, ItemStatus, Seat
from secondround.scorecards.models import Scorecard, ScorecardStatus
from secondround.scorecards.selectors import history_visible_to
from tests.api.test_hiring import Api
from tests.conftest import client_for
from tests.demo_cache import load_demo
from tests.factories import soon

pytestmark = pytest.mark.django_db
REASONS = "Calibrated 2.1 on system design, P(best) 3%; weakest of the three finalists."


@pytest.fixture
def engineering() -> Position:
    load_demo()
    return Position.objects.get(title="Senior software engineer")


def pending_seat_and_finalist(position: Position) -> tuple[Seat, Application]:
    """A seated interviewer and a finalist they have not submitted a scorecard for."""
    submitted = Scorecard.objects.filter(
        round=Scorecard.Round.TWO, status=ScorecardStatus.SUBMITTED
    )
    for seat in Seat.objects.filter(session__plan__position=position).exclude(
        session__competency_kinds=[]
    ):
        for application in position.applications.filter(stage=Stage.SECOND_ROUND):
            if not submitted.filter(interviewer=seat.interviewer, application=application).exists():
                return seat, application
    raise AssertionError("the demo has no pending round-two seat")


def reject(position: Position, application: Application) -> None:
    record_decision(
        actor=position.hiring_manager, application=application, decision="reject",
        reasons=REASONS, competencies=list(position.competencies.filter(must_have=True)),
        dissent=[], next_step="Send feedback", next_step_date=soon(),
        no_outcome_reason="Told by phone.",
    )  # fmt: skip


def test_a_decision_move_carries_no_reasons_or_scores(engineering: Position) -> None:
    _seat, finalist = pending_seat_and_finalist(engineering)
    reject(engineering, finalist)
    reasons = [move.reason for move in finalist.moves.all()]
    assert all("2.1" not in reason and "P(best)" not in reason for reason in reasons), reasons


def test_history_selector_hides_the_decision_until_the_viewer_submits(
    engineering: Position,
) -> None:
    seat, finalist = pending_seat_and_finalist(engineering)
    reject(engineering, finalist)
    finalist.moves.filter(to_stage=Stage.REJECTED).update(reason=REASONS)  # an old, leaky note
    history = history_visible_to(seat.interviewer, finalist)
    assert history.stage is None
    assert history.hidden_moves >= 1
    assert all(move.to_stage != Stage.REJECTED for move in history.moves)
    assert all(REASONS not in move.reason for move in history.moves)
    team_view = history_visible_to(engineering.hiring_manager, finalist)
    assert team_view.stage == Stage.REJECTED and team_view.hidden_moves == 0


def test_the_application_page_and_api_hide_the_decision(engineering: Position) -> None:
    seat, finalist = pending_seat_and_finalist(engineering)
    reject(engineering, finalist)
    finalist.moves.filter(to_stage=Stage.REJECTED).update(reason=REASONS)  # an old, leaky note
    interviewer = seat.interviewer
    client = client_for(interviewer)
    page = client.get(reverse("application", args=[finalist.pk])).content.decode()
    assert REASONS not in page
    assert "Rejected" not in page
    listing = client.get(reverse("candidates")).content.decode()
    row = next(line for line in listing.splitlines() if finalist.candidate.full_name in line)
    assert "Rejected" not in row and "hidden until you submit" in row
    columns = client.get(reverse("position", args=[engineering.pk])).context["columns"]
    rejected = next(apps for value, _label, apps in columns if value == Stage.REJECTED)
    assert finalist not in rejected
    answer = Api(interviewer).get(f"/applications/{finalist.pk}").json()
    assert answer["stage"] == "hidden"
    assert all(m["to_stage"] != Stage.REJECTED for m in answer["history"])
    assert REASONS not in str(answer)
    listed = Api(interviewer).get(f"/applications?position_id={engineering.pk}").json()
    assert Stage.REJECTED not in str(listed)
    # The hiring team still sees it all.
    manager_view = Api(engineering.hiring_manager).get(f"/applications/{finalist.pk}").json()
    assert manager_view["stage"] == Stage.REJECTED


def test_the_api_kit_hides_item_states_until_the_viewer_submits(engineering: Position) -> None:
    seat, finalist = pending_seat_and_finalist(engineering)
    items = ClarificationItem.objects.filter(application=finalist, session=seat.session)
    if not items.exists():
        ClarificationItem.objects.create(
            application=finalist, session=seat.session, summary="Test strategy unclear",
            reasons=["one_rater"], priority=1,
        )  # fmt: skip
    items.update(status=ItemStatus.RESOLVED)  # a colleague in the session resolved them
    interviewer: User = seat.interviewer
    kit = Api(interviewer).get(f"/kits/{seat.pk}/{finalist.pk}").json()
    assert kit["clarification_items"]
    assert {item["status"] for item in kit["clarification_items"]} == {None}
    Scorecard.objects.update_or_create(
        application=finalist, interviewer=interviewer, round=Scorecard.Round.TWO,
        defaults={"status": ScorecardStatus.SUBMITTED, "session": seat.session},
    )  # fmt: skip
    kit = Api(interviewer).get(f"/kits/{seat.pk}/{finalist.pk}").json()
    assert {item["status"] for item in kit["clarification_items"]} == {ItemStatus.RESOLVED}
