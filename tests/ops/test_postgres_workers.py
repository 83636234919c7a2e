"""Two task workers on one PostgreSQL drain 1,000 tasks: none run twice, none lost, even when
one worker is killed in the middle of a task (that task is run again by the other)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from tests.ops_tasks import RUNS_TABLE, SLOW_SECONDS
from tests.postgres import fresh_postgres_database, postgres_server  # noqa: F401 - fixtures

TASKS = 1000
SLOW_KEY = 400
LEASE_SECONDS = 3
ROOT = Path(__file__).resolve().parents[2]
TASK_TABLE = "django_tasks_database_dbtaskresult"


@pytest.fixture
def worker_env(fresh_postgres_database: str, tmp_path: Path) -> dict[str, str]:  # noqa: F811
    env = {
        **os.environ,
        "DATABASE_URL": fresh_postgres_database,
        "SECONDROUND_DATA_DIR": str(tmp_path),
        "SECONDROUND_WORKER_BEAT_SECONDS": "0.5",
        "SECONDROUND_WORKER_LEASE_SECONDS": str(LEASE_SECONDS),
        "SECONDROUND_BACKUP_KEEP": "0",
        "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]),
    }
    python = [sys.executable, "-m", "secondround"]
    subprocess.run([*python, "manage", "migrate", "-v0"], env=env, check=True, cwd=tmp_path)
    with psycopg.connect(fresh_postgres_database, autocommit=True) as db:
        db.execute(f"CREATE TABLE {RUNS_TABLE} (key integer NOT NULL, pid integer NOT NULL)")
    subprocess.run(
        [sys.executable, "-m", "tests.ops_tasks", str(TASKS), str(SLOW_KEY)],
        env=env, check=True, cwd=ROOT,
    )  # fmt: skip
    return env


@pytest.fixture
def workers(worker_env: dict[str, str], tmp_path: Path) -> Iterator[list[subprocess.Popen[bytes]]]:
    command = [sys.executable, "-m", "secondround", "worker", "--interval", "0.2"]
    logs = [(tmp_path / f"worker-{n}.log").open("wb") for n in (1, 2)]
    started = [
        subprocess.Popen(command, env=worker_env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
        for log in logs
    ]
    yield started
    for process in started:
        if process.poll() is None:
            process.terminate()
            process.wait(timeout=30)


def one(db: psycopg.Connection, sql: str) -> tuple:  # type: ignore[type-arg]
    row = db.execute(sql).fetchone()
    assert row is not None
    return row


def wait_for_the_slow_task_to_run(db: psycopg.Connection) -> tuple[str, int]:  # type: ignore[type-arg]
    """The id and pid of the worker running the slow task, once it is running."""
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        row = db.execute(
            f"SELECT t.worker_ids->>-1, h.pid FROM {TASK_TABLE} t "
            "JOIN ops_workerheartbeat h ON h.worker_id = t.worker_ids->>-1 "
            "WHERE t.status = 'RUNNING' AND (t.args_kwargs->'kwargs'->>'slow')::boolean"
        ).fetchone()
        if row:
            return row[0], row[1]
        time.sleep(0.05)
    raise AssertionError("the slow task never started")


def wait_for_the_queue_to_drain(db: psycopg.Connection) -> None:  # type: ignore[type-arg]
    deadline = time.monotonic() + 300
    while one(db, f"SELECT count(*) FROM {TASK_TABLE} WHERE status IN ('READY', 'RUNNING')")[0]:
        assert time.monotonic() < deadline, "the queue did not drain"
        time.sleep(0.5)


def test_two_workers_run_every_task_exactly_once_even_when_one_is_killed(
    fresh_postgres_database: str,  # noqa: F811
    workers: list[subprocess.Popen[bytes]],
) -> None:
    with psycopg.connect(fresh_postgres_database, autocommit=True) as db:
        victim_id, victim_pid = wait_for_the_slow_task_to_run(db)
        assert victim_pid in {w.pid for w in workers}
        time.sleep(SLOW_SECONDS / 4)  # its row is written, its transaction still open
        os.kill(victim_pid, signal.SIGKILL)
        killed_at = time.monotonic()
        wait_for_the_queue_to_drain(db)
        drained_after = time.monotonic() - killed_at

        statuses = dict(
            db.execute(f"SELECT status, count(*) FROM {TASK_TABLE} GROUP BY 1").fetchall()
        )
        runs = dict(db.execute(f"SELECT key, count(*) FROM {RUNS_TABLE} GROUP BY 1").fetchall())
        runs_per_worker = db.execute(
            f"SELECT pid, count(*) FROM {RUNS_TABLE} GROUP BY 1"
        ).fetchall()
        slow_attempts = one(
            db,
            f"SELECT worker_ids FROM {TASK_TABLE} WHERE (args_kwargs->'kwargs'->>'slow')::boolean",
        )[0]

    assert statuses == {"SUCCESSFUL": TASKS}
    assert sorted(runs) == list(range(TASKS))  # none lost
    assert set(runs.values()) == {1}  # none run twice, the killed attempt left nothing behind
    assert len(runs_per_worker) == 2  # both workers took their share
    assert len(slow_attempts) == 2 and slow_attempts[0] == victim_id  # retried by the other
    assert drained_after > LEASE_SECONDS  # the retry waited for the lease to run out
