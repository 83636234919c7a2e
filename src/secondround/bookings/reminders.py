"""The candidate's reminder the day before their loop (messaging's "reminder" kind)."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db.models import Min
from django.utils import timezone

from secondround.bookings.invites import CandidateNotice, tell_candidate
from secondround.calendars.invitations import Method
from secondround.hiring.models import Application
from secondround.messaging.models import Message, MessageKind
from secondround.scheduling.models import ScheduledSession, SessionStatus
from secondround.scheduling.selectors import policy


def remind_candidates_of_tomorrow(*, now: datetime | None = None) -> int:
    """Tell each candidate whose loop starts tomorrow (the organisation's day) once more when
    and where, with the calendar files and a fresh link to their page; returns how many."""
    now = now or timezone.now()
    zone = ZoneInfo(policy().time_zone)
    today = datetime.combine(now.astimezone(zone).date(), time.min, zone)
    start = datetime.combine(today.date() + timedelta(days=1), time.min, zone)
    booked = ScheduledSession.objects.filter(status=SessionStatus.BOOKED)
    starting_tomorrow = (
        booked.values("application")
        .annotate(first=Min("starts_at"))
        .filter(first__gte=start, first__lt=start + timedelta(days=1))
        .values_list("application", flat=True)
    )
    sent = 0
    for application in Application.objects.filter(pk__in=list(starting_tomorrow)).select_related(
        "candidate", "position__hiring_manager"
    ):
        # The remind loop runs all day (every quarter hour): one reminder per organisation
        # day, however long that day is (a fixed window sent twice across a late evening).
        if Message.objects.filter(
            application=application, kind=MessageKind.REMINDER, created_at__gte=today
        ).exists():
            continue
        sessions = list(
            booked.filter(application=application).select_related("session", "room", "application")
        )
        # Sent on the team's behalf: the recruiter (else the hiring manager) is who replies.
        position = application.position
        host = position.recruiters.order_by("pk").first() or position.hiring_manager
        sent += tell_candidate(
            sessions, Method.REQUEST, CandidateNotice(kind=MessageKind.REMINDER, actor=host)
        )
    return sent
