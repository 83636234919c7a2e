"""Train the STAR sentence model and write the weights the package ships.

Run: ``.venv/bin/python scripts/train_answer_model.py`` (about ten seconds). It reads every
writer in ``benchmarks/data/answers/*.jsonl``, fits one logistic regression per STAR part
over the features of :func:`secondround.engines.answers.star_features` (the first pass),
then the task's second pass (:class:`secondround.engines.star_model.TaskContext`) on the
first-pass probabilities of models that never saw the answer's writer (out of fold), and
writes ``src/secondround/engines/data/star_model.json``. ``--check`` only reports whether the
shipped file matches what training would write now.

The benchmark (``benchmarks/answers.py``) imports :func:`fit` from here to train the
leave-one-writer-out models, so the shipped model and the measured ones are made the
same way.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import math
import sys
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

import numpy as np
from sklearn.feature_extraction import DictVectorizer
from sklearn.linear_model import LogisticRegression

from secondround.engines.answers import split_sentences, star_features
from secondround.engines.star_model import (
    MODEL_PATH,
    PARTS,
    StarModel,
    TaskContext,
    context_features,
)

ROOT = Path(__file__).resolve().parent.parent
CORPUS_DIR = ROOT / "benchmarks" / "data" / "answers"
#: Inverse regularisation strength, chosen once on the old one-writer corpus
#: (benchmarks/data/answers_corpus.jsonl), never on the leave-one-writer-out score: 0.3, 1
#: and 3 were tried there and differed by less than 0.003 in mean F1, so 1 was kept.
C = 1.0
#: Rare parts (a task is told in one sentence of twenty) weigh as much as common ones.
#: Chosen on the old corpus like C: "balanced" raised task F1 there from 0.85 to 0.91.
CLASS_WEIGHT = "balanced"
#: Features only the task classifier reads: the task frames
#: (:func:`secondround.engines.answers.task_frames`). The other three parts are trained
#: exactly as before, so adding them cannot change situation, action or result.
TASK_ONLY_PREFIXES = ("frame:",)
#: Which of the task frames the task classifier reads: "phrases" (the phrase frames),
#: "shapes" (and the goal-line shapes, ``frame:shape_*``), "position" (shapes and where
#: the sentence sits, ``frame:pos_*``) or "families" (shapes and the frames' families,
#: ``frame:family_*``). Chosen by nested cross-validation like TASK_C.
TASK_FRAMES = "families"
#: The task classifier's own C and probability threshold, chosen by nested
#: leave-one-writer-out cross-validation (``scripts/select_task_model.py``; see
#: docs/answers.md). The threshold is folded into the task bias, so the shipped file keeps
#: one threshold of 0.5 for every part.
TASK_C = 0.3
TASK_THRESHOLD = 0.6
#: The second (task) pass: its C, threshold and fallback (see
#: :class:`secondround.engines.star_model.TaskContext`), chosen by cross-validation over
#: the writers (``scripts/select_task_model.py``; on forty writers: C 0.3, the goal-line
#: shapes, threshold 0.7).
CONTEXT_C = 0.3
#: Which task frames the second pass reads (see :func:`task_reads`): "shapes" or
#: "families".
CONTEXT_FRAMES = "shapes"
CONTEXT_THRESHOLD = 0.7
CONTEXT_FALLBACK = 1.0
#: A feature must occur in at least this many training sentences to get a weight. Three
#: (two before the corpus grew to forty writers) keeps the shipped file near 1 MB; the
#: first pass's leave-one-writer-out task F1 was the same with either (0.857 vs 0.856).
MIN_COUNT = 3
#: Weights smaller than this are dropped from the shipped file (they change no decision).
PRUNE_BELOW = 0.01
#: Inner cross-fitting (out-of-fold first-pass probabilities, the second pass's selection)
#: holds out groups of writers rather than one writer at a time: with dozens of writers,
#: one fold per writer inside every outer fold costs hours; groups keep it to minutes, and
#: a group's writers are still never seen by the model that scores them.
INNER_FOLDS = 6


def writer_groups(writers: Iterable[str], folds: int = INNER_FOLDS) -> list[list[str]]:
    """The writers dealt round-robin into at most ``folds`` groups, in sorted order (one
    writer per group when there are no more writers than groups)."""
    ordered = sorted(set(writers))
    return [group for group in (ordered[i::folds] for i in range(folds)) if group]


def load_corpus(directory: Path = CORPUS_DIR) -> list[dict]:
    """Every labelled answer of every writer, in file order."""
    rows = []
    for path in sorted(directory.glob("*.jsonl")):
        rows += [json.loads(line) for line in path.read_text("utf-8").splitlines() if line]
    return rows


def labelled_pieces(row: dict) -> tuple[list[str], list[frozenset[str]]]:
    """The answer's sentences as the analysis splits them, each with its line's labels.

    A labelled line can hold two sentences ("Ran two briefings. Sat with each driver.");
    both inherit the line's parts, so training sees what analysis will see.
    """
    sentences: list[str] = []
    labels: list[frozenset[str]] = []
    for line in row["sentences"]:
        for piece in split_sentences(line["text"]) or [line["text"]]:
            sentences.append(piece)
            labels.append(frozenset(line["parts"]))
    return sentences, labels


def sentence_rows(rows: Iterable[dict]) -> tuple[list[list[str]], list[frozenset[str]]]:
    features: list[list[str]] = []
    labels: list[frozenset[str]] = []
    for row in rows:
        sentences, parts = labelled_pieces(row)
        features += star_features(sentences)
        labels += parts
    return features, labels


@dataclasses.dataclass(frozen=True)
class Labelled:
    """One answer as training sees it: its writer, features and labels per sentence."""

    writer: str
    features: list[list[str]]
    labels: list[frozenset[str]]


def labelled_answers(rows: Iterable[dict]) -> list[Labelled]:
    answers = []
    for row in rows:
        sentences, labels = labelled_pieces(row)
        answers.append(Labelled(row["writer"], star_features(sentences), labels))
    return answers


def fit(rows: Sequence[dict]) -> StarModel:
    """Fit the model the package ships on the given answers: the first pass on all of
    them, the task's second pass on first-pass probabilities predicted out of fold.

    Parameters
    ----------
    rows : sequence of dict
        Corpus answers (``writer``, ``sentences`` with their ``parts``).

    Returns
    -------
    StarModel
    """
    answers = labelled_answers(rows)
    first = fit_first_pass(answers)
    context = fit_task_context(out_of_fold(answers), answers)
    return dataclasses.replace(first, task_context=context)


#: The first pass's task settings: frames, C and threshold (TASK_FRAMES, TASK_C,
#: TASK_THRESHOLD unless a fully nested selection chooses others inside a fold).
FirstPassSetting = tuple[str, float, float]
SHIPPED_FIRST_PASS: FirstPassSetting = (TASK_FRAMES, TASK_C, TASK_THRESHOLD)


def fit_first_pass(
    answers: Sequence[Labelled], setting: FirstPassSetting = SHIPPED_FIRST_PASS
) -> StarModel:
    """The four per-part sentence classifiers (the first pass) on the given answers."""
    frames, task_c, task_threshold = setting
    return fit_sentences(
        [names for a in answers for names in a.features],
        [parts for a in answers for parts in a.labels],
        task_c=task_c,
        task_threshold=task_threshold,
        task_frames=frames,
    )


def first_pass(model: StarModel, answer: Labelled) -> list[dict[str, float]]:
    """The first pass's part probabilities for each sentence of one answer."""
    return [model.probabilities(names) for names in answer.features]


