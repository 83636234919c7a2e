"""The project's malformed-input walk, run on the bookings routes only (quick to rerun)."""

from __future__ import annotations

import pytest

from secondround.hiring.models import Position
from tests.web.test_malformed_input import (
    _client_for,
    all_routes,
    organisation,
    probe,
    real_ids,
    who,
)

__all__ = ["organisation"]
MINE = ("interviews/", "/booking/", "/schedule/", "/options", "me/interviews", "/decline")

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("kind", ["anonymous", "outsider", "interviewer", "hiring_manager"])
def test_bookings_routes_answer_garbage_without_a_server_error(
    organisation: Position, kind: str
) -> None:
    ids = real_ids(organisation)
    user = who(kind, organisation)
    client = _client_for(user)
    routes = [r for r in all_routes() if any(part in r.path for part in MINE)]
    assert len(routes) >= 12
    failures: list[str] = []
    for route in routes:
        if user is not None:
            client.force_login(user)
        failures += probe(client, route, ids)
    assert not failures, "\n".join(failures)
