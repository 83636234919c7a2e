"""The built-in question bank and scenarios shipped in questions/data/*.json."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.db import transaction

from secondround.questions.models import Question, Scenario

DATA = Path(__file__).with_name("data")
QUESTION_FILES = (
    "questions_general.json",
    "questions_technical.json",
    # Craft questions for the role families added with the posting reader (issue #14).
    "questions_families.json",
)
QUESTION_FIELDS = (
    "text", "type", "kind", "role_families", "reason", "follow_ups",
    "answer_1", "answer_3", "answer_5",
)  # fmt: skip
SCENARIO_FIELDS = (
    "role_family", "title", "brief", "materials", "timebox_minutes", "watch_for", "rubric",
)  # fmt: skip


def _load(name: str) -> list[dict[str, Any]]:
    path = DATA / name
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else []


def sync_builtin_bank(using: str = "default") -> int:
    """Create or update every shipped question and scenario by key; returns how many exist.

    Organisations' own questions and their retirements of built-in ones are kept. Runs after
    every `migrate` (see `questions.apps`); selectors and services only read the bank.
    """
    with transaction.atomic(using=using):
        for name in QUESTION_FILES:
            for item in _load(name):
                defaults = {f: item[f] or "" if f == "reason" else item[f] for f in QUESTION_FIELDS}
                Question.objects.using(using).update_or_create(
                    key=item["key"], defaults={**defaults, "builtin": True}
                )
        for item in _load("scenarios.json"):
            Scenario.objects.using(using).update_or_create(
                key=item["key"],
                defaults={**{f: item[f] for f in SCENARIO_FIELDS}, "builtin": True},
            )
    return Question.objects.using(using).filter(builtin=True).count()


def ensure_builtin_bank(using: str = "default") -> None:
    """Load the shipped bank into a database that has none (after a test's flush)."""
    if not Question.objects.using(using).filter(builtin=True).exists():
        sync_builtin_bank(using)
