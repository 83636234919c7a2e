"""Every named URL, requested (GET) by every kind of user, answers what the table says.

The URL resolver is walked, so every named route is requested, each id filled from the demo
organisation (its "Senior software engineer" position). The table pins the answer per role:
anonymous visitor, outsider (signed in, on no panel), panel interviewer, the position's hiring
manager, and an admin. A route missing from the table is still requested and must not answer
5xx; the test then fails and says which rows to add, so a new page gets its access rules
written down. A 5xx anywhere fails with the URL.

To print the table as the code answers today (to review, then paste):
``SECONDROUND_PRINT_URL_TABLE=1 pytest tests/web/test_every_url_by_role.py -s``.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from secondround.accounts.models import Role, User
from secondround.hiring.models import Interview, Position
from secondround.loops.models import Seat
from secondround.scorecards.models import Scorecard
from tests.demo_cache import load_demo
from tests.factories import UserFactory
from tests.web.test_malformed_input import Route, real_ids, urls_for

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "outsider", "interviewer", "manager", "admin")

# name: expected status per role, in ROLES order. GET only: a POST-only route says 405 to
# those it lets that far. 302 for an anonymous visitor is the way to the sign-in page.
EXPECTED: dict[str, tuple[int, ...]] = {
    "healthz": (503, 503, 503, 503, 503),
    "home": (302, 200, 200, 200, 200),
    "company": (302, 403, 403, 200, 200),
    "positions": (302, 200, 200, 200, 200),
    "position-create": (302, 403, 403, 200, 200),
    "position": (302, 404, 200, 200, 200),
    "position-edit": (302, 404, 403, 200, 200),
    "competency-new": (302, 404, 403, 200, 200),
    "competency-edit": (302, 404, 403, 200, 200),
    "competency-delete": (302, 405, 405, 405, 405),
    "candidate-add": (302, 404, 403, 200, 200),
    "candidates": (302, 200, 200, 200, 200),
    "application": (302, 404, 200, 200, 200),
    "account": (302, 200, 200, 200, 200),
    "api-tokens": (302, 200, 200, 200, 200),
    "users": (302, 403, 403, 403, 200),
    "user-edit": (302, 403, 403, 403, 200),
    "user-deactivate": (302, 405, 405, 405, 405),
    "user-reactivate": (302, 405, 405, 405, 405),
    "user-reinvite": (302, 405, 405, 405, 405),
    "invitation": (200, 200, 200, 200, 200),
    "api-token-revoke": (302, 405, 405, 405, 405),
    "round-two": (302, 404, 403, 200, 200),
    "round-two-propose": (302, 405, 405, 405, 405),
    "round-two-accept": (302, 405, 405, 405, 405),
    "seat-swap": (302, 405, 405, 405, 405),
    "seat-competencies": (302, 404, 403, 200, 200),
    "session-edit": (302, 404, 403, 200, 200),
    "item-edit": (302, 404, 403, 200, 200),
    "item-new": (302, 404, 403, 200, 200),
    "qualifications": (302, 403, 403, 200, 200),
    "qualifications-edit": (302, 403, 403, 200, 200),
    "my-kits": (302, 200, 200, 200, 200),
    "kit": (302, 404, 200, 200, 200),
    "kit-pdf": (302, 404, 200, 200, 200),
    "question-bank": (302, 200, 200, 200, 200),
    "question-new": (302, 200, 200, 200, 200),
    "question-edit": (302, 200, 200, 200, 200),
    "question-retire": (302, 405, 405, 405, 405),
    "scenarios": (302, 200, 200, 200, 200),
    "scenario-new": (302, 200, 200, 200, 200),
    "scenario-edit": (302, 200, 200, 200, 200),
    "scenario-retire": (302, 405, 405, 405, 405),
    "round-one-import": (302, 404, 403, 200, 200),
    "round-one-entry": (302, 404, 403, 200, 200),
    "scorecard-for-seat": (302, 404, 302, 404, 404),
    "scorecard": (302, 404, 200, 404, 404),
    "prep-home": (200, 200, 200, 200, 200),
    "prep-invitation": (302, 302, 302, 302, 302),
    "prep-invitation-opened": (405, 405, 405, 405, 405),
    "prep-kit": (404, 404, 404, 404, 404),
    "prep-research": (404, 404, 404, 404, 404),
    "prep-stories": (404, 404, 404, 404, 404),
    "prep-story": (404, 404, 404, 404, 404),
    "prep-story-delete": (404, 404, 404, 404, 404),
    "prep-ask": (404, 404, 404, 404, 404),
    "prep-ask-remove": (404, 404, 404, 404, 404),
    "prep-practice": (404, 404, 404, 404, 404),
    "prep-summary-pdf": (404, 404, 404, 404, 404),
    "prep-keep": (404, 404, 404, 404, 404),
    "prep-links": (302, 404, 403, 200, 200),
    "prep-link-revoke": (302, 405, 405, 405, 405),
    "portal": (200, 200, 200, 200, 200),
    "portal-preferences": (405, 405, 405, 405, 405),
    "portal-ask": (405, 405, 405, 405, 405),
    "portal-adjustments": (405, 405, 405, 405, 405),
    "portal-ics": (200, 200, 200, 200, 200),
    "portal-question-route": (302, 405, 405, 405, 405),
    "portal-question-answered": (302, 405, 405, 405, 405),
    "portal-question-answer": (302, 405, 405, 405, 405),
    "debrief": (302, 404, 403, 200, 200),
    "debrief-weights": (302, 405, 405, 405, 405),
    "debrief-refresh": (302, 405, 405, 405, 405),
    "debrief-pack": (302, 404, 403, 200, 200),
    "debrief-cell": (302, 404, 403, 200, 200),
    "decision": (302, 404, 403, 200, 200),
    "feedback-letter-editor": (302, 404, 403, 200, 200),
    "feedback-letter-candidate": (200, 200, 200, 200, 200),
    "feedback-letter-pdf": (404, 404, 404, 404, 404),
    "survey-candidate": (200, 200, 200, 200, 200),
    "surveys": (302, 200, 200, 200, 200),
    "survey-results": (302, 404, 403, 200, 200),
    "outbox": (302, 200, 200, 200, 200),
    "message": (302, 404, 404, 200, 200),
    "message-resend": (302, 405, 405, 405, 405),
    "message-templates": (302, 403, 403, 403, 200),
    "message-template": (302, 403, 403, 403, 404),
    "message-template-reset": (302, 405, 405, 405, 405),
    "message-outcome": (302, 405, 405, 405, 405),
    "message-invitation": (302, 405, 405, 405, 405),
    "message-next-steps": (302, 405, 405, 405, 405),
    "message-decision-date": (302, 405, 405, 405, 405),
    "message-language": (302, 405, 405, 405, 405),
    "audit-log": (302, 403, 403, 403, 200),
    "two-factor": (302, 200, 200, 200, 200),
    "two-factor-qr": (302, 404, 404, 404, 404),
    "two-factor-verify": (302, 200, 200, 200, 200),
    "security-settings": (302, 403, 403, 403, 200),
    "candidate-data": (302, 403, 403, 403, 200),
    "candidate-export": (302, 405, 405, 405, 405),
    "privacy-settings": (302, 403, 403, 403, 200),
    "scheduling:availability": (302, 200, 200, 200, 200),
    "scheduling:rooms": (302, 403, 403, 403, 200),
    "scheduling:room": (302, 403, 403, 403, 200),
    "scheduling:policy": (302, 403, 403, 403, 200),
    "scheduling:board": (302, 404, 403, 200, 200),
    "scheduling:run": (302, 405, 405, 405, 405),
    "scheduling:session": (302, 404, 403, 200, 200),
    "scheduling:candidate-availability": (302, 404, 403, 200, 200),
    "scheduling:cancel": (302, 405, 405, 405, 405),
    "scheduling:load": (302, 200, 200, 200, 200),
    "my-interviews": (302, 200, 200, 200, 200),
    "interview-feed-manage": (302, 405, 405, 405, 405),
    "interview-feed": (404, 404, 404, 404, 404),
    "interview-decline": (302, 404, 404, 404, 404),
    "booking-team": (302, 404, 403, 200, 200),
    "booking-offer": (302, 405, 405, 405, 405),
    "booking-replacement": (302, 405, 405, 405, 405),
    "candidate-schedule": (200, 200, 200, 200, 200),
    "candidate-pick": (405, 405, 405, 405, 405),
    "candidate-reschedule": (405, 405, 405, 405, 405),
    "candidate-availability": (405, 405, 405, 405, 405),
    "login": (200, 200, 200, 200, 200),
    "logout": (405, 405, 405, 405, 405),
    "password_change": (302, 200, 200, 200, 200),
    "password_change_done": (302, 200, 200, 200, 200),
    "password_reset": (200, 200, 200, 200, 200),
    "password_reset_done": (200, 200, 200, 200, 200),
    "password_reset_confirm": (200, 200, 200, 200, 200),
    "password_reset_complete": (200, 200, 200, 200, 200),
    "api:openapi-json": (200, 200, 200, 200, 200),
    "api:openapi-view": (200, 200, 200, 200, 200),
    "api:list_positions": (401, 200, 200, 200, 200),
    "api:create_position": (401, 200, 200, 200, 200),
    "api:get_position": (401, 404, 200, 200, 200),
    "api:patch_position": (401, 404, 200, 200, 200),
    "api:create_competency": (405, 405, 405, 405, 405),
    "api:patch_competency": (405, 405, 405, 405, 405),
    "api:delete_competency": (405, 405, 405, 405, 405),
    "api:list_candidates": (401, 200, 200, 200, 200),
    "api:get_candidate": (401, 404, 200, 200, 200),
    "api:patch_candidate": (401, 404, 200, 200, 200),
    "api:list_applications": (401, 200, 200, 200, 200),
    "api:create_application": (401, 200, 200, 200, 200),
    "api:get_application": (401, 404, 200, 200, 200),
    "api:delete_application": (401, 404, 200, 200, 200),
    "api:move_application": (405, 405, 405, 405, 405),
    "api:list_round_one": (401, 404, 403, 200, 200),
    "api:import_round_one": (405, 405, 405, 405, 405),
    "api:list_items": (401, 404, 403, 200, 200),
    "api:patch_item": (405, 405, 405, 405, 405),
    "api:list_questions": (401, 200, 200, 200, 200),
    "api:create_question": (401, 200, 200, 200, 200),
    "api:list_scenarios": (401, 200, 200, 200, 200),
    "api:get_loop": (401, 404, 403, 200, 200),
    "api:propose_loop": (401, 404, 403, 200, 200),
    "api:loop_changes": (401, 404, 403, 200, 200),
    "api:get_kit": (401, 404, 200, 200, 200),
    "api:list_scorecards": (401, 404, 200, 200, 200),
    "api:write_scorecard": (405, 405, 405, 405, 405),
    "api:get_debrief": (401, 404, 403, 200, 200),
    "api:put_decision": (401, 404, 403, 404, 404),
    "api:get_decision": (401, 404, 403, 404, 404),
    "api:get_availability": (401, 200, 200, 200, 200),
    "api:put_availability": (401, 200, 200, 200, 200),
    "api:get_board": (401, 404, 403, 200, 200),
    "api:post_schedule": (401, 404, 403, 200, 200),
    "api:list_bookings": (401, 200, 200, 200, 200),
    "api:get_options": (401, 404, 403, 200, 200),
    "api:post_options": (401, 404, 403, 200, 200),
    "api:book_option": (405, 405, 405, 405, 405),
    "api:decline": (405, 405, 405, 405, 405),
    "api:my_interviews": (401, 200, 200, 200, 200),
    "api:list_messages": (401, 200, 200, 200, 200),
    "api:resend": (405, 405, 405, 405, 405),
    "api:send_outcome": (405, 405, 405, 405, 405),
    "api:set_promised_decision": (405, 405, 405, 405, 405),
    "api:set_language": (405, 405, 405, 405, 405),
    "api:me": (401, 200, 200, 200, 200),
    "api:set_my_language": (405, 405, 405, 405, 405),
    "api:set_colleague_language": (405, 405, 405, 405, 405),
    "api:save_template": (405, 405, 405, 405, 405),
    "api:api-root": (404, 404, 404, 404, 404),
}  # fmt: skip


def named_routes() -> Iterator[tuple[str, str]]:
    """(name, route) for every named URL pattern except Django's admin."""

    def walk(patterns: list[Any], prefix: str, namespace: str) -> Iterator[tuple[str, str]]:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = namespace + (f"{pattern.namespace}:" if pattern.namespace else "")
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
            elif isinstance(pattern, URLPattern) and pattern.name:
                yield namespace + pattern.name, prefix + str(pattern.pattern)

    seen: dict[str, str] = {}
    for name, route in walk(get_resolver().url_patterns, "", ""):
        if not route.startswith("admin/"):
            seen.setdefault(name, route)
    return iter(seen.items())


