"""`secondround practice`: feedback on a practice answer, at once and offline."""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from secondround.engines.answers import AnswerAnalysis

practice_app = typer.Typer(
    help="Practise interview answers: STAR structure, specificity, ownership and delivery.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,  # plain help, without importing rich (a fast `--help`)
)


class OutputFormat(StrEnum):
    """How `practice analyze` prints its result."""

    JSON = "json"
    TEXT = "text"


#: Exit code for input that cannot be analysed (missing, empty, binary, not UTF-8).
EXIT_BAD_INPUT = 2


def _fail(message: str) -> typer.Exit:
    typer.echo(f"Error: {message}", err=True)
    return typer.Exit(code=EXIT_BAD_INPUT)


def _read_answer(source: str) -> str:
    """The answer's text from a file path, or from standard input for "-"."""
    if source == "-":
        buffer = getattr(sys.stdin, "buffer", None)
        data = buffer.read() if buffer is not None else sys.stdin.read().encode()
        where = "standard input"
    else:
        path = Path(source)
        if not path.exists():
            raise _fail(f"answer file not found: {source}")
        if not path.is_file():
            raise _fail(f"not a file: {source}")
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise _fail(f"cannot read {source}: {exc.strerror or exc}") from exc
        where = source
    if b"\x00" in data:
        raise _fail(f"{where} looks like a binary file, not text.")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise _fail(
            f"{where} is not UTF-8 text (bad byte at position {exc.start}); "
            "save the answer as plain UTF-8 text."
        ) from exc
    if not text.strip():
        raise _fail(f"{where} is empty: write the answer you would give, then run this again.")
    return text


def _percent(value: float) -> str:
    return f"{round(value * 100):d}%"


def _text_report(analysis: AnswerAnalysis) -> str:
    from secondround.engines.answers import STAR_PARTS, WORDS_PER_MINUTE

    lines = ["STAR structure"]
    for part in STAR_PARTS:
        found = analysis.star[part]
        mark = "yes" if found.present else "missing"
        lines.append(f"  {part.capitalize():<10} {mark}")
        for sentence in found.sentences:
            lines.append(f"      - {sentence}")
    minutes, seconds = divmod(analysis.speaking_seconds, 60)
    lines += [
        "",
        f"Specificity  {_percent(analysis.specificity)}   (numbers, names, concrete outcome)",
        f"Ownership    {_percent(analysis.ownership)}   (what you did, 'I' rather than 'we')",
        f"Relevance    {_percent(analysis.relevance)}   (to the question and competency)",
        f"Overall      {_percent(analysis.score)}   (STAR parts, specificity, relevance)",
        f"Length       {analysis.word_count} words, about {minutes}:{seconds:02d} spoken "
        f"at {WORDS_PER_MINUTE} words a minute",
    ]
    if analysis.filler_words:
        counts = ", ".join(f"{word} ×{count}" for word, count in analysis.filler_words.items())
        lines.append(f"Filler and hedging words: {counts}")
    else:
        lines.append("Filler and hedging words: none found")
    lines += ["", "Suggestions"]
    lines += [f"  {n}. {text}" for n, text in enumerate(analysis.suggestions, start=1)]
    return "\n".join(lines)


@practice_app.command("analyze")
def analyze(
    answer_file: Annotated[
        str, typer.Argument(metavar="ANSWER_FILE|-", help="Answer text file, or - for stdin.")
    ],
    question: Annotated[str, typer.Option(help="The question the answer responds to.")] = "",
    competency: Annotated[
        str,
        typer.Option(help="Competency assessed: a kind such as leadership, or a name."),
    ] = "",
    output_format: Annotated[
        OutputFormat,
        typer.Option("--format", help="json (machine-readable) or text (a readable report)."),
    ] = OutputFormat.TEXT,
) -> None:
    """Analyse a practice answer: STAR parts, specificity, ownership, relevance, delivery."""
    # imported here, not at the top: `secondround --help` should not pay for the engine
    from secondround.engines.answers import AnswerError, analyze_answer

    text = _read_answer(answer_file)
    try:
        analysis = analyze_answer(text, question=question, competency=competency)
    except AnswerError as exc:
        raise _fail(str(exc)) from exc
    if output_format is OutputFormat.JSON:
        typer.echo(json.dumps(analysis.to_dict(), ensure_ascii=False, indent=2))
    else:
        typer.echo(_text_report(analysis))
