"""A date that was in the future when saved and has passed since is kept when its form is saved
again unchanged; only a new date must be today or later (the decision's "next step by" and the
decision date promised to the candidate)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from secondround.debrief.models import Decision
from secondround.debrief.services import record_decision
from secondround.hiring.models import Application, Position
from secondround.messaging.services import set_promised_decision_date
from tests.conftest import client_for
from tests.factories import make_finalist, soon

pytestmark = pytest.mark.django_db


def _on_hold(application: Application) -> Decision:
    """A decision recorded while its date was ahead, whose date has passed since."""
    decision = record_decision(
        actor=application.position.hiring_manager, application=application, decision="on_hold",
        reasons="Waiting for the second finalist's loop.",
        competencies=list(application.position.competencies.all()[:1]), dissent=[],
        next_step="Compare after the other loop.", next_step_date=soon(),
    )  # fmt: skip
    Decision.objects.filter(pk=decision.pk).update(
        next_step_date=timezone.localdate() - timedelta(days=3)
    )
    decision.refresh_from_db()
    return decision


def _form(decision: Decision, **changes: object) -> dict[str, object]:
    return {
        "decision": decision.decision, "reasons": decision.reasons, "dissent": "",
        "competencies": [c.pk for c in decision.competencies.all()],
        "next_step": decision.next_step, "next_step_date": decision.next_step_date.isoformat(),
        "change_reason": "", "no_outcome_reason": "", **changes,
    }  # fmt: skip


def test_a_decision_with_an_overdue_next_step_saves_again_unchanged(position: Position) -> None:
    application = make_finalist(position)
    decision = _on_hold(application)
    overdue = decision.next_step_date
    url = reverse("decision", args=[position.pk, application.pk])
    client = client_for(position.hiring_manager)
    changed = _form(
        decision, reasons="Waiting for the other loop; strong on debugging.",
        change_reason="Added what the panel said.",
    )  # fmt: skip
    assert client.post(url, changed).status_code == 302
    decision.refresh_from_db()
    assert decision.reasons.startswith("Waiting for the other loop;")
    assert decision.next_step_date == overdue
    assert decision.revisions.count() == 1


def test_a_new_date_in_the_past_is_still_refused(position: Position) -> None:
    application = make_finalist(position)
    decision = _on_hold(application)
    url = reverse("decision", args=[position.pk, application.pk])
    earlier = decision.next_step_date - timedelta(days=1)
    refused = client_for(position.hiring_manager).post(
        url, _form(decision, next_step_date=earlier.isoformat(), change_reason="Moved.")
    )
    assert refused.status_code == 400
    assert refused.context["form"].errors["next_step_date"] == [
        "The next step cannot be in the past."
    ]
    decision.refresh_from_db()
    assert decision.next_step_date == earlier + timedelta(days=1)
    assert not decision.revisions.exists()


def test_an_overdue_promised_date_saves_again_unchanged(position: Position) -> None:
    application = make_finalist(position)
    overdue = timezone.localdate() - timedelta(days=2)
    Application.objects.filter(pk=application.pk).update(promised_decision_on=overdue)
    application.refresh_from_db()
    response = client_for(position.hiring_manager).post(
        reverse("message-decision-date", args=[application.pk]),
        {"promised_decision_on": overdue.isoformat()},
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.promised_decision_on == overdue
    with pytest.raises(ValidationError) as refused:  # a new date is still checked
        set_promised_decision_date(
            actor=position.hiring_manager, application=application,
            on=overdue - timedelta(days=1),
        )  # fmt: skip
    assert "promised_decision_on" in refused.value.message_dict
    application.refresh_from_db()
    assert application.promised_decision_on == overdue
