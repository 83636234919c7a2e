"""A large round-one import is written in short chunks, and undone whole if a chunk fails."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import IntegrityError, connection
from django.test.utils import CaptureQueriesContext

from secondround.accounts.models import Role, User
from secondround.hiring.models import Position
from secondround.scorecards import import_writer
from secondround.scorecards.models import Rating, Scorecard
from secondround.scorecards.services import import_first_round
from tests.factories import UserFactory, make_application

pytestmark = pytest.mark.django_db

HEADER = "candidate_email,interviewer_email,competency,rating,confidence,notes,concern\n"


def ratings_file(position: Position, candidates: list[str], raters: list[User], rating: int) -> str:
    competencies = list(position.competencies.values_list("name", flat=True))
    rows = [
        f"{candidate},{rater.email},{competency},{rating},3,note,no\n"
        for candidate in candidates
        for rater in raters
        for competency in competencies
    ]
    return HEADER + "".join(rows)


def run(position: Position, text: str) -> Any:
    return import_first_round(
        actor=position.hiring_manager, filename="r1.csv", content=text.encode(), position=position
    )


def stored() -> list[tuple[int, int, int | None]]:
    return sorted(Rating.objects.values_list("scorecard_id", "competency_id", "rating"))


@pytest.fixture
def big(position: Position) -> tuple[Position, list[str], list[User]]:
    candidates = [make_application(position, name=f"Cand {n}").candidate.email for n in range(3)]
    raters = [UserFactory(role=Role.INTERVIEWER) for _ in range(2)]
    return position, candidates, raters


def test_writes_come_in_chunks_of_bounded_size(
    big: tuple[Position, list[str], list[User]], monkeypatch: pytest.MonkeyPatch
) -> None:
    position, candidates, raters = big
    monkeypatch.setattr(import_writer, "CHUNK_SIZE", 5)
    text = ratings_file(position, candidates, raters, rating=3)
    total = text.count("\n") - 1
    with CaptureQueriesContext(connection) as queries:
        result = run(position, text)
    assert result.created == total == Rating.objects.count()
    inserts = [q["sql"] for q in queries if q["sql"].startswith('INSERT INTO "scorecards_rating"')]
    assert len(inserts) == -(-total // 5)  # one bounded statement per chunk, each in its own block
    assert all(sql.count("), (") <= 4 for sql in inserts)


def test_a_chunk_that_fails_undoes_the_whole_import(
    big: tuple[Position, list[str], list[User]], monkeypatch: pytest.MonkeyPatch
) -> None:
    position, candidates, raters = big
    run(position, ratings_file(position, candidates[:1], raters, rating=2))
    before = stored()
    scorecards_before = Scorecard.objects.count()
    monkeypatch.setattr(import_writer, "CHUNK_SIZE", 4)
    real_bulk_update = Rating.objects.bulk_update
    calls = []

    def second_chunk_fails(objs: Any, *args: Any, **kwargs: Any) -> Any:
        calls.append(len(objs))
        if len(calls) == 2:  # the database refuses the second chunk of changes
            raise IntegrityError("CHECK constraint failed")
        return real_bulk_update(objs, *args, **kwargs)

    monkeypatch.setattr(Rating.objects, "bulk_update", second_chunk_fails)
    with pytest.raises(IntegrityError):
        # changes every stored rating (2 -> 5) and adds those of two more candidates
        run(position, ratings_file(position, candidates, raters, rating=5))
    assert calls[0] == 4  # new ratings and the first chunk of changes were written by then
    assert Rating.objects.filter(rating=5).count() == 0
    assert stored() == before  # new ratings gone, changed ones back to 2
    assert Scorecard.objects.count() == scorecards_before
