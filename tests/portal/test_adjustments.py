"""Adjustments for the interviews: sent while conversations are ahead; a tab left open after
the loop is refused with a message the page shows (its form is no longer there)."""

from __future__ import annotations

import re

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from secondround.hiring.models import Application
from secondround.portal import services
from secondround.portal.models import AdjustmentRequest
from tests.portal.conftest import TOKEN, move_loop_to

pytestmark = pytest.mark.django_db


def alerts(html: str) -> str:
    return " ".join(re.findall(r'<div role="alert"[^>]*>(.*?)</div>', html, flags=re.S))


def stored(application: Application) -> tuple[list[str], str, object]:
    request = AdjustmentRequest.objects.get(application=application)
    return request.needs, request.details, request.updated_at


def post(data: dict[str, object]) -> tuple[int, str]:
    response = Client().post(reverse("portal-adjustments", args=[TOKEN]), data)
    return response.status_code, response.content.decode()


def test_adjustments_are_saved_while_the_conversations_are_ahead(aisha: Application) -> None:
    move_loop_to(aisha, 2)
    status, _html = post({"needs": ["captions"], "details": "Captions, please."})
    assert status == 302
    assert stored(aisha)[:2] == (["captions"], "Captions, please.")


@pytest.mark.parametrize(
    "data",
    [
        {"needs": ["captions"], "details": "Captions, please."},  # a form the page had shown
        {"needs": ["teleport"], "details": "x" * 2001},  # and one it would have refused
    ],
)
def test_a_stale_tab_after_the_loop_is_refused_saying_why_and_nothing_changes(
    aisha: Application, data: dict[str, object]
) -> None:
    # The demo held Aisha's loop last week: the page no longer shows the adjustments form.
    before = stored(aisha)
    status, html = post(data)
    assert status == 409
    said = alerts(html)
    assert "Your conversations with us have taken place" in said
    assert "write to the recruiter" in said
    assert 'id="adjustments"' not in html  # the form stays away; the message says why
    assert stored(aisha) == before


def test_the_service_refuses_adjustments_once_the_loop_is_over(aisha: Application) -> None:
    before = stored(aisha)
    with pytest.raises(ValidationError, match="have taken place"):
        services.save_adjustments(application=aisha, needs=["breaks"], details="")
    assert stored(aisha) == before


def test_the_refusal_speaks_german(aisha: Application) -> None:
    aisha.candidate.language = "de"
    aisha.candidate.save(update_fields=["language"])
    status, html = post({"needs": ["captions"]})
    assert status == 409
    assert "Ihre Gespräche mit uns haben stattgefunden" in alerts(html)
