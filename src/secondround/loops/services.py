"""Planning round two: the shared loop, its coverage checks, and each finalist's open items."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from secondround.accounts.models import User
from secondround.accounts.selectors import organisation_members
from secondround.engines import coverage, gaps
from secondround.hiring.models import Application, Competency, Position, Stage
from secondround.hiring.selectors import require_manager
from secondround.hiring.services import require_organisation_members
from secondround.loops.defaults import STANDARD_LOOP
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
from secondround.loops.selectors import panel
from secondround.questions.bank import ensure_builtin_bank
from secondround.questions.models import Question, QuestionType
from secondround.questions.selectors import scenarios_for
from secondround.scorecards.selectors import round_one_ratings

NO_DEPARTMENT = "No department"
FINALIST_STAGES = (Stage.SECOND_ROUND, Stage.DECISION)
HOSTED_SESSIONS = (SessionKind.WELCOME, SessionKind.CANDIDATE_QUESTIONS, SessionKind.WRAP_UP)


def finalists(position: Position) -> list[Application]:
    return list(
        position.applications.select_related("candidate")
        .filter(stage__in=FINALIST_STAGES)
        .order_by("candidate__full_name")
    )


# --- proposing a loop -------------------------------------------------------------------------


@transaction.atomic
def propose_loop(
    *, actor: User, position: Position, time_budget_minutes: int | None = None
) -> LoopPlan:
    """Replace the position's round-two plan with a fresh proposal, and check it."""
    require_manager(actor, position)
    ensure_builtin_bank()
    plan, _created = LoopPlan.objects.get_or_create(position=position)
    if time_budget_minutes is not None:
        if time_budget_minutes < 30:
            raise ValidationError({"time_budget_minutes": _("Allow at least 30 minutes.")})
        plan.time_budget_minutes = time_budget_minutes
    plan.status, plan.accepted_at, plan.accepted_by = PlanStatus.PROPOSED, None, None
    plan.sessions.all().delete()
    sessions = _create_sessions(plan)
    proposal = coverage.plan_coverage(
        sessions=[_engine_session(s, position) for s in sessions],
        interviewers=_engine_interviewers(position),
        competencies=_engine_competencies(position),
        rules=_rules(plan),
        round_one_raters=_round_one_raters(position),
    )
    _store_seats(sessions, proposal.assignments, position)
    _pick_questions(sessions, position)
    _store_checks(plan, proposal)
    refresh_clarification_items(position=position)
    return plan


def _create_sessions(plan: LoopPlan) -> list[LoopSession]:
    scenario = scenarios_for(plan.position.role_family).first()
    sessions = []
    for order, template in enumerate(STANDARD_LOOP):
        session = LoopSession(
            plan=plan,
            order=order,
            kind=template.kind,
            title=str(template.title),
            purpose=str(template.purpose),
            duration_minutes=template.duration_minutes,
            competency_kinds=list(template.competency_kinds),
        )
        if template.kind == SessionKind.SCENARIO and scenario:
            session.scenario = scenario
            session.title = _("Scenario: %s") % scenario.title
            session.duration_minutes = scenario.timebox_minutes + 15  # brief and debrief
        session.save()
        sessions.append(session)
    return sessions


def session_key(session: LoopSession) -> str:
    """How the engine names a session: its place and title, which people read in messages."""
    return f"{session.order + 1}. {session.title}"


def _engine_session(session: LoopSession, position: Position) -> coverage.Session:
    template = next(t for t in STANDARD_LOOP if t.kind == session.kind)
    fixed = (person_key(position.hiring_manager),) if session.kind == SessionKind.MANAGER else ()
    return coverage.Session(
        key=session_key(session),
        purpose=session.title,
        duration_minutes=session.duration_minutes,
        kinds=frozenset(session.competency_kinds),
        interviewers_needed=max(template.interviewers_needed, len(fixed)),
        fixed_interviewers=fixed,
    )


def person_key(user: User) -> str:
    """How the engines name a person: as people read it in messages, unique by email."""
    return f"{user.full_name} <{user.email}>"


