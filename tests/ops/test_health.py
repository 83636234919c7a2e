"""/healthz and the admin's warning: the database, the worker's heartbeat, the queue's age."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from secondround.accounts.models import Role, User
from secondround.ops.models import WorkerHeartbeat
from secondround.scorecards.tasks import remind_interviewers
from tests.conftest import client_for
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def heartbeat(age: timedelta, *, stopped: bool = False) -> WorkerHeartbeat:
    now = timezone.now()
    return WorkerHeartbeat.objects.create(
        worker_id=f"w-{age.total_seconds()}-{stopped}",
        hostname="test",
        pid=1,
        started_at=now - age - timedelta(hours=1),
        last_beat_at=now - age,
        stopped_at=now if stopped else None,
    )


def queued_task(waiting: timedelta) -> DBTaskResult:
    result = remind_interviewers.enqueue()
    DBTaskResult.objects.filter(pk=result.id).update(enqueued_at=timezone.now() - waiting)
    return DBTaskResult.objects.get(pk=result.id)


def test_healthz_is_ok_with_a_fresh_heartbeat_and_a_young_queue() -> None:
    heartbeat(timedelta(seconds=3))
    queued_task(timedelta(seconds=10))
    response = Client().get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"] == "ok"
    assert body["worker"]["late"] is False
    assert 2 <= body["worker"]["age_seconds"] < 30
    assert body["queue"] == {
        "waiting": 1,
        "oldest_age_seconds": pytest.approx(10, abs=5),
        "old": False,
    }
    assert response["Cache-Control"].startswith("max-age=0")


def test_healthz_reports_a_late_worker_with_503() -> None:
    heartbeat(timedelta(minutes=5))
    response = Client().get("/healthz")
    assert response.status_code == 503
    assert response.json()["status"] == "degraded"
    assert response.json()["worker"]["late"] is True


def test_a_worker_that_signed_off_does_not_count_as_alive() -> None:
    heartbeat(timedelta(seconds=1), stopped=True)
    body = Client().get("/healthz").json()
    assert body["worker"] == {"last_heartbeat": None, "age_seconds": None, "late": True}


def test_healthz_reports_an_old_queue_with_503() -> None:
    heartbeat(timedelta(seconds=1))
    queued_task(timedelta(minutes=20))
    queued_task(timedelta(seconds=5))
    response = Client().get("/healthz")
    assert response.status_code == 503
    queue = response.json()["queue"]
    assert queue["waiting"] == 2
    assert queue["old"] is True
    assert queue["oldest_age_seconds"] == pytest.approx(1200, abs=10)


def test_a_task_delayed_into_the_future_is_not_an_old_queue() -> None:
    heartbeat(timedelta(seconds=1))
    later = remind_interviewers.using(run_after=timezone.now() + timedelta(hours=2)).enqueue()
    DBTaskResult.objects.filter(pk=later.id).update(enqueued_at=timezone.now() - timedelta(days=1))
    body = Client().get("/healthz").json()
    assert body["queue"]["waiting"] == 0
    assert body["status"] == "ok"


def test_healthz_needs_no_login_shows_no_data_and_refuses_writes() -> None:
    UserFactory(email="secret.person@example.com")
    response = Client().get("/healthz")
    assert b"example.com" not in response.content
    assert set(response.json()) == {
        "status",
        "database",
        "worker",
        "queue",
        "failed_tasks_last_24h",
    }
    assert Client().post("/healthz").status_code == 405


def test_admin_home_warns_when_the_worker_is_late_and_a_task_failed() -> None:
    admin = UserFactory(role=Role.ADMIN)
    heartbeat(timedelta(minutes=7))
    failed = queued_task(timedelta(minutes=1))
    DBTaskResult.objects.filter(pk=failed.pk).update(
        status=TaskResultStatus.FAILED, finished_at=timezone.now()
    )
    page = client_for(admin).get("/").content.decode()
    assert 'id="ops-warnings"' in page
    assert "last seen 7 minutes ago" in page
    assert "1 background task failed in the last 24 hours." in page


def test_admin_home_is_quiet_when_all_is_well() -> None:
    admin = UserFactory(role=Role.ADMIN)
    heartbeat(timedelta(seconds=2))
    assert 'id="ops-warnings"' not in client_for(admin).get("/").content.decode()


def test_only_admins_see_the_warning(manager: User) -> None:
    heartbeat(timedelta(hours=2))
    assert 'id="ops-warnings"' not in client_for(manager).get("/").content.decode()
    admin = UserFactory(role=Role.ADMIN)
    assert "last seen 120 minutes ago" in client_for(admin).get("/").content.decode()
