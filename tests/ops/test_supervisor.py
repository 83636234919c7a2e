"""`secondround serve` keeps its worker and reminder loop running, and says why they stopped."""

from __future__ import annotations

import json
import logging
import os
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from secondround.supervisor import Child, Supervisor, describe_exit, serve_children
from tests.conftest import free_port

SLEEPER = [sys.executable, "-c", "import time; time.sleep(120)"]


def wait_for(condition: Callable[[], object], *, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.1)


def test_exit_reasons_are_readable() -> None:
    assert describe_exit(-signal.SIGKILL) == "killed by SIGKILL"
    assert describe_exit(0) == "exited normally"
    assert describe_exit(3) == "exited with code 3"


def test_serve_runs_the_worker_and_the_reminder_loop_unless_told_not_to() -> None:
    names = [c.name for c in serve_children(web_command=["web"], task_worker=True)]
    assert names == ["web server", "task worker", "reminder loop"]
    assert [c.name for c in serve_children(web_command=["web"], task_worker=False)] == [
        "web server"
    ]


def test_a_killed_helper_is_restarted_and_the_reason_logged(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO, logger="secondround.supervisor")
    helper = Child("helper", SLEEPER)
    web = Child("web", [sys.executable, "-c", "import time; time.sleep(4); raise SystemExit(7)"],
                essential=True)  # fmt: skip
    supervisor = Supervisor([web, helper])
    codes: list[int] = []
    runner = threading.Thread(target=lambda: codes.append(supervisor.run()))
    runner.start()
    wait_for(lambda: helper.process is not None, timeout=5, what="the helper to start")
    assert helper.process is not None
    first_pid = helper.process.pid
    os.kill(first_pid, signal.SIGKILL)
    # The death is counted at once; the new process starts after the back-off delay.
    wait_for(
        lambda: helper.process is not None and helper.process.pid != first_pid,
        timeout=10,
        what="the restart",
    )
    assert helper.restarts == 1
    assert helper.process.poll() is None
    runner.join(timeout=15)
    assert codes == [7]  # the essential child's exit ends the supervisor with its code
    assert helper.process.poll() is not None  # and the helpers are stopped with it
    assert f"helper (pid {first_pid}) killed by SIGKILL" in caplog.text
    assert "web exited with code 7; stopping everything." in caplog.text


def test_a_helper_that_keeps_dying_is_restarted_ever_more_slowly() -> None:
    crasher = Child("crasher", [sys.executable, "-c", "raise SystemExit(1)"])
    supervisor = Supervisor([Child("web", SLEEPER, essential=True), crasher])
    runner = threading.Thread(target=supervisor.run)
    runner.start()
    try:
        wait_for(lambda: crasher.restarts >= 2, timeout=10, what="two restarts")
        assert crasher.delay >= 4  # 1 s, then 2 s, then 4 s
        assert crasher.exits[:2] == ["exited with code 1", "exited with code 1"]
    finally:
        supervisor.stopping = True
        runner.join(timeout=30)


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[subprocess.Popen[str], int, list[str]]]:
    """The real `secondround serve` on SQLite in an empty data folder, logs collected."""
    port = free_port()
    env = {
        **os.environ,
        "SECONDROUND_DATA_DIR": str(tmp_path),
        "SECONDROUND_WORKER_BEAT_SECONDS": "0.5",
        "PYTHONUNBUFFERED": "1",
    }
    env.pop("DATABASE_URL", None)
    command = [sys.executable, "-m", "secondround", "serve", "--no-demo", "--workers", "1",
               "--port", str(port)]  # fmt: skip
    process = subprocess.Popen(
        command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    lines: list[str] = []
    reader = threading.Thread(target=lambda: lines.extend(iter(process.stdout.readline, "")))  # type: ignore[union-attr]
    reader.start()
    yield process, port, lines
    process.send_signal(signal.SIGTERM)
    process.wait(timeout=30)
    reader.join(timeout=5)


def health(port: int) -> dict[str, object]:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5) as response:
            return dict(json.load(response))
    except urllib.error.HTTPError as error:
        return dict(json.load(error))
    except OSError:
        return {}


def worker_pid(lines: list[str], occurrence: int) -> int | None:
    started = [line for line in lines if "Started task worker (pid" in line]
    if len(started) < occurrence:
        return None
    return int(started[occurrence - 1].split("pid ")[1].split(")")[0])


def test_serve_brings_back_a_killed_worker(
    served: tuple[subprocess.Popen[str], int, list[str]],
) -> None:
    process, port, lines = served
    wait_for(lambda: health(port).get("status") == "ok", timeout=90, what="a healthy server")
    first = worker_pid(lines, 1)
    assert first is not None
    os.kill(first, signal.SIGKILL)
    wait_for(lambda: worker_pid(lines, 2), timeout=15, what="the worker to be restarted")
    log = "".join(lines)
    assert f"task worker (pid {first}) killed by SIGKILL" in log
    second = worker_pid(lines, 2)
    assert second is not None and second != first
    os.kill(second, 0)  # alive
    wait_for(lambda: health(port).get("status") == "ok", timeout=15, what="health after restart")
    assert process.poll() is None
