"""Planning round two: the shared loop, its coverage checks, and each finalist's open items."""

from __future__ import annotations

from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, RestrictedError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from secondround.accounts.models import User
from secondround.engines import coverage, gaps
from secondround.hiring.models import Application, Competency, Position
from secondround.hiring.selectors import require_manager
from secondround.hiring.services import require_organisation_members
from secondround.loops import planner
from secondround.loops.models import (
    ClarificationItem,
    ItemStatus,
    LoopPlan,
    LoopSession,
    PlanStatus,
    Seat,
    SessionKind,
    SessionQuestion,
)
from secondround.loops.selectors import finalist_applications, panel, written_for_seat
from secondround.questions.models import Question, QuestionType
from secondround.scorecards.models import Scorecard
from secondround.scorecards.selectors import round_one_ratings


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
    try:
        with transaction.atomic():
            plan = _write_draft(draft, actor)
    except RestrictedError as error:
        raise ValidationError({"confirmed": _booked_refusal(error)}) from error
    refresh_clarification_items(position=position)
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
    plan.sessions.exclude(pk__in=[s.pk for s in sessions.values()]).filter(
        ~Exists(Scorecard.objects.filter(session=OuterRef("pk")))
    ).delete()
    keep: set[int] = set()
    for seat_draft in draft.seats:
        keep.add(_write_seat(sessions[seat_draft.session.kind], seat_draft).pk)
    Seat.objects.filter(session__plan=plan).exclude(pk__in=keep).delete()
    _pick_questions([sessions[d.kind] for d in draft.sessions if not d.held], draft.position)
    _store_checks(plan, draft.proposal, budget_problem=draft.budget_problem)
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


def _pick_questions(sessions: Sequence[LoopSession], position: Position) -> None:
    """Give each focus competency one question from the bank, the same for every finalist.

    Questions of sessions already held stay (the finalists met there were asked them) and
    are not picked twice.
    """
    for session in sessions:
        session.questions.all().delete()
    used = set(
        SessionQuestion.objects.filter(session__plan__position=position).values_list(
            "question_id", flat=True
        )
    )
    for session in sessions:
        order = 0
        for seat in session.seats.prefetch_related("competencies"):
            for competency in seat.competencies.all():
                question = _question_for(competency, position.role_family, used)
                if question is not None:
                    used.add(question.pk)
                    SessionQuestion.objects.create(
                        session=session, question=question, competency=competency, order=order
                    )
                    order += 1


def _question_for(competency: Competency, role_family: str, used: set[int]) -> Question | None:
    candidates = [
        q
        for q in Question.objects.filter(kind=competency.kind, retired=False)
        .exclude(type=QuestionType.CLARIFICATION)
        .exclude(pk__in=used)
        if q.suits(role_family)
    ]
    # Role-family questions first: they are about this job's craft, not any job's.
    candidates.sort(key=lambda q: (not q.role_families, q.pk))
    return candidates[0] if candidates else None


#: What each rule is called on the page (the engine's rule ids are for code, not people).
RULE_LABELS = {
    "session_staffing": _lazy("Seats"),
    "one_session": _lazy("One session each"),
    "session_kinds": _lazy("What a session assesses"),
    "eligibility": _lazy("Who can assess what"),
    "qualification": _lazy("Qualified raters"),
    "max_focus": _lazy("At most three focus competencies"),
    "must_have_raters": _lazy("Two raters for each must-have"),
    "must_have_departments": _lazy("Two departments for each must-have"),
    "uncovered": _lazy("Every competency rated"),
    "fresh_eyes": _lazy("Fresh eyes"),
    "time_budget": _lazy("Time budget"),
}


def _store_checks(
    plan: LoopPlan, result: coverage.CoveragePlan, *, budget_problem: str = ""
) -> None:
    checks = []
    for v in result.violations:
        message = budget_problem if v.rule == "time_budget" and budget_problem else v.message
        checks.append(
            {"rule": v.rule, "label": str(RULE_LABELS.get(v.rule, v.rule)), "subject": v.subject,
             "message": message, "severity": v.severity}
        )  # fmt: skip
    plan.checks = checks
    plan.checked_at = timezone.now()
    plan.save()


# --- editing and rechecking -------------------------------------------------------------------


def recheck(plan: LoopPlan) -> coverage.CoveragePlan:
    """Check the plan as it stands now, after the team's edits, and store what fails."""
    position = plan.position
    sessions = list(plan.sessions.all())
    seats = list(
        Seat.objects.filter(session__plan=plan)
        .select_related("session", "interviewer__department")
        .prefetch_related("competencies")
    )
    people = list(panel(position))
    known = {u.pk for u in people}
    people += list(
        {s.interviewer.pk: s.interviewer for s in seats if s.interviewer_id not in known}.values()
    )
    names = planner.people_names(people)
    result = coverage.check_coverage(
        assignments=[
            coverage.Assignment(
                session=planner.session_key(seat.session.order, seat.session.title),
                interviewer=names[seat.interviewer_id],
                competencies=tuple(c.name for c in seat.competencies.all()),
            )
            for seat in seats
            if seat.session.assesses
        ],
        sessions=[planner.engine_session_for(s, position, names) for s in sessions],
        interviewers=planner.engine_interviewers(people, names),
        competencies=planner.engine_competencies(position),
        rules=coverage.CoverageRules(time_budget_minutes=plan.time_budget_minutes),
        round_one_raters=planner.round_one_raters(position, names),
        qualified=planner.qualified_names(position, people, names),
    )
    _store_checks(plan, result)
    return result


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


