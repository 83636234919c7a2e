"""Loops reads scorecard facts through the seam it declares; scorecards answers it."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured

from secondround.accounts.models import User
from secondround.hiring.models import Position
from secondround.loops import scorecard_facts as seam
from secondround.loops.scorecard_facts import RoundOneRating, scorecard_facts
from secondround.scorecards.facts import ScorecardFactsFromDatabase
from secondround.scorecards.services import save_round_one_scorecard
from tests.factories import make_finalist

pytestmark = pytest.mark.django_db


def test_the_scorecards_app_answers_the_facts_loops_reads() -> None:
    assert isinstance(scorecard_facts(), ScorecardFactsFromDatabase)


def test_without_the_scorecards_app_loops_says_what_is_missing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(seam, "_facts", None)
    with pytest.raises(ImproperlyConfigured, match=r"secondround\.scorecards"):
        scorecard_facts()


def test_round_one_ratings_reach_loops_as_plain_data(
    position: Position, panel_interviewer: User
) -> None:
    finalist = make_finalist(position, name="Robin Finalist")
    competency = position.competencies.order_by("pk").first()
    assert competency is not None
    save_round_one_scorecard(
        actor=position.hiring_manager, application=finalist, interviewer=panel_interviewer,
        ratings={competency.pk: {"rating": 2, "confidence": 4, "notes": "Vague on tests.",
                                 "concern": True}},
    )  # fmt: skip
    given = [r for r in scorecard_facts().round_one_ratings(position) if r.rating is not None]
    assert given == [
        RoundOneRating(
            application_id=finalist.pk, candidate_email="robin.finalist@mail.example",
            interviewer_id=panel_interviewer.pk, interviewer_name=panel_interviewer.full_name,
            competency_id=competency.pk, competency_name=competency.name,
            rating=2, confidence=4, notes="Vague on tests.", concern=True,
        )
    ]  # fmt: skip
