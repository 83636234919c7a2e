"""The pages a busy team opens most make the same number of queries for 5 finalists as for 50."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from secondround import demo
from secondround.accounts.services import create_api_token
from secondround.debrief.calibration import refresh_snapshot
from secondround.hiring import services as hiring
from secondround.hiring.models import Position, Stage
from secondround.loops.selectors import assessing_seats
from secondround.loops.services import finalists, refresh_clarification_items
from secondround.scorecards.services import (
    ScorecardInput,
    open_round_two_scorecard,
    submit_scorecard,
)
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

PAGES: dict[str, Callable[[Position], str]] = {
    "round two": lambda p: f"/positions/{p.pk}/round-two/",
    "debrief": lambda p: f"/positions/{p.pk}/debrief/",
    "debrief pack PDF": lambda p: f"/positions/{p.pk}/debrief/pack/",
    "api debrief": lambda p: f"/api/v1/positions/{p.pk}/debrief",
    "api applications": lambda p: f"/api/v1/applications?position_id={p.pk}",
}


def _add_finalists(position: Position, total: int) -> None:
    """Bring the position to `total` finalists, each with a full set of round-two scorecards."""
    manager = position.hiring_manager
    seats = list(
        assessing_seats(position).select_related("interviewer").prefetch_related("competencies")
    )
    n = len(finalists(position))
    while n < total:
        application = hiring.add_candidate_to_position(
            actor=manager,
            position=position,
            fields={"full_name": f"Finalist {n:03d}", "email": f"finalist{n}@mail.example"},
        )
        for stage in (Stage.FIRST_ROUND, Stage.SECOND_ROUND):
            hiring.move_application(actor=manager, application=application, to_stage=stage)
        for seat in seats:
            card = open_round_two_scorecard(
                actor=seat.interviewer, seat=seat, application=application
            )
            ratings = {
                c.pk: {
                    "rating": 3 + (n + c.pk) % 3,
                    "notes": "Specific example given.",
                    "shareable": False,
                }
                for c in seat.competencies.all()
            }
            submit_scorecard(
                actor=seat.interviewer,
                scorecard=card,
                data=ScorecardInput(
                    ratings=ratings,
                    resolutions={},
                    overall={"recommendation": "yes", "confidence": 3, "takeaways": "Fine."},
                ),
            )
        n += 1
    refresh_clarification_items(position=position)
    refresh_snapshot()


def _queries(client: Client, url: str) -> int:
    client.get(url)  # warm: first-request caches (templates, content types) are not the page's cost
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(captured)


@pytest.mark.xfail(strict=True, reason="N+1 queries on these pages; fixed in the next commit")
def test_query_counts_do_not_grow_with_finalists() -> None:
    demo.load()
    position = Position.objects.get(title="Senior software engineer")
    manager = position.hiring_manager
    web = client_for(manager)
    api = Client(headers={"Authorization": f"Bearer {create_api_token(user=manager, name='q')[1]}"})
    for extra in finalists(position)[5:]:  # the demo has 8; start from 5
        hiring.move_application(actor=manager, application=extra, to_stage=Stage.REJECTED)
    counts: dict[int, dict[str, int]] = {}
    for total in (5, 50):
        _add_finalists(position, total)
        assert len(finalists(position)) >= total
        counts[total] = {
            name: _queries(api if name.startswith("api") else web, url(position))
            for name, url in PAGES.items()
        }
    grown = {
        name: (counts[5][name], counts[50][name])
        for name in PAGES
        if counts[50][name] > counts[5][name]
    }
    assert grown == {}, f"queries for 5 vs 50 finalists: {grown}"
