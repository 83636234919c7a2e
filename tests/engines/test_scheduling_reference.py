"""The loop scheduler on tiny instances whose optimum is known by hand.

Each test states the optimum and why; the engine must reach it and prove it (every stage
optimal), and its output must pass the independent rule checker of test_scheduling.
"""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from secondround.engines.scheduling import (
    Interval,
    Loop,
    Person,
    Rules,
    Seat,
    Session,
    Stage,
    loop_options_explained,
    schedule,
)

from .test_scheduling import MONDAY, RULES, at, check, person, standard_loop, week

BERLIN = ZoneInfo("Europe/Berlin")


def talk(lid: str, pool: str, minutes: int = 30, free: tuple[Interval, ...] | None = None) -> Loop:
    """A loop of one session with one seat that anyone in `pool` may take."""
    return Loop(
        lid,
        f"Candidate {lid}",
        week() if free is None else free,
        (Session("s", "Talk", minutes, (Seat("s", tuple(pool)),)),),
    )


def stage(result_stages: tuple[Stage, ...], name: str) -> Stage:
    return next(s for s in result_stages if s.name == name)


def test_six_talks_for_three_people_give_two_each_and_the_proof() -> None:
    # 6 seats, 3 qualified people: the highest load is at least 6 / 3 = 2, and 2 each is
    # possible, so the optimum is 2 with a spread of 0. A coordinator's first fit gives the
    # first person as many as the caps allow.
    people = [person(p) for p in "abc"]
    loops = [talk(f"L{n}", "abc") for n in range(6)]
    result = schedule(loops, people, rules=RULES)
    check(result, loops, people)
    assert sorted(result.load.values()) == [2, 2, 2]
    assert result.proven_optimal and result.gap == 0
    assert stage(result.stages, "max load").value == stage(result.stages, "max load").bound == 2
    assert stage(result.stages, "load spread").value == 0


def test_a_pool_that_must_carry_more_sets_the_highest_load() -> None:
    # Welcomes only a and b may give (4 seats: at least 2 each); values anyone of a–f may
    # give (4 seats). Optimum: a and b have 2 welcomes and no values; c–f one values each.
    people = [person(p) for p in "abcdef"]
    loops = [
        Loop(
            f"L{n}",
            f"C{n}",
            week(),
            (
                Session("w", "Welcome", 15, (Seat("w", ("a", "b")),)),
                Session("v", "Values", 45, (Seat("v", tuple("abcdef")),)),
            ),
        )
        for n in range(4)
    ]
    result = schedule(loops, people, rules=RULES)
    check(result, loops, people)
    assert result.load["a"] == result.load["b"] == 2
    assert all(result.load[p] == 1 for p in "cdef")
    assert result.proven_optimal


def test_idle_time_is_the_least_the_break_rule_allows() -> None:
    # Four 60-minute sessions, at most 180 minutes without a 30-minute break: one break is
    # needed, so the least idle time is 30 minutes (sessions otherwise back to back).
    people = [person(p) for p in "abcd"]
    loop = Loop(
        "L",
        "Ada",
        week(days=1),
        tuple(
            Session(f"s{k}", f"Part {k}", 60, (Seat(f"s{k}", (p,)),)) for k, p in enumerate("abcd")
        ),
    )
    result = schedule([loop], people, rules=RULES)
    check(result, [loop], people)
    assert result.idle_minutes == 30
    assert stage(result.stages, "idle").optimal


def test_transitions_count_toward_the_continuous_time() -> None:
    # Three 60-minute sessions with 15-minute transitions: 60+15+60+15+60 = 210 > 180, so one
    # gap must be a 30-minute break: the least idle time is 15 + 30 = 45 minutes.
    people = [person(p) for p in "abc"]
    loop = Loop(
        "L",
        "Ada",
        week(days=1),
        tuple(
            Session(f"s{k}", f"Part {k}", 60, (Seat(f"s{k}", (p,)),)) for k, p in enumerate("abc")
        ),
    )
    rules = Rules(time_zone="Europe/Berlin", transition_minutes=15, time_limit_seconds=5)
    result = schedule([loop], people, rules=rules)
    check(result, [loop], people, rules)
    assert result.idle_minutes == 45
    gaps = [
        (b.start - a.end) // timedelta(minutes=1)
        for a, b in zip(result.sessions, result.sessions[1:], strict=False)
    ]
    assert sorted(gaps) == [15, 30]


