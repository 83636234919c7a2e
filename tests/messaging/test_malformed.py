"""The every-route malformed-input walk, run on the messaging routes alone (the full walk is
tests/web/test_malformed_input.py): no 5xx for any visitor, with real and garbage ids."""

from __future__ import annotations

import pytest

from secondround.hiring.models import Position
from secondround.messaging.models import Message
from tests.web.test_malformed_input import (
    _client_for,
    all_routes,
    organisation,
    probe,
    real_ids,
    who,
)

__all__ = ["organisation"]  # the demo fixture, shared with the full walk

pytestmark = pytest.mark.django_db


def messaging_routes() -> list:
    return [
        route
        for route in all_routes()
        if route.path.startswith("messages/")
        or any(part in route.path for part in ("/outcome", "/promised-decision", "/language"))
        or "message-templates" in route.path
        or route.path in ("api/v1/messages", "api/v1/messages/<int:message_id>/resend")
        or "api/v1/messages" in route.path
    ]


@pytest.mark.parametrize("kind", ["anonymous", "outsider", "interviewer", "hiring_manager"])
def test_messaging_routes_answer_garbage_without_a_server_error(
    organisation: Position, kind: str
) -> None:
    ids = real_ids(organisation)
    message = Message.objects.first()
    assert message is not None  # the demo's messages, so the real-id requests go deep
    ids |= {"messages": str(message.pk), "message_id": str(message.pk)}
    user = who(kind, organisation)
    client = _client_for(user)
    routes = messaging_routes()
    assert len(routes) >= 14
    failures: list[str] = []
    for route in routes:
        if user is not None:
            client.force_login(user)
        failures += probe(client, route, ids)
    assert not failures, "\n".join(failures)
