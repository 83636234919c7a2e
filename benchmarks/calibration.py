"""Benchmark of the rater-calibrated comparison (``secondround.engines.calibration``).

One command, one table::

    uv run python benchmarks/calibration.py            # full run (a few minutes)
    uv run python benchmarks/calibration.py --quick    # smoke run

Simulates second-round pools from an *ordinal* (cumulative-probit) rater model, so the
linear engine is tested on data it does not assume, under several regimes, and compares:

- ``mean``: the plain mean of each candidate's ratings;
- ``model``: the engine (linear crossed random effects, moment variance components);
- ``ordinal``: the same engine on normal scores (each rating replaced by the probit of its
  mid-cumulative share within its competency): an ordinal variant of the model;
- ``oracle``: the Bayes posterior mean of each candidate's true score given the *true*
  interviewer severities, competency difficulties, thresholds and variances (the best any
  method could do with these ratings).

Reports per regime Kendall's tau with the true ranking within positions, how often the
true best is ranked first, the share of the mean→oracle tau gap the model closes, the
expected calibration error of ``p_best`` and fit time; then the same comparison on real
ratings (Shrout & Fleiss 1979, made incomplete as a second round would be); then a
linking design (one rater per target, a few anchors rated by three: the model against the
model given the true variance components and against the true leniency removed); then a
scale run: the command line's start-up time, and one million ratings with interviewers
drawn at random per rating, rows in random order, through ``secondround compare``
against pandas reading the same CSV (wall and CPU seconds).
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import itertools
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import scipy.stats

from secondround.engines.calibration import Rating, fit

THRESHOLDS = np.array([-1.5, -0.5, 0.5, 1.5])  # latent cut points for ratings 1..5


@dataclass(frozen=True)
class Regime:
    name: str
    same_panel: bool = False
    history: int = 0  # first-round ratings per interviewer (about)
    severity_sd: float = 0.7
    competencies_per_interviewer: int | None = None  # None: every competency
    offset: float = 0.0  # latent shift (positive: ratings pile up at the top)
    panel: int = 3  # interviewers per finalist
    anchors: float = 0.0  # share of finalists rated by ANCHOR_PANEL interviewers instead


ANCHOR_PANEL = 3

REGIMES = [
    Regime("same panel, no history", same_panel=True),
    Regime("mixed panels, history", history=80),
    Regime("mixed panels, no history"),
    Regime("no leniency, no history", severity_sd=0.0),
    Regime("no leniency, history", severity_sd=0.0, history=80),
    Regime("partial competencies, history", history=80, competencies_per_interviewer=2),
    Regime("ceiling (ratings pile at 5), history", history=80, offset=1.2),
    Regime("one rater per finalist, 15% anchors", panel=1, anchors=0.15),
]


@dataclass
class Pool:
    """One simulated organisation: ratings and the truth behind them."""

    ratings: list[Rating]
    positions: dict[str, list[str]]
    true_score: dict[str, float]
    cells: list[tuple[str, int, np.ndarray, np.ndarray]]  # finalist, competency, i, rating
    severity: np.ndarray
    difficulty: np.ndarray


SIGMA_MERIT, SIGMA_PROFILE, SIGMA_NOISE = 1.0, 0.5, 0.8


def simulate(
    regime: Regime,
    rng: np.random.Generator,
    *,
    n_positions: int = 40,
    finalists: int = 6,
    n_competencies: int = 5,
    n_interviewers: int = 120,
    panel_pool: int = 6,
) -> Pool:
    severity = regime.severity_sd * rng.normal(size=n_interviewers)
    difficulty = 0.3 * rng.normal(size=n_competencies)
    ratings: list[Rating] = []
    positions: dict[str, list[str]] = {}
    true_score: dict[str, float] = {}
    cells = []

    def rate(merit: float, profile: np.ndarray, i: int, k: int) -> int:
        latent = merit + profile[k] - severity[i] - difficulty[k] + regime.offset
        latent += SIGMA_NOISE * rng.normal()
        return 1 + int(np.searchsorted(THRESHOLDS, latent))

    for p in range(n_positions):
        name = f"p{p}"
        pool = rng.choice(n_interviewers, panel_pool, replace=False)
        fixed = rng.choice(pool, regime.panel, replace=False)
        positions[name] = []
        for f in range(finalists):
            cand = f"{name}-f{f}"
            positions[name].append(cand)
            merit = SIGMA_MERIT * rng.normal()
            profile = SIGMA_PROFILE * rng.normal(size=n_competencies)
            true_score[cand] = merit + profile.mean()
            size = ANCHOR_PANEL if rng.random() < regime.anchors else regime.panel
            who = fixed if regime.same_panel else rng.choice(pool, size, replace=False)
            by_cell: dict[int, list[tuple[int, int]]] = {}
            for i in who:
                ks: range | np.ndarray = range(n_competencies)
                if regime.competencies_per_interviewer is not None:
                    ks = rng.choice(n_competencies, regime.competencies_per_interviewer, False)
                for k in ks:
                    value = rate(merit, profile, int(i), int(k))
                    ratings.append(Rating(cand, f"i{i}", f"k{k}", value, name))
                    by_cell.setdefault(int(k), []).append((int(i), value))
            for k, pairs in by_cell.items():
                cells.append(
                    (cand, k, np.array([a for a, _ in pairs]), np.array([b for _, b in pairs]))
                )
    # first-round history: other candidates, two interviewers each, every competency
    n_history = regime.history * n_interviewers // (2 * n_competencies)
    for h in range(n_history):
        merit = SIGMA_MERIT * rng.normal()
        profile = SIGMA_PROFILE * rng.normal(size=n_competencies)
        for i in rng.choice(n_interviewers, 2, replace=False):
            for k in range(n_competencies):
                ratings.append(Rating(f"h{h}", f"i{i}", f"k{k}", rate(merit, profile, int(i), k)))
    return Pool(ratings, positions, true_score, cells, severity, difficulty)


# ------------------------------------------------------------------------------ oracle

_THETA = np.linspace(-4.5, 4.5, 91)
_U = np.linspace(-4 * SIGMA_PROFILE, 4 * SIGMA_PROFILE, 33)


def oracle_scores(pool: Pool, regime: Regime, n_competencies: int = 5) -> dict[str, float]:
    """Posterior mean of each finalist's true score, knowing every true parameter."""
    cuts = np.concatenate([[-np.inf], THRESHOLDS, [np.inf]])
    eta = _THETA[:, None] + _U[None, :]  # (theta, u)
    log_prior_u = scipy.stats.norm.logpdf(_U, scale=SIGMA_PROFILE)
    by_candidate: dict[str, list[tuple[np.ndarray, np.ndarray]]] = {}
    for cand, k, interviewers, values in pool.cells:
        mu = (
            eta[None, :, :]
            - pool.severity[interviewers][:, None, None]
            - pool.difficulty[k]
            + regime.offset
        )
        upper = scipy.stats.norm.logcdf((cuts[values][:, None, None] - mu) / SIGMA_NOISE)
        lower = scipy.stats.norm.logcdf((cuts[values - 1][:, None, None] - mu) / SIGMA_NOISE)
        loglik = (upper + np.log1p(-np.exp(np.minimum(lower - upper, -1e-12)))).sum(axis=0)
        joint = loglik + log_prior_u[None, :]
        peak = joint.max(axis=1, keepdims=True)
        weight = np.exp(joint - peak)
        log_z = np.log(weight.sum(axis=1)) + peak[:, 0]  # per theta
        mean_u = (weight * _U[None, :]).sum(axis=1) / weight.sum(axis=1)
        by_candidate.setdefault(cand, []).append((log_z, mean_u))
    scores = {}
    log_prior_theta = scipy.stats.norm.logpdf(_THETA, scale=SIGMA_MERIT)
    for cand, parts in by_candidate.items():
        log_post = log_prior_theta + sum(z for z, _ in parts)
        post = np.exp(log_post - log_post.max())
        post /= post.sum()
        mean_profile = sum(u for _, u in parts) / n_competencies  # unrated: E[u] = 0
        scores[cand] = float(post @ (_THETA + mean_profile))
    return scores


