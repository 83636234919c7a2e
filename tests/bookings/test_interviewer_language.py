"""Issue 12: interviewers' mails are in the organisation's language (colleagues have no
language of their own), even when a German-speaking candidate's pick sends them."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import translation

from secondround.bookings import invites
from secondround.hiring.models import Position
from secondround.scheduling.models import ScheduledSession
from tests.bookings.conftest import book_directly, finalist, next_weekday

pytestmark = pytest.mark.django_db


def test_a_pick_made_in_german_mails_the_interviewers_in_english(
    planned: Position, monkeypatch: pytest.MonkeyPatch
) -> None:
    sent: list[dict[str, Any]] = []
    monkeypatch.setattr(invites, "queue_mail", lambda **mail: sent.append(mail))
    booked = book_directly(finalist(planned, "Ana Finalist"), next_weekday())
    with translation.override("de"):  # the candidate's page runs in German
        invites.send_invitations(ScheduledSession.objects.filter(pk__in=[s.pk for s in booked]))
    assert sent
    for mail in sent:
        assert mail["subject"].startswith("Interview for ")
        assert "your interview times" in mail["body"]
