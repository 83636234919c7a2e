"""Two candidates pick overlapping options at the same moment, on two connections.

Run on SQLite by default and on PostgreSQL with DATABASE_URL set (the booking lock is a
write to the policy row: SQLite's IMMEDIATE write lock, PostgreSQL's row lock, so the
second booking rechecks clashes after the first committed).
"""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from secondround.bookings import offers
from secondround.bookings.offers import PickOutcome
from secondround.hiring.models import Application, Position
from secondround.scheduling.models import ScheduledSession, SessionStatus
from tests.bookings.conftest import finalist
from tests.bookings.test_offers import clashes

LINK = "https://careers.example/prep/i/prep_test/"  # the link the candidate came by

pytestmark = pytest.mark.django_db(transaction=True)


def _in_memory_sqlite() -> bool:
    return connection.vendor == "sqlite" and connection.is_in_memory_db()


@pytest.fixture(autouse=True)
def real_database_locks() -> None:
    # The test database on SQLite is in memory with a shared cache, whose table locks fail at
    # once instead of waiting; a deployment's SQLite file (WAL, IMMEDIATE) waits as designed.
    if _in_memory_sqlite():
        pytest.skip("needs PostgreSQL or a SQLite file: run with DATABASE_URL=postgres://…")


def test_simultaneous_overlapping_picks_one_wins_the_other_gets_fresh_options(
    planned: Position,
) -> None:
    ana, ben = finalist(planned, "Ana Finalist"), finalist(planned, "Ben Finalist")
    for_ana = offers.offer_times(actor=planned.hiring_manager, application=ana)
    for_ben = offers.offer_times(actor=planned.hiring_manager, application=ben)
    assert clashes(for_ana.options[0], for_ben.options[0])
    start = threading.Barrier(2)
    outcomes: dict[str, PickOutcome] = {}
    errors: list[BaseException] = []

    def pick(name: str, application: Application, offer_id: int) -> None:
        try:
            start.wait(timeout=30)
            outcomes[name] = offers.pick_option(
                application=application, offer_id=offer_id, index=0, portal_link=LINK
            )
        except BaseException as error:  # reported by the assertion below
            errors.append(error)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=pick, args=("ana", ana, for_ana.pk)),
        threading.Thread(target=pick, args=("ben", ben, for_ben.pk)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors
    winners = [n for n, o in outcomes.items() if o.booked]
    losers = [n for n, o in outcomes.items() if o.taken]
    assert len(winners) == 1 and len(losers) == 1
    loser = outcomes[losers[0]]
    assert loser.fresh is not None and "just before you" in loser.fresh.notice
    booked = ScheduledSession.objects.filter(status=SessionStatus.BOOKED)
    assert {s.application.candidate.full_name for s in booked} == {
        f"{winners[0].capitalize()} Finalist"
    }
    winner_option = (for_ana if winners[0] == "ana" else for_ben).options[0]
    for option in loser.fresh.options:
        assert not clashes(option, winner_option)