# ----------------------------------------------------------------------------- methods


def normal_scores(ratings: list[Rating]) -> list[Rating]:
    """Ordinal variant: replace each rating by the probit of its mid-cumulative share
    within its competency (scaled to integers so the public API accepts it)."""
    by_comp: dict[str, np.ndarray] = {}
    for r in ratings:
        by_comp.setdefault(r.competency, np.zeros(6))[int(r.rating or 0)] += 1
    table = {}
    for comp, counts in by_comp.items():
        share = counts[1:] / counts[1:].sum()
        mid = np.cumsum(share) - share / 2
        table[comp] = np.round(1000 * scipy.stats.norm.ppf(np.clip(mid, 1e-4, 1 - 1e-4)))
    return [
        Rating(
            r.candidate,
            r.interviewer,
            r.competency,
            int(table[r.competency][int(r.rating or 1) - 1]),
            r.group,
        )
        for r in ratings
    ]


def kendall(estimate: list[float], truth: list[float]) -> float:
    """Kendall's tau-a: what tau is on average when ties are broken at random.

    (tau-b would reward the plain mean for its many ties, a decision nobody can make.)
    """
    e = np.round(np.asarray(estimate), 9)
    t = np.asarray(truth)
    upper = np.triu_indices(len(e), 1)
    signs = np.sign(e[:, None] - e[None, :]) * np.sign(t[:, None] - t[None, :])
    return float(signs[upper].mean())


