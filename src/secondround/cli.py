"""The `secondround` command line."""

from __future__ import annotations

import typer

from secondround.commands import compare as compare_command

app = typer.Typer(
    help="secondround: second-round interviews that decide well.",
    no_args_is_help=True,
    add_completion=False,
)
app.command("compare")(compare_command.compare)


def main() -> None:
    app()
