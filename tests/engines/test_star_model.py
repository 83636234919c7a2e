"""The STAR sentence model: its shipped weights, their file format, and their use."""

from __future__ import annotations

import json
import math
import sys
import time
from pathlib import Path

import pytest

from secondround.engines.answers import analyze_answer, star_features, star_parts, task_frames
from secondround.engines.star_model import MODEL_PATH, PARTS, StarModel, load_model

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "scripts"))
from train_answer_model import fit_sentences, task_reads

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


@pytest.mark.parametrize(
    ("sentence", "frame"),
    [
        ("Goal: cut invoice time to five days", "frame:label_goal"),
        ("My role: get the new rota live", "frame:label_goal"),
        ("Target from CFO: 5 days", "frame:verbless"),
        ("We needed the site back before Monday.", "frame:subject_obligation"),
        ("The brief was simple.", "frame:owned_goal"),
        ("My manager wanted me to calm the client down.", "frame:to_me"),
        ("It was my call whether to reopen.", "frame:owner"),
    ],
)
def test_task_frames_name_goal_and_obligation_phrasings(sentence: str, frame: str) -> None:
    assert frame in task_frames(sentence)
    assert frame in star_features([sentence])[0]


def test_a_plain_step_has_no_goal_frame() -> None:
    assert task_frames("I rewrote the cache and restarted the servers.") == []
    assert task_frames("Context: the warehouse Wi-Fi dropped") == ["frame:label"]


@pytest.mark.parametrize(
    ("sentence", "shape"),
    [
        ("Close books by day 5", "frame:shape_bare_verb"),
        ("goal: get it under 500ms w/o new hardware", "frame:shape_bare_verb"),
        ("goal: get it under 500ms w/o new hardware", "frame:shape_limit"),
        ("needed to stop the bleeding first, root cause later", "frame:shape_bare_obligation"),
        ("My task: to reduce the stops under 5 until end of month.", "frame:shape_to_verb"),
        ("Was necessary to keep the guests calm.", "frame:shape_impersonal_need"),
    ],
)
def test_goal_line_shapes_are_task_frames(sentence: str, shape: str) -> None:
    assert shape in task_frames(sentence)


@pytest.mark.parametrize(
    "step",
    [
        "Ran 4 training sessions, made laminated quick guides",
        "Set up a weekly call with their ops lead",  # "set" is its own past: not a goal verb
        "I make a list of every stop with reason, during two weeks.",
    ],
)
def test_a_step_told_in_a_note_has_no_goal_shape(step: str) -> None:
    assert not [name for name in task_frames(step) if name.startswith("frame:shape_")]


def test_position_is_a_task_feature_of_answers_of_three_sentences_or_more() -> None:
    three = star_features(["Our build broke.", "I had to fix it.", "I fixed it.", "It works."])
    assert [[n for n in names if n.startswith("frame:pos_")] for names in three] == [
        ["frame:pos_first"],
        ["frame:pos_early"],
        ["frame:pos_early"],
        ["frame:pos_last"],
    ]
    assert not any(n.startswith("frame:pos_") for n in star_features(["A.", "B."])[1])


def test_task_reads_only_the_frames_its_setting_names() -> None:
    assert task_reads("w:goal", "off") and not task_reads("frame:owner", "off")
    assert task_reads("frame:owner", "phrases") and not task_reads("frame:shape_limit", "phrases")
    assert task_reads("frame:shape_limit", "shapes") and not task_reads("frame:pos_first", "shapes")
    assert task_reads("frame:pos_first", "position")


def _toy_training() -> tuple[list[list[str]], list[frozenset[str]]]:
    features = star_features(
        ["Last year our build kept failing.", "My job was to fix it.", "I rewrote the cache."] * 3
        + ["The pipeline went green.", "Goal: halve the build time.", "We lost the deal."]
    )
    labels = [frozenset({"situation"}), frozenset({"task"}), frozenset({"action"})] * 3 + [
        frozenset({"result"}),
        frozenset({"task"}),
        frozenset({"result"}),
    ]
    return features, labels


def test_only_the_task_classifier_reads_the_task_frames() -> None:
    model = fit_sentences(*_toy_training())
    assert any(name.startswith("frame:") for name in model.weights["task"])
    for part in ("situation", "action", "result"):
        assert not any(name.startswith("frame:") for name in model.weights[part])


def test_the_task_threshold_is_folded_into_the_task_bias() -> None:
    features, labels = _toy_training()
    even = fit_sentences(features, labels, task_threshold=0.5)
    lenient = fit_sentences(features, labels, task_threshold=0.25)
    # P >= 0.25 is score >= logit(0.25) = -ln 3: the bias rises by ln 3, nothing else moves.
    assert lenient.bias["task"] - even.bias["task"] == pytest.approx(math.log(3))
    assert lenient.bias["action"] == even.bias["action"]
    assert lenient.threshold == even.threshold == 0.5
