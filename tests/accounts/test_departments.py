"""A department named on the command line or through the API: a name too long for the column is
refused naming the field (PostgreSQL would fail mid-request, SQLite kept 10,000 characters),
nothing is stored when the rest is refused, and a different spelling joins the existing one."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from secondround.accounts.models import Department, Role, User
from secondround.accounts.services import create_user
from secondround.cli import app
from secondround.hiring.models import Position
from tests.conftest import client_for
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
TOO_LONG = "D" * 101
PASSWORD = "a-long-enough-passphrase"


def test_cli_refuses_a_department_name_longer_than_the_column() -> None:
    result = CliRunner().invoke(
        app,
        ["createuser", "--email", "new@example.com", "--name", "New Person",
         "--department", TOO_LONG, "--password", PASSWORD],
    )  # fmt: skip
    assert result.exit_code == 2, result.output
    assert "department:" in result.output
    assert not User.objects.filter(email="new@example.com").exists()
    assert not Department.objects.filter(name=TOO_LONG).exists()


def test_a_department_spelt_differently_is_the_same_department() -> None:
    engineering = Department.objects.create(name="Engineering")
    user = create_user(
        email="new@example.com", full_name="New Person", password=PASSWORD,
        department="  engineering ",
    )  # fmt: skip
    assert user.department == engineering
    assert Department.objects.count() == 1


def api_create_position(body: dict[str, str]) -> tuple[int, str]:
    manager = UserFactory(role=Role.HIRING_MANAGER)
    response = client_for(manager).post(
        "/api/v1/positions", json.dumps(body), content_type="application/json"
    )
    return response.status_code, response.content.decode()


def test_api_refuses_a_department_name_longer_than_the_column() -> None:
    status, body = api_create_position({"template": "software-engineer", "department": TOO_LONG})
    assert status in (400, 422)
    assert "department" in body
    assert not Department.objects.filter(name=TOO_LONG).exists()
    assert not Position.objects.exists()


def test_api_stores_no_department_when_the_position_is_refused() -> None:
    status, body = api_create_position({"template": "no-such-template", "department": "Legal"})
    assert status in (400, 422)
    assert "template" in body
    assert not Department.objects.filter(name="Legal").exists()
