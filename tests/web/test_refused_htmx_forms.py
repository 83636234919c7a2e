"""Forms posted by htmx answer 4xx on refused input, with the field's error in the swapped part.

htmx swaps 400, 409 and 422 answers in place (the htmx-config meta in base.html), so a refused
panel form can say so with a 4xx like every other form. Each case posts one bad field and
checks the status, the error text naming the field, and that nothing stored changed.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from secondround.accounts.models import User
from secondround.bookings.models import CalendarFeed
from secondround.hiring.models import Position, Stage
from secondround.limits import NOTES_MAX
from secondround.loops.models import Seat
from secondround.prep import demo as prep_demo
from secondround.prep.models import CandidateQuestion, PracticeAttempt, PrepKit, Story
from secondround.scheduling.models import ScheduledSession, SessionStatus
from secondround.scorecards.models import Scorecard
from secondround.scorecards.services import open_round_two_scorecard
from tests.conftest import client_for
from tests.demo_cache import load_demo

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}


@dataclass(frozen=True)
class Refusal:
    """One form posted with one bad field, and what must stay as it was."""

    name: str
    client: Client
    url: str
    body: dict[str, Any]
    error: str  # the message that names or explains the refused field
    stored: Callable[[], object]  # a snapshot of what the post must not change
    headers: dict[str, str] = field(default_factory=lambda: dict(HTMX))
    status: int = 400


def draft_scorecard(position: Position) -> Scorecard:
    """A fresh round-two draft for Jordan, from a seat whose interviewer has none yet."""
    finalist = position.applications.get(candidate__full_name="Jordan Ellis")
    seat = next(
        s
        for s in Seat.objects.filter(session__plan__position=position).exclude(
            session__competency_kinds=[]
        )
        if not Scorecard.objects.filter(interviewer=s.interviewer, application=finalist).exists()
    )
    return open_round_two_scorecard(actor=seat.interviewer, seat=seat, application=finalist)


def scorecard_refusals(position: Position) -> list[Refusal]:
    card = draft_scorecard(position)
    competency = card.ratings.select_related("competency").first()
    assert competency is not None
    client = client_for(card.interviewer)
    url = reverse("scorecard", args=[card.pk])

    def stored() -> object:
        card.refresh_from_db()
        return card.status, card.recommendation, list(card.ratings.values_list("rating", "notes"))

    notes = f"notes_{competency.competency_id}"
    return [
        Refusal("scorecard autosave, notes too long", client, url,
                {"action": "draft", notes: "x" * (NOTES_MAX + 1)},
                f"Evidence notes for {competency.competency.name}", stored),
        Refusal("scorecard submit, no recommendation", client, url,
                {"action": "submit", f"rating_{competency.competency_id}": "3",
                 notes: "Walked through the outage.", "confidence": "3"},
                "Give an overall recommendation.", stored, headers={}),
    ]  # fmt: skip


def prep_refusals() -> list[Refusal]:
    email, _name = prep_demo.DEMO_JOB_SEEKER
    robin = User.objects.get(email=email)
    kit = PrepKit.objects.get(owner=robin)
    client = client_for(robin)

    def kit_state() -> object:
        kit.refresh_from_db()
        return (
            kit.research,
            Story.objects.filter(kit=kit).count(),
            CandidateQuestion.objects.filter(kit=kit).count(),
            PracticeAttempt.objects.filter(kit=kit).count(),
        )

    def url(name: str) -> str:
        return reverse(name, args=[kit.public_id])

    return [
        Refusal("practice, no answer", client, url("prep-practice"),
                {"question_text": "Why us?", "answer": " "}, 'id="id_answer_error"', kit_state),
        Refusal("practice, a question not in the kit", client, url("prep-practice"),
                {"question_pk": "999999", "answer": "I fixed it."}, "Select a valid choice",
                kit_state),
        Refusal("questions to ask, empty", client, url("prep-ask"), {"text": " "},
                'id="id_text_error"', kit_state),
        Refusal("story bank, no title", client, url("prep-stories"),
                {"title": " ", "kind": "achievement", "situation": "A late release."},
                'id="id_title_error"', kit_state),
        Refusal("research notes too long", client, url("prep-research"),
                {"mission-notes": "x" * 4_001}, "at most 4000 characters", kit_state),
        Refusal("research notes too long, as a page", client, url("prep-research"),
                {"mission-notes": "x" * 4_001}, "at most 4000 characters", kit_state, headers={}),
    ]  # fmt: skip


def stage_refusals(position: Position) -> list[Refusal]:
    application = position.applications.filter(stage=Stage.FIRST_ROUND).first()
    assert application is not None
    client = client_for(position.hiring_manager)
    url = reverse("application", args=[application.pk])

    def stored() -> object:
        application.refresh_from_db()
        return application.stage, application.moves.count()

    body = {"stage": Stage.REJECTED, "reason": " "}
    return [
        Refusal("stage move by htmx, no reason", client, url, body, 'id="id_reason_error"',
                stored),
        Refusal("stage move as a page, no reason", client, url, body, 'id="id_reason_error"',
                stored, headers={}),
    ]  # fmt: skip


def session_refusals() -> list[Refusal]:
    scheduled = ScheduledSession.objects.filter(status=SessionStatus.BOOKED).first()
    assert scheduled is not None
    manager = scheduled.application.position.hiring_manager
    client = client_for(manager)
    url = reverse("scheduling:session", args=[scheduled.pk])

    def stored() -> object:
        scheduled.refresh_from_db()
        return scheduled.starts_at, scheduled.room_id, scheduled.video_link, scheduled.sequence

    return [
        Refusal("session move, no start", client, url,
                {"action": "move", "move-starts_at": "tomorrow-ish"},
                'id="id_move-starts_at_error"', stored),
        Refusal("session place, not a link", client, url,
                {"action": "place", "place-video_link": "call me"},
                'id="id_place-video_link_error"', stored),
        Refusal("session, no such action", client, url, {"action": "explode"}, "action:", stored),
    ]  # fmt: skip


def feed_refusal() -> Refusal:
    user = User.objects.get(email="hana@kestrel.example")

    def stored() -> object:
        return list(CalendarFeed.objects.filter(user=user).values_list("nonce", flat=True))

    return Refusal("calendar feed, unknown action", client_for(user),
                   reverse("interview-feed-manage"), {"action": "explode"}, "action:",
                   stored)  # fmt: skip


def portal_refusal() -> Refusal:
    token = prep_demo.DEMO_LINK_TOKEN
    return Refusal("portal, empty question", Client(), reverse("portal-ask", args=[token]),
                   {"text": " "}, 'id="id_text_error"', CandidateQuestion.objects.count,
                   headers={})  # fmt: skip


def all_refusals() -> list[Refusal]:
    engineering = Position.objects.get(title="Senior software engineer")
    return [
        *scorecard_refusals(engineering),
        *prep_refusals(),
        *stage_refusals(engineering),
        *session_refusals(),
        feed_refusal(),
        portal_refusal(),
    ]


def test_every_refused_htmx_form_answers_400_with_the_error_and_stores_nothing() -> None:
    load_demo()
    wrong = []
    for case in all_refusals():
        before = case.stored()
        response = case.client.post(case.url, case.body, headers=case.headers)
        body = response.content.decode()
        problems = [
            f"status {response.status_code}" if response.status_code != case.status else "",
            f"no {case.error!r} in the answer" if case.error not in body else "",
            "a whole page for htmx" if case.headers and "<html" in body else "",
            "something changed" if case.stored() != before else "",
        ]
        if any(problems):
            wrong.append(f"{case.name}: {', '.join(p for p in problems if p)}")
    assert not wrong, "\n".join(wrong)


def test_a_refused_autosave_answers_only_its_status_line() -> None:
    """The swap target is the status line, never the form: what was typed stays on screen."""
    load_demo()
    card = draft_scorecard(Position.objects.get(title="Senior software engineer"))
    rating = card.ratings.first()
    assert rating is not None
    response = client_for(card.interviewer).post(
        reverse("scorecard", args=[card.pk]),
        {"action": "draft", f"notes_{rating.competency_id}": "x" * (NOTES_MAX + 1)},
        headers=HTMX,
    )
    body = response.content.decode().strip()
    assert response.status_code == 400
    assert body.startswith('<div id="saved" role="alert"') and "<textarea" not in body


def htmx_rule_for(status: int, rules: list[dict[str, Any]]) -> dict[str, Any]:
    """The rule htmx 2 applies: the first whose `code` pattern is found in the status."""
    return next(rule for rule in rules if re.search(rule["code"], str(status)))


def test_the_page_tells_htmx_to_swap_refusals_but_not_server_errors(client: Client) -> None:
    html = client.get(reverse("login")).content.decode()
    found = re.search(r"<meta name=\"htmx-config\" content='([^']*)'>", html)
    assert found and "{#" not in html and "#}" not in html  # no template comment leaks out
    head = html.split("</head>")[0]
    assert found.group(0) in head
    rules = json.loads(found.group(1))["responseHandling"]
    for status in (200, 201, 400, 409, 422):
        assert htmx_rule_for(status, rules)["swap"] is True, status
    for status in (204, 403, 404, 429, 500, 503):
        assert htmx_rule_for(status, rules)["swap"] is False, status
    assert all(htmx_rule_for(s, rules).get("error") for s in (400, 409, 422, 500))
