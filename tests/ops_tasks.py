"""A task for the worker tests that records each run in a table of its own.

`python -m tests.ops_tasks COUNT SLOW_KEY` queues COUNT runs; the one with SLOW_KEY writes
its row and then sleeps, so a test can kill its worker halfway through it.
"""

from __future__ import annotations

import os
import sys
import time

from django.db import connection
from django.tasks import task

RUNS_TABLE = "ops_test_run"
SLOW_SECONDS = 4


@task()
def record_run(key: int, slow: bool = False) -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {RUNS_TABLE} (key, pid) VALUES (%s, %s)",
            [key, os.getpid()],
        )
    if slow:
        time.sleep(SLOW_SECONDS)
    return key


def main(count: int, slow_key: int) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "secondround.settings")
    import django

    django.setup()
    # Run as a script this module is __main__; workers must find the task under its real name.
    from tests.ops_tasks import record_run as importable

    for key in range(count):
        importable.enqueue(key, slow=key == slow_key)


if __name__ == "__main__":
    main(int(sys.argv[1]), int(sys.argv[2]))
