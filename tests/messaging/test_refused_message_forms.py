"""Refused input on the application's message forms and the API tokens page answers 400 with
the form, the reason on its field, and nothing stored (it was a redirect, or a 200)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from secondround.accounts.models import User
from secondround.hiring.models import Position
from tests.conftest import client_for
from tests.messaging.test_no_ghosting import finalist

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("value", "says"),
    [
        (-1, "cannot be in the past"),
        (400, "within a year"),
        ("not a date", "Enter a valid date"),
        ("", "This field is required"),
    ],
)
def test_a_refused_promised_date_answers_400_on_its_field(
    position: Position, value: int | str, says: str
) -> None:
    if isinstance(value, int):  # days from today
        value = (timezone.localdate() + timedelta(days=value)).isoformat()
    application = finalist(position)
    promised = application.promised_decision_on
    response = client_for(position.hiring_manager).post(
        reverse("message-decision-date", args=[application.pk]), {"promised_decision_on": value}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert 'id="id_promised_decision_on_error"' in page
    assert says in page.split('id="id_promised_decision_on_error"')[1].split("</ul>")[0]
    application.refresh_from_db()
    assert application.promised_decision_on == promised


def test_a_good_promised_date_still_goes_back_to_the_application(position: Position) -> None:
    application = finalist(position)
    later = timezone.localdate() + timedelta(days=20)
    response = client_for(position.hiring_manager).post(
        reverse("message-decision-date", args=[application.pk]),
        {"promised_decision_on": later.isoformat()},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("application", args=[application.pk])
    application.refresh_from_db()
    assert application.promised_decision_on == later


@pytest.mark.parametrize("value", ["xx", ""])
def test_a_refused_message_language_answers_400_on_its_field(
    position: Position, value: str
) -> None:
    application = finalist(position)
    before = application.candidate.language
    response = client_for(position.hiring_manager).post(
        reverse("message-language", args=[application.pk]), {"language": value}
    )
    assert response.status_code == 400
    assert 'id="id_language_error"' in response.content.decode()
    application.candidate.refresh_from_db()
    assert application.candidate.language == before


def test_an_empty_token_name_answers_400_naming_the_field(manager: User) -> None:
    client = client_for(manager)
    for name in ("", "   "):
        response = client.post(reverse("api-tokens"), {"name": name})
        assert response.status_code == 400
        assert 'id="id_name_error"' in response.content.decode()
        assert response.context["new_key"] is None
    assert not manager.api_tokens.exists()
    assert client.post(reverse("api-tokens"), {"name": "laptop"}).status_code == 200
    assert manager.api_tokens.count() == 1
