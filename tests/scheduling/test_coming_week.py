"""The default week to plan is the week after today in the organisation's zone, not in UTC."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from secondround.scheduling.selectors import coming_week

pytestmark = pytest.mark.django_db


def test_just_after_midnight_on_a_monday_in_berlin_the_coming_week_is_the_next_one() -> None:
    # Monday 7 Dec 2026, 00:30 in Berlin is still Sunday 6 Dec in UTC: the week from Monday
    # 7 Dec is already under way for the team, so the coming week starts on 14 Dec.
    assert coming_week(datetime(2026, 12, 6, 23, 30, tzinfo=UTC)) == date(2026, 12, 14)


def test_on_a_sunday_afternoon_the_coming_week_starts_the_next_day() -> None:
    assert coming_week(datetime(2026, 12, 6, 15, 0, tzinfo=UTC)) == date(2026, 12, 7)
