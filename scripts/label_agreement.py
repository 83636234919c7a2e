"""How far two people labelling the same answers by the guide agree: the ceiling for the detector.

Run:
  ``.venv/bin/python scripts/label_agreement.py sample OUT.txt`` writes a blank labelling
  sheet: answers drawn at random (``--per-writer``, fixed seed) from every corpus writer,
  in shuffled order, one block per answer (``@ id``, then one ``? sentence`` line per
  sentence, split exactly as in the corpus). A rater replaces each ``?`` with the labels
  (``S``, ``T``, ``A``, ``R`` in any combination, or ``-``), by ``docs/answers.md`` only,
  without seeing the corpus labels.

  ``.venv/bin/python scripts/label_agreement.py score SHEET.txt [SHEET.txt ...]`` compares
  each filled sheet with the corpus labels, and the sheets with each other, as
  ``benchmarks/answers.py`` scores the detector: answer-level F1 per part (a part is present
  when any sentence carries it) and sentence-level F1, taking one side as truth (F1 is
  symmetric in which side that is).

Why: the corpus labels are one person's reading of a guide with borderline cases (task
above all). If a second careful reader agrees with them at F1 0.85 on task, a detector
cannot be expected to agree with them at 0.95, and a figure above the human one is fitting
the first reader's habits. The filled sheets are kept in ``benchmarks/data/answers/agreement/``.
"""

from __future__ import annotations

import argparse
import random
import sys
from collections.abc import Sequence
from pathlib import Path

from answers_corpus_from_text import PART_LETTERS
from select_task_model import pair_f1
from train_answer_model import CORPUS_DIR, load_corpus

from secondround.engines.star_model import PARTS

#: The filled sheets of the blind raters (``rater*.txt``) and the blank one they started from
#: (drawn when the corpus had its first thirteen writers).
AGREEMENT_DIR = CORPUS_DIR / "agreement"
SEED = 20261130

Labels = dict[str, list[frozenset[str]]]


def corpus() -> dict[str, dict]:
    return {row["id"]: row for row in load_corpus()}


def write_sample(out: Path, per_writer: int) -> None:
    rows = corpus()
    rng = random.Random(SEED)
    by_writer: dict[str, list[str]] = {}
    for answer_id, row in rows.items():
        by_writer.setdefault(row["writer"], []).append(answer_id)
    chosen = [i for ids in by_writer.values() for i in rng.sample(ids, min(per_writer, len(ids)))]
    rng.shuffle(chosen)
    blocks = []
    for answer_id in chosen:
        row = rows[answer_id]
        lines = [f"@ {answer_id} | {row['question']}"]
        lines += [f"? {s['text']}" for s in row["sentences"]]
        blocks.append("\n".join(lines))
    out.write_text("\n\n".join(blocks) + "\n", encoding="utf-8")
    print(f"{len(chosen)} answers from {len(by_writer)} writers -> {out}")


def read_sheet(path: Path) -> Labels:
    """A filled sheet's labels per answer id; refuses a line still ``?`` or badly tagged."""
    labels: Labels = {}
    current: list[frozenset[str]] | None = None
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        if line.startswith("@ "):
            current = labels.setdefault(line[2:].split("|")[0].strip(), [])
            continue
        tag = line.split(" ", 1)[0]
        if current is None or not (tag == "-" or (tag and set(tag) <= PART_LETTERS.keys())):
            raise SystemExit(f"{path}:{number}: expected 'TAGS sentence', got {line!r}")
        current.append(frozenset(PART_LETTERS[c] for c in tag if c in PART_LETTERS))
    return labels


def corpus_labels(ids: Sequence[str]) -> Labels:
    rows = corpus()
    return {i: [frozenset(s["parts"]) for s in rows[i]["sentences"]] for i in ids}


def compare(a: Labels, b: Labels) -> dict[str, tuple[float, float]]:
    """Per part, (answer-level F1, sentence-level F1) of ``b`` against ``a``."""
    ids = sorted(a.keys() & b.keys())
    for i in ids:
        if len(a[i]) != len(b[i]):
            raise SystemExit(f"{i}: {len(a[i])} sentences on one side, {len(b[i])} on the other")
    out = {}
    for part in PARTS:
        answers = pair_f1(
            [any(part in s for s in a[i]) for i in ids], [any(part in s for s in b[i]) for i in ids]
        )
        sentences = pair_f1(
            [part in s for i in ids for s in a[i]], [part in s for i in ids for s in b[i]]
        )
        out[part] = (answers, sentences)
    return out


def score(paths: Sequence[Path]) -> None:
    sheets = {p.stem: read_sheet(p) for p in paths}
    pairs = [("corpus", name) for name in sheets]
    pairs += [(x, y) for n, x in enumerate(sheets) for y in list(sheets)[n + 1 :]]
    print("answer-level F1 (sentence-level in brackets)")
    print(f"{'pair':<28}" + "".join(f"{p:>16}" for p in PARTS) + "  answers")
    for left, right in pairs:
        b = sheets[right]
        a = corpus_labels(list(b)) if left == "corpus" else sheets[left]
        common = a.keys() & b.keys()
        cells = compare(a, b)
        row = "".join(f"{cells[p][0]:>9.3f} ({cells[p][1]:.3f})" for p in PARTS)
        print(f"{left + ' vs ' + right:<28}{row}  {len(common):>7}")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    sample = commands.add_parser("sample", help="write a blank labelling sheet")
    sample.add_argument("out", type=Path)
    sample.add_argument("--per-writer", type=int, default=12)
    scoring = commands.add_parser("score", help="compare filled sheets with the corpus")
    scoring.add_argument("sheets", type=Path, nargs="+")
    args = parser.parse_args(argv)
    if args.command == "sample":
        write_sample(args.out, args.per_writer)
    else:
        score(args.sheets)
    return 0


if __name__ == "__main__":
    sys.exit(main())
