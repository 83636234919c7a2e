"""Decisions: recorded with reasons and dissent, moving the application, never silently edited."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from secondround.accounts.models import User
from secondround.debrief.models import Decision, DecisionKind, DecisionRevision
from secondround.hiring.models import Application, Competency, Stage
from secondround.hiring.selectors import require_manager
from secondround.hiring.services import move_application

# Where the application goes with each decision.
STAGE_FOR: dict[str, str] = {
    DecisionKind.HIRE: Stage.OFFER,
    DecisionKind.REJECT: Stage.REJECTED,
    DecisionKind.ANOTHER_CONVERSATION: Stage.SECOND_ROUND,
    DecisionKind.ON_HOLD: Stage.DECISION,
}
# The path an application takes from where it is to the decision's stage.
PATHS: dict[tuple[str, str], list[str]] = {
    (Stage.SECOND_ROUND, Stage.OFFER): [Stage.DECISION, Stage.OFFER],
    (Stage.DECISION, Stage.OFFER): [Stage.OFFER],
    (Stage.SECOND_ROUND, Stage.DECISION): [Stage.DECISION],
    (Stage.DECISION, Stage.SECOND_ROUND): [Stage.SECOND_ROUND],
    (Stage.OFFER, Stage.DECISION): [Stage.DECISION],
    (Stage.OFFER, Stage.SECOND_ROUND): [Stage.DECISION, Stage.SECOND_ROUND],
}


def _snapshot(decision: Decision) -> dict[str, Any]:
    return {
        "decision": decision.decision,
        "reasons": decision.reasons,
        "competencies": sorted(c.name for c in decision.competencies.all()),
        "dissent": decision.dissent,
        "decided_by": decision.decided_by.email,
        "decided_at": decision.decided_at.isoformat(),
        "next_step": decision.next_step,
        "next_step_date": decision.next_step_date.isoformat(),
    }


@transaction.atomic
def record_decision(
    *,
    actor: User,
    application: Application,
    decision: str,
    reasons: str,
    competencies: Sequence[Competency],
    dissent: Sequence[dict[str, str]],
    next_step: str,
    next_step_date: date,
    change_reason: str = "",
) -> Decision:
    """Record (or change, with a reason) the decision on a finalist and move their stage."""
    require_manager(actor, application.position)
    errors: dict[str, str] = {}
    if decision not in DecisionKind.values:
        errors["decision"] = _("Choose a decision.")
    if not reasons.strip():
        errors["reasons"] = _("Say why, tied to the competencies and the evidence.")
    if not competencies:
        errors["competencies"] = _("Name the competencies the decision rests on.")
    if any(c.position_id != application.position_id for c in competencies):
        errors["competencies"] = _("A competency of another position.")
    if any(not d.get("person", "").strip() or not d.get("view", "").strip() for d in dissent):
        errors["dissent"] = _("Each dissenting view needs a person and what they think.")
    if not next_step.strip():
        errors["next_step"] = _("Say what happens next.")
    existing = Decision.objects.filter(application=application).first()
    if existing and not change_reason.strip():
        errors["change_reason"] = _("This decision was already recorded: say why it changes.")
    if errors:
        raise ValidationError(errors)
    if existing:
        DecisionRevision.objects.create(
            decision=existing, changed_by=actor, reason=change_reason.strip(),
            before=_snapshot(existing),
        )  # fmt: skip
    record = existing or Decision(application=application)
    record.decision, record.reasons, record.dissent = decision, reasons.strip(), list(dissent)
    record.decided_by, record.next_step, record.next_step_date = (
        actor,
        next_step.strip(),
        next_step_date,
    )
    if existing:
        record.decided_at = timezone.now()
    record.full_clean(exclude=["competencies"])
    record.save()
    record.competencies.set(competencies)
    _move(actor, application, STAGE_FOR[DecisionKind(decision)])
    return record


def _move(actor: User, application: Application, target: str) -> None:
    application.refresh_from_db()
    if application.stage == target:
        return
    steps = PATHS.get((application.stage, target), [target])
    for step in steps:
        move_application(
            actor=actor, application=application, to_stage=step,
            # The stage history is read more widely than the decision record: the move
            # carries no reasons (they quote calibrated scores); the decision keeps them.
            reason=_("Decision recorded in the debrief."),
        )  # fmt: skip
        application.refresh_from_db()
