"""Writing a round-two scorecard through the API (trial r8, staff #7).

A field left out keeps its stored value, for the overall view as for ratings (the page's
autosave works the same way); a boolean is not a rating; a competency rated twice in one
request is refused naming ``ratings``. A refused request changes nothing.
"""

from __future__ import annotations

from typing import Any

import pytest

from secondround.hiring.models import Application
from secondround.loops.models import Seat
from secondround.scorecards.models import Scorecard
from tests.api.test_hiring import Api
from tests.scorecards import test_concurrent_drafts

pytestmark = pytest.mark.django_db

Draft = tuple[Seat, Application, Scorecard]
draft = test_concurrent_drafts.draft  # the fixture: a fresh round-two draft in the demo


def writer(draft: Draft) -> tuple[Api, str, int]:
    seat, finalist, card = draft
    competency = card.ratings.first().competency_id  # type: ignore[union-attr]
    return Api(card.interviewer), f"/seats/{seat.pk}/scorecards/{finalist.pk}", competency


def stored(card: Scorecard, competency: int) -> dict[str, Any]:
    card.refresh_from_db()
    rating = card.ratings.get(competency_id=competency)
    return {
        "takeaways": card.takeaways, "recommendation": card.recommendation,
        "confidence": card.confidence, "rating": rating.rating, "notes": rating.notes,
        "shareable": rating.shareable,
    }  # fmt: skip


def test_a_field_left_out_keeps_its_stored_value_and_one_sent_empty_clears_it(
    draft: Draft,
) -> None:
    api, path, competency = writer(draft)
    card = draft[2]
    full = {"takeaways": "Clear thinker", "recommendation": "yes", "confidence": 4,
            "ratings": [{"competency_id": competency, "rating": 3, "notes": "Used a queue",
                         "shareable": True}]}  # fmt: skip
    assert api.post(path, full).status_code == 200
    assert api.post(path, {"recommendation": "strong_yes"}).status_code == 200
    assert (
        api.post(path, {"ratings": [{"competency_id": competency, "rating": 4}]}).status_code == 200
    )
    assert stored(card, competency) == {
        "takeaways": "Clear thinker", "recommendation": "strong_yes", "confidence": 4,
        "rating": 4, "notes": "Used a queue", "shareable": True,
    }  # fmt: skip
    cleared = {"takeaways": "", "confidence": None,
               "ratings": [{"competency_id": competency, "notes": ""}]}  # fmt: skip
    assert api.post(path, cleared).status_code == 200
    assert stored(card, competency) == {
        "takeaways": "", "recommendation": "strong_yes", "confidence": None,
        "rating": 4, "notes": "", "shareable": True,
    }  # fmt: skip


@pytest.mark.parametrize(
    ("body", "loc"),
    [
        ({"ratings": [{"competency_id": "{c}", "rating": True}]}, ["body", "ratings", 0, "rating"]),
        ({"ratings": [{"competency_id": "{c}", "rating": 3.0}]}, ["body", "ratings", 0, "rating"]),
        ({"confidence": True}, ["body", "confidence"]),
        ({"confidence": False}, ["body", "confidence"]),
    ],
)
def test_a_boolean_or_a_fraction_is_not_a_rating(
    draft: Draft,
    body: dict[str, Any],
    loc: list[object],
) -> None:
    api, path, competency = writer(draft)
    before = stored(draft[2], competency)
    for rating in body.get("ratings", []):
        rating["competency_id"] = competency
    refused = api.post(path, body)
    assert refused.status_code == 422
    assert [problem["loc"] for problem in refused.json()["detail"]] == [loc]
    assert stored(draft[2], competency) == before


def test_a_competency_rated_twice_in_one_request_is_refused_naming_ratings(
    draft: Draft,
) -> None:
    api, path, competency = writer(draft)
    before = stored(draft[2], competency)
    twice = {"ratings": [{"competency_id": competency, "rating": 2},
                         {"competency_id": competency, "rating": 5}]}  # fmt: skip
    refused = api.post(path, twice)
    assert refused.status_code == 422
    [problem] = refused.json()["detail"]
    assert problem["loc"] == ["body", "ratings", 1, "competency_id"]
    assert f"competency {competency}" in problem["msg"] and "ratings[0]" in problem["msg"]
    assert stored(draft[2], competency) == before
