"""`secondround compare`: formats, bad input (exit code 2, line and column named)."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from secondround.cli import app
from secondround.commands import compare_io
from secondround.commands.compare import Progress

runner = CliRunner()
DATA = Path(__file__).resolve().parents[1] / "data"


def write(tmp_path: Path, text: str, name: str = "ratings.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


POOL = """candidate,interviewer,competency,rating,position,note
Ann,harsh,design,3,eng,x
Ann,harsh,coding,3,eng,
Ann,kind,design,5,eng,
Bob,kind,design,5,eng,
Bob,kind,coding,5,eng,
Bob,mid,coding,4,eng,
Cat,harsh,design,2,eng,
Cat,mid,coding,NA,eng,
Cat,mid,design,,eng,
Cat,mid,leadership,3,eng,
Dee,harsh,design,2,ops,
Dee,kind,design,4,ops,
Eve,mid,design,3,ops,
Eve,kind,coding,4,ops,
Fay,harsh,coding,1,,
Fay,kind,coding,4,,
"""


@pytest.fixture(params=["fast", "exact"])
def reader(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Run each test with the pandas reader and with the standard-library one."""
    if request.param == "exact":
        monkeypatch.setattr(compare_io, "_read_fast", lambda *args: None)
    return str(request.param)


def test_json_has_the_documented_shape(tmp_path: Path, reader: str) -> None:
    result = runner.invoke(app, ["compare", str(write(tmp_path, POOL)), "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert [p["position"] for p in data["positions"]] == ["eng", "ops"]
    eng = data["positions"][0]
    assert {c["candidate"] for c in eng["candidates"]} == {"Ann", "Bob", "Cat"}
    keys = {"candidate", "score", "se", "low", "high", "p_best", "rank", "raw_mean",
            "n_ratings", "competencies"}  # fmt: skip
    for candidate in eng["candidates"]:
        assert keys <= set(candidate)
        assert candidate["low"] < candidate["score"] < candidate["high"]
        for competency in candidate["competencies"].values():
            assert set(competency) == {"score", "se", "n_ratings", "disagree"}
    assert sum(c["p_best"] for c in eng["candidates"]) == pytest.approx(1.0, abs=1e-4)
    assert sorted(c["rank"] for c in eng["candidates"]) == [1, 2, 3]
    cat = next(c for c in eng["candidates"] if c["candidate"] == "Cat")
    assert cat["n_ratings"] == 2  # NA and empty are not assessed
    assert set(cat["competencies"]) == {"design", "leadership"}
    interviewers = {r["interviewer"]: r for r in data["interviewers"]}
    assert set(interviewers) == {"harsh", "kind", "mid"}
    assert interviewers["harsh"]["severity"] > interviewers["kind"]["severity"]
    assert {"interviewer", "severity", "se", "n_ratings", "fit"} <= set(interviewers["harsh"])
    assert {c["competency"] for c in data["competencies"]} == {"design", "coding", "leadership"}
    assert data["model"]["n_ratings"] == 14  # Fay's rows (no position) are learned from too
    assert data["model"]["n_interviewers"] == 3


ODD_NAMES = (
    POOL.replace("Ann,", '"Ann ""Q"" Émile",')
    .replace("design", "design/UX")
    .replace("Bob,kind,design/UX,5,eng,", '"Bob, Jr",kind,design/UX,5,eng,')
)
NO_POSITION = "\n".join(",".join(line.split(",")[:4]) for line in POOL.splitlines()).replace(
    "Ann,", "Ann Émile,"
)


@pytest.mark.parametrize(
    ("text", "weights"),
    [(ODD_NAMES, None), (ODD_NAMES, {"design/UX": 2.0, "coding": 0.3}), (NO_POSITION, None)],
    ids=["odd-names", "weights", "no-position"],
)
def test_json_is_written_exactly_as_json_dumps_would(
    tmp_path: Path, reader: str, text: str, weights: dict[str, float] | None
) -> None:
    """The bulk JSON writer (from arrays) writes what as_json_dict(...) holds, exactly."""
    path = write(tmp_path, text)
    option = (
        [] if weights is None else ["--weights", ",".join(f"{k}={v}" for k, v in weights.items())]
    )
    result = runner.invoke(app, ["compare", str(path), "--format", "json", *option])
    assert result.exit_code == 0, result.output
    parsed, _ = compare_io._read(path, (1, 5), Progress(0.0))
    comparison = compare_io._fit(parsed, (1, 5), weights, 4000, 0, lambda _m: None)
    assert json.loads(result.stdout) == compare_io.as_json_dict(comparison)
    names = {
        c["candidate"] for p in json.loads(result.stdout)["positions"] for c in p["candidates"]
    }
    assert ("Bob, Jr" if text is ODD_NAMES else "Ann Émile") in names


@settings(max_examples=2000, deadline=None)
@given(st.floats(allow_nan=True, allow_infinity=True) | st.floats(-10, 10))
def test_scalar_rounding_matches_numpy_rounding_of_arrays(value: float) -> None:
    """Scalars (interviewers, weights) and arrays (candidates) are rounded alike, so the
    JSON writer and json.dumps(as_json_dict(...)) agree to the last digit."""
    with np.errstate(over="ignore"):  # numpy's scaling overflows for huge values, as ours
        expected = float(np.round(np.array([value]), compare_io.JSON_DECIMALS)[0])
    assert compare_io._rounded(value) == expected or (value != value and expected != expected)


def test_no_position_column_means_one_group(tmp_path: Path, reader: str) -> None:
    text = "\n".join(",".join(line.split(",")[:4]) for line in POOL.splitlines()) + "\n"
    result = runner.invoke(app, ["compare", str(write(tmp_path, text)), "--format", "json"])
    assert result.exit_code == 0, result.output
    positions = json.loads(result.stdout)["positions"]
    assert len(positions) == 1 and positions[0]["position"] is None
    assert len(positions[0]["candidates"]) == 6


def test_table_and_csv_output(tmp_path: Path, reader: str) -> None:
    path = write(tmp_path, POOL)
    table = runner.invoke(app, ["compare", str(path)])
    assert table.exit_code == 0, table.output
    assert "Position: eng" in table.stdout and "Position: ops" in table.stdout
    assert "P(best)" in table.stdout
    out = tmp_path / "out.csv"
    as_csv = runner.invoke(app, ["compare", str(path), "--format", "csv", "-o", str(out)])
    assert as_csv.exit_code == 0, as_csv.output
    rows = list(csv.DictReader(out.open()))
    assert [r["position"] for r in rows] == ["eng"] * 3 + ["ops"] * 2
    assert [r["rank"] for r in rows] == ["1", "2", "3", "1", "2"]


def test_weights_change_the_overall_score(tmp_path: Path, reader: str) -> None:
    path = write(tmp_path, POOL)
    plain = json.loads(runner.invoke(app, ["compare", str(path), "--format", "json"]).stdout)
    weighted = json.loads(
        runner.invoke(
            app, ["compare", str(path), "--format", "json", "--weights", "coding=1"]
        ).stdout
    )
    bob = next(c for c in weighted["positions"][0]["candidates"] if c["candidate"] == "Bob")
    assert bob["score"] == pytest.approx(bob["competencies"]["coding"]["score"])
    assert weighted["positions"][0]["weights"] == {"coding": 1.0}
    assert plain["positions"][0]["weights"] != weighted["positions"][0]["weights"]


def test_shrout_fleiss_file_with_its_own_column_names(tmp_path: Path, reader: str) -> None:
    source = (DATA / "shrout_fleiss_1979.csv").read_text()
    renamed = source.replace(
        "judge,examinee,trait,rating", "interviewer,candidate,competency,rating"
    )
    result = runner.invoke(
        app, ["compare", str(write(tmp_path, renamed)), "--scale", "1-10", "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    model = json.loads(result.stdout)["model"]["variance_components"]
    assert model["candidate"] == pytest.approx(2.556, abs=1e-3)
    assert model["interviewer"] == pytest.approx(5.244, abs=1e-3)
    assert model["residual"] == pytest.approx(1.019, abs=1e-3)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "the file is empty"),
        ("candidate,interviewer,competency,rating\n", "no rating rows"),
        ("candidate,interviewer,rating\na,b,3\n", 'line 1: missing column "competency"'),
        ("candidate,interviewer,competency,rating\na,x,k,3\nb,x,k,7\n",
         'line 3, column "rating": "7" is outside the scale 1-5'),
        ("candidate,interviewer,competency,rating\na,x,k,3\nb,x,k,good\n",
         'line 3, column "rating": "good" is not a number'),
        ("candidate,interviewer,competency,rating\na,x,k,3\nb,x,k,3.5\n",
         'line 3, column "rating": "3.5" is not a whole number'),
        ("candidate,interviewer,competency,rating\na,x,k,3\n,x,k,3\n",
         'line 3, column "candidate": empty value'),
        ("candidate,interviewer,competency,rating\na,x,k,3\nb,x\n",
         'line 3, column "competency": missing value'),
        ("candidate,interviewer,competency,rating\na,x,k,3\nb,x,k,4\n\na,x,k,5\n",
         "line 5: duplicate rating of candidate 'a' by interviewer 'x' on 'k' (first given at line 2)"),
        ("candidate,interviewer,competency,rating,position\na,x,k,3,p\nb,x,k,4,p\nc,x,k,4,q\n",
         "position 'q' has only one candidate (c)"),
    ],
)  # fmt: skip
def test_bad_input_exits_2_naming_line_and_column(
    tmp_path: Path, reader: str, text: str, message: str
) -> None:
    path = write(tmp_path, text)
    result = runner.invoke(app, ["compare", str(path)])
    assert result.exit_code == 2
    assert message in result.stderr
    assert str(path) in result.stderr


def test_bad_arguments_exit_2(tmp_path: Path) -> None:
    path = write(tmp_path, POOL)
    assert runner.invoke(app, ["compare", str(path), "--scale", "5-1"]).exit_code == 2
    assert runner.invoke(app, ["compare", str(path), "--format", "xml"]).exit_code == 2
    assert runner.invoke(app, ["compare", str(path), "--weights", "coding"]).exit_code == 2
    missing = runner.invoke(app, ["compare", str(tmp_path / "nope.csv")])
    assert missing.exit_code == 2 and "no such file" in missing.stderr
    folder = runner.invoke(app, ["compare", str(tmp_path)])
    assert folder.exit_code == 2 and f"{tmp_path}: a folder, not a file" in folder.stderr
    unknown = runner.invoke(app, ["compare", str(path), "--weights", "nope=1"])
    assert unknown.exit_code == 2 and "unknown competency 'nope'" in unknown.stderr


def test_runs_without_django_settings(tmp_path: Path) -> None:
    """The command must work where no Django project is configured."""
    import subprocess
    import sys

    path = write(tmp_path, POOL)
    code = (
        "import sys; from secondround.commands.compare import compare; "
        "from typer.testing import CliRunner; import typer; app = typer.Typer(); "
        "app.command()(compare); "
        f"r = CliRunner().invoke(app, [{str(path)!r}, '--format', 'json']); "
        "loaded = [m for m in sys.modules if m.startswith('django')]; "
        "print(r.exit_code, loaded); sys.exit(r.exit_code or bool(loaded))"
    )
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(Path(__file__).resolve().parents[2] / "src")}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    assert done.returncode == 0, done.stdout + done.stderr


def test_a_negative_seed_is_a_bad_argument_not_a_traceback(tmp_path: Path) -> None:
    result = runner.invoke(app, ["compare", str(write(tmp_path, POOL)), "--seed", "-1"])
    assert result.exit_code == 2
    assert "--seed" in result.stderr and "Traceback" not in result.output
    assert not isinstance(result.exception, ValueError)


@pytest.mark.parametrize("where", ["missing-folder/out.csv", ".", "is-a-file/out.csv"])
def test_an_output_that_cannot_be_written_exits_2_naming_it(tmp_path: Path, where: str) -> None:
    """Checked before the fit (a million ratings take seconds), and named, not a traceback."""
    (tmp_path / "is-a-file").write_text("x")
    output = tmp_path / where
    result = runner.invoke(
        app, ["compare", str(write(tmp_path, POOL)), "--format", "csv", "-o", str(output)]
    )
    assert result.exit_code == 2, result.output
    assert f"Error: {output}: cannot write here" in result.stderr
    assert not isinstance(result.exception, OSError)
