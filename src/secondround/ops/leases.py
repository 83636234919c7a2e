"""Heartbeats, leases and the reaper: a task whose worker died is run again, never lost.

django-tasks-db claims a task with `SELECT … FOR UPDATE SKIP LOCKED` and marks it RUNNING, so
two workers never claim the same task. What it does not do is notice a worker that died while
running one: the task stays RUNNING forever. Here every worker beats into `WorkerHeartbeat`
while it lives; the heartbeat is the lease on the task it runs. Any worker's reaper puts a
RUNNING task back in the queue when its worker stopped beating for the lease time, and fails
it after `SECONDROUND_TASK_MAX_ATTEMPTS` lost workers (a task that kills its worker).
"""

from __future__ import annotations

import logging
import os
import socket
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

from django.conf import settings
from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import exclusive_transaction

from secondround.ops.models import WorkerHeartbeat

logger = logging.getLogger("secondround.worker")

# A task run by a worker that keeps no heartbeat (a bare `manage db_worker`) is only taken
# back after this long, since nothing tells us whether its worker is still alive.
UNTRACKED_TASK_TIMEOUT = timedelta(hours=1)
# Heartbeats of workers gone this long are deleted; they only served /healthz and the reaper.
FORGET_WORKERS_AFTER = timedelta(days=7)


class WorkerLost(Exception):
    """Recorded on a task whose workers died too many times while running it."""


def lease_time() -> timedelta:
    return timedelta(seconds=settings.SECONDROUND_WORKER_LEASE_SECONDS)


def beat(worker_id: str, *, started_at: datetime) -> None:
    """Say this worker is alive now."""
    WorkerHeartbeat.objects.update_or_create(
        worker_id=worker_id,
        defaults={
            "hostname": socket.gethostname()[:255],
            "pid": os.getpid(),
            "started_at": started_at,
            "last_beat_at": timezone.now(),
            "stopped_at": None,
        },
    )


def sign_off(worker_id: str) -> None:
    """A clean exit: the worker holds no task any more, nobody needs to wait for its lease."""
    WorkerHeartbeat.objects.filter(worker_id=worker_id).update(stopped_at=timezone.now())


def forget_old_workers() -> int:
    cutoff = timezone.now() - FORGET_WORKERS_AFTER
    deleted, _ = WorkerHeartbeat.objects.filter(last_beat_at__lt=cutoff).delete()
    return deleted


def _live_worker_ids(now: datetime) -> set[str]:
    return set(
        WorkerHeartbeat.objects.filter(
            last_beat_at__gte=now - lease_time(), stopped_at__isnull=True
        ).values_list("worker_id", flat=True)
    )


def _is_orphaned(
    task: DBTaskResult[..., Any], *, live: set[str], known: set[str], now: datetime
) -> bool:
    owner = task.worker_ids[-1] if task.worker_ids else None
    if owner in live:
        return False
    if owner in known:
        return True
    return task.started_at is None or task.started_at < now - UNTRACKED_TASK_TIMEOUT


def reap_orphaned_tasks() -> int:
    """Requeue (or, after too many attempts, fail) RUNNING tasks whose worker is gone."""
    now = timezone.now()
    live = _live_worker_ids(now)
    reaped = 0
    with exclusive_transaction():
        running = list(DBTaskResult.objects.running().select_for_update(skip_locked=True))
        owners = {t.worker_ids[-1] for t in running if t.worker_ids}
        known = set(
            WorkerHeartbeat.objects.filter(worker_id__in=owners).values_list("worker_id", flat=True)
        )
        for task in running:
            if _is_orphaned(task, live=live, known=known, now=now):
                _requeue_or_fail(task, now=now)
                reaped += 1
    return reaped


def _requeue_or_fail(task: DBTaskResult[..., Any], *, now: datetime) -> None:
    attempts = len(task.worker_ids)
    owner = task.worker_ids[-1] if task.worker_ids else "?"
    if attempts >= settings.SECONDROUND_TASK_MAX_ATTEMPTS:
        logger.error(
            "Task %s (%s): its worker %s died; %d attempts, giving up.",
            task.id, task.task_path, owner, attempts,
        )  # fmt: skip
        task.status = TaskResultStatus.FAILED
        task.finished_at = now
        task.exception_class_path = f"{WorkerLost.__module__}.{WorkerLost.__qualname__}"
        task.traceback = (
            f"WorkerLost: the worker running this task stopped answering {attempts} times "
            f"(last: {owner})."
        )
        task.save(update_fields=["status", "finished_at", "exception_class_path", "traceback"])
        return
    logger.warning(
        "Task %s (%s): its worker %s stopped answering; queued again (attempt %d).",
        task.id, task.task_path, owner, attempts + 1,
    )  # fmt: skip
    task.status = TaskResultStatus.READY
    task.started_at = None
    task.save(update_fields=["status", "started_at"])


def still_owned_by(task_id: UUID | str, worker_id: str) -> bool:
    """Inside a transaction: lock the task row and check that this worker still holds it."""
    row = (
        DBTaskResult.objects.select_for_update()
        .filter(pk=task_id)
        .values_list("status", "worker_ids")
        .first()
    )
    if row is None:
        return False
    status, worker_ids = row
    return bool(status == TaskResultStatus.RUNNING and worker_ids and worker_ids[-1] == worker_id)
