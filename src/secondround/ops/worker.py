"""The task worker `secondround worker` runs: django-tasks-db's worker, plus a heartbeat.

Beside the library's loop a thread beats every `SECONDROUND_WORKER_BEAT_SECONDS`, reaps tasks
whose worker died (see `leases`) and queues scheduled jobs (see `schedule`).

A task's result is only recorded while this worker still holds its lease (the row is locked
and checked first). On PostgreSQL the task's own writes commit in the same transaction as its
success, so a worker killed halfway leaves nothing behind and the retry runs it exactly once.
On SQLite that transaction would hold the single write lock for the whole task and stall the
web pages, so there a task killed halfway may have committed part of its writes before it is
run again: tasks are written to be safe to repeat.
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from collections.abc import Iterator
from typing import Any

from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from django.db import OperationalError, connection, transaction
from django.utils import timezone
from django_tasks_db.compat import TaskContext, task_finished, task_started
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import is_locked_database_exception

from secondround.ops import leases, schedule

logger = logging.getLogger("secondround.worker")


class LeaseLost(Exception):
    """The task was handed to another worker while this one ran it; its result is dropped."""


class Heartbeat(threading.Thread):
    """Beats, reaps and schedules until stopped; a failed round is logged, not fatal."""

    def __init__(self, worker_id: str) -> None:
        super().__init__(name=f"heartbeat-{worker_id}", daemon=True)
        self.worker_id = worker_id
        self.started_at = timezone.now()
        self.stopping = threading.Event()
        self.next_upkeep = 0.0

    def run(self) -> None:
        try:
            while not self.stopping.is_set():
                self.round()
                self.stopping.wait(settings.SECONDROUND_WORKER_BEAT_SECONDS)
        finally:
            connection.close()

    def round(self) -> None:
        try:
            leases.beat(self.worker_id, started_at=self.started_at)
            if time.monotonic() >= self.next_upkeep:
                # A quarter of the lease: a dead worker's task waits at most 1.25 leases, and
                # SQLite's single write lock is not taken more often than that needs.
                self.next_upkeep = time.monotonic() + settings.SECONDROUND_WORKER_LEASE_SECONDS / 4
                leases.reap_orphaned_tasks()
                schedule.enqueue_due_jobs()
                leases.forget_old_workers()
        except Exception:
            logger.exception("Worker %s: heartbeat round failed", self.worker_id)

    def stop(self) -> None:
        self.stopping.set()
        self.join(timeout=settings.SECONDROUND_WORKER_BEAT_SECONDS + 30)


class LeasedWorker(Worker):
    def run(self) -> None:
        heartbeat = Heartbeat(self.worker_id)
        heartbeat.round()  # registered before the first claim, so the reaper knows us
        heartbeat.start()
        try:
            self._run_through_locked_database()
        finally:
            heartbeat.stop()
            with contextlib.suppress(Exception):
                leases.sign_off(self.worker_id)

    def _run_through_locked_database(self) -> None:
        """The library's loop, resumed when the database stayed locked past the busy timeout.

        django-tasks-db opens its claiming transaction outside its own "database is locked"
        handler, so one long writer elsewhere (a big import) used to kill the worker.
        """
        while True:
            try:
                super().run()
                return
            except OperationalError as error:
                if not is_locked_database_exception(error) or not self.running:
                    raise
                logger.warning("Worker %s: database locked; trying again.", self.worker_id)
                connection.close()  # start the next claim on a clean connection
                time.sleep(self.interval or 1)

    def run_task(self, db_task_result: DBTaskResult[..., Any]) -> None:
        try:
            self.running_task = True
            task = db_task_result.task
            task_result = db_task_result.task_result
            backend_type = task.get_backend()
            task_started.send(sender=backend_type, task_result=task_result)
            with self._task_transaction():
                if task.takes_context:
                    context: TaskContext[..., Any] = TaskContext(task_result=task_result)
                    value = task.call(context, *task_result.args, **task_result.kwargs)
                else:
                    value = task.call(*task_result.args, **task_result.kwargs)
                with transaction.atomic():
                    self._require_lease(db_task_result)
                    db_task_result.set_successful(value)
            task_finished.send(sender=backend_type, task_result=db_task_result.task_result)
        except LeaseLost:
            logger.warning(
                "Task %s was taken back while running; result dropped.", db_task_result.id
            )
        except BaseException as error:
            self._record_failure(db_task_result, error)
        finally:
            self.running_task = False
            self._run_tasks += 1

    @contextlib.contextmanager
    def _task_transaction(self) -> Iterator[None]:
        if connection.vendor == "postgresql":
            with transaction.atomic():
                yield
        else:
            yield

    def _require_lease(self, db_task_result: DBTaskResult[..., Any]) -> None:
        if not leases.still_owned_by(db_task_result.pk, self.worker_id):
            raise LeaseLost(str(db_task_result.pk))

    def _record_failure(self, db_task_result: DBTaskResult[..., Any], error: BaseException) -> None:
        with transaction.atomic():
            if not leases.still_owned_by(db_task_result.pk, self.worker_id):
                return
            db_task_result.set_failed(error)
        try:
            sender = type(db_task_result.task.get_backend())
            task_result = db_task_result.task_result
        except (ImportError, SuspiciousOperation):
            logger.exception("Task id=%s failed unexpectedly", db_task_result.id)
        else:
            task_finished.send(sender=sender, task_result=task_result)
