"""The loop scheduler: every rule checked on its output by an independent checker."""

from __future__ import annotations

import itertools
from collections import Counter
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from secondround.engines.scheduling import (
    Interval,
    Loop,
    Person,
    Room,
    Rules,
    Schedule,
    ScheduledSession,
    SchedulingInputError,
    Seat,
    Session,
    free_replacements,
    loop_options,
    runs_without_break,
    schedule,
)

BERLIN, NEW_YORK = ZoneInfo("Europe/Berlin"), ZoneInfo("America/New_York")
MONDAY = date(2026, 12, 7)
RULES = Rules(time_zone="Europe/Berlin", time_limit_seconds=5)


def at(day: date, hour: int, minute: int = 0, zone: ZoneInfo = BERLIN) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=zone)


def week(
    first: date = MONDAY, days: int = 5, start: int = 9, end: int = 17, zone: ZoneInfo = BERLIN
) -> tuple[Interval, ...]:
    return tuple(
        Interval(at(d, start, zone=zone), at(d, end, zone=zone))
        for d in (first + timedelta(days=n) for n in range(days))
    )


def person(pid: str, free: tuple[Interval, ...] | None = None, **caps: int) -> Person:
    return Person(id=pid, name=f"Person {pid}", free=week() if free is None else free, **caps)


def standard_loop(lid: str, free: tuple[Interval, ...] | None = None) -> Loop:
    return Loop(
        lid,
        f"Candidate {lid}",
        week() if free is None else free,
        (
            Session("welcome", "Welcome", 15, (Seat("w", ("a", "b")),)),
            Session(
                "deep", "Deep dive", 60, (Seat("d1", ("c", "d", "e")), Seat("d2", ("d", "e", "f")))
            ),
            Session("values", "Values", 45, (Seat("v", ("g", "h")),)),
            Session("wrap", "Wrap-up", 15, (Seat("x", ("a", "b")),)),
        ),
    )


def check(result: Schedule, loops: list[Loop], people: list[Person], rules: Rules = RULES) -> None:
    """Every hard rule, checked on the output alone."""
    by_id = {p.id: p for p in people}
    pad = timedelta(minutes=rules.buffer_minutes)
    per_person: dict[str, list[ScheduledSession]] = {}
    for loop in loops:
        placed = [s for s in result.sessions if s.loop_id == loop.id]
        if not placed:
            continue
        assert [s.session_id for s in placed] == [s.id for s in loop.sessions], "order"
        assert len({s.start.astimezone(BERLIN).date() for s in placed}) <= rules.max_days, "days"
        for before, after in itertools.pairwise(placed):
            assert after.start >= before.end, "sessions overlap for the candidate"
        for s, spec in zip(placed, loop.sessions, strict=True):
            assert s.end - s.start == timedelta(minutes=spec.minutes)
            assert any(i.start <= s.start and s.end <= i.end for i in loop.free), "candidate free"
            seats = {seat.id: seat for seat in spec.seats}
            assert {seat for seat, _p in s.interviewers} == set(seats), "every seat filled"
            assert len({p for _s, p in s.interviewers}) == len(s.interviewers), "one seat each"
            for seat, who in s.interviewers:
                assert who in seats[seat].eligible, "qualified"
                assert any(i.start <= s.start and s.end <= i.end for i in by_id[who].free)
                per_person.setdefault(who, []).append(s)
    for who, items in per_person.items():
        items.sort(key=lambda s: s.start)
        for a, b in itertools.pairwise(items):
            assert b.start >= a.end + pad, f"{who}: buffer"
        days = Counter(s.start.astimezone(BERLIN).date() for s in items)
        assert max(days.values()) <= by_id[who].max_per_day, f"{who}: daily cap"
        assert len(items) <= by_id[who].max_per_week, f"{who}: weekly cap"


def test_a_batch_is_placed_within_every_rule() -> None:
    people = [person(p) for p in "abcdefgh"]
    loops = [standard_loop(f"L{n}") for n in range(5)]
    result = schedule(loops, people, rules=RULES)
    assert result.placed == 5 and result.unplaced == ()
    check(result, loops, people)
    assert result.idle_minutes == 0  # loops are packed: nobody waits between sessions


def test_load_is_spread_fairly_where_a_coordinator_would_pile_it_on() -> None:
    # Four welcomes, four people who may host them: one each, not two for the first two.
    people = [person(p) for p in "wxyz"]
    loops = [
        Loop(
            f"L{n}",
            f"C{n}",
            week(),
            (Session("w", "Welcome", 15, (Seat("s", ("w", "x", "y", "z")),)),),
        )
        for n in range(4)
    ]
    result = schedule(loops, people, rules=RULES)
    assert result.placed == 4
    assert sorted(result.load.values()) == [1, 1, 1, 1]
    assert result.proven_optimal


