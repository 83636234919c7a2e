"""The command line starts fast: `--help` imports nothing heavy.

Checked by the modules loaded (in a fresh process), not by a timing, so the test says the
same on a busy machine; `benchmarks/calibration.py` reports the start-up time itself.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2] / "src"
#: Modules that each cost tens to hundreds of milliseconds to import.
HEAVY = (
    "django",
    "numpy",
    "scipy",
    "pandas",
    "rich",
    "secondround.engines.calibration",
    "secondround.engines.answers",
)


def loaded_after(argv: list[str]) -> tuple[int, list[str], str]:
    """(exit code, heavy modules imported, output) of `secondround ARGV` in a new process."""
    code = (
        "import sys\n"
        "from secondround.cli import main\n"
        f"sys.argv = ['secondround', *{argv!r}]\n"
        "try:\n"
        "    main()\n"
        "except SystemExit as done:\n"
        "    status = done.code or 0\n"
        "else:\n"
        "    status = 0\n"
        f"heavy = [m for m in {HEAVY!r} if m in sys.modules]\n"
        "print('HEAVY=' + ','.join(heavy))\n"
        "sys.exit(status)\n"
    )
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(SRC)}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    marker = [line for line in done.stdout.splitlines() if line.startswith("HEAVY=")]
    assert marker, done.stdout + done.stderr
    heavy = [name for name in marker[-1].removeprefix("HEAVY=").split(",") if name]
    return done.returncode, heavy, done.stdout


@pytest.mark.parametrize(
    "argv",
    [["--help"], ["compare", "--help"], ["practice", "analyze", "--help"], ["serve", "--help"]],
)
def test_help_imports_no_heavy_module(argv: list[str]) -> None:
    status, heavy, output = loaded_after(argv)
    assert status == 0
    assert "Usage" in output
    assert heavy == []


def test_the_heavy_modules_load_when_a_command_needs_them(tmp_path: Path) -> None:
    """The check above can fail: a real comparison does import numpy and the engine."""
    ratings = tmp_path / "r.csv"
    ratings.write_text(
        "candidate,interviewer,competency,rating\nAnn,x,design,4\nBob,x,design,2\n"
        "Ann,y,design,5\nBob,y,design,3\n",
        encoding="utf-8",
    )
    status, heavy, output = loaded_after(["compare", str(ratings), "--format", "csv"])
    assert status == 0, output
    assert "numpy" in heavy and "secondround.engines.calibration" in heavy
    assert "django" not in heavy
