"""Staff finding r9 #2: after a decline nobody can take, the team page said "offer the
candidate fresh options or book by hand" and offered neither. Now it has both: a colleague
picked by hand for the same time (the existing replacement booking, every clash rechecked)
and fresh whole-loop times for the candidate, which move the booked loop when picked."""

from __future__ import annotations

import pytest
from django.urls import reverse

from secondround.accounts.models import User
from secondround.bookings.models import Decline, DeclineResolution, LoopOffer, OfferKind
from secondround.bookings.offers import reschedules_used
from secondround.bookings.replacements import NONE, propose
from secondround.bookings.services import decline_interview
from secondround.hiring.models import Interview, Position
from secondround.scheduling.models import BusyBlock
from tests.bookings.test_invitations_and_declines import _assessing_interview, book_ana
from tests.conftest import client_for

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_decline_nobody_can_take_offers_fresh_times_and_booking_by_hand(
    planned: Position,
) -> None:
    ana = book_ana(planned)
    interview = _assessing_interview(ana)
    scheduled = interview.seat_assignment.scheduled_session
    seated = scheduled.assignments.values("interviewer")
    for person in User.objects.exclude(pk__in=seated):  # a packed loop: no other time either
        BusyBlock.objects.create(
            user=person, starts_at=scheduled.starts_at, ends_at=scheduled.ends_at
        )
    decline = decline_interview(actor=interview.interviewer, interview=interview, reason="Ill")
    assert propose(decline).kind == NONE
    client = client_for(planned.hiring_manager)
    page = client.get(reverse("booking-team", args=[ana.pk])).content.decode()
    assert "Offer the candidate fresh options or book by hand." in page
    assert 'name="person"' in page and "Book this colleague" in page
    for person in seated:  # not the decliner, nor anyone already in that session
        assert f'<option value="{person["interviewer"]}"' not in page
    assert "Offer the candidate fresh times" in page

    offered = client.post(reverse("booking-offer", args=[ana.pk]))
    assert offered.status_code == 302
    offer = LoopOffer.objects.get(application=ana, kind=OfferKind.RESCHEDULE)
    assert offer.created_by == planned.hiring_manager
    assert reschedules_used(ana) == 0  # the team's offer spends none of the candidate's moves
    assert (
        "options open until" in client.get(reverse("booking-team", args=[ana.pk])).content.decode()
    )

    colleague = planned.interviewers.exclude(pk__in=seated).first()
    assert colleague is not None
    BusyBlock.objects.filter(user=colleague).delete()
    booked = client.post(
        reverse("booking-replacement", args=[ana.pk, decline.pk]), {"person": colleague.pk}
    )
    assert booked.status_code == 302
    assert Decline.objects.get(pk=decline.pk).resolution == DeclineResolution.REPLACED
    assert Interview.objects.get(pk=interview.pk).interviewer == colleague
