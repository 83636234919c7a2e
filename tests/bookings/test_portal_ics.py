"""The portal's whole-loop .ics and the booking invitations describe the same events."""

from __future__ import annotations

import icalendar
import pytest
from django.test import Client
from django.urls import reverse

from secondround.bookings import offers
from secondround.bookings.invites import calendar_domain
from secondround.calendars.invitations import session_uid
from secondround.hiring.models import Position
from secondround.prep.services import create_invite_link
from secondround.scheduling.models import ScheduledSession
from tests.bookings.conftest import finalist

pytestmark = pytest.mark.django_db


def test_portal_calendar_uses_the_invitations_uids_and_sequences(planned: Position) -> None:
    ana = finalist(planned, "Ana Finalist")
    offer = offers.offer_times(actor=planned.hiring_manager, application=ana)
    _link, token = create_invite_link(actor=planned.hiring_manager, application=ana)
    picked = Client().post(
        reverse("candidate-pick", args=[token]), {"offer": offer.pk, "option": 0}
    )
    assert picked.status_code == 302
    booked = ScheduledSession.objects.filter(application=ana, status="booked")
    expected = {session_uid(ana.pk, str(s.uid), calendar_domain()): s.sequence for s in booked}
    assert expected

    response = Client().get(reverse("portal-ics", args=[token]))
    assert response.status_code == 200
    events = icalendar.Calendar.from_ical(response.content).walk("VEVENT")
    found = {str(e["UID"]): int(e.get("SEQUENCE", 0)) for e in events}
    assert found == expected