def _engine_interviewer(user: User) -> coverage.Interviewer:
    # People without a department count as one department together: never as extra ones.
    department = user.department.name if user.department else NO_DEPARTMENT
    return coverage.Interviewer(id=person_key(user), department=department)


def _engine_interviewers(position: Position) -> list[coverage.Interviewer]:
    return [_engine_interviewer(u) for u in panel(position)]


def _engine_competencies(position: Position) -> list[coverage.Competency]:
    return [
        coverage.Competency(name=c.name, kind=c.kind, must_have=c.must_have, weight=c.weight)
        for c in position.competencies.all()
    ]


def _rules(plan: LoopPlan) -> coverage.CoverageRules:
    return coverage.CoverageRules(time_budget_minutes=plan.time_budget_minutes)


def _round_one_raters(position: Position) -> dict[str, frozenset[str]]:
    finalist_ids = {a.pk for a in finalists(position)}
    rated: dict[str, set[str]] = defaultdict(set)
    for rating in round_one_ratings(position).filter(rating__isnull=False):
        if rating.scorecard.application_id in finalist_ids:
            rated[person_key(rating.scorecard.interviewer)].add(rating.competency.name)
    return {interviewer: frozenset(names) for interviewer, names in rated.items()}


def _store_seats(
    sessions: Sequence[LoopSession], assignments: Iterable[coverage.Assignment], position: Position
) -> None:
    by_key = {session_key(s): s for s in sessions}
    competencies = {c.name: c for c in position.competencies.all()}
    users = {person_key(u): u for u in panel(position)}
    for assignment in assignments:
        if not by_key[assignment.session].assesses:
            continue  # hosted sessions get their host below
        seat = Seat.objects.create(
            session=by_key[assignment.session], interviewer=users[assignment.interviewer]
        )
        seat.competencies.set([competencies[name] for name in assignment.competencies])
    host = organisation_members().filter(recruiting_positions=position).first() or (
        position.hiring_manager
    )
    for session in sessions:
        if session.kind in HOSTED_SESSIONS:
            Seat.objects.create(session=session, interviewer=host)


def _pick_questions(sessions: Sequence[LoopSession], position: Position) -> None:
    """Give each focus competency one question from the bank, the same for every finalist."""
    used: set[int] = set()
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


def _store_checks(plan: LoopPlan, result: coverage.CoveragePlan) -> None:
    plan.checks = [
        {"rule": v.rule, "subject": v.subject, "message": v.message} for v in result.violations
    ]
    plan.checked_at = timezone.now()
    plan.save()


# --- editing and rechecking -------------------------------------------------------------------


def recheck(plan: LoopPlan) -> coverage.CoveragePlan:
    """Check the plan as it stands now, after the team's edits, and store what fails."""
    position = plan.position
    sessions = list(plan.sessions.all())
    assignments = [
        coverage.Assignment(
            session=session_key(seat.session),
            interviewer=person_key(seat.interviewer),
            competencies=tuple(c.name for c in seat.competencies.all()),
        )
        for seat in Seat.objects.filter(session__plan=plan)
        .select_related("session")
        .prefetch_related("competencies")
        if seat.session.assesses
    ]
    interviewers = _engine_interviewers(position)
    known = {i.id for i in interviewers}
    extra = {
        person_key(seat.interviewer): seat.interviewer
        for seat in Seat.objects.filter(session__plan=plan).select_related(
            "interviewer__department"
        )
        if person_key(seat.interviewer) not in known
    }
    interviewers += [_engine_interviewer(u) for u in extra.values()]
    result = coverage.check_coverage(
        assignments=assignments,
        sessions=[_engine_session(s, position) for s in sessions],
        interviewers=interviewers,
        competencies=_engine_competencies(position),
        rules=_rules(plan),
        round_one_raters=_round_one_raters(position),
    )
    _store_checks(plan, result)
    return result


def _editable(actor: User, plan: LoopPlan) -> None:
    require_manager(actor, plan.position)


@transaction.atomic
def swap_seat_interviewer(*, actor: User, seat: Seat, interviewer: User) -> Seat:
    plan = seat.session.plan
    _editable(actor, plan)
    require_organisation_members({"interviewer": [interviewer]})
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
    ensure_builtin_bank()
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
