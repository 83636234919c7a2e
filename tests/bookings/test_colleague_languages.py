"""Invitations and decline notices reach each colleague in their own language, whoever acted."""

from __future__ import annotations

import pytest
from django.urls import reverse

from secondround.accounts.models import User
from secondround.hiring.models import Position
from tests.bookings.test_invitations_and_declines import _assessing_interview, book_ana, deliver
from tests.conftest import Inbox, client_for

pytestmark = pytest.mark.django_db(transaction=True)


def subjects_to(inbox: Inbox, email: str) -> list[str]:
    return [str(m["Subject"]) for m in inbox.messages if m["To"] == email]


def test_each_interviewer_gets_their_invitation_in_their_language(
    smtp: Inbox, planned: Position
) -> None:
    panel = [*planned.interviewers.all(), planned.hiring_manager]
    german = set(
        User.objects.filter(pk__in=[p.pk for p in panel[::2]]).values_list("email", flat=True)
    )
    User.objects.filter(email__in=german).update(language="de")
    ana = book_ana(planned)
    deliver()
    invited = {  # the round-two notices went out in this delivery too
        str(m["To"]): str(m["Subject"]) for m in smtp.messages if "(Ana Finalist)" in m["Subject"]
    }
    assert invited.keys() & german and invited.keys() - german  # both kinds were invited
    for email, subject in invited.items():
        expected = "Interview für" if email in german else "Interview for"
        assert subject.startswith(expected), (email, subject)
    [told] = subjects_to(smtp, ana.candidate.email)
    assert "is confirmed" in told  # the candidate's own language (English) is untouched


def test_a_decline_is_told_to_the_team_in_the_readers_language_not_the_decliners(
    smtp: Inbox, planned: Position
) -> None:
    ana = book_ana(planned)
    deliver()
    smtp.messages.clear()
    interview = _assessing_interview(ana)
    leaving = interview.interviewer
    User.objects.filter(pk=leaving.pk).update(language="de")
    User.objects.filter(pk=planned.recruiters.get().pk).update(language="de")
    leaving.refresh_from_db()
    page = client_for(leaving).post(
        reverse("interview-decline", args=[interview.pk]), {"reason": "Krank"}
    )
    assert page.status_code == 302
    deliver()
    [to_manager] = subjects_to(smtp, planned.hiring_manager.email)
    [to_recruiter] = subjects_to(smtp, planned.recruiters.get().email)
    assert to_manager == f"{leaving.full_name} declined {interview.title} with Ana Finalist"
    assert to_recruiter == f"{leaving.full_name} hat {interview.title} mit Ana Finalist abgesagt"
