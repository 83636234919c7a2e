"""The demo has a decided finalist whose feedback letter is approved, so the candidate's letter
can be seen there: Lena Hoffmann, rejected after her round two, on her documented link. Her
mails and Mateo's follow the one-live-link rule, like every message a team sends."""

from __future__ import annotations

import html

import pytest
from django.test import Client
from django.urls import reverse

from secondround.debrief.models import Decision, DecisionKind
from secondround.feedback import demo as feedback_demo
from secondround.feedback.models import LetterVersion
from secondround.hiring.models import Application, Stage
from secondround.messaging.models import Message, MessageKind
from secondround.prep.access import token_hash
from secondround.prep.models import InviteLink
from secondround.scorecards.models import Scorecard, ScorecardStatus
from tests.demo_cache import load_demo

pytestmark = pytest.mark.django_db

TOKEN = feedback_demo.DECIDED_LINK_TOKEN


@pytest.fixture
def lena(db: None) -> Application:
    load_demo()
    return Application.objects.select_related("candidate").get(
        candidate__full_name=feedback_demo.DECIDED_FINALIST
    )


def test_the_decided_finalist_was_rejected_on_her_round_two_notes(lena: Application) -> None:
    assert lena.stage == Stage.REJECTED
    assert Decision.objects.get(application=lena).decision == DecisionKind.REJECT
    submitted = Scorecard.objects.filter(
        application=lena, round=Scorecard.Round.TWO, status=ScorecardStatus.SUBMITTED
    )
    assert submitted.count() >= 3
    assert LetterVersion.objects.filter(letter__application=lena).count() == 1


def test_her_page_shows_the_outcome_her_conversations_and_the_letter(lena: Application) -> None:
    page = Client().get(reverse("portal", args=[TOKEN]))
    assert page.status_code == 200
    body = html.unescape(page.content.decode())
    where = body.split('id="standing"')[1].split("</section>")[0]
    assert "We have decided not to go further with your application" in where
    assert "Your feedback letter" in body
    assert "Took place" in body and "Join the video call" not in body
    letter = Client().get(reverse("feedback-letter-candidate", args=[TOKEN]))
    assert letter.status_code == 200
    text = html.unescape(letter.content.decode())
    went_well, stronger = feedback_demo.DECIDED_EDITS["System design"]
    assert went_well in text and stronger in text


def test_her_mails_carry_her_one_live_link(lena: Application) -> None:
    live = InviteLink.objects.filter(application=lena, revoked_at=None)
    assert [link.token_hash for link in live] == [token_hash(TOKEN)]
    kinds = set(Message.objects.filter(application=lena).values_list("kind", flat=True))
    assert {
        MessageKind.INVITATION,
        MessageKind.SCHEDULE_CONFIRMATION,
        MessageKind.OUTCOME_NOT_THIS_TIME,
        MessageKind.FEEDBACK_READY,
    } <= kinds
    for message in Message.objects.filter(application=lena):
        assert f"/prep/i/{TOKEN}/" in message.body_text, message.kind


def test_mateo_has_one_live_link_the_one_his_mail_carries() -> None:
    load_demo()
    mateo = Application.objects.get(candidate__full_name="Mateo García")
    live = InviteLink.objects.filter(application=mateo, revoked_at=None)
    assert [link.token_hash for link in live] == [token_hash(feedback_demo.DEMO_LINK_TOKEN)]
    told = Message.objects.get(application=mateo, kind=MessageKind.OUTCOME_ANOTHER_CONVERSATION)
    assert f"/prep/i/{feedback_demo.DEMO_LINK_TOKEN}/" in told.body_text
