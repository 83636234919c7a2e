"""Round-one import: all or nothing, every problem by line and column, idempotent."""

from __future__ import annotations

import json
from io import BytesIO
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from typer.testing import CliRunner

from secondround.accounts.models import Role, User
from secondround.cli import app
from secondround.hiring.models import Position
from secondround.scorecards.importer import MAX_FILE_BYTES, ImportRejected, read_upload
from secondround.scorecards.models import Rating, Scorecard
from secondround.scorecards.services import import_first_round
from tests.conftest import client_for
from tests.factories import UserFactory, make_application

pytestmark = pytest.mark.django_db

HEADER = "candidate_email,interviewer_email,competency,rating,confidence,notes,concern\n"


@pytest.fixture
def setup(position: Position, panel_interviewer: User) -> tuple[Position, str, str]:
    application = make_application(position, name="Ada Byron")
    return position, application.candidate.email, panel_interviewer.email


def run(position: Position, text: str, filename: str = "r1.csv") -> object:
    return import_first_round(
        actor=position.hiring_manager, filename=filename, content=text.encode(), position=position
    )


def problems_of(position: Position, text: str, filename: str = "r1.csv") -> list[str]:
    with pytest.raises(ImportRejected) as rejected:
        run(position, text, filename)
    assert Rating.objects.count() == 0 and Scorecard.objects.count() == 0
    return [str(p) for p in rejected.value.problems]


def test_good_file_is_stored_and_reimport_changes_nothing(setup: tuple[Position, str, str]) -> None:
    position, candidate, interviewer = setup
    text = HEADER + (
        f"{candidate},{interviewer},System design,4,4,Clear trade-offs,no\n"
        f"{candidate},{interviewer},Debugging unclear problems,NA,,,\n"
        f"{candidate},{interviewer},code quality and testing,2,low,Skipped tests,yes\n"
    )
    first = run(position, text)
    assert (first.created, first.updated, first.unchanged) == (3, 0, 0)  # type: ignore[attr-defined]
    ratings = {r.competency.name: r for r in Rating.objects.select_related("competency")}
    assert ratings["System design"].rating == 4
    assert ratings["Debugging unclear problems"].rating is None
    assert ratings["Code quality and testing"].confidence == 2
    assert ratings["Code quality and testing"].concern is True
    again = run(position, text)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)  # type: ignore[attr-defined]
    assert Rating.objects.count() == 3 and Scorecard.objects.count() == 1


def test_changed_file_updates_in_place(setup: tuple[Position, str, str]) -> None:
    position, candidate, interviewer = setup
    run(position, HEADER + f"{candidate},{interviewer},System design,4,4,x,no\n")
    result = run(position, HEADER + f"{candidate},{interviewer},System design,5,4,x,no\n")
    assert (result.created, result.updated) == (0, 1)  # type: ignore[attr-defined]
    assert Rating.objects.get().rating == 5


def test_json_import(setup: tuple[Position, str, str]) -> None:
    position, candidate, interviewer = setup
    rows = [{"candidate_email": candidate, "interviewer_email": interviewer,
             "competency": "System design", "rating": 3, "confidence": 5, "notes": "ok",
             "concern": False}]  # fmt: skip
    run(position, json.dumps(rows), "r1.json")
    assert Rating.objects.get().rating == 3


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        ("{c},{i},System design,7,3,,no", "line 2, column rating: 7 is outside the 1–5 scale"),
        ("{c},{i},System design,great,3,,no", "line 2, column rating: “great” is not a number"),
        ("{c},{i},System design,3.5,3,,no", "line 2, column rating: 3.5 is not a whole number from 1 to 5"),
        ("{c},{i},System design,NaN,3,,no", "line 2, column rating: NaN is not a whole number from 1 to 5"),
        ("{c},{i},System design,3,sure,,no", "line 2, column confidence: “sure” is not a number"),
        ("{c},{i},System design,3,3,,maybe", "line 2, column concern: “maybe” is not yes/no"),
        ("{c},nobody@example.com,System design,3,3,,no", "line 2, column interviewer_email: no active user"),
        ("{c},{i},Juggling,3,3,,no", "line 2, column competency: “Juggling” is not a competency"),
        ("ghost@example.com,{i},System design,3,3,,no", "line 2, column candidate_email: no application"),
        ("{c},{i},,3,3,,no", "line 2, column competency: is empty"),
        ("not-an-email,{i},System design,3,3,,no", "line 2, column candidate_email: “not-an-email” is not an email"),
    ],
)  # fmt: skip
def test_each_kind_of_bad_row_is_named_and_nothing_is_stored(
    setup: tuple[Position, str, str], row: str, expected: str
) -> None:
    position, candidate, interviewer = setup
    good = f"{candidate},{interviewer},Code quality and testing,4,4,fine,no\n"
    text = HEADER + row.format(c=candidate, i=interviewer) + "\n" + good
    problems = problems_of(position, text)
    assert any(p.startswith(expected) for p in problems), problems