def top1(estimate: list[float], best: int) -> float:
    """Chance the true best is ranked first when tied leaders are ordered at random."""
    e = np.round(np.asarray(estimate), 9)
    leaders = np.flatnonzero(e == e.max())
    return float(best in leaders) / len(leaders)


def expected_calibration_error(p: np.ndarray, hit: np.ndarray, bins: int = 10) -> float:
    edges = np.linspace(0, 1, bins + 1)
    which = np.clip(np.digitize(p, edges) - 1, 0, bins - 1)
    total = 0.0
    for b in range(bins):
        inside = which == b
        if inside.any():
            total += inside.sum() * abs(p[inside].mean() - hit[inside].mean())
    return total / len(p)


@dataclass
class Row:
    regime: str
    tau_mean: float
    tau_model: float
    tau_ordinal: float
    tau_oracle: float
    top1_mean: float
    top1_model: float
    top1_oracle: float
    ece: float
    fit_seconds: float
    tau_diff_se: float

    @property
    def gap_closed(self) -> float:
        gap = self.tau_oracle - self.tau_mean
        return float("nan") if gap < 0.02 else (self.tau_model - self.tau_mean) / gap


def run_regime(regime: Regime, replicates: int, seed: int) -> Row:
    rng = np.random.default_rng(seed)
    taus: dict[str, list[float]] = {"mean": [], "model": [], "ordinal": [], "oracle": []}
    firsts: dict[str, list[float]] = {"mean": [], "model": [], "oracle": []}
    p_all, hit_all, seconds = [], [], 0.0
    for _ in range(replicates):
        pool = simulate(regime, rng)
        started = time.perf_counter()
        result = fit(pool.ratings, n_draws=4000, seed=int(rng.integers(1 << 30)))
        seconds += time.perf_counter() - started
        ordinal = fit(normal_scores(pool.ratings), scale=(-4000, 4000), n_draws=100)
        oracle = oracle_scores(pool, regime)
        for position, cands in pool.positions.items():
            truth = [pool.true_score[c] for c in cands]
            group = result.group(position)
            model = [group.candidate(c).score for c in cands]
            raw = [group.candidate(c).raw_mean or 0.0 for c in cands]
            ordinal_scores = [ordinal.group(position).candidate(c).score for c in cands]
            best = int(np.argmax(truth))
            estimates = {
                "mean": raw,
                "model": model,
                "ordinal": ordinal_scores,
                "oracle": [oracle[c] for c in cands],
            }
            for method, values in estimates.items():
                taus[method].append(kendall(values, truth))
                if method in firsts:
                    firsts[method].append(top1(values, best))
            p_all += [group.candidate(c).p_best for c in cands]
            hit_all += [float(j == best) for j in range(len(cands))]
    diff = np.array(taus["model"]) - np.array(taus["mean"])
    return Row(
        regime=regime.name,
        tau_mean=float(np.mean(taus["mean"])),
        tau_model=float(np.mean(taus["model"])),
        tau_ordinal=float(np.mean(taus["ordinal"])),
        tau_oracle=float(np.mean(taus["oracle"])),
        top1_mean=float(np.mean(firsts["mean"])),
        top1_model=float(np.mean(firsts["model"])),
        top1_oracle=float(np.mean(firsts["oracle"])),
        ece=expected_calibration_error(np.array(p_all), np.array(hit_all)),
        fit_seconds=seconds / replicates,
        tau_diff_se=float(diff.std(ddof=1) / np.sqrt(len(diff))),
    )


# ---------------------------------------------------------------------- real ratings

SHROUT_FLEISS = Path(__file__).resolve().parents[1] / "tests" / "data" / "shrout_fleiss_1979.csv"


