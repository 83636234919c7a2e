"""The STAR sentence model: its shipped weights, their file format, and their use."""

from __future__ import annotations

import json
import time

import pytest

from secondround.engines.answers import analyze_answer, star_features, star_parts
from secondround.engines.star_model import MODEL_PATH, PARTS, StarModel, load_model

TOY = StarModel(
    weights={
        "situation": {"w:last": 2.0},
        "task": {"w:had": 1.0, "w:to": 1.0},
        "action": {"w:i": 1.5},
        "result": {"w:stopped": 3.0},
    },
    bias={part: -1.0 for part in PARTS},
    threshold=0.5,
)


def test_probabilities_are_the_logistic_of_bias_plus_weights() -> None:
    probabilities = TOY.probabilities(["w:had", "w:to", "w:to", "w:unknown"])
    # Duplicates count once, unknown features weigh nothing: sigma(-1 + 1 + 1) for task.
    assert probabilities["task"] == pytest.approx(1 / (1 + 2.718281828459045**-1.0))
    assert probabilities["situation"] == pytest.approx(1 / (1 + 2.718281828459045))
    assert TOY.parts(["w:i", "w:stopped"]) == frozenset({"action", "result"})


def test_the_json_shape_round_trips() -> None:
    again = StarModel.from_json(json.loads(json.dumps(TOY.to_json())))
    features = ["w:last", "w:i", "w:had"]
    assert again.probabilities(features) == pytest.approx(TOY.probabilities(features))


@pytest.mark.parametrize(
    "broken",
    [
        {"format": 2},
        {**TOY.to_json(), "weights": {"situation": [1.0]}},
        {**TOY.to_json(), "features": "w:last"},
        {**TOY.to_json(), "threshold": "high"},
    ],
)
def test_a_malformed_weights_file_is_refused(broken: dict) -> None:
    with pytest.raises((ValueError, KeyError)):
        StarModel.from_json(broken)


def test_the_shipped_model_loads_quickly_and_is_small() -> None:
    load_model.cache_clear()
    started = time.perf_counter()
    model = load_model()
    assert time.perf_counter() - started < 1.0
    assert MODEL_PATH.stat().st_size < 512 * 1024
    assert set(model.weights) == set(PARTS)
    assert all(len(model.weights[part]) > 100 for part in PARTS)


def test_features_are_one_list_per_sentence_with_the_rule_cues() -> None:
    features = star_features(["Last year our build kept failing.", "I rewrote the cache."])
    assert len(features) == 2
    assert "rule:situation" in features[0] and "rule:action" in features[1]
    assert "after_step" not in features[0] and "prev:situation" in features[1]


def test_analysis_uses_the_given_model_and_rules_only_is_available() -> None:
    text = "Last year the build broke. I had to fix it. I rewrote the cache. The failures stopped."
    by_toy = analyze_answer(text, star_model=TOY).star
    assert by_toy["result"].sentences == ("The failures stopped.",)
    assert by_toy["situation"].sentences == ("Last year the build broke.",)
    rules = star_parts(text, model=None)
    assert all(rules[part].present for part in PARTS)


def test_an_answer_that_stops_before_its_outcome_has_no_result() -> None:
    # The old position features made the last sentence a result whatever it said.
    star = star_parts(
        "Last winter our ward ran out of beds. I called the site manager and opened the "
        "day unit for four patients.",
        model=load_model(),
    )
    assert star["action"].present and not star["result"].present
