"""`secondround remind` queues the overdue-decision reminders; the real worker sends them."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from typer.testing import CliRunner

from secondround.cli import app
from secondround.hiring import services as hiring
from secondround.hiring.models import Application, Position, Stage
from secondround.messaging.models import DecisionReminder
from tests.conftest import Inbox
from tests.factories import make_application

pytestmark = pytest.mark.django_db(transaction=True)


def test_remind_then_the_worker_mails_the_team_once(smtp: Inbox, position: Position) -> None:
    application = make_application(position, name="Late Larry")
    for stage in (Stage.FIRST_ROUND, Stage.SECOND_ROUND):
        hiring.move_application(
            actor=position.hiring_manager, application=application, to_stage=stage
        )
    Application.objects.filter(pk=application.pk).update(
        promised_decision_on=timezone.localdate() - timedelta(days=1)
    )
    call_command("db_worker", batch=True, verbosity=0)  # the round-two notice, not ours
    before = len(smtp.messages)
    for _round in range(2):
        assert CliRunner().invoke(app, ["remind"]).exit_code == 0
        call_command("db_worker", batch=True, verbosity=0)
    overdue = [m for m in smtp.messages[before:] if "Overdue" in m["Subject"]]
    assert len(overdue) == 1 and "Late Larry" in overdue[0]["Subject"]
    assert DecisionReminder.objects.filter(application=application).count() == 1