def complete_table(path: Path) -> tuple[list[str], list[str], np.ndarray]:
    """Targets, judges and the rating of every target by every judge."""
    with path.open() as handle:
        rows = list(csv.DictReader(handle))
    targets = sorted({r["examinee"] for r in rows})
    judges = sorted({r["judge"] for r in rows})
    table = np.full((len(targets), len(judges)), np.nan)
    for r in rows:
        table[targets.index(r["examinee"]), judges.index(r["judge"])] = int(r["rating"])
    assert not np.isnan(table).any(), "the design must be complete"
    return targets, judges, table


def connected_designs(n_targets: int, n_judges: int, per_target: int) -> list[tuple]:
    """Every way to let each target be rated by ``per_target`` of the judges such that
    every judge rates someone and judges and targets form one connected design."""
    choices = list(itertools.combinations(range(n_judges), per_target))
    designs = []
    for design in itertools.product(choices, repeat=n_targets):
        reached = set(design[0])
        grown = True
        while grown:
            grown = False
            for judges in design:
                if reached.intersection(judges) and not reached.issuperset(judges):
                    reached.update(judges)
                    grown = True
        if len(reached) == n_judges:
            designs.append(design)
    return designs


@dataclass
class RealRow:
    per_target: int
    n_designs: int
    n_connected: int
    tau_mean: float
    tau_model: float
    top1_mean: float
    top1_model: float
    wins: int
    ties: int
    losses: int


def real_data_run(per_target: int, sample: int | None, seed: int) -> RealRow:
    """Rank the targets from incomplete designs: plain mean vs model, against the ranking
    by each target's mean over all judges (free of leniency, the design being complete)."""
    targets, judges, table = complete_table(SHROUT_FLEISS)
    truth = table.mean(axis=1).tolist()
    best = int(np.argmax(truth))
    designs = connected_designs(len(targets), len(judges), per_target)
    chosen = designs
    if sample is not None and sample < len(designs):
        rng = np.random.default_rng(seed)
        chosen = [designs[j] for j in sorted(rng.choice(len(designs), sample, replace=False))]
    taus, firsts = [], []
    for design in chosen:
        ratings = [
            Rating(targets[t], judges[j], "overall", int(table[t, j]))
            for t, rated_by in enumerate(design)
            for j in rated_by
        ]
        group = fit(ratings, scale=(1, 10), n_draws=100).groups[0]
        raw = [group.candidate(t).raw_mean or 0.0 for t in targets]
        model = [group.candidate(t).score for t in targets]
        taus.append((kendall(raw, truth), kendall(model, truth)))
        firsts.append((top1(raw, best), top1(model, best)))
    tau, first = np.array(taus), np.array(firsts)
    difference = tau[:, 1] - tau[:, 0]
    return RealRow(
        per_target=per_target,
        n_designs=len(chosen),
        n_connected=len(designs),
        tau_mean=float(tau[:, 0].mean()),
        tau_model=float(tau[:, 1].mean()),
        top1_mean=float(first[:, 0].mean()),
        top1_model=float(first[:, 1].mean()),
        wins=int((difference > 1e-9).sum()),
        ties=int((abs(difference) <= 1e-9).sum()),
        losses=int((difference < -1e-9).sum()),
    )


def report_real(quick: bool, seed: int) -> None:
    sample = 400 if quick else 5000
    print(
        "real ratings: Shrout & Fleiss (1979), 6 targets x 4 judges, every judge rated every "
        "target (judge variance 5.24);\ntruth = each target's mean over all four judges; "
        "designs keep 2 or 3 judges per target (judges connected)\n"
    )
    header = (
        f"{'judges per target':<18} {'designs':>22} {'tau-a mean':>10} {'model':>7} "
        f"{'top1 mean':>9} {'model':>7} {'model vs mean: wins/ties/losses':>32}"
    )
    print(header)
    print("-" * len(header))
    for per_target in (2, 3):
        row = real_data_run(per_target, sample, seed)
        kind = "all" if row.n_designs == row.n_connected else "random"
        designs = f"{row.n_designs:,} of {row.n_connected:,} ({kind})"
        outcome = f"{row.wins} / {row.ties} / {row.losses}"
        print(
            f"{row.per_target:<18} {designs:>22} {row.tau_mean:10.3f} {row.tau_model:7.3f} "
            f"{row.top1_mean:9.3f} {row.top1_model:7.3f} {outcome:>32}",
            flush=True,
        )
    print()


# ------------------------------------------------------------- linking design (one rater)


