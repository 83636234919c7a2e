"""The corpus draft converter: labels per line, and how each writer's lines are joined."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

SCRIPTS = Path(__file__).resolve().parents[2] / "scripts"
CORPUS = Path(__file__).resolve().parents[2] / "benchmarks" / "data" / "answers"
sys.path.insert(0, str(SCRIPTS))

from answers_corpus_from_text import convert  # noqa: E402

DRAFT = """@ Tell me about a time you worked under pressure. | Handling stress
S Sit: night shift, 2 nurses short
TA Task: keep 8 pts safe -> called bank staff
- Lesson: ask early
"""


@pytest.mark.parametrize(
    ("style", "answer"),
    [
        ({"bullets": False, "lines": False}, "Sit: night shift, 2 nurses short Task: keep"),
        ({"bullets": True}, "- Sit: night shift, 2 nurses short\n- Task: keep"),
        ({"bullets": False, "lines": True}, "Sit: night shift, 2 nurses short\nTask: keep"),
    ],
    ids=["spaces", "bullets", "lines"],
)
def test_sentences_are_joined_in_the_writers_style(style: dict, answer: str) -> None:
    (row,) = convert(DRAFT, "notes", **style)
    assert row["answer"].startswith(answer)
    assert row["id"] == "notes-001"
    assert [s["parts"] for s in row["sentences"]] == [["situation"], ["task", "action"], []]
    assert row["labels"] == {"situation": True, "task": True, "action": True, "result": False}


def test_the_notes_writer_file_matches_its_draft() -> None:
    """The JSONL is generated: editing the draft without converting it again is caught."""
    draft = (CORPUS / "drafts" / "notes.txt").read_text("utf-8")
    shipped = [
        json.loads(line) for line in (CORPUS / "notes.jsonl").read_text("utf-8").splitlines()
    ]
    assert convert(draft, "notes", bullets=False, lines=True) == shipped
    assert len(shipped) >= 80


def test_a_line_without_labels_is_refused() -> None:
    with pytest.raises(SystemExit, match="expected 'TAGS sentence'"):
        convert("@ Q | C\nX did a thing\n", "notes", bullets=False, lines=True)