def test_the_daily_cap_is_named_with_person_rule_and_day() -> None:
    # Solo may give one interview a day; two candidates are free only on Monday: one loop is
    # placed, the other is explained by Solo's daily cap on that Monday.
    people = [person("solo", max_per_day=1)]
    monday_only = (Interval(at(MONDAY, 9), at(MONDAY, 17)),)
    loops = [talk(f"L{n}", ["solo"], free=monday_only) for n in range(2)]
    result = schedule(loops, people, rules=RULES)
    check(result, loops, people)
    assert result.placed == 1
    (reason,) = result.unplaced[0].reasons
    assert "Person solo (1 on Mon 07 Dec, daily cap 1)" in reason
    assert stage(result.stages, "placed").optimal  # 1 of 2 is proven the most possible


def test_a_day_of_23_hours_in_the_organisations_time_zone() -> None:
    # Europe/Berlin skips 02:00–03:00 on Sunday 28 March 2027: 01:00–04:00 local is 2 hours.
    # A 120-minute talk fits exactly (01:00 CET to 04:00 CEST); a 150-minute one does not.
    sunday = date(2027, 3, 28)
    night = (Interval(at(sunday, 1), at(sunday, 4)),)
    people = [person("a", free=night)]
    rules = Rules(time_zone="Europe/Berlin", time_limit_seconds=5)
    fits = schedule([talk("L", "a", minutes=120, free=night)], people, rules=rules)
    (session,) = fits.sessions
    assert session.start == datetime(2027, 3, 28, 1, tzinfo=BERLIN)
    assert session.end.astimezone(BERLIN).hour == 4
    assert session.end.astimezone(UTC) - session.start.astimezone(UTC) == timedelta(hours=2)
    too_long = schedule([talk("L", "a", minutes=150, free=night)], people, rules=rules)
    assert too_long.placed == 0
    assert "no free stretch of 150 minutes" in too_long.unplaced[0].reasons[0]


def test_options_lie_on_different_days_first_and_say_why_there_are_fewer() -> None:
    # Two days free; on each, mornings and afternoons both fit: four half-days. Five asked:
    # four given (the two days first, then the other halves), and the reason for the fifth.
    people = [person(p) for p in "ab"]
    loop = talk("new", "ab", minutes=60, free=week(days=2))
    found = loop_options_explained(loop, people, rules=RULES, count=5)
    halves = [(o.start.date(), o.start.hour < 12) for o in found.options]
    assert len(halves) == len(set(halves)) == 4
    assert [o.start for o in found.options] == sorted(o.start for o in found.options)
    assert "Only 4 half-days" in found.reasons[0]
    two = loop_options_explained(loop, people, rules=RULES, count=2)
    assert len({o.start.date() for o in two.options}) == 2  # different days before half-days


def test_no_options_when_the_week_is_full_names_who_and_when() -> None:
    booked_week = {MONDAY + timedelta(days=n): 2 for n in range(5)}
    people = [
        Person("a", "Ana", week(), max_per_day=2, booked_per_day=booked_week),
        Person("b", "Ben", week(), max_per_day=2, booked_per_day={MONDAY: 2}, max_per_week=2),
    ]
    monday = (Interval(at(MONDAY, 9), at(MONDAY, 17)),)
    found = loop_options_explained(talk("new", "ab", free=monday), people, rules=RULES)
    assert found.options == ()
    (reason,) = found.reasons
    assert "at their interview caps" in reason
    assert "Ana (2 on Mon 07 Dec)" in reason and "Ben (2 on Mon 07 Dec)" in reason
    assert "Ben (2 in the week of 07 Dec, weekly cap)" in reason
    assert "Tue" not in reason  # only the days the candidate is free


