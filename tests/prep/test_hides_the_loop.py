"""The candidate's kit never shows the loop's own questions or scoring anchors (#10 item 5)."""

from __future__ import annotations

import html

import pytest
from django.test import Client
from django.urls import reverse

from secondround.accounts.models import User
from secondround.demo import DEMO_PASSWORD
from secondround.hiring.models import Position
from secondround.loops.models import ClarificationItem, LoopSession, SessionQuestion
from secondround.prep import demo as prep_demo
from secondround.prep.content import kit_content
from secondround.prep.models import PrepKit
from secondround.questions.models import Question
from tests.api.test_hiring import Api
from tests.demo_cache import load_demo

pytestmark = pytest.mark.django_db


@pytest.fixture
def candidate_page() -> tuple[Client, PrepKit]:
    load_demo()
    prep_demo.load_demo(password=DEMO_PASSWORD)
    client = Client()
    response = client.get(reverse("prep-invitation", args=[prep_demo.DEMO_LINK_TOKEN]), follow=True)
    assert response.status_code == 200
    return client, PrepKit.objects.get(application__isnull=False)


def _page(client: Client, kit: PrepKit) -> str:
    body = client.get(reverse("prep-kit", args=[kit.public_id])).content.decode()
    return html.unescape(body)


def test_the_candidate_page_shows_no_planned_question(
    candidate_page: tuple[Client, PrepKit],
) -> None:
    client, kit = candidate_page
    position = Position.objects.get(title="Senior software engineer")
    planned = SessionQuestion.objects.filter(session__plan__position=position)
    assert planned.exists()
    body = _page(client, kit)
    for session_question in planned.select_related("question"):
        assert session_question.question.text not in body, session_question.question.text
    for item in ClarificationItem.objects.filter(application=kit.application):
        for line in item.question_list:
            if Question.objects.filter(text=line).exists():
                assert line not in body, line
    practice = client.get(reverse("prep-practice", args=[kit.public_id])).content.decode()
    for session_question in planned.select_related("question"):
        assert session_question.question.text not in html.unescape(practice)


def test_every_competency_still_gets_practice_questions(
    candidate_page: tuple[Client, PrepKit],
) -> None:
    _client, kit = candidate_page
    content = kit_content(kit)
    planned = set(
        SessionQuestion.objects.filter(
            session__plan__position=kit.application.position
        ).values_list("question_id", flat=True)
    )
    for competency in content.competencies:
        assert competency.questions, competency.name
        assert not {q.pk for q in competency.questions} & planned, competency.name


def test_the_scoring_anchor_stays_with_the_interviewers(
    candidate_page: tuple[Client, PrepKit],
) -> None:
    client, kit = candidate_page
    body = _page(client, kit)
    for competency in kit.application.position.competencies.all():
        assert competency.anchor_4 not in body, competency.name
    assert "What good looks like" not in body


def test_the_scenario_brief_shows_only_when_the_team_shares_it(
    candidate_page: tuple[Client, PrepKit],
) -> None:
    client, kit = candidate_page
    assert kit.application is not None
    position = kit.application.position
    session = LoopSession.objects.filter(plan__position=position, scenario__isnull=False).first()
    assert session is not None and session.scenario is not None
    brief = session.scenario.brief
    assert brief not in _page(client, kit)
    position.share_scenario_brief = True
    position.save()
    assert brief in _page(client, kit)


def test_practice_questions_are_about_their_competency(
    candidate_page: tuple[Client, PrepKit],
) -> None:
    """Code-quality practice is about tests and change; system design never gets a test question."""
    _client, kit = candidate_page
    by_name = {c.name: c for c in kit_content(kit).competencies}
    design = [q.text.lower() for q in by_name["System design"].questions]
    quality = [q.text.lower() for q in by_name["Code quality and testing"].questions]
    assert design and quality
    assert not any("test" in text for text in design), design
    assert all("test" in text or "change" in text for text in quality), quality


def test_the_team_sets_share_scenario_brief_through_the_api(
    position: Position, manager: User, panel_interviewer: User
) -> None:
    answer = Api(manager).patch(f"/positions/{position.pk}", {"share_scenario_brief": True})
    assert answer.status_code == 200 and answer.json()["share_scenario_brief"] is True
    refused = Api(panel_interviewer).patch(
        f"/positions/{position.pk}", {"share_scenario_brief": False}
    )
    assert refused.status_code == 403
    position.refresh_from_db()
    assert position.share_scenario_brief
