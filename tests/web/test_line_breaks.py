"""A line break counts as one character on the server too (trial r8, staff #8).

A browser counts a line break as one character for ``maxlength`` but posts it as CRLF (HTML's
form encoding), so a text the browser allowed was refused: "at most 5000 characters (it has
5040)". The posted form is read back with plain line breaks before any form or view sees it.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt

from secondround.feedback.models import LETTER_TEXT_MAX, FeedbackLetter
from secondround.hiring.models import Position
from secondround.limits import NOTES_MAX
from secondround.scorecards.services import open_round_two_scorecard
from secondround.web.middleware import PlainLineBreaksMiddleware
from tests.conftest import client_for
from tests.demo_cache import load_demo
from tests.feedback.helpers import finalist_with_evidence
from tests.feedback.test_letters import _editor_post, _url
from tests.scorecards.test_scorecards_and_debrief import jordan, pending_seat

pytestmark = pytest.mark.django_db


def as_browser_sends(limit: int, lines: int = 50) -> str:
    """``limit`` characters as the browser counts them, with ``lines`` line breaks sent as CRLF."""
    line = "x" * (limit // lines - 1)
    text = "\n".join([line] * lines)
    text += "y" * (limit - len(text))
    assert len(text) == limit
    return text.replace("\n", "\r\n")


def test_a_letter_at_its_limit_with_line_breaks_is_saved_with_plain_breaks(
    position: Position,
) -> None:
    finalist = finalist_with_evidence(position)
    posted = as_browser_sends(LETTER_TEXT_MAX)
    assert len(posted) > LETTER_TEXT_MAX  # what the server counted before
    client = client_for(position.hiring_manager)
    answer = client.post(_url(finalist), _editor_post(finalist, "save", opening=posted))
    assert answer.status_code == 302
    stored = FeedbackLetter.objects.get().opening
    assert stored == posted.replace("\r\n", "\n") and len(stored) == LETTER_TEXT_MAX
    over = client.post(_url(finalist), _editor_post(finalist, "save", opening=posted + "z"))
    assert over.status_code == 400  # the limit itself still holds
    assert "at most 5000 characters (it has 5001)" in over.content.decode()


def test_a_scorecard_note_at_its_limit_with_line_breaks_autosaves() -> None:
    load_demo()
    position = Position.objects.get(title="Senior software engineer")
    seat = pending_seat(position)
    card = open_round_two_scorecard(actor=seat.interviewer, seat=seat, application=jordan(position))
    competency = card.ratings.first().competency_id  # type: ignore[union-attr]
    posted = as_browser_sends(NOTES_MAX)
    answer = client_for(seat.interviewer).post(
        reverse("scorecard", args=[card.pk]),
        {"action": "draft", f"notes_{competency}": posted},
        headers={"HX-Request": "true"},
    )
    assert answer.status_code == 200, answer.content.decode()[:500]
    stored = card.ratings.get(competency_id=competency).notes
    assert "\r" not in stored and len(stored) == NOTES_MAX


@pytest.mark.parametrize(
    "content_type", ["multipart/form-data", "application/x-www-form-urlencoded"]
)
def test_every_posted_value_gets_plain_line_breaks_and_nothing_else_changes(
    content_type: str,
) -> None:
    seen: dict[str, list[str]] = {}

    def view(request: HttpRequest) -> HttpResponse:
        seen.update(request.POST.lists())
        return HttpResponse()

    factory = RequestFactory()
    data = {"a": ["one\r\ntwo\r\n", "lone\rcr"], "b": "plain", "c": ""}
    if content_type == "multipart/form-data":
        request = factory.post("/", data)
    else:
        body = "a=one%0D%0Atwo%0D%0A&a=lone%0Dcr&b=plain&c="
        request = factory.post("/", body, content_type=content_type)
    through_middleware(view, request)
    assert seen == {"a": ["one\ntwo\n", "lone\rcr"], "b": ["plain"], "c": [""]}


def test_json_bodies_and_views_reading_the_raw_body_are_left_as_sent() -> None:
    bodies: list[bytes] = []

    def view(request: HttpRequest) -> HttpResponse:
        bodies.append(request.body)
        return HttpResponse()

    request = RequestFactory().post("/", '{"a": "x\\r\\ny"}', content_type="application/json")
    through_middleware(view, request)
    # The API's views are exempt from CSRF and read the body themselves, whatever its type:
    # the form is not read for them, or the body would be gone (a 500).
    form = RequestFactory().post("/", {"a": "x\r\ny"})
    through_middleware(csrf_exempt(view), form)
    assert bodies[0] == b'{"a": "x\\r\\ny"}' and b"x\r\ny" in bodies[1]


def through_middleware(view: Callable[[HttpRequest], HttpResponse], request: HttpRequest) -> None:
    middleware = PlainLineBreaksMiddleware(view)
    assert middleware.process_view(request, view, (), {}) is None
    middleware(request)
