"""An internal candidate left on an old panel is never proposed nor booked as a replacement
(the rule of tests/hiring/test_internal_candidates.py, at scheduling's one door for people)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from secondround.hiring.models import Application, Candidate, Position, RaterQualification
from secondround.scheduling.selectors import eligible_for_seat
from secondround.scheduling.services import replace_interviewer
from tests.bookings.conftest import first_assessing_seat
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_an_applicant_is_never_proposed_nor_booked_as_a_replacement(
    planned: Position,
) -> None:
    assignment = first_assessing_seat(planned)
    seat, holder = assignment.seat, assignment.interviewer
    colleague = UserFactory()
    planned.interviewers.add(colleague)  # on the panel before they applied (old data)
    for competency in seat.competencies.all():  # and qualified for the seat
        RaterQualification.objects.create(person=colleague, competency=competency)
    assert colleague in eligible_for_seat(seat, planned)
    Application.objects.create(
        position=planned,
        candidate=Candidate.objects.create(full_name="C", email=colleague.email.lower()),
    )
    assert colleague not in eligible_for_seat(seat, planned)
    with pytest.raises(ValidationError) as refused:
        replace_interviewer(assignment.scheduled_session, seat, colleague, None, "cover")
    assert colleague.email in " ".join(refused.value.message_dict["interviewer"])
    assignment.refresh_from_db()
    assert assignment.interviewer == holder
