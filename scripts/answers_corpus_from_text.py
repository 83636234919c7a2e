"""Turn a hand-written corpus draft into one writer's JSONL file.

Run: ``.venv/bin/python scripts/answers_corpus_from_text.py DRAFT.txt WRITER [--bullets|--lines]``
(writes ``benchmarks/data/answers/WRITER.jsonl``).

The draft is how the corpus was written: one answer per block, blocks separated by a
blank line. A block starts with ``@ question | competency`` and has one sentence per line,
each led by its STAR labels (``S``, ``T``, ``A``, ``R`` in any combination, or ``-`` for
none) and a space::

    @ Tell me about a time you missed a deadline. | Handling stress
    S Last March our payroll run failed two days before pay day.
    TA I had to get it out, so I re-ran it by hand overnight.
    R Everyone was paid on time.

With ``--bullets`` every sentence becomes a ``- `` list item on its own line (the bullet
writer's style); with ``--lines`` each sentence is a line of its own with no marker (jotted
notes); otherwise sentences are joined with single spaces.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

PART_LETTERS = {"S": "situation", "T": "task", "A": "action", "R": "result"}
OUT_DIR = Path(__file__).resolve().parent.parent / "benchmarks" / "data" / "answers"


def parse_line(line: str, where: str) -> dict:
    tag, _, sentence = line.partition(" ")
    if not sentence.strip() or not (tag == "-" or set(tag) <= PART_LETTERS.keys()):
        raise SystemExit(f"{where}: expected 'TAGS sentence', got {line!r}")
    parts = [] if tag == "-" else [PART_LETTERS[c] for c in "STAR" if c in tag]
    return {"text": sentence.strip(), "parts": parts}


def parse_block(block: list[str], where: str) -> dict:
    head = block[0]
    if not head.startswith("@ ") or "|" not in head:
        raise SystemExit(f"{where}: a block starts with '@ question | competency'")
    question, _, competency = head[2:].partition("|")
    sentences = [parse_line(line, where) for line in block[1:]]
    if not sentences:
        raise SystemExit(f"{where}: an answer needs at least one sentence")
    return {"question": question.strip(), "competency": competency.strip(), "sentences": sentences}


def join(texts: list[str], *, bullets: bool, lines: bool) -> str:
    if bullets:
        return "\n".join(f"- {t}" for t in texts)
    return ("\n" if lines else " ").join(texts)


def convert(text: str, writer: str, *, bullets: bool, lines: bool = False) -> list[dict]:
    blocks: list[list[str]] = [[]]
    for line in text.splitlines():
        if line.strip():
            blocks[-1].append(line.rstrip())
        elif blocks[-1]:
            blocks.append([])
    rows = []
    for number, block in enumerate((b for b in blocks if b), start=1):
        row = parse_block(block, f"{writer} answer {number}")
        texts = [s["text"] for s in row["sentences"]]
        answer = join(texts, bullets=bullets, lines=lines)
        labels = {p: any(p in s["parts"] for s in row["sentences"]) for p in PART_LETTERS.values()}
        rows.append({"id": f"{writer}-{number:03d}", "writer": writer, **row,
                     "answer": answer, "labels": labels})  # fmt: skip
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("draft", type=Path)
    parser.add_argument("writer")
    style = parser.add_mutually_exclusive_group()
    style.add_argument("--bullets", action="store_true", help="'- ' list items, one per line")
    style.add_argument("--lines", action="store_true", help="one sentence per line, no marker")
    args = parser.parse_args(argv)
    text = args.draft.read_text(encoding="utf-8")
    rows = convert(text, args.writer, bullets=args.bullets, lines=args.lines)
    out = OUT_DIR / f"{args.writer}.jsonl"
    out.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), "utf-8")
    print(f"{len(rows)} answers -> {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
