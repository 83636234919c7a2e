"""Questions from the bank for a loop: one per focus competency, the same for every finalist."""

from __future__ import annotations

from collections.abc import Sequence

from secondround.hiring.models import Competency, Position
from secondround.loops.models import LoopSession, SessionQuestion
from secondround.questions.models import Question, QuestionType


def pick_questions(sessions: Sequence[LoopSession], position: Position) -> None:
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
                question = question_for(competency, position.role_family, used)
                if question is not None:
                    used.add(question.pk)
                    SessionQuestion.objects.create(
                        session=session, question=question, competency=competency, order=order
                    )
                    order += 1


def question_for(competency: Competency, role_family: str, used: set[int]) -> Question | None:
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
