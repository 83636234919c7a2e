"""The portal's routes, probed with malformed input like every route (tests/web/test_malformed_input.py)."""

from __future__ import annotations

import pytest

from secondround.hiring.models import Position
from tests.web.test_malformed_input import (
    _client_for,
    all_routes,
    organisation,  # noqa: F401  (the fixture)
    probe,
    real_ids,
    who,
)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("kind", ["anonymous", "interviewer", "hiring_manager"])
def test_portal_routes_never_answer_with_a_server_error(organisation: Position, kind: str) -> None:  # noqa: F811
    routes = [r for r in all_routes() if "portal/" in r.path or "candidate-questions" in r.path]
    assert len(routes) == 8
    ids = real_ids(organisation)
    user = who(kind, organisation)
    client = _client_for(user)
    failures: list[str] = []
    for route in routes:
        if user is not None:
            client.force_login(user)
        failures += probe(client, route, ids)
    assert not failures, "\n".join(failures)
