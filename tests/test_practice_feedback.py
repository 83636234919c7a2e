"""Practice feedback on the candidate's page: plural-correct lengths and a gated score."""

from __future__ import annotations

import pytest
from django.urls import reverse

from secondround.accounts.models import Role
from secondround.engines.answers import analyze_answer
from secondround.prep import selectors, services
from secondround.prep.models import PrepKit
from tests.conftest import client_for
from tests.factories import UserFactory
from tests.test_prep_posting import BACKEND_POSTING

pytestmark = pytest.mark.django_db


@pytest.fixture
def kit_and_content() -> tuple[PrepKit, selectors.KitContent]:
    kit, _key = services.create_posting_kit(
        posting_text=BACKEND_POSTING,
        company_name="Lumen Pay",
        owner=UserFactory(role=Role.JOB_SEEKER),
    )
    return kit, selectors.kit_content(kit)


def test_a_two_word_answer_is_about_1_second_not_1_seconds(
    kit_and_content: tuple[PrepKit, selectors.KitContent],
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
    kit_and_content: tuple[PrepKit, selectors.KitContent],
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
