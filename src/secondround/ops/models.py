"""What operations keep in the database: workers' heartbeats and when scheduled jobs last ran."""

from __future__ import annotations

from django.db import models


class WorkerHeartbeat(models.Model):
    """One task-worker process. Its heartbeat is also the lease on the task it runs."""

    worker_id = models.CharField(max_length=64, unique=True)
    hostname = models.CharField(max_length=255)
    pid = models.PositiveIntegerField()
    started_at = models.DateTimeField()
    last_beat_at = models.DateTimeField(db_index=True)
    stopped_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-last_beat_at"]

    def __str__(self) -> str:
        return f"worker {self.worker_id} ({self.hostname}, pid {self.pid})"


class ScheduledRun(models.Model):
    """When a scheduled job last started; a conditional update claims each slot exactly once."""

    name = models.CharField(max_length=64, unique=True)
    last_run_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return self.name
