"""The debrief's answers to what hiring asks of it (`hiring/decision_facts.py`)."""

from __future__ import annotations

from secondround.debrief.models import Decision, DecisionKind


class RecordedDecisions:
    def decided_to_hire(self, application_id: int) -> bool:
        return Decision.objects.filter(
            application_id=application_id, decision=DecisionKind.HIRE
        ).exists()
