"""Every URL pattern, web and /api/v1/, requested with malformed input by every kind of user.

The resolver is walked, so a route added later is probed too. Each path parameter gets a
real id, ids past the 64-bit range, and text where a number belongs; each page's own field
names (read from its forms) and a set of common ones get huge ids, text, negative numbers,
NUL bytes and repeated values, in the query string and in the POST body; API routes also
get malformed JSON. Any answer of 500 or more fails the test with the request that caused it,
and so does any HTML answer without a Content-Security-Policy header.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from secondround.accounts.models import Role, User
from secondround.accounts.services import create_api_token
from secondround.hiring.models import Position
from secondround.loops.models import ClarificationItem, Seat
from secondround.prep import demo as prep_demo
from secondround.prep.models import CandidateQuestion, InviteLink, PrepKit, Story
from secondround.questions.models import Question, Scenario
from secondround.scorecards.models import Scorecard
from tests.demo_cache import load_demo
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PAST_64_BITS = str(2**63)
THIRTY_DIGITS = "9" * 30
# Each request fills every field with one of these; a view reading one value sees the last.
QUERY_VALUES = [PAST_64_BITS, "abc\x00%"]
BODY_VALUES = [THIRTY_DIGITS, "-1", "1.5e999", "abc\x00%" + "x" * 5000]
COMMON_NAMES = [
    "q", "page", "position", "position_id", "stage", "kind", "competency", "competencies",
    "next", "action", "reason", "recruiters", "interviewers", "days", "weights", "topic",
    "question_pk", "answer", "seconds", "decision", "format", "file", "limit", "offset",
]  # fmt: skip
_FIELD_NAME = re.compile(r'name="([^"]+)"')


@dataclass(frozen=True)
class Route:
    path: str  # the route with <converter:name> placeholders, as Django prints it
    is_api: bool


def all_routes() -> list[Route]:
    """Every URL pattern of the project except Django's admin, each once."""

    def walk(patterns: list[Any], prefix: str) -> Iterator[str]:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern))
            elif isinstance(pattern, URLPattern):
                yield prefix + str(pattern.pattern)

    seen = dict.fromkeys(walk(get_resolver().url_patterns, ""))
    return [Route(r, r.startswith("api/v1/")) for r in seen if not r.startswith("admin/")]


def real_ids(position: Position) -> dict[str, str]:
    """An existing object for each kind of path parameter, so the deeper code runs too."""
    seat = Seat.objects.filter(session__plan__position=position).first()
    application = position.applications.filter(stage="second_round").first()
    scorecard = Scorecard.objects.filter(
        application__position=position, round=Scorecard.Round.TWO
    ).first()
    kit = PrepKit.objects.first()
    story = Story.objects.first()
    item = ClarificationItem.objects.first()
    link = InviteLink.objects.first()
    competency = position.competencies.first()
    assert seat and application and scorecard and competency
    return {
        "positions": str(position.pk),
        "position_id": str(position.pk),
        "applications": str(application.pk),
        "application_pk": str(application.pk),
        "application_id": str(application.pk),
        "candidate_id": str(application.candidate_id),
        "scorecards": str(scorecard.pk),
        "questions": str(Question.objects.first().pk),  # type: ignore[union-attr]
        "scenarios": str(Scenario.objects.first().pk),  # type: ignore[union-attr]
        "competency_pk": str(competency.pk),
        "competency_id": str(competency.pk),
        "seat_pk": str(seat.pk),
        "seat_id": str(seat.pk),
        "session_pk": str(seat.session_id),
        "item_pk": str(item.pk if item else 1),
        "item_id": str(item.pk if item else 1),
        "link_pk": str(link.pk if link else 1),
        "public_id": str(kit.public_id if kit else "00000000-0000-0000-0000-000000000000"),
        "stories": str(story.pk if story else 1),
        "account": "1",
        "token": prep_demo.DEMO_LINK_TOKEN,  # the portal's private link
        "question_pk": str(CandidateQuestion.objects.values_list("pk", flat=True).first() or 1),
    }


_PLACEHOLDER = re.compile(r"<(?:(\w+):)?(\w+)>")