def test_every_problem_is_listed_not_only_the_first(setup: tuple[Position, str, str]) -> None:
    position, candidate, interviewer = setup
    text = HEADER + (
        f"{candidate},{interviewer},System design,9,3,,no\n"
        f"{candidate},{interviewer},Juggling,3,3,,no\n"
        f"{candidate},{interviewer},Debugging unclear problems,3,3,,perhaps\n"
    )
    problems = problems_of(position, text)
    assert [p.split(":")[0] for p in problems] == [
        "line 2, column rating", "line 3, column competency", "line 4, column concern",
    ]  # fmt: skip


def test_duplicate_rows_are_refused(setup: tuple[Position, str, str]) -> None:
    position, candidate, interviewer = setup
    row = f"{candidate},{interviewer},System design,3,3,,no\n"
    assert problems_of(position, HEADER + row + row) == [
        "line 3, column competency: repeats line 2 (same candidate, interviewer and competency)"
    ]


@pytest.mark.parametrize(
    ("content", "filename", "expected"),
    [
        (b"", "r1.csv", "file: the file is empty"),
        (b"\xff\xfe\x00bad", "r1.csv", "file: the file is not UTF-8 text"),
        (b"candidate_email,rating\na@b.org,3\n", "r1.csv", "line 1, column interviewer_email: this required column is missing"),
        (b"[{\"candidate_email\": \"a@b.org\"}]", "r1.json", "file, column interviewer_email: no record has this required field"),
        (b"[{\"candidate_email\": 1,}]", "r1.json", "line 1: not valid JSON"),
        (HEADER.encode(), "r1.csv", "file: the file has no rating rows"),
    ],
)  # fmt: skip
def test_unreadable_files_are_refused(
    setup: tuple[Position, str, str], content: bytes, filename: str, expected: str
) -> None:
    position = setup[0]
    with pytest.raises(ImportRejected) as rejected:
        import_first_round(
            actor=position.hiring_manager, filename=filename, content=content, position=position
        )
    assert any(str(p).startswith(expected) for p in rejected.value.problems), rejected.value


def test_cli_import_exits_2_listing_problems_and_0_when_good(
    setup: tuple[Position, str, str], tmp_path: Path
) -> None:
    position, candidate, interviewer = setup
    bad = tmp_path / "bad.csv"
    bad.write_text(HEADER + f"{candidate},{interviewer},System design,6,3,,no\n")
    args = [
        "import-first-round",
        "--position",
        str(position.pk),
        "--as",
        position.hiring_manager.email,
    ]
    result = CliRunner().invoke(app, [*args, str(bad)])
    assert result.exit_code == 2
    assert "line 2, column rating: 6 is outside the 1–5 scale" in result.output
    good = tmp_path / "good.csv"
    good.write_text(HEADER + f"{candidate},{interviewer},System design,4,3,,no\n")
    result = CliRunner().invoke(app, [*args, str(good)])
    assert result.exit_code == 0, result.output
    assert "1 new" in result.output
    missing = CliRunner().invoke(app, [*args, str(tmp_path / "nope.csv")])
    assert missing.exit_code == 2


# --- issue #10, item 9: malformed files are refused by line, never a 500 ----------------------


def test_an_evidence_field_over_the_csv_limit_is_named(setup: tuple[Position, str, str]) -> None:
    position, candidate, interviewer = setup
    text = HEADER + f'{candidate},{interviewer},System design,4,4,"{"x" * 131_073}",no\n'
    problems = problems_of(position, text)
    assert problems == ["line 2: a value is longer than 131,072 characters"]


def test_a_json_value_over_the_limit_is_named(setup: tuple[Position, str, str]) -> None:
    position, candidate, interviewer = setup
    record = {"candidate_email": candidate, "interviewer_email": interviewer,
              "competency": "System design", "rating": 4, "notes": "x" * 131_073}  # fmt: skip
    problems = problems_of(position, json.dumps([record]), "r1.json")
    assert problems == ["record 1, column notes: a value is longer than 131,072 characters"]


