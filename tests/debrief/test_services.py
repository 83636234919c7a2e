"""The debrief's weights are one action: every weight saved and the calibration refitted, or
nothing at all."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from secondround.accounts.models import User
from secondround.debrief.models import DecisionKind
from secondround.debrief.services import STAGE_FOR, _path, save_weights
from secondround.hiring.models import Position, Stage
from secondround.hiring.services import ALLOWED_MOVES
from tests.factories import make_position

pytestmark = pytest.mark.django_db


def weights_of(position: Position) -> dict[int, int]:
    return dict(position.competencies.values_list("pk", "weight"))


def test_every_weight_is_saved(position: Position) -> None:
    wanted = {pk: 5 for pk in weights_of(position)}
    save_weights(actor=position.hiring_manager, position=position, weights=wanted)
    assert weights_of(position) == wanted


def test_one_refused_weight_saves_none_of_them(position: Position) -> None:
    before = weights_of(position)
    first, second = sorted(before)[:2]
    new_first = 1 if before[first] != 1 else 2
    with pytest.raises(ValidationError) as refused:
        save_weights(
            actor=position.hiring_manager, position=position, weights={first: new_first, second: 0}
        )
    assert "weight" in refused.value.message_dict
    assert weights_of(position) == before


def test_a_competency_of_another_position_is_refused(position: Position) -> None:
    other = make_position(position.hiring_manager)
    foreign = other.competencies.values_list("pk", flat=True).first()
    assert foreign is not None
    with pytest.raises(ValidationError) as refused:
        save_weights(actor=position.hiring_manager, position=position, weights={foreign: 3})
    assert "competency" in refused.value.message_dict


def test_only_the_hiring_team_saves_weights(position: Position, outsider: User) -> None:
    with pytest.raises(PermissionDenied):
        save_weights(actor=outsider, position=position, weights={})


# The table the decision paths were written as before they were derived from ALLOWED_MOVES.
WRITTEN_PATHS = {
    (Stage.SECOND_ROUND, Stage.OFFER): [Stage.DECISION, Stage.OFFER],
    (Stage.DECISION, Stage.OFFER): [Stage.OFFER],
    (Stage.SECOND_ROUND, Stage.DECISION): [Stage.DECISION],
    (Stage.DECISION, Stage.SECOND_ROUND): [Stage.SECOND_ROUND],
    (Stage.OFFER, Stage.DECISION): [Stage.DECISION],
    (Stage.OFFER, Stage.SECOND_ROUND): [Stage.DECISION, Stage.SECOND_ROUND],
    (Stage.REJECTED, Stage.OFFER): [Stage.SECOND_ROUND, Stage.DECISION, Stage.OFFER],
    (Stage.REJECTED, Stage.DECISION): [Stage.SECOND_ROUND, Stage.DECISION],
}


@pytest.mark.parametrize("stage", Stage.values)
@pytest.mark.parametrize("decision", DecisionKind.values)
def test_decision_paths_follow_the_allowed_moves(stage: str, decision: str) -> None:
    target = STAGE_FOR[DecisionKind(decision)]
    path = _path(stage, decision)
    if stage == target:
        assert path == []
    elif (stage, target) in WRITTEN_PATHS:
        assert path == WRITTEN_PATHS[(stage, target)]
    elif target in ALLOWED_MOVES[stage]:
        assert path == [target]
    else:
        assert path is None
    here = stage
    for step in path or []:  # every step is itself an allowed move
        assert step in ALLOWED_MOVES[here]
        here = step


def test_a_hire_is_never_a_shortcut_from_before_round_two() -> None:
    assert _path(Stage.FIRST_ROUND, DecisionKind.HIRE) is None
    assert _path(Stage.WITHDRAWN, DecisionKind.HIRE) is None
