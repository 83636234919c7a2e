from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from secondround.accounts.models import Role, User
from secondround.cli import app

runner = CliRunner()


@pytest.mark.parametrize(
    "command",
    [
        [],
        ["serve"],
        ["demo"],
        ["createuser"],
        ["compare"],
        ["remind"],
        ["worker"],
        ["backup"],
        ["restore"],
        ["retention"],
        ["import-first-round"],
        ["schedule"],
        ["practice", "analyze"],
    ],
)
def test_every_command_has_help(command: list[str]) -> None:
    result = runner.invoke(app, [*command, "--help"])
    assert result.exit_code == 0
    assert "Usage" in result.output


@pytest.mark.django_db
def test_createuser_creates_a_user_who_can_log_in() -> None:
    result = runner.invoke(
        app,
        ["createuser", "--email", "New@Example.com", "--name", "New Person",
         "--role", "recruiter", "--department", "People", "--password", "a-long-passphrase-9"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    user = User.objects.get(email="new@example.com")
    assert user.role == Role.RECRUITER
    assert user.department is not None and user.department.name == "People"
    assert user.check_password("a-long-passphrase-9")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("args", "field"),
    [
        (["--role", "boss", "--password", "a-long-passphrase-9"], "role"),
        (["--password", "123"], "password"),
        (["--email", "nope", "--password", "a-long-passphrase-9"], "email"),
    ],
)
def test_createuser_bad_input_exits_2_naming_the_field(args: list[str], field: str) -> None:
    base = {"--email": "x@example.com", "--name": "X"}
    for flag, value in zip(args[::2], args[1::2], strict=True):
        base[flag] = value
    flat = [item for pair in base.items() for item in pair]
    result = runner.invoke(app, ["createuser", *flat])
    assert result.exit_code == 2
    assert field in result.output
    assert not User.objects.exists()


def test_demo_loads_into_a_fresh_data_folder(tmp_path: Path) -> None:
    """The real command, in its own process and database, as a new user runs it."""
    env = {"SECONDROUND_DATA_DIR": str(tmp_path), "PATH": "/usr/bin:/bin"}
    result = subprocess.run(
        [sys.executable, "-m", "secondround", "demo"], capture_output=True, text=True, env=env
    )
    assert result.returncode == 0, result.stderr
    assert "hana@kestrel.example" in result.stdout
    assert (tmp_path / "secondround.sqlite3").exists()
    assert (tmp_path / "secret_key").read_text().strip()
    again = subprocess.run(
        [sys.executable, "-m", "secondround", "demo"], capture_output=True, text=True, env=env
    )
    assert again.returncode == 2
    assert "--reset" in again.stderr


def test_static_files_collect_for_the_production_server(tmp_path: Path) -> None:
    """`serve` collects static files with hashed names; a broken reference would stop it."""
    env = {"SECONDROUND_DATA_DIR": str(tmp_path), "PATH": "/usr/bin:/bin"}
    result = subprocess.run(
        [sys.executable, "-m", "secondround", "manage", "collectstatic", "--noinput", "-v0"],
        capture_output=True, text=True, env=env,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert list((tmp_path / "static" / "secondround").glob("app.*.css"))


def test_serve_loads_the_demo_only_when_asked() -> None:
    import inspect

    from secondround.cli import serve

    assert inspect.signature(serve).parameters["demo"].default is False
    assert "--demo" in runner.invoke(app, ["serve", "--help"]).output


@pytest.mark.django_db
def test_an_empty_database_stays_empty_without_demo(capsys: pytest.CaptureFixture[str]) -> None:
    from secondround.cli import _load_demo_if_asked, _print_logins

    _load_demo_if_asked(False)
    _print_logins()
    assert not User.objects.exists()
    out = capsys.readouterr().out
    assert "secondround createuser --role admin" in out and "WARNING" not in out


@pytest.mark.django_db
def test_asking_for_the_demo_warns_of_its_published_password(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from secondround.cli import _load_demo_if_asked, _print_logins

    _load_demo_if_asked(True)
    _print_logins()
    out = capsys.readouterr().out
    assert User.objects.filter(role=Role.ADMIN).exists()
    assert "WARNING: this database holds the demo accounts" in out