def random_week(seed: int, n_loops: int, n_people: int) -> tuple[list[Loop], list[Person]]:
    """Fragmented calendars (meetings of 30–120 minutes) and loops of four sessions."""
    rng = random.Random(seed)
    people = []
    for i in range(n_people):
        free = []
        for n in range(5):
            day, cursor = MONDAY + timedelta(days=n), 9 * 60
            while cursor < 17 * 60:
                length = rng.choice([30, 60, 90, 120])
                end = min(17 * 60, cursor + length)
                if rng.random() > 0.4:  # free; joined to the free time just before
                    start = at(day, cursor // 60, cursor % 60)
                    if free and free[-1].end == start:
                        start = free.pop().start
                    free.append(Interval(start, at(day, end // 60, end % 60)))
                cursor = end
        people.append(Person(f"p{i}", f"Person {i}", tuple(free)))
    ids = [p.id for p in people]
    loops = []
    for n in range(n_loops):
        days = sorted(rng.sample(range(5), 3))
        free = tuple(
            Interval(at(MONDAY + timedelta(days=d), 9), at(MONDAY + timedelta(days=d), 17))
            for d in days
        )
        sessions = (
            Session("w", "Welcome", 15, (Seat("w", tuple(ids[:4])),)),
            Session(
                "d",
                "Deep dive",
                60,
                (Seat("d1", tuple(rng.sample(ids, 6))), Seat("d2", tuple(rng.sample(ids, 6)))),
            ),
            Session("v", "Values", 45, (Seat("v", tuple(rng.sample(ids, 6))),)),
            Session("x", "Wrap-up", 15, (Seat("x", tuple(ids[4:8])),)),
        )
        loops.append(Loop(f"L{n}", f"Candidate {n}", free, sessions))
    return loops, people


def test_a_random_week_keeps_every_rule_and_reaches_the_proven_bounds() -> None:
    # The first fit, ruin and recreate and seat hand-overs all write the schedule: the
    # checker must find no broken rule. 12 welcomes for 4 people: the highest load is ≥ 3.
    loops, people = random_week(seed=5, n_loops=12, n_people=16)
    result = schedule(loops, people, rules=RULES)
    check(result, loops, people)
    assert result.placed == 12
    assert stage(result.stages, "max load").bound >= 3
    assert stage(result.stages, "placed").optimal and stage(result.stages, "idle").optimal
    for s in result.stages:
        assert s.bound <= s.value if s.name != "placed" else s.bound >= s.value
        assert s.optimal == (s.value == s.bound)


def test_options_beside_a_booked_week_keep_every_rule() -> None:
    loops, people = random_week(seed=9, n_loops=10, n_people=16)
    booked = schedule(loops, people, rules=RULES)
    extra = replace(loops[0], id="extra", free=week())
    found = loop_options_explained(extra, people, rules=RULES, booked=booked.sessions)
    assert found.options
    for option in found.options:
        combined = replace(booked, sessions=booked.sessions + option.sessions)
        check(combined, [*loops, extra], people)


def test_the_spread_is_proven_by_the_smallest_pool() -> None:
    # Five loops: welcome and wrap-up by a or b (10 seats: 5 each, the highest load); values
    # by g or h (5 seats: one of them has at most 2). So the spread is at least 5 − 2 = 3,
    # which the schedule reaches: proven without the solver.
    people = [person(p) for p in "abcdefgh"]
    loops = [standard_loop(f"L{n}") for n in range(5)]
    result = schedule(loops, people, rules=RULES)
    check(result, loops, people)
    spread = stage(result.stages, "load spread")
    assert (spread.value, spread.bound, spread.optimal) == (3, 3, True)
    assert result.proven_optimal


def test_the_weekly_cap_is_named_with_person_rule_and_week() -> None:
    people = [person("solo", max_per_week=1)]
    loops = [talk(f"L{n}", ["solo"]) for n in range(2)]
    result = schedule(loops, people, rules=RULES)
    check(result, loops, people)
    assert result.placed == 1
    (reason,) = result.unplaced[0].reasons
    assert "Person solo (1 in the week of 07 Dec, weekly cap 1)" in reason


def test_options_stop_widening_at_the_budget_and_say_so() -> None:
    # Four half-days fit and five are asked, so the search would try every looser gap
    # pattern on every day for the fifth; with no start slots left after the first option
    # found, it keeps what it has and says why the list is short.
    people = [person(p) for p in "ab"]
    loop = talk("new", "ab", minutes=60, free=week(days=2))
    found = loop_options_explained(loop, people, rules=RULES, count=5, budget=0)
    (first,) = found.options  # the first placement found, the earliest compact one
    assert (
        "1 half-day found; the search stopped before trying every looser gap" in (found.reasons[0])
    )
    unhurried = loop_options_explained(loop, people, rules=RULES, count=5)
    assert first == unhurried.options[0] and len(unhurried.options) == 4
    assert "Only 4 half-days" in unhurried.reasons[0]
