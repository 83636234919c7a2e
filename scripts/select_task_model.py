"""Choose the task classifier's settings by nested leave-one-writer-out cross-validation.

Run: ``.venv/bin/python scripts/select_task_model.py`` (about two CPU minutes) for the
task's second pass (``CONTEXT_*``), ``--first-pass`` for the first pass's task classifier
(``TASK_*``, about a minute and a half).

The benchmark's leave-one-writer-out (LOWO) score is the test set, so settings must not be
chosen by it. Here, for each held-out writer, every candidate setting is scored by an
inner cross-validation over the other writers only, holding out groups of writers
(``writer_groups`` in the training script; pooled answer-level task F1); the best is
refitted on those and tested once on the held-out writer. The pooled outer results
are an honest estimate of the whole procedure. Finally the same selection over all
writers gives the settings to ship (``TASK_C``, ``TASK_THRESHOLD`` and whether the task
frames are used, in ``scripts/train_answer_model.py``).

First-pass candidates: the goal-line shapes (``frame:shape_*``), with the sentence's
position (``frame:pos_*``) or with the frames' families (``frame:family_*``) as well
(``task_reads`` in ``train_answer_model.py``); C in {0.3, 1}; a probability threshold in
{0.3, 0.4, 0.5, 0.6}. (Without any frame, and the phrase frames alone, were never chosen
on earlier corpora, so they are no longer tried.)

Second-pass candidates (the first pass fixed at the shipped settings): C in {0.3, 1, 3};
frames "shapes" or "families"; threshold in {0.5, 0.6, 0.7, 0.8}; and the answer-level
fallback (the best candidate of a story with a scene and a step when no sentence passes)
off or at 0.3. The second pass trains on out-of-fold first-pass probabilities: in an
outer fold, by first passes fitted on the training writers minus each one in turn.
"""

from __future__ import annotations

import dataclasses
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
    CONTEXT_C,
    CONTEXT_FALLBACK,
    CONTEXT_FRAMES,
    CONTEXT_THRESHOLD,
    MIN_COUNT,
    SHIPPED_FIRST_PASS,
    Labelled,
    fit_first_pass,
    fit_task_context,
    labelled_answers,
    labelled_pieces,
    load_corpus,
    out_of_fold,
    task_reads,
    writer_groups,
)

from secondround.engines.answers import star_features
from secondround.engines.star_model import decide_task

#: Which ``frame:`` features the task classifier reads (see ``_rows``).
FRAMES = ("shapes", "position", "families")
CS = (0.3, 1.0)
THRESHOLDS = (0.3, 0.4, 0.5, 0.6)
#: The second (task) pass's candidates: C, threshold, and the fallback for an answer's
#: best candidate when none passes (1.0 = no fallback; tried first, so ties keep it off).
CONTEXT_CS = (0.3, 1.0, 3.0)
CONTEXT_FRAME_SETS = ("shapes", "families")
CONTEXT_THRESHOLDS = (0.5, 0.6, 0.7, 0.8)
CONTEXT_FALLBACKS = (1.0, 0.3)


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


ContextSetting = tuple[float, str, float, float]


def task_truth(answers: Sequence[Labelled]) -> list[bool]:
    return [any("task" in parts for parts in a.labels) for a in answers]


def pair_f1(truth: Sequence[bool], guess: Sequence[bool]) -> float:
    tp = sum(t and g for t, g in zip(truth, guess, strict=True))
    wrong = sum(t != g for t, g in zip(truth, guess, strict=True))
    return 2 * tp / (2 * tp + wrong) if tp else 0.0


def context_guesses(
    probabilities: Sequence[Sequence[float]],
    first: Sequence[Sequence[dict[str, float]]],
    threshold: float,
    fallback: float,
) -> list[bool]:
    """Per answer, whether the second pass finds a task."""
    return [
        any(decide_task(p, f, threshold, fallback))
        for p, f in zip(probabilities, first, strict=True)
    ]


def select_context(
    first: Sequence[Sequence[dict[str, float]]], answers: Sequence[Labelled]
) -> tuple[float, ContextSetting]:
    """(inner F1, (C, frames, threshold, fallback)) of the best second-pass setting by LOWO over
    the given answers, whose first-pass probabilities ``first`` are out of fold.

    (Those probabilities came from first passes that saw every writer but the answer's
    own, so an inner held-out writer was seen by the first passes of the others' inputs:
    a small leak of that writer into the second pass's *inputs*, never of its labels.)
    """
    truth = task_truth(answers)
    best: tuple[float, ContextSetting] | None = None
    for c, frames in itertools.product(CONTEXT_CS, CONTEXT_FRAME_SETS):
        probabilities: list[list[float]] = [[] for _ in answers]
        for group in writer_groups(a.writer for a in answers):
            inside = [i for i, a in enumerate(answers) if a.writer not in group]
            context = fit_task_context(
                [first[i] for i in inside], [answers[i] for i in inside], c=c, frames=frames
            )
            for i, answer in enumerate(answers):
                if answer.writer in group:
                    probabilities[i] = context.probabilities(answer.features, first[i])
        for threshold, fallback in itertools.product(CONTEXT_THRESHOLDS, CONTEXT_FALLBACKS):
            f1 = pair_f1(truth, context_guesses(probabilities, first, threshold, fallback))
            if best is None or f1 > best[0] + 1e-9:
                best = (f1, (c, frames, threshold, fallback))
    assert best is not None
    return best


