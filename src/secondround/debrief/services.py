"""Decisions: recorded with reasons and dissent, moving the application, never silently edited."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from secondround.accounts.models import User
from secondround.audit.models import AuditAction
from secondround.audit.services import record_event
from secondround.debrief.calibration import refresh_snapshot
from secondround.debrief.models import Decision, DecisionKind, DecisionRevision
from secondround.debrief.selectors import scorecard_progress
from secondround.hiring.models import (
    WEIGHT_MAX,
    WEIGHT_MIN,
    Application,
    Competency,
    Position,
    Stage,
)
from secondround.hiring.selectors import require_manager
from secondround.hiring.services import ALLOWED_MOVES, move_application, save_competency
from secondround.scorecards.selectors import can_see_round_two_ratings

# Where the application goes with each decision.
STAGE_FOR: dict[str, str] = {
    DecisionKind.HIRE: Stage.OFFER,
    DecisionKind.REJECT: Stage.REJECTED,
    DecisionKind.ANOTHER_CONVERSATION: Stage.SECOND_ROUND,
    DecisionKind.ON_HOLD: Stage.DECISION,
}

# A decision's next step is within a year, like the decision date promised in round two.
NEXT_STEP_HORIZON = timedelta(days=365)


def _content(decision: Decision) -> tuple[Any, ...]:
    """What a decision says, to compare with what is asked: who and when are left out."""
    return (decision.decision, decision.reasons, {c.pk for c in decision.competencies.all()},
            decision.dissent, decision.next_step, decision.next_step_date)  # fmt: skip


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
        "provisional": decision.provisional,
        "scorecards_missing": decision.scorecards_missing,
    }


def still_to_submit(application: Application) -> list[str]:
    """Names of the loop's interviewers whose round-two scorecard for them is not in."""
    progress = scorecard_progress(application.position, [application])[application.pk]
    return [person.full_name for person in progress.still_to_submit]


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
    confirm_provisional: bool = False,
    no_outcome_reason: str = "",
) -> Decision:
    """Record (or change, with a reason) the decision on a finalist and move their stage.

    While round-two scorecards are missing the decision is recorded as provisional, with who
    was still to submit; a hire then needs ``confirm_provisional``. A reject closes the
    application, which needs the outcome message sent first or ``no_outcome_reason``.
    """
    require_manager(actor, application.position)
    if not can_see_round_two_ratings(actor, application):
        # Under the independence rule they may not see the ratings, so neither may they
        # see or make the decision that rests on them.
        raise PermissionDenied(_("Submit your own scorecard for this finalist first."))
    missing = still_to_submit(application)
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
    asked = (decision, reasons.strip(), {c.pk for c in competencies}, list(dissent),
             next_step.strip(), next_step_date)  # fmt: skip
    if existing and _content(existing) == asked:
        # The same form posted again (a stale tab, the back button): nothing changes.
        return existing
    if existing and next_step_date == existing.next_step_date:
        pass  # kept as it was (perhaps overdue now): only a new date must lie ahead
    elif next_step_date < timezone.localdate():
        errors["next_step_date"] = _("The next step cannot be in the past.")
    elif next_step_date > timezone.localdate() + NEXT_STEP_HORIZON:
        errors["next_step_date"] = _("Give a next step within a year: the candidate is waiting.")
    if existing and not change_reason.strip():
        errors["change_reason"] = _("This decision was already recorded: say why it changes.")
    if decision in DecisionKind.values and _path(application.stage, decision) is None:
        errors["decision"] = _(
            "%(candidate)s is at the stage “%(stage)s”: this decision cannot move them from "
            "there. Decisions are for finalists in round two or later."
        ) % {"candidate": application.candidate, "stage": application.get_stage_display()}
    if decision == DecisionKind.HIRE and missing and not confirm_provisional:
        errors["confirm_provisional"] = ngettext(
            "%(n)d round-two scorecard is still missing (%(names)s): the scores are "
            "provisional. Confirm that you hire on them anyway.",
            "%(n)d round-two scorecards are still missing (%(names)s): the scores are "
            "provisional. Confirm that you hire on them anyway.",
            len(missing),
        ) % {"n": len(missing), "names": ", ".join(missing)}
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
    record.provisional, record.scorecards_missing = bool(missing), missing
    if existing:
        record.decided_at = timezone.now()
    record.full_clean(exclude=["competencies"])
    record.save()
    record.competencies.set(competencies)
    _move(actor, application, decision, no_outcome_reason)
    record_event(
        actor=actor,
        action=AuditAction.DECISION_CHANGED if existing else AuditAction.DECISION_RECORDED,
        target=record,
        summary=f"application #{application.pk}: {record.get_decision_display()}"
        + (" (provisional)" if record.provisional else ""),
    )
    return record