def demo_ids(position: Position) -> dict[str, str]:
    """A real object for each kind of path parameter (the malformed-input walk's, and more)."""
    from secondround.bookings.models import Decline, LoopOffer
    from secondround.messaging.models import Message, MessageTemplate
    from secondround.scheduling.models import Room, ScheduledSession

    def first_pk(model: Any) -> str:
        return str(model.objects.order_by("pk").values_list("pk", flat=True).first() or 1)

    ids = real_ids(position)
    template = MessageTemplate.objects.order_by("pk").first()
    ids |= {
        "candidates": ids["candidate_id"],
        "messages": first_pk(Message),
        "message_id": first_pk(Message),
        "room_id": first_pk(Room),
        "rooms": first_pk(Room),
        "session_id": first_pk(ScheduledSession),
        "interviews": first_pk(Interview),
        "interview_id": first_pk(Interview),
        "decline_pk": first_pk(Decline),
        "offer_id": first_pk(LoopOffer),
        "kind": template.kind if template else "outcome",
        "language": template.language if template else "en",
    }
    return ids


def panel_interviewer(position: Position, ids: dict[str, str]) -> User:
    """A plain interviewer on the panel (not on the hiring team) with a round-two scorecard;
    the ids of their scorecard, seat and finalist replace the walk's, so their own pages
    are the ones requested."""
    card = (
        Scorecard.objects.filter(
            application__position=position,
            round=Scorecard.Round.TWO,
            interviewer__role=Role.INTERVIEWER,
        )
        .exclude(interviewer__in=position.recruiters.all())
        .exclude(interviewer=position.hiring_manager)
        .select_related("interviewer")
        .order_by("pk")
        .first()
    )
    assert card is not None and card.session_id is not None
    seat = Seat.objects.get(session_id=card.session_id, interviewer=card.interviewer)
    ids |= {"scorecards": str(card.pk), "seat_pk": str(seat.pk), "seat_id": str(seat.pk),
            "application_pk": str(card.application_id), "application_id": str(card.application_id),
            "applications": str(card.application_id), "session_pk": str(seat.session_id),
            "users": str(card.interviewer_id), "user_pk": str(card.interviewer_id)}  # fmt: skip
    return card.interviewer