def test_caps_and_buffers_hold_when_one_person_is_needed_everywhere() -> None:
    people = [person("solo", max_per_day=2, max_per_week=3)]
    loops = [
        Loop(f"L{n}", f"C{n}", week(), (Session("s", "Talk", 30, (Seat("s", ("solo",)),)),))
        for n in range(5)
    ]
    result = schedule(loops, people, rules=RULES)
    assert result.placed == 3  # the weekly cap
    check(result, loops, people)
    assert all("cap" in reason for u in result.unplaced for reason in u.reasons)


def test_a_week_with_a_daylight_saving_change_and_a_candidate_in_new_york() -> None:
    # Europe changes to summer time on Sunday 28 March 2027, New York did on 14 March: the gap
    # between them is 5 hours before the weekend and 6 after. The candidate is free 9–12 in New
    # York; the panel works 9–17 in Berlin, so on Monday only 15:00–17:00 Berlin works.
    friday, monday = date(2027, 3, 26), date(2027, 3, 29)
    candidate_free = (Interval(at(monday, 9, zone=NEW_YORK), at(monday, 12, zone=NEW_YORK)),)
    people = [person(p, free=week(friday, 5)) for p in "abcdefgh"]
    loop = Loop(
        "L", "Noa", candidate_free,
        (Session("one", "Deep dive", 60, (Seat("s", ("c", "d")),)), Session("two", "Values", 45, (Seat("v", ("g",)),))),
    )  # fmt: skip
    result = schedule([loop], people, rules=Rules(time_zone="Europe/Berlin", time_limit_seconds=5))
    assert result.placed == 1
    check(result, [loop], people)
    first = result.sessions[0].start
    assert first.astimezone(BERLIN) >= at(monday, 15)
    assert first.astimezone(NEW_YORK).hour >= 9


def test_an_impossible_loop_is_explained_in_words() -> None:
    people = [person(p) for p in "abcdefgh"]
    short = standard_loop("short", free=(Interval(at(MONDAY, 9), at(MONDAY, 10)),))
    busy_panel = [person(p) for p in "abcdef"] + [
        person(p, free=week(MONDAY + timedelta(days=14))) for p in "gh"
    ]
    result = schedule([short], people, rules=RULES)
    assert result.placed == 0
    (reason,) = result.unplaced[0].reasons
    assert "Candidate short is free for at most 1 h" in reason and "2 h 15" in reason

    result = schedule([standard_loop("L")], busy_panel, rules=RULES)
    assert "Values" in result.unplaced[0].reasons[0]
    assert "Person g, Person h" in result.unplaced[0].reasons[0]


def test_booked_interviews_count_toward_caps_and_are_named() -> None:
    people = [person("a", max_per_day=1), person("b", max_per_day=1)]
    booked_each_day = {MONDAY + timedelta(days=n): 1 for n in range(5)}
    people = [
        Person(p.id, p.name, p.free, max_per_day=1, booked_per_day=booked_each_day) for p in people
    ]
    loop = Loop("L", "Ada", week(), (Session("w", "Welcome", 15, (Seat("w", ("a", "b")),)),))
    result = schedule([loop], people, rules=RULES)
    assert result.placed == 0
    assert "at their interview caps" in result.unplaced[0].reasons[0]
    assert "Person a (1 on Mon 07 Dec)" in result.unplaced[0].reasons[0]


def test_rooms_are_never_double_booked() -> None:
    people = [person(p) for p in "abcd"]
    room = Room("r1", "Fjord", capacity=3, free=week(days=1))
    loops = [
        Loop(
            f"L{n}",
            f"C{n}",
            week(days=1),
            (Session("s", "On site", 60, (Seat("s", ("a", "b", "c", "d")),), needs_room=True),),
        )
        for n in range(3)
    ]
    result = schedule(loops, people, rooms=[room], rules=RULES)
    assert result.placed == 3
    times = sorted((s.start, s.end) for s in result.sessions)
    assert all(s.room_id == "r1" for s in result.sessions)
    assert all(b[0] >= a[1] for a, b in itertools.pairwise(times))
    too_small = schedule(loops[:1], people, rooms=[Room("r2", "Booth", 1, week())], rules=RULES)
    assert "No room holds 2 people" in too_small.unplaced[0].reasons[0]


