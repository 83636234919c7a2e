"""Staff finding: the fresh times the team offers after a decline seated the colleague who
declined again (options sat each seat's own interviewer). A colleague who declined a session
of a finalist's loop is left out of that session's seat in every option offered to that
finalist; a qualified colleague takes it, or no option is offered."""

from __future__ import annotations

import pytest
from django.urls import reverse

from secondround.bookings import offers
from secondround.bookings.models import LoopOffer, OfferKind
from secondround.bookings.replacements import REPLACE, propose
from secondround.bookings.services import book_replacement, decline_interview
from secondround.hiring.models import Application, Interview, Position
from secondround.scheduling.models import SeatAssignment
from tests.bookings.test_invitations_and_declines import _assessing_interview, book_ana
from tests.conftest import client_for

pytestmark = pytest.mark.django_db(transaction=True)


def sitting(offer: LoopOffer, seat_pk: int) -> set[int]:
    """Who sits this seat in any of the offer's options."""
    return {
        int(placement["people"][str(seat_pk)])
        for option in offer.options
        for placement in option
        if str(seat_pk) in placement["people"]
    }


def declined(planned: Position) -> tuple[Application, Interview, int]:
    ana = book_ana(planned)
    interview = _assessing_interview(ana)
    seat_pk = interview.seat_assignment.seat_id
    decline_interview(actor=interview.interviewer, interview=interview, reason="On leave")
    return ana, interview, seat_pk


def test_the_teams_fresh_times_leave_out_the_colleague_who_declined(planned: Position) -> None:
    ana, interview, seat_pk = declined(planned)
    page = client_for(planned.hiring_manager).post(reverse("booking-offer", args=[ana.pk]))
    assert page.status_code == 302
    offer = LoopOffer.objects.get(application=ana, kind=OfferKind.RESCHEDULE)
    assert offer.options
    people = sitting(offer, seat_pk)
    assert people and interview.interviewer_id not in people


def test_the_candidates_own_reschedule_leaves_them_out_too(planned: Position) -> None:
    ana, interview, seat_pk = declined(planned)
    offer = offers.request_reschedule(application=ana)
    assert interview.interviewer_id not in sitting(offer, seat_pk)


def test_after_a_replacement_a_move_keeps_the_replacement_not_the_decliner(
    planned: Position,
) -> None:
    """The decline is resolved (a colleague took the seat); the candidate then moves their
    loop: the seat goes to the colleague, not back to the one who declined."""
    ana, interview, seat_pk = declined(planned)
    decline = interview.declines.get()
    proposal = propose(decline)
    assert proposal.kind == REPLACE
    colleague = proposal.people[0]
    scheduled = book_replacement(actor=planned.hiring_manager, decline=decline, person=colleague)
    seat = SeatAssignment.objects.get(seat_id=seat_pk, scheduled_session=scheduled)
    assert seat.interviewer == colleague
    offer = offers.request_reschedule(application=ana)
    people = sitting(offer, seat_pk)
    assert people and interview.interviewer_id not in people


def test_once_fresh_times_are_picked_a_later_move_still_leaves_them_out(
    planned: Position,
) -> None:
    """Picking the fresh times cancels the old loop (its interviews and their decline go with
    it); the colleague who took the seat now stands in, so the next move seats them again."""
    ana, interview, seat_pk = declined(planned)
    team_offer = offers.offer_times(
        actor=planned.hiring_manager, application=ana, kind=OfferKind.RESCHEDULE
    )
    picked = offers.pick_option(
        application=ana, offer_id=team_offer.pk, index=0, actor=planned.hiring_manager
    )
    assert picked.booked and not picked.taken
    offer = offers.request_reschedule(application=ana)
    people = sitting(offer, seat_pk)
    assert people and interview.interviewer_id not in people
