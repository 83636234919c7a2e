"""Benchmark: scheduling a week of second-round loops, against a coordinator's greedy first fit.

One week (Mon–Fri, 9:00–17:00 Europe/Berlin; a tenth of the candidates in London), realistic
calendars (each interviewer 30–60 % busy with meetings of 30–120 minutes), loops of six
sessions (welcome, two-person deep dive, scenario, cross-department, values, wrap-up) whose
seats each have a pool of qualified people, caps of 2 interviews a day and 6 a week,
10-minute buffers. Each candidate is free on three of the five days.

The greedy baseline is what a coordinator does by hand: candidate by candidate, the earliest
day and time that works with the sessions back to back (a break where the break rule needs
one), and for each seat the first qualified person who is free and under their caps.

Instances are seeded (``--seed``) and reproducible. Times are wall-clock on a shared machine;
the CPU column (process CPU seconds, all solver threads) is the steadier figure. The stage
column gives each objective as value/proven bound ("=" when proven optimal).

    uv run python benchmarks/scheduling.py            # 50 × 80 (10 s) and 200 × 300 (60 s)
    uv run python benchmarks/scheduling.py --quick    # 50 × 80 only

Targets (issue "Schedule the loop"): all 50 placed, proven optimal or within 1 % in 10 s,
fairer load than greedy; 200 × 300 a good schedule within 60 s; 5 options for one candidate
in under 2 s.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from secondround.engines.scheduling import (
    Interval,
    Loop,
    Person,
    Rules,
    Schedule,
    Seat,
    Session,
    loop_options_explained,
    schedule,
)

BERLIN, LONDON = ZoneInfo("Europe/Berlin"), ZoneInfo("Europe/London")
MONDAY = date(2027, 3, 22)  # the week before the change to summer time; any week will do
DAYS = [MONDAY + timedelta(days=n) for n in range(5)]
SESSIONS = [  # title, minutes, seats, pool
    ("Welcome", 15, 1, "coordinators"),
    ("Deep dive", 60, 2, "engineers"),
    ("Scenario", 60, 1, "seniors"),
    ("Cross-department", 45, 1, "others"),
    ("Values", 45, 1, "everyone"),
    ("Wrap-up", 15, 1, "managers"),
]


def _at(day: date, hour: float, zone: ZoneInfo = BERLIN) -> datetime:
    return datetime(day.year, day.month, day.day, int(hour), int(hour % 1 * 60), tzinfo=zone)


def calendar(rng: random.Random) -> tuple[Interval, ...]:
    """Working hours minus meetings filling 30–60 % of the week."""
    free = []
    busy_share = rng.uniform(0.3, 0.6)
    for day in DAYS:
        cursor, blocks = 9.0, []
        while cursor < 17:
            length = rng.choice([0.5, 0.5, 1.0, 1.0, 1.5, 2.0])
            if rng.random() < busy_share:
                blocks.append((cursor, min(17.0, cursor + length)))
            cursor += length
        cursor = 9.0
        for start, end in blocks:
            if start > cursor:
                free.append(Interval(_at(day, cursor), _at(day, start)))
            cursor = end
        if cursor < 17:
            free.append(Interval(_at(day, cursor), _at(day, 17)))
    return tuple(free)


def instance(n_loops: int, n_people: int, seed: int) -> tuple[list[Loop], list[Person]]:
    rng = random.Random(seed)
    people = [
        Person(id=f"p{i}", name=f"Interviewer {i}", free=calendar(rng)) for i in range(n_people)
    ]
    ids = [p.id for p in people]
    share = max(1, n_people // 8)
    pools = {
        "coordinators": ids[: share + 2],
        "managers": ids[share + 2 : 2 * share + 4],
        "engineers": ids[2 * share : 5 * share],
        "seniors": ids[4 * share : 6 * share],
        "others": ids[6 * share :],
        "everyone": ids,
    }
    loops = []
    for n in range(n_loops):
        zone = LONDON if n % 10 == 0 else BERLIN
        free = tuple(
            Interval(_at(d, 9, zone), _at(d, 17, zone)) for d in sorted(rng.sample(DAYS, 3))
        )
        sessions = tuple(
            Session(
                id=f"s{k}",
                title=title,
                minutes=minutes,
                seats=tuple(
                    Seat(f"s{k}-{j}", tuple(rng.sample(pools[pool], min(len(pools[pool]), 12))))
                    for j in range(seats)
                ),
            )
            for k, (title, minutes, seats, pool) in enumerate(SESSIONS)
        )
        loops.append(Loop(f"L{n}", f"Candidate {n}", free, sessions))
    return loops, people


# --- the coordinator's greedy first fit ---------------------------------------------------------


@dataclass
class Greedy:
    placed: int
    load: dict[str, int]
    idle_minutes: int
    seconds: float


def greedy(loops: list[Loop], people: list[Person], rules: Rules) -> Greedy:
    started = time.perf_counter()
    by_id = {p.id: p for p in people}
    taken: dict[str, list[tuple[datetime, datetime]]] = defaultdict(list)
    per_day: dict[tuple[str, date], int] = defaultdict(int)
    per_week: dict[str, int] = defaultdict(int)
    buffer = timedelta(minutes=rules.buffer_minutes)
    placed, idle = 0, 0

    def free(pid: str, start: datetime, end: datetime) -> bool:
        person = by_id[pid]
        day = start.astimezone(BERLIN).date()
        return (
            any(i.start <= start and end <= i.end for i in person.free)
            and not any(s < end + buffer and start < e + buffer for s, e in taken[pid])
            and per_day[(pid, day)] < person.max_per_day
            and per_week[pid] < person.max_per_week
        )

    for loop in loops:
        done = False
        for window in loop.free:
            start = window.start
            while not done and start < window.end:
                cursor, run = start, 0
                picks: list[tuple[datetime, datetime, list[str]]] = []
                for session in loop.sessions:
                    if run and run + session.minutes > rules.max_continuous_minutes:
                        cursor += timedelta(minutes=rules.break_minutes)  # the break rule
                        run = 0
                    run += session.minutes
                    end = cursor + timedelta(minutes=session.minutes)
                    if end > window.end:
                        break
                    chosen: list[str] = []
                    for seat in session.seats:
                        # Nobody already picked for this loop: their caps must count those picks.
                        busy_here = chosen + [p for _s, _e, ps in picks for p in ps]
                        who = next(
                            (
                                p
                                for p in seat.eligible
                                if p not in busy_here and free(p, cursor, end)
                            ),
                            None,
                        )
                        if who is None:
                            break
                        chosen.append(who)
                    if len(chosen) < len(session.seats):
                        break
                    picks.append((cursor, end, chosen))
                    cursor = end
                if len(picks) == len(loop.sessions):
                    idle += (picks[-1][1] - picks[0][0]).seconds // 60 - sum(
                        s.minutes for s in loop.sessions
                    )
                    for s, e, chosen in picks:
                        for who in chosen:
                            taken[who].append((s, e))
                            per_day[(who, s.astimezone(BERLIN).date())] += 1
                            per_week[who] += 1
                    placed += 1
                    done = True
                start += timedelta(minutes=rules.slot_minutes)
            if done:
                break
    load = {pid: per_week[pid] for seat_people in _pools(loops) for pid in seat_people}
    return Greedy(placed, load, idle, time.perf_counter() - started)


def _pools(loops: list[Loop]) -> list[set[str]]:
    return [set(seat.eligible) for loop in loops for s in loop.sessions for seat in s.seats]


def _load_figures(load: dict[str, int], loops: list[Loop]) -> tuple[int, int, float]:
    eligible = set().union(*_pools(loops))
    values = [load.get(pid, 0) for pid in eligible]
    return max(values), min(values), statistics.pstdev(values)


def _stages(solved: Schedule) -> str:
    """Each objective as value/bound, "=" when proven optimal (idle in minutes)."""
    short = {"placed": "placed", "max load": "max", "load spread": "spread", "idle": "idle"}
    parts = []
    for stage in solved.stages:
        name = short.get(stage.name, "days")
        value, bound = stage.value, stage.bound
        if stage.name == "idle":
            value, bound = value * 15, bound * 15
        parts.append(f"{name} {value}=" if stage.optimal else f"{name} {value}≥{bound}")
    return ", ".join(parts)


def run(n_loops: int, n_people: int, seconds: float, seed: int) -> list[str]:
    loops, people = instance(n_loops, n_people, seed)
    rules = Rules(time_zone="Europe/Berlin", time_limit_seconds=seconds)
    cpu = time.process_time()
    solved: Schedule = schedule(loops, people, rules=rules)
    cpu = time.process_time() - cpu
    base = greedy(loops, people, rules)
    s_max, s_min, s_sd = _load_figures(dict(solved.load), loops)
    g_max, g_min, g_sd = _load_figures(base.load, loops)
    status = "all proven optimal" if solved.proven_optimal else f"largest gap {solved.gap:.0%}"
    rows = [
        f"| {n_loops} × {n_people}, engine ({seconds:.0f} s limit) | {solved.placed}/{n_loops} | "
        f"{solved.seconds_to_first:.2f} | {solved.seconds:.1f} | {cpu:.1f} | {s_max} | {s_min} | "
        f"{s_sd:.2f} | {solved.idle_minutes} | {_stages(solved)} ({status}) |",
        f"| {n_loops} × {n_people}, greedy first fit | {base.placed}/{n_loops} | — | "
        f"{base.seconds:.2f} | | {g_max} | {g_min} | {g_sd:.2f} | {base.idle_minutes} | |",
    ]
    if n_loops <= 50:
        rows += _options_rows(loops, people, solved)
    return rows


def _options_rows(loops: list[Loop], people: list[Person], solved: Schedule) -> list[str]:
    """Options for one more candidate beside the booked week: free all week, free on three
    days like the others, and free all week when everyone is at their weekly cap."""
    whole_week = tuple(Interval(_at(d, 9), _at(d, 17)) for d in DAYS)
    flexible = Loop("extra", "One more candidate", whole_week, loops[1].sessions)
    three_days = Loop("extra", "One more candidate", loops[1].free, loops[1].sessions)
    full = [Person(p.id, p.name, p.free, max_per_week=solved.load.get(p.id, 0)) for p in people]
    rules = Rules(time_zone="Europe/Berlin", time_limit_seconds=2)
    rows = []
    for label, loop, who in (
        ("free all week", flexible, people),
        ("free 3 days", three_days, people),
        ("the week full (weekly caps reached)", flexible, full),
    ):
        started, cpu = time.perf_counter(), time.process_time()
        found = loop_options_explained(loop, who, rules=rules, booked=solved.sessions)
        wall, cpu = time.perf_counter() - started, time.process_time() - cpu
        days = len({o.start.date() for o in found.options})
        why = found.reasons[0] if found.reasons else f"on {days} different days"
        if len(why) > 160:
            why = why[:157] + "…"
        rows.append(
            f"| 5 options for one more candidate, {label}, beside the {len(loops)} booked | "
            f"{len(found.options)} options | — | {wall:.2f} | {cpu:.2f} | | | | | {why} |"
        )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="only the 50 × 80 week")
    parser.add_argument("--seed", type=int, default=2027)
    args = parser.parse_args()
    print(
        "| instance | loops placed | s to first | s total | CPU s | max load | min load | load sd "
        "| idle min | stages: value=optimal, value≥bound |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---|")
    runs = [(50, 80, 10.0)] + ([] if args.quick else [(200, 300, 60.0)])
    for n_loops, n_people, seconds in runs:
        for row in run(n_loops, n_people, seconds, args.seed):
            print(row, flush=True)


if __name__ == "__main__":
    main()
