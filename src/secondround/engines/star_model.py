"""A small learned model that tells which STAR parts each sentence of an answer carries.

Why a model
-----------
The hand-written cue rules in :mod:`secondround.engines.answers` were tuned on answers by one
writer and lost 10 to 30 points of F1 on answers by others. This module scores each
sentence with four independent logistic regressions (one per part) over sparse features:
its words and word pairs, word endings (tense and verb forms), and the rule cues of the
sentence and its neighbours, so the rules become evidence the model weighs rather than
verdicts. It is trained on a corpus by forty different writers
(``benchmarks/data/answers/``) by ``scripts/train_answer_model.py`` and judged by
leaving one writer out (``benchmarks/answers.py``).

The model
---------
For a sentence with binary features :math:`x` (a feature present counts 1, absent 0), the
probability that it carries part :math:`p` is

.. math:: P(p \\mid x) = \\sigma(b_p + \\sum_f w_{p,f} x_f), \\qquad
          \\sigma(z) = 1 / (1 + e^{-z}),

and the sentence carries :math:`p` when that probability reaches the model's threshold.
Features never seen in training have no weight. The weights ship as JSON
(``data/star_model.json``): a shared feature list, one weight list per part, a bias per part
and the threshold; loading takes a few milliseconds and nothing is trained at run time.
"""

from __future__ import annotations

import itertools
import json
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

__all__ = [
    "MODEL_PATH",
    "PARTS",
    "StarModel",
    "TaskContext",
    "context_features",
    "decide_task",
    "load_model",
]

#: The four STAR parts, each with its own classifier.
PARTS = ("situation", "task", "action", "result")
#: Where the shipped weights live.
MODEL_PATH = Path(__file__).parent / "data" / "star_model.json"


def context_features(first: Sequence[Mapping[str, float]]) -> list[dict[str, float]]:
    """What the second (task) pass reads about each sentence's place in its answer.

    A task is told between the scene and the first step, and an answer rarely states
    more than one or two, so the second pass sees, besides the sentence's own features,
    its neighbours' first-pass part probabilities, whether a step was already told
    before it or is told after it, whether a scene was set before it, where it sits, and
    how its own first-pass task probability compares with the answer's other sentences'.

    Parameters
    ----------
    first : sequence of mapping of str to float
        The first pass's probability of each part, one mapping per sentence, in order.

    Returns
    -------
    list of dict of str to float
        Named numeric features per sentence (``ctx:NAME``).
    """
    count = len(first)
    tasks = [p["task"] for p in first]
    rows = []
    for index in range(count):
        row: dict[str, float] = {}
        if index:
            row.update({f"ctx:prev_{part}": first[index - 1][part] for part in PARTS})
        else:
            row["ctx:is_first"] = 1.0
        if index + 1 < count:
            row.update({f"ctx:next_{part}": first[index + 1][part] for part in PARTS})
        else:
            row["ctx:is_last"] = 1.0
        earlier, later = first[:index], first[index + 1 :]
        row["ctx:action_before"] = max((p["action"] for p in earlier), default=0.0)
        row["ctx:situation_before"] = max((p["situation"] for p in earlier), default=0.0)
        row["ctx:action_after"] = max((p["action"] for p in later), default=0.0)
        row["ctx:position"] = index / (count - 1) if count > 1 else 0.0
        others = tasks[:index] + tasks[index + 1 :]
        row["ctx:other_task"] = max(others, default=0.0)
        row["ctx:best_task"] = 1.0 if tasks[index] >= max(others, default=0.0) else 0.0
        rows.append(row)
    return rows


def decide_task(
    probabilities: Sequence[float],
    first: Sequence[Mapping[str, float]],
    threshold: float,
    fallback: float,
) -> list[bool]:
    """One answer's task decisions from its second-pass probabilities (see TaskContext).

    Parameters
    ----------
    probabilities : sequence of float
        The second pass's task probability per sentence.
    first : sequence of mapping of str to float
        The first pass's part probabilities per sentence (for "has a scene and a step").
    threshold, fallback : float
        As in :class:`TaskContext`.
    """
    chosen = [p >= threshold for p in probabilities]
    if any(chosen) or not probabilities or fallback >= 1.0:
        return chosen
    framed = any(p["situation"] >= 0.5 for p in first) and any(p["action"] >= 0.5 for p in first)
    best = max(range(len(probabilities)), key=probabilities.__getitem__)
    if framed and probabilities[best] >= fallback:
        chosen[best] = True
    return chosen


