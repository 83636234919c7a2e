"""Limits no reason can override: a session moved into the past, and scheduling settings that
would leave candidates unable to book (an offer born expired, a thousand options)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from secondround.accounts.models import Role
from secondround.scheduling import services
from secondround.scheduling.models import ScheduledSession, SchedulingPolicy
from secondround.scheduling.services import Placement
from tests.conftest import client_for
from tests.factories import UserFactory
from tests.scheduling.conftest import BERLIN, Setup, at, next_monday

pytestmark = pytest.mark.django_db


def booked_deep_dive(setup: Setup) -> ScheduledSession:
    aisha = setup.finalists[0]
    start, out = at(next_monday() + timedelta(days=1), 10), []
    for session in setup.sessions:
        people = {seat.pk: seat.interviewer for seat in session.seats.all()}
        out.append(Placement(session, start, people))
        start += timedelta(minutes=session.duration_minutes)
    booked = services.book_loop(aisha, out, setup.manager).sessions
    return booked[1]


@pytest.mark.parametrize("ago", [timedelta(days=7 * 300), timedelta(minutes=-10)])
def test_a_move_into_the_past_or_the_next_minutes_is_refused_even_with_a_reason(
    setup: Setup, ago: timedelta
) -> None:
    deep_dive = booked_deep_dive(setup)
    when = timezone.now() - ago
    with pytest.raises(ValidationError) as refused:
        services.move_session(deep_dive, when, setup.manager, override_reason="because")
    text = " ".join(refused.value.message_dict["starts_at"])
    assert "in the past" in text and str(when.astimezone(BERLIN).year) in text
    assert ScheduledSession.objects.get(pk=deep_dive.pk).starts_at == deep_dive.starts_at


def test_the_session_page_refuses_a_past_time_with_a_reason_by_field(setup: Setup) -> None:
    deep_dive = booked_deep_dive(setup)
    refused = client_for(setup.manager).post(
        reverse("scheduling:session", args=[deep_dive.pk]),
        {"action": "move", "move-starts_at": "2020-01-01T10:00", "move-override_reason": "because"},
    )
    html = refused.content.decode()
    assert refused.status_code == 400
    assert "Wed 01 Jan 2020 10:00" in html and "no reason can override" in html
    assert ScheduledSession.objects.get(pk=deep_dive.pk).starts_at == deep_dive.starts_at


def test_a_move_inside_the_notice_still_takes_a_reason(setup: Setup) -> None:
    deep_dive = booked_deep_dive(setup)
    soon = timezone.now() + timedelta(hours=3)
    with pytest.raises(ValidationError, match="minimum notice"):
        services.move_session(deep_dive, soon, setup.manager)
    moved = services.move_session(deep_dive, soon, setup.manager, override_reason="Urgent")
    assert moved.starts_at == soon


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("option_expiry_hours", 0),
        ("option_expiry_hours", 24 * 365),
        ("option_count", 1000),
        ("option_count", 11),
        ("min_notice_hours", 100_000),
    ],
)
def test_scheduling_settings_out_of_bounds_are_refused_by_field(
    setup: Setup, field: str, value: int
) -> None:
    admin = UserFactory(role=Role.ADMIN)
    with pytest.raises(ValidationError) as refused:
        services.update_policy(admin, {field: value})
    assert list(refused.value.message_dict) == [field]
    assert getattr(SchedulingPolicy.objects.get(), field) != value


def test_the_settings_page_refuses_a_zero_hour_expiry_and_a_thousand_options(
    setup: Setup,
) -> None:
    admin = UserFactory(role=Role.ADMIN)
    page = client_for(admin)
    fields = {
        "time_zone": "Europe/Berlin", "max_per_day": 2, "max_per_week": 6, "buffer_minutes": 15,
        "loop_days": 1, "max_continuous_minutes": 150, "break_minutes": 30,
        "min_notice_hours": 24, "video_link_pattern": "", "candidate_reschedule_limit": 1,
        "option_count": 1000, "option_expiry_hours": 0,
    }  # fmt: skip
    refused = page.post(reverse("scheduling:policy"), fields)
    assert refused.status_code == 400
    errors = refused.context["form"].errors
    assert set(errors) == {"option_count", "option_expiry_hours"}
    assert "At most 10" in errors["option_count"][0]
    kept = SchedulingPolicy.objects.get()
    assert (kept.option_count, kept.option_expiry_hours) == (5, 72)
    saved = page.post(reverse("scheduling:policy"), {**fields, "option_count": 10,
                                                     "option_expiry_hours": 1})  # fmt: skip
    assert saved.status_code == 302
    assert SchedulingPolicy.objects.get().option_expiry_hours == 1
