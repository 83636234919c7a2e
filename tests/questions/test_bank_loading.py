"""The shipped bank is written by `migrate`, never by a read."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from secondround.questions.apps import load_builtin_bank
from secondround.questions.models import Question, Scenario
from secondround.questions.selectors import scenarios_for, search_questions

pytestmark = pytest.mark.django_db


def test_the_migrated_database_already_holds_the_bank() -> None:
    assert Question.objects.filter(builtin=True).count() > 300
    assert Scenario.objects.filter(builtin=True).exists()


def test_reading_the_bank_writes_nothing_even_when_it_is_empty() -> None:
    Question.objects.all().delete()
    Scenario.objects.all().delete()
    with CaptureQueriesContext(connection) as queries:
        assert list(search_questions(text="conflict")) == []
        assert list(scenarios_for("software")) == []
    writes = [q["sql"] for q in queries if not q["sql"].lstrip().upper().startswith("SELECT")]
    assert writes == []
    assert not Question.objects.exists()


def test_a_flush_reloads_an_emptied_bank_and_migrate_syncs_edits() -> None:
    Question.objects.all().delete()
    load_builtin_bank(plan=None)  # what a flush sends
    assert Question.objects.filter(builtin=True).count() > 300
    edited = Question.objects.filter(builtin=True).first()
    assert edited is not None
    Question.objects.filter(pk=edited.pk).update(text="Changed by hand")
    load_builtin_bank(plan=None)  # a flush leaves a filled bank alone
    edited.refresh_from_db()
    assert edited.text == "Changed by hand"
    load_builtin_bank(plan=[])  # `migrate` brings the shipped text back
    edited.refresh_from_db()
    assert edited.text != "Changed by hand"
