"""Backups: a round trip restores every table, row for row, into an empty database."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import uuid
from collections.abc import Iterator, Mapping
from contextlib import closing
from pathlib import Path
from typing import Any

import psycopg
import pytest
from django.db import connection

from secondround.ops.backup import (
    BackupError,
    create_backup,
    database_settings,
    list_backups,
    restore_backup,
    rotate,
)
from tests.demo_cache import load_demo

pytestmark = pytest.mark.django_db(transaction=True)


def _pg_url(database: Mapping[str, Any], name: str) -> str:
    password = f":{database['PASSWORD']}" if database.get("PASSWORD") else ""
    host = database.get("HOST") or "127.0.0.1"
    return f"postgresql://{database['USER']}{password}@{host}:{database.get('PORT') or 5432}/{name}"


@pytest.fixture
def empty_database(tmp_path: Path) -> Iterator[dict[str, Any]]:
    """Settings of an empty database of the same kind as the one the tests run on."""
    live = dict(database_settings())
    if connection.vendor == "sqlite":
        yield {**live, "NAME": str(tmp_path / "restored.sqlite3")}
        return
    name = f"restore_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(_pg_url(live, "postgres"), autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    yield {**live, "NAME": name}
    with psycopg.connect(_pg_url(live, "postgres"), autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def every_table(database: Mapping[str, Any]) -> dict[str, list[tuple[Any, ...]]]:
    """Every table's rows, in a stable order, read with the plain database driver."""
    tables = connection.introspection.table_names()
    if connection.vendor == "sqlite":
        name = str(database["NAME"])
        with closing(sqlite3.connect(name, uri=name.startswith("file:"))) as db:
            return {
                t: sorted(db.execute(f'SELECT * FROM "{t}"').fetchall(), key=repr) for t in tables
            }
    with psycopg.connect(_pg_url(database, str(database["NAME"]))) as db:
        return {t: sorted(db.execute(f'SELECT * FROM "{t}"').fetchall(), key=repr) for t in tables}


def test_a_backup_restores_every_table_into_an_empty_database(
    tmp_path: Path, empty_database: dict[str, Any]
) -> None:
    load_demo()
    backup = create_backup(folder=tmp_path / "backups", keep=3)
    assert backup.parent == tmp_path / "backups"
    restore_backup(backup, database=empty_database)
    original = every_table(database_settings())
    restored = every_table(empty_database)
    assert len(original) > 30
    assert sum(len(rows) for rows in original.values()) > 1000  # the demo is really in there
    assert restored == original


def test_rotation_keeps_the_newest(tmp_path: Path) -> None:
    made = [create_backup(folder=tmp_path, keep=3) for _ in range(5)]
    assert list_backups(tmp_path) == made[-3:]
    assert rotate(tmp_path, keep=1) == made[-3:-1]


def test_restore_refuses_a_file_that_is_not_a_backup(tmp_path: Path) -> None:
    bogus = tmp_path / "notes.txt"
    bogus.write_text("hello")
    with pytest.raises(BackupError, match=r"not an? .*backup"):
        restore_backup(bogus)
    with pytest.raises(BackupError, match="no such file"):
        restore_backup(tmp_path / "missing.sqlite3")


def test_backup_and_restore_from_the_command_line(tmp_path: Path) -> None:
    env = {**os.environ, "SECONDROUND_DATA_DIR": str(tmp_path)}
    env.pop("DATABASE_URL", None)

    def secondround(*args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "secondround", *args],
            env=env, capture_output=True, text=True, check=check, input="n\n",
        )  # fmt: skip

    def emails() -> set[str]:
        with closing(sqlite3.connect(tmp_path / "secondround.sqlite3")) as db:
            return {row[0] for row in db.execute("SELECT email FROM accounts_user")}

    secondround("manage", "migrate", "-v0")
    secondround("createuser", "--email", "kept@example.com", "--name", "Kept",
                "--password", "a-long-enough-pass-phrase")  # fmt: skip
    made = secondround("backup").stdout
    assert "Backed up to" in made
    backup = made.split("Backed up to ")[1].strip()
    secondround("createuser", "--email", "later@example.com", "--name", "Later",
                "--password", "a-long-enough-pass-phrase")  # fmt: skip
    refused = secondround("restore", backup, check=False)  # answers "n" to the question
    assert refused.returncode != 0
    assert emails() == {"kept@example.com", "later@example.com"}
    secondround("restore", backup, "--yes")
    assert emails() == {"kept@example.com"}
    wrong = secondround("restore", str(tmp_path / "secret_key"), "--yes", check=False)
    assert wrong.returncode == 1
    assert "not an SQLite backup" in wrong.stderr


