"""The API refuses what it does not understand, and says so in one shape."""

from __future__ import annotations

import pytest

from secondround.accounts.models import Role, User
from secondround.hiring.models import Position
from tests.api.test_hiring import Api
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("body", [{"titel": "typo"}, {"hiring_manager_id": "x"}])
def test_an_unknown_field_is_refused_by_name_and_changes_nothing(
    position: Position, manager: User, body: dict[str, str]
) -> None:
    title = position.title
    response = Api(manager).patch(f"/positions/{position.pk}", body)
    assert response.status_code == 422
    (field,) = body
    [error] = response.json()["detail"]
    assert error["loc"] == ["body", field]
    assert error["type"] == "extra_forbidden"
    position.refresh_from_db()
    assert position.title == title


def test_an_unknown_field_inside_a_nested_object_is_refused(
    position: Position, manager: User
) -> None:
    candidate = {"full_name": "Ada", "email": "ada@example.com", "nickname": "A"}
    response = Api(manager).post(
        "/applications", {"position_id": position.pk, "candidate": candidate}
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "candidate", "nickname"]
    assert not position.applications.exists()


def test_every_input_schema_forbids_extra_fields() -> None:
    """One base for every input shape, so a new endpoint cannot forget it."""
    from secondround.api import debrief, rounds, schemas
    from secondround.api.schemas import StrictSchema

    inputs = [
        obj
        for module in (schemas, rounds, debrief)
        for name, obj in vars(module).items()
        if isinstance(obj, type) and name.endswith(("In", "Patch"))
    ]
    assert len(inputs) >= 14
    for schema in inputs:
        assert issubclass(schema, StrictSchema), schema.__name__
        assert schema.model_config.get("extra") == "forbid", schema.__name__


def test_schema_and_service_errors_share_one_shape(position: Position, manager: User) -> None:
    api = Api(manager)
    from_schema = api.patch(f"/positions/{position.pk}", {"title": ""}).json()["detail"]
    from_service = api.patch(f"/positions/{position.pk}", {"status": "nonsense"}).json()["detail"]
    assert from_schema[0]["loc"] == ["body", "title"]
    assert from_service[0]["loc"] == ["body", "status"]
    for error in (*from_schema, *from_service):
        assert set(error) == {"loc", "msg", "type"}
        assert error["msg"] and error["type"]


def test_query_and_path_errors_keep_their_place(manager: User) -> None:
    api = Api(manager)
    [error] = api.get("/positions/x").json()["detail"]
    assert error["loc"] == ["path", "position_id"]
    [error] = api.get("/positions/1/loop/changes?time_budget_minutes=5").json()["detail"]
    assert error["loc"] == ["query", "time_budget_minutes"]


@pytest.mark.parametrize("path", ["/questions", "/scenarios"])
def test_a_job_seeker_is_told_why_the_bank_is_closed(path: str) -> None:
    seeker = UserFactory(role=Role.JOB_SEEKER)
    response = Api(seeker).get(path)
    assert response.status_code == 403
    detail = response.json()["detail"]
    assert "hiring team" not in detail
    assert "job seeker" in detail.lower()
