"""The STAR sentence model: its shipped weights, their file format, and their use."""

from __future__ import annotations

import dataclasses
import json
import math
import sys
import time
from pathlib import Path

import pytest

from secondround.engines.answers import analyze_answer, star_features, star_parts, task_frames
from secondround.engines.star_model import (
    MODEL_PATH,
    PARTS,
    StarModel,
    TaskContext,
    context_features,
    decide_task,
    load_model,
)

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "scripts"))
from train_answer_model import (
    Labelled,
    fit_first_pass,
    fit_sentences,
    out_of_fold,
    task_reads,
    writer_groups,
)

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
    assert MODEL_PATH.stat().st_size < 2 * 1024 * 1024
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


@pytest.mark.parametrize(
    ("sentence", "frame"),
    [
        ("The stocktake was my headache that year.", "frame:onus"),
        ("After the merger the archive was ours to sort.", "frame:onus"),
        ("With the chef off sick, the whole kitchen landed on me.", "frame:onus"),
        ("Someone had to ring the families, and that someone was me.", "frame:onus"),
        ("I'd promised the client a working demo by the spring.", "frame:promise"),
        ("I made up my mind I'd pass the exam first time.", "frame:resolve"),
        ("The policy was that no parcel left without a signature.", "frame:rule_stated"),
        ("As per the contract, every fault is logged within an hour.", "frame:rule_stated"),
        ("The owner wanted the waiting list down to zero.", "frame:want_change"),
        ("We had a hundred days to move both depots.", "frame:time_given"),
    ],
)
def test_goals_told_as_idioms_promises_resolutions_and_rules_are_task_frames(
    sentence: str, frame: str
) -> None:
    assert frame in task_frames(sentence)
    family = (
        "frame:family_"
        + {
            "frame:onus": "ownership",
            "frame:promise": "goal",
            "frame:resolve": "goal",
            "frame:rule_stated": "obligation",
            "frame:want_change": "assignment",
            "frame:time_given": "obligation",
        }[frame]
    )
    assert family in task_frames(sentence)


@pytest.mark.parametrize(
    "step",
    [
        "I moved the ovens to the back and rang the supplier.",
        "My mother rang on Tuesday.",
        "The rules of the game are simple.",
    ],
)
def test_plain_steps_and_scenes_have_no_idiom_frames(step: str) -> None:
    idioms = {"frame:onus", "frame:promise", "frame:resolve", "frame:rule_stated"}
    assert not idioms & set(task_frames(step))


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


# --- the task's second pass (context) -------------------------------------------------


def _first(*rows: tuple[float, float, float, float]) -> list[dict[str, float]]:
    return [dict(zip(PARTS, row, strict=True)) for row in rows]


def test_context_features_see_the_neighbours_and_the_answers_other_candidates() -> None:
    first = _first((0.9, 0.1, 0.1, 0.0), (0.2, 0.6, 0.1, 0.0), (0.1, 0.3, 0.9, 0.2))
    before, middle, after = context_features(first)
    assert before["ctx:is_first"] == 1.0 and "ctx:prev_task" not in before
    assert middle["ctx:prev_situation"] == 0.9 and middle["ctx:next_action"] == 0.9
    assert middle["ctx:situation_before"] == 0.9 and middle["ctx:action_before"] == 0.1
    assert middle["ctx:best_task"] == 1.0 and after["ctx:best_task"] == 0.0
    assert after["ctx:other_task"] == 0.6 and after["ctx:is_last"] == 1.0
    assert after["ctx:position"] == 1.0 and middle["ctx:position"] == 0.5


def test_the_fallback_takes_the_best_candidate_only_in_a_framed_story() -> None:
    story = _first((0.9, 0.0, 0.1, 0.0), (0.1, 0.0, 0.9, 0.0))
    assert decide_task([0.2, 0.35], story, 0.6, 1.0) == [False, False]  # fallback off
    assert decide_task([0.2, 0.35], story, 0.6, 0.3) == [False, True]
    assert decide_task([0.2, 0.25], story, 0.6, 0.3) == [False, False]  # below the fallback
    no_scene = _first((0.1, 0.0, 0.9, 0.0), (0.1, 0.0, 0.9, 0.0))
    assert decide_task([0.2, 0.35], no_scene, 0.6, 0.3) == [False, False]
    assert decide_task([0.7, 0.65], story, 0.6, 0.3) == [True, True]


