"""Invitations through a real SMTP server, parsed back; a decline replaced or moved and booked."""

from __future__ import annotations

from datetime import datetime, timedelta
from email.message import Message

import icalendar
import pytest
from django.core.management import call_command
from django.urls import reverse

from secondround.accounts.models import User
from secondround.bookings import offers
from secondround.bookings.models import Decline, DeclineResolution
from secondround.bookings.replacements import MOVE, REPLACE, propose
from secondround.bookings.services import book_replacement, decline_interview
from secondround.hiring.models import Application, Interview, Position
from secondround.messaging.models import Message as OutboxMessage
from secondround.scheduling.models import BusyBlock, ScheduledSession
from tests.bookings.conftest import finalist, next_weekday
from tests.conftest import Inbox, client_for

pytestmark = pytest.mark.django_db(transaction=True)


def ics_parts(message: Message) -> list[icalendar.Calendar]:
    return [
        icalendar.Calendar.from_ical(part.get_payload(decode=True))
        for part in message.walk()
        if part.get_content_type() == "text/calendar"
    ]


def events_for(inbox: Inbox, email: str) -> list[icalendar.cal.Component]:
    found = []
    for message in inbox.messages:
        if message["To"] == email:
            for calendar in ics_parts(message):
                found += [(calendar["METHOD"], e) for e in calendar.walk("VEVENT")]
    return found


def book_ana(position: Position, *, gap_after: int = 0) -> Application:
    """Ana's loop booked from her first option; `gap_after` minutes of room before the
    sessions after the first assessing one (a packed loop leaves no other time for it)."""
    ana = finalist(position, "Ana Finalist")
    # Offered as of a fixed early morning, so the first option starts at the day's start and
    # a loop moved `gap_after` later still ends inside working hours, whatever today is.
    now = next_weekday(days_ahead=7, hour=6)
    offer = offers.offer_times(actor=position.hiring_manager, application=ana, now=now)
    if gap_after:
        option = offer.options[0]
        first = next(i for i, p in enumerate(option) if p["people"] and i > 0)
        for later in option[first + 1 :]:
            for key in ("start", "end"):
                moment = datetime.fromisoformat(later[key]) + timedelta(minutes=gap_after)
                later[key] = moment.isoformat()
        offer.save(update_fields=["options"])
    link = "https://careers.example/prep/i/prep_abc/"
    picked = offers.pick_option(
        application=ana, offer_id=offer.pk, index=0, portal_link=link, now=now
    )
    assert picked.booked
    return ana


def deliver() -> None:
    call_command("db_worker", batch=True, verbosity=0)


def test_booking_mails_everyone_a_valid_ics_per_session(smtp: Inbox, planned: Position) -> None:
    ana = book_ana(planned)
    assert smtp.messages == []  # queued for the worker, not sent inline
    deliver()
    booked = list(ScheduledSession.objects.filter(application=ana).order_by("starts_at"))
    candidate = events_for(smtp, ana.candidate.email)
    assert len(candidate) == len(booked)
    told = [m for m in smtp.messages if m["To"] == ana.candidate.email]
    assert len(told) == 1 and "is confirmed" in str(told[0]["Subject"])
    assert OutboxMessage.objects.get(candidate=ana.candidate).state == "sent"  # through the outbox
    for method, event in candidate:
        assert method == "REQUEST" and event["SEQUENCE"] == 0
        assert str(event["ORGANIZER"]) == f"mailto:{planned.recruiters.first().email}"
        assert event.get("LOCATION") or event.get("URL")
    uids = {str(e["UID"]) for _m, e in candidate}
    assert uids == {f"loop-{ana.pk}-session-{s.uid}@localhost" for s in booked}
    person = next(s for s in booked[1:] if s.assignments.exists()).assignments.first().interviewer
    theirs = events_for(smtp, person.email)
    assert theirs and {str(e["UID"]) for _m, e in theirs} <= uids
    calendar = ics_parts(next(m for m in smtp.messages if m["To"] == person.email))[0]
    assert calendar.walk("VTIMEZONE") and calendar["METHOD"] == "REQUEST"
    attendees = {str(a) for a in theirs[0][1].get("ATTENDEE")}
    assert f"mailto:{person.email}" in attendees and f"mailto:{ana.candidate.email}" in attendees


