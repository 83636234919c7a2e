"""How the installation is doing: database, task worker, queue. Counts and ages only, no data."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import DatabaseError, connection
from django.db.models import Max, Min
from django.utils import timezone
from django_tasks_db.models import DBTaskResult, get_date_max

from secondround.ops.models import WorkerHeartbeat

FAILED_WINDOW = timedelta(hours=24)


@dataclass(frozen=True)
class Health:
    database_ok: bool
    last_heartbeat: datetime | None
    heartbeat_age: float | None  # seconds; None when no worker ever beat
    waiting_tasks: int
    oldest_waiting_age: float | None  # seconds since the oldest runnable task could have run
    failed_recently: int  # tasks failed in the last 24 hours

    @property
    def worker_late(self) -> bool:
        return (
            self.heartbeat_age is None
            or self.heartbeat_age > settings.SECONDROUND_HEALTH_WORKER_LATE_SECONDS
        )

    @property
    def queue_old(self) -> bool:
        return (self.oldest_waiting_age or 0) > settings.SECONDROUND_HEALTH_QUEUE_SECONDS

    @property
    def ok(self) -> bool:
        return self.database_ok and not self.worker_late and not self.queue_old

    def as_json(self) -> dict[str, Any]:
        if not self.database_ok:
            return {"status": "down", "database": "unavailable"}
        return {
            "status": "ok" if self.ok else "degraded",
            "database": "ok",
            "worker": {
                "last_heartbeat": self.last_heartbeat.isoformat() if self.last_heartbeat else None,
                "age_seconds": _rounded(self.heartbeat_age),
                "late": self.worker_late,
            },
            "queue": {
                "waiting": self.waiting_tasks,
                "oldest_age_seconds": _rounded(self.oldest_waiting_age),
                "old": self.queue_old,
            },
            "failed_tasks_last_24h": self.failed_recently,
        }


def _rounded(seconds: float | None) -> float | None:
    return None if seconds is None else round(seconds, 1)


def check_health() -> Health:
    now = timezone.now()
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        last_beat = WorkerHeartbeat.objects.filter(stopped_at__isnull=True).aggregate(
            latest=Max("last_beat_at")
        )["latest"]
        waiting, oldest = _queue(now)
        failed = DBTaskResult.objects.failed().filter(finished_at__gte=now - FAILED_WINDOW).count()
    except DatabaseError:
        return Health(False, None, None, 0, None, 0)
    return Health(
        database_ok=True,
        last_heartbeat=last_beat,
        heartbeat_age=(now - last_beat).total_seconds() if last_beat else None,
        waiting_tasks=waiting,
        oldest_waiting_age=(now - oldest).total_seconds() if oldest else None,
        failed_recently=failed,
    )


def _queue(now: datetime) -> tuple[int, datetime | None]:
    """How many tasks could run now, and since when the oldest of them could."""
    ready = DBTaskResult.objects.ready()
    immediate = ready.filter(run_after=get_date_max()).aggregate(since=Min("enqueued_at"))
    delayed = ready.exclude(run_after=get_date_max()).aggregate(since=Min("run_after"))
    since = [moment for moment in (immediate["since"], delayed["since"]) if moment]
    return ready.count(), min(since) if since else None


def warnings_for_admins(health: Health) -> list[str]:
    """Sentences for the admin's home page; empty when nothing needs attention."""
    from django.utils.translation import gettext as _
    from django.utils.translation import ngettext

    if not health.database_ok:
        return [_("The database does not answer.")]
    found = []
    if health.heartbeat_age is None:
        found.append(_("No task worker has ever run: mail, reminders and debrief refreshes wait."))
    elif health.worker_late:
        found.append(
            _("The task worker was last seen %(minutes)d minutes ago: mail, reminders and "
              "debrief refreshes wait until it is back.")
            % {"minutes": health.heartbeat_age // 60}
        )  # fmt: skip
    if health.queue_old and not health.worker_late:
        found.append(
            _("The oldest waiting task has waited %(minutes)d minutes.")
            % {"minutes": (health.oldest_waiting_age or 0) // 60}
        )
    if health.failed_recently:
        found.append(
            ngettext(
                "%(count)d background task failed in the last 24 hours.",
                "%(count)d background tasks failed in the last 24 hours.",
                health.failed_recently,
            )
            % {"count": health.failed_recently}
        )
    return found
