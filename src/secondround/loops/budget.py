"""Fitting a loop's sessions into the time budget the hiring team gave (pure Python).

Each session has a usual length and a shortest length in which it still does its job. When
the usual lengths overrun the budget, every session that may change gives up the same share
of its spare time (usual minus shortest), in whole five-minute steps rounded down, so the
loop never exceeds the budget. Sessions that may not change (interviews already held in
them) keep their length. When even the shortest lengths overrun, nothing is cut (cuts that
cannot reach the budget only cost the candidate time) and the result says what the
shortest loop would take.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

STEP_MINUTES = 5


@dataclass(frozen=True)
class Timing:
    """One session's lengths: usual, shortest, and whether it must keep its usual length."""

    title: str
    usual: int
    shortest: int
    fixed: bool = False


@dataclass(frozen=True)
class Fit:
    durations: tuple[int, ...]
    total: int
    shortest_total: int
    fits: bool


def fit_to_budget(timings: Sequence[Timing], budget: int) -> Fit:
    """Lengths for the sessions, in order, that fit ``budget`` minutes when they can."""
    fixed = sum(t.usual for t in timings if t.fixed)
    flexible = [t for t in timings if not t.fixed]
    usual = sum(t.usual for t in flexible)
    shortest = sum(min(t.shortest, t.usual) for t in flexible)
    room = budget - fixed
    # Cutting sessions that still cannot fit would cost the candidate time for nothing:
    # when even the shortest lengths overrun, sessions keep their usual length.
    share = 1.0 if usual <= room or shortest > room else (room - shortest) / (usual - shortest)
    durations = tuple(t.usual if t.fixed else _shrunk(t, share) for t in timings)
    total = sum(durations)
    return Fit(durations, total, shortest_total=fixed + shortest, fits=total <= budget)


def _shrunk(timing: Timing, share: float) -> int:
    floor = min(timing.shortest, timing.usual)
    spare = timing.usual - floor
    kept = int(spare * share) // STEP_MINUTES * STEP_MINUTES if share < 1 else spare
    return floor + kept
