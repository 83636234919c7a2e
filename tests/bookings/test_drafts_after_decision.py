"""Staff finding r9 #5: after a decision, an interviewer's unsubmitted scorecard dropped out of
"My kits" (it lists finalists only). It stays listed, marked decided, linking to the draft,
which they can still submit (scorecards has no rule against it)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from secondround.hiring.models import Position, Stage
from secondround.scorecards.models import Scorecard
from secondround.scorecards.services import open_round_two_scorecard
from tests.bookings.conftest import finalist, first_assessing_seat
from tests.conftest import client_for
from tests.factories import record_hire

pytestmark = pytest.mark.django_db


def test_a_draft_for_a_decided_finalist_stays_in_my_kits_marked_decided(
    planned: Position,
) -> None:
    assignment = first_assessing_seat(planned)
    ana = finalist(planned, "Ana Finalist")
    interviewer = assignment.interviewer
    draft = open_round_two_scorecard(actor=interviewer, seat=assignment.seat, application=ana)
    done = open_round_two_scorecard(
        actor=interviewer, seat=assignment.seat, application=finalist(planned, "Ben Finalist")
    )
    Scorecard.objects.filter(pk=done.pk).update(status="submitted")
    record_hire(ana)  # the debrief's hire moves Ana to Offer (a move by hand needs it too)
    assert ana.stage == Stage.OFFER
    client = client_for(interviewer)
    page = client.get(reverse("my-kits")).content.decode()
    assert 'id="drafts-left"' in page
    listed = page.split('id="drafts-left"')[1]
    assert reverse("scorecard", args=[draft.pk]) in listed and "Decided" in listed
    assert "Ben Finalist" not in listed  # submitted: nothing left to do
    assert "Offer" not in listed  # which decision stays hidden (independence)
    opened = client.get(reverse("scorecard", args=[draft.pk]))
    assert opened.status_code == 200 and 'value="submit"' in opened.content.decode()


def test_nothing_is_listed_without_a_draft(planned: Position) -> None:
    assignment = first_assessing_seat(planned)
    page = client_for(assignment.interviewer).get(reverse("my-kits")).content.decode()
    assert 'id="drafts-left"' not in page
