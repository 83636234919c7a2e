"""What loops needs to know about booked loops, declared here and answered from above.

Scheduling sits above loops (a booked session points at a loop session), yet re-planning
must not change the length of a session a finalist is already booked for: the invitations
the candidate and the interviewers were sent give its times. Loops does not import
scheduling; it declares the fact it needs (:class:`BookingFacts`) and the scheduling app
answers it (`scheduling/facts.py`, plugged in by its ``AppConfig.ready``), like
`scorecard_facts.py`. Without the scheduling app nothing is booked.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class BookedLength:
    """One finalist's booked session of a loop session, at the length they were sent."""

    session_id: int
    candidate: str
    minutes: int


class BookingFacts(Protocol):
    def booked_lengths(self, session_ids: Iterable[int]) -> list[BookedLength]:
        """Every booked (not cancelled) session of these loop sessions."""
        ...


class NothingBooked:
    def booked_lengths(self, session_ids: Iterable[int]) -> list[BookedLength]:
        return []


_facts: BookingFacts = NothingBooked()


def provide(facts: BookingFacts) -> None:
    """Plug in the scheduling app's answers (called once, from its ``AppConfig.ready``)."""
    global _facts
    _facts = facts


def booking_facts() -> BookingFacts:
    return _facts
