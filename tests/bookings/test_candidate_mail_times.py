"""The candidate's mails about their booked loop give times in their zone, subject and body
alike (the subject said UTC without saying so)."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import pytest
from django.utils import formats

from secondround.bookings.invites import CandidateNotice, tell_candidate
from secondround.calendars.invitations import Method
from secondround.hiring.models import Position
from secondround.messaging.models import Message, MessageKind
from secondround.scheduling.models import CandidateTimeZone
from tests.bookings.conftest import book_directly, finalist, next_weekday

pytestmark = pytest.mark.django_db

NEW_YORK = ZoneInfo("America/New_York")


@pytest.mark.parametrize("kind", [MessageKind.SCHEDULE_CONFIRMATION, MessageKind.RESCHEDULE])
def test_the_subject_gives_the_first_time_in_the_candidates_zone_and_names_it(
    planned: Position, kind: str
) -> None:
    ana = finalist(planned, "Ana Finalist")
    CandidateTimeZone.objects.create(application=ana, time_zone=NEW_YORK.key)
    sessions = book_directly(ana, next_weekday())
    notice = CandidateNotice(
        kind=kind, actor=planned.hiring_manager, portal_link="https://careers.example/prep/i/x/"
    )
    tell_candidate(sessions, Method.REQUEST, notice)
    message = Message.objects.get(application=ana, kind=kind)
    first = sessions[0].starts_at
    in_new_york = formats.date_format(first.astimezone(NEW_YORK), "DATETIME_FORMAT")
    in_utc = formats.date_format(first.astimezone(ZoneInfo("UTC")), "DATETIME_FORMAT")
    assert f"{in_new_york} (America/New_York)" in message.subject, message.subject
    assert in_utc not in message.subject
    assert f"{first.astimezone(NEW_YORK):%H:%M}" in message.body_text  # the body's schedule
