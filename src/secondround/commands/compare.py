"""`secondround compare`: rank candidates with interviewer-leniency-corrected scores.

Reads a ratings CSV (``candidate,interviewer,competency,rating`` and optionally
``position``), fits :mod:`secondround.engines.calibration` to every row and prints a
ranking per position. Needs no Django settings.

This module is imported by every run of the command line (typer reads the signature), so it
imports nothing heavy; the work is in :mod:`secondround.commands.compare_io`.
"""

from __future__ import annotations

import math
import os
import re
import sys
import time
from enum import StrEnum
from pathlib import Path
from typing import Annotated, NoReturn

import typer


class OutputFormat(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"


def compare(
    ratings_csv: Annotated[
        Path,
        typer.Argument(help="Ratings CSV: candidate,interviewer,competency,rating[,position]."),
    ],
    scale: Annotated[
        str, typer.Option("--scale", help="Allowed ratings, LOW-HIGH (integers).")
    ] = "1-5",
    output_format: Annotated[
        OutputFormat, typer.Option("--format", help="table, json or csv.")
    ] = OutputFormat.table,
    weights: Annotated[
        str | None,
        typer.Option("--weights", help="Competency weights, e.g. 'design=2,coding=1' (others 0)."),
    ] = None,
    draws: Annotated[
        int, typer.Option("--draws", min=100, help="Posterior draws for P(best).")
    ] = 4000,
    seed: Annotated[
        int,
        typer.Option("--seed", min=0, help="Seed for the draws (same input, same output)."),
    ] = 0,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write here, not to stdout.")
    ] = None,
) -> None:
    """Compare candidates with interviewer-leniency-corrected scores.

    Every rating row teaches the model about interviewers and competencies, whatever its
    position; candidates are ranked within their position (one group if there is no
    position column). An empty rating or NA means not assessed.
    """
    low_high = _parse_scale(scale)
    weight_map = _parse_weights(weights)
    if output is not None and (reason := unwritable(output)):
        cannot_write(output, reason)  # before the fit: a million ratings take seconds
    from secondround.commands import compare_io  # numpy, the engine: only when comparing

    compare_io.run(ratings_csv, low_high, weight_map, output_format, draws, seed, output)


# ------------------------------------------------------------------------- arguments


def unwritable(output: Path) -> str:
    """Why ``output`` cannot be written ("" when it can), without creating it."""
    if output.is_dir():
        return "a folder"
    if not output.parent.is_dir():
        return f"no folder {output.parent}"
    if not os.access(output.parent, os.W_OK) or (
        output.exists() and not os.access(output, os.W_OK)
    ):
        return "permission denied"
    return ""


def cannot_write(output: Path, reason: str) -> NoReturn:
    typer.echo(f"Error: {output}: cannot write here ({reason})", err=True)
    raise typer.Exit(code=2)


def _parse_scale(text: str) -> tuple[int, int]:
    match = re.fullmatch(r"\s*(-?\d+)\s*(?:-|–|:|\.\.)\s*(-?\d+)\s*", text)
    if not match or int(match.group(1)) >= int(match.group(2)):
        raise typer.BadParameter(f"{text!r}: use LOW-HIGH with LOW < HIGH, e.g. 1-5")
    return int(match.group(1)), int(match.group(2))


def _parse_weights(text: str | None) -> dict[str, float] | None:
    if text is None:
        return None
    weights: dict[str, float] = {}
    for part in text.split(","):
        name, sep, value = part.rpartition("=")
        try:
            number = float(value)
        except ValueError:
            number = math.nan
        if not sep or not name.strip() or not math.isfinite(number) or number < 0:
            raise typer.BadParameter(f"{part!r}: use COMPETENCY=WEIGHT with a weight >= 0")
        weights[name.strip()] = number
    return weights


class Progress:
    """Prints timed stage messages on stderr once ``active`` (large inputs)."""

    def __init__(self, started: float) -> None:
        self.started = started
        self.active = False

    def __call__(self, message: str) -> None:
        if self.active:
            elapsed = time.perf_counter() - self.started
            sys.stderr.write(f"[{elapsed:6.1f}s] {message}\n")
            sys.stderr.flush()
