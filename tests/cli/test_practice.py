"""`secondround practice analyze`, through a small app that mounts the practice sub-app."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from secondround.commands.practice import practice_app

app = typer.Typer()
app.add_typer(practice_app, name="practice")
runner = CliRunner()

ANSWER = (
    "Last spring our support backlog reached 1,300 tickets. My manager asked me to bring "
    "first response under 24 hours. I sorted the backlog, wrote three help articles and "
    "split the team. Um, after six weeks the backlog was under 200 and first response "
    "took 9 hours."
)


@pytest.fixture
def answer_file(tmp_path: Path) -> Path:
    path = tmp_path / "answer.txt"
    path.write_text(ANSWER, encoding="utf-8")
    return path


def test_help_is_available() -> None:
    result = runner.invoke(app, ["practice", "analyze", "--help"])
    assert result.exit_code == 0
    assert "ANSWER_FILE" in result.output


def test_json_output_has_the_documented_shape(answer_file: Path) -> None:
    result = runner.invoke(
        app,
        ["practice", "analyze", "--question", "Tell me about a backlog you cleared",
         "--competency", "leadership", "--format", "json", str(answer_file)],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert set(data) == {
        "star", "specificity", "ownership", "relevance", "word_count",
        "speaking_seconds", "filler_words", "suggestions", "score",
    }  # fmt: skip
    assert {part: data["star"][part]["present"] for part in data["star"]} == {
        "situation": True,
        "task": True,
        "action": True,
        "result": True,
    }
    assert data["star"]["task"]["sentences"] == [
        "My manager asked me to bring first response under 24 hours."
    ]
    assert data["filler_words"] == {"um": 1}
    assert data["word_count"] == 46
    assert len(data["suggestions"]) == 3
    assert all(
        0.0 <= data[key] <= 1.0 for key in ("specificity", "ownership", "relevance", "score")
    )


def test_text_output_is_a_readable_report(answer_file: Path) -> None:
    result = runner.invoke(app, ["practice", "analyze", str(answer_file)])
    assert result.exit_code == 0, result.output
    headings = ("STAR structure", "Specificity", "Ownership", "Relevance", "Overall", "Suggestions")
    for heading in headings:
        assert heading in result.output
    assert "  1. " in result.output and "  3. " in result.output
    assert "um ×1" in result.output


def test_reads_the_answer_from_stdin() -> None:
    result = runner.invoke(app, ["practice", "analyze", "--format", "json", "-"], input=ANSWER)
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["star"]["result"]["present"] is True


def test_missing_file_exits_2(tmp_path: Path) -> None:
    result = runner.invoke(app, ["practice", "analyze", str(tmp_path / "nope.txt")])
    assert result.exit_code == 2
    assert "not found" in result.output


def test_a_directory_exits_2(tmp_path: Path) -> None:
    result = runner.invoke(app, ["practice", "analyze", str(tmp_path)])
    assert result.exit_code == 2
    assert "not a file" in result.output


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty"),
        (b"  \n\t\n", "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
        (b"caf\xe9 au lait", "not UTF-8"),
        (b"12 34 !!", "no words"),
    ],
)
def test_unusable_files_exit_2_with_a_clear_message(
    tmp_path: Path, content: bytes, message: str
) -> None:
    path = tmp_path / "answer.txt"
    path.write_bytes(content)
    result = runner.invoke(app, ["practice", "analyze", str(path)])
    assert result.exit_code == 2
    assert message in result.output


def test_empty_stdin_exits_2() -> None:
    result = runner.invoke(app, ["practice", "analyze", "-"], input="")
    assert result.exit_code == 2
    assert "standard input is empty" in result.output


def test_a_utf8_bom_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "answer.txt"
    path.write_bytes(b"\xef\xbb\xbf" + ANSWER.encode())
    result = runner.invoke(app, ["practice", "analyze", "--format", "json", str(path)])
    assert result.exit_code == 0
    assert json.loads(result.output)["word_count"] == 46


def test_unknown_format_is_refused(answer_file: Path) -> None:
    result = runner.invoke(app, ["practice", "analyze", "--format", "xml", str(answer_file)])
    assert result.exit_code == 2