def test_deeply_nested_json_is_refused(setup: tuple[Position, str, str]) -> None:
    position, _candidate, _interviewer = setup
    problems = problems_of(position, "[" * 100_000 + "]" * 100_000, "r1.json")
    assert problems == ["file: the JSON is nested too deeply: expected a list of objects"]


def test_a_file_over_the_size_limit_is_refused_unread() -> None:
    class Upload(BytesIO):
        size = MAX_FILE_BYTES + 1
        reads: list[int] = []

        def read(self, size: int | None = -1, /) -> bytes:
            self.reads.append(size if size is not None else -1)
            return super().read(size)

    upload = Upload(b"x" * 10)
    with pytest.raises(ImportRejected) as rejected:
        read_upload(upload)
    assert str(rejected.value) == "file: the file is larger than 10 MB"
    assert upload.reads == []  # the declared size is enough; nothing was read
    endless = BytesIO(b"a" * (MAX_FILE_BYTES + 100))
    with pytest.raises(ImportRejected):
        read_upload(endless)
    assert endless.tell() == MAX_FILE_BYTES + 1  # read one byte past the limit, no more


def test_a_20_mb_upload_is_refused_on_the_page(setup: tuple[Position, str, str]) -> None:
    position, _candidate, _interviewer = setup
    big = SimpleUploadedFile("r1.csv", HEADER.encode() + b"x" * (20 * 2**20))
    response = client_for(position.hiring_manager).post(
        reverse("round-one-import", args=[position.pk]), {"file": big}
    )
    assert response.status_code == 400  # refused: a 4xx to scripts as well as a message
    assert "the file is larger than 10 MB" in response.content.decode()
    assert Rating.objects.count() == 0


def test_semicolon_separated_files_are_read(setup: tuple[Position, str, str]) -> None:
    position, candidate, interviewer = setup
    text = HEADER.replace(",", ";") + (
        f"{candidate};{interviewer};System design;4;4;Clear trade-offs, with numbers;no\n"
    )
    run(position, text)
    rating = Rating.objects.get()
    assert rating.rating == 4 and rating.notes == "Clear trade-offs, with numbers"


def test_a_job_seekers_email_is_not_a_round_one_interviewer(
    setup: tuple[Position, str, str],
) -> None:
    position, candidate, _interviewer = setup
    seeker = UserFactory(role=Role.JOB_SEEKER, email="robin@mail.example")
    text = HEADER + f"{candidate},{seeker.email},System design,4,4,Clear,no\n"
    assert problems_of(position, text) == [
        "line 2, column interviewer_email: robin@mail.example is a job seeker's account, "
        "outside the organisation: not an interviewer"
    ]


def test_value_and_lookup_problems_are_listed_in_one_pass(
    setup: tuple[Position, str, str],
) -> None:
    position, candidate, interviewer = setup
    UserFactory(role=Role.JOB_SEEKER, email="robin@mail.example")
    text = HEADER + (
        f"nobody@mail.example,{interviewer},System design,7,,,\n"
        f"{candidate},robin@mail.example,Juggling,4,,,\n"
        f"{candidate},{interviewer},System design,abc,,,\n"
    )
    problems = problems_of(position, text)
    assert len(problems) == 5, problems
    assert problems[0].startswith("line 2, column candidate_email") and "nobody" in problems[0]
    assert problems[1].startswith("line 2, column rating") and "outside the 1–5" in problems[1]
    assert (
        problems[2].startswith("line 3, column interviewer_email") and "job seeker" in problems[2]
    )
    assert problems[3].startswith("line 3, column competency") and "Juggling" in problems[3]
    assert problems[4].startswith("line 4, column rating") and "abc" in problems[4]


# --- trial r8, staff #9: a NUL character is refused by line and column, like any bad value ------

NUL_PROBLEM = "contains a NUL character, which is not allowed in text"


def test_a_nul_in_a_csv_note_is_refused_by_line_and_column(
    setup: tuple[Position, str, str],
) -> None:
    position, candidate, interviewer = setup
    text = HEADER + (
        f"{candidate},{interviewer},System design,4,4,fine,no\n"
        f"{candidate},{interviewer},Debugging unclear problems,4,4,a\x00b,no\n"
    )
    assert problems_of(position, text) == [f"line 3, column notes: {NUL_PROBLEM}"]


