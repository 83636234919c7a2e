from __future__ import annotations

from django.tasks import task

from secondround.debrief.calibration import refresh_snapshot


@task()
def refresh_calibration() -> int:
    """Refit the organisation's calibration after a scorecard is submitted or changed."""
    snapshot = refresh_snapshot()
    return snapshot.n_ratings if snapshot else 0