@dataclass
class NestedContext:
    """Outer leave-one-writer-out folds of the two-pass model, in the answers' order:
    per answer, the sentence labels of the first pass alone and of the two-pass model
    with the shipped settings, and whether the two-pass model with settings selected on
    the other writers only (nested) finds a task."""

    first_only: list[list[frozenset[str]]]
    shipped: list[list[frozenset[str]]]
    nested: list[bool]
    choices: dict[str, tuple[float, ContextSetting, float]]


def as_sentences(answers: Sequence[Labelled]) -> list[Sentence]:
    """The answers' sentences in the first-pass selection's shape."""
    return [
        Sentence(a.writer, str(index), tuple(names), "task" in parts)
        for index, a in enumerate(answers)
        for names, parts in zip(a.features, a.labels, strict=True)
    ]


def nested_context(
    answers: Sequence[Labelled],
    shipped: ContextSetting,
    *,
    select_first_pass: bool = False,
    verbose: bool = False,
) -> NestedContext:
    """Per held-out writer: the first pass on the others, the second pass on their
    out-of-fold probabilities, with the shipped settings and with settings selected on
    the others only (nested). Both decide the held-out writer's answers.

    With ``select_first_pass`` the first pass's task settings are chosen inside each
    fold too (on the others only, as ``--first-pass`` does), so that no setting of the
    nested model was chosen with the held-out writer in view ("fully nested")."""
    count = len(answers)
    result = NestedContext([[]] * count, [[]] * count, [False] * count, {})
    for writer in sorted({a.writer for a in answers}):
        train = [a for a in answers if a.writer != writer]
        test = [i for i, a in enumerate(answers) if a.writer == writer]
        setting = SHIPPED_FIRST_PASS
        if select_first_pass:
            _, frames, c, threshold = select(as_sentences(train))
            setting = (frames, c, threshold)
        oof = out_of_fold(train, setting)
        first = fit_first_pass(train, setting)
        inner_f1, chosen = select_context(oof, train)
        for setting in (shipped, chosen):
            c, frames, threshold, fallback = setting
            context = fit_task_context(oof, train, c=c, frames=frames)
            model = dataclasses.replace(
                first,
                task_context=dataclasses.replace(context, threshold=threshold, fallback=fallback),
            )
            for i in test:
                labels = model.label(answers[i].features)
                if setting is chosen:
                    result.nested[i] = any("task" in parts for parts in labels)
                if setting is shipped:
                    result.shipped[i] = labels
        for i in test:
            result.first_only[i] = [first.parts(names) for names in answers[i].features]
        outer = pair_f1(task_truth([answers[i] for i in test]), [result.nested[i] for i in test])
        result.choices[writer] = (inner_f1, chosen, outer)
        if verbose:
            c, frames, threshold, fallback = chosen
            print(
                f"held out {writer:<12} chose C={c:g} frames={frames} threshold={threshold} "
                f"fallback={fallback} (inner F1 {inner_f1:.3f}); task F1 on {writer}: {outer:.3f}",
                flush=True,
            )
    return result


def main_context(*, fully_nested: bool = False) -> int:
    """Nested selection of the second (task) pass, then the settings to ship."""
    answers = labelled_answers(load_corpus())
    shipped = (CONTEXT_C, CONTEXT_FRAMES, CONTEXT_THRESHOLD, CONTEXT_FALLBACK)
    result = nested_context(answers, shipped, select_first_pass=fully_nested, verbose=True)
    print(
        f"{'fully ' if fully_nested else ''}nested leave-one-writer-out task F1 "
        f"(answer level, pooled): {pair_f1(task_truth(answers), result.nested):.3f}"
    )
    if fully_nested:
        return 0
    f1, (c, frames, threshold, fallback) = select_context(out_of_fold(answers), answers)
    print(
        f"to ship (selected over all writers): C={c:g} frames={frames} threshold={threshold} "
        f"fallback={fallback} (LOWO F1 {f1:.3f}, optimistic: it chose the settings)"
    )
    return 0


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
    if "--first-pass" in sys.argv[1:]:
        sys.exit(main())
    sys.exit(main_context(fully_nested="--fully-nested" in sys.argv[1:]))
