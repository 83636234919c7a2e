"""STAR-detection accuracy of `secondround.engines.answers` on the labelled corpus.

Run: ``uv run python benchmarks/answers.py`` (add ``--errors`` to list the development
split's misclassified answers; the held-out split's errors are never printed).

The corpus (``benchmarks/data/answers_corpus.jsonl``) holds hand-written answers, each
labelled by a human rater for the presence of each STAR part (see ``docs/answers.md``).
It is split once, by a hash of each answer's id, into a development split (about 70%),
the only one looked at while the rules were written, and a held-out split (about 30%),
scored only here. The table gives precision, recall, F1 and support (answers where the
part is present) per part, over the answer × part decisions, for each split and overall,
and the mean time to analyse one answer.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from secondround.engines.answers import STAR_PARTS, analyze_answer

CORPUS = Path(__file__).parent / "data" / "answers_corpus.jsonl"
HELD_OUT_PERCENT = 30
TARGET_F1 = 0.85


@dataclass(frozen=True)
class Score:
    precision: float
    recall: float
    f1: float
    support: int
    n: int


def is_held_out(answer_id: str) -> bool:
    """The fixed split: an answer is held out when its id hashes below 30 of 100."""
    digest = hashlib.sha256(answer_id.encode()).hexdigest()
    return int(digest, 16) % 100 < HELD_OUT_PERCENT


def load(path: Path = CORPUS) -> list[dict]:
    rows = [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
    ids = [row["id"] for row in rows]
    if len(ids) != len(set(ids)):
        raise SystemExit("duplicate ids in the corpus")
    return rows


def score(pairs: list[tuple[bool, bool]]) -> Score:
    tp = sum(1 for truth, guess in pairs if truth and guess)
    fp = sum(1 for truth, guess in pairs if guess and not truth)
    fn = sum(1 for truth, guess in pairs if truth and not guess)
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return Score(precision, recall, f1, tp + fn, len(pairs))


def relevance_check(rows: list[dict]) -> tuple[float, float, float]:
    """Relevance with the answer's own question vs. an unrelated one (fixed seed)."""
    rng = random.Random(20240601)
    own_scores, other_scores, wins = [], [], 0.0
    for row in rows:
        unrelated = rng.choice(
            [
                r
                for r in rows
                if r["competency"] != row["competency"] and r["question"] != row["question"]
            ]
        )
        own = analyze_answer(row["answer"], question=row["question"], competency=row["competency"])
        other = analyze_answer(
            row["answer"], question=unrelated["question"], competency=unrelated["competency"]
        )
        own_scores.append(own.relevance)
        other_scores.append(other.relevance)
        wins += (
            1.0
            if own.relevance > other.relevance
            else 0.5
            if own.relevance == other.relevance
            else 0.0
        )
    n = len(rows)
    return sum(own_scores) / n, sum(other_scores) / n, wins / n


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--errors", action="store_true", help="list development-split errors")
    args = parser.parse_args(argv)

    rows = load()
    predictions: dict[str, dict[str, bool]] = {}
    started = time.perf_counter()
    for row in rows:
        analysis = analyze_answer(
            row["answer"], question=row["question"], competency=row["competency"]
        )
        predictions[row["id"]] = {part: analysis.star[part].present for part in STAR_PARTS}
    per_answer_ms = (time.perf_counter() - started) * 1000 / len(rows)

    splits = {
        "development": [r for r in rows if not is_held_out(r["id"])],
        "held-out": [r for r in rows if is_held_out(r["id"])],
        "all": rows,
    }
    print(f"STAR detection on {len(rows)} labelled answers ({CORPUS.name})")
    header = f"{'split':<12} {'part':<10} {'precision':>9} {'recall':>7} {'F1':>6} {'support':>8} {'n':>5}"
    print(header)
    print("-" * len(header))
    held_out_ok = True
    for split, members in splits.items():
        for part in STAR_PARTS:
            s = score([(r["labels"][part], predictions[r["id"]][part]) for r in members])
            flag = "" if s.f1 >= TARGET_F1 else "  < target"
            if split == "held-out" and s.f1 < TARGET_F1:
                held_out_ok = False
            print(
                f"{split:<12} {part:<10} {s.precision:>9.3f} {s.recall:>7.3f} {s.f1:>6.3f} "
                f"{s.support:>8d} {s.n:>5d}{flag}"
            )
        print("-" * len(header))
    print(f"mean analysis time per answer: {per_answer_ms:.2f} ms")
    own, other, wins = relevance_check(rows)
    print(
        f"relevance: mean {own:.2f} with the answer's own question and competency, "
        f"{other:.2f} with another one drawn at random; own scores higher in {wins:.0%} "
        "of pairs (ties count half)"
    )
    print(f"target: F1 >= {TARGET_F1} for every part on the held-out split: "
          f"{'met' if held_out_ok else 'NOT met'}")  # fmt: skip

    if args.errors:
        for row in splits["development"]:
            wrong = [
                f"{part}: said {predictions[row['id']][part]}, label {row['labels'][part]}"
                for part in STAR_PARTS
                if predictions[row["id"]][part] != row["labels"][part]
            ]
            if wrong:
                print(f"\n{row['id']} [{row['style']}] " + "; ".join(wrong))
                print("  " + row["answer"][:600])
    return 0


if __name__ == "__main__":
    sys.exit(main())
