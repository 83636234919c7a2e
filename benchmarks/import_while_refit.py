"""Benchmark: a 20,000-row round-one import on SQLite while a submission's refit is queued.

The issue this answers: one import held SQLite's write lock for about 32 s, the worker died
with "database is locked" and the debrief never refreshed. Target: the refit queued while
the import writes still finishes within a minute, and the queueing write itself (what a
submitting interviewer's request does) waits well under SQLite's 20 s busy timeout.

It builds the demo organisation plus one position with enough candidates and interviewers
in a throwaway SQLite data folder, starts the real task worker, starts the import as the
real CLI command, and once the import's first ratings are stored queues the calibration
refit a submission queues. `--one-transaction` runs the same import inside one transaction,
which is how it wrote before it was chunked, for comparison.

    uv run python benchmarks/import_while_refit.py [--rows 20000] [--one-transaction]
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

INTERVIEWERS = 10


def setup_django(data_dir: Path) -> None:
    os.environ["SECONDROUND_DATA_DIR"] = str(data_dir)
    os.environ.pop("DATABASE_URL", None)
    os.environ["DJANGO_SETTINGS_MODULE"] = "secondround.settings"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)


def build_organisation(rows: int, csv_path: Path) -> tuple[int, str]:
    """The demo, plus a position whose round-one file has `rows` ratings; (position, manager)."""
    from secondround import demo
    from secondround.accounts.models import Role, User
    from secondround.hiring import services

    demo.load()
    manager = User.objects.create_user(
        "bench.manager@bench.example", "pw", full_name="Bench Manager", role=Role.HIRING_MANAGER
    )
    raters = [
        User.objects.create_user(f"rater{n}@bench.example", "pw", full_name=f"Rater {n}")
        for n in range(INTERVIEWERS)
    ]
    position = services.create_position_from_template(
        actor=manager, template_slug="software-engineer", title="Bench engineer"
    )
    competencies = list(position.competencies.values_list("name", flat=True))
    per_candidate = INTERVIEWERS * len(competencies)
    candidates = [
        services.add_candidate_to_position(
            actor=manager, position=position,
            fields={"full_name": f"Bench Candidate {n}", "email": f"cand{n}@bench.example"},
        ).candidate.email
        for n in range(-(-rows // per_candidate))
    ]  # fmt: skip
    lines = ["candidate_email,interviewer_email,competency,rating,confidence,notes,concern"]
    for n, (candidate, rater, competency) in enumerate(
        (c, r, k) for c in candidates for r in raters for k in competencies
    ):
        if n == rows:
            break
        lines.append(f"{candidate},{rater.email},{competency},{1 + n % 5},3,Evidence {n},no")
    csv_path.write_text("\n".join(lines) + "\n")
    return position.pk, manager.email


def run_import(csv_path: str, position_id: int, as_user: str, one_transaction: bool) -> None:
    """The subprocess: the CLI import, optionally wrapped in one transaction (the old way)."""
    os.environ["DJANGO_SETTINGS_MODULE"] = "secondround.settings"
    import django

    django.setup()
    from django.db import transaction

    from secondround.cli import app

    command = ["import-first-round", csv_path, "--position", str(position_id), "--as", as_user]
    if one_transaction:
        with transaction.atomic():
            app(command, standalone_mode=False)
    else:
        app(command, standalone_mode=False)


def wait_for(condition: object, timeout: float) -> float:
    started = time.monotonic()
    while not condition():  # type: ignore[operator]
        if time.monotonic() - started > timeout:
            raise SystemExit(f"timed out after {timeout} s")
        time.sleep(0.05)
    return time.monotonic() - started


def write_lock_is_held(database: Path) -> bool:
    """True while another connection holds SQLite's write lock."""
    probe = sqlite3.connect(database, timeout=0.05, isolation_level=None)
    try:
        probe.execute("BEGIN IMMEDIATE")
        probe.execute("ROLLBACK")
        return False
    except sqlite3.OperationalError:
        return True
    finally:
        probe.close()