@pytest.mark.parametrize("command", [["worker"], ["backup"], ["restore"]])
def test_the_operations_commands_have_help(command: list[str]) -> None:
    from typer.testing import CliRunner

    from secondround.cli import app

    result = CliRunner().invoke(app, [*command, "--help"])
    assert result.exit_code == 0
    assert "Usage" in result.output


def test_backup_refuses_to_keep_nothing() -> None:
    from typer.testing import CliRunner

    from secondround.cli import app

    result = CliRunner().invoke(app, ["backup", "--keep", "0"])
    assert result.exit_code == 2
    assert "--keep: keep at least one backup." in result.output


def _sqlite_target(tmp_path: Path) -> dict[str, Any]:
    """An SQLite database holding a backup of the test database with one user in it."""
    from tests.factories import UserFactory

    UserFactory(email="kept@example.com")
    target = {**database_settings(), "NAME": str(tmp_path / "live.sqlite3")}
    restore_backup(create_backup(folder=tmp_path / "backups", keep=1), database=target)
    return target


def _user_rows(database: Mapping[str, Any]) -> list[tuple[Any, ...]]:
    with closing(sqlite3.connect(str(database["NAME"]))) as db:
        return db.execute("SELECT email FROM accounts_user ORDER BY email").fetchall()


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite files restore on SQLite only")
def test_restore_refuses_an_sqlite_file_that_is_not_a_secondround_backup(tmp_path: Path) -> None:
    """Another program's database (or an empty one) would replace every record and then be
    migrated into an empty secondround, reported as "Restored": refused, nothing touched."""
    target = _sqlite_target(tmp_path)
    assert _user_rows(target) == [("kept@example.com",)]
    other = tmp_path / "other-app.sqlite3"
    with closing(sqlite3.connect(other)) as db:
        db.execute("CREATE TABLE notes (body TEXT)")
        db.commit()
    empty = tmp_path / "empty.sqlite3"
    with closing(sqlite3.connect(empty)) as db:
        db.execute("PRAGMA user_version = 1")  # an SQLite file with no tables at all
    for wrong in (other, empty):
        with pytest.raises(BackupError, match="not a secondround backup"):
            restore_backup(wrong, database=target)
        assert _user_rows(target) == [("kept@example.com",)]


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite files restore on SQLite only")
def test_restore_refuses_a_damaged_backup_and_keeps_the_database(tmp_path: Path) -> None:
    """A backup cut short (a full disk, a copy interrupted) is refused with a message, not a
    traceback, and the database is left as it was."""
    target = _sqlite_target(tmp_path)
    whole = create_backup(folder=tmp_path / "more", keep=1)
    cut = tmp_path / "cut.sqlite3"
    cut.write_bytes(whole.read_bytes()[: whole.stat().st_size // 2])
    garbage = tmp_path / "garbage.sqlite3"
    garbage.write_bytes(b"SQLite format 3\x00" + b"\x07" * 5000)
    before = every_table(target)
    for damaged in (cut, garbage):
        with pytest.raises(BackupError, match="damaged"):
            restore_backup(damaged, database=target)
        assert every_table(target) == before


def test_restore_of_a_wrong_sqlite_file_from_the_command_line_changes_nothing(
    tmp_path: Path,
) -> None:
    from typer.testing import CliRunner

    from secondround.cli import app

    other = tmp_path / "other-app.sqlite3"
    with closing(sqlite3.connect(other)) as db:
        db.execute("CREATE TABLE notes (body TEXT)")
        db.commit()
    result = CliRunner().invoke(app, ["restore", str(other), "--yes"])
    assert result.exit_code == 1
    assert f"Restore failed: {other}: not a" in result.output
    assert "Traceback" not in result.output
