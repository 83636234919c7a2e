"""Reading a ratings CSV, fitting the comparison and writing it: the work behind
`secondround compare` (:mod:`secondround.commands.compare` holds the command itself).

Kept apart so that the command line starts without importing numpy, scipy or the engine:
this module is imported only when a comparison runs.
"""

from __future__ import annotations

import csv
import io
import json
import math
import re
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import orjson
import typer

from secondround.commands.compare import OutputFormat, Progress, cannot_write
from secondround.engines.calibration import (
    CalibrationError,
    CodedColumn,
    Comparison,
    RatingColumns,
    fit,
)

REQUIRED = ("candidate", "interviewer", "competency", "rating")
GROUP_COLUMN = "position"
MISSING = {"", "NA", "N/A"}
#: Inputs with at least this many rows show progress on stderr.
PROGRESS_ROWS = 100_000
#: Above this many candidates the table is plain text (fast) instead of rich tables.
RICH_TABLE_LIMIT = 2_000


class InputError(Exception):
    """Bad input: the message names the file, line and column."""


@dataclass(frozen=True)
class _Parsed:
    columns: RatingColumns
    has_group: bool


def run(
    ratings_csv: Path,
    scale: tuple[int, int],
    weights: dict[str, float] | None,
    output_format: OutputFormat,
    draws: int,
    seed: int,
    output: Path | None,
) -> None:
    """Read, fit and write; bad input exits with code 2 and a message naming the place."""
    started = time.perf_counter()
    say = Progress(started)
    try:
        parsed, fast = _read(ratings_csv, scale, say)
        try:
            result = _fit(parsed, scale, weights, draws, seed, say)
        except CalibrationError as error:
            if fast and error.row is not None:
                # the fast reader cannot know line numbers: reread exactly for the message
                parsed = _read_exact(ratings_csv, scale)
                result = _fit(parsed, scale, weights, draws, seed, say)
            raise
    except InputError as error:
        typer.echo(f"Error: {error}", err=True)
        raise typer.Exit(code=2) from None
    except CalibrationError as error:
        typer.echo(f"Error: {_describe(ratings_csv, error)}", err=True)
        raise typer.Exit(code=2) from None
    if say.active:
        say(f"writing {output_format.value}")
    text = _render(result, output_format, parsed.has_group)
    if output is None:
        sys.stdout.write(text)
    else:
        try:
            output.write_text(text, encoding="utf-8")
        except OSError as error:  # the disk filled, or the folder went away during the fit
            cannot_write(output, error.strerror or str(error))
    if say.active:
        say("done")


# --------------------------------------------------------------------------- reading


def _read(path: Path, scale: tuple[int, int], say: Progress) -> tuple[_Parsed, bool]:
    """Read the CSV: fast with pandas when it is installed, exactly otherwise.

    The fast reader checks everything it can in bulk; on any problem it hands over to the
    exact reader, which reports the first bad line and column.
    """
    if not path.is_file():
        raise InputError(f"{path}: {'a folder, not a file' if path.is_dir() else 'no such file'}")
    if path.stat().st_size == 0:
        raise InputError(f"{path}: the file is empty (expected a header line)")
    try:
        import pandas  # noqa: F401  (optional: only makes large files faster)
    except ImportError:
        parsed = _read_exact(path, scale)
        say.active = len(parsed.columns.candidate) >= PROGRESS_ROWS
        return parsed, False
    fast = _read_fast(path, scale, say)
    if fast is None:
        return _read_exact(path, scale), False
    return fast, True


def _header_positions(header: list[str], path: Path) -> dict[str, int]:
    names = [name.strip().lower() for name in header]
    if not any(names):
        raise InputError(f"{path} line 1: the header line is empty")
    positions: dict[str, int] = {}
    for index, name in enumerate(names):
        positions.setdefault(name, index)
    for column in REQUIRED:
        if column not in positions:
            found = ", ".join(n for n in names if n) or "nothing"
            raise InputError(f'{path} line 1: missing column "{column}" (found: {found})')
    return positions


