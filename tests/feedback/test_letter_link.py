"""The letter's mail follows the one-live-link rule, and a decided candidate is never left
without a way in: the letter's link opens their page too, older mails say they were
replaced, and the hiring team can still make a new link after the outcome."""

from __future__ import annotations

import html

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from secondround.accounts.models import User
from secondround.hiring.models import Position
from secondround.prep.access import token_hash
from secondround.prep.models import InviteLink
from tests.conftest import client_for
from tests.feedback.helpers import (
    SHARED_WELL,
    Finalist,
    approve_drafted_letter,
    decide,
    finalist_with_evidence,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def finalist(position: Position) -> Finalist:
    return finalist_with_evidence(position)


def test_the_letters_link_replaces_the_earlier_ones(finalist: Finalist, manager: User) -> None:
    decide(finalist.application)
    token = approve_drafted_letter(manager, finalist.application)
    live = InviteLink.objects.filter(application=finalist.application, revoked_at=None)
    assert [link.token_hash for link in live] == [token_hash(token)]
    old = Client().get(reverse("portal", args=[finalist.token]))
    assert old.status_code == 410 and "replaced by a newer one" in old.content.decode()


def test_the_letters_link_opens_the_letter_and_the_candidates_page(
    finalist: Finalist, manager: User
) -> None:
    decide(finalist.application)
    token = approve_drafted_letter(manager, finalist.application)
    letter = Client().get(reverse("feedback-letter-candidate", args=[token]))
    assert letter.status_code == 200 and SHARED_WELL in html.unescape(letter.content.decode())
    assert f'href="{reverse("portal", args=[token])}"' in letter.content.decode()  # "Your page"
    assert Client().get(reverse("portal", args=[token])).status_code == 200


def test_the_letters_link_lasts_sixty_days(finalist: Finalist, manager: User) -> None:
    decide(finalist.application)
    token = approve_drafted_letter(manager, finalist.application)
    link = InviteLink.objects.get(token_hash=token_hash(token))
    assert round((link.expires_at - link.created_at).total_seconds() / 86400) == 60


def test_a_decided_candidate_can_be_given_a_new_link(finalist: Finalist, manager: User) -> None:
    """The refused page tells a candidate with a lost link to ask the recruiter for a new one:
    after the outcome too, the team can make it. It opens their page, not the kit."""
    decide(finalist.application)
    assert finalist.application.stage == "rejected"
    made = client_for(manager).post(
        reverse("prep-links", args=[finalist.application.pk]), {"days": "14"}
    )
    assert made.status_code == 200
    link = InviteLink.objects.filter(application=finalist.application).latest("pk")
    page = made.content.decode()
    token = page[page.index("/prep/i/prep_") + len("/prep/i/") :].split("/")[0]
    assert token_hash(token) == link.token_hash
    assert Client().get(reverse("portal", args=[token])).status_code == 200
    kit = Client().get(reverse("prep-invitation", args=[token]) + "?to=kit", follow=True)
    assert kit.status_code in (200, 410)
    assert "Open your preparation kit" not in kit.content.decode()


def test_the_letter_can_go_on_the_candidates_own_live_link(
    finalist: Finalist, manager: User, position: Position
) -> None:
    """Like every message, the letter's may reuse the link its sender passes, only the
    candidate's own live one: then nothing is revoked and no link is added."""
    from secondround.feedback.selectors import drafted_content
    from secondround.feedback.services import approve_feedback_letter, sections_from_content

    decide(finalist.application)
    content = drafted_content(finalist.application)
    approve = {
        "actor": manager, "application": finalist.application, "opening": content["opening"],
        "sections": sections_from_content(finalist.application, content),
        "closing": content["closing"], "base_url": "http://testserver",
    }  # fmt: skip
    other = finalist_with_evidence(position, name="Dana Other")
    with pytest.raises(ValidationError) as refused:
        approve_feedback_letter(**approve, portal_link=f"http://testserver/prep/i/{other.token}/")
    assert "portal_link" in refused.value.error_dict
    approval = approve_feedback_letter(
        **approve, portal_link=f"http://testserver/prep/i/{finalist.token}/"
    )
    assert approval.message is not None
    assert f"/prep/i/{finalist.token}/feedback/" in approval.message.body_text
    assert InviteLink.objects.filter(application=finalist.application, revoked_at=None).count() == 1