def out_of_fold(
    answers: Sequence[Labelled], setting: FirstPassSetting = SHIPPED_FIRST_PASS
) -> list[list[dict[str, float]]]:
    """First-pass probabilities for every answer by a first pass that never saw its
    writer (cross-fitted by groups of writers, :func:`writer_groups`), so the second pass trains on probabilities as
    unsure as the ones it will meet on a new writer, not on in-sample ones."""
    out: list[list[dict[str, float]] | None] = [None] * len(answers)
    for group in writer_groups(a.writer for a in answers):
        model = fit_first_pass([a for a in answers if a.writer not in group], setting)
        for index, answer in enumerate(answers):
            if answer.writer in group:
                out[index] = first_pass(model, answer)
    return [probabilities for probabilities in out if probabilities is not None]


def fit_task_context(
    first: Sequence[Sequence[dict[str, float]]],
    answers: Sequence[Labelled],
    *,
    c: float = CONTEXT_C,
    frames: str = CONTEXT_FRAMES,
    threshold: float = CONTEXT_THRESHOLD,
    fallback: float = CONTEXT_FALLBACK,
) -> TaskContext:
    """The task's second pass, trained on the answers' own features and their
    (out-of-fold) first-pass probabilities ``first``."""
    sentences = [names for a in answers for names in a.features]
    counts = Counter(name for names in sentences for name in set(names))
    contexts = [row for probabilities in first for row in context_features(probabilities)]
    rows = [
        {**{n: 1.0 for n in names if counts[n] >= MIN_COUNT and task_reads(n, frames)}, **context}
        for names, context in zip(sentences, contexts, strict=True)
    ]
    target = ["task" in parts for a in answers for parts in a.labels]
    weights, bias = _fit_part(rows, target, c)
    return TaskContext(
        weights=weights,
        bias=bias,
        threshold=threshold,
        fallback=fallback,
    )