def test_options_fall_on_different_half_days_and_respect_bookings() -> None:
    people = [person(p) for p in "abcdefgh"]
    booked = schedule([standard_loop("L0")], people, rules=RULES).sessions
    options = loop_options(standard_loop("new"), people, rules=RULES, booked=booked, count=5)
    assert len(options) == 5
    halves = {
        (o.start.astimezone(BERLIN).date(), o.start.astimezone(BERLIN).hour < 12) for o in options
    }
    assert len(halves) == 5
    taken = {(p, s.start) for s in booked for _seat, p in s.interviewers}
    for option in options:
        for s in option.sessions:
            for _seat, who in s.interviewers:
                for other in booked:
                    if who in {p for _s, p in other.interviewers}:
                        assert s.start >= other.end or s.end <= other.start
        assert len(option.sessions) == 4
    assert taken  # the booked loop really occupies people


def test_a_declined_seat_gets_free_qualified_replacements_least_loaded_first() -> None:
    people = [person(p) for p in "cdef"]
    booked = [
        ScheduledSession("L", "deep", at(MONDAY, 10), at(MONDAY, 11), (("d1", "c"), ("d2", "d"))),
        ScheduledSession("M", "deep", at(MONDAY, 13), at(MONDAY, 14), (("d1", "e"),)),
    ]
    seat = Seat("d1", ("c", "d", "e", "f"))
    found = free_replacements(
        booked[0], seat, declined="c", people=people, booked=booked, rules=RULES
    )
    assert found == ("f", "e")  # d already sits in this session; f has nothing booked
    people[3] = person("f", free=week(MONDAY + timedelta(days=7)))
    assert free_replacements(booked[0], seat, "c", people, booked, RULES) == ("e",)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"free": (Interval(datetime(2026, 12, 7, 9), datetime(2026, 12, 7, 17)),)}, "time zone"),
        ({"sessions": ()}, "no sessions"),
        ({"sessions": (Session("s", "S", 30, (Seat("x", ("ghost",)),)),)}, "unknown people"),
        ({"sessions": (Session("s", "S", 0, ()),)}, "positive time"),
    ],
)
def test_bad_input_is_refused_naming_the_problem(change: dict[str, object], message: str) -> None:
    loop = Loop(**{**standard_loop("L").__dict__, **change})  # type: ignore[arg-type]
    with pytest.raises(SchedulingInputError, match=message):
        schedule([loop], [person(p) for p in "abcdefgh"], rules=RULES)
    with pytest.raises(SchedulingInputError, match="time zone"):
        schedule([standard_loop("L")], [person("a")], rules=Rules(time_zone="Mars/Olympus"))


def test_the_break_rule_restarts_the_run_after_a_long_enough_gap() -> None:
    # 0-60, 60-120 (straight on), a 30-minute gap (a break), 150-240: no run beyond 150
    assert runs_without_break([(0, 60), (60, 120), (150, 240)], rest=30, cap=150) == []
    # a 25-minute gap is no break: the run goes on to 235 minutes, reported at the third
    assert runs_without_break([(0, 60), (60, 120), (145, 235)], rest=30, cap=150) == [(2, 235)]
    # a single session longer than the cap stands alone
    assert runs_without_break([(0, 200)], rest=30, cap=150) == []


def _hosted_loop(lid: str) -> Loop:
    """The recruiter `r` hosts the welcome and wrap-up (not interviews) and sits one interview."""
    return Loop(
        lid,
        f"Candidate {lid}",
        week(days=1),
        (
            Session("welcome", "Welcome", 15, (Seat("w", ("r",), counts_toward_caps=False),)),
            Session("deep", "Deep dive", 60, (Seat("d", ("r",)),)),
            Session("wrap", "Wrap-up", 15, (Seat("x", ("r",), counts_toward_caps=False),)),
        ),
    )


def test_hosting_seats_count_toward_no_cap_or_load() -> None:
    people = [person("r", max_per_day=1, max_per_week=1)]
    result = schedule([_hosted_loop("L1")], people, rules=RULES)
    assert not result.unplaced and len(result.sessions) == 3
    assert result.load["r"] == 1  # the interview, not the two hosted sessions
    # A second loop needs a second interview from `r`: the cap of one refuses it.
    two = schedule([_hosted_loop("L1"), _hosted_loop("L2")], people, rules=RULES)
    assert len(two.unplaced) == 1


def test_booked_hosting_does_not_use_up_a_cap() -> None:
    hosted = ScheduledSession(
        "old", "welcome", at(MONDAY, 9), at(MONDAY, 9, 15), (("w", "r"),), counts_toward_caps=False
    )
    people = [person("r", max_per_day=1, max_per_week=1)]
    result = schedule([_hosted_loop("L1")], people, rules=RULES, booked=[hosted])
    assert not result.unplaced
    seat = Seat("d", ("r",))
    later = ScheduledSession("L1", "deep", at(MONDAY, 14), at(MONDAY, 15), ())
    assert free_replacements(later, seat, "z", people, [hosted], RULES) == ("r",)
