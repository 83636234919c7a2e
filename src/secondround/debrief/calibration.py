"""The organisation's calibration: every submitted rating, fitted once, cached, reused.

Interviewers' leniency is learned from everything they ever rated (first rounds, other
positions, earlier months); each position's finalists form one comparison group.
"""

from __future__ import annotations

import hashlib
import pickle
from functools import lru_cache
from pathlib import Path

from django.db import transaction

from secondround.debrief.models import CalibrationSnapshot
from secondround.engines import calibration as engine
from secondround.hiring.models import Competency, Stage
from secondround.scorecards.models import Scorecard, ScorecardStatus
from secondround.scorecards.selectors import submitted_ratings

COMPARED_STAGES = frozenset(Stage.reached_round_two())
KEEP_SNAPSHOTS = 3
#: Snapshots pickled by another version of the engine are refitted, not unpickled into
#: classes that have changed since (a refit costs about a second).
ENGINE_VERSION = hashlib.sha256(Path(engine.__file__).read_bytes()).hexdigest()[:16]


def organisation_ratings() -> list[engine.Rating]:
    """One rating per finalist, interviewer and competency (a later round replaces an earlier)."""
    rows = submitted_ratings().values_list(
        "scorecard__application_id", "scorecard__interviewer_id", "competency_id", "rating",
        "scorecard__round", "scorecard__application__position_id",
        "scorecard__application__stage",
    )  # fmt: skip
    latest: dict[tuple[int, int, int], tuple[int | None, int, int, str]] = {}
    for application, interviewer, competency, rating, round_, position, stage in rows:
        key = (application, interviewer, competency)
        if key not in latest or round_ > latest[key][1]:
            latest[key] = (rating, round_, position, stage)
    finalists_per_position: dict[int, set[int]] = {}
    for (application, _i, _c), (_r, _round, position, stage) in latest.items():
        if stage in COMPARED_STAGES:
            finalists_per_position.setdefault(position, set()).add(application)
    # A group of one compares nobody; its ratings still teach the model as history.
    compared = {p for p, apps in finalists_per_position.items() if len(apps) >= 2}
    return [
        engine.Rating(
            candidate=str(application),
            interviewer=str(interviewer),
            competency=str(competency),
            rating=rating,
            group=str(position) if position in compared and stage in COMPARED_STAGES else None,
        )
        for (application, interviewer, competency), (
            rating,
            _round,
            position,
            stage,
        ) in latest.items()
    ]


def competency_weights() -> dict[str, float]:
    return {str(pk): float(w) for pk, w in Competency.objects.values_list("pk", "weight")}


@transaction.atomic
def refresh_snapshot() -> CalibrationSnapshot | None:
    """Fit the whole history and keep the result; None when there is nothing to compare."""
    ratings = organisation_ratings()
    if not any(r.group for r in ratings):
        return None
    rated = {r.competency for r in ratings}
    weights = {key: w for key, w in competency_weights().items() if key in rated}
    comparison = engine.fit(ratings, weights=weights)
    snapshot = CalibrationSnapshot.objects.create(
        n_ratings=len(ratings),
        payload=pickle.dumps((ENGINE_VERSION, comparison), protocol=pickle.HIGHEST_PROTOCOL),
    )
    stale = CalibrationSnapshot.objects.order_by("-created_at", "-pk")[KEEP_SNAPSHOTS:]
    CalibrationSnapshot.objects.filter(pk__in=[s.pk for s in stale]).delete()
    return snapshot


def _load(snapshot: CalibrationSnapshot) -> engine.Comparison | None:
    """The snapshot's comparison; None when another engine version pickled it."""
    # Keyed by creation time too: ids repeat when a database is rebuilt (tests, a restore).
    return _load_cached(snapshot.pk, snapshot.created_at)


@lru_cache(maxsize=2)
def _load_cached(snapshot_id: int, created_at: object) -> engine.Comparison | None:
    # Our own pickle, written by refresh_snapshot into our own database.
    payload = CalibrationSnapshot.objects.values_list("payload", flat=True).get(pk=snapshot_id)
    try:
        version, comparison = pickle.loads(bytes(payload))
    except (AttributeError, ImportError, TypeError, ValueError, pickle.UnpicklingError):
        return None  # a payload from before versions were kept, or from a vanished class
    return comparison if version == ENGINE_VERSION else None


def current() -> tuple[CalibrationSnapshot, engine.Comparison] | None:
    """The latest fit this version of the engine can read; None when there is none.

    A read: it never fits. The worker refits when `needs_refit` says so (and the hiring team
    can ask for it on the debrief page).
    """
    snapshot = _latest()
    comparison = None if snapshot is None else _load(snapshot)
    if snapshot is None or comparison is None:
        return None
    return snapshot, comparison


def needs_refit() -> bool:
    """Submitted ratings exist that the usable fit does not include yet: there is no fit, it
    was made by another version of the engine, or a submitted scorecard changed since."""
    submitted = Scorecard.objects.filter(status=ScorecardStatus.SUBMITTED)
    snapshot = _latest()
    if snapshot is None or _load(snapshot) is None:
        return submitted.exists()
    return submitted.filter(updated_at__gt=snapshot.created_at).exists()


def _latest() -> CalibrationSnapshot | None:
    return CalibrationSnapshot.objects.defer("payload").order_by("-created_at", "-pk").first()
