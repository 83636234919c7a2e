"""Planning round two, one service per action of the team: propose the loop (again), accept
it, and edit its seats and sessions. The coverage checks are in `checks.py`, the questions
from the bank in `bank.py`, the clarification items in `items.py`."""

from __future__ import annotations

from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import RestrictedError
from django.utils import timezone
from django.utils.translation import gettext as _

from secondround.accounts.models import User
from secondround.hiring.models import Application, Competency, Position
from secondround.hiring.selectors import require_manager
from secondround.hiring.services import require_not_own_candidates, require_organisation_members
from secondround.loops import items, planner
from secondround.loops.bank import pick_questions
from secondround.loops.booking_facts import booking_facts
from secondround.loops.checks import recheck, store_checks
from secondround.loops.models import (
    LoopPlan,
    LoopSession,
    PlanStatus,
    Seat,
    SessionQuestion,
)
from secondround.loops.scorecard_facts import scorecard_facts
from secondround.loops.selectors import finalist_applications, written_for_seat
from secondround.questions.models import Question


def finalists(position: Position) -> list[Application]:
    return list(finalist_applications(position).order_by("candidate__full_name"))


# --- proposing a loop -------------------------------------------------------------------------

DEFAULT_BUDGET_MINUTES = 330


def preview_loop(
    *, actor: User, position: Position, time_budget_minutes: int | None = None
) -> planner.Draft:
    """What proposing (again) would do, worked out without writing anything."""
    require_manager(actor, position)
    plan = LoopPlan.objects.filter(position=position).first()
    return planner.draft_loop(position, plan, _budget(plan, time_budget_minutes))


def _budget(plan: LoopPlan | None, time_budget_minutes: int | None) -> int:
    if time_budget_minutes is None:
        return plan.time_budget_minutes if plan else DEFAULT_BUDGET_MINUTES
    if time_budget_minutes < 30:
        raise ValidationError({"time_budget_minutes": _("Allow at least 30 minutes.")})
    return time_budget_minutes


@transaction.atomic
def propose_loop(
    *,
    actor: User,
    position: Position,
    time_budget_minutes: int | None = None,
    confirmed: str | None = None,
) -> LoopPlan:
    """Propose the position's loop, or propose it again around what already happened.

    Seats whose interviewer has written a round-two scorecard (draft or submitted) stay as
    they are, with their sessions' titles, lengths and questions. An accepted loop changes
    only when ``confirmed`` carries the fingerprint of the loop the team saw the changes for
    (:func:`loop_fingerprint`); it then stays accepted, with the new seats.
    """
    require_manager(actor, position)
    plan = LoopPlan.objects.select_for_update().filter(position=position).first()
    budget = _budget(plan, time_budget_minutes)
    if plan is not None and plan.status == PlanStatus.ACCEPTED:
        if not confirmed:
            raise ValidationError(
                {"confirmed": _("This loop is accepted: check what proposing again would "
                                "change, then confirm it.")}
            )  # fmt: skip
        if confirmed != planner.fingerprint(plan, budget):
            raise ValidationError(
                {"confirmed": _("The loop changed since you checked what would change; "
                                "check again before confirming.")}
            )  # fmt: skip
    draft = planner.draft_loop(position, plan, budget)
    _refuse_changing_booked_lengths(
        {d.existing.pk: d.duration_minutes for d in draft.sessions if d.existing and not d.held},
        field="confirmed",
    )
    try:
        with transaction.atomic():
            plan = _write_draft(draft, actor)
    except RestrictedError as error:
        raise ValidationError({"confirmed": _booked_refusal(error)}) from error
    items.refresh_clarification_items(position=position)
    return plan


def _booked_refusal(error: RestrictedError) -> str:
    """Scheduling restricts deleting a session or seat that a booked loop uses (loops sits
    below scheduling and does not import it): name the finalists whose bookings stand in the
    way, never cascade them silently."""
    names = sorted(
        {
            application.candidate.full_name
            for row in error.restricted_objects
            if (application := _application_of(row)) is not None
        }
    )
    return _(
        "The new loop would remove sessions or seats booked for %(names)s. Cancel those "
        "bookings first (on the position's schedule), then propose the loop again."
    ) % {"names": ", ".join(names) or _("some finalists")}


def _refuse_changing_booked_lengths(lengths: dict[int, int], *, field: str) -> None:
    """A session booked for a finalist keeps the length their invitations and the
    interviewers' gave: a new length for it (loop session id -> minutes) is refused naming
    the finalists, as removing it is. Cancelling or re-booking their loop comes first; the
    same length for every finalist also keeps the loop comparable."""
    clashes = [
        booked
        for booked in booking_facts().booked_lengths(lengths)
        if booked.minutes != lengths[booked.session_id]
    ]
    if not clashes:
        return
    booked_as = sorted({f"{b.candidate} ({b.minutes} minutes)" for b in clashes})
    raise ValidationError(
        {field: _(
            "Booked for %(booked)s: the candidate and the interviewers were sent those times. "
            "Cancel those bookings first (on the position's schedule), then change the length."
        ) % {"booked": ", ".join(booked_as)}}
    )  # fmt: skip


def _application_of(row: object) -> Application | None:
    application = getattr(row, "application", None)
    if application is None and (booked := getattr(row, "scheduled_session", None)) is not None:
        application = getattr(booked, "application", None)
    return application if isinstance(application, Application) else None


def loop_fingerprint(*, position: Position, time_budget_minutes: int | None) -> str:
    """The token a confirmation carries: the loop as it stands and the budget asked for."""
    plan = LoopPlan.objects.filter(position=position).first()
    return planner.fingerprint(plan, _budget(plan, time_budget_minutes))


