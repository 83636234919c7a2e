"""`secondround import-first-round` and `restore` given a folder say it is a folder, exit non-zero."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from secondround.cli import app

pytestmark = pytest.mark.django_db


def test_import_given_a_folder_says_so(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        app, ["import-first-round", str(tmp_path), "--position", "1", "--as", "a@example.com"]
    )
    assert result.exit_code == 2
    assert f"{tmp_path}: a folder, not a file" in result.output


def test_restore_given_a_folder_says_so(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["restore", str(tmp_path), "--yes"])
    assert result.exit_code != 0
    assert f"{tmp_path}: a folder, not a file" in result.output
