"""The task worker: heartbeats, leases, the reaper that retries a dead worker's task, schedules."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.core.management import call_command
from django.db import OperationalError
from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult
from pytest_django.fixtures import Settings

from secondround.ops import leases, schedule
from secondround.ops.models import ScheduledRun, WorkerHeartbeat
from secondround.ops.worker import LeasedWorker
from secondround.scorecards.tasks import remind_interviewers

pytestmark = pytest.mark.django_db


def beat_at(worker_id: str, age: timedelta) -> None:
    now = timezone.now()
    WorkerHeartbeat.objects.create(
        worker_id=worker_id, hostname="h", pid=1, started_at=now - age, last_beat_at=now - age
    )


def running_task(*worker_ids: str, started: timedelta = timedelta(seconds=5)) -> DBTaskResult:
    result = remind_interviewers.enqueue()
    DBTaskResult.objects.filter(pk=result.id).update(
        status=TaskResultStatus.RUNNING,
        worker_ids=list(worker_ids),
        started_at=timezone.now() - started,
    )
    return DBTaskResult.objects.get(pk=result.id)


def test_a_task_whose_worker_stopped_beating_goes_back_to_the_queue(settings: Settings) -> None:
    settings.SECONDROUND_WORKER_LEASE_SECONDS = 60
    beat_at("dead", timedelta(minutes=2))
    beat_at("alive", timedelta(seconds=3))
    orphan = running_task("dead")
    busy = running_task("alive")
    assert leases.reap_orphaned_tasks() == 1
    orphan.refresh_from_db()
    busy.refresh_from_db()
    assert (orphan.status, orphan.started_at) == (TaskResultStatus.READY, None)
    assert orphan.worker_ids == ["dead"]  # the attempt is remembered
    assert busy.status == TaskResultStatus.RUNNING


def test_a_task_that_lost_too_many_workers_fails_with_the_reason(settings: Settings) -> None:
    settings.SECONDROUND_TASK_MAX_ATTEMPTS = 3
    for name in ("a", "b", "c"):
        beat_at(name, timedelta(hours=1))
    doomed = running_task("a", "b", "c")
    leases.reap_orphaned_tasks()
    doomed.refresh_from_db()
    assert doomed.status == TaskResultStatus.FAILED
    assert doomed.exception_class_path == "secondround.ops.leases.WorkerLost"
    assert "stopped answering 3 times" in doomed.traceback


def test_a_worker_without_heartbeat_gets_an_hour_before_its_task_is_taken_back() -> None:
    recent = running_task("bare-db-worker", started=timedelta(minutes=10))
    stale = running_task("bare-db-worker", started=timedelta(hours=2))
    assert leases.reap_orphaned_tasks() == 1
    recent.refresh_from_db()
    stale.refresh_from_db()
    assert recent.status == TaskResultStatus.RUNNING
    assert stale.status == TaskResultStatus.READY


def test_a_worker_that_lost_its_lease_does_not_record_a_result() -> None:
    beat_at("slow", timedelta(hours=1))
    task = running_task("slow")
    leases.reap_orphaned_tasks()  # the lease is gone: the task waits for another worker
    worker = LeasedWorker(
        queue_names=["default"], interval=0, batch=True, backend_name="default",
        startup_delay=False, max_tasks=None, worker_id="slow", excluded_queue_names=[],
    )  # fmt: skip
    worker.run_task(DBTaskResult.objects.get(pk=task.pk))
    task.refresh_from_db()
    assert task.status == TaskResultStatus.READY
    assert task.return_value is None


@pytest.mark.django_db(transaction=True)
def test_the_worker_runs_the_queue_beats_and_signs_off(settings: Settings) -> None:
    settings.SECONDROUND_BACKUP_KEEP = 0  # no nightly backup in this test
    first = remind_interviewers.enqueue()
    second = remind_interviewers.enqueue()
    call_command("run_worker", batch=True, interval=0, startup_delay=False, verbosity=0)
    statuses = set(
        DBTaskResult.objects.filter(pk__in=[first.id, second.id]).values_list("status", flat=True)
    )
    assert statuses == {TaskResultStatus.SUCCESSFUL}
    heartbeat = WorkerHeartbeat.objects.get()
    assert heartbeat.stopped_at is not None
    assert DBTaskResult.objects.get(pk=first.id).worker_ids == [heartbeat.worker_id]


def test_the_nightly_slot_is_the_latest_past_hour() -> None:
    before = datetime(2026, 3, 4, 1, 59, tzinfo=UTC)
    after = datetime(2026, 3, 4, 2, 0, tzinfo=UTC)
    assert schedule.latest_nightly_slot(before, 2) == datetime(2026, 3, 3, 2, 0, tzinfo=UTC)
    assert schedule.latest_nightly_slot(after, 2) == after


def test_each_slot_is_claimed_once() -> None:
    slot = timezone.now() - timedelta(minutes=1)
    assert schedule.claim_slot("job", slot) is True
    assert schedule.claim_slot("job", slot) is False
    assert schedule.claim_slot("job", timezone.now() + timedelta(seconds=1)) is True


def test_the_nightly_backup_is_queued_once_per_night(settings: Settings) -> None:
    settings.SECONDROUND_BACKUP_KEEP = 5
    assert schedule.enqueue_due_jobs() == [schedule.NIGHTLY_BACKUP]
    assert schedule.enqueue_due_jobs() == []
    queued = DBTaskResult.objects.ready().values_list("task_path", flat=True)
    assert list(queued) == ["secondround.ops.tasks.nightly_backup"]
    ScheduledRun.objects.update(last_run_at=timezone.now() - timedelta(days=1, hours=1))
    assert schedule.enqueue_due_jobs() == [schedule.NIGHTLY_BACKUP]


@pytest.mark.django_db(transaction=True)
def test_a_database_locked_past_the_busy_timeout_does_not_kill_the_worker(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """django-tasks-db opens its claim transaction outside its own lock handling."""
    from django_tasks_db.management.commands import db_worker

    settings.SECONDROUND_BACKUP_KEEP = 0
    real = db_worker.exclusive_transaction
    attempts = []

    def locked_twice(*args: object, **kwargs: object) -> object:
        attempts.append(1)
        if len(attempts) <= 2:  # as when a long import holds SQLite's write lock
            raise OperationalError("database is locked")
        return real(*args, **kwargs)

    monkeypatch.setattr(db_worker, "exclusive_transaction", locked_twice)
    queued = remind_interviewers.enqueue()
    call_command("run_worker", batch=True, interval=0.01, startup_delay=False, verbosity=0)
    assert DBTaskResult.objects.get(pk=queued.id).status == TaskResultStatus.SUCCESSFUL
    assert len(attempts) >= 3


@pytest.mark.django_db(transaction=True)
def test_other_database_errors_still_stop_the_worker(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    from django_tasks_db.management.commands import db_worker

    settings.SECONDROUND_BACKUP_KEEP = 0

    def broken(*args: object, **kwargs: object) -> object:
        raise OperationalError("no such table: django_tasks_database_dbtaskresult")

    monkeypatch.setattr(db_worker, "exclusive_transaction", broken)
    with pytest.raises(OperationalError, match="no such table"):
        call_command("run_worker", batch=True, interval=0.01, startup_delay=False, verbosity=0)
