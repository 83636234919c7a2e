"""The calibration snapshot is JSON with a schema version: it reads back into the very fit
that was stored, and anything else reads as "refit", never as an error."""

from __future__ import annotations

import json
import random

import numpy as np
import pytest

from secondround.debrief.calibration import (
    LAYOUT,
    SCHEMA_VERSION,
    comparison_from_json,
    comparison_to_json,
)
from secondround.engines import calibration as engine


def history(seed: int = 3) -> list[engine.Rating]:
    """Two groups of finalists and a past candidate, with lenient and harsh raters and a
    missing rating (a NaN p-value and an unrated cell are stored too)."""
    rng = random.Random(seed)
    ratings = []
    for group, people in {"a": ["ann", "bob", "cem"], "b": ["dia", "eli"], None: ["old"]}.items():
        for candidate in people:
            for interviewer in ["i1", "i2", "i3", "i4"]:
                for competency in ["craft", "values", "design"]:
                    rating = (
                        rng.randint(1, 5) if (candidate, interviewer) != ("ann", "i4") else None
                    )
                    ratings.append(engine.Rating(candidate, interviewer, competency, rating, group))
    return ratings


@pytest.fixture(scope="module")
def fit() -> engine.Comparison:
    return engine.fit(history(), weights={"craft": 2.0, "values": 1.0, "design": 1.0}, n_draws=500)


def stored_and_read(comparison: engine.Comparison) -> engine.Comparison:
    # Strict JSON (PostgreSQL's jsonb refuses NaN), through text as the database keeps it.
    text = json.dumps(comparison_to_json(comparison), allow_nan=False)
    read = comparison_from_json(json.loads(text))
    assert read is not None
    return read


def test_a_stored_fit_reads_back_as_the_same_fit(fit: engine.Comparison) -> None:
    read = stored_and_read(fit)
    assert read.groups == fit.groups
    assert read.interviewers == fit.interviewers
    assert read.competencies == fit.competencies
    assert read.model == fit.model
    assert np.array_equal(read.table.p_best, fit.table.p_best)


def test_a_stored_fit_rescores_new_weights_like_the_fit(fit: engine.Comparison) -> None:
    weights = {"craft": 1.0, "values": 3.0, "design": 0.0}
    assert stored_and_read(fit).reweighted(weights).groups == fit.reweighted(weights).groups


def test_the_payload_names_its_schema_and_layout(fit: engine.Comparison) -> None:
    payload = comparison_to_json(fit)
    assert payload["schema"] == SCHEMA_VERSION and payload["layout"] == LAYOUT
    assert payload["comparison"]["$object"] == "Comparison"


@pytest.mark.parametrize(
    "damage",
    ["older schema", "other layout", "no schema", "a list", "a string", "missing field",
     "unknown class", "bad base64", "object array", "wrong shape"],
)  # fmt: skip
def test_an_old_or_garbled_payload_reads_as_needing_a_refit(
    fit: engine.Comparison, damage: str
) -> None:
    payload = json.loads(json.dumps(comparison_to_json(fit)))
    comparison = payload["comparison"]
    table = comparison["fields"]["table"]
    match damage:
        case "older schema":
            payload["schema"] = SCHEMA_VERSION - 1
        case "other layout":
            payload["layout"] = "0" * 16
        case "no schema":
            del payload["schema"]
        case "a list":
            payload = [payload]
        case "a string":
            payload = "gASVAAAAAAAAAACMCGJ1aWx0aW5zlIwEZXZhbJSTlC4="  # base64 of a pickle
        case "missing field":
            del comparison["fields"]["model"]
        case "unknown class":
            table["$object"] = "Popen"
        case "bad base64":
            table["fields"]["score"]["$array"]["data"] = "not base64!"
        case "object array":
            table["fields"]["score"]["$array"]["dtype"] = "|O"
        case "wrong shape":
            table["fields"]["score"]["$array"]["shape"] = [7, 13]
    assert comparison_from_json(payload) is None
