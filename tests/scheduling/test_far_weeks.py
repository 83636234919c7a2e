"""A week at the edge of the calendar (year 1, year 9999) is refused naming the week, never a
500: the week's end, or its start moved to UTC, falls outside what a date can hold."""

from __future__ import annotations

import pytest
from django.urls import reverse
from typer.testing import CliRunner

from secondround.cli import app
from secondround.scheduling.models import ScheduledSession
from tests.conftest import client_for
from tests.scheduling.conftest import Setup
from tests.scheduling.test_views import run

pytestmark = pytest.mark.django_db
EDGE_WEEKS = ["9999-12-31", "9999-12-27", "0001-01-01", "1999-12-27", "2101-01-03"]


@pytest.mark.parametrize("week", EDGE_WEEKS)
def test_cli_refuses_an_edge_week_with_exit_2(setup: Setup, week: str) -> None:
    result = CliRunner().invoke(
        app,
        ["schedule", "--position", str(setup.position.pk), "--week", week, "--dry-run",
         "--as", setup.manager.email],
    )  # fmt: skip
    assert result.exit_code == 2, result.output
    assert "week:" in result.output


@pytest.mark.parametrize("week", EDGE_WEEKS)
def test_board_run_refuses_an_edge_week_naming_it(setup: Setup, week: str) -> None:
    response = client_for(setup.manager).post(
        f"/positions/{setup.position.pk}/schedule/run/", {"week": week}
    )
    assert response.status_code == 400
    assert "week" in response.context["form"].errors
    assert not ScheduledSession.objects.exists()


@pytest.mark.parametrize("week", EDGE_WEEKS)
def test_api_schedule_refuses_an_edge_week_naming_it(setup: Setup, week: str) -> None:
    response = client_for(setup.manager).post(
        f"/api/v1/positions/{setup.position.pk}/schedule",
        {"week": week, "dry_run": True},
        content_type="application/json",
    )
    assert response.status_code in (400, 422)
    assert "week" in response.content.decode()


@pytest.mark.parametrize("week", EDGE_WEEKS)
@pytest.mark.parametrize("path", ["/api/v1/bookings", "/api/v1/positions/{pk}/schedule"])
def test_api_week_queries_refuse_an_edge_week_naming_it(setup: Setup, week: str, path: str) -> None:
    response = client_for(setup.manager).get(path.format(pk=setup.position.pk), {"week": week})
    assert response.status_code in (400, 422)
    assert "week" in response.content.decode()


@pytest.mark.parametrize("starts_at", ["9999-12-31T23:59", "0001-01-01T00:00", "2101-06-01T10:00"])
def test_moving_a_session_to_the_edge_of_the_calendar_is_refused(
    setup: Setup, starts_at: str
) -> None:
    run(setup)
    scheduled = ScheduledSession.objects.order_by("pk").first()
    assert scheduled is not None
    before = scheduled.starts_at
    response = client_for(setup.manager).post(
        reverse("scheduling:session", args=[scheduled.pk]),
        {"action": "move", "move-starts_at": starts_at, "move-override_reason": "Why not"},
    )
    assert response.status_code == 400
    assert 'id="id_move-starts_at_error"' in response.content.decode()
    scheduled.refresh_from_db()
    assert scheduled.starts_at == before
