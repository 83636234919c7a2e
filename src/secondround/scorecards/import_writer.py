"""Writing a checked round-one import in bounded chunks, as one all-or-nothing import.

One transaction for a 20,000-row file held SQLite's only write lock for half a minute: the
task worker and every autosave waited, then failed with "database is locked". Here the
rows are checked and compared with what is stored first, without writing; then they are
written `CHUNK_SIZE` at a time, each chunk its own short transaction, so other writers get
the lock in between. Should a chunk fail, everything written so far is undone in one
transaction: the import as a whole still stores all or nothing. Readers may see a partly
written import for the seconds it takes; they never keep one.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone

from secondround.scorecards.models import Rating, Scorecard, ScorecardStatus

logger = logging.getLogger(__name__)

CHUNK_SIZE = 500


@dataclass(frozen=True)
class RatingWrite:
    """One row, resolved: whose rating of which competency, and its new values."""

    application_id: int
    interviewer_id: int
    competency_id: int
    values: Mapping[str, Any]


@dataclass
class WritePlan:
    new_scorecards: list[Scorecard] = field(default_factory=list)
    new_ratings: list[Rating] = field(default_factory=list)
    changed_ratings: list[Rating] = field(default_factory=list)
    previous_values: dict[int, dict[str, Any]] = field(default_factory=dict)
    unchanged: int = 0
    scorecards: int = 0


@dataclass
class Undo:
    """What the chunks wrote so far, to take back if a later one fails."""

    scorecard_ids: list[int] = field(default_factory=list)
    rating_ids: list[int] = field(default_factory=list)
    changed: list[Rating] = field(default_factory=list)


def chunks[T](items: Sequence[T]) -> Iterator[Sequence[T]]:
    size = CHUNK_SIZE
    for start in range(0, len(items), size):
        yield items[start : start + size]


def plan_writes(writes: Sequence[RatingWrite], fields: Sequence[str]) -> WritePlan:
    """Compare the rows with what is stored; validate every new value. Writes nothing."""
    plan = WritePlan()
    scorecards = _round_one_scorecards({(w.application_id, w.interviewer_id) for w in writes})
    plan.scorecards = len(scorecards)
    plan.new_scorecards = [s for s in scorecards.values() if s.pk is None]
    stored = _stored_ratings([s.pk for s in scorecards.values() if s.pk is not None])
    for write in writes:
        scorecard = scorecards[(write.application_id, write.interviewer_id)]
        rating = stored.get((scorecard.pk, write.competency_id)) if scorecard.pk else None
        if rating is None:
            rating = Rating(scorecard=scorecard, competency_id=write.competency_id, **write.values)
            _validate(rating)
            plan.new_ratings.append(rating)
        elif any(getattr(rating, name) != write.values[name] for name in fields):
            plan.previous_values[rating.pk] = {name: getattr(rating, name) for name in fields}
            for name in fields:
                setattr(rating, name, write.values[name])
            _validate(rating)
            plan.changed_ratings.append(rating)
        else:
            plan.unchanged += 1
    return plan


def _validate(rating: Rating) -> None:
    # Field rules only, no query per row: both foreign keys were just read from the database,
    # and the plan itself guarantees one rating per scorecard and competency.
    rating.full_clean(
        exclude=["scorecard", "competency"], validate_unique=False, validate_constraints=False
    )


def _round_one_scorecards(keys: set[tuple[int, int]]) -> dict[tuple[int, int], Scorecard]:
    """Stored round-one scorecards for these (application, interviewer), new ones for the rest."""
    found: dict[tuple[int, int], Scorecard] = {}
    application_ids = sorted({application for application, _ in keys})
    for some in chunks(application_ids):
        for scorecard in Scorecard.objects.filter(
            round=Scorecard.Round.ONE, application_id__in=some
        ):
            key = (scorecard.application_id, scorecard.interviewer_id)
            if key in keys:
                found[key] = scorecard
    now = timezone.now()
    for application_id, interviewer_id in keys - found.keys():
        found[(application_id, interviewer_id)] = Scorecard(
            application_id=application_id, interviewer_id=interviewer_id, round=Scorecard.Round.ONE,
            status=ScorecardStatus.SUBMITTED, submitted_at=now,
        )  # fmt: skip
    return found


def _stored_ratings(scorecard_ids: Sequence[int]) -> dict[tuple[int, int], Rating]:
    stored: dict[tuple[int, int], Rating] = {}
    for some in chunks(scorecard_ids):
        for rating in Rating.objects.filter(scorecard_id__in=some):
            stored[(rating.scorecard_id, rating.competency_id)] = rating
    return stored


def write_plan(plan: WritePlan, fields: Sequence[str]) -> None:
    """Write the plan chunk by chunk; on any failure undo all of it, then re-raise."""
    undo = Undo()
    try:
        for scorecards in chunks(plan.new_scorecards):
            with transaction.atomic():
                created = Scorecard.objects.bulk_create(scorecards)
            undo.scorecard_ids.extend(s.pk for s in created)
        for rating in plan.new_ratings:
            rating.scorecard_id = rating.scorecard.pk  # scorecards made above now have ids
        for ratings in chunks(plan.new_ratings):
            with transaction.atomic():
                created_ratings = Rating.objects.bulk_create(ratings)
            undo.rating_ids.extend(r.pk for r in created_ratings)
        for changed in chunks(plan.changed_ratings):
            with transaction.atomic():
                Rating.objects.bulk_update(changed, fields)
            undo.changed.extend(changed)
    except BaseException:
        logger.warning("Round-one import failed while writing; undoing what was written.")
        _undo(undo, plan.previous_values)
        raise


def _undo(undo: Undo, previous_values: Mapping[int, Mapping[str, Any]]) -> None:
    with transaction.atomic():
        for some in chunks(undo.rating_ids):
            Rating.objects.filter(pk__in=some).delete()
        for rating in undo.changed:
            for name, value in previous_values[rating.pk].items():
                setattr(rating, name, value)
        for some_changed in chunks(undo.changed):
            Rating.objects.bulk_update(some_changed, list(_field_names(previous_values)))
        for some in chunks(undo.scorecard_ids):
            Scorecard.objects.filter(pk__in=some).delete()


def _field_names(previous_values: Mapping[int, Mapping[str, Any]]) -> Iterable[str]:
    return next(iter(previous_values.values()), {}).keys()
