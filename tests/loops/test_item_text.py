"""A clarification item's summary of only spaces is empty (refused naming the field), and blank
question lines are not questions: through the API as through the round-two page."""

from __future__ import annotations

import pytest

from secondround.hiring.models import Position
from secondround.loops.models import ClarificationItem
from tests.api.test_hiring import Api
from tests.demo_cache import load_demo

pytestmark = pytest.mark.django_db


@pytest.fixture
def item() -> ClarificationItem:
    load_demo()
    engineering = Position.objects.get(title="Senior software engineer")
    found = ClarificationItem.objects.filter(application__position=engineering).first()
    assert found is not None
    return found


def test_a_summary_of_spaces_is_refused_and_nothing_changes(item: ClarificationItem) -> None:
    summary = item.summary
    api = Api(item.application.position.hiring_manager)
    response = api.patch(f"/clarification-items/{item.pk}", {"summary": " \t "})
    assert response.status_code == 422
    assert "summary" in str(response.json()["detail"])
    item.refresh_from_db()
    assert item.summary == summary and not item.edited


def test_blank_question_lines_are_dropped(item: ClarificationItem) -> None:
    api = Api(item.application.position.hiring_manager)
    response = api.patch(
        f"/clarification-items/{item.pk}", {"questions": ["  ", " Why Kafka? ", ""]}
    )
    assert response.status_code == 200
    item.refresh_from_db()
    assert item.questions == "Why Kafka?"
