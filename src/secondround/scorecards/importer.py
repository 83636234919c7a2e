"""Reading round-one ratings from CSV or JSON: every problem is found, by line and column.

A file is accepted whole or not at all; `read_rating_rows` only parses and checks shapes, the
service then resolves people and competencies and reports what it cannot find.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol

from secondround.ids import MAX_ID, is_valid_id

COLUMNS = {
    "candidate_email": ("candidate_email", "candidate"),
    "interviewer_email": ("interviewer_email", "interviewer"),
    "competency": ("competency",),
    "rating": ("rating",),
    "confidence": ("confidence",),
    "notes": ("notes", "evidence"),
    "concern": ("concern",),
    "position": ("position", "position_id"),
}
MAX_FILE_BYTES = 10 * 1024 * 1024  # ~50,000 rating rows; more is not a round-one export
MAX_FIELD_CHARS = 131_072  # Python's csv limit; JSON values are held to the same
DELIMITERS = ",;\t"  # spreadsheets in many locales save "CSV" with semicolons or tabs
REQUIRED = ("candidate_email", "interviewer_email", "competency", "rating")
NOT_ASSESSED = {"", "na", "n/a", "not assessed", "-"}
CONFIDENCE_WORDS = {"low": 2, "medium": 3, "high": 4}
TRUE_WORDS = {"1", "yes", "y", "true", "x"}
FALSE_WORDS = {"", "0", "no", "n", "false"}
NUL = "\x00"  # never meaningful in text, and PostgreSQL cannot store it


@dataclass(frozen=True)
class Problem:
    line: int
    column: str
    message: str
    unit: str = "line"

    def __str__(self) -> str:
        where = "file" if self.unit == "file" else f"{self.unit} {self.line}"
        where += f", column {self.column}" if self.column else ""
        return f"{where}: {self.message}"


@dataclass
class ImportRejected(Exception):
    problems: list[Problem] = field(default_factory=list)

    def __str__(self) -> str:
        return "\n".join(str(p) for p in self.problems)


@dataclass(frozen=True)
class RatingRow:
    line: int
    candidate_email: str
    interviewer_email: str
    competency: str
    rating: int | None
    confidence: int | None
    notes: str
    concern: bool
    position: str


@dataclass(frozen=True)
class ParsedRows:
    rows: list[RatingRow]  # the rows whose shape is right
    problems: list[Problem]  # what is wrong with the others
    unit: str  # "line" for CSV, "record" for JSON
    # The rows with a shape problem, holding only their well-formed names ("" for the rest),
    # so the service also reports who or what it cannot find on them: every problem at once.
    lookup_only: list[RatingRow] = field(default_factory=list)


class Readable(Protocol):
    def read(self, size: int = ..., /) -> bytes: ...


def read_upload(upload: Readable) -> bytes:
    """The file's bytes, refusing one over the size limit without reading it whole.

    An upload knows its size (checked first); any other file is read up to one byte past
    the limit, which is enough to know it is too large.
    """
    size = getattr(upload, "size", None)
    if size is not None and size > MAX_FILE_BYTES:
        raise ImportRejected([_too_large()])
    content = upload.read(MAX_FILE_BYTES + 1)
    if len(content) > MAX_FILE_BYTES:
        raise ImportRejected([_too_large()])
    return content


def _too_large() -> Problem:
    return Problem(0, "", f"the file is larger than {MAX_FILE_BYTES // 2**20} MB", "file")


def read_rating_rows(filename: str, content: bytes) -> ParsedRows:
    """Parse and shape-check every row, collecting every problem found.

    A file that cannot be read at all (not text, empty, no required columns) raises
    ImportRejected at once; row problems are returned so the caller can add its own.
    """
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ImportRejected([Problem(0, "", "the file is not UTF-8 text", "file")]) from error
    if len(content) > MAX_FILE_BYTES:
        raise ImportRejected([_too_large()])
    if not text.strip():
        raise ImportRejected([Problem(0, "", "the file is empty", "file")])
    is_json = filename.lower().endswith(".json") or text.lstrip()[:1] in "[{"
    records, unit = (_json_records(text), "record") if is_json else (_csv_records(text), "line")
    problems: list[Problem] = []
    lookup_only: list[RatingRow] = []
    rows = [
        row for line, record in records if (row := _row(line, record, unit, problems, lookup_only))
    ]
    problems += _duplicates(rows, unit)
    if not records:
        raise ImportRejected([Problem(0, "", "the file has no rating rows", "file")])
    return ParsedRows(rows, problems, unit, lookup_only)


def _csv_records(text: str) -> list[tuple[int, dict[str, str]]]:
    reader = csv.DictReader(io.StringIO(text), delimiter=_delimiter(text))
    records = []
    try:
        header = [name.strip().lower() for name in reader.fieldnames or []]
        _check_header(header, "line")
        for raw in reader:
            values = {k.strip().lower(): (v or "").strip() for k, v in raw.items() if k is not None}
            records.append((reader.line_num, values))
    except csv.Error as error:
        raise ImportRejected([_unreadable_line(reader.line_num + 1, error)]) from error
    return records


def _delimiter(text: str) -> str:
    """The separator of the header line: the candidate that splits it into the most columns."""
    header = text.lstrip("\ufeff").split("\n", 1)[0]
    return max(DELIMITERS, key=header.count)


def _unreadable_line(line: int, error: csv.Error) -> Problem:
    if "field larger than field limit" in str(error):
        message = f"a value is longer than {MAX_FIELD_CHARS:,} characters"
    else:
        message = f"not valid CSV: {error}"
    return Problem(line, "", message, "line")


def _json_records(text: str) -> list[tuple[int, dict[str, str]]]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise ImportRejected(
            [Problem(error.lineno, "", f"not valid JSON: {error.msg}", "line")]
        ) from error
    except RecursionError as error:
        raise ImportRejected(
            [Problem(0, "", "the JSON is nested too deeply: expected a list of objects", "file")]
        ) from error
    if isinstance(data, dict):
        data = data.get("ratings", data.get("rows"))
    if not isinstance(data, list):
        raise ImportRejected([Problem(0, "", "expected a list of rating objects", "file")])
    problems = [
        Problem(number, "", "expected an object", "record")
        for number, item in enumerate(data, start=1)
        if not isinstance(item, dict)
    ]
    if problems:
        raise ImportRejected(problems)
    header = sorted({key.strip().lower() for item in data for key in item})
    _check_header(header, "record")
    too_long = [
        Problem(n, key, f"a value is longer than {MAX_FIELD_CHARS:,} characters", "record")
        for n, item in enumerate(data, start=1)
        for key, value in item.items()
        if len(str(value)) > MAX_FIELD_CHARS
    ]
    if too_long:
        raise ImportRejected(too_long)
    return [
        (n, {k.strip().lower(): "" if v is None else str(v).strip() for k, v in item.items()})
        for n, item in enumerate(data, start=1)
    ]


def _check_header(header: list[str], unit: str) -> None:
    missing = [name for name in REQUIRED if not any(alias in header for alias in COLUMNS[name])]
    if missing and unit == "line":
        raise ImportRejected(
            [Problem(1, name, "this required column is missing", "line") for name in missing]
        )
    if missing:
        raise ImportRejected(
            [Problem(0, name, "no record has this required field", "file") for name in missing]
        )


def _value(record: dict[str, str], name: str) -> str:
    return next((record[alias] for alias in COLUMNS[name] if alias in record), "")


def _row(
    line: int,
    record: dict[str, str],
    unit: str,
    problems: list[Problem],
    lookup_only: list[RatingRow],
) -> RatingRow | None:
    found: list[Problem] = []
    with_nul = {name for name in COLUMNS if NUL in _value(record, name)}

    def problem(column: str, message: str) -> None:
        if column not in with_nul:  # its one problem is the NUL; the rest would quote it
            found.append(Problem(line, column, message, unit))

    found += [
        Problem(line, name, "contains a NUL character, which is not allowed in text", unit)
        for name in sorted(with_nul, key=list(COLUMNS).index)
    ]
    for name in ("candidate_email", "interviewer_email", "competency"):
        if not _value(record, name):
            problem(name, "is empty")
    for name in ("candidate_email", "interviewer_email"):
        if (value := _value(record, name)) and "@" not in value:
            problem(name, f"“{value}” is not an email address")
    rating = _scale_value(_value(record, "rating"), "rating", problem, allow_words=False)
    confidence = _scale_value(_value(record, "confidence"), "confidence", problem, allow_words=True)
    position = _value(record, "position").strip()
    if position.isdigit() and not is_valid_id(position):  # "0", 2**63, "²": no position's id
        problem("position", f"“{position}” is not a position id (a whole number from 1 to "
                f"{MAX_ID}) or title")  # fmt: skip
    concern_text = _value(record, "concern").lower()
    if concern_text not in TRUE_WORDS | FALSE_WORDS:
        problem("concern", f"“{concern_text}” is not yes/no")
    problems += found
    if found:
        lookup_only.append(_names_only(line, record, {p.column for p in found}))
        return None
    return RatingRow(
        line=line,
        candidate_email=_value(record, "candidate_email").lower(),
        interviewer_email=_value(record, "interviewer_email").lower(),
        competency=_value(record, "competency"),
        rating=rating,
        confidence=confidence,
        notes=_value(record, "notes"),
        concern=concern_text in TRUE_WORDS,
        position=_value(record, "position"),
    )


def _names_only(line: int, record: dict[str, str], bad: set[str]) -> RatingRow:
    """A row kept only to look up its names; a malformed name is left blank (not looked up).

    With a malformed position nothing is looked up: the names would be sought in the wrong one.
    """

    def name(column: str) -> str:
        return "" if column in bad or "position" in bad else _value(record, column)

    return RatingRow(
        line=line, candidate_email=name("candidate_email").lower(),
        interviewer_email=name("interviewer_email").lower(), competency=name("competency"),
        rating=None, confidence=None, notes="", concern=False, position=name("position"),
    )  # fmt: skip


def _scale_value(
    text: str, column: str, problem: Callable[[str, str], None], *, allow_words: bool
) -> int | None:
    lowered = text.lower()
    if lowered in NOT_ASSESSED:
        return None
    if allow_words and lowered in CONFIDENCE_WORDS:
        return CONFIDENCE_WORDS[lowered]
    try:
        value = float(lowered)
    except ValueError:
        problem(column, f"“{text}” is not a number from 1 to 5")
        return None
    if not value.is_integer():  # 3.5, NaN, inf: "outside the scale" would mislead for 3.5
        problem(column, f"{text} is not a whole number from 1 to 5")
        return None
    if not 1 <= value <= 5:
        problem(column, f"{text} is outside the 1–5 scale")
        return None
    return int(value)


def _duplicates(rows: list[RatingRow], unit: str) -> list[Problem]:
    seen: dict[tuple[str, str, str, str], int] = {}
    problems = []
    for row in rows:
        key = (row.candidate_email, row.interviewer_email, row.competency.lower(), row.position)
        if key in seen:
            problems.append(
                Problem(row.line, "competency", f"repeats {unit} {seen[key]} (same candidate, "
                        "interviewer and competency)", unit)
            )  # fmt: skip
        else:
            seen[key] = row.line
    return problems