def linking_design(
    rng: np.random.Generator, *, per_target: int, n_targets: int = 120, n_raters: int = 30
) -> tuple[list[Rating], list[float], dict[str, float]]:
    """Each target rated by ``per_target`` raters drawn at random (10 % of targets, the
    anchors, by 3) on 3 items, scale 1-10 (target SD 1.5, rater leniency SD 0.4, noise SD
    1): a linking design as real rating data often has. Returns the ratings, each target's
    true score and each target's mean rating with the true leniency removed."""
    merit = rng.normal(size=n_targets)
    lenience = 0.4 * rng.normal(size=n_raters)
    profile = 0.4 * rng.normal(size=(n_targets, 3))
    ratings, corrected = [], {}
    for t in range(n_targets):
        size = 3 if rng.random() < 0.1 else per_target
        values = []
        for i in rng.choice(n_raters, size, replace=False).tolist():
            for k in range(3):
                latent = 5.5 + 1.5 * (merit[t] + profile[t, k]) + lenience[i] + rng.normal()
                value = int(np.clip(np.round(latent), 1, 10))
                ratings.append(Rating(f"t{t}", f"r{i}", f"k{k}", value))
                values.append(value - lenience[i])
        corrected[f"t{t}"] = float(np.mean(values))
    return ratings, (merit + profile.mean(axis=1)).tolist(), corrected


#: The linking design's variance components on the rating scale (candidate, candidate x
#: item, rater, residual incl. rounding): what a perfect variance estimator would find.
LINKING_TRUE_COMPONENTS = (2.25, 0.36, 0.16, 1.0 + 1 / 12)


def linking_run(per_target: int, replicates: int, seed: int) -> dict[str, float]:
    """Kendall tau gains over the plain mean: the model; the model given the true variance
    components; the true leniency removed (what knowing every rater would give)."""
    from secondround.engines import calibration

    rng = np.random.default_rng(seed)
    gains: dict[str, list[float]] = {"model": [], "true components": [], "true leniency": []}
    zero_lenience = 0
    estimate, refine = calibration._variance_components, calibration._reml_refined
    for _ in range(replicates):
        ratings, truth, corrected = linking_design(rng, per_target=per_target)
        targets = [f"t{t}" for t in range(len(truth))]
        group = fit(ratings, scale=(1, 10), n_draws=100)
        zero_lenience += group.model.variance_interviewer == 0.0
        raw = [group.groups[0].candidate(t).raw_mean or 0.0 for t in targets]
        base = kendall(raw, truth)
        model = [group.groups[0].candidate(t).score for t in targets]
        calibration._variance_components = lambda *_args: LINKING_TRUE_COMPONENTS
        calibration._reml_refined = lambda _data, _layout, start: start
        try:
            known = fit(ratings, scale=(1, 10), n_draws=100).groups[0]
        finally:
            calibration._variance_components, calibration._reml_refined = estimate, refine
        gains["model"].append(kendall(model, truth) - base)
        gains["true components"].append(
            kendall([known.candidate(t).score for t in targets], truth) - base
        )
        gains["true leniency"].append(kendall([corrected[t] for t in targets], truth) - base)
    summary = {name: float(np.mean(values)) for name, values in gains.items()}
    summary["model_se"] = float(np.std(gains["model"], ddof=1) / np.sqrt(replicates))
    summary["zero_lenience"] = zero_lenience / replicates
    return summary


def report_linking(quick: bool, seed: int) -> None:
    replicates = 10 if quick else 40
    print(
        f"linking design: 120 targets, 30 raters, 3 items, scale 1-10, 10% anchor targets rated "
        f"by 3; one group; {replicates} replicates; Kendall tau gain over the plain mean\n"
    )
    header = (
        f"{'raters per target':<18} {'model':>8} {'(SE)':>7} {'model, true variance':>21} "
        f"{'true leniency removed':>22} {'rater variance estimated 0':>27}"
    )
    print(header)
    print("-" * len(header))
    for per_target in (1, 2):
        row = linking_run(per_target, replicates, seed)
        print(
            f"{per_target:<18} {row['model']:+8.3f} {row['model_se']:7.3f} "
            f"{row['true components']:+21.3f} {row['true leniency']:+22.3f} "
            f"{100 * row['zero_lenience']:26.0f}%",
            flush=True,
        )
    print()


# -------------------------------------------------------------------------- scale run


