"""The independence rule checked for many finalists at once decides per finalist, exactly as
the one-finalist check does (the debrief, pack and API lists rely on it)."""

from __future__ import annotations

import pytest

from secondround.hiring.models import Position
from secondround.loops.services import finalists
from secondround.scorecards.models import Scorecard, ScorecardStatus
from secondround.scorecards.selectors import can_see_round_two_ratings, round_two_visible_ids
from secondround.scorecards.services import (
    ScorecardInput,
    open_round_two_scorecard,
    submit_scorecard,
)
from tests.demo_cache import load_demo
from tests.scorecards.test_scorecards_and_debrief import jordan, pending_seat

pytestmark = pytest.mark.django_db


@pytest.fixture
def engineering() -> Position:
    load_demo()
    return Position.objects.get(title="Senior software engineer")


def test_an_interviewer_sees_only_the_finalists_they_submitted_for(engineering: Position) -> None:
    seat = pending_seat(engineering)
    interviewer = seat.interviewer
    everyone = finalists(engineering)
    assert round_two_visible_ids(interviewer, everyone) == set()
    finalist = jordan(engineering)
    card = open_round_two_scorecard(actor=interviewer, seat=seat, application=finalist)
    ratings = {
        c.pk: {"rating": 4, "notes": "Walked through the rollback."}
        for c in seat.competencies.all()
    }
    submit_scorecard(
        actor=interviewer,
        scorecard=card,
        data=ScorecardInput(
            ratings=ratings, resolutions={}, overall={"recommendation": "yes", "confidence": 4}
        ),
    )
    assert round_two_visible_ids(interviewer, everyone) == {finalist.pk}
    assert [can_see_round_two_ratings(interviewer, a) for a in everyone].count(True) == 1


def test_a_manager_following_the_rule_loses_only_the_finalists_they_have_not_submitted_for(
    engineering: Position,
) -> None:
    manager = engineering.hiring_manager
    everyone = finalists(engineering)
    assert round_two_visible_ids(manager, everyone) == {a.pk for a in everyone}
    manager.follows_independence = True
    manager.save()
    finalist = jordan(engineering)
    submitted_for = set(
        Scorecard.objects.filter(
            interviewer=manager, round=Scorecard.Round.TWO, status=ScorecardStatus.SUBMITTED
        ).values_list("application_id", flat=True)
    )
    assert finalist.pk in submitted_for  # the demo's manager has written up Jordan
    Scorecard.objects.filter(
        interviewer=manager, round=Scorecard.Round.TWO, application=finalist
    ).delete()
    expected = {a.pk for a in everyone if a.pk in submitted_for and a.pk != finalist.pk}
    assert round_two_visible_ids(manager, everyone) == expected
    assert {a.pk for a in everyone if can_see_round_two_ratings(manager, a)} == expected