@transaction.atomic
def save_weights(
    *, actor: User, position: Position, weights: Mapping[int, int]
) -> list[Competency]:
    """Save the position's competency weights ({competency id: 1–5}) and refit the
    calibration with them, all or nothing. A weight outside 1–5 or a competency of another
    position is refused naming the competency (the model's own rule, not the form's)."""
    require_manager(actor, position)
    competencies = {c.pk: c for c in position.competencies.all()}
    unknown = sorted(pk for pk in weights if pk not in competencies)
    if unknown:
        raise ValidationError({"competency": _("Unknown competency for this position.")})
    for pk, weight in weights.items():
        if not WEIGHT_MIN <= weight <= WEIGHT_MAX:
            raise ValidationError({"weight": _(
                "%(name)s: saved weights are whole numbers from 1 to 5 (0 is only for trying "
                "out a what-if)."
            ) % {"name": competencies[pk].name}})  # fmt: skip
    saved = [
        save_competency(
            actor=actor, position=position, competency=competencies[pk], fields={"weight": weight}
        )
        for pk, weight in weights.items()
    ]
    # An explicit action: the refit is what the person asked for, so it runs now.
    refresh_snapshot()
    return saved


def record_debrief_viewed(*, actor: User, position: Position, what: str = "page") -> None:
    """Who looked at the comparison of finalists, for the audit log."""
    record_event(
        actor=actor,
        action=AuditAction.DEBRIEF_VIEWED,
        target=position,
        summary=f"position #{position.pk}: {what}",
    )


def _path(stage: str, decision: str) -> list[str] | None:
    """The stage moves a decision makes from ``stage``; None when the moves do not allow it.

    Derived from `ALLOWED_MOVES`: from round two's own stages (or from a rejection being
    reconsidered) a decision walks the shortest chain of allowed moves that stays inside
    round two; from anywhere else it is one allowed move or nothing.
    """
    target = STAGE_FOR[DecisionKind(decision)]
    if stage == target:
        return []
    if stage not in (*Stage.past_round_one(), Stage.REJECTED):
        return [target] if target in ALLOWED_MOVES.get(stage, set()) else None
    return _shortest_moves(stage, target, through=set(Stage.past_round_one()))


def _shortest_moves(start: str, target: str, *, through: set[str]) -> list[str] | None:
    """Breadth-first over the allowed moves; every stage on the way but the last is in
    `through`."""
    paths: dict[str, list[str]] = {start: []}
    frontier = [start]
    while frontier:
        following = []
        for here in frontier:
            for step in sorted(ALLOWED_MOVES.get(here, set())):
                if step in paths:
                    continue
                paths[step] = [*paths[here], step]
                if step == target:
                    return paths[step]
                if step in through:
                    following.append(step)
        frontier = following
    return None


def _move(actor: User, application: Application, decision: str, no_outcome_reason: str) -> None:
    """Move the stage; the history says a decision did it, never the reasons (they rest on
    ratings that interviewers still to submit may not see)."""
    application.refresh_from_db()
    for step in _path(application.stage, decision) or []:
        move_application(
            actor=actor, application=application, to_stage=step,
            reason=_("Decision recorded in the debrief."), no_outcome_reason=no_outcome_reason,
        )  # fmt: skip
        application.refresh_from_db()
