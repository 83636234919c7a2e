"""The feedback letter and the survey appear on the portal once they apply (their apps ship
the portal's section templates; the portal includes them by name)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from secondround.accounts.models import User
from secondround.hiring.models import Application, Interview, Position, Stage
from secondround.portal.views import SECTION_TEMPLATES, _sections
from secondround.prep.services import create_invite_link
from secondround.surveys import selectors as survey_selectors
from tests.factories import make_finalist
from tests.feedback.helpers import approve_drafted_letter, decide, finalist_with_evidence

pytestmark = pytest.mark.django_db


def test_every_section_template_the_portal_names_exists() -> None:
    assert _sections() == list(SECTION_TEMPLATES)


def test_the_portal_links_the_survey_after_the_loop_then_the_letter_once_approved(
    position: Position, manager: User
) -> None:
    finalist = finalist_with_evidence(position)  # round-two scorecards are in: the loop is over
    token, application = finalist.token, finalist.application
    portal = reverse("portal", args=[token])
    page = Client().get(portal).content.decode()
    assert "Tell us how it went" in page
    assert f'href="{reverse("survey-candidate", args=[token])}"' in page
    assert "Your feedback letter" not in page  # nothing approved yet

    decide(application)
    token = approve_drafted_letter(manager, application)  # the letter's mail: a new link
    portal = reverse("portal", args=[token])
    page = Client().get(portal).content.decode()
    assert "Your feedback letter" in page
    assert f'href="{reverse("feedback-letter-candidate", args=[token])}"' in page
    assert f'href="{reverse("feedback-letter-pdf", args=[token])}"' in page
    assert "Tell us how it went" in page  # now about the outcome


def _greeting(page: str) -> str:
    return page.split("<h1>")[1].split("</p>")[0]


def test_rejected_before_any_conversation_no_survey_and_no_next_conversations(
    position: Position,
) -> None:
    """Turned down before round two took place: nothing to rate, and no conversations ahead."""
    application = make_finalist(position, name="Never Met")
    _link, token = create_invite_link(actor=position.hiring_manager, application=application)
    decide(application)  # "not this time", then rejected
    assert application.stage == Stage.REJECTED
    assert survey_selectors.open_moments(application) == []
    page = Client().get(reverse("portal", args=[token])).content.decode()
    assert "Tell us how it went" not in page
    greeting = _greeting(page)
    assert "next conversations" not in greeting
    assert "everything about your application with us" in greeting
    survey = Client().get(reverse("survey-candidate", args=[token]))
    assert "Answer the survey" not in survey.content.decode()
    assert "Tell us how it went" not in survey.content.decode()


def test_the_survey_needs_a_conversation_that_took_place(position: Position) -> None:
    application = make_finalist(position, name="Met Once")
    _link, token = create_invite_link(actor=position.hiring_manager, application=application)
    ahead = Interview.objects.create(
        application=application, interviewer=position.hiring_manager, title="Deep dive",
        starts_at=timezone.now() + timedelta(days=2), duration_minutes=45,
    )  # fmt: skip
    Application.objects.filter(pk=application.pk).update(stage=Stage.DECISION)
    application.refresh_from_db()
    assert survey_selectors.open_moments(application) == []  # booked, not held
    ahead.starts_at = timezone.now() - timedelta(hours=2)
    ahead.save()
    assert survey_selectors.open_moments(application) == ["after_loop"]
    page = Client().get(reverse("portal", args=[token])).content.decode()
    assert "Tell us how it went" in page
    greeting = _greeting(page)
    assert "next conversations" not in greeting
    assert "your conversations with us and what comes next" in greeting


def test_the_greeting_follows_the_state_in_german(position: Position) -> None:
    application = make_finalist(position, name="Nie Getroffen")
    application.candidate.language = "de"
    application.candidate.save(update_fields=["language"])
    _link, token = create_invite_link(actor=position.hiring_manager, application=application)
    before = _greeting(Client().get(reverse("portal", args=[token])).content.decode())
    assert "Ihren nächsten Gesprächen" in before
    decide(application)
    after = _greeting(Client().get(reverse("portal", args=[token])).content.decode())
    assert "Ihren nächsten Gesprächen" not in after
    assert "alles zu Ihrer Bewerbung bei uns" in after
