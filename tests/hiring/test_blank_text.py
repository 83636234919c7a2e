"""Text that is only spaces is empty, through the API as through the forms: a position, a
candidate or a competency without a name is refused naming the field, and nothing changes."""

from __future__ import annotations

from typing import Any

import pytest

from secondround.hiring.models import Application, Candidate, Position
from tests.api.test_hiring import Api
from tests.factories import make_application

pytestmark = pytest.mark.django_db
SPACES = " \t  "
ANCHORS = ["never", "rarely", "sometimes", "often", "always"]


def assert_refused(response: Any, field: str) -> None:
    assert response.status_code == 422, response.content
    assert field in str(response.json()["detail"])


def test_a_position_title_of_spaces_is_refused(position: Position) -> None:
    title = position.title
    assert_refused(
        Api(position.hiring_manager).patch(f"/positions/{position.pk}", {"title": SPACES}), "title"
    )
    position.refresh_from_db()
    assert position.title == title


def test_a_candidate_name_of_spaces_is_refused(position: Position) -> None:
    application = make_application(position)
    name = application.candidate.full_name
    api = Api(position.hiring_manager)
    assert_refused(
        api.patch(f"/candidates/{application.candidate_id}", {"full_name": SPACES}), "full_name"
    )
    application.candidate.refresh_from_db()
    assert application.candidate.full_name == name


def test_a_new_candidate_named_with_spaces_is_refused(position: Position) -> None:
    response = Api(position.hiring_manager).post(
        "/applications",
        {"position_id": position.pk,
         "candidate": {"full_name": SPACES, "email": "someone@mail.example"}},
    )  # fmt: skip
    assert_refused(response, "full_name")
    assert not Candidate.objects.filter(email="someone@mail.example").exists()
    assert not Application.objects.exists()


@pytest.mark.parametrize(
    ("body", "field"),
    [({"name": SPACES, "anchors": ANCHORS}, "name"),
     ({"name": "Grit", "anchors": [SPACES, *ANCHORS[1:]]}, "anchor_1")],
)  # fmt: skip
def test_a_competency_of_spaces_is_refused(
    position: Position, body: dict[str, Any], field: str
) -> None:
    before = position.competencies.count()
    response = Api(position.hiring_manager).post(
        f"/positions/{position.pk}/competencies", {"kind": "stress", **body}
    )
    assert_refused(response, field)
    assert position.competencies.count() == before


def test_text_keeps_its_words_and_loses_the_spaces_around_them(position: Position) -> None:
    api = Api(position.hiring_manager)
    response = api.patch(f"/positions/{position.pk}", {"title": "  Staff engineer  "})
    assert response.status_code == 200
    position.refresh_from_db()
    assert position.title == "Staff engineer"
