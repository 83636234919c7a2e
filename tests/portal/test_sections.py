"""The feedback letter and the survey appear on the portal once they apply (their apps ship
the portal's section templates; the portal includes them by name)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from secondround.accounts.models import User
from secondround.hiring.models import Position
from secondround.portal.views import SECTION_TEMPLATES, _sections
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
