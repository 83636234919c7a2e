"""Backups into the data folder: SQLite's online backup API, or pg_dump for PostgreSQL.

A backup is written under a temporary name and renamed when complete, so a file that looks
like a backup is one. Only the newest `SECONDROUND_BACKUP_KEEP` are kept.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from collections.abc import Mapping
from contextlib import closing
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connections
from django.utils import timezone

PREFIX = "secondround-"
SUFFIX = {"sqlite": ".sqlite3", "postgresql": ".pgdump"}
PG_DUMP_MAGIC = b"PGDMP"
SQLITE_MAGIC = b"SQLite format 3\x00"


class BackupError(Exception):
    """A backup or restore that could not be done; the message says why."""


def database_settings(alias: str = "default") -> Mapping[str, Any]:
    return connections[alias].settings_dict


def vendor_of(database: Mapping[str, Any]) -> str:
    engine = str(database["ENGINE"])
    if engine.endswith("sqlite3"):
        return "sqlite"
    if "postgresql" in engine:
        return "postgresql"
    raise BackupError(f"backups support SQLite and PostgreSQL, not {engine}")


def create_backup(
    *,
    folder: Path | None = None,
    keep: int | None = None,
    database: Mapping[str, Any] | None = None,
) -> Path:
    """Back the database up into `folder` (default: the data folder's backups) and rotate."""
    database = database or database_settings()
    vendor = vendor_of(database)
    folder = Path(folder or settings.SECONDROUND_BACKUP_DIR)
    folder.mkdir(parents=True, exist_ok=True)
    target = _new_backup_path(folder, SUFFIX[vendor])
    partial = target.with_name(target.name + ".partial")
    try:
        if vendor == "sqlite":
            _sqlite_copy(str(database["NAME"]), str(partial))
        else:
            _run_pg("pg_dump", ["--format=custom", "--no-owner", f"--file={partial}"], database)
        partial.rename(target)
    finally:
        partial.unlink(missing_ok=True)
    rotate(folder, keep=settings.SECONDROUND_BACKUP_KEEP if keep is None else keep)
    return target


def list_backups(folder: Path) -> list[Path]:
    """Backups in `folder`, oldest first (their names sort by time)."""
    return sorted(
        path
        for path in folder.glob(f"{PREFIX}*")
        if path.suffix in SUFFIX.values() and path.is_file()
    )


def rotate(folder: Path, *, keep: int) -> list[Path]:
    """Delete all but the newest `keep` backups; returns what was deleted."""
    backups = list_backups(folder)
    doomed = backups[: max(len(backups) - max(keep, 1), 0)]
    for path in doomed:
        path.unlink()
    return doomed


def restore_backup(path: Path, *, database: Mapping[str, Any] | None = None) -> None:
    """Replace the database's content with the backup's. Stop the servers first."""
    database = database or database_settings()
    vendor = vendor_of(database)
    if not path.is_file():
        raise BackupError(f"{path}: {'a folder, not a file' if path.is_dir() else 'no such file'}")
    head = path.open("rb").read(16)
    if vendor == "sqlite":
        if not head.startswith(SQLITE_MAGIC):
            raise BackupError(f"{path}: not an SQLite backup (this install runs on SQLite)")
        check_sqlite_backup(path)
        try:
            _sqlite_copy(str(path), str(database["NAME"]))
        except sqlite3.Error as error:  # the copy is one transaction: nothing was replaced
            raise BackupError(
                f"{path}: could not be restored ({error}); nothing changed"
            ) from error
    else:
        if not head.startswith(PG_DUMP_MAGIC):
            raise BackupError(f"{path}: not a pg_dump backup (this install runs on PostgreSQL)")
        flags = ["--clean", "--if-exists", "--no-owner", "--single-transaction", "--exit-on-error"]
        _run_pg("pg_restore", [*flags, str(path)], database)
    for connection in connections.all():
        connection.close()  # so nothing keeps reading the replaced database's old pages


#: Tables every secondround database has since its first migration.
REQUIRED_TABLES = ("django_migrations", "accounts_user", "hiring_position")


def check_sqlite_backup(path: Path) -> None:
    """Refuse a file that is not a whole secondround database, before anything is replaced.

    Restoring copies the file over every table: another program's database (or an empty one)
    would leave an empty secondround after the migrations, and a copy cut short fails halfway.
    The file is only read (``mode=ro``), never changed.
    """
    try:
        with closing(sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)) as db:
            check = db.execute("PRAGMA quick_check").fetchone()
            tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master")}
    except sqlite3.Error as error:
        raise BackupError(f"{path}: the backup is damaged ({error}); nothing changed") from error
    if not check or check[0] != "ok":
        problem = check[0] if check else "no answer to an integrity check"
        raise BackupError(f"{path}: the backup is damaged ({problem}); nothing changed")
    missing = [table for table in REQUIRED_TABLES if table not in tables]
    if missing:
        raise BackupError(
            f"{path}: not a secondround backup (it has no {', '.join(missing)} table); "
            "nothing changed"
        )


def _new_backup_path(folder: Path, suffix: str) -> Path:
    # Microseconds keep names unique and sorting by name the same as sorting by time.
    stamp = timezone.now().strftime("%Y%m%d-%H%M%S-%f")
    return folder / f"{PREFIX}{stamp}{suffix}"


def _sqlite_copy(source: str, destination: str) -> None:
    """SQLite's online backup: a consistent copy, even while others write to the source."""
    if not source.startswith("file:") and not Path(source).exists():
        raise BackupError(f"{source}: no such database")  # connect() would create an empty one
    with closing(_sqlite_connect(source)) as src, closing(_sqlite_connect(destination)) as dst:
        src.backup(dst)


def _sqlite_connect(name: str) -> sqlite3.Connection:
    # Django's in-memory test databases are shared-cache URIs ("file:memorydb_…").
    return sqlite3.connect(name, uri=name.startswith("file:"))


def _pg_binary(name: str) -> str:
    folder = settings.SECONDROUND_PG_BIN
    found = str(Path(folder) / name) if folder else shutil.which(name)
    if not found or not Path(found).exists():
        raise BackupError(
            f"{name} not found: install the PostgreSQL client or set SECONDROUND_PG_BIN"
        )
    return found


def _run_pg(program: str, arguments: list[str], database: Mapping[str, Any]) -> None:
    env = {**os.environ}
    if database.get("PASSWORD"):
        env["PGPASSWORD"] = str(database["PASSWORD"])
    target = [f"--dbname={database['NAME']}"]
    for flag, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if database.get(key):
            target.append(f"{flag}={database[key]}")
    result = subprocess.run(
        [_pg_binary(program), *target, *arguments], env=env, capture_output=True, text=True
    )
    if result.returncode != 0:
        raise BackupError(f"{program} failed: {result.stderr.strip() or result.returncode}")
