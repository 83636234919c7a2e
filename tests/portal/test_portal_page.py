"""The candidate's portal on the private link: one page per state, 410 on dead links."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from secondround.hiring.models import Application, Interview, Stage
from secondround.prep.access import token_hash
from secondround.prep.models import InviteLink
from secondround.scheduling.models import ScheduledSession, SessionStatus
from tests.portal.conftest import TOKEN, move_loop_to, portal_page

pytestmark = pytest.mark.django_db


def test_the_private_link_lands_on_the_portal_and_the_kit_is_one_click_away(
    aisha: Application,
) -> None:
    client = Client()
    landing = client.get(reverse("prep-invitation", args=[TOKEN]))
    assert landing.status_code == 302 and landing["Location"] == reverse("portal", args=[TOKEN])
    kit = client.get(reverse("prep-invitation", args=[TOKEN]) + "?to=kit")
    assert kit["Location"].startswith("/prep/kits/")
    assert client.get(kit["Location"]).status_code == 200


def test_demo_portal_shows_itinerary_values_and_routed_questions(aisha: Application) -> None:
    move_loop_to(aisha, 2)  # the demo held the loop last week
    page = portal_page()
    assert "Senior software engineer" in page
    interviews = list(Interview.objects.filter(application=aisha).select_related("interviewer"))
    assert interviews
    for interview in interviews:
        assert interview.interviewer.full_name in page
    assert "Patients first" in page  # a company value
    assert "Answered in your conversations" in page  # the demo's career question
    from secondround.messaging.selectors import messages_for_candidate

    demo_messages = list(messages_for_candidate(aisha.candidate))
    assert demo_messages  # messaging's demo: her invitation and confirmation
    for message in demo_messages:
        assert escape(message.subject) in page
    assert page.count("To be answered in:") == 1
    assert 'href="/portal/' + TOKEN + '/interviews.ics"' in page


@pytest.mark.parametrize(
    "change, reason",
    [
        ({"expires_at": timezone.now() - timedelta(minutes=1)}, "This link has expired"),
        ({"revoked_at": timezone.now()}, "This link is no longer active"),
    ],
)
def test_expired_or_revoked_link_is_410_with_a_way_to_ask_the_recruiter(
    aisha: Application, change: dict, reason: str
) -> None:
    InviteLink.objects.filter(token_hash=token_hash(TOKEN)).update(**change)
    for url in (
        reverse("portal", args=[TOKEN]),
        reverse("portal-ics", args=[TOKEN]),
    ):
        response = Client().get(url)
        assert response.status_code == 410, url
        body = response.content.decode()
        assert reason in body
        assert "mailto:rita@kestrel.example" in body  # the position's recruiter
    assert Client().post(reverse("portal-ask", args=[TOKEN]), {"text": "Hi?"}).status_code == 410


def test_an_unknown_token_is_404_and_names_nobody(aisha: Application) -> None:
    response = Client().get(reverse("portal", args=["prep_not-a-real-token"]))
    assert response.status_code == 404
    assert "mailto:" not in response.content.decode()


def test_portal_per_state(aisha: Application) -> None:
    move_loop_to(aisha, 2)
    booked = portal_page()
    schedule = reverse("candidate-schedule", args=[TOKEN])
    assert "Your conversations are booked" in booked
    assert f'href="{schedule}"' in booked and "Move your interviews" in booked

    Interview.objects.filter(application=aisha).update(starts_at=timezone.now() - timedelta(days=2))
    after = portal_page()
    assert "The team is now comparing" in after and schedule not in after

    Interview.objects.filter(application=aisha).delete()
    ScheduledSession.objects.filter(application=aisha).update(status=SessionStatus.CANCELLED)
    before = portal_page()
    assert "Next, we agree the times" in before
    assert f'href="{schedule}"' in before and "Choose your interview times" in before

    Application.objects.filter(pk=aisha.pk).update(stage=Stage.REJECTED)
    decided = portal_page()
    assert "not to go further" in decided
    assert "Send my question" not in decided  # no new questions after the decision
    assert "Open your preparation kit" not in decided  # the kit closes with the application


def test_every_message_sent_to_the_candidate_is_on_the_portal(aisha: Application) -> None:
    from secondround.messaging.models import MessageKind
    from secondround.messaging.services import queue_message

    queue_message(
        kind=MessageKind.INVITATION,
        candidate=aisha.candidate,
        application=aisha,
        actor=None,
        values={"portal_link": "https://example.test" + reverse("portal", args=[TOKEN])},
    )
    page = portal_page()
    assert "Messages we sent you" in page
    from secondround.messaging.selectors import messages_for_candidate

    for message in messages_for_candidate(aisha.candidate):
        assert escape(message.subject) in page


def slot_items(page: str) -> list[str]:
    """The page's conversations, one HTML fragment each, in the page's order."""
    return page.split('<li class="slot">')[1:]


def test_a_conversation_that_has_ended_took_place_and_offers_no_way_to_join(
    aisha: Application,
) -> None:
    move_loop_to(aisha, -0.1)  # began about 2.4 hours ago: some over, one under way, some ahead
    now = timezone.now()
    interviews = Interview.objects.filter(application=aisha)
    slots = sorted({(i.starts_at, i.ends_at) for i in interviews})
    items = slot_items(portal_page())
    assert len(items) == len(slots)
    ended = [ends <= now for _starts, ends in slots]
    assert any(ended) and not all(ended)  # both kinds are on the page
    for item, over in zip(items, ended, strict=True):
        if over:
            assert "Took place" in item and "Join the video call" not in item
            assert "https://meet.example.com/" not in item
        else:  # under way or ahead: the link to join stays
            assert "Join the video call" in item and "Took place" not in item


def standing_section(page: str) -> str:
    return page.split('id="standing"')[1].split("</section>")[0]


def test_mateo_told_one_more_conversation_sees_that_not_the_team_comparing(
    aisha: Application,
) -> None:
    from secondround.feedback.demo import DEMO_LINK_TOKEN as MATEO

    where = standing_section(portal_page(token=MATEO))
    assert "we would like one more conversation with you" in where
    assert "One more conversation about Senior software engineer" in where  # the message
    assert "comparing" not in where


def test_mateos_page_tells_one_story_no_letter_beside_one_more_conversation(
    aisha: Application,
) -> None:
    """The demo told Mateo the team would like one more conversation: no feedback letter is
    approved beside that (a letter goes with the final outcome); Hana's draft waits for it."""
    from secondround.feedback.demo import DEMO_LINK_TOKEN as MATEO
    from secondround.feedback.models import FeedbackLetter, LetterVersion

    page = portal_page(token=MATEO)
    assert "we would like one more conversation with you" in standing_section(page)
    assert "Your feedback letter" not in page
    mateo = Application.objects.get(candidate__full_name="Mateo García")
    assert FeedbackLetter.objects.filter(application=mateo).exists()  # drafted
    assert not LetterVersion.objects.filter(letter__application=mateo).exists()  # not approved
    letter = Client().get(reverse("feedback-letter-candidate", args=[MATEO]))
    assert letter.status_code == 200 and "not ready yet" in letter.content.decode()


