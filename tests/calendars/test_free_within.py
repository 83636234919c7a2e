"""Weekly working hours in a person's zone, minus busy times, across a daylight-saving change."""

from __future__ import annotations

import itertools
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from secondround.calendars.busy import (
    Interval,
    WorkingHours,
    busy_from_ical,
    free_within,
    merge,
    subtract,
)
from tests.calendars import samples
from tests.calendars.samples import utc

BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")
WEEKDAYS_9_TO_17 = {day: [(time(9), time(17))] for day in range(5)}


def spans(intervals: tuple[Interval, ...]) -> list[tuple[datetime, datetime]]:
    return [(i.start, i.end) for i in intervals]


def test_berlin_nine_to_five_moves_an_hour_in_utc_over_the_change() -> None:
    hours = WorkingHours("Europe/Berlin", WEEKDAYS_9_TO_17)
    start, end = datetime(2026, 3, 27, tzinfo=BERLIN), datetime(2026, 3, 31, tzinfo=BERLIN)
    free = free_within(hours, [], start=start, end=end)
    assert spans(free) == [
        (utc(2026, 3, 27, 8), utc(2026, 3, 27, 16)),  # Friday, CET
        (utc(2026, 3, 30, 7), utc(2026, 3, 30, 15)),  # Monday, CEST
    ]


def test_busy_times_are_cut_out_of_working_hours() -> None:
    hours = WorkingHours("Europe/Berlin", WEEKDAYS_9_TO_17)
    start, end = samples.WINDOW
    busy = busy_from_ical([samples.feed()], start=start, end=end, time_zone="Europe/Berlin")
    free = free_within(hours, busy, start=start, end=end)
    tuesday_24 = [s for s in spans(free) if s[0].date() == utc(2026, 3, 24).date()]
    assert tuesday_24 == [
        (utc(2026, 3, 24, 8), utc(2026, 3, 24, 12)),
        (utc(2026, 3, 24, 12, 30), utc(2026, 3, 24, 16)),
    ]
    assert not [s for s in spans(free) if s[0].date() == utc(2026, 3, 25).date()]  # offsite
    tuesday_31 = [s for s in spans(free) if s[0].date() == utc(2026, 3, 31).date()]
    assert tuesday_31 == [
        (utc(2026, 3, 31, 7), utc(2026, 3, 31, 12)),
        (utc(2026, 3, 31, 13), utc(2026, 3, 31, 15)),
    ]


def test_a_panel_in_berlin_and_a_candidate_in_new_york_overlap_an_hour_more_that_week() -> None:
    # The US changed on 8 March, Berlin on 29 March: for three weeks they are 5 h apart.
    berlin = WorkingHours("Europe/Berlin", WEEKDAYS_9_TO_17)
    new_york = WorkingHours("America/New_York", WEEKDAYS_9_TO_17)
    start, end = datetime(2026, 3, 27, tzinfo=BERLIN), datetime(2026, 3, 31, tzinfo=BERLIN)
    panel = free_within(berlin, [], start=start, end=end)
    candidate = free_within(new_york, [], start=start, end=end)
    both = subtract(panel, subtract(panel, candidate))
    assert spans(both) == [
        (utc(2026, 3, 27, 13), utc(2026, 3, 27, 16)),  # Friday: 3 h
        (utc(2026, 3, 30, 13), utc(2026, 3, 30, 15)),  # Monday: 2 h
    ]


def test_hours_over_the_skipped_hour_are_two_real_hours() -> None:
    # Sunday 29 March, 01:00-04:00 Berlin: 02:00-03:00 does not exist that night.
    hours = WorkingHours("Europe/Berlin", {6: [(time(1), time(4))]})
    start, end = datetime(2026, 3, 29, tzinfo=BERLIN), datetime(2026, 3, 30, tzinfo=BERLIN)
    (span,) = free_within(hours, [], start=start, end=end)
    assert (span.start, span.end) == (utc(2026, 3, 29, 0), utc(2026, 3, 29, 2))


def test_a_start_inside_the_skipped_hour_moves_forward() -> None:
    hours = WorkingHours("Europe/Berlin", {6: [(time(2, 30), time(5))]})
    start, end = datetime(2026, 3, 29, tzinfo=BERLIN), datetime(2026, 3, 30, tzinfo=BERLIN)
    (span,) = free_within(hours, [], start=start, end=end)
    # 02:30 is read as 03:30 CEST (moved forward by the gap), so the day is 1.5 real hours
    assert (span.start, span.end) == (utc(2026, 3, 29, 1, 30), utc(2026, 3, 29, 3))


def test_autumn_change_gives_the_extra_hour() -> None:
    hours = WorkingHours("Europe/Berlin", {6: [(time(0), time(6))]})
    start, end = datetime(2026, 10, 25, tzinfo=BERLIN), datetime(2026, 10, 26, tzinfo=BERLIN)
    (span,) = free_within(hours, [], start=start, end=end)
    assert span.end - span.start == timedelta(hours=7)


def test_working_hours_are_validated() -> None:
    with pytest.raises(ValueError, match="time zone"):
        WorkingHours("Europe/Atlantis", WEEKDAYS_9_TO_17)
    with pytest.raises(ValueError, match="weekday 7"):
        WorkingHours("UTC", {7: [(time(9), time(17))]})
    with pytest.raises(ValueError, match="not after"):
        WorkingHours("UTC", {0: [(time(17), time(9))]})


minutes = st.integers(min_value=0, max_value=7 * 24 * 60)
spans_st = st.lists(st.tuples(minutes, st.integers(min_value=1, max_value=600)), max_size=12).map(
    lambda pairs: [
        Interval(
            utc(2026, 3, 23) + timedelta(minutes=a), utc(2026, 3, 23) + timedelta(minutes=a + b)
        )
        for a, b in pairs
    ]
)


def covered(intervals: tuple[Interval, ...] | list[Interval], moment: datetime) -> bool:
    return any(i.start <= moment < i.end for i in intervals)


@given(free=spans_st, busy=spans_st, probe=minutes)
def test_subtract_matches_pointwise_set_difference(
    free: list[Interval], busy: list[Interval], probe: int
) -> None:
    moment = utc(2026, 3, 23) + timedelta(minutes=probe)
    result = subtract(free, busy)
    assert covered(result, moment) == (covered(free, moment) and not covered(busy, moment))
    assert list(result) == sorted(result)
    assert all(a.end < b.start for a, b in itertools.pairwise(result))
    assert merge(result) == result
