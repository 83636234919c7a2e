from django.contrib import admin

from secondround.ops.models import ScheduledRun, WorkerHeartbeat


@admin.register(WorkerHeartbeat)
class WorkerHeartbeatAdmin(admin.ModelAdmin[WorkerHeartbeat]):
    list_display = ["worker_id", "hostname", "pid", "started_at", "last_beat_at", "stopped_at"]
    readonly_fields = ["worker_id", "hostname", "pid", "started_at", "last_beat_at", "stopped_at"]


@admin.register(ScheduledRun)
class ScheduledRunAdmin(admin.ModelAdmin[ScheduledRun]):
    list_display = ["name", "last_run_at"]
