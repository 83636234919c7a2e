"""Background work: apply the retention rule (queued once a day by `secondround remind`)."""

from __future__ import annotations

import logging

from django.tasks import task

from secondround.privacy.services import apply_retention

log = logging.getLogger(__name__)


@task()
def apply_retention_rule() -> int:
    erased = apply_retention()
    if erased:
        log.info("Retention rule anonymised %d candidates", len(erased))
    return len(erased)
