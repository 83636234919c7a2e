"""The candidate's week grid near midnight: a zone changed before saving, and half-days
that have already begun where the candidate is."""

from __future__ import annotations

from datetime import UTC, date, datetime

from secondround.bookings.forms import WeekGridForm, grid_days, posted_grid_days

# 16:00 in London is 01:00 the next day in Tokyo: the two windows start a day apart.
LATE = datetime(2026, 11, 30, 16, 0, tzinfo=UTC)  # a Monday


def posted(zone: str, slots: list[str], shown: str = "Europe/London") -> WeekGridForm:
    days = posted_grid_days(shown, zone, LATE)
    return WeekGridForm({"time_zone": zone, "slots": slots}, days=days, now=LATE)


def test_each_zones_window_starts_tomorrow_where_the_candidate_is() -> None:
    assert grid_days("Europe/London", LATE)[0] == date(2026, 12, 1)
    assert grid_days("Asia/Tokyo", LATE)[0] == date(2026, 12, 2)
    assert all(day.weekday() < 5 for day in grid_days("Asia/Tokyo", LATE))


def test_a_day_shown_in_one_zone_is_not_unknown_after_switching_to_another() -> None:
    form = posted("Asia/Tokyo", ["2026-12-01:pm", "2026-12-02:am"])
    assert form.is_valid(), form.errors
    start, _end = form.spans()[0]
    assert start == datetime(2026, 12, 1, 4, 0, tzinfo=UTC)  # 13:00 in Tokyo


def test_a_half_day_already_begun_in_the_zone_given_is_refused_by_name() -> None:
    late_tokyo = datetime(2026, 11, 30, 23, 30, tzinfo=UTC)  # 08:30 on 1 Dec in Tokyo
    days = posted_grid_days("Europe/London", "Asia/Tokyo", late_tokyo)
    too_late = datetime(2026, 12, 1, 4, 30, tzinfo=UTC)  # 13:30 in Tokyo
    form = WeekGridForm(
        {"time_zone": "Asia/Tokyo", "slots": ["2026-12-01:am", "2026-12-02:am"]},
        days=days,
        now=too_late,
    )
    assert not form.is_valid()
    message = form.errors["slots"][0]
    assert "Asia/Tokyo" in message and "Tue 1 Dec" in message and "Wed 2 Dec" not in message


def test_days_outside_both_windows_stay_unknown() -> None:
    form = posted("Asia/Tokyo", ["2026-11-30:am"])
    assert not form.is_valid() and "slots" in form.errors
    assert not posted("Asia/Tokyo", ["2026-12-25:am"]).is_valid()  # beyond two weeks
