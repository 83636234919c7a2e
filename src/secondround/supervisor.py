"""`secondround serve` runs the web server, the task worker and the reminder loop side by side.

The web server is essential: when it exits, everything stops and `serve` exits with its
code. The helpers are restarted whenever they exit, with the reason logged, after a pause
that doubles (up to a minute) while they keep dying young, so a crash loop neither hides nor
spins the CPU.
"""

from __future__ import annotations

import logging
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from types import FrameType

logger = logging.getLogger("secondround.supervisor")

FIRST_RESTART_DELAY = 1.0
MAX_RESTART_DELAY = 60.0
HEALTHY_AFTER = 30.0  # seconds alive after which a child's next restart is quick again
POLL_SECONDS = 0.2
STOP_TIMEOUT = 20.0


@dataclass
class Child:
    name: str
    command: list[str]
    essential: bool = False
    process: subprocess.Popen[bytes] | None = None
    started_at: float = 0.0
    restart_at: float | None = None
    delay: float = FIRST_RESTART_DELAY
    restarts: int = 0
    exits: list[str] = field(default_factory=list)


def describe_exit(returncode: int) -> str:
    if returncode < 0:
        try:
            return f"killed by {signal.Signals(-returncode).name}"
        except ValueError:
            return f"killed by signal {-returncode}"
    return "exited normally" if returncode == 0 else f"exited with code {returncode}"


class Supervisor:
    def __init__(self, children: list[Child]) -> None:
        self.children = children
        self.stopping = False

    def install_signal_handlers(self) -> None:
        """SIGTERM and Ctrl+C stop everything; the children get SIGTERM too."""
        signal.signal(signal.SIGTERM, self._on_signal)
        signal.signal(signal.SIGINT, self._on_signal)

    def _on_signal(self, signum: int, _frame: FrameType | None) -> None:
        logger.info("Received %s: stopping.", signal.Signals(signum).name)
        self.stopping = True

    def run(self) -> int:
        """Start every child and watch them until the essential one exits or we are stopped."""
        for child in self.children:
            self._start(child)
        try:
            while not self.stopping:
                code = self._check_children()
                if code is not None:
                    return code
                time.sleep(POLL_SECONDS)
            return 0
        finally:
            self.stop()

    def _start(self, child: Child) -> None:
        child.process = subprocess.Popen(child.command)
        child.started_at = time.monotonic()
        child.restart_at = None
        logger.info("Started %s (pid %d).", child.name, child.process.pid)

    def _check_children(self) -> int | None:
        now = time.monotonic()
        for child in self.children:
            if child.restart_at is not None:
                if now >= child.restart_at:
                    child.restarts += 1
                    self._start(child)
                continue
            assert child.process is not None
            returncode = child.process.poll()
            if returncode is None:
                continue
            reason = describe_exit(returncode)
            child.exits.append(reason)
            if child.essential:
                logger.error("%s %s; stopping everything.", child.name, reason)
                return returncode
            self._schedule_restart(child, reason, now)
        return None

    def _schedule_restart(self, child: Child, reason: str, now: float) -> None:
        lived = now - child.started_at
        child.delay = FIRST_RESTART_DELAY if lived >= HEALTHY_AFTER else child.delay
        logger.error(
            "%s (pid %d) %s after %.0f s; restarting in %.0f s.",
            child.name, child.process.pid if child.process else 0, reason, lived, child.delay,
        )  # fmt: skip
        child.restart_at = now + child.delay
        child.delay = min(child.delay * 2, MAX_RESTART_DELAY)

    def stop(self) -> None:
        running = [c.process for c in self.children if c.process and c.process.poll() is None]
        for process in running:
            process.terminate()
        deadline = time.monotonic() + STOP_TIMEOUT
        for process in running:
            try:
                process.wait(timeout=max(deadline - time.monotonic(), 0.1))
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def serve_children(
    *, web_command: list[str], task_worker: bool, remind_every: int = 900
) -> list[Child]:
    """The web server, and unless turned off the task worker and the reminder loop."""
    children = [Child("web server", web_command, essential=True)]
    if task_worker:
        python = [sys.executable, "-m", "secondround"]
        children.append(Child("task worker", [*python, "worker"]))
        children.append(Child("reminder loop", [*python, "remind", "--every", str(remind_every)]))
    return children
