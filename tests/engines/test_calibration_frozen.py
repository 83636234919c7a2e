"""The engine's results on random instances are frozen: speed work must not move them.

Values were taken from the engine before the million-rating speed work (issue #14 item 5)
and must hold within 1e-9: estimates, standard errors, intervals, P(best), per-competency
scores and their disagreement tests, interviewers' severities, and a reweighting (which
reads the candidates' Gram matrices). Each array is condensed to its length, its first
value and its dot product with fixed random weights (any change to any entry moves it).

The instances are shaped as the scale benchmark's ratings (interviewers drawn at random
for every candidate and competency, rows in random order), large enough to take the
paths a million ratings take: no REML refinement, the coupling in halves, batched blocks, wide groups (positions
whose candidates met more than ``WIDE_BLOCK`` interviewers) and, without positions, one
group too large for a joint posterior.
"""

from __future__ import annotations

import numpy as np
import pytest

from secondround.engines import calibration
from secondround.engines.calibration import CodedColumn, Comparison, RatingColumns, fit


def _instance(with_positions: bool) -> RatingColumns:
    rng = np.random.default_rng(2026)
    n_candidates, n_interviewers, n_comp, per_cell = 1200, 250, 6, 5
    severity = 0.6 * rng.normal(size=n_interviewers)
    who = np.argsort(rng.random((n_candidates * n_comp, n_interviewers)), axis=1)[:, :per_cell]
    cand = np.repeat(np.arange(n_candidates), n_comp * per_cell)
    comp = np.tile(np.repeat(np.arange(n_comp), per_cell), n_candidates)
    interviewer = who.ravel()
    keep = rng.random(len(cand)) < 0.9
    cand, comp, interviewer = cand[keep], comp[keep], interviewer[keep]
    merit = rng.normal(size=n_candidates)
    latent = merit[cand] - severity[interviewer] + 0.8 * rng.normal(size=len(cand))
    rating = (1 + np.searchsorted([-1.5, -0.5, 0.5, 1.5], latent)).astype(float)
    rating[rng.random(len(cand)) < 0.01] = np.nan
    order = rng.permutation(len(cand))
    cand, comp, interviewer, rating = cand[order], comp[order], interviewer[order], rating[order]
    return RatingColumns(
        candidate=CodedColumn(cand, [f"c{c}" for c in range(n_candidates)]),
        interviewer=CodedColumn(interviewer, [f"i{i}" for i in range(n_interviewers)]),
        competency=CodedColumn(comp, [f"k{k}" for k in range(n_comp)]),
        rating=rating,
        group=CodedColumn(cand // 10, [f"p{p}" for p in range(n_candidates // 10)])
        if with_positions
        else None,
    )


def _condensed(values: np.ndarray) -> tuple[int, float, float]:
    values = np.nan_to_num(np.asarray(values, dtype=float), nan=-7.0)
    weights = np.random.default_rng(len(values)).random(len(values))
    return len(values), float(values[0]), float(values @ weights)


def fingerprint(result: Comparison) -> dict[str, tuple[int, float, float]]:
    """Every number the comparison reports, condensed (see the module docstring)."""
    table = result.table
    arrays = {
        name: getattr(table, name)
        for name in ("candidate", "score", "se", "low", "high", "p_best", "rank", "raw_mean",
                     "cell_score", "cell_se", "cell_p")
    }  # fmt: skip
    arrays["severity"] = np.array([r.severity for r in result.interviewers])
    arrays["severity_se"] = np.array([r.se for r in result.interviewers])
    arrays["fit"] = np.array([r.fit for r in result.interviewers])
    arrays["difficulty"] = np.array([r.difficulty for r in result.competencies])
    arrays["variances"] = np.array(list(result.model.as_dict()["variance_components"].values()))
    return {name: _condensed(values) for name, values in arrays.items()}


def _fitted(with_positions: bool, monkeypatch: pytest.MonkeyPatch) -> Comparison:
    # the moment estimates alone, as for a million ratings (no REML refinement), and the
    # interviewer coupling in two halves, as for thousands of interviewers
    monkeypatch.setattr(calibration, "REML_MAX_RATINGS", 0)
    monkeypatch.setattr(calibration, "SPLIT_PRODUCT_FROM", 100)
    return fit(_instance(with_positions), scale=(1, 5), n_draws=2000, seed=5)


#: Taken from the engine at commit 39d4ed0 (before the speed work).
FROZEN: dict[str, dict[str, tuple[int, float, float]]] = {
    "positions": {
        "candidate": (1200, 857.0, 363171.40023944585),
        "score": (1200, 3.783039015241161, 1813.5454013528959),
        "se": (1200, 0.1434599112960273, 91.65712262176112),
        "low": (1200, 3.5018627558756363, 1633.9007420876728),
        "high": (1200, 4.064215274606685, 1993.1900606181189),
        "p_best": (1200, 0.999, 61.624216045837855),
        "rank": (1200, 1.0, 3387.305975887806),
        "raw_mean": (1200, 3.689655172413793, 1813.1635535611094),
        "cell_score": (7200, 1.7495690318319663, 10538.234723891142),
        "cell_se": (7200, 0.14703393417747435, 536.1100904978264),
        "cell_p": (7200, 0.06485171201147412, 1786.5533881833062),
        "severity": (250, 0.7571329079050916, -2.998446778446232),
        "severity_se": (250, 0.07307275496877409, 8.868433514613328),
        "fit": (250, 0.8645593205977978, 123.54257779272216),
        "difficulty": (6, -0.0022346547249854076, 0.0101561333723795),
        "variances": (4, 0.7026892797807245, 0.9945562551383568),
    },
    "one group": {
        "candidate": (1200, 1112.0, 367351.2145893494),
        "score": (1200, 4.9330758282788425, 1805.5373604147148),
        "se": (1200, 0.14846235592671478, 91.59788188728902),
        "low": (1200, 4.642094957602515, 1626.0088108554744),
        "high": (1200, 5.22405669895517, 1985.0659099739546),
        "p_best": (1200, 0.218, 0.476088571674398),
        "rank": (1200, 1.0, 373496.9186064926),
        "raw_mean": (1200, 4.962962962962963, 1806.132150096367),
        "cell_score": (7200, 1.7495690318319663, 10538.234723891142),
        "cell_se": (7200, 0.14703393417747435, 536.1100904978264),
        "cell_p": (7200, 0.06485171201147412, 1786.5533881833062),
        "severity": (250, 0.7571329079050916, -2.998446778446232),
        "severity_se": (250, 0.07307275496877409, 8.868433514613328),
        "fit": (250, 0.8645593205977978, 123.54257779272216),
        "difficulty": (6, -0.0022346547249854076, 0.0101561333723795),
        "variances": (4, 0.7026892797807245, 0.9945562551383568),
    },
    "reweighted": {
        "candidate": (1200, 857.0, 363323.8999517841),
        "score": (1200, 3.791124763578703, 1819.0396943690764),
        "se": (1200, 0.1439057894495746, 91.92058977337689),
        "low": (1200, 3.5090745990907326, 1638.878648975577),
        "high": (1200, 4.073174928066673, 1999.2007397625762),
        "p_best": (1200, 0.999, 61.62015762376619),
        "rank": (1200, 1.0, 3387.305975887806),
        "raw_mean": (1200, 3.689655172413793, 1813.160387564756),
        "cell_score": (7200, 1.7495690318319663, 10538.234723891142),
        "cell_se": (7200, 0.14703393417747435, 536.1100904978264),
        "cell_p": (7200, 0.06485171201147412, 1786.5533881833062),
        "severity": (250, 0.7571329079050916, -2.998446778446232),
        "severity_se": (250, 0.07307275496877409, 8.868433514613328),
        "fit": (250, 0.8645593205977978, 123.54257779272216),
        "difficulty": (6, -0.0022346547249854076, 0.0101561333723795),
        "variances": (4, 0.7026892797807245, 0.9945562551383568),
    },
}


@pytest.mark.parametrize("shape", ["positions", "one group", "reweighted"])
def test_results_are_the_frozen_ones(shape: str, monkeypatch: pytest.MonkeyPatch) -> None:
    result = _fitted(shape != "one group", monkeypatch)
    if shape == "reweighted":
        result = result.reweighted({"k0": 3.0, "k2": 1.0, "k5": 0.5})
    got = fingerprint(result)
    expected = FROZEN[shape]
    assert got.keys() == expected.keys()
    for name, (length, first, dot) in expected.items():
        assert got[name][0] == length, name
        assert got[name][1] == pytest.approx(first, rel=1e-9, abs=1e-9), name
        assert got[name][2] == pytest.approx(dot, rel=1e-9, abs=1e-9), name