def _rating_value(text: str, scale: tuple[int, int]) -> float | str:
    """The rating as a float (NaN when missing), or a description of what is wrong."""
    value = text.strip()
    if value.upper() in MISSING:
        return math.nan
    try:
        number = float(value)
    except ValueError:
        return f'"{text}" is not a number'
    if not math.isfinite(number) or number != int(number):
        return f'"{text}" is not a whole number on the scale {scale[0]}-{scale[1]}'
    if not scale[0] <= number <= scale[1]:
        return f'"{text}" is outside the scale {scale[0]}-{scale[1]}'
    return number


def _read_exact(path: Path, scale: tuple[int, int]) -> _Parsed:
    """Read with the standard csv module, stopping at the first bad line."""
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.reader(handle)
        try:
            header = next(reader, None)
            if header is None:
                raise InputError(f"{path}: the file is empty (expected a header line)")
            positions = _header_positions(header, path)
            group_at = positions.get(GROUP_COLUMN)
            wanted = [positions[name] for name in REQUIRED]
            needed = max([*wanted, -1 if group_at is None else group_at]) + 1
            cand_at, int_at, comp_at, rating_at = wanted
            candidates: list[str] = []
            interviewers: list[str] = []
            competencies: list[str] = []
            ratings: list[float] = []
            groups: list[str | None] = []
            lines: list[int] = []
            cache: dict[str, float | str] = {}
            for row in reader:
                line = reader.line_num
                if not any(cell.strip() for cell in row):
                    continue  # blank line
                if len(row) < needed:
                    absent = [n for n, at in positions.items() if at >= len(row)]
                    column = next((n for n in (*REQUIRED, GROUP_COLUMN) if n in absent), "")
                    raise InputError(
                        f'{path} line {line}, column "{column}": missing value '
                        f"(the line has {len(row)} fields, the header {len(header)})"
                    )
                for name, at in zip(REQUIRED[:3], wanted[:3], strict=True):
                    if not row[at].strip():
                        raise InputError(f'{path} line {line}, column "{name}": empty value')
                text = row[rating_at]
                value = cache.get(text)
                if value is None:
                    value = cache[text] = _rating_value(text, scale)
                if isinstance(value, str):
                    raise InputError(f'{path} line {line}, column "rating": {value}')
                candidates.append(row[cand_at].strip())
                interviewers.append(row[int_at].strip())
                competencies.append(row[comp_at].strip())
                ratings.append(value)
                if group_at is not None:
                    groups.append(row[group_at].strip() or None)
                lines.append(line)
        except csv.Error as error:
            raise InputError(f"{path} line {reader.line_num}: {error}") from None
        except UnicodeDecodeError as error:
            raise InputError(f"{path}: not UTF-8 text ({error.reason})") from None
    if not candidates:
        raise InputError(f"{path}: no rating rows after the header")
    columns = RatingColumns(
        candidate=candidates,
        interviewer=interviewers,
        competency=competencies,
        rating=np.asarray(ratings, dtype=float),
        group=groups if group_at is not None else None,
        line_numbers=lines,
    )
    return _Parsed(columns, group_at is not None)


def _read_fast(path: Path, scale: tuple[int, int], say: Progress) -> _Parsed | None:
    """Bulk read with pandas; ``None`` when anything looks wrong (the exact reader decides).

    Columns are read as categories and handed to the engine as integer codes, so no
    Python object is made per row.
    """
    import pandas as pd

    wanted = {*REQUIRED, GROUP_COLUMN}
    try:
        frame = pd.read_csv(
            path,
            dtype="category",
            keep_default_na=False,
            na_filter=False,
            encoding="utf-8-sig",
            skip_blank_lines=True,
            low_memory=False,  # one chunk: no merging of per-chunk categories (2x faster)
            index_col=False,
            usecols=lambda name: str(name).strip().lower() in wanted,
        )
    except (ValueError, UnicodeDecodeError, pd.errors.ParserError):
        return None
    say.active = len(frame) >= PROGRESS_ROWS
    say(f"read {len(frame):,} rows")
    names = {str(name).strip().lower(): name for name in reversed(list(frame.columns))}
    if any(column not in names for column in REQUIRED) or len(frame) == 0:
        return None
    coded: dict[str, CodedColumn] = {}
    for column in (*REQUIRED[:3], GROUP_COLUMN):
        if column not in names:
            continue
        values = frame[names[column]]
        codes = np.asarray(values.cat.codes, dtype=np.int64)
        if (codes < 0).any():
            return None
        # renumber in first-seen order (as the exact reader numbers them)
        codes, first = pd.factorize(codes, sort=False)
        categories = values.cat.categories.to_numpy(dtype=object)
        labels = [str(label).strip() for label in categories[first].tolist()]
        if column != GROUP_COLUMN and not all(labels):
            return None
        coded[column] = CodedColumn(codes, [label or None for label in labels])
    rating = frame[names["rating"]]
    codes = np.asarray(rating.cat.codes, dtype=np.int64)
    parsed = [_rating_value(str(u), scale) for u in rating.cat.categories]
    if (codes < 0).any() or any(isinstance(v, str) for v in parsed):
        return None
    columns = RatingColumns(
        candidate=coded["candidate"],
        interviewer=coded["interviewer"],
        competency=coded["competency"],
        rating=np.asarray(parsed, dtype=float)[codes],
        group=coded.get(GROUP_COLUMN),
    )
    return _Parsed(columns, GROUP_COLUMN in coded)