def _write_draft(draft: planner.Draft, actor: User) -> LoopPlan:
    plan = draft.plan or LoopPlan(position=draft.position)
    plan.time_budget_minutes = draft.budget
    if plan.status == PlanStatus.ACCEPTED:  # confirmed: the team accepted these changes
        plan.accepted_at, plan.accepted_by = timezone.now(), actor
    plan.save()
    sessions = {d.kind: _write_session(plan, d) for d in draft.sessions}
    scored = scorecard_facts().sessions_with_scorecards(plan)
    plan.sessions.exclude(pk__in=[s.pk for s in sessions.values()] + list(scored)).delete()
    keep: set[int] = set()
    for seat_draft in draft.seats:
        keep.add(_write_seat(sessions[seat_draft.session.kind], seat_draft).pk)
    Seat.objects.filter(session__plan=plan).exclude(pk__in=keep).delete()
    pick_questions([sessions[d.kind] for d in draft.sessions if not d.held], draft.position)
    store_checks(plan, draft.proposal, budget_problem=draft.budget_problem)
    return plan


def _write_session(plan: LoopPlan, draft: planner.SessionDraft) -> LoopSession:
    session = draft.existing or LoopSession(plan=plan)
    if draft.held:
        return session  # interviews happened in it: it stays as it was
    session.order, session.kind = draft.order, draft.kind
    session.title, session.purpose = draft.title, draft.purpose
    session.duration_minutes = draft.duration_minutes
    session.competency_kinds = list(draft.template.competency_kinds)
    session.scenario = draft.scenario
    session.save()
    return session


def _write_seat(session: LoopSession, draft: planner.SeatDraft) -> Seat:
    if draft.written is not None and draft.existing is not None:
        return draft.existing  # scorecards are written against it: untouched
    seat = draft.existing or Seat.objects.create(session=session, interviewer=draft.interviewer)
    seat.competencies.set(draft.competencies)
    return seat


# --- editing and rechecking -------------------------------------------------------------------


def _editable(actor: User, plan: LoopPlan) -> None:
    require_manager(actor, plan.position)


MAX_FOCUS = 3


@transaction.atomic
def swap_seat_interviewer(*, actor: User, seat: Seat, interviewer: User) -> Seat:
    """Put someone else in a seat; refused while its interviewer has scorecards there."""
    plan = seat.session.plan
    _editable(actor, plan)
    if interviewer.pk == seat.interviewer_id:
        return seat
    require_organisation_members({"interviewer": [interviewer]})
    require_not_own_candidates(plan.position, {"interviewer": [interviewer]})
    written = written_for_seat(seat)
    if written is not None:
        raise ValidationError(
            {"interviewer": _(
                "%(name)s has written %(total)d scorecard(s) in this seat (%(submitted)d "
                "submitted), so the seat stays theirs: swapping them out would orphan their "
                "ratings."
            ) % {"name": seat.interviewer, "total": written.total, "submitted": written.submitted}}
        )  # fmt: skip
    if seat.session.seats.filter(interviewer=interviewer).exclude(pk=seat.pk).exists():
        raise ValidationError({"interviewer": _("%s already sits in this session.") % interviewer})
    seat.interviewer = interviewer
    seat.save(update_fields=["interviewer"])
    recheck(plan)
    return seat


@transaction.atomic
def set_seat_competencies(*, actor: User, seat: Seat, competencies: Sequence[Competency]) -> Seat:
    plan = seat.session.plan
    _editable(actor, plan)
    if any(c.position_id != plan.position_id for c in competencies):
        raise ValidationError({"competencies": _("A competency of another position.")})
    written = written_for_seat(seat)
    if written is not None and {c.pk for c in competencies} != {
        c.pk for c in seat.competencies.all()
    }:
        raise ValidationError(
            {"competencies": _(
                "%(name)s has written %(total)d scorecard(s) on these competencies, so the "
                "focus stays as it is."
            ) % {"name": seat.interviewer, "total": written.total}}
        )  # fmt: skip
    if len({c.pk for c in competencies}) > MAX_FOCUS:
        raise ValidationError(
            {"competencies": _("Choose at most three focus competencies, so each gets real "
                               "time; %d were chosen.") % len({c.pk for c in competencies})}
        )  # fmt: skip
    seat.competencies.set(competencies)
    recheck(plan)
    return seat


@transaction.atomic
def update_session(
    *, actor: User, session: LoopSession, title: str, purpose: str, duration_minutes: int
) -> LoopSession:
    _editable(actor, session.plan)
    _refuse_changing_booked_lengths({session.pk: duration_minutes}, field="duration_minutes")
    session.title, session.purpose, session.duration_minutes = title, purpose, duration_minutes
    session.full_clean()
    if not 5 <= duration_minutes <= 240:
        raise ValidationError({"duration_minutes": _("A session lasts 5 to 240 minutes.")})
    session.save()
    recheck(session.plan)
    return session


@transaction.atomic
def replace_session_question(
    *, actor: User, session_question: SessionQuestion, question: Question
) -> SessionQuestion:
    _editable(actor, session_question.session.plan)
    if question.retired:
        raise ValidationError({"question": _("This question is retired.")})
    session_question.question = question
    session_question.save(update_fields=["question"])
    return session_question


@transaction.atomic
def accept_plan(*, actor: User, plan: LoopPlan) -> LoopPlan:
    _editable(actor, plan)
    plan.status, plan.accepted_at, plan.accepted_by = PlanStatus.ACCEPTED, timezone.now(), actor
    plan.save(update_fields=["status", "accepted_at", "accepted_by"])
    return plan