def test_the_second_pass_decides_the_task_and_round_trips_through_json() -> None:
    context = TaskContext(weights={"w:goal": 3.0, "ctx:is_first": -5.0}, bias=-1.0)
    model = dataclasses.replace(TOY, task_context=context)
    sentences = [["w:goal"], ["w:goal"], ["w:i"]]
    # The first pass's task (w:had + w:to) is ignored: the second pass decides.
    assert [("task" in parts) for parts in model.label(sentences)] == [False, True, False]
    assert model.label([["w:had", "w:to"]]) == [frozenset()]
    again = StarModel.from_json(json.loads(json.dumps(model.to_json())))
    assert again.task_context == context
    assert again.label(sentences) == model.label(sentences)


def test_a_format_2_file_needs_its_task_context() -> None:
    with pytest.raises(ValueError, match="task context"):
        StarModel.from_json({**TOY.to_json(), "format": 2})


def test_the_shipped_model_has_a_second_pass_with_context_weights() -> None:
    context = load_model().task_context
    assert context is not None
    assert any(name.startswith("ctx:") for name in context.weights)
    assert any(name.startswith("frame:") for name in context.weights)


def test_the_second_pass_trains_on_first_pass_probabilities_out_of_fold() -> None:
    rows = [Labelled(writer, *_toy_training()) for writer in ("a", "b", "c")]
    rows[2] = Labelled("c", rows[2].features[:3], rows[2].labels[:3])
    oof = out_of_fold(rows)
    without_c = fit_first_pass(rows[:2])
    assert oof[2] == [without_c.probabilities(names) for names in rows[2].features]


def test_inner_folds_hold_out_groups_of_writers_each_writer_once() -> None:
    writers = [f"w{n:02d}" for n in range(14)]
    groups = writer_groups(reversed(writers), folds=6)
    assert len(groups) == 6
    assert sorted(w for group in groups for w in group) == writers
    assert groups[0] == ["w00", "w06", "w12"]
    assert writer_groups(["b", "a", "a"], folds=6) == [["a"], ["b"]]


@pytest.mark.parametrize(
    ("sentence", "frame"),
    [
        ("Keep 8 ventilated patients safe until 7 a.m.", "frame:time_box"),
        ("clear backlog in 1 wk", "frame:time_box"),
        ("I had two weeks to get through the training.", "frame:time_given"),
        ("I ran the 8,000-euro events budget for our department.", "frame:charge_of_scope"),
        ("I was set a target of £500,000 in new business.", "frame:goal_set"),
        ("So my boss was like, can you sort that out", "frame:request_to_you"),
        ("I was requested to present the findings.", "frame:requested"),
        ("max downtime, zero data loss", "frame:target_value"),
        ("protect all customer data", "frame:shape_imperative"),
        ("Align both teams on a quarterly roadmap", "frame:shape_imperative"),
    ],
)
def test_goal_shapes_of_general_english_are_task_frames(sentence: str, frame: str) -> None:
    assert frame in task_frames(sentence)


@pytest.mark.parametrize(
    "line",
    [
        "Called the client and fixed it",
        "Meetings the whole day",
        "Running 3 sessions",
        "Really the best",
    ],
)
def test_a_step_or_a_noun_line_does_not_look_imperative(line: str) -> None:
    assert "frame:shape_imperative" not in task_frames(line)


def test_frames_carry_their_family_so_a_rare_phrasing_shares_a_common_weight() -> None:
    frames = task_frames("So my boss was like, can you sort that out by Friday")
    assert "frame:family_assignment" in frames and "frame:family_bound" in frames
    assert "frame:families_2" in frames
    assert task_frames("I rewrote the cache.") == []
    assert task_reads("frame:family_goal", "families")
    assert not task_reads("frame:family_goal", "shapes")
    assert task_reads("frame:shape_limit", "families")
