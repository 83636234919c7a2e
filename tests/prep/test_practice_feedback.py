"""Practice feedback on the candidate's page: plural-correct lengths and a gated score."""

from __future__ import annotations

import pytest
from django.urls import reverse

from secondround.accounts.models import Role
from secondround.engines.answers import analyze_answer
from secondround.prep import content as kit_texts
from secondround.prep import practice_feedback, services
from secondround.prep.models import PrepKit
from tests.conftest import client_for
from tests.factories import UserFactory
from tests.prep.test_posting import BACKEND_POSTING

pytestmark = pytest.mark.django_db


@pytest.fixture
def kit_and_content() -> tuple[PrepKit, kit_texts.KitContent]:
    kit, _key = services.create_posting_kit(
        posting_text=BACKEND_POSTING,
        company_name="Lumen Pay",
        owner=UserFactory(role=Role.JOB_SEEKER),
    )
    return kit, kit_texts.kit_content(kit)


def test_a_two_word_answer_is_about_1_second_not_1_seconds(
    kit_and_content: tuple[PrepKit, kit_texts.KitContent],
) -> None:
    kit, content = kit_and_content
    question = content.competencies[0].questions[0]
    response = client_for(kit.owner).post(
        reverse("prep-practice", args=[kit.public_id]),
        {"question_pk": question.pk, "answer": "Fixed it.", "seconds": "1"},
        HTTP_HX_REQUEST="true",
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "2 words, about 1 second spoken" in html and "you took 1 second" in html
    assert "1 seconds" not in html


def test_the_stored_score_is_the_engines_relevance_gated_score(
    kit_and_content: tuple[PrepKit, kit_texts.KitContent],
) -> None:
    kit, content = kit_and_content
    holiday = (
        "Last December I was on the social committee, and two days before our office holiday "
        "party the venue cancelled. I found a bowling alley with a private room, negotiated a "
        "group rate and organised a quiz between the games. Everyone said it was the best "
        "party in years."
    )
    attempt = services.record_attempt(
        kit=kit,
        content=content,
        question="Tell me about a time you solved a difficult technical problem.",
        competency="",
        answer=holiday,
    )
    assert attempt.analysis["relevance"] < 0.2
    assert attempt.score == attempt.analysis["score"]
    # The same story told with no question to answer would score far higher.
    assert attempt.score < 0.5 < analyze_answer(holiday).score


def test_an_off_topic_story_is_not_credited_with_star_parts_on_the_page(
    kit_and_content: tuple[PrepKit, kit_texts.KitContent],
) -> None:
    kit, _content = kit_and_content
    holiday = (
        "Last summer we went to Lisbon for a week. I booked a flat near the river and we "
        "ate grilled sardines every night. In the end it was the best holiday we had."
    )
    response = client_for(kit.owner).post(
        reverse("prep-practice", args=[kit.public_id]),
        {
            "question_text": "Tell me about a time you debugged a hard production problem.",
            "answer": holiday,
        },
        HTTP_HX_REQUEST="true",
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert practice_feedback.feedback(kit.attempts.get()).off_topic
    assert "does not answer the question" in page
    assert "of 4 STAR parts told" not in page


def test_a_very_long_answer_reads_in_minutes_on_the_page(
    kit_and_content: tuple[PrepKit, kit_texts.KitContent],
) -> None:
    kit, content = kit_and_content
    story = (
        "Last year our checkout service kept timing out every evening. As the on-call "
        "engineer it was my job to find the cause. I pulled the traces and moved the report "
        "to a read replica. The timeouts dropped to zero the next evening."
    )
    question = content.competencies[0].questions[0]
    response = client_for(kit.owner).post(
        reverse("prep-practice", args=[kit.public_id]),
        {"question_pk": question.pk, "answer": " ".join([story] * 150)[:30_000]},
        HTTP_HX_REQUEST="true",
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "minutes spoken" in html and "seconds spoken" not in html


def test_an_answer_in_german_is_refused_by_field_not_scored_as_off_topic(
    kit_and_content: tuple[PrepKit, kit_texts.KitContent],
) -> None:
    kit, _content = kit_and_content
    german = (
        "Im letzten Jahr ist unser Bestellsystem jeden Abend ausgefallen. Ich habe die Logs "
        "gelesen und mit dem Team die Ursache gefunden, und danach war die Seite wieder stabil."
    )
    response = client_for(kit.owner).post(
        reverse("prep-practice", args=[kit.public_id]),
        {"question_text": "Tell me about a hard production problem.", "answer": german},
        HTTP_HX_REQUEST="true",
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "seems to be in German" in page
    assert "does not answer the question" not in page
    assert not kit.attempts.exists()
