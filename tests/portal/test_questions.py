"""Questions in advance: limits, routing, the recruiter's change, the kit, answers on the portal."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from secondround.accounts.models import User
from secondround.hiring.models import Application
from secondround.loops.models import LoopSession, SessionKind
from secondround.portal import services
from secondround.portal.selectors import MAX_SHARED_QUESTIONS, open_questions, shared_questions
from secondround.prep.models import CandidateQuestion
from tests.conftest import client_for
from tests.portal.conftest import TOKEN, move_loop_to, portal_page

pytestmark = pytest.mark.django_db


def person(key: str) -> User:
    return User.objects.get(email=f"{key}@kestrel.example")


def session_of(application: Application, kind: str) -> LoopSession:
    return LoopSession.objects.get(plan__position=application.position, kind=kind)


def test_demo_questions_are_routed_by_topic(aisha: Application) -> None:
    career, team = shared_questions(aisha)
    assert career.session == session_of(aisha, SessionKind.MANAGER)
    assert career.topic == "career_progression"  # read from the words
    assert team.session == session_of(aisha, SessionKind.CROSS_DEPARTMENT)
    assert career.routed_by is None and team.routed_by is None


def test_sending_a_question_from_the_portal(aisha: Application) -> None:
    move_loop_to(aisha, 2)
    client = Client()
    response = client.post(
        reverse("portal-ask", args=[TOKEN]),
        {"text": "  What would success look like in the first 90 days? ", "topic": ""},
    )
    assert response.status_code == 302
    sent = shared_questions(aisha).last()
    assert sent is not None and sent.text == "What would success look like in the first 90 days?"
    assert sent.session == session_of(aisha, SessionKind.MANAGER)
    assert "first 90 days" in portal_page(client)


@pytest.mark.parametrize(
    "data, field",
    [
        ({"text": "x" * 401}, "text"),
        ({"text": "   "}, "text"),
        ({"text": "A fine question?", "topic": "gossip"}, "topic"),
    ],
)
def test_bad_questions_are_refused_naming_the_field_and_nothing_is_stored(
    aisha: Application, data: dict, field: str
) -> None:
    before = CandidateQuestion.objects.count()
    response = Client().post(reverse("portal-ask", args=[TOKEN]), data)
    assert response.status_code == 400
    assert f'id="id_{field}_error"' in response.content.decode()
    assert CandidateQuestion.objects.count() == before


def test_the_limit_and_duplicates_are_named(aisha: Application) -> None:
    move_loop_to(aisha, 2)
    with pytest.raises(ValidationError) as duplicate:
        services.submit_question(
            application=aisha,
            text=shared_questions(aisha).first().text.upper(),  # type: ignore[union-attr]
        )
    assert "text" in duplicate.value.message_dict
    for n in range(MAX_SHARED_QUESTIONS - 2):
        services.submit_question(application=aisha, text=f"Question number {n}?")
    with pytest.raises(ValidationError) as full:
        services.submit_question(application=aisha, text="One too many?")
    assert "at most 10" in full.value.message_dict["text"][0]
    assert shared_questions(aisha).count() == MAX_SHARED_QUESTIONS


def test_the_recruiter_moves_a_question_and_an_interviewer_may_not(aisha: Application) -> None:
    question = shared_questions(aisha).first()
    assert question is not None
    values = session_of(aisha, SessionKind.VALUES)
    url = reverse("portal-question-route", args=[aisha.pk, question.pk])
    interviewer = values.seats.first().interviewer  # type: ignore[union-attr]
    assert client_for(interviewer).post(url, {"session": values.pk}).status_code == 403
    assert client_for(person("rita")).post(url, {"session": "999999"}).status_code == 400
    response = client_for(person("rita")).post(url, {"session": values.pk})
    assert response.status_code == 302
    question.refresh_from_db()
    assert question.session == values and question.routed_by == person("rita")


def test_the_interviewer_sees_the_question_in_their_kit_and_marks_it_answered(
    aisha: Application,
) -> None:
    question = shared_questions(aisha).last()  # the demo's open one
    assert question is not None and question.session is not None
    seat = question.session.seats.select_related("interviewer").first()
    assert seat is not None
    client = client_for(seat.interviewer)
    kit = client.get(reverse("kit", args=[seat.pk, aisha.pk])).content.decode()
    assert question.text in kit and "Mark as answered" in kit

    seated = question.session.seats.values_list("interviewer", flat=True)
    outsider = (
        aisha.position.interviewers.exclude(pk__in=seated)
        .exclude(pk=aisha.position.hiring_manager_id)
        .first()
    )
    assert outsider is not None
    with pytest.raises(PermissionDenied):
        services.mark_question_answered(actor=outsider, question=question)
    assert (
        client_for(outsider)
        .post(reverse("portal-question-answered", args=[aisha.pk, question.pk]))
        .status_code
        == 403
    )

    url = reverse("portal-question-answered", args=[aisha.pk, question.pk])
    assert client.post(url, {"answered": "yes"}).status_code == 302
    question.refresh_from_db()
    assert question.answered_at is not None and question.answered_by == seat.interviewer
    assert "Answered in your conversations" in portal_page()
    assert question not in open_questions(aisha)


def test_open_questions_show_on_the_application_page_and_get_a_written_answer(
    aisha: Application,
) -> None:
    rita = client_for(person("rita"))
    page = rita.get(reverse("application", args=[aisha.pk])).content.decode()
    assert "One question is still open" in page  # the demo's career question was answered
    question = open_questions(aisha).first()
    assert question is not None
    url = reverse("portal-question-answer", args=[aisha.pk, question.pk])
    assert rita.post(url, {"written_answer": "y" * 2001}).status_code == 400
    assert rita.post(url, {"written_answer": ""}).status_code == 400
    question.refresh_from_db()
    assert question.written_answer == ""
    answer = (
        "Most engineers reach staff level in three to five years; we review levels twice a year."
    )
    assert rita.post(url, {"written_answer": answer}).status_code == 302
    page = portal_page()
    assert answer in page and "Answered in writing" in page
    assert "still open" not in rita.get(reverse("application", args=[aisha.pk])).content.decode()


def test_after_the_loop_questions_go_to_the_recruiter_instead(aisha: Application) -> None:
    move_loop_to(aisha, -3)
    before = CandidateQuestion.objects.count()
    response = Client().post(reverse("portal-ask", args=[TOKEN]), {"text": "One more?"})
    assert response.status_code == 400
    assert "Your conversations are over" in response.content.decode()
    assert CandidateQuestion.objects.count() == before
    page = portal_page()
    assert "Send my question" not in page
    assert "a written answer will follow" in page  # the demo's open question