# --- clarification items from the gap analysis ------------------------------------------------


@transaction.atomic
def refresh_clarification_items(*, position: Position) -> list[ClarificationItem]:
    """Turn what round one left open into items, keeping what the hiring manager changed."""
    people = finalists(position)
    competencies = list(position.competencies.all())
    if not people or not competencies:
        return []
    by_name = {c.name: c for c in competencies}
    by_email = {a.candidate.email: a for a in people}
    analysis = gaps.find_gaps(
        [
            gaps.RoundOneRating(
                candidate=r.scorecard.application.candidate.email,
                interviewer=r.scorecard.interviewer.full_name,
                competency=r.competency.name,
                rating=r.rating,
                confidence=r.confidence,
                notes=r.notes,
                concern=r.concern,
            )
            for r in round_one_ratings(position)
            if r.scorecard.application.candidate.email in by_email
        ],
        candidates=list(by_email),
        competencies=[
            gaps.CompetencyInfo(name=c.name, weight=float(c.weight), must_have=c.must_have)
            for c in competencies
        ],
    )
    plan = LoopPlan.objects.filter(position=position).first()
    existing = {
        (i.application_id, i.competency_id): i
        for i in ClarificationItem.objects.filter(application__in=people, from_gap_analysis=True)
    }
    kept: list[ClarificationItem] = []
    for gap in analysis.gaps:
        application, competency = by_email[gap.candidate], by_name[gap.competency]
        item = existing.pop((application.pk, competency.pk), None) or ClarificationItem(
            application=application, competency=competency
        )
        if not item.edited and item.status != ItemStatus.DISMISSED:
            _fill_item(item, gap, competency, position, plan)
            item.save()
        kept.append(item)
    for stale in existing.values():  # round one no longer leaves these open
        if not stale.edited and stale.status == ItemStatus.OPEN:
            stale.delete()
    return kept


def _fill_item(
    item: ClarificationItem,
    gap: gaps.Gap,
    competency: Competency,
    position: Position,
    plan: LoopPlan | None,
) -> None:
    item.reasons = [str(r) for r in gap.reasons]
    item.priority = gap.priority
    item.summary = gap.summary
    item.evidence = [
        {"interviewer": e.interviewer, "rating": e.rating, "confidence": e.confidence,
         "notes": e.notes, "concern": e.concern}
        for e in gap.evidence
    ]  # fmt: skip
    item.questions = "\n".join(_clarifying_questions(gap, competency, position))
    item.session = owning_session(plan, competency) if plan else None


def _clarifying_questions(gap: gaps.Gap, competency: Competency, position: Position) -> list[str]:
    questions = []
    for reason in gap.reasons[:2]:
        template = (
            Question.objects.filter(
                type=QuestionType.CLARIFICATION, reason=str(reason), retired=False
            )
            .order_by("pk")
            .first()
        )
        if template:
            questions.append(template.text.replace("{competency}", competency.name.lower()))
    extra = _question_for(competency, position.role_family, used=set())
    if extra:
        questions.append(extra.text)
    return questions


def owning_session(plan: LoopPlan, competency: Competency) -> LoopSession | None:
    """The session where an interviewer focuses on the competency, else one that may assess it."""
    seat = (
        Seat.objects.filter(session__plan=plan, competencies=competency)
        .select_related("session")
        .order_by("session__order")
        .first()
    )
    if seat:
        return seat.session
    sessions = list(plan.sessions.all())
    return next((s for s in sessions if competency.kind in s.competency_kinds), None) or next(
        (s for s in sessions if s.kind == SessionKind.MANAGER), None
    )


@transaction.atomic
def update_item(
    *,
    actor: User,
    item: ClarificationItem,
    summary: str,
    questions: str,
    session: LoopSession | None,
    status: str,
) -> ClarificationItem:
    require_manager(actor, item.application.position)
    if session is not None and session.plan.position_id != item.application.position_id:
        raise ValidationError({"session": _("A session of another position's loop.")})
    item.summary, item.questions, item.session, item.status = summary, questions, session, status
    item.edited = True
    item.full_clean()
    item.save()
    return item


@transaction.atomic
def add_item(
    *,
    actor: User,
    application: Application,
    competency: Competency | None,
    summary: str,
    questions: str,
    session: LoopSession | None,
) -> ClarificationItem:
    require_manager(actor, application.position)
    item = ClarificationItem(
        application=application, competency=competency, summary=summary, questions=questions,
        session=session, from_gap_analysis=False, edited=True, priority=0.5,
    )  # fmt: skip
    item.full_clean()
    item.save()
    return item
