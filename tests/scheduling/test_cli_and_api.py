"""`secondround schedule` and the scheduling API: the plan as a table, bad input named."""

from __future__ import annotations

import pytest
from django.test import Client
from typer.testing import CliRunner

from secondround.cli import app
from secondround.scheduling.models import PersonAvailability, ScheduledSession
from tests.conftest import client_for
from tests.scheduling.conftest import Setup, next_monday

pytestmark = pytest.mark.django_db
runner = CliRunner()


def test_cli_prints_the_plan_and_books_nothing_on_dry_run(setup: Setup) -> None:
    result = runner.invoke(
        app,
        ["schedule", "--position", str(setup.position.pk), "--week", next_monday().isoformat(),
         "--dry-run", "--as", setup.manager.email],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "Plan (dry run, nothing booked)" in result.output
    assert "Aisha Bello" in result.output and "Role deep dive" in result.output
    assert "Priya Nair" in result.output
    assert not ScheduledSession.objects.exists()


def test_cli_books(setup: Setup) -> None:
    result = runner.invoke(
        app, ["schedule", "--position", str(setup.position.pk), "--as", setup.manager.email]
    )
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Booked")
    assert ScheduledSession.objects.count() == 6


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--position", "999999"], "no such position"),
        (["--position", "-1"], "no such position"),
        (["--week", "next tuesday"], "--week"),
        (["--week", "2020-01-06"], "week:"),
        (["--as", "nobody@example.com"], "No such user"),
    ],
)
def test_cli_bad_input_exits_2_with_the_message(setup: Setup, args: list[str], words: str) -> None:
    base = {"--position": str(setup.position.pk), "--as": setup.manager.email}
    for flag, value in zip(args[::2], args[1::2], strict=True):
        base[flag] = value
    result = runner.invoke(app, ["schedule", *[x for pair in base.items() for x in pair]])
    assert result.exit_code == 2
    assert words in result.output


def test_cli_needs_to_be_told_who_schedules(setup: Setup) -> None:
    """No superuser is picked on the caller's behalf: without --as nothing runs (exit 2)."""
    result = runner.invoke(app, ["schedule", "--position", str(setup.position.pk)])
    assert result.exit_code == 2
    assert "--as" in result.output
    assert not ScheduledSession.objects.exists()
    setup.priya.is_active = False
    setup.priya.save(update_fields=["is_active"])
    gone = runner.invoke(
        app, ["schedule", "--position", str(setup.position.pk), "--as", setup.priya.email]
    )
    assert gone.exit_code == 2 and "No such user" in gone.output


def test_cli_infeasible_exits_1_naming_the_person(setup: Setup) -> None:
    PersonAvailability.objects.create(user=setup.priya, working_hours={})
    result = runner.invoke(
        app, ["schedule", "--position", str(setup.position.pk), "--as", setup.manager.email]
    )
    assert result.exit_code == 1
    assert "Not placed" in result.output and "Priya Nair" in result.output


def test_cli_panel_member_is_refused(setup: Setup) -> None:
    result = runner.invoke(
        app, ["schedule", "--position", str(setup.position.pk), "--as", setup.priya.email]
    )
    assert result.exit_code == 2 and "hiring team" in result.output


def test_api_availability_get_and_put(setup: Setup) -> None:
    client = client_for(setup.priya)
    assert client.get("/api/v1/availability").json()["caps"] == {"per_day": 2, "per_week": 6}
    response = client.put(
        "/api/v1/availability",
        {"time_zone": "Europe/Lisbon", "working_hours": {"1": [["10:00", "16:00"]]},
         "max_per_week": 3},
        content_type="application/json",
    )  # fmt: skip
    assert response.status_code == 200, response.content
    assert response.json()["caps"] == {"per_day": 2, "per_week": 3}


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"time_zone": "Nowhere/City", "working_hours": {}}, "time_zone"),
        ({"time_zone": "UTC", "working_hours": {"9": [["09:00", "10:00"]]}}, "working_hours"),
        ({"time_zone": "UTC", "working_hours": {"0": [["10:00", "09:00"]]}}, "working_hours"),
        ({"time_zone": "UTC", "working_hours": {}, "max_per_day": 7}, "max_per_day"),
        ({"time_zone": "UTC", "working_hours": {}, "colour": "red"}, "colour"),
    ],
)
def test_api_availability_bad_input_is_422_naming_the_field(
    setup: Setup, body: dict[str, object], field: str
) -> None:
    response = client_for(setup.priya).put(
        "/api/v1/availability", body, content_type="application/json"
    )
    assert response.status_code == 422
    assert field in [loc for d in response.json()["detail"] for loc in d["loc"]]


def test_api_schedule_dry_run_then_book_then_board_and_bookings(setup: Setup) -> None:
    client = client_for(setup.manager)
    url = f"/api/v1/positions/{setup.position.pk}/schedule"
    week = next_monday().isoformat()
    plan = client.post(url, {"week": week, "dry_run": True}, content_type="application/json")
    assert plan.status_code == 200 and not plan.json()["booked"]
    assert len(plan.json()["planned"]) == 2 and not ScheduledSession.objects.exists()
    booked = client.post(url, {"week": week}, content_type="application/json")
    assert booked.json()["booked"] and ScheduledSession.objects.count() == 6
    board = client.get(url + f"?week={week}").json()
    assert all(len(f["sessions"]) == 3 for f in board["finalists"])
    bookings = client.get(f"/api/v1/bookings?position_id={setup.position.pk}").json()
    assert len(bookings) == 6
    assert {i["email"] for b in bookings for i in b["interviewers"]} == {
        setup.recruiter.email,
        setup.priya.email,
    }
    assert client_for(setup.priya).get(url).status_code == 403


@pytest.mark.parametrize(
    ("body", "field"),
    [({"week": "soon"}, "week"), ({"week": "2020-01-06"}, "week"), ({"weeks": "x"}, "weeks")],
)
def test_api_schedule_bad_input_is_422(setup: Setup, body: dict[str, str], field: str) -> None:
    response = client_for(setup.manager).post(
        f"/api/v1/positions/{setup.position.pk}/schedule", body, content_type="application/json"
    )
    assert response.status_code == 422
    assert field in [loc for d in response.json()["detail"] for loc in d["loc"]]


def test_api_needs_sign_in() -> None:
    assert Client().get("/api/v1/availability").status_code == 401
