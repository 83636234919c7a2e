"""A candidate's letter and survey answers are exported with them and erased with them."""

from __future__ import annotations

import pytest

from secondround.accounts.models import User
from secondround.feedback.models import FeedbackLetter, LetterVersion
from secondround.hiring.models import Position
from secondround.privacy.services import erase_candidate, export_candidate
from secondround.surveys.models import STATEMENT_KEYS, SurveyResponse
from secondround.surveys.services import submit_survey
from tests.conftest import client_for
from tests.feedback.helpers import SHARED_WELL, decide, finalist_with_evidence
from tests.feedback.test_letters import _editor_post, _url

pytestmark = pytest.mark.django_db

OWN_WORDS = "Thanks to Casey's mentor for the calm afternoon."


def test_the_letter_and_the_answers_are_exported_and_erased(
    position: Position, manager: User, admin_user: User
) -> None:
    finalist = finalist_with_evidence(position)
    application = finalist.application
    decide(application)
    client_for(manager).post(_url(finalist), _editor_post(finalist, "approve"))
    submit_survey(
        application=application, moment="after_outcome",
        answers=dict.fromkeys(STATEMENT_KEYS, 4), recommend=7, comment=OWN_WORDS,
    )  # fmt: skip
    candidate_id = application.candidate_id

    exported = export_candidate(actor=admin_user, candidate_id=candidate_id).decode()
    assert SHARED_WELL in exported and OWN_WORDS in exported

    erase_candidate(actor=admin_user, candidate_id=candidate_id)
    assert not SurveyResponse.objects.exists()  # their own words: deleted
    letter = FeedbackLetter.objects.get()
    version = LetterVersion.objects.get()
    assert "Casey" not in letter.opening and "Casey" not in version.opening  # name redacted
    assert SHARED_WELL in version.sections[0]["went_well"]
