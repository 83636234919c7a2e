"""The booking facts loops declares (`loops/booking_facts.py`), answered from the database."""

from __future__ import annotations

from collections.abc import Iterable

from secondround.loops.booking_facts import BookedLength
from secondround.scheduling.models import ScheduledSession, SessionStatus


class BookingFactsFromDatabase:
    def booked_lengths(self, session_ids: Iterable[int]) -> list[BookedLength]:
        rows = ScheduledSession.objects.filter(
            session_id__in=list(session_ids), status=SessionStatus.BOOKED
        ).values_list("session_id", "application__candidate__full_name", "duration_minutes")
        return [BookedLength(session, name, minutes) for session, name, minutes in rows]
