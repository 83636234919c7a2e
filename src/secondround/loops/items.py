"""Clarification items: what round one left open (the gap engine's findings) turned into
items a session of the loop owns, kept through the hiring manager's edits."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from secondround.accounts.models import User
from secondround.engines import gaps
from secondround.hiring.models import Application, Competency, Position
from secondround.hiring.selectors import require_manager
from secondround.loops.bank import question_for
from secondround.loops.models import (
    ClarificationItem,
    ItemStatus,
    LoopPlan,
    LoopSession,
    Seat,
    SessionKind,
)
from secondround.loops.scorecard_facts import scorecard_facts
from secondround.loops.selectors import finalist_applications
from secondround.questions.models import Question, QuestionType


@transaction.atomic
def refresh_clarification_items(*, position: Position) -> list[ClarificationItem]:
    """Turn what round one left open into items, keeping what the hiring manager changed."""
    people = list(finalist_applications(position).order_by("candidate__full_name"))
    competencies = list(position.competencies.all())
    if not people or not competencies:
        return []
    by_name = {c.name: c for c in competencies}
    by_email = {a.candidate.email: a for a in people}
    analysis = gaps.find_gaps(
        [
            gaps.RoundOneRating(
                candidate=r.candidate_email,
                interviewer=r.interviewer_name,
                competency=r.competency_name,
                rating=r.rating,
                confidence=r.confidence,
                notes=r.notes,
                concern=r.concern,
            )
            for r in scorecard_facts().round_one_ratings(position)
            if r.candidate_email in by_email
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
    extra = question_for(competency, position.role_family, used=set())
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


def question_lines(text: str) -> str:
    """One question a line, without the blank lines and the spaces around each."""
    return "\n".join(line.strip() for line in text.splitlines() if line.strip())


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
    item.summary, item.questions = summary.strip(), question_lines(questions)
    item.session, item.status = session, status
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
        application=application, competency=competency, summary=summary.strip(),
        questions=question_lines(questions),
        session=session, from_gap_analysis=False, edited=True, priority=0.5,
    )  # fmt: skip
    item.full_clean()
    item.save()
    return item
