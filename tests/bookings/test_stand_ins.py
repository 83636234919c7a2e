"""Issue 12: a replacement booked after a decline gets the kit and the scorecard for that
finalist; the seat's own interviewer no longer owes it nor reads others' ratings through it."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from secondround.accounts.models import User
from secondround.bookings.models import Decline
from secondround.bookings.replacements import REPLACE, propose
from secondround.bookings.services import book_replacement
from secondround.hiring.models import Application, Interview, Position
from secondround.loops.models import Seat
from secondround.loops.selectors import assessing_holders, kit, my_kit_rows
from secondround.scheduling.selectors import eligible_for_seat
from secondround.scheduling.services import replace_interviewer
from secondround.scorecards.models import Scorecard
from secondround.scorecards.selectors import can_see_round_two_ratings
from secondround.scorecards.services import open_round_two_scorecard
from tests.bookings.conftest import finalist, first_assessing_seat
from tests.bookings.test_invitations_and_declines import book_ana

pytestmark = pytest.mark.django_db


def _replace_in_first_assessing_seat(ana: Application) -> tuple[Seat, User, User]:
    interview = (
        Interview.objects.filter(application=ana)
        .exclude(seat_assignment__seat__session__competency_kinds=[])
        .select_related("interviewer", "seat_assignment__seat")
        .first()
    )
    assert interview is not None
    leaving = interview.interviewer
    decline = Decline.objects.create(interview=interview, reason="Ill", declined_by=leaving)
    proposal = propose(decline)
    assert proposal.kind == REPLACE
    newcomer = proposal.people[0]
    book_replacement(actor=ana.position.hiring_manager, decline=decline, person=newcomer)
    return interview.seat_assignment.seat, leaving, newcomer


def _seats_for(user: User) -> dict[int, list[str]]:
    return {seat.pk: [a.candidate.full_name for a in apps] for seat, apps in my_kit_rows(user)}


def test_the_kit_and_scorecard_follow_the_replacement_for_that_finalist_only(
    planned: Position,
) -> None:
    ana, ben = book_ana(planned), finalist(planned, "Ben Finalist")
    seat, leaving, newcomer = _replace_in_first_assessing_seat(ana)

    assert _seats_for(newcomer)[seat.pk] == ["Ana Finalist"]
    assert kit(newcomer, seat.pk, ana.pk).writes_scorecard
    assert _seats_for(leaving)[seat.pk] == ["Ben Finalist"]
    with pytest.raises(Seat.DoesNotExist):
        kit(leaving, seat.pk, ana.pk)
    assert kit(leaving, seat.pk, ben.pk).writes_scorecard

    card = open_round_two_scorecard(actor=newcomer, seat=seat, application=ana)
    assert card.interviewer == newcomer and card.session == seat.session
    with pytest.raises(PermissionDenied):
        open_round_two_scorecard(actor=leaving, seat=seat, application=ana)

    # Who owes Ana's scorecards (reminders, the debrief's "still to submit").
    assert newcomer.pk in assessing_holders(ana) and leaving.pk not in assessing_holders(ana)
    assert leaving.pk in assessing_holders(ben)


def test_independence_holds_for_the_replacement_and_the_replaced(planned: Position) -> None:
    ana = book_ana(planned)
    _seat, leaving, newcomer = _replace_in_first_assessing_seat(ana)
    assert not can_see_round_two_ratings(newcomer, ana)  # bound until they submit
    assert not can_see_round_two_ratings(leaving, ana)  # and the replaced cannot write one
    assert not Scorecard.objects.filter(interviewer=leaving, application=ana).exists()


def test_a_seat_whose_scorecard_was_started_stays_with_its_interviewer(
    planned: Position,
) -> None:
    assignment = first_assessing_seat(planned)
    ana = assignment.scheduled_session.application
    seat, holder = assignment.seat, assignment.interviewer
    open_round_two_scorecard(actor=holder, seat=seat, application=ana)
    other = next(p for p in eligible_for_seat(seat, planned) if p != holder)
    with pytest.raises(ValidationError) as refused:
        replace_interviewer(assignment.scheduled_session, seat, other, None, "cover")
    assert "has started the scorecard" in " ".join(refused.value.message_dict["seat"])
