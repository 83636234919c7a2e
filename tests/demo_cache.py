"""The demo organisation for tests: built by ``demo.load()`` once, then its rows replayed.

``demo.load()`` builds the organisation through the real services (about 7 s of CPU here) and
some 250 tests need it. They get the same rows back from a snapshot of the first build
(``loaddata``, under a second). The demo's own tests (``tests/demo``, ``*/test_demo.py``) still
call ``demo.load()`` itself.

A snapshot is reused only where it would come out the same: the same database, the same kind
of test (inside the test's transaction, or committed with its on-commit work done), the same
hour (the demo's times are relative to now; a frozen clock gets its own) and the same settings
its texts depend on.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.utils import timezone, translation

from secondround import demo
from secondround.questions.models import Question, Scenario

#: Framework tables the demo never writes (users carry no groups or permissions).
NOT_DEMO = {"admin", "auth", "axes", "contenttypes", "sessions"}
_SNAPSHOTS: dict[tuple[str, ...], tuple[Path, tuple[set[int], set[int]]]] = {}
_FOLDER = Path(tempfile.mkdtemp(prefix="secondround-demo-"))


def _key() -> tuple[str, ...]:
    return (
        connection.vendor,
        str(connection.in_atomic_block),
        timezone.now().strftime("%Y-%m-%dT%H"),
        settings.SECONDROUND_BASE_URL,
        str(translation.get_language()),
    )


def _snapshot() -> Path:
    from django.apps import apps

    labels = sorted({c.label for c in apps.get_app_configs() if c.models_module} - NOT_DEMO)
    path = _FOLDER / f"demo-{len(_SNAPSHOTS)}.json"
    call_command("dumpdata", *labels, natural_foreign=True, output=str(path), verbosity=0)
    return path


def _bank_ids() -> tuple[set[int], set[int]]:
    return (
        set(Question.objects.filter(builtin=True).values_list("pk", flat=True)),
        set(Scenario.objects.filter(builtin=True).values_list("pk", flat=True)),
    )


def load_demo() -> None:
    """The demo organisation, as ``demo.load()`` leaves it."""
    key = _key()
    if key not in _SNAPSHOTS:
        demo.load()
        _SNAPSHOTS[key] = (_snapshot(), _bank_ids())
        return
    path, bank_ids = _SNAPSHOTS[key]
    if _bank_ids() != bank_ids:
        # A flush between tests re-seeds the shipped question bank under new ids; the
        # snapshot brings the same questions back under the ids its rows point to.
        # Scenarios too: their keys are unique, so a re-seeded one blocked the snapshot's.
        Question.objects.filter(builtin=True).delete()
        Scenario.objects.filter(builtin=True).delete()
    call_command("loaddata", str(path), verbosity=0)