@dataclass(frozen=True)
class TaskContext:
    """The second pass that decides which sentences carry a task.

    A logistic regression over the sentence's own features (those the first pass's task
    classifier reads) and :func:`context_features` (trained on first-pass probabilities
    predicted out of fold, by writer), then one decision per answer: the
    sentences at or above ``threshold`` carry a task; when none does, the best candidate
    does if it reaches ``fallback`` and the first pass found both a scene and a step (a
    story that has the frame a goal sits in). ``fallback`` 1.0 or more turns that off.

    Attributes
    ----------
    weights : dict of str to float
        Weight of each feature: binary sentence features and numeric ``ctx:`` ones.
    bias : float
        The intercept.
    threshold : float
        Probability at or above which a sentence carries a task.
    fallback : float
        Lower probability for the answer's best candidate when none reaches ``threshold``.
    """

    weights: Mapping[str, float]
    bias: float
    threshold: float = 0.5
    fallback: float = 1.0

    def probabilities(
        self, sentences: Sequence[Iterable[str]], first: Sequence[Mapping[str, float]]
    ) -> list[float]:
        """The second pass's task probability for each sentence of one answer.

        Parameters
        ----------
        sentences : sequence of iterable of str
            Each sentence's feature names (the first pass's).
        first : sequence of mapping of str to float
            The first pass's part probabilities per sentence.
        """
        out = []
        for names, row in zip(sentences, context_features(first), strict=True):
            score = self.bias + sum(self.weights.get(name, 0.0) for name in set(names))
            score += sum(self.weights.get(name, 0.0) * value for name, value in row.items())
            out.append(1.0 / (1.0 + math.exp(-max(-60.0, min(60.0, score)))))
        return out

    def decide(
        self, sentences: Sequence[Iterable[str]], first: Sequence[Mapping[str, float]]
    ) -> list[bool]:
        """Which sentences of one answer carry a task (see the class)."""
        probabilities = self.probabilities(sentences, first)
        return decide_task(probabilities, first, self.threshold, self.fallback)

    def to_json(self) -> dict[str, object]:
        return {
            "bias": round(self.bias, 5),
            "threshold": self.threshold,
            "fallback": self.fallback,
            "weights": {name: round(w, 4) for name, w in sorted(self.weights.items())},
        }

    @classmethod
    def from_json(cls, data: Mapping[str, object]) -> TaskContext:
        weights, bias = data["weights"], data["bias"]
        threshold, fallback = data["threshold"], data["fallback"]
        if not isinstance(weights, dict) or not isinstance(bias, (int, float)):
            raise ValueError("STAR model: task context weights must be a mapping")
        if not isinstance(threshold, (int, float)) or not isinstance(fallback, (int, float)):
            raise ValueError("STAR model: task context thresholds must be numbers")
        return cls(
            weights={str(n): float(w) for n, w in weights.items()},
            bias=float(bias),
            threshold=float(threshold),
            fallback=float(fallback),
        )