def write_scale_csv(path: Path, seed: int, n_candidates: int, n_interviewers: int) -> int:
    """The scale run's ratings as an outside export looks: about 50 ratings per candidate
    (positions of 10 finalists, 8 competencies, 7 ratings per candidate and competency, a
    few not assessed), each rating's interviewer drawn at random from everyone (distinct
    within a candidate and competency), rows in random order (not candidate by candidate)."""
    rng = np.random.default_rng(seed)
    n_comp, per_position, per_cell = 8, 10, 7
    severity = 0.6 * rng.normal(size=n_interviewers)
    who = rng.integers(n_interviewers, size=(n_candidates * n_comp, per_cell))
    while True:  # redraw cells where one interviewer came up twice
        ordered = np.sort(who, axis=1)
        twice = (ordered[:, 1:] == ordered[:, :-1]).any(axis=1)
        if not twice.any():
            break
        who[twice] = rng.integers(n_interviewers, size=(int(twice.sum()), per_cell))
    cand = np.repeat(np.arange(n_candidates), n_comp * per_cell)
    comp = np.tile(np.repeat(np.arange(n_comp), per_cell), n_candidates)
    interviewer = who.ravel()
    keep = rng.random(len(cand)) < 50 / 56
    cand, comp, interviewer = cand[keep], comp[keep], interviewer[keep]
    merit = rng.normal(size=n_candidates)
    latent = merit[cand] - severity[interviewer] + 0.8 * rng.normal(size=len(cand))
    values = (1 + np.searchsorted(THRESHOLDS, latent)).astype(str)
    values[rng.random(len(cand)) < 0.01] = "NA"
    position = cand // per_position
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["candidate", "interviewer", "competency", "rating", "position"])
        for r in rng.permutation(len(cand)).tolist():
            c, p = int(cand[r]), int(position[r])
            writer.writerow((f"p{p}-c{c % per_position}", f"i{interviewer[r]}", f"k{comp[r]}",
                             values[r], f"p{p}"))  # fmt: skip
    return len(cand)