def _fit(
    parsed: _Parsed,
    scale: tuple[int, int],
    weights: dict[str, float] | None,
    draws: int,
    seed: int,
    say: Callable[[str], None],
) -> Comparison:
    return fit(parsed.columns, scale=scale, weights=weights, n_draws=draws, seed=seed, progress=say)


def _describe(path: Path, error: CalibrationError) -> str:
    message = str(error).replace("column 'group'", f'column "{GROUP_COLUMN}"')
    message = re.sub(r"column '(\w+)'", r'column "\1"', message)
    if error.column == "group" and not message.startswith("line"):
        return f'{path}, column "{GROUP_COLUMN}": ' + message.replace("group '", "position '")
    return f"{path} {message}" if message.startswith("line") else f"{path}: {message}"


# --------------------------------------------------------------------------- writing


#: Decimals written in JSON: far below any difference that matters on a rating scale, and
#: shorter numbers are much faster to write (a million ratings give a million numbers).
JSON_DECIMALS = 5


_ROUNDING = 10.0**JSON_DECIMALS


def _round(value: float) -> float:
    """The float at JSON_DECIMALS, exactly as ``np.round`` rounds arrays (scale, round
    half to even, unscale), without numpy's per-call cost."""
    scaled = value * _ROUNDING
    return round(scaled) / _ROUNDING if math.isfinite(scaled) else scaled / _ROUNDING


def _clean(value: float) -> float | None:
    """Rounded, or None when there is no number to give (NaN, infinite)."""
    return _round(value) if math.isfinite(value) else None