@dataclass(frozen=True)
class StarModel:
    """Fitted weights for the four per-part sentence classifiers.

    Attributes
    ----------
    weights : dict of str to dict of str to float
        Per part, the weight of each feature (features without weight are absent).
    bias : dict of str to float
        Per part, the intercept.
    threshold : float
        Probability at or above which a sentence carries a part.
    task_context : TaskContext or None
        The second pass that decides the task from the first pass's probabilities of
        the whole answer; None to let the first pass decide task like the other parts.
    """

    weights: Mapping[str, Mapping[str, float]]
    bias: Mapping[str, float]
    threshold: float = 0.5
    task_context: TaskContext | None = None

    def probabilities(self, features: Iterable[str]) -> dict[str, float]:
        """Probability of each part for one sentence's features.

        Parameters
        ----------
        features : iterable of str
            The sentence's feature names (duplicates count once).

        Returns
        -------
        dict of str to float
            One probability in 0..1 per part.
        """
        present = set(features)
        result = {}
        for part in PARTS:
            weights = self.weights[part]
            score = self.bias[part] + sum(weights.get(name, 0.0) for name in present)
            result[part] = 1.0 / (1.0 + math.exp(-max(-60.0, min(60.0, score))))
        return result

    def parts(self, features: Iterable[str]) -> frozenset[str]:
        """The parts one sentence carries (probability at or above the threshold)."""
        return frozenset(
            part for part, p in self.probabilities(features).items() if p >= self.threshold
        )

    def label(self, sentences: Sequence[Iterable[str]]) -> list[frozenset[str]]:
        """The parts each sentence of one answer carries, the task by the second pass
        when the model has one.

        Parameters
        ----------
        sentences : sequence of iterable of str
            Each sentence's feature names, in the answer's order.
        """
        sentences = [list(names) for names in sentences]
        first = [self.probabilities(names) for names in sentences]
        labelled = [
            frozenset(p for p, v in probs.items() if v >= self.threshold) for probs in first
        ]
        if self.task_context is None:
            return labelled
        tasks = self.task_context.decide(sentences, first)
        return [
            (parts | {"task"}) if task else (parts - {"task"})
            for parts, task in zip(labelled, tasks, strict=True)
        ]

    def to_json(self) -> dict[str, object]:
        """The weights in the shipped file's shape (one shared, sorted feature list)."""
        names = sorted({name for part in PARTS for name in self.weights[part]})
        context = {} if self.task_context is None else {"task_context": self.task_context.to_json()}
        return {
            "format": 2 if context else 1,
            **context,
            "threshold": self.threshold,
            "bias": {part: round(self.bias[part], 5) for part in PARTS},
            "features": names,
            "weights": {
                part: [round(self.weights[part].get(name, 0.0), 4) for name in names]
                for part in PARTS
            },
        }

    @classmethod
    def from_json(cls, data: Mapping[str, object]) -> StarModel:
        """Rebuild a model from :meth:`to_json`'s shape, checking it is complete.

        Raises
        ------
        ValueError
            If the data lacks a part, or a weight list does not match the feature list.
        """
        if data.get("format") not in (1, 2):
            raise ValueError("unknown STAR model format")
        context = data.get("task_context")
        if (data["format"] == 2) != isinstance(context, dict):
            raise ValueError("STAR model: format 2 and a task context go together")
        names = data["features"]
        weights = data["weights"]
        bias = data["bias"]
        threshold = data["threshold"]
        if not isinstance(names, list) or not isinstance(weights, dict):
            raise ValueError("STAR model: features must be a list, weights a mapping")
        if not isinstance(bias, dict) or not isinstance(threshold, (int, float)):
            raise ValueError("STAR model: bias must be a mapping, threshold a number")
        parsed: dict[str, dict[str, float]] = {}
        for part in PARTS:
            values = weights.get(part)
            if not isinstance(values, list) or len(values) != len(names):
                raise ValueError(f"STAR model: weights for {part} do not match the features")
            parsed[part] = {n: float(w) for n, w in zip(names, values, strict=True) if w}
        return cls(
            weights=parsed,
            bias={part: float(bias[part]) for part in PARTS},
            threshold=float(threshold),
            task_context=TaskContext.from_json(context) if isinstance(context, dict) else None,
        )


@cache
def load_model(path: Path = MODEL_PATH) -> StarModel:
    """The shipped model, read once per process.

    Parameters
    ----------
    path : Path, optional
        A weights file in :meth:`StarModel.to_json`'s shape; the shipped one by default.

    Returns
    -------
    StarModel
    """
    return StarModel.from_json(json.loads(path.read_text(encoding="utf-8")))


def sentence_shape_features(words: Sequence[str]) -> list[str]:
    """Word, word-pair and word-ending features of one sentence.

    There is deliberately no position feature: with one, the model learns that the last
    sentence is a result, true of most answers and exactly wrong for those that lack one
    (position features lowered F1 on the old one-writer corpus, used for such choices).

    Parameters
    ----------
    words : sequence of str
        The sentence's words, lower-cased.

    Returns
    -------
    list of str
        Feature names; digits are folded to ``0`` so "40" and "75" share a feature.
    """
    folded = ["".join("0" if ch.isdigit() else ch for ch in w) for w in words]
    features = [f"w:{w}" for w in folded]
    padded = ["<s>", *folded, "</s>"]
    features += [f"b:{a}_{b}" for a, b in itertools.pairwise(padded)]
    features += [f"end:{w[-3:]}" for w in folded if len(w) > 4]
    features.append(f"first:{padded[1]}" if len(padded) > 2 else "first:")
    return features
