"""A small learned model that tells which STAR parts each sentence of an answer carries.

Why a model
-----------
The hand-written cue rules in :mod:`secondround.engines.answers` were tuned on answers by one
writer and lost 10 to 30 points of F1 on answers by others. This module scores each
sentence with four independent logistic regressions (one per part) over sparse features:
its words and word pairs, word endings (tense and verb forms), and the rule cues of the
sentence and its neighbours, so the rules become evidence the model weighs rather than
verdicts. It is trained on a corpus by nine different writers
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

__all__ = ["MODEL_PATH", "PARTS", "StarModel", "load_model"]

#: The four STAR parts, each with its own classifier.
PARTS = ("situation", "task", "action", "result")
#: Where the shipped weights live.
MODEL_PATH = Path(__file__).parent / "data" / "star_model.json"


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
    """

    weights: Mapping[str, Mapping[str, float]]
    bias: Mapping[str, float]
    threshold: float = 0.5

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

    def to_json(self) -> dict[str, object]:
        """The weights in the shipped file's shape (one shared, sorted feature list)."""
        names = sorted({name for part in PARTS for name in self.weights[part]})
        return {
            "format": 1,
            "threshold": self.threshold,
            "bias": {part: round(self.bias[part], 5) for part in PARTS},
            "features": names,
            "weights": {
                part: [round(self.weights[part].get(name, 0.0), 5) for name in names]
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
        if data.get("format") != 1:
            raise ValueError("unknown STAR model format")
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
