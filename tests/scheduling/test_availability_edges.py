"""Loose ends from a trial: busy times and a candidate's times at the edge of the calendar
(year 1, year 9999) are refused naming the field, and nothing is stored."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from secondround.scheduling import services
from secondround.scheduling.models import BusyBlock, CandidateAvailability
from tests.conftest import client_for
from tests.scheduling.conftest import BERLIN, Setup, at, next_monday

pytestmark = pytest.mark.django_db

# (starts_at, ends_at, the field that is refused)
EDGE_SPANS = [
    ("9999-12-31T10:00", "9999-12-31T11:00", "starts_at"),
    ("0001-01-01T00:00", "0001-01-01T11:00", "starts_at"),
    ("0001-01-01T10:00", "0001-01-01T11:00", "starts_at"),
    ("2101-06-01T10:00", "2101-06-01T11:00", "starts_at"),
    ("1999-12-31T10:00", "1999-12-31T11:00", "starts_at"),
    ("2099-12-31T10:00", "9999-12-31T11:00", "ends_at"),
]


def _moment(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=BERLIN)


@pytest.mark.parametrize(("starts_at", "ends_at", "field"), EDGE_SPANS)
def test_add_busy_block_refuses_the_edge_of_the_calendar_naming_the_field(
    setup: Setup, starts_at: str, ends_at: str, field: str
) -> None:
    with pytest.raises(ValidationError) as refused:
        services.add_busy_block(setup.priya, _moment(starts_at), _moment(ends_at))
    assert field in refused.value.message_dict
    assert "2000" in " ".join(refused.value.message_dict[field])
    assert not BusyBlock.objects.exists()


@pytest.mark.parametrize(("starts_at", "ends_at", "field"), EDGE_SPANS)
def test_the_availability_page_refuses_an_edge_busy_time_on_its_field(
    setup: Setup, starts_at: str, ends_at: str, field: str
) -> None:
    response = client_for(setup.priya).post(
        reverse("scheduling:availability"),
        {"action": "busy", "starts_at": starts_at, "ends_at": ends_at},
    )
    assert response.status_code == 400
    assert f'id="id_{field}_error"' in response.content.decode()
    assert not BusyBlock.objects.exists()


def test_an_end_before_the_start_and_a_busy_time_over_a_month_are_refused(setup: Setup) -> None:
    client = client_for(setup.priya)
    url = reverse("scheduling:availability")
    start = at(next_monday(), 10).replace(tzinfo=None)
    for end in (start - timedelta(hours=1), start, start + timedelta(days=32)):
        response = client.post(
            url, {"action": "busy", "starts_at": f"{start:%Y-%m-%dT%H:%M}",
                  "ends_at": f"{end:%Y-%m-%dT%H:%M}"},
        )  # fmt: skip
        assert response.status_code == 400
        assert 'id="id_ends_at_error"' in response.content.decode()
    assert not BusyBlock.objects.exists()


def test_a_busy_time_inside_the_calendar_is_kept(setup: Setup) -> None:
    start = at(next_monday(), 10)
    block = services.add_busy_block(setup.priya, start, start + timedelta(hours=2), "Dentist")
    assert (block.starts_at, block.ends_at, block.note) == (
        start,
        start + timedelta(hours=2),
        "Dentist",
    )


@pytest.mark.parametrize(("starts_at", "ends_at", "field"), EDGE_SPANS)
def test_a_candidates_times_at_the_edge_of_the_calendar_are_refused(
    setup: Setup, starts_at: str, ends_at: str, field: str
) -> None:
    ana = setup.finalists[0]
    with pytest.raises(ValidationError) as refused:
        services.set_candidate_availability(
            setup.recruiter, ana, time_zone="Europe/Berlin",
            spans=[(_moment(starts_at), _moment(ends_at))],
        )  # fmt: skip
    assert "availability" in refused.value.message_dict
    assert not CandidateAvailability.objects.exists()


def test_the_candidate_times_page_refuses_year_9999(setup: Setup) -> None:
    ana = setup.finalists[0]
    response = client_for(setup.recruiter).post(
        reverse("scheduling:candidate-availability", args=[ana.pk]),
        {"time_zone": "Europe/Berlin", "spans": "9999-12-30 09:00-12:00"},
    )
    assert response.status_code == 400
    assert not CandidateAvailability.objects.exists()