def send(application: Application, kind: str, **values: object) -> None:
    from secondround.messaging.services import queue_message

    queue_message(
        kind=kind, candidate=application.candidate, application=application,
        values={"portal_link": "https://example.test/", "next_step": "A call.", **values},
    )  # fmt: skip


def test_the_latest_word_sent_decides_where_the_candidate_stands(aisha: Application) -> None:
    from secondround.messaging.models import MessageKind

    promised = timezone.localdate() + timedelta(days=5)
    Application.objects.filter(pk=aisha.pk).update(promised_decision_on=promised)
    send(aisha, MessageKind.OUTCOME_ANOTHER_CONVERSATION)
    assert "one more conversation" in standing_section(portal_page())
    send(aisha, MessageKind.NEXT_STEPS, decision_date=promised)  # after that conversation
    where = standing_section(portal_page())
    assert "comparing" in where and "one more conversation" not in where
    assert "You will hear our decision by" in where
    send(aisha, MessageKind.OUTCOME_OFFER)  # told before the stage moved
    where = standing_section(portal_page())
    assert "make you an offer" in where and "comparing" not in where


def test_a_promised_date_that_has_passed_is_said_to_be_late_not_promised(
    aisha: Application,
) -> None:
    # The demo held Aisha's loop last week; the date she was promised went by yesterday.
    lapsed = timezone.localdate() - timedelta(days=1)
    Application.objects.filter(pk=aisha.pk).update(promised_decision_on=lapsed)
    where = standing_section(portal_page())
    assert "comparing" in where
    assert "You will hear our decision by" not in where
    assert "that date has passed: we are late" in where
    assert 'href="mailto:rita@kestrel.example"' in where  # whom to ask


def test_one_more_conversation_booked_after_the_decision_stage_is_the_next_one(
    aisha: Application,
) -> None:
    """Moved to "decision" after her loop, then told "one more conversation" and booked for
    it: the page names that conversation, not "the team is comparing"."""
    from secondround.accounts.models import User
    from secondround.messaging.models import MessageKind

    Application.objects.filter(pk=aisha.pk).update(stage=Stage.DECISION)
    send(aisha, MessageKind.OUTCOME_ANOTHER_CONVERSATION)
    where = standing_section(portal_page())
    assert "we would like one more conversation with you" in where  # not booked yet
    ahead = timezone.now() + timedelta(days=3)
    Interview.objects.create(
        application=aisha, interviewer=User.objects.get(email="priya@kestrel.example"),
        title="Debugging session", starts_at=ahead, duration_minutes=45,
    )  # fmt: skip
    where = standing_section(portal_page())
    assert "comparing" not in where
    assert "Your next conversation is on" in where
    assert ahead.strftime("%Y") in where


def test_no_move_link_once_the_loop_has_begun(aisha: Application) -> None:
    """Moving a loop that has begun is refused (`request_reschedule`), so the portal does not
    offer it: with the first conversation over and another still ahead, no link to move."""
    move_loop_to(aisha, 2)
    assert "Move your interviews" in portal_page()
    move_loop_to(aisha, -0.01)  # the first began a quarter of a minute ago; the rest are ahead
    booked = ScheduledSession.objects.filter(application=aisha, status=SessionStatus.BOOKED)
    assert booked.filter(starts_at__gt=timezone.now()).exists()
    page = portal_page()
    assert "Your conversations are booked" in page or "took place" in page.lower()
    assert "Move your interviews" not in page
    assert reverse("candidate-schedule", args=[TOKEN]) not in page
