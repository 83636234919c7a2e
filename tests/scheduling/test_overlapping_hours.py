"""Overlapping working hours on one day are joined into one window, so what a person sees on
their page, what the API answers and what the solver and offers use are the same windows."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse

from secondround.calendars.busy import Interval
from secondround.scheduling import selectors, services
from secondround.scheduling.models import PersonAvailability
from tests.conftest import client_for
from tests.scheduling.conftest import Setup, at, next_monday

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("entered", "kept"),
    [
        ([["09:00", "13:00"], ["12:00", "17:00"]], [["09:00", "17:00"]]),
        ([["12:00", "17:00"], ["09:00", "13:00"]], [["09:00", "17:00"]]),
        ([["09:00", "17:00"], ["10:00", "11:00"]], [["09:00", "17:00"]]),
        ([["09:00", "12:00"], ["12:00", "17:00"]], [["09:00", "17:00"]]),
        ([["09:00", "12:00"], ["09:00", "12:00"]], [["09:00", "12:00"]]),
        ([["13:00", "16:00"], ["08:00", "12:00"]], [["08:00", "12:00"], ["13:00", "16:00"]]),
    ],
)
def test_save_availability_joins_overlapping_spans_of_a_day(
    setup: Setup, entered: list[list[str]], kept: list[list[str]]
) -> None:
    saved = services.save_availability(
        setup.priya, time_zone="Europe/Berlin", working_hours={"0": entered, "2": entered},
        max_per_day=None, max_per_week=None,
    )  # fmt: skip
    assert saved.working_hours == {"0": kept, "2": kept}
    assert PersonAvailability.objects.get(user=setup.priya).working_hours == {"0": kept, "2": kept}


def test_the_solver_sees_the_one_window_the_person_sees(setup: Setup) -> None:
    services.save_availability(
        setup.priya, time_zone="Europe/Berlin",
        working_hours={"0": [["09:00", "13:00"], ["12:00", "17:00"]]},
        max_per_day=None, max_per_week=None,
    )  # fmt: skip
    monday = next_monday()
    free = selectors.free_time(
        selectors.availability_of(setup.priya), [], at(monday, 0), at(monday + timedelta(days=1), 0)
    )
    assert free == (Interval(at(monday, 9), at(monday, 17)),)


def test_the_api_answers_the_joined_hours(setup: Setup) -> None:
    response = client_for(setup.priya).put(
        "/api/v1/availability",
        {"time_zone": "Europe/Berlin", "working_hours": {"0": [["09:00", "13:00"],
                                                              ["12:00", "17:00"]]}},
        content_type="application/json",
    )  # fmt: skip
    assert response.status_code == 200
    assert response.json()["working_hours"] == {"0": [["09:00", "17:00"]]}


def test_the_page_joins_overlapping_hours_and_says_so(setup: Setup) -> None:
    client = client_for(setup.priya)
    url = reverse("scheduling:availability")
    response = client.post(
        url, {"action": "hours", "time_zone": "Europe/Berlin",
              "day_0": "09:00-13:00, 12:00-17:00", "day_1": "09:00-12:00, 13:00-17:00"},
        follow=True,
    )  # fmt: skip
    page = response.content.decode()
    assert response.status_code == 200
    assert "Overlapping hours were joined: Monday 09:00-17:00." in page
    assert 'name="day_0" value="09:00-17:00"' in page
    assert 'name="day_1" value="09:00-12:00, 13:00-17:00"' in page
    assert PersonAvailability.objects.get(user=setup.priya).working_hours == {
        "0": [["09:00", "17:00"]], "1": [["09:00", "12:00"], ["13:00", "17:00"]]
    }  # fmt: skip