def test_a_nul_in_a_json_name_is_refused_and_not_looked_up(
    setup: tuple[Position, str, str],
) -> None:
    position, candidate, interviewer = setup
    record = {"candidate_email": candidate, "interviewer_email": interviewer,
              "competency": "System\x00design", "rating": 4, "position": f"{position.pk}\x00"}  # fmt: skip
    problems = problems_of(position, json.dumps([record]), "r1.json")
    assert problems == [
        f"record 1, column competency: {NUL_PROBLEM}",
        f"record 1, column position: {NUL_PROBLEM}",
    ]


def test_a_nul_is_refused_on_the_page_and_the_cli(
    setup: tuple[Position, str, str], tmp_path: Path
) -> None:
    position, candidate, interviewer = setup
    content = (HEADER + f"{candidate},{interviewer},System design,4,4,a\x00b,no\n").encode()
    response = client_for(position.hiring_manager).post(
        reverse("round-one-import", args=[position.pk]),
        {"file": SimpleUploadedFile("r1.csv", content)},
    )
    assert response.status_code == 400
    assert f"line 2, column notes: {NUL_PROBLEM}" in response.content.decode()
    upload = tmp_path / "nul.csv"
    upload.write_bytes(content)
    result = CliRunner().invoke(
        app,
        ["import-first-round", "--position", str(position.pk), "--as",
         position.hiring_manager.email, str(upload)],
    )  # fmt: skip
    assert result.exit_code == 2 and f"line 2, column notes: {NUL_PROBLEM}" in result.output
    assert Rating.objects.count() == 0


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (b"", "The submitted file is empty."),
        ("candidate_email;notes\nx@y.test;Gr\xfc\xdfe\n".encode("latin-1"), "not UTF-8 text"),
        (HEADER.encode(), "the file has no rating rows"),
    ],
)
def test_a_refused_file_answers_400_naming_the_problem(
    setup: tuple[Position, str, str], content: bytes, problem: str
) -> None:
    position, _candidate, _interviewer = setup
    response = client_for(position.hiring_manager).post(
        reverse("round-one-import", args=[position.pk]),
        {"file": SimpleUploadedFile("r1.csv", content)},
    )
    assert response.status_code == 400
    assert problem in response.content.decode()
    assert Rating.objects.count() == 0


# --- a position column holding an id out of range: named, never an overflow traceback ------


@pytest.mark.parametrize("value", [str(2**63), "99999999999999999999999", "²", "0"])
def test_a_position_id_out_of_range_is_named_by_line(
    setup: tuple[Position, str, str], value: str
) -> None:
    """With no position given (the command line without --position), the position column
    picks one; an id no position can have was handed to the database (OverflowError on
    SQLite, DataError on PostgreSQL) or to int() ("²" is a digit to Python)."""
    position, candidate, interviewer = setup
    text = (
        "candidate_email,interviewer_email,competency,rating,position\n"
        f"{candidate},{interviewer},System design,4,{value}\n"
    )
    with pytest.raises(ImportRejected) as rejected:
        import_first_round(actor=position.hiring_manager, filename="r1.csv", content=text.encode())
    assert [str(p) for p in rejected.value.problems] == [
        f"line 2, column position: “{value}” is not a position id "
        "(a whole number from 1 to 9223372036854775807) or title"
    ]
    assert Rating.objects.count() == 0 and Scorecard.objects.count() == 0


def test_cli_names_a_position_id_out_of_range(
    setup: tuple[Position, str, str], tmp_path: Path
) -> None:
    position, candidate, interviewer = setup
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "candidate_email,interviewer_email,competency,rating,position\n"
        f"{candidate},{interviewer},System design,4,{2**70}\n"
    )
    result = CliRunner().invoke(
        app, ["import-first-round", "--as", position.hiring_manager.email, str(bad)]
    )
    assert result.exit_code == 2, result.output
    assert f"line 2, column position: “{2**70}” is not a position id" in result.output
    good = tmp_path / "good.csv"
    good.write_text(
        "candidate_email,interviewer_email,competency,rating,position\n"
        f"{candidate},{interviewer},System design,4,{position.pk}\n"
    )
    result = CliRunner().invoke(
        app, ["import-first-round", "--as", position.hiring_manager.email, str(good)]
    )
    assert result.exit_code == 0, result.output
