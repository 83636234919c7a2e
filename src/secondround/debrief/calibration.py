"""The organisation's calibration: every submitted rating, fitted once, cached, reused.

Interviewers' leniency is learned from everything they ever rated (first rounds, other
positions, earlier months); each position's finalists form one comparison group.
"""

from __future__ import annotations

import base64
import dataclasses
import hashlib
import json
import math
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

import numpy as np
from django.db import transaction

from secondround.debrief.models import CalibrationSnapshot
from secondround.engines import calibration as engine
from secondround.hiring.models import Competency, Stage
from secondround.scorecards.models import Scorecard, ScorecardStatus
from secondround.scorecards.selectors import submitted_ratings

COMPARED_STAGES = frozenset(Stage.reached_round_two())
KEEP_SNAPSHOTS = 3


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
        result=comparison_to_json(comparison),
    )
    stale = CalibrationSnapshot.objects.order_by("-created_at", "-pk")[KEEP_SNAPSHOTS:]
    CalibrationSnapshot.objects.filter(pk__in=[s.pk for s in stale]).delete()
    return snapshot


def _load(snapshot: CalibrationSnapshot) -> engine.Comparison | None:
    """The snapshot's comparison; None when it was stored in another layout (refit it)."""
    # Keyed by creation time too: ids repeat when a database is rebuilt (tests, a restore).
    return _load_cached(snapshot.pk, snapshot.created_at)


@lru_cache(maxsize=2)
def _load_cached(snapshot_id: int, created_at: object) -> engine.Comparison | None:
    payload = CalibrationSnapshot.objects.values_list("result", flat=True).get(pk=snapshot_id)
    return comparison_from_json(payload)


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
    return CalibrationSnapshot.objects.defer("result").order_by("-created_at", "-pk").first()


# --- the snapshot as JSON ---------------------------------------------------------------------
#
# A fit is stored as a JSON object (`CalibrationSnapshot.result`), never as a pickle:
#
#     {"schema": SCHEMA_VERSION, "layout": <hash of every stored class's field names>,
#      "comparison": <value>}
#
# where a <value> is JSON null, true/false, a number or a string as itself, a list as a list,
# and otherwise one of these tagged objects:
#
#     {"$float": "nan" | "inf" | "-inf"}          a float JSON cannot hold
#     {"$tuple": [<value>, ...]}                  a tuple
#     {"$dict": [[<value>, <value>], ...]}        a mapping (keys need not be strings)
#     {"$array": {"dtype": "<f8", "shape": [..], "data": base64 of the C-order bytes}}
#     {"$object": "<class>", "fields": {name: <value>, ...}}   one of `_STORED_CLASSES`
#
# Arrays keep their exact bytes and type, so a fit read back scores exactly as the one
# stored. A payload with another schema or layout (the engine's classes changed), or one
# that does not decode, reads as no fit: the worker refits it. Decoding builds only the
# classes listed below, with the fields they declare; nothing else can be instantiated.

SCHEMA_VERSION = 1
_STORED_CLASSES: dict[str, type] = {
    cls.__name__: cls
    for cls in (
        engine.Comparison,
        engine.ScoreTable,
        engine.InterviewerResult,
        engine.CompetencyResult,
        engine.ModelSummary,
        engine._State,
        engine._Data,
        engine._Couplings,
        engine._InterviewerCovariance,
    )
}


class SnapshotFormatError(ValueError):
    """A stored payload that is not a fit this code can read back."""


def _field_names(cls: type) -> tuple[str, ...]:
    if cls is engine._InterviewerCovariance:
        return ("full", "diagonal")  # its constructor's arguments
    if dataclasses.is_dataclass(cls):
        return tuple(f.name for f in dataclasses.fields(cls) if f.init)
    return tuple(cls._fields)  # type: ignore[attr-defined]  # a NamedTuple


LAYOUT = hashlib.sha256(
    json.dumps({name: _field_names(cls) for name, cls in sorted(_STORED_CLASSES.items())}).encode()
).hexdigest()[:16]


def comparison_to_json(comparison: engine.Comparison) -> dict[str, Any]:
    """The fit as a JSON-ready object (see the format above)."""
    return {"schema": SCHEMA_VERSION, "layout": LAYOUT, "comparison": _encode(comparison)}


def comparison_from_json(payload: object) -> engine.Comparison | None:
    """The fit stored by :func:`comparison_to_json`; None when it must be refitted."""
    if not isinstance(payload, dict):
        return None
    if payload.get("schema") != SCHEMA_VERSION or payload.get("layout") != LAYOUT:
        return None
    try:
        comparison = _decode(payload.get("comparison"))
    except (SnapshotFormatError, TypeError, ValueError, KeyError):
        return None
    return comparison if isinstance(comparison, engine.Comparison) else None


def _encode(value: object) -> Any:
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else {"$float": repr(value)}
    if isinstance(value, np.ndarray):
        array = np.ascontiguousarray(value)
        return {"$array": {"dtype": array.dtype.str, "shape": list(array.shape),
                           "data": base64.b64encode(array.tobytes()).decode("ascii")}}  # fmt: skip
    if isinstance(value, np.generic):
        return _encode(value.item())
    name = type(value).__name__
    if _STORED_CLASSES.get(name) is type(value):
        fields = {f: _encode(_attribute(value, f)) for f in _field_names(type(value))}
        return {"$object": name, "fields": fields}
    if isinstance(value, tuple) and not hasattr(value, "_fields"):
        return {"$tuple": [_encode(v) for v in value]}
    if isinstance(value, list):
        return [_encode(v) for v in value]
    if isinstance(value, Mapping):
        return {"$dict": [[_encode(k), _encode(v)] for k, v in value.items()]}
    raise TypeError(f"cannot store a {name} in a calibration snapshot")


def _attribute(value: object, field: str) -> object:
    if isinstance(value, engine._InterviewerCovariance) and field == "full":
        return value.full if value.dense else None
    return getattr(value, field)


def _decode(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, list):
        return [_decode(v) for v in value]
    if not isinstance(value, dict) or len(value) not in (1, 2):
        raise SnapshotFormatError("not a stored value")
    if "$float" in value:
        return float(value["$float"])
    if "$tuple" in value:
        return tuple(_decode(v) for v in value["$tuple"])
    if "$dict" in value:
        return {_decode(k): _decode(v) for k, v in value["$dict"]}
    if "$array" in value:
        return _decode_array(value["$array"])
    if "$object" in value:
        return _decode_object(value["$object"], value["fields"])
    raise SnapshotFormatError("an unknown tag")


def _decode_array(spec: dict[str, Any]) -> np.ndarray:
    dtype = np.dtype(spec["dtype"])
    if dtype.hasobject:
        raise SnapshotFormatError("object arrays are never stored")
    data = base64.b64decode(spec["data"], validate=True)
    return np.frombuffer(data, dtype=dtype).reshape(spec["shape"]).copy()


def _decode_object(name: str, fields: dict[str, Any]) -> object:
    cls = _STORED_CLASSES.get(name)
    if cls is None or set(fields) != set(_field_names(cls)):
        raise SnapshotFormatError(f"not a stored class: {name}")
    return cls(**{f: _decode(v) for f, v in fields.items()})
