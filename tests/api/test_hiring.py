from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from secondround.accounts.models import User
from secondround.accounts.services import create_api_token, revoke_api_token
from secondround.hiring.models import Application, Position, Stage
from tests.factories import make_application

pytestmark = pytest.mark.django_db


class Api:
    """A script's view of the API: a bearer token and JSON."""

    def __init__(self, user: User) -> None:
        _token, key = create_api_token(user=user, name="test")
        self.key = key
        self.client = Client(headers={"Authorization": f"Bearer {key}"})

    def get(self, path: str) -> Any:
        return self.client.get(f"/api/v1{path}")

    def post(self, path: str, data: dict[str, Any]) -> Any:
        return self.client.post(f"/api/v1{path}", data, content_type="application/json")

    def patch(self, path: str, data: dict[str, Any]) -> Any:
        return self.client.patch(f"/api/v1{path}", data, content_type="application/json")


def test_openapi_schema_is_published() -> None:
    schema = Client().get("/api/v1/openapi.json").json()
    assert "/api/v1/positions" in schema["paths"]
    assert "/api/v1/applications/{application_id}/move" in schema["paths"]


def test_no_token_or_a_revoked_token_is_refused(manager: User) -> None:
    assert Client().get("/api/v1/positions").status_code == 401
    api = Api(manager)
    assert api.get("/positions").status_code == 200
    revoke_api_token(actor=manager, token=manager.api_tokens.get())
    assert api.get("/positions").status_code == 401


def test_interviewer_is_refused_a_position_they_are_not_assigned_to(
    position: Position, outsider: User
) -> None:
    api = Api(outsider)
    assert api.get(f"/positions/{position.pk}").status_code == 404
    assert api.get("/positions").json() == []
    application = make_application(position)
    assert api.get(f"/applications/{application.pk}").status_code == 404
    assert (
        api.post(f"/applications/{application.pk}/move", {"stage": "first_round"}).status_code
        == 404
    )


def test_panel_interviewer_reads_but_may_not_write(
    position: Position, panel_interviewer: User
) -> None:
    api = Api(panel_interviewer)
    assert api.get(f"/positions/{position.pk}").status_code == 200
    assert api.patch(f"/positions/{position.pk}", {"title": "Mine now"}).status_code == 403
    position.refresh_from_db()
    assert position.title != "Mine now"


def test_create_position_add_candidate_and_move(manager: User) -> None:
    api = Api(manager)
    created = api.post("/positions", {"template": "product-manager", "title": "PM, billing"})
    assert created.status_code == 201
    position = created.json()
    assert len(position["competencies"]) >= 7
    assert all(len(c["anchors"]) == 5 for c in position["competencies"])
    added = api.post(
        "/applications",
        {"position_id": position["id"], "candidate": {"full_name": "Jo Doe", "email": "jo@x.org"}},
    )
    assert added.status_code == 201
    application_id = added.json()["id"]
    moved = api.post(f"/applications/{application_id}/move", {"stage": "first_round"})
    assert moved.status_code == 200
    assert moved.json()["stage"] == "first_round"
    assert [h["to_stage"] for h in moved.json()["history"]] == ["applied", "first_round"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"candidate": {"full_name": "A", "email": "not-an-email"}}, "email"),
        ({"candidate": {"full_name": "", "email": "a@b.org"}}, "full_name"),
        ({"candidate": {"email": "a@b.org"}}, "full_name"),
    ],
)
def test_bad_candidate_is_422_naming_the_field(
    position: Position, body: dict[str, Any], field: str
) -> None:
    api = Api(position.hiring_manager)
    response = api.post("/applications", {"position_id": position.pk, **body})
    assert response.status_code == 422
    assert field in str(response.json()["detail"])
    assert Application.objects.count() == 0


def test_impossible_move_is_422_naming_stage(position: Position) -> None:
    application = make_application(position)
    api = Api(position.hiring_manager)
    response = api.post(f"/applications/{application.pk}/move", {"stage": "hired"})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "stage"]
    application.refresh_from_db()
    assert application.stage == Stage.APPLIED


def test_competency_crud_and_validation(position: Position) -> None:
    api = Api(position.hiring_manager)
    base = f"/positions/{position.pk}/competencies"
    bad = api.post(base, {"name": "Grit", "kind": "grit", "anchors": ["a"] * 5})
    assert bad.status_code == 422
    assert "kind" in str(bad.json()["detail"])
    too_few = api.post(base, {"name": "Grit", "kind": "stress", "anchors": ["a"] * 4})
    assert too_few.status_code == 422
    assert "anchors" in str(too_few.json()["detail"])
    created = api.post(
        base, {"name": "Grit", "kind": "stress", "weight": 2, "anchors": list("12345")}
    )
    assert created.status_code == 201
    competency_id = created.json()["id"]
    patched = api.patch(f"{base}/{competency_id}", {"must_have": True})
    assert patched.json()["must_have"] is True
    assert api.client.delete(f"/api/v1{base}/{competency_id}").status_code == 204
    assert not position.competencies.filter(name="Grit").exists()


def test_unknown_template_is_422(manager: User) -> None:
    response = Api(manager).post("/positions", {"template": "astronaut"})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "template"]
