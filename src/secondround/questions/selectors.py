"""Searching the question bank."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from secondround.questions.models import Question, Scenario


def search_questions(
    *,
    text: str = "",
    kind: str = "",
    type: str = "",
    role_family: str = "",
    include_retired: bool = False,
) -> QuerySet[Question]:
    questions = Question.objects.all()
    if not include_retired:
        questions = questions.filter(retired=False)
    if text:
        questions = questions.filter(Q(text__icontains=text) | Q(follow_ups__icontains=text))
    if kind:
        questions = questions.filter(kind=kind)
    if type:
        questions = questions.filter(type=type)
    if role_family:
        # JSON containment is not portable across SQLite and PostgreSQL; filter in Python.
        ids = [q.pk for q in questions.only("pk", "role_families") if q.suits(role_family)]
        questions = questions.filter(pk__in=ids)
    return questions


def scenarios_for(role_family: str) -> QuerySet[Scenario]:
    return Scenario.objects.filter(role_family=role_family, retired=False)