def held_a_second(database: Path) -> bool:
    """Still held a second later: the import, not a worker's heartbeat."""
    time.sleep(1)
    return write_lock_is_held(database)


def measure(rows: int, one_transaction: bool) -> None:
    from django.db import OperationalError
    from django_tasks_db.compat import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    from secondround.debrief.tasks import refresh_calibration
    from secondround.ops.models import WorkerHeartbeat
    from secondround.scorecards.models import Rating

    data_dir = Path(os.environ["SECONDROUND_DATA_DIR"])
    csv_path = data_dir / "round-one.csv"
    built = time.monotonic()
    position_id, manager = build_organisation(rows, csv_path)
    print(f"built the organisation and a {rows}-row file in {time.monotonic() - built:.0f} s")
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    python = [sys.executable, "-m", "secondround"]
    worker = subprocess.Popen([*python, "worker", "--interval", "0.5"], env=env,
                              stdout=(data_dir / "worker.log").open("w"), stderr=subprocess.STDOUT)  # fmt: skip
    try:
        wait_for(lambda: WorkerHeartbeat.objects.exists(), timeout=120)
        before = Rating.objects.count()
        started = time.monotonic()
        importer = subprocess.Popen(
            [sys.executable, __file__, "--run-import", str(csv_path), "--position",
             str(position_id), "--as", manager, *(["--one-transaction"] if one_transaction else [])],
            env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        )  # fmt: skip
        if one_transaction:  # its rows stay invisible until it commits: probe for its lock
            database = data_dir / "secondround.sqlite3"
            wait_for(lambda: write_lock_is_held(database) and held_a_second(database), 600)
        else:
            wait_for(lambda: Rating.objects.count() > before, timeout=600)
        into_import = time.monotonic() - started
        queued_at = time.monotonic()
        try:
            result = refresh_calibration.enqueue()
        except OperationalError as error:  # what a submitting interviewer would have met
            print(f"queueing the refit failed after {time.monotonic() - queued_at:.1f} s: {error}")
            importer.communicate(timeout=900)
            print(f"import: {time.monotonic() - started:.1f} s in all")
            print(f"worker still alive: {worker.poll() is None}")
            return
        queue_wait = time.monotonic() - queued_at
        refit = wait_for(
            lambda: DBTaskResult.objects.filter(pk=result.id, status__in=[
                TaskResultStatus.SUCCESSFUL, TaskResultStatus.FAILED]).exists(),
            timeout=600,
        )  # fmt: skip
        output, _ = importer.communicate(timeout=900)
        import_seconds = time.monotonic() - started
        status = DBTaskResult.objects.get(pk=result.id).status
        print(output.strip().splitlines()[-1] if output.strip() else "(no output)")
        print(f"mode: {'one transaction (before)' if one_transaction else 'chunked (now)'}")
        print(f"import: {import_seconds:.1f} s in all; refit queued {into_import:.1f} s in")
        print(f"queueing the refit (a submission's write) waited {queue_wait:.2f} s")
        print(f"refit {status} {refit + queue_wait:.1f} s after it was queued "
              f"({'within' if refit + queue_wait < 60 else 'NOT within'} a minute)")  # fmt: skip
        print(f"worker still alive: {worker.poll() is None}")
    finally:
        worker.terminate()
        worker.wait(timeout=60)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--one-transaction", action="store_true")
    parser.add_argument("--run-import", help=argparse.SUPPRESS)
    parser.add_argument("--position", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--as", dest="as_user", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.run_import:
        run_import(args.run_import, args.position, args.as_user, args.one_transaction)
        return
    with tempfile.TemporaryDirectory() as folder:
        setup_django(Path(folder))
        measure(args.rows, args.one_transaction)


if __name__ == "__main__":
    main()