def _assessing_interview(ana: Application) -> Interview:
    return (
        Interview.objects.filter(application=ana)
        .exclude(seat_assignment__seat__session__competency_kinds=[])
        .select_related("interviewer", "seat_assignment__scheduled_session")
        .first()
    )


def test_decline_then_replacement_sends_update_and_cancel(smtp: Inbox, planned: Position) -> None:
    ana = book_ana(planned)
    deliver()
    smtp.messages.clear()
    interview = _assessing_interview(ana)
    leaving = interview.interviewer
    scheduled = interview.seat_assignment.scheduled_session
    uid = f"loop-{ana.pk}-session-{scheduled.uid}@localhost"
    page = client_for(leaving).post(
        reverse("interview-decline", args=[interview.pk]), {"reason": "On leave that day"}
    )
    assert page.status_code == 302
    decline = Decline.objects.get()
    proposal = propose(decline)
    assert proposal.kind == REPLACE and leaving not in proposal.people
    newcomer = proposal.people[0]
    team_page = client_for(planned.hiring_manager).get(reverse("booking-team", args=[ana.pk]))
    assert newcomer.full_name in team_page.content.decode()
    booked = client_for(planned.hiring_manager).post(
        reverse("booking-replacement", args=[ana.pk, decline.pk]), {"person": newcomer.pk}
    )
    assert booked.status_code == 302
    decline.refresh_from_db()
    assert decline.resolution == DeclineResolution.REPLACED
    scheduled.refresh_from_db()
    assert scheduled.sequence == 1
    assert Interview.objects.get(pk=interview.pk).interviewer == newcomer
    deliver()
    cancel = events_for(smtp, leaving.email)
    assert [(m, str(e["UID"]), e["SEQUENCE"]) for m, e in cancel] == [("CANCEL", uid, 1)]
    update = events_for(smtp, newcomer.email)
    assert [(m, str(e["UID"]), e["SEQUENCE"]) for m, e in update] == [("REQUEST", uid, 1)]
    # Same time, another colleague: nothing for the candidate to act on.
    assert events_for(smtp, ana.candidate.email) == []
    # The team mail about the decline went out too.
    assert any("declined" in str(m["Subject"]) for m in smtp.messages)


def test_nobody_free_at_that_time_moves_the_session_between_its_neighbours(
    smtp: Inbox,
    planned: Position,
) -> None:
    ana = book_ana(planned, gap_after=60)
    deliver()  # the booking's own mails, out of the way
    interview = _assessing_interview(ana)
    scheduled = interview.seat_assignment.scheduled_session
    for person in User.objects.exclude(pk=interview.interviewer_id):
        BusyBlock.objects.create(
            user=person, starts_at=scheduled.starts_at, ends_at=scheduled.ends_at
        )
    decline = decline_interview(actor=interview.interviewer, interview=interview, reason="Clash")
    proposal = propose(decline)
    assert proposal.kind == MOVE and proposal.starts_at != scheduled.starts_at
    before = ScheduledSession.objects.filter(application=ana).exclude(pk=scheduled.pk)
    neighbours = {s.pk: s.starts_at for s in before}
    book_replacement(
        actor=planned.hiring_manager,
        decline=decline,
        person=proposal.person,
        starts_at=proposal.starts_at,
    )
    scheduled.refresh_from_db()
    assert scheduled.starts_at == proposal.starts_at and scheduled.sequence >= 1
    assert {s.pk: s.starts_at for s in before.all()} == neighbours  # the rest stays
    assert Decline.objects.get().resolution == DeclineResolution.MOVED
    smtp.messages.clear()
    deliver()
    told = [m for m in smtp.messages if m["To"] == ana.candidate.email]
    assert len(told) == 1 and "New time" in str(told[0]["Subject"])
    [(method, event)] = events_for(smtp, ana.candidate.email)
    assert method == "REQUEST" and event["SEQUENCE"] == scheduled.sequence
    assert event.decoded("DTSTART") == proposal.starts_at