def write_panel_csv(path: Path, seed: int, n_candidates: int, n_interviewers: int) -> int:
    """The earlier shape, for comparison: each position's panels drawn from a 12-person
    pool (7 interviewers per candidate, every competency each), listed candidate by
    candidate."""
    rng = np.random.default_rng(seed)
    n_comp, per_position = 8, 10
    severity = 0.6 * rng.normal(size=n_interviewers)
    rows = 0
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["candidate", "interviewer", "competency", "rating", "position"])
        for p in range(n_candidates // per_position):
            pool = rng.choice(n_interviewers, 12, replace=False)
            merit = rng.normal(size=per_position)
            for f in range(per_position):
                who = rng.choice(pool, 7, replace=False)
                ii = np.repeat(who, n_comp)
                kk = np.tile(np.arange(n_comp), 7)
                keep = rng.random(len(ii)) < 50 / 56
                ii, kk = ii[keep], kk[keep]
                latent = merit[f] - severity[ii] + 0.8 * rng.normal(size=len(ii))
                values = (1 + np.searchsorted(THRESHOLDS, latent)).astype(str)
                values[rng.random(len(ii)) < 0.01] = "NA"
                cand = f"p{p}-c{f}"
                writer.writerows(
                    (cand, f"i{i}", f"k{k}", v, f"p{p}")
                    for i, k, v in zip(ii.tolist(), kk.tolist(), values.tolist(), strict=True)
                )
                rows += len(ii)
    return rows


def cli_startup(runs: int = 7) -> dict[str, Any]:
    """`secondround --help` in fresh processes: wall seconds (min, median) and whether
    any heavy module was imported."""
    code = (
        "import sys; from secondround.cli import main; sys.argv = ['secondround', '--help']\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "heavy = [m for m in ('django', 'numpy', 'scipy', 'pandas', 'rich') if m in sys.modules]\n"
        "print('HEAVY=' + ','.join(heavy))"
    )
    env = dict(os.environ, PYTHONPATH=str(Path(__file__).resolve().parents[1] / "src"))
    seconds, heavy = [], ""
    for _ in range(runs):
        started = time.perf_counter()
        done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
        seconds.append(time.perf_counter() - started)
        heavy = done.stdout.rsplit("HEAVY=", 1)[-1].strip()
    bare = []
    for _ in range(runs):  # the interpreter alone, for scale
        started = time.perf_counter()
        subprocess.run([sys.executable, "-c", "pass"], env=env)
        bare.append(time.perf_counter() - started)
    return {
        "min_s": min(seconds),
        "median_s": float(np.median(seconds)),
        "python_s": float(np.median(bare)),
        "heavy": heavy or "none",
    }


def compare_in_process(path: Path, out: Path) -> None:
    """``secondround compare PATH --format json -o OUT``, called in this process."""
    from secondround.commands.compare import OutputFormat, compare

    with open(os.devnull, "w") as quiet, contextlib.redirect_stderr(quiet):  # progress lines
        compare(path, output_format=OutputFormat.json, output=out)


def time_ratios(
    path: Path, out: Path, repeats: int
) -> tuple[list[float], list[float], list[float]]:
    """pandas.read_csv and the comparison back to back, ``repeats`` times: (reads, compares,
    ratios), in seconds."""
    import pandas as pd

    reads, compares = [], []
    for _ in range(repeats):
        started, cpu = time.perf_counter(), time.process_time()
        pd.read_csv(path)
        reads.append(time.perf_counter() - started)
        CPU_SECONDS.append(("read", time.process_time() - cpu))
        started, cpu = time.perf_counter(), time.process_time()
        compare_in_process(path, out)
        compares.append(time.perf_counter() - started)
        CPU_SECONDS.append(("compare", time.process_time() - cpu))
    return reads, compares, [c / r for c, r in zip(compares, reads, strict=True)]


#: (what, CPU seconds) of every timed run: on a machine shared with other work the wall
#: clock measures the queue as much as the program; CPU time less so.
CPU_SECONDS: list[tuple[str, float]] = []


def cpu_ratio() -> float:
    """Median CPU seconds of compare over median of pandas.read_csv (main file runs)."""
    reads = [s for what, s in CPU_SECONDS if what == "read"]
    compares = [s for what, s in CPU_SECONDS if what == "compare"]
    return float(np.median(compares) / np.median(reads))


def write_variants(path: Path, n_candidates: int, n_interviewers: int) -> dict[str, Path]:
    """Other shapes of about the same size: the earlier panel shape (position pools,
    candidate by candidate), and the main ratings without the position column (one group
    of every candidate)."""
    header, *lines = path.read_text().splitlines(keepends=True)
    one_group = path.with_name("one-group.csv")
    one_group.write_text("".join(line.rsplit(",", 1)[0] + "\n" for line in [header, *lines]))
    panels = path.with_name("panels.csv")
    write_panel_csv(panels, 1, n_candidates, n_interviewers)
    return {
        "panels from position pools, candidate by candidate": panels,
        "no position column (one group)": one_group,
    }


def scale_variants(
    path: Path, out: Path, n_candidates: int, n_interviewers: int, repeats: int = 3
) -> list[tuple[str, float, float]]:
    """(variant, compare seconds, ratio), medians of ``repeats``."""
    results = []
    for name, variant in write_variants(path, n_candidates, n_interviewers).items():
        compare_in_process(variant, out)  # warm-up
        _reads, compares, ratios = time_ratios(variant, out, repeats)
        results.append((name, float(np.median(compares)), float(np.median(ratios))))
    return results


def scale_run(quick: bool, repeats: int = 5) -> dict[str, Any]:
    """Time pandas.read_csv and the comparison back to back in this process (median of
    ``repeats`` ratios), then once more end to end in a fresh process for memory, then
    the same ratings listed otherwise."""
    n_candidates, n_interviewers = (2_000, 200) if quick else (20_000, 2_000)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "ratings.csv"
        out = Path(tmp) / "out.json"
        rows = write_scale_csv(path, 1, n_candidates, n_interviewers)
        compare_in_process(path, out)  # warm-up: imports, page cache
        CPU_SECONDS.clear()
        reads, compares, ratios = time_ratios(path, out, repeats)
        cpu = cpu_ratio()
        variants = scale_variants(path, out, n_candidates, n_interviewers)
        launcher = (
            "import sys; from secondround.cli import main; sys.argv[0] = 'secondround'; main()"
        )
        command = [sys.executable, "-c", launcher, "compare", str(path),
                   "--format", "json", "-o", str(out)]  # fmt: skip
        env = dict(os.environ, PYTHONPATH=str(Path(__file__).resolve().parents[1] / "src"))
        started = time.perf_counter()
        done = subprocess.run(command, capture_output=True, text=True, env=env)
        fresh = time.perf_counter() - started
        if done.returncode != 0:
            raise SystemExit(f"compare failed: {done.stderr}")
        peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        stages = [line for line in done.stderr.splitlines() if line.startswith("[")]
        n_out = len(json.loads(out.read_text())["positions"])
    return {
        "rows": rows,
        "pandas_read_s": float(np.median(reads)),
        "compare_s": float(np.median(compares)),
        "ratio": float(np.median(ratios)),
        "ratios": ratios,
        "cpu_ratio": cpu,
        "fresh_process_s": fresh,
        "peak_mb": peak_mb,
        "positions": n_out,
        "stages": stages,
        "variants": variants,
        "startup": cli_startup(),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="few replicates, small scale run")
    parser.add_argument("--replicates", type=int, default=None)
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--no-scale", action="store_true", help="skip the scale run")
    parser.add_argument("--scale-only", action="store_true", help="only the scale run")
    args = parser.parse_args()
    replicates = args.replicates or (4 if args.quick else 20)

    if args.scale_only:
        report_scale(scale_run(args.quick))
        return
    print(f"{replicates} organisations x 40 positions x 6 finalists per regime; "
          "3 interviewers per finalist, 5 competencies; ordinal (probit) ratings 1-5\n")  # fmt: skip
    header = (
        f"{'regime':<38} {'tau-a mean':>10} {'model':>7} {'ordinal':>7} {'oracle':>7} "
        f"{'gap closed':>10} {'top1 mean':>9} {'model':>6} {'oracle':>6} {'ECE':>6} {'fit s':>6}"
    )
    print(header)
    print("-" * len(header))
    rows = []
    for index, regime in enumerate(REGIMES):
        row = run_regime(regime, replicates, args.seed + index)
        rows.append(row)
        gap = "n/a" if np.isnan(row.gap_closed) else f"{100 * row.gap_closed:.0f}%"
        print(
            f"{row.regime:<38} {row.tau_mean:10.3f} {row.tau_model:7.3f} {row.tau_ordinal:7.3f} "
            f"{row.tau_oracle:7.3f} {gap:>10} {row.top1_mean:9.3f} {row.top1_model:6.3f} "
            f"{row.top1_oracle:6.3f} {row.ece:6.3f} {row.fit_seconds:6.2f}",
            flush=True,
        )
    print()
    worst = min(r.tau_model - r.tau_mean for r in rows)
    print(f"model - mean tau, worst regime: {worst:+.3f} (target >= -0.01); "
          f"paired SE about {max(r.tau_diff_se for r in rows):.3f}")  # fmt: skip
    history = next(r for r in rows if r.regime == "mixed panels, history")
    print(
        f"gap closed with mixed panels and history: {100 * history.gap_closed:.0f}% (target >= 80%)"
    )
    print(f"worst ECE of p_best: {max(r.ece for r in rows):.3f} (target <= 0.05)")
    one = next(r for r in rows if r.regime.startswith("one rater"))
    print(
        f"one rater per finalist (linking design): model - mean tau {one.tau_model - one.tau_mean:+.3f} "
        f"(paired SE {one.tau_diff_se:.3f}; target >= +0.01); gap closed {100 * one.gap_closed:.0f}%"
    )
    print()
    report_real(args.quick, args.seed)
    report_linking(args.quick, args.seed)
    if args.no_scale:
        return
    report_scale(scale_run(args.quick))


def report_scale(scale: dict[str, Any]) -> None:
    startup = scale["startup"]
    print(
        f"CLI start-up, `secondround --help` in a fresh process: {startup['min_s']:.2f} s "
        f"(median {startup['median_s']:.2f} s; python alone {startup['python_s']:.2f} s; "
        f"target < 0.3 s); heavy modules imported: {startup['heavy']}"
    )
    ratios = ", ".join(f"{r:.1f}" for r in scale["ratios"])
    print(
        f"scale run: {scale['rows']:,} ratings, {scale['positions']:,} positions, interviewers "
        f"drawn at random per rating, rows in random order; back to back in one process, "
        f"median of {len(scale['ratios'])}: pandas.read_csv {scale['pandas_read_s']:.2f} s, "
        f"secondround compare --format json {scale['compare_s']:.2f} s = "
        f"{scale['ratio']:.1f}x (target <= 10x; runs: {ratios}); in CPU seconds "
        f"{scale['cpu_ratio']:.1f}x"
    )
    print(
        f"fresh process (start-up and imports included): {scale['fresh_process_s']:.2f} s; "
        f"peak memory {scale['peak_mb']:.0f} MB (target < 2048 MB)"
    )
    for line in scale["stages"]:
        print("   ", line)
    for name, compare_s, ratio in scale["variants"]:
        print(f"other shape, {name}: compare {compare_s:.2f} s = {ratio:.1f}x (median of 3)")


if __name__ == "__main__":
    main()