def urls_for(route: Route, ids: dict[str, str]) -> tuple[str, list[str]]:
    """The route with real ids, and the same with ids past 64 bits or text where an id belongs."""

    def fill(variant: str) -> str:
        def one(match: re.Match[str]) -> str:
            name = match.group(2)
            if variant == "real":
                before = route.path[: match.start()].rstrip("/").split("/")
                return ids.get(name) or ids.get(before[-1] if name == "pk" else "", "1")
            if match.group(1) == "uuid":
                return "00000000-0000-0000-0000-000000000000"
            return variant

        return "/" + _PLACEHOLDER.sub(one, route.path)

    if not _PLACEHOLDER.search(route.path):
        return fill("real"), []
    return fill("real"), [fill(PAST_64_BITS), fill(THIRTY_DIGITS), fill("abc"), fill("0")]


def field_names(body: bytes) -> list[str]:
    names = set(_FIELD_NAME.findall(body.decode(errors="replace"))) - {"csrfmiddlewaretoken"}
    return sorted(names | set(COMMON_NAMES))


def garbage_query(names: list[str], value: str) -> str:
    return "&".join(f"{n}={THIRTY_DIGITS}&{n}={value}" for n in names)


def garbage_bodies(names: list[str]) -> Iterator[dict[str, list[str]]]:
    for value in BODY_VALUES:
        yield {name: [THIRTY_DIGITS, value] for name in names}


def garbage_json(names: list[str]) -> Iterator[str]:
    yield "{not json"
    yield json.dumps({name: int(THIRTY_DIGITS) for name in names})
    yield json.dumps({name: ["abc\x00", {"id": -1}] for name in names})
    yield "[" * 5000 + "]" * 5000


def probe(client: Client, route: Route, ids: dict[str, str]) -> list[str]:
    """Every request for one route; the ones answered with a server error."""
    failures: list[str] = []

    def check(method: str, url: str, response: Any, sent: str = "") -> None:
        # /healthz answers 503 by design while no worker beats (none runs in tests); its
        # body must still be the health report, not an error page.
        if url.startswith("/healthz") and response.status_code == 503:
            assert response.json()["status"] == "degraded"
            return
        if response.status_code >= 500:
            failures.append(f"{method} {url} {sent[:120]!r} -> {response.status_code}")
        is_page = response.get("Content-Type", "").startswith("text/html")
        if is_page and "Content-Security-Policy" not in response:
            failures.append(f"{method} {url}: a page without a Content-Security-Policy")

    real, malformed = urls_for(route, ids)
    for url in malformed:  # refused before any form is read: one request of each kind
        check("GET", url, client.get(url))
        if route.is_api:
            check("PATCH", url, client.patch(url, "{}", content_type="application/json"))
        check("POST", url, client.post(url, {"x": THIRTY_DIGITS}))
    page = client.get(real)
    check("GET", real, page)
    names = field_names(page.content) if page.status_code == 200 else COMMON_NAMES
    for value in QUERY_VALUES:
        query = garbage_query(names, value)
        check("GET", real, client.get(f"{real}?{query}"), query)
    if route.is_api:
        for method in ("post", "put", "patch", "delete"):
            for body in garbage_json(names):
                sent = getattr(client, method)(real, body, content_type="application/json")
                check(method.upper(), real, sent, body)
    else:
        for form in garbage_bodies(names):
            check("POST", real, client.post(real, form), str(form))
        check("POST", real, client.post(real, {}, headers={"HX-Request": "true"}))
    return failures


@pytest.fixture
def organisation() -> Position:
    load_demo()
    return Position.objects.get(title="Senior software engineer")


def _client_for(user: User | None) -> Client:
    if user is None:
        return Client(raise_request_exception=False)
    _token, key = create_api_token(user=user, name="probe")
    client = Client(raise_request_exception=False, headers={"Authorization": f"Bearer {key}"})
    client.force_login(user)
    return client


def who(kind: str, position: Position) -> User | None:
    if kind == "outsider":
        return UserFactory(role=Role.INTERVIEWER)
    if kind == "interviewer":
        seat = Seat.objects.filter(session__plan__position=position).exclude(
            interviewer=position.hiring_manager
        )
        return seat.first().interviewer  # type: ignore[union-attr]
    if kind == "hiring_manager":
        return position.hiring_manager
    return None


@pytest.mark.parametrize("kind", ["anonymous", "outsider", "interviewer", "hiring_manager"])
def test_no_route_answers_malformed_input_with_a_server_error(
    organisation: Position, kind: str
) -> None:
    ids = real_ids(organisation)
    user = who(kind, organisation)
    client = _client_for(user)
    routes = all_routes()
    assert len(routes) > 80 and any(r.is_api for r in routes)
    failures: list[str] = []
    for route in routes:
        if user is not None:  # the probe of /accounts/logout/ ends the session
            client.force_login(user)
        failures += probe(client, route, ids)
    assert not failures, "\n".join(failures)