def task_reads(name: str, frames: str = TASK_FRAMES) -> bool:
    """Whether the task classifier reads feature ``name`` under the frame setting
    ``frames`` ("off", "phrases", "shapes" or "position"; see TASK_FRAMES)."""
    if not name.startswith("frame:"):
        return True
    if name.startswith("frame:pos_"):
        return frames == "position"
    if name.startswith(("frame:family_", "frame:families_")):
        return frames == "families"
    if name.startswith("frame:shape_"):
        return frames in ("shapes", "position", "families")
    return frames != "off"


def fit_sentences(
    features: Sequence[Sequence[str]],
    labels: Sequence[frozenset[str]],
    *,
    c: float = C,
    task_c: float = TASK_C,
    task_threshold: float = TASK_THRESHOLD,
    task_frames: str = TASK_FRAMES,
) -> StarModel:
    """Fit the classifiers on sentences already turned into features (see :func:`fit`)."""
    counts = Counter(name for names in features for name in set(names))
    kept = [{name: 1 for name in names if counts[name] >= MIN_COUNT} for names in features]
    shared = [
        {name: 1 for name in names if not name.startswith(TASK_ONLY_PREFIXES)} for names in kept
    ]
    task_rows = [{name: 1 for name in names if task_reads(name, task_frames)} for names in kept]
    weights: dict[str, dict[str, float]] = {}
    bias: dict[str, float] = {}
    for part in PARTS:
        target = [part in parts for parts in labels]
        task = part == "task"
        weights[part], bias[part] = _fit_part(
            task_rows if task else shared, target, task_c if task else c
        )
    # P >= t  <=>  score >= logit(t): moving the bias by -logit(t) keeps the shared 0.5.
    bias["task"] -= math.log(task_threshold / (1.0 - task_threshold))
    return StarModel(weights=weights, bias=bias, threshold=0.5)


def _fit_part(
    rows: Sequence[Mapping[str, float]], target: list[bool], c: float
) -> tuple[dict[str, float], float]:
    """One part's logistic regression: its non-negligible weights and its intercept."""
    vectorizer = DictVectorizer()
    matrix = vectorizer.fit_transform(rows).tocsr()
    # liblinear accepts 32-bit sparse indices only; newer SciPy builds 64-bit ones.
    matrix.indices = matrix.indices.astype(np.int32)
    matrix.indptr = matrix.indptr.astype(np.int32)
    classifier = LogisticRegression(
        C=c, class_weight=CLASS_WEIGHT, solver="liblinear", max_iter=1000
    )
    classifier.fit(matrix, target)
    names = vectorizer.get_feature_names_out()
    weights = {
        str(name): float(w)
        for name, w in zip(names, classifier.coef_[0], strict=True)
        if abs(w) >= PRUNE_BELOW
    }
    return weights, float(classifier.intercept_[0])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare with the shipped file")
    args = parser.parse_args(argv)
    rows = load_corpus()
    writers = sorted({row["writer"] for row in rows})
    model = fit(rows)
    text = json.dumps(model.to_json(), separators=(",", ":")) + "\n"
    if args.check:
        same = MODEL_PATH.exists() and MODEL_PATH.read_text("utf-8") == text
        print("shipped model is current" if same else "shipped model differs: retrain")
        return 0 if same else 1
    MODEL_PATH.parent.mkdir(parents=True, exist_ok=True)
    MODEL_PATH.write_text(text, "utf-8")
    features = len(model.to_json()["features"])  # type: ignore[arg-type]
    print(
        f"trained on {len(rows)} answers by {len(writers)} writers ({', '.join(writers)}); "
        f"{features} features; wrote {MODEL_PATH.relative_to(ROOT)} "
        f"({MODEL_PATH.stat().st_size // 1024} KiB)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
