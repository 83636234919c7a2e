"""Jobs the workers start on a timetable; each slot is claimed by exactly one worker."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from secondround.ops.models import ScheduledRun

NIGHTLY_BACKUP = "nightly-backup"


def latest_nightly_slot(now: datetime, hour: int) -> datetime:
    """The most recent moment at `hour`:00 UTC that is not in the future."""
    today = now.astimezone(UTC).replace(hour=hour, minute=0, second=0, microsecond=0)
    return today if today <= now else today - timedelta(days=1)


def claim_slot(name: str, slot: datetime) -> bool:
    """True for the one caller that moves the job's last run past `slot`; False for the rest."""
    ScheduledRun.objects.get_or_create(name=name)
    due = Q(last_run_at__isnull=True) | Q(last_run_at__lt=slot)
    return ScheduledRun.objects.filter(due, name=name).update(last_run_at=timezone.now()) == 1


def enqueue_due_jobs() -> list[str]:
    """Queue every scheduled job whose slot has come; returns their names."""
    from secondround.ops.tasks import nightly_backup

    started = []
    slot = latest_nightly_slot(timezone.now(), settings.SECONDROUND_BACKUP_HOUR)
    if settings.SECONDROUND_BACKUP_KEEP > 0 and claim_slot(NIGHTLY_BACKUP, slot):
        nightly_backup.enqueue()
        started.append(NIGHTLY_BACKUP)
    started += _calendar_refresh()
    return started


def _calendar_refresh() -> list[str]:
    """Everyone's connected calendar, every quarter hour (scheduling's own task)."""
    from secondround.scheduling import tasks

    slot = tasks.latest_quarter_slot(timezone.now())
    if tasks.anything_to_refresh() and claim_slot(tasks.CALENDAR_REFRESH, slot):
        tasks.refresh_calendars.enqueue()
        return [tasks.CALENDAR_REFRESH]
    return []
