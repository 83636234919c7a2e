from __future__ import annotations

from django.tasks import task

from secondround.ops.backup import create_backup


@task()
def nightly_backup() -> str:
    """Back the database up into the data folder and drop the oldest copies."""
    return create_backup().name
