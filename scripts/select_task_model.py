"""Choose the task classifier's settings by nested leave-one-writer-out cross-validation.

Run: ``.venv/bin/python scripts/select_task_model.py`` (a few minutes on one core).

The benchmark's leave-one-writer-out (LOWO) score is the test set, so settings must not be
chosen by it. Here, for each held-out writer, every candidate setting is scored by an
inner LOWO over the other writers only (pooled answer-level task F1); the best is
refitted on those and tested once on the held-out writer. The pooled outer results
are an honest estimate of the whole procedure. Finally the same selection over all
writers gives the settings to ship (``TASK_C``, ``TASK_THRESHOLD`` and whether the task
frames are used, in ``scripts/train_answer_model.py``).

Candidates: the phrase frames only, with the goal-line shapes (``frame:shape_*``) too, or
with the sentence's position (``frame:pos_*``) as well (``task_reads`` in
``train_answer_model.py``); C in {0.3, 1}; a probability threshold in {0.3, 0.4, 0.5,
0.6}. (Without any frame was never chosen on the first nine writers, so it is no longer
tried.)
"""

from __future__ import annotations

import itertools
import sys
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from sklearn.feature_extraction import DictVectorizer
from sklearn.linear_model import LogisticRegression
from train_answer_model import (
    CLASS_WEIGHT,
    MIN_COUNT,
    labelled_pieces,
    load_corpus,
    task_reads,
)

from secondround.engines.answers import star_features

#: Which ``frame:`` features the task classifier reads (see ``_rows``).
FRAMES = ("phrases", "shapes", "position")
CS = (0.3, 1.0)
THRESHOLDS = (0.3, 0.4, 0.5, 0.6)


@dataclass(frozen=True)
class Sentence:
    writer: str
    answer: str
    features: tuple[str, ...]
    task: bool


def sentences() -> list[Sentence]:
    out = []
    for row in load_corpus():
        texts, labels = labelled_pieces(row)
        for names, parts in zip(star_features(texts), labels, strict=True):
            out.append(Sentence(row["writer"], row["id"], tuple(names), "task" in parts))
    return out


def _rows(data: Sequence[Sentence], frames: str) -> list[list[str]]:
    return [[n for n in s.features if task_reads(n, frames)] for s in data]


def task_probabilities(
    train: Sequence[Sentence], test: Sequence[Sentence], frames: str, c: float
) -> np.ndarray:
    """Fit the task classifier as the training script does; its probabilities on test."""
    rows = _rows(train, frames)
    counts = Counter(n for names in rows for n in set(names))
    vectorizer = DictVectorizer()
    matrix = vectorizer.fit_transform(
        [{n: 1 for n in names if counts[n] >= MIN_COUNT} for names in rows]
    ).tocsr()
    matrix.indices = matrix.indices.astype(np.int32)
    matrix.indptr = matrix.indptr.astype(np.int32)
    classifier = LogisticRegression(
        C=c, class_weight=CLASS_WEIGHT, solver="liblinear", max_iter=1000
    )
    classifier.fit(matrix, [s.task for s in train])
    test_matrix = vectorizer.transform([{n: 1 for n in names} for names in _rows(test, frames)])
    return classifier.predict_proba(test_matrix)[:, 1]


def answer_f1(data: Sequence[Sentence], probabilities: np.ndarray, threshold: float) -> float:
    """Answer-level task F1: an answer has a task when any sentence reaches the threshold."""
    truth: dict[str, bool] = {}
    guess: dict[str, bool] = {}
    for sentence, p in zip(data, probabilities, strict=True):
        truth[sentence.answer] = truth.get(sentence.answer, False) or sentence.task
        guess[sentence.answer] = guess.get(sentence.answer, False) or p >= threshold
    tp = sum(truth[a] and guess[a] for a in truth)
    wrong = sum(truth[a] != guess[a] for a in truth)
    return 2 * tp / (2 * tp + wrong) if tp else 0.0


def lowo(data: Sequence[Sentence], frames: str, c: float) -> tuple[list[Sentence], np.ndarray]:
    """Pooled leave-one-writer-out task probabilities over the given writers."""
    ordered: list[Sentence] = []
    parts = []
    for writer in sorted({s.writer for s in data}):
        test = [s for s in data if s.writer == writer]
        train = [s for s in data if s.writer != writer]
        ordered += test
        parts.append(task_probabilities(train, test, frames, c))
    return ordered, np.concatenate(parts)


def select(data: Sequence[Sentence]) -> tuple[float, str, float, float]:
    """(inner F1, frames, C, threshold) of the best candidate by LOWO over ``data``."""
    best: tuple[float, str, float, float] | None = None
    for frames, c in itertools.product(FRAMES, CS):
        ordered, probabilities = lowo(data, frames, c)
        for threshold in THRESHOLDS:
            f1 = answer_f1(ordered, probabilities, threshold)
            if best is None or f1 > best[0] + 1e-9:  # ties keep the simpler, earlier one
                best = (f1, frames, c, threshold)
    assert best is not None
    return best


def main() -> int:
    data = sentences()
    writers = sorted({s.writer for s in data})
    pooled: list[Sentence] = []
    decisions = []
    for writer in writers:
        inner = [s for s in data if s.writer != writer]
        test = [s for s in data if s.writer == writer]
        f1, frames, c, threshold = select(inner)
        probabilities = task_probabilities(inner, test, frames, c)
        decisions.append((probabilities >= threshold).astype(float))
        pooled += test
        outer = answer_f1(test, probabilities, threshold)
        print(
            f"held out {writer:<12} chose frames={frames} C={c:g} "
            f"threshold={threshold} (inner F1 {f1:.3f}); task F1 on {writer}: {outer:.3f}",
            flush=True,
        )
    nested = answer_f1(pooled, np.concatenate(decisions), 0.5)
    print(f"nested leave-one-writer-out task F1 (answer level, pooled): {nested:.3f}")
    f1, frames, c, threshold = select(data)
    print(
        f"to ship (selected over all {len(writers)} writers): frames={frames} "
        f"C={c:g} threshold={threshold} (LOWO F1 {f1:.3f}, optimistic: it chose the settings)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