def people(position: Position, ids: dict[str, str]) -> dict[str, User | None]:
    return {
        "anonymous": None,
        "outsider": UserFactory(role=Role.INTERVIEWER),
        "interviewer": panel_interviewer(position, ids),
        "manager": position.hiring_manager,
        "admin": User.objects.filter(role=Role.ADMIN, is_active=True).order_by("pk").first(),
    }


def observed_table() -> dict[str, tuple[int, ...]]:
    """The status each role gets for each named URL, requested once each."""
    load_demo()
    position = Position.objects.get(title="Senior software engineer")
    ids = demo_ids(position)
    users = people(position, ids)
    routes = list(named_routes())
    table: dict[str, list[int]] = {name: [] for name, _route in routes}
    for role in ROLES:
        user = users[role]
        client = Client(raise_request_exception=False)
        for name, route in routes:
            if user is not None:  # some GETs end the session (a sign-in page, logout)
                client.force_login(user)
            url, _malformed = urls_for(Route(route, route.startswith("api/v1/")), ids)
            table[name].append(client.get(url).status_code)
    return {name: tuple(statuses) for name, statuses in table.items()}


def test_every_named_url_answers_each_role_as_the_table_says() -> None:
    observed = observed_table()
    if os.environ.get("SECONDROUND_PRINT_URL_TABLE"):
        for name, statuses in observed.items():
            print(f'    "{name}": {statuses},')
    # /healthz answers 503 by design while no worker beats (none runs here): it is a
    # health report, not a failure; every other 5xx is one.
    errors = [
        f"{name}: {s}"
        for name, s in observed.items()
        if name != "healthz" and any(code >= 500 for code in s)
    ]
    assert not errors, "server errors (roles: " + ", ".join(ROLES) + ")\n" + "\n".join(errors)
    wrong = [
        f"{name}: expected {EXPECTED[name]}, got {statuses}"
        for name, statuses in observed.items()
        if name in EXPECTED and EXPECTED[name] != statuses
    ]
    assert not wrong, f"roles: {', '.join(ROLES)}\n" + "\n".join(wrong)
    missing = [f'    "{name}": {observed[name]},' for name in observed if name not in EXPECTED]
    assert not missing, "routes without a row in EXPECTED (check, then add):\n" + "\n".join(missing)
    gone = sorted(set(EXPECTED) - set(observed))
    assert not gone, f"rows for routes that no longer exist: {gone}"