def _rounded(value: Any) -> Any:
    """Every float in a JSON-ready structure at JSON_DECIMALS."""
    if isinstance(value, float):
        return _round(value)
    if isinstance(value, dict):
        return {key: _rounded(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_rounded(item) for item in value]
    return value


def as_json_dict(result: Comparison, *, positions: bool = True) -> dict[str, Any]:
    """The comparison in the CLI's JSON shape (also handy for other callers); without
    ``positions`` only the interviewers, competencies and model."""
    data: dict[str, Any] = {
        "positions": _rounded(
            [
                {
                    "position": group.group,
                    "weights": dict(group.weights),
                    "candidates": [
                        {
                            "candidate": c.candidate,
                            "score": c.score,
                            "se": c.se,
                            "low": c.low,
                            "high": c.high,
                            "p_best": c.p_best,
                            "rank": c.rank,
                            "raw_mean": c.raw_mean,
                            "n_ratings": c.n_ratings,
                            "competencies": {
                                s.competency: {
                                    "score": s.score,
                                    "se": s.se,
                                    "n_ratings": s.n_ratings,
                                    "disagree": s.disagree,
                                }
                                for s in c.competencies
                            },
                        }
                        for c in group.candidates
                    ],
                }
                for group in result.groups
            ]
        )
        if positions
        else [],
        "interviewers": [
            {
                "interviewer": r.interviewer,
                "severity": _round(r.severity),
                "se": _round(r.se),
                "n_ratings": r.n_ratings,
                "fit": _clean(r.fit),
                "spread": _clean(r.spread),
                "flag": r.flag,
            }
            for r in result.interviewers
        ],
        "competencies": [
            {
                "competency": r.competency,
                "difficulty": _round(r.difficulty),
                "mean": _round(r.mean),
                "n_ratings": r.n_ratings,
            }
            for r in result.competencies
        ],
        "model": _rounded(result.model.as_dict()),
    }
    if not positions:
        del data["positions"]
    return data


def _render(result: Comparison, output_format: OutputFormat, has_group: bool) -> str:
    if output_format is OutputFormat.json:
        return _render_json(result)
    if output_format is OutputFormat.csv:
        return _render_csv(result)
    n_candidates = sum(len(group.candidates) for group in result.groups)
    if n_candidates > RICH_TABLE_LIMIT:
        return _render_plain(result, has_group)
    return _render_rich(result, has_group)


def _json_numbers(values: np.ndarray) -> list[str]:
    """Each number as JSON text (floats at JSON_DECIMALS; NaN and infinities as null),
    written in bulk by orjson: a million numbers in milliseconds, not a second."""
    if len(values) == 0:
        return []
    if values.dtype.kind == "f":
        values = np.round(values, JSON_DECIMALS)
    text = orjson.dumps(np.ascontiguousarray(values), option=orjson.OPT_SERIALIZE_NUMPY)
    return text[1:-1].decode().split(",")


#: Per competency the p-value of the disagreement test is left out: it would be a sixth
#: of all the numbers written, and ``disagree`` says what to act on (the engine keeps it).
_CELL_JSON = '%s: {"score": %s, "se": %s, "n_ratings": %s, "disagree": %s}'
_CANDIDATE_JSON = (
    '{"candidate": %s, "score": %s, "se": %s, "low": %s, "high": %s, "p_best": %s, '
    '"rank": %s, "raw_mean": %s, "n_ratings": %s, "competencies": {%s}}'
)


def _render_json(result: Comparison) -> str:
    """The JSON of ``as_json_dict(result)``, written from the result's arrays without
    building an object per candidate and competency."""
    table = result.table
    quoted = json.encoder.encode_basestring  # a name as json.dumps(..., ensure_ascii=False)
    competency = [quoted(name) for name in table.competency_names]
    cells = list(
        map(
            _CELL_JSON.__mod__,
            zip(
                [competency[k] for k in table.cell_competency.tolist()],
                _json_numbers(table.cell_score),
                _json_numbers(table.cell_se),
                _json_numbers(table.cell_n),
                ["true" if d else "false" for d in table.cell_disagree.tolist()],
                strict=True,
            ),
        )
    )
    start, stop = table.cell_start.tolist(), table.cell_stop.tolist()
    candidates = list(
        map(
            _CANDIDATE_JSON.__mod__,
            zip(
                [quoted(table.candidate_names[c]) for c in table.candidate.tolist()],
                _json_numbers(table.score),
                _json_numbers(table.se),
                _json_numbers(table.low),
                _json_numbers(table.high),
                _json_numbers(table.p_best),
                _json_numbers(table.rank),
                _json_numbers(table.raw_mean),
                _json_numbers(table.n_ratings),
                [", ".join(cells[a:b]) for a, b in zip(start, stop, strict=True)],
                strict=True,
            ),
        )
    )  # fmt: skip
    bounds = table.bounds.tolist()
    weights_json: dict[tuple[tuple[str, float], ...], str] = {}  # groups mostly share weights
    positions = []
    for g, (name, weights) in enumerate(zip(table.groups, table.weights, strict=True)):
        key = tuple(weights.items())
        if key not in weights_json:
            weights_json[key] = json.dumps(_rounded(dict(weights)), ensure_ascii=False)
        head = '{"position": ' + ("null" if name is None else quoted(name))
        group_rows = ", ".join(candidates[bounds[g] : bounds[g + 1]])
        positions.append(f'{head}, "weights": {weights_json[key]}, "candidates": [{group_rows}]}}')
    rest = as_json_dict(result, positions=False)
    tail = json.dumps(rest, ensure_ascii=False)[1:]  # '"interviewers": ...}'
    return '{"positions": [' + ", ".join(positions) + "], " + tail + "\n"


def _render_csv(result: Comparison) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    names = [r.competency for r in result.competencies]
    writer.writerow(
        ["position", "rank", "candidate", "score", "se", "low", "high", "p_best", "raw_mean",
         "n_ratings", *(f"score:{n}" for n in names), "disagreement"]
    )  # fmt: skip
    for group in result.groups:
        for c in group.candidates:
            by_name = {s.competency: s for s in c.competencies}
            writer.writerow(
                [group.group or "", c.rank, c.candidate, f"{c.score:.4f}", f"{c.se:.4f}",
                 f"{c.low:.4f}", f"{c.high:.4f}", f"{c.p_best:.4f}",
                 "" if c.raw_mean is None else f"{c.raw_mean:.4f}", c.n_ratings,
                 *(f"{by_name[n].score:.4f}" if n in by_name else "" for n in names),
                 ";".join(s.competency for s in c.competencies if s.disagree)]
            )  # fmt: skip
    return buffer.getvalue()


def _group_title(group_name: str | None, has_group: bool) -> str:
    if group_name is None:
        return "All candidates" if not has_group else "Candidates without a position"
    return f"Position: {group_name}"


def _flagged_interviewers(result: Comparison) -> list[str]:
    return [
        f"  {r.interviewer}: {r.flag} (fit {r.fit:.2f}, spread {r.spread:.2f}, "
        f"{r.n_ratings} ratings)"
        for r in result.interviewers
        if r.flag
    ]


def _render_plain(result: Comparison, has_group: bool) -> str:
    lines: list[str] = []
    for group in result.groups:
        lines.append(_group_title(group.group, has_group))
        lines.append(
            f"  {'rank':>4}  {'candidate':<24} {'score':>6} {'95% interval':>15} "
            f"{'P(best)':>7} {'raw':>5} {'n':>4}  disagreement"
        )
        for c in group.candidates:
            raw = "" if c.raw_mean is None else f"{c.raw_mean:.2f}"
            split = ", ".join(s.competency for s in c.competencies if s.disagree)
            lines.append(
                f"  {c.rank:>4}  {c.candidate[:24]:<24} {c.score:6.2f} "
                f"[{c.low:5.2f}, {c.high:5.2f}] {c.p_best:7.2f} {raw:>5} {c.n_ratings:>4}  {split}"
            )
        lines.append("")
    flagged = _flagged_interviewers(result)
    if flagged:
        lines.append("Interviewers to look at:")
        lines.extend(flagged)
    return "\n".join(lines) + "\n"


def _render_rich(result: Comparison, has_group: bool) -> str:
    from rich.console import Console
    from rich.table import Table

    buffer = io.StringIO()
    console = Console(file=buffer, width=110, force_terminal=False, color_system=None)
    level = round(result.model.level * 100)
    for group in result.groups:
        table = Table(title=_group_title(group.group, has_group), title_justify="left")
        table.add_column("rank", justify="right")
        table.add_column("candidate")
        table.add_column("score", justify="right")
        table.add_column(f"{level}% interval", justify="right")
        table.add_column("P(best)", justify="right")
        table.add_column("raw mean", justify="right")
        table.add_column("ratings", justify="right")
        table.add_column("interviewers disagree on")
        for c in group.candidates:
            table.add_row(
                str(c.rank),
                c.candidate,
                f"{c.score:.2f}",
                f"{c.low:.2f} - {c.high:.2f}",
                f"{c.p_best:.2f}",
                "" if c.raw_mean is None else f"{c.raw_mean:.2f}",
                str(c.n_ratings),
                ", ".join(s.competency for s in c.competencies if s.disagree),
            )
        console.print(table)
    flagged = _flagged_interviewers(result)
    if flagged:
        console.print("Interviewers to look at:")
        for line in flagged:
            console.print(line, markup=False, highlight=False)
    console.print(
        "Score: the rating a typical interviewer would give, leniency removed. "
        "P(best): the chance this candidate is truly the strongest of the position.",
        markup=False,
        highlight=False,
    )
    return buffer.getvalue()
