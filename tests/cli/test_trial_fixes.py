"""Command-line findings from a new-user trial: `import-first-round` says who acts (`--as`)
instead of acting as the first superuser, and `createuser` checks every other argument before
it asks for a password."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from secondround.accounts.models import Role, User
from secondround.cli import app
from secondround.scorecards.models import Scorecard
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSPHRASE = "a-long-passphrase-9"


def test_import_without_as_exits_2_naming_it_and_acts_as_nobody(tmp_path: Path) -> None:
    UserFactory(role=Role.ADMIN, is_superuser=True, is_staff=True)  # no silent stand-in
    ratings = tmp_path / "r1.csv"
    ratings.write_text("candidate_email,interviewer_email,competency,rating\n")
    result = CliRunner().invoke(app, ["import-first-round", str(ratings), "--position", "1"])
    assert result.exit_code == 2
    assert "--as" in result.output
    assert not Scorecard.objects.exists()


def test_import_with_an_unknown_as_names_it(tmp_path: Path) -> None:
    ratings = tmp_path / "r1.csv"
    ratings.write_text("candidate_email,interviewer_email,competency,rating\n")
    result = CliRunner().invoke(
        app, ["import-first-round", str(ratings), "--as", "nobody@example.com"]
    )
    assert result.exit_code == 2
    assert "--as nobody@example.com" in result.output


@pytest.mark.parametrize(
    ("args", "field"),
    [
        (["--role", "boss"], "role"),
        (["--email", "nope"], "email"),
        (["--name", "  "], "full_name"),
        (["--department", "x" * 101], "department"),
    ],
)
def test_createuser_names_a_bad_argument_before_asking_for_a_password(
    args: list[str], field: str
) -> None:
    base = {"--email": "x@example.com", "--name": "X"}
    for flag, value in zip(args[::2], args[1::2], strict=True):
        base[flag] = value
    flat = [item for pair in base.items() for item in pair]
    result = CliRunner().invoke(app, ["createuser", *flat], input=f"{PASSPHRASE}\n{PASSPHRASE}\n")
    assert result.exit_code == 2
    assert f"{field}:" in result.output
    assert "Password" not in result.output  # never asked
    assert not User.objects.exists()


def test_createuser_names_an_email_already_taken_before_asking() -> None:
    UserFactory(email="taken@example.com")
    result = CliRunner().invoke(
        app, ["createuser", "--email", "Taken@Example.com", "--name", "T"],
        input=f"{PASSPHRASE}\n{PASSPHRASE}\n",
    )  # fmt: skip
    assert result.exit_code == 2
    assert "email:" in result.output and "Password" not in result.output


def test_createuser_asks_for_the_password_once_the_rest_is_good() -> None:
    result = CliRunner().invoke(
        app, ["createuser", "--email", "new@example.com", "--name", "New Person"],
        input=f"{PASSPHRASE}\n{PASSPHRASE}\n",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "Password" in result.output
    assert User.objects.get(email="new@example.com").check_password(PASSPHRASE)
