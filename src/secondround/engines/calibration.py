"""Rater-calibrated comparison of candidates.

A crossed random-effects model of interview ratings, fitted to the whole rating history
it is given, then read for comparison groups (a position's finalists):

.. math::

    y_r = \\beta_{k} + a_{c} + b_{ck} + s_{i} + e_r

for rating ``r`` given by interviewer ``i`` to candidate ``c`` on competency ``k``:
``beta_k`` is the competency's mean rating (fixed), ``a_c`` the candidate's overall merit,
``b_ck`` the candidate's merit on competency ``k`` beyond that, ``s_i`` the interviewer's
leniency (minus their severity) and ``e_r`` noise. The four variances are estimated from
the data by the method of moments for crossed random effects (Gao & Owen 2017: unbiased
U-statistics of pairs of ratings that share a candidate, a competency or an interviewer;
for a balanced two-way table they equal the ANOVA, and REML, estimates). The effects are
then their best linear unbiased predictions (Henderson's mixed-model equations), so an
interviewer with little history is barely corrected and one with a long history fully.

The equations are solved by absorbing, per candidate, the candidate and candidate ×
competency effects (an arrowhead block with a closed-form inverse), which leaves a dense
system over the interviewers and competencies only. Posterior covariances of candidates'
scores (conditional on the competency means) follow exactly from the same elimination,
including the correlation that shared interviewers induce; ``p_best`` is simulated from
that joint normal posterior.

The model treats the ordinal ratings as interval data. ``benchmarks/calibration.py``
simulates ordinal (cumulative-probit) ratings and shows that the linear model loses nothing
measurable against an ordinal normal-scores variant and closes most of the gap to an oracle
that knows every interviewer's true parameters; see ``docs/calibration.md``.

References
----------
Gao, K. and Owen, A. B. (2017). Efficient moment calculations for variance components in
large unbalanced crossed random effects models. *Electronic Journal of Statistics* 11.
Henderson, C. R. (1975). Best linear unbiased estimation and prediction under a selection
model. *Biometrics* 31, 423-447.
Shrout, P. E. and Fleiss, J. L. (1979). Intraclass correlations: uses in assessing rater
reliability. *Psychological Bulletin* 86, 420-428.
"""

from __future__ import annotations

import contextlib
import functools
import itertools
import math
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, NamedTuple

import numpy as np
import scipy.linalg
import scipy.optimize
import scipy.sparse as sp
import scipy.special

__all__ = [
    "CalibrationError",
    "CandidateResult",
    "CodedColumn",
    "Comparison",
    "CompetencyResult",
    "CompetencyScore",
    "GroupResult",
    "InterviewerResult",
    "ModelSummary",
    "Rating",
    "RatingColumns",
    "ScoreTable",
    "fit",
]

#: Interviewer outfit mean-square above which the interviewer is flagged as erratic.
ERRATIC_FIT = 1.5
#: Interviewer spread below which the interviewer is flagged as keeping to the middle.
MIDDLE_SPREAD = 0.5
#: Fewer ratings than this and an interviewer is never flagged (the statistics are noise).
MIN_RATINGS_TO_FLAG = 10
#: p-value below which the interviewers of one candidate × competency are said to disagree.
DISAGREEMENT_ALPHA = 0.01
#: Groups larger than this get independent (not joint) posterior draws for ``p_best``.
MAX_JOINT_GROUP = 300
#: Above this many interviewers the interviewer covariance is approximated by its diagonal.
MAX_DENSE_INTERVIEWERS = 6000

#: Blocks of quadratic forms over at least this many interviewers are done one by one
#: (their covariance read row by row), not batched element by element.
WIDE_BLOCK = 96

#: From this many interviewers their coupling is computed in two halves (see
#: _dense_cross_product).
SPLIT_PRODUCT_FROM = 1_000

#: Fits of at least this many ratings keep BLAS to one thread (see _one_blas_thread).
ONE_BLAS_THREAD_FROM = 50_000

#: Up to this many ratings and interviewers the moment estimates of the variance
#: components are refined by REML (see _reml_refined): cheap there, and it matters most
#: there (few raters per candidate, few links between raters).
REML_MAX_RATINGS = 50_000
REML_MAX_INTERVIEWERS = 1_000

#: Fewest posterior draws per group; very large comparisons use this many, not ``n_draws``.
MIN_DRAWS = 1000

#: A candidate whose score is this many standard deviations (of the difference) below the
#: group's leader is given ``p_best = 0`` without drawing (the true value is below 1e-9).
OUT_OF_CONTENTION_Z = 6.0

_DRAW_BUDGET = 20_000_000  # normal draws per simulation batch (memory bound)
_DRAW_TOTAL = 20_000_000  # normal draws over all groups (time bound), at least MIN_DRAWS each
_BLOCK_BUDGET = 4_000_000  # numbers per batch of dense blocks (memory bound)
_GATHER_BUDGET = 50_000  # numbers per slice of gathered blocks (stays in the CPU's cache)


class CalibrationError(ValueError):
    """Input the model cannot use; the message says what is wrong and where.

    Parameters
    ----------
    message : str
        The full, human-readable message.
    row : int or None
        0-based index of the offending input row, when one row is at fault.
    column : str or None
        Name of the offending field (``candidate``, ``interviewer``, ``competency``,
        ``rating``, ``group``), when one field is at fault.
    """

    def __init__(self, message: str, *, row: int | None = None, column: str | None = None):
        super().__init__(message)
        self.row = row
        self.column = column


@dataclass(frozen=True, slots=True)
class Rating:
    """One interviewer's rating of one candidate on one competency.

    Parameters
    ----------
    candidate, interviewer, competency : str
        Identifiers (any non-empty strings).
    rating : int or None
        A value on the scale, or ``None`` for "not assessed" (the row is then ignored
        by the model but still places the candidate in ``group``).
    group : str or None
        The comparison group (for example a position's finalists), or ``None`` for history
        that only teaches the model about interviewers and competencies.
    """

    candidate: str
    interviewer: str
    competency: str
    rating: int | None
    group: str | None = None


@dataclass(frozen=True)
class CodedColumn:
    """A column of names stored as integer codes: row ``r`` holds ``names[codes[r]]``.

    The fast way to hand over a million rows (no Python string per row). Codes need not be
    in any order and names may repeat (equal names are one value); names no row uses are
    ignored. In a group column a name of ``None`` means "no group".

    Parameters
    ----------
    codes : ndarray of int
        One entry per row, each a valid index into ``names``.
    names : sequence of str (or None for groups)
    """

    codes: np.ndarray
    names: Sequence[str | None]

    def __len__(self) -> int:
        return len(self.codes)


@dataclass(frozen=True)
class RatingColumns:
    """Ratings as parallel columns: the fast path for large inputs (the CLI uses it).

    Parameters
    ----------
    candidate, interviewer, competency : sequence of str, or CodedColumn
        One entry per row.
    rating : sequence of int or None, or ndarray of float
        ``None`` or NaN means "not assessed".
    group : sequence of (str or None), or CodedColumn, optional
        Comparison group per row; ``None`` for the whole column means no groups.
    line_numbers : sequence of int, optional
        Source line of each row; error messages then say "line N" instead of "row N".
    """

    candidate: Sequence[str] | CodedColumn
    interviewer: Sequence[str] | CodedColumn
    competency: Sequence[str] | CodedColumn
    rating: Sequence[int | None] | np.ndarray
    group: Sequence[str | None] | CodedColumn | None = None
    line_numbers: Sequence[int] | None = None


class CompetencyScore(NamedTuple):
    """A candidate's calibrated score on one competency.

    ``score`` is on the rating scale: the rating a typical interviewer would give.
    ``disagreement_p`` is the p-value of a chi-square test that the interviewers' ratings
    of this candidate on this competency (after removing each interviewer's severity) are
    no more spread than the model's noise; ``disagree`` is ``disagreement_p < 0.01``.
    (A named tuple, not a dataclass: there is one per candidate and competency, and large
    comparisons create hundreds of thousands.)
    """

    competency: str
    score: float
    se: float
    n_ratings: int
    disagreement_p: float | None
    disagree: bool


@dataclass(frozen=True, slots=True)
class CandidateResult:
    """A candidate within one comparison group.

    ``score`` (higher is better) is the weighted average over the group's competencies of
    the rating a typical interviewer would give; ``low``/``high`` bound its interval;
    ``p_best`` is the posterior probability that this candidate is truly the best of the
    group; ``rank`` is 1 for the highest score.
    """

    candidate: str
    score: float
    se: float
    low: float
    high: float
    p_best: float
    rank: int
    raw_mean: float | None
    n_ratings: int
    competencies: tuple[CompetencyScore, ...]

    def competency(self, name: str) -> CompetencyScore:
        """Return the score on competency ``name`` (``KeyError`` if never rated)."""
        for score in self.competencies:
            if score.competency == name:
                return score
        raise KeyError(name)


@dataclass(frozen=True, slots=True)
class GroupResult:
    """One comparison group, candidates ordered by rank."""

    group: str | None
    candidates: tuple[CandidateResult, ...]
    weights: Mapping[str, float]
    joint: bool  # True when p_best used the joint posterior (correlations included)

    def candidate(self, name: str) -> CandidateResult:
        """Return the result for candidate ``name`` (``KeyError`` if not in the group)."""
        for result in self.candidates:
            if result.candidate == name:
                return result
        raise KeyError(name)


@dataclass(frozen=True, slots=True)
class InterviewerResult:
    """An interviewer's estimated severity and rating behaviour.

    ``severity`` is in rating points: how much lower than a typical interviewer this one
    rates the same candidate (negative means lenient). ``fit`` is the outfit mean-square
    of the interviewer's residuals (1 is as the model expects; above 1.5 erratic; below 0.5
    too predictable). ``spread`` is how strongly the interviewer's ratings follow the
    candidates' estimated merit (1 typical; below 0.5 keeps to the middle of the scale).
    ``flag`` is ``"erratic"``, ``"middle of the scale"`` or ``None``.
    """

    interviewer: str
    severity: float
    se: float
    n_ratings: int
    fit: float
    spread: float
    flag: str | None


@dataclass(frozen=True, slots=True)
class CompetencyResult:
    """A competency's difficulty: how many rating points below the average competency
    its ratings fall (positive is harder), and its mean rating by a typical interviewer."""

    competency: str
    difficulty: float
    mean: float
    n_ratings: int


@dataclass(frozen=True, slots=True)
class ModelSummary:
    """What was fitted: variance components (rating points squared) and sizes."""

    variance_candidate: float
    variance_candidate_competency: float
    variance_interviewer: float
    variance_residual: float
    n_ratings: int
    n_missing: int
    n_candidates: int
    n_interviewers: int
    n_competencies: int
    scale: tuple[int, int]
    level: float
    n_draws: int
    seed: int
    method: str

    def as_dict(self) -> dict[str, Any]:
        """Return the summary as a JSON-ready dict."""
        return {
            "method": self.method,
            "variance_components": {
                "candidate": self.variance_candidate,
                "candidate_competency": self.variance_candidate_competency,
                "interviewer": self.variance_interviewer,
                "residual": self.variance_residual,
            },
            "n_ratings": self.n_ratings,
            "n_missing": self.n_missing,
            "n_candidates": self.n_candidates,
            "n_interviewers": self.n_interviewers,
            "n_competencies": self.n_competencies,
            "scale": list(self.scale),
            "level": self.level,
            "n_draws": self.n_draws,
            "seed": self.seed,
        }


@dataclass(frozen=True, eq=False)
class _Data:
    """Validated, integer-coded ratings (missing ratings removed from the model arrays)."""

    candidates: tuple[str, ...]
    interviewers: tuple[str, ...]
    competencies: tuple[str, ...]
    groups: tuple[str | None, ...]
    members: tuple[np.ndarray, ...]  # candidate codes per group, in first-seen order
    c: np.ndarray
    i: np.ndarray
    k: np.ndarray
    y: np.ndarray
    n_missing: int
    scale: tuple[int, int]


@dataclass(frozen=True, eq=False)
class _State:
    """A fitted model: everything needed to score groups under any weights."""

    data: _Data
    sigma2: tuple[float, float, float, float]  # candidate, cand×comp, interviewer, residual
    beta: np.ndarray  # (K,)
    lenience: np.ndarray  # (I,)
    a: np.ndarray  # (C,)
    cell_c: np.ndarray  # (Q,)
    cell_k: np.ndarray  # (Q,)
    cell_n: np.ndarray  # (Q,)
    cell_ptr: np.ndarray  # (C+1,) cells of candidate c are cell_ptr[c]:cell_ptr[c+1]
    rating_cell: np.ndarray  # (N,) cell of each rating
    b: np.ndarray  # (Q,)
    f: np.ndarray  # (Q,) shrink factor lambda_b / (n_q + lambda_b)
    d_cell: np.ndarray  # (Q,) n_q + lambda_b
    d_cand: np.ndarray  # (C,) absorbed candidate precision
    lam_b: float
    couplings: _Couplings  # candidates' links to interviewers
    cov_i: _InterviewerCovariance
    cell_se: np.ndarray  # (Q,)
    gram: np.ndarray  # per candidate, B_c' Sigma B_c (see _candidate_grams), flattened
    gram_ptr: np.ndarray  # (C+1,) candidate c's is gram[gram_ptr[c]:gram_ptr[c+1]]
    cell_p: np.ndarray  # (Q,) disagreement p-values (NaN when fewer than 2 ratings)
    raw_sum: np.ndarray  # (C,)
    raw_n: np.ndarray  # (C,)


class _InterviewerCovariance:
    """Posterior covariance of interviewer leniencies, in units of the residual variance.

    Dense: the whole symmetric matrix in ``full`` (read by row: gathering a block of it
    costs the block, not the triangle arithmetic); or only its ``diagonal`` (an
    approximation for very many interviewers).
    """

    def __init__(self, full: np.ndarray | None, diagonal: np.ndarray) -> None:
        self.dense = full is not None
        self.full = np.ascontiguousarray(full) if full is not None else np.empty((0, 0))
        self.diagonal = diagonal

    @classmethod
    def from_cholesky(cls, lower: np.ndarray) -> _InterviewerCovariance:
        """The exact inverse, from the lower Cholesky factor of the precision."""
        if lower.shape[0] == 0:
            return cls(np.zeros((0, 0)), np.zeros(0))
        inverse, info = scipy.linalg.lapack.dpotri(lower, lower=1)
        if info != 0:
            raise np.linalg.LinAlgError(f"interviewer precision is singular (dpotri {info})")
        inverse = np.tril(inverse)  # LAPACK leaves the upper triangle as it found it
        inverse += np.tril(inverse, -1).T
        return cls(inverse, np.diag(inverse).copy())

    @classmethod
    def diagonal_only(cls, precision_diagonal: np.ndarray) -> _InterviewerCovariance:
        """Approximation for very many interviewers: ignore their posterior correlations."""
        return cls(None, 1.0 / np.asarray(precision_diagonal, dtype=float))

    def blocks(self, index: np.ndarray) -> np.ndarray:
        """``Sigma[index[b]][:, index[b]]`` for every row ``b`` of ``index`` (B, t).

        A batch of at most ``_GATHER_BUDGET`` numbers (callers slice for it) is gathered
        from the packed lower triangle (:attr:`lower`): each block's lower half,
        its diagonal halved, added to its own transpose. That is every entry exactly
        (``x/2 + x/2 == x``, ``x + 0 == x``) for half the scattered reads from a matrix
        half the size, and the reads are what this costs (they miss the cache)."""
        first, second = index[:, :, None], index[:, None, :]
        if not self.dense:
            return np.where(first == second, self.diagonal[first], 0.0)
        n_blocks, t = index.shape
        if n_blocks * t * t > _GATHER_BUDGET:  # a large batch: whole blocks, one gather
            taken: np.ndarray = np.take(self.full.ravel(), first * len(self.full) + second)
            return taken
        rows, columns, flat, diagonal = _lower_triangle(t)
        high, low = index[:, rows], index[:, columns]
        if t > 1 and not (index[:, 1:] >= index[:, :-1]).all():  # not ascending: sort each
            high, low = np.maximum(high, low), np.minimum(high, low)
        values = self.lower.take(high * (high + 1) // 2 + low)
        values[:, diagonal] *= 0.5
        half = np.zeros((n_blocks, t * t))
        half[:, flat] = values
        half = half.reshape(n_blocks, t, t)
        mirrored: np.ndarray = half + half.transpose(0, 2, 1)
        return mirrored

    def block(self, index: np.ndarray, *, single: bool = False) -> np.ndarray:
        """``Sigma[index][:, index]`` for one (long) ``index``: whole rows first, then the
        columns, which reads memory in order (much faster than element by element);
        ``single``: in single precision (half the bytes to read)."""
        if not self.dense:
            return np.diag(self.diagonal[index]).astype(np.float32 if single else float)
        source = self.full32 if single else self.full
        return source.take(index, axis=0).take(index, axis=1)

    @cached_property
    def lower(self) -> np.ndarray:
        """The lower triangle of ``full`` packed row by row: entry ``(a, b)``, ``a >= b``,
        at ``a (a + 1) / 2 + b`` (made on first use)."""
        packed: np.ndarray = self.full[np.tri(len(self.full), dtype=bool)]  # row by row
        return packed

    @cached_property
    def full32(self) -> np.ndarray:
        """``full`` in single precision, made on first use."""
        return self.full.astype(np.float32)

    def __getstate__(self) -> dict[str, Any]:
        """Pickled (a debrief snapshot) without the copies made on first use."""
        return {key: value for key, value in self.__dict__.items() if key not in _REMADE}


_REMADE = frozenset({"full32", "lower"})  # an _InterviewerCovariance's copies made on use


@functools.lru_cache(maxsize=512)
def _lower_triangle(t: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(rows, columns) of the lower triangle of a ``t x t`` matrix, their flat positions,
    and which of them are on the diagonal (shared: never written to)."""
    rows, columns = np.tril_indices(t)
    return rows, columns, rows * t + columns, rows == columns


@dataclass(frozen=True, eq=False)
class ScoreTable:
    """Every group's results as parallel arrays, for bulk output without an object per
    candidate (``Comparison.groups`` holds the same numbers as objects).

    Rows are (group, candidate) entries, grouped by group in ``groups`` order and ranked
    within each group: the rows of group ``g`` are ``bounds[g]:bounds[g + 1]``. Candidate
    ``candidate[r]`` is named ``candidate_names[candidate[r]]``; its per-competency scores
    are the cells ``cell_start[r]:cell_stop[r]`` of the ``cell_*`` arrays (competency
    ``competency_names[cell_competency[q]]``). ``raw_mean`` and ``cell_p`` are NaN where
    there is nothing to report (no ratings; fewer than two ratings in the cell).
    """

    groups: tuple[str | None, ...]
    weights: tuple[Mapping[str, float], ...]
    joint: np.ndarray  # (G,) bool
    bounds: np.ndarray  # (G+1,)
    candidate_names: tuple[str, ...]
    competency_names: tuple[str, ...]
    candidate: np.ndarray
    score: np.ndarray
    se: np.ndarray
    low: np.ndarray
    high: np.ndarray
    p_best: np.ndarray
    rank: np.ndarray
    raw_mean: np.ndarray
    n_ratings: np.ndarray
    cell_start: np.ndarray
    cell_stop: np.ndarray
    cell_competency: np.ndarray
    cell_score: np.ndarray
    cell_se: np.ndarray
    cell_n: np.ndarray
    cell_p: np.ndarray
    cell_disagree: np.ndarray

    def group_results(self) -> tuple[GroupResult, ...]:
        """The same numbers as :class:`GroupResult` objects."""
        make = CompetencyScore._make
        names = [self.competency_names[k] for k in self.cell_competency.tolist()]
        score, se = self.cell_score.tolist(), self.cell_se.tolist()
        count, p = self.cell_n.tolist(), self.cell_p.tolist()
        disagree = self.cell_disagree.tolist()
        start, stop = self.cell_start.tolist(), self.cell_stop.tolist()
        raw = self.raw_mean.tolist()
        columns = zip(
            self.candidate.tolist(),
            self.score.tolist(),
            self.se.tolist(),
            self.low.tolist(),
            self.high.tolist(),
            self.p_best.tolist(),
            self.rank.tolist(),
            self.n_ratings.tolist(),
            strict=True,
        )
        rows = []
        for r, (cand, mean, sd, low, high, p_best, rank, n) in enumerate(columns):
            cells = tuple(
                [
                    make((names[q], score[q], se[q], count[q], p[q], disagree[q]))
                    if p[q] == p[q]  # not NaN
                    else make((names[q], score[q], se[q], count[q], None, False))
                    for q in range(start[r], stop[r])
                ]
            )
            rows.append(
                CandidateResult(
                    candidate=self.candidate_names[cand],
                    score=mean,
                    se=sd,
                    low=low,
                    high=high,
                    p_best=p_best,
                    rank=rank,
                    raw_mean=raw[r] if raw[r] == raw[r] else None,  # NaN: no ratings
                    n_ratings=n,
                    competencies=cells,
                )
            )
        bounds = self.bounds.tolist()
        return tuple(
            GroupResult(name, tuple(rows[bounds[g] : bounds[g + 1]]), weights, bool(joint))
            for g, (name, weights, joint) in enumerate(
                zip(self.groups, self.weights, self.joint.tolist(), strict=True)
            )
        )


@dataclass(frozen=True, eq=False)
class Comparison:
    """The result of :func:`fit`: groups, interviewers, competencies and the model.

    Use :meth:`reweighted` to rescore every group under new competency weights without
    refitting, :meth:`group` to read one group and ``table`` for every group's numbers as
    arrays (fast bulk output).
    """

    table: ScoreTable = field(repr=False)
    interviewers: tuple[InterviewerResult, ...]
    competencies: tuple[CompetencyResult, ...]
    model: ModelSummary
    _state: _State = field(repr=False)

    @cached_property
    def groups(self) -> tuple[GroupResult, ...]:
        """The comparison groups, candidates ordered by rank (built on first use)."""
        return self.table.group_results()

    def group(self, name: str | None) -> GroupResult:
        """Return the comparison group ``name`` (``KeyError`` if absent)."""
        for result in self.groups:
            if result.group == name:
                return result
        raise KeyError(name)

    def reweighted(
        self,
        weights: Mapping[str, float] | None,
        *,
        groups: Iterable[str | None] | None = None,
    ) -> Comparison:
        """Rescore groups under new competency weights, reusing the fitted model.

        Parameters
        ----------
        weights : mapping of competency to weight, or None
            Non-negative weights; competencies left out weigh 0; ``None`` weighs every
            competency of a group equally. Weights are normalised within each group.
        groups : iterable of group names, optional
            Rescore only these groups (the others are dropped from the result).

        Returns
        -------
        Comparison
            Same interviewers, competencies and model; new group results. The cost is the
            scoring step only (no variance components, no equation solving).
        """
        state = self._state
        wanted = None if groups is None else set(groups)
        codes = [g for g, name in enumerate(state.data.groups) if wanted is None or name in wanted]
        if wanted is not None:
            missing = wanted - {state.data.groups[g] for g in codes}
            if missing:
                raise CalibrationError(f"unknown group(s): {', '.join(map(str, missing))}")
        weight_vector = _weight_vector(weights, state.data.competencies)
        table = _score_groups(
            state, weight_vector, codes, self.model.level, self.model.n_draws, self.model.seed
        )
        return Comparison(table, self.interviewers, self.competencies, self.model, state)


def fit(
    ratings: Iterable[Rating] | RatingColumns,
    *,
    scale: tuple[int, int] = (1, 5),
    weights: Mapping[str, float] | None = None,
    level: float = 0.95,
    n_draws: int = 4000,
    seed: int = 0,
    progress: Callable[[str], None] | None = None,
) -> Comparison:
    """Fit the rater model to a rating history and compare candidates within groups.

    Parameters
    ----------
    ratings : iterable of Rating, or RatingColumns
        The whole rating history (every round, every position): all rated rows teach the
        model about interviewers and competencies, whatever their group. Candidates are
        compared within groups; if no row names a group, all candidates form one group
        (named ``None``).
    scale : (int, int)
        Lowest and highest allowed rating (inclusive).
    weights : mapping of competency to weight, optional
        Competency weights for the overall score (see :meth:`Comparison.reweighted`).
    level : float
        Coverage of the intervals ``low``-``high`` (normal approximation).
    n_draws : int
        Posterior draws for ``p_best`` (Monte Carlo error at most ``0.5 / sqrt(n_draws)``).
        When the groups hold more than ``20e6 / n_draws`` candidates in all, fewer draws
        are used (never fewer than 1000); ``model.n_draws`` reports the number used.
    seed : int
        Seed for the draws: the same input gives the same output.
    progress : callable, optional
        Called with a short description as each stage starts.

    Returns
    -------
    Comparison

    Raises
    ------
    CalibrationError
        Empty input, blank identifiers, ratings off the scale, duplicate
        (candidate, interviewer, competency) rows, a group with one candidate or with no
        ratings, unknown or negative weights.
    """
    say = progress or (lambda _message: None)
    _check_settings(scale, level, n_draws)
    say("checking ratings")
    data = _validate(ratings, scale)
    weight_vector = _weight_vector(weights, data.competencies)
    with _one_blas_thread(len(data.y)):
        say("estimating variance components")
        layout = _layout(data)
        sigma2 = _variance_components(data, layout)
        if len(data.y) <= REML_MAX_RATINGS and len(data.interviewers) <= REML_MAX_INTERVIEWERS:
            sigma2 = _reml_refined(data, layout, sigma2)
        say("solving the mixed-model equations")
        state = _solve(data, layout, sigma2)
        say("computing intervals and P(best)")
        n_entries = sum(len(m) for m in data.members)
        n_draws = min(n_draws, max(MIN_DRAWS, _DRAW_TOTAL // max(n_entries, 1)))
        table = _score_groups(state, weight_vector, range(len(data.groups)), level, n_draws, seed)
    say("summarising interviewers")
    interviewers = _interviewer_results(state)
    competencies = _competency_results(state)
    model = ModelSummary(
        variance_candidate=sigma2[0],
        variance_candidate_competency=sigma2[1],
        variance_interviewer=sigma2[2],
        variance_residual=sigma2[3],
        n_ratings=len(data.y),
        n_missing=data.n_missing,
        n_candidates=len(data.candidates),
        n_interviewers=len(data.interviewers),
        n_competencies=len(data.competencies),
        scale=scale,
        level=level,
        n_draws=n_draws,
        seed=seed,
        method=(
            "linear crossed random-effects model (candidate, candidate x competency, "
            "interviewer; competency means fixed); variance components by the method of "
            "moments; BLUP; p_best from joint normal posterior draws"
        ),
    )
    return Comparison(table, interviewers, competencies, model, state)


def _one_blas_thread(n_ratings: int) -> contextlib.AbstractContextManager[Any]:
    """Keep BLAS to one thread while a large model is fitted.

    The fit makes thousands of small matrix products; a multi-threaded BLAS hands each to
    threads that spin waiting for one another, and on a machine whose cores are busy with
    other work that made a million-rating fit ten times slower (a single thread loses
    little even on an idle machine: the one large factorisation takes a fraction of a
    second). Small fits skip it (threadpoolctl costs some milliseconds to load).
    """
    if n_ratings < ONE_BLAS_THREAD_FROM:
        return contextlib.nullcontext()
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:  # a dependency of scikit-learn; without it, BLAS as configured
        return contextlib.nullcontext()
    limits: contextlib.AbstractContextManager[Any] = threadpool_limits(limits=1, user_api="blas")
    return limits


# --------------------------------------------------------------------------- validation


def _check_settings(scale: tuple[int, int], level: float, n_draws: int) -> None:
    if (
        len(scale) != 2
        or not all(isinstance(v, int) and not isinstance(v, bool) for v in scale)
        or scale[0] >= scale[1]
    ):
        raise CalibrationError(f"scale must be two integers, low < high; got {scale!r}")
    if not 0.0 < level < 1.0:
        raise CalibrationError(f"level must be between 0 and 1; got {level!r}")
    if n_draws < 100:
        raise CalibrationError(f"n_draws must be at least 100; got {n_draws!r}")


def _columns_from_ratings(ratings: Iterable[Rating]) -> RatingColumns:
    rows = list(ratings)
    for index, row in enumerate(rows):
        if not isinstance(row, Rating):
            raise CalibrationError(f"row {index}: expected a Rating, got {type(row).__name__}")
    return RatingColumns(
        candidate=[r.candidate for r in rows],
        interviewer=[r.interviewer for r in rows],
        competency=[r.competency for r in rows],
        rating=[r.rating for r in rows],
        group=[r.group for r in rows],
    )


def _encode(
    values: Sequence[Any] | CodedColumn,
    column: str,
    where: Callable[[int], str],
    *,
    allow_none: bool = False,
) -> tuple[tuple[Any, ...], np.ndarray]:
    """Integer codes in first-seen order, after checking every distinct value is a name
    (or ``None``, where ``allow_none``)."""
    if isinstance(values, CodedColumn):
        names, codes = _recode(values, column)
    else:
        values = values.tolist() if isinstance(values, np.ndarray) else values
        index = {value: code for code, value in enumerate(dict.fromkeys(values))}
        codes = np.fromiter(map(index.__getitem__, values), dtype=np.int64, count=len(values))
        names = list(index)
    for code, value in enumerate(names):
        if value is None and allow_none:
            continue
        if not isinstance(value, str) or not value.strip():
            row = int(np.argmax(codes == code))
            hint = " (use None for ratings outside any comparison group)" if allow_none else ""
            raise CalibrationError(
                f"{where(row)}, column {column!r}: {value!r} is not a non-empty name{hint}",
                row=row,
                column=column,
            )
    return tuple(names), codes


def _recode(values: CodedColumn, column: str) -> tuple[list[Any], np.ndarray]:
    """A coded column's (names, codes): equal names merged, unused names dropped, codes
    in first-seen order (as if the names had been given row by row)."""
    codes = np.asarray(values.codes)
    names = list(values.names)
    if codes.ndim != 1 or (codes.size and codes.dtype.kind not in "iu"):
        raise CalibrationError(f"column {column!r}: codes must be a 1-d array of integers")
    codes = codes.astype(np.int64, copy=False)
    if codes.size and (int(codes.min()) < 0 or int(codes.max()) >= len(names)):
        raise CalibrationError(f"column {column!r}: a code is not an index into the names")
    index = {name: code for code, name in enumerate(dict.fromkeys(names))}
    if len(index) < len(names):
        codes = np.array([index[name] for name in names], dtype=np.int64)[codes]
        names = list(index)
    if codes.size == 0:
        return [], codes
    running = np.maximum.accumulate(codes)
    in_order = (
        codes[0] == 0
        and int(running[-1]) == len(names) - 1
        and bool((codes[1:] <= running[:-1] + 1).all())
    )
    if not in_order:
        used, first = np.unique(codes, return_index=True)
        used = used[np.argsort(first, kind="stable")]
        remap = np.full(len(names), -1, dtype=np.int64)
        remap[used] = np.arange(len(used))
        codes = remap[codes]
        names = [names[u] for u in used.tolist()]
    return names, codes


def _validate(ratings: Iterable[Rating] | RatingColumns, scale: tuple[int, int]) -> _Data:
    columns = ratings if isinstance(ratings, RatingColumns) else _columns_from_ratings(ratings)
    lines = columns.line_numbers

    def where(row: int) -> str:
        return f"line {lines[row]}" if lines is not None else f"row {row}"

    n = len(columns.candidate)
    if n == 0:
        raise CalibrationError("no ratings given")
    lengths = {
        "interviewer": len(columns.interviewer),
        "competency": len(columns.competency),
        "rating": len(columns.rating),
    }
    if columns.group is not None:
        lengths["group"] = len(columns.group)
    for name, length in lengths.items():
        if length != n:
            raise CalibrationError(f"column {name!r} has {length} rows, candidate has {n}")

    values = _rating_values(columns.rating, scale, where)
    candidates, c = _encode(columns.candidate, "candidate", where)
    interviewers, i = _encode(columns.interviewer, "interviewer", where)
    competencies, k = _encode(columns.competency, "competency", where)

    key = (c * len(interviewers) + i) * len(competencies) + k
    order = _stable_order(key)
    repeated = np.flatnonzero(key[order][1:] == key[order][:-1])
    if repeated.size:
        first, second = int(order[repeated[0]]), int(order[repeated[0] + 1])
        raise CalibrationError(
            f"{where(second)}: duplicate rating of candidate {candidates[c[second]]!r} by "
            f"interviewer {interviewers[i[second]]!r} on {competencies[k[second]]!r} "
            f"(first given at {where(first)})",
            row=second,
        )

    rated = ~np.isnan(values)
    if not rated.any():
        raise CalibrationError("every rating is missing: nothing to fit")
    groups, members = _groups(columns.group, c, rated, candidates, where)
    return _Data(
        candidates=candidates,
        interviewers=interviewers,
        competencies=competencies,
        groups=groups,
        members=members,
        c=c[rated],
        i=i[rated],
        k=k[rated],
        y=values[rated],
        n_missing=int(n - rated.sum()),
        scale=scale,
    )


def _rating_values(
    raw: Sequence[int | None] | np.ndarray, scale: tuple[int, int], where: Callable[[int], str]
) -> np.ndarray:
    if isinstance(raw, np.ndarray) and raw.dtype.kind == "f":
        values = raw.astype(float, copy=False)
    else:
        values = np.empty(len(raw))
        for row, value in enumerate(raw):
            if value is None:
                values[row] = np.nan
            elif isinstance(value, int | np.integer) and not isinstance(value, bool):
                values[row] = value
            else:
                raise CalibrationError(
                    f"{where(row)}, column 'rating': {value!r} is not a whole number",
                    row=row,
                    column="rating",
                )
    rated = ~np.isnan(values)
    bad = rated & ((values != np.round(values)) | (values < scale[0]) | (values > scale[1]))
    if bad.any():
        row = int(np.argmax(bad))
        raise CalibrationError(
            f"{where(row)}, column 'rating': {values[row]:g} is not on the scale "
            f"{scale[0]}-{scale[1]}",
            row=row,
            column="rating",
        )
    return values


def _groups(
    group_column: Sequence[str | None] | CodedColumn | None,
    c: np.ndarray,
    rated: np.ndarray,
    candidates: tuple[str, ...],
    where: Callable[[int], str],
) -> tuple[tuple[str | None, ...], tuple[np.ndarray, ...]]:
    names: list[str | None] = []
    members: list[np.ndarray] = []
    if group_column is None:
        distinct: tuple[str | None, ...] = ()
        codes = np.zeros(0, dtype=np.int64)
    else:
        distinct, codes = _encode(group_column, "group", where, allow_none=True)
    named = [name for name in distinct if name is not None]
    if not named:
        names.append(None)
        # every candidate, in code (first-seen) order: np.unique(c) without sorting
        members.append(np.flatnonzero(np.bincount(c, minlength=len(candidates))))
    else:
        # number the named groups 0.. in first-seen order; rows without a group get -1
        renumber = np.cumsum([name is not None for name in distinct]) - 1
        renumber[[name is None for name in distinct]] = -1
        codes = renumber[codes]
        inside = codes >= 0
        for code, chosen in enumerate(_group_members(codes[inside], c[inside], len(candidates))):
            names.append(named[code])
            members.append(chosen)
    rated_candidates = np.zeros(len(candidates), dtype=bool)
    rated_candidates[c[rated]] = True
    for name, chosen in zip(names, members, strict=True):
        label = "all candidates" if name is None else f"group {name!r}"
        if len(chosen) < 2:
            only = candidates[chosen[0]] if len(chosen) else "nobody"
            raise CalibrationError(
                f"{label} has only one candidate ({only}): nothing to compare", column="group"
            )
        if not rated_candidates[chosen].any():
            raise CalibrationError(f"{label} has no ratings (all missing)", column="group")
    return tuple(names), tuple(members)


def _group_members(group: np.ndarray, c: np.ndarray, n_candidates: int) -> list[np.ndarray]:
    """Each group's distinct candidates in code order, from the rows' (group, candidate)
    codes (groups numbered 0..G-1, every one used)."""
    n_groups = int(group.max()) + 1
    group_of = np.full(n_candidates, -1, dtype=np.int64)
    group_of[c] = group
    if (group_of[c] == group).all():  # each candidate in one group (usual): no pair sort
        placed = np.flatnonzero(group_of >= 0)
        chosen = placed[np.argsort(group_of[placed], kind="stable")]
        cuts = np.searchsorted(group_of[chosen], np.arange(n_groups + 1))
    else:
        pairs = _distinct(group * n_candidates + c)[0]
        chosen = pairs % n_candidates
        cuts = np.searchsorted(pairs // n_candidates, np.arange(n_groups + 1))
    return [chosen[cuts[g] : cuts[g + 1]] for g in range(n_groups)]


def _weight_vector(
    weights: Mapping[str, float] | None, competencies: tuple[str, ...]
) -> np.ndarray | None:
    if weights is None:
        return None
    position = {name: index for index, name in enumerate(competencies)}
    vector = np.zeros(len(competencies))
    for name, weight in weights.items():
        if name not in position:
            raise CalibrationError(f"weights: unknown competency {name!r}")
        if not (isinstance(weight, int | float) and math.isfinite(weight) and weight >= 0):
            raise CalibrationError(
                f"weights: competency {name!r} has weight {weight!r}; need a number >= 0"
            )
        vector[position[name]] = float(weight)
    if vector.sum() <= 0:
        raise CalibrationError("weights: every competency has weight 0")
    return vector


# ------------------------------------------------------------------ variance components


def _pair_sums(codes: np.ndarray, y: np.ndarray, n_codes: int) -> tuple[float, float]:
    """Sum over groups of (number of pairs, half the sum of squared pair differences)."""
    if n_codes > 4 * len(codes):
        codes = np.unique(codes, return_inverse=True)[1]
        n_codes = int(codes.max()) + 1
    n = np.bincount(codes, minlength=n_codes).astype(float)
    s1 = np.bincount(codes, weights=y, minlength=n_codes)
    s2 = np.bincount(codes, weights=y * y, minlength=n_codes)
    pairs = float((n * (n - 1) / 2).sum())
    u = float((n * s2 - s1 * s1).sum() / 2)
    return pairs, u


def _variance_components(data: _Data, layout: _Layout) -> tuple[float, float, float, float]:
    """Moment estimates of (candidate, candidate × competency, interviewer, residual).

    Each U-statistic is half the mean squared difference over pairs of ratings that share
    something; its expectation is a known combination of the variances. The system is
    solved by non-negative least squares (truncation at zero, as ANOVA estimators are).
    """
    c, i, k, y = data.c, data.i, data.k, data.y
    n_c, n_i, n_k = len(data.candidates), len(data.interviewers), len(data.competencies)
    means = np.bincount(k, weights=y, minlength=n_k) / np.maximum(np.bincount(k, minlength=n_k), 1)
    centred = y - means[k]
    n_cells, n_pairs = len(layout.cell_c), len(layout.pair_i)
    p_cell, u_cell = _pair_sums(layout.q, y, n_cells)  # same candidate and competency
    p_ik, u_ik = _pair_sums(i * n_k + k, y, n_i * n_k)  # same interviewer and competency
    p_k, u_k = _pair_sums(k, y, n_k)  # same competency
    p_c, u_c = _pair_sums(c, centred, n_c)  # same candidate
    p_ci, _ = _pair_sums(layout.pair_of, centred, n_pairs)  # same candidate and interviewer
    # columns: candidate, candidate x competency, interviewer, residual
    rows = [
        ([0.0, 0.0, p_cell, p_cell], u_cell),
        ([p_ik, p_ik, 0.0, p_ik], u_ik),
        ([p_k - p_cell, p_k - p_cell, p_k - p_ik, p_k], u_k),
        ([0.0, p_c - p_cell, p_c - p_ci, p_c], u_c),
    ]
    matrix = np.array([r for r, _ in rows if r[3] > 0])
    target = np.array([u for r, u in rows if r[3] > 0])
    if matrix.size == 0:
        raise CalibrationError("too few ratings to estimate anything (no two share a factor)")
    scale = matrix[:, 3].copy()
    matrix, target = matrix / scale[:, None], target / scale
    separable = p_c - p_cell > 0  # some candidate rated on two competencies
    columns = [0, 1, 2, 3] if separable else [0, 2, 3]
    solution = _nnls(matrix[:, columns], target)
    sigma2 = np.zeros(4)
    sigma2[columns] = solution
    total = float(np.var(y)) if len(y) > 1 else 1.0
    floor = 1e-6 * max(total, 1e-6)
    sigma2[3] = max(sigma2[3], floor)
    return (float(sigma2[0]), float(sigma2[1]), float(sigma2[2]), float(sigma2[3]))


def _reml_refined(
    data: _Data, layout: _Layout, start: tuple[float, float, float, float]
) -> tuple[float, float, float, float]:
    """The variance components maximising the restricted likelihood, searched from the
    moment estimates ``start``.

    The moment estimates solve four equations in four unknowns exactly; where pairs of
    ratings that tell interviewers apart are few (one rater per candidate, linked through a
    few shared candidates), they are noisy, and the interviewer variance is often cut to
    zero, switching the correction off. REML weighs all the evidence. Each evaluation is
    one absorbed solve (:func:`_reml_deviance`); the search is over the logarithms of the
    ratios to the residual variance, bounded so a variance can fall to 1e-8 of the residual
    (then it is reported as 0).
    """
    separable = start[1] > 0 or _separable(data, layout)
    s_e = start[3]
    floor = 1e-8
    free = [0, 1, 2] if separable else [0, 2]
    x0 = np.log(np.maximum([start[j] / s_e for j in free], 1e-3))

    def deviance(x: np.ndarray) -> float:
        ratios = np.zeros(3)
        ratios[free] = np.exp(np.clip(x, math.log(floor), math.log(1e4)))
        return _reml_deviance(data, layout, ratios)[0]

    found = scipy.optimize.minimize(
        deviance, x0, method="Nelder-Mead", options={"xatol": 1e-2, "fatol": 1e-3, "maxfev": 300}
    )
    if not found.success and found.fun > deviance(x0):
        return start
    ratios = np.zeros(3)
    ratios[free] = np.exp(np.clip(found.x, math.log(floor), math.log(1e4)))
    ratios[ratios <= floor * 1.0001] = 0.0
    residual = _reml_deviance(data, layout, np.where(ratios > 0, ratios, floor))[1]
    sigma = (float(ratios[0] * residual), float(ratios[1] * residual), float(ratios[2] * residual))
    return (*sigma, float(residual))


def _separable(data: _Data, layout: _Layout) -> bool:
    """Some candidate was rated on two competencies (else candidate × competency merit and
    noise cannot be told apart)."""
    return len(layout.cell_c) > len(np.unique(layout.cell_c))


def _reml_deviance(data: _Data, layout: _Layout, ratios: np.ndarray) -> tuple[float, float]:
    """(-2 restricted log-likelihood up to a constant, residual variance) at the variance
    ratios (candidate, candidate × competency, interviewer) to the residual, with the
    residual variance profiled out:

    ``(N - p) log s_e - sum_j q_j log lambda_j + log|C| + N - p``, ``s_e = (y'y - t'r) /
    (N - p)``, where ``C`` is the mixed-model coefficient matrix with ``lambda_j = 1 /
    ratio_j``, ``t`` its solution and ``r`` its right-hand side. ``log|C|`` is the sum of
    the absorbed candidate blocks' log determinants and that of the system left over.
    """
    c, i, k, y = data.c, data.i, data.k, data.y
    n_c, n_i, n_k = len(data.candidates), len(data.interviewers), len(data.competencies)
    lam_a, lam_b, lam_s = 1.0 / np.maximum(ratios, 1e-300)
    q, cell_c = layout.q, layout.cell_c
    cell_n = np.bincount(q, minlength=len(cell_c)).astype(float)
    cell_sum = np.bincount(q, weights=y, minlength=len(cell_c))
    d_cell = cell_n + lam_b
    f = lam_b / d_cell
    d_cand = lam_a + np.bincount(cell_c, weights=cell_n * f, minlength=n_c)
    r_cand = np.bincount(cell_c, weights=cell_sum * f, minlength=n_c)
    h = np.bincount(layout.pair_of, weights=f[q], minlength=len(layout.pair_i))
    n_g = n_i + n_k
    index, values = _precision_entries(data, layout, cell_n, d_cell, f, d_cand, h, lam_s)
    dense = np.bincount(index, weights=values, minlength=n_g * n_g).reshape(n_g, n_g)
    dense[:n_i, :n_i] -= _dense_cross_product(_coupling_rows(data, layout, d_cell, d_cand, h))
    absorbed_y = y - (cell_sum / d_cell)[q] - f[q] * (r_cand / d_cand)[c]
    rhs = np.concatenate(
        [np.bincount(i, weights=absorbed_y, minlength=n_i),
         np.bincount(k, weights=absorbed_y, minlength=n_k)]
    )  # fmt: skip
    try:
        factor = scipy.linalg.cholesky(dense, lower=True, check_finite=False)
    except np.linalg.LinAlgError:
        return math.inf, math.nan
    solution = scipy.linalg.cho_solve((factor, True), rhs, check_finite=False)
    lenience, beta = solution[:n_i], solution[n_i:]
    fixed = lenience[i] + beta[k]
    a = (r_cand - np.bincount(c, weights=f[q] * fixed, minlength=n_c)) / d_cand
    b = cell_sum - cell_n * a[cell_c] - np.bincount(q, weights=fixed, minlength=len(cell_c))
    b /= d_cell
    fitted_rhs = (
        beta @ np.bincount(k, weights=y, minlength=n_k)
        + lenience @ np.bincount(i, weights=y, minlength=n_i)
        + a @ np.bincount(c, weights=y, minlength=n_c)
        + b @ cell_sum
    )
    n, p = len(y), n_k
    residual = max(float(y @ y - fitted_rhs) / (n - p), 1e-12) if n > p else math.nan
    rated = d_cand > lam_a  # candidates with ratings (the others are not in the equations)
    # log|C| - sum_j q_j log(lambda_j), each block's share taken with its own lambda
    log_det = (
        np.log1p(cell_n / lam_b).sum()
        + np.log1p((d_cand[rated] - lam_a) / lam_a).sum()
        + 2 * np.log(np.diag(factor)[:n_i]).sum()
        - n_i * math.log(lam_s)
        + 2 * np.log(np.diag(factor)[n_i:]).sum()
    )
    return float((n - p) * math.log(residual) + log_det), residual


def _nnls(matrix: np.ndarray, target: np.ndarray) -> np.ndarray:
    """Non-negative least squares for a handful of columns, by trying every support.

    The optimum is the unconstrained least-squares solution on some set of columns, with
    no negative entry; trying all ``2**n`` sets (n <= 4 here) finds it exactly.
    """
    n = matrix.shape[1]
    best, best_cost = np.zeros(n), float(target @ target)
    for size in range(1, n + 1):
        for support in itertools.combinations(range(n), size):
            chosen = list(support)
            values = np.linalg.lstsq(matrix[:, chosen], target, rcond=None)[0]
            if (values < 0).any():
                continue
            residual = matrix[:, chosen] @ values - target
            cost = float(residual @ residual)
            if cost < best_cost * (1 - 1e-12) - 1e-300:
                best, best_cost = np.zeros(n), cost
                best[chosen] = values
    return best


# ------------------------------------------------------------------------ the equations


class _Layout(NamedTuple):
    """Where the ratings sit: cells (candidate × competency) and pairs (candidate ×
    interviewer), both numbered in candidate order."""

    cell_c: np.ndarray  # (Q,) candidate of each cell
    cell_k: np.ndarray  # (Q,) competency of each cell
    cell_ptr: np.ndarray  # (C+1,) cells of candidate c are cell_ptr[c]:cell_ptr[c+1]
    q: np.ndarray  # (N,) cell of each rating
    pair_i: np.ndarray  # (P,) interviewer of each pair
    pair_ptr: np.ndarray  # (C+1,) pairs of candidate c are pair_ptr[c]:pair_ptr[c+1]
    pair_of: np.ndarray  # (N,) pair of each rating
    by_pair: np.ndarray  # (N,) ratings sorted by pair (so by candidate), stably
    rating_ptr: np.ndarray  # (C+1,) ratings by_pair[rating_ptr[c]:rating_ptr[c+1]] are c's


def _distinct(keys: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(sorted distinct keys, index of each key among them, stable sorting order):
    ``np.unique(keys, return_inverse=True)``, but linear in time (see _stable_order)."""
    order = _stable_order(keys)
    ordered = keys[order]
    starts = np.ones(len(keys), dtype=bool)
    np.not_equal(ordered[1:], ordered[:-1], out=starts[1:])
    inverse = np.empty(len(keys), dtype=np.int64)
    inverse[order] = np.cumsum(starts) - 1
    return ordered[starts], inverse, order


def _stable_order(keys: np.ndarray) -> np.ndarray:
    """``np.argsort(keys, kind="stable")`` for non-negative integer keys, fast whatever
    the row order: timsort where the keys come in long runs (a file listed candidate by
    candidate), else a least-significant-digit radix sort on 16-bit digits (numpy sorts
    16-bit integers by radix), about 6x faster than timsort on rows in random order."""
    if len(keys) < 2 or np.count_nonzero(keys[1:] < keys[:-1]) * 4 < len(keys):
        return np.argsort(keys, kind="stable")
    order = np.argsort((keys & 0xFFFF).astype(np.uint16), kind="stable")
    shift, top = 16, int(keys.max())
    while top >> shift:
        digit = ((keys[order] >> shift) & 0xFFFF).astype(np.uint16)
        order = order[np.argsort(digit, kind="stable")]
        shift += 16
    return order


def _layout(data: _Data) -> _Layout:
    c, i, k = data.c, data.i, data.k
    n_c, n_i, n_k = len(data.candidates), len(data.interviewers), len(data.competencies)
    candidates = np.arange(n_c + 1)
    cell_codes, q, _ = _distinct(c * n_k + k)
    cell_c = cell_codes // n_k
    pair_codes, pair_of, by_pair = _distinct(c * n_i + i)
    return _Layout(
        cell_c=cell_c,
        cell_k=cell_codes % n_k,
        cell_ptr=np.searchsorted(cell_c, candidates),
        q=q,
        pair_i=pair_codes % n_i,
        pair_ptr=np.searchsorted(pair_codes // n_i, candidates),
        pair_of=pair_of,
        by_pair=by_pair,
        rating_ptr=np.searchsorted(c[by_pair], candidates),
    )


def _same_shape(rows: np.ndarray, columns: np.ndarray) -> Iterator[np.ndarray]:
    """Indices of the items, in runs that share (rows, columns): each run can be done as
    one batch of dense arrays."""
    shape = rows.astype(np.int64) * (int(columns.max(initial=0)) + 1) + columns
    order = np.argsort(shape, kind="stable")
    cuts = np.flatnonzero(np.diff(shape[order])) + 1
    yield from np.split(order, cuts)


def _batches(items: np.ndarray, size_each: int) -> Iterator[np.ndarray]:
    """``items`` in slices that keep each batch near ``_BLOCK_BUDGET`` numbers."""
    step = max(1, _BLOCK_BUDGET // max(size_each, 1))
    for first in range(0, len(items), step):
        yield items[first : first + step]


def _solve(data: _Data, layout: _Layout, sigma2: tuple[float, float, float, float]) -> _State:
    """Solve Henderson's mixed-model equations by absorbing the candidate blocks.

    The unknowns left after absorbing are the interviewers' leniencies (first, so the
    leading Cholesky block is their own precision) and the competency means.
    """
    c, i, k, y = data.c, data.i, data.k, data.y
    n_c, n_i, n_k = len(data.candidates), len(data.interviewers), len(data.competencies)
    s_a, s_ab, s_s, s_e = sigma2
    floor = 1e-9 * s_e
    lam_a, lam_b, lam_s = s_e / max(s_a, floor), s_e / max(s_ab, floor), s_e / max(s_s, floor)

    q, cell_c = layout.q, layout.cell_c
    cell_n = np.bincount(q, minlength=len(cell_c)).astype(float)
    cell_sum = np.bincount(q, weights=y, minlength=len(cell_c))
    d_cell = cell_n + lam_b
    f = lam_b / d_cell
    d_cand = lam_a + np.bincount(cell_c, weights=cell_n * f, minlength=n_c)
    r_cand = np.bincount(cell_c, weights=cell_sum * f, minlength=n_c)
    h = np.bincount(layout.pair_of, weights=f[q], minlength=len(layout.pair_i))

    n_g = n_i + n_k
    batches = list(_candidate_batches(layout))
    index, values = _precision_entries(data, layout, cell_n, d_cell, f, d_cand, h, lam_s)
    # each rating's share of the right-hand side once its candidate's effects are absorbed
    absorbed_y = y - (cell_sum / d_cell)[q] - f[q] * (r_cand / d_cand)[c]
    rhs = np.concatenate(
        [np.bincount(i, weights=absorbed_y, minlength=n_i),
         np.bincount(k, weights=absorbed_y, minlength=n_k)]
    )  # fmt: skip
    if n_i <= MAX_DENSE_INTERVIEWERS:
        dense = np.bincount(index, weights=values, minlength=n_g * n_g).reshape(n_g, n_g)
        dense[:n_i, :n_i] -= _dense_cross_product(_coupling_rows(data, layout, d_cell, d_cand, h))
        factor = scipy.linalg.cholesky(dense, lower=True, overwrite_a=True, check_finite=False)
        solution = scipy.linalg.cho_solve((factor, True), rhs, check_finite=False)
        cov_i = _InterviewerCovariance.from_cholesky(factor[:n_i, :n_i])
    else:
        sparse = sp.csc_matrix((values, (index // n_g, index % n_g)), shape=(n_g, n_g))
        coupled = _interviewer_coupling(data, layout, d_cell, d_cand, h)
        sparse = (sparse - sp.block_diag([coupled, sp.csr_matrix((n_k, n_k))])).tocsc()
        solution = sp.linalg.spsolve(sparse, rhs)
        cov_i = _InterviewerCovariance.diagonal_only(sparse.diagonal()[:n_i])
    lenience, beta = solution[:n_i], solution[n_i:]
    fixed = lenience[i] + beta[k]  # each rating's interviewer and competency part
    a = (r_cand - np.bincount(c, weights=f[q] * fixed, minlength=n_c)) / d_cand
    b = cell_sum - cell_n * a[cell_c] - np.bincount(q, weights=fixed, minlength=len(cell_c))
    b /= d_cell

    by_pair = layout.by_pair
    couplings = _Couplings(
        layout.pair_i, layout.pair_ptr, h, layout.pair_of[by_pair], q[by_pair], layout.rating_ptr
    )
    gram, gram_ptr = _candidate_grams(batches, layout, h, cov_i)
    cell_se = _cell_standard_errors(layout, gram, gram_ptr, f, d_cell, d_cand, s_e)
    cell_p = _disagreement(q, i, y - fixed, cov_i, s_e, len(cell_n))
    return _State(
        data=data,
        sigma2=sigma2,
        beta=beta,
        lenience=lenience,
        a=a,
        cell_c=cell_c,
        cell_k=layout.cell_k,
        cell_n=cell_n,
        cell_ptr=layout.cell_ptr,
        rating_cell=q,
        b=b,
        f=f,
        d_cell=d_cell,
        d_cand=d_cand,
        lam_b=lam_b,
        couplings=couplings,
        cov_i=cov_i,
        cell_se=cell_se,
        gram=gram,
        gram_ptr=gram_ptr,
        cell_p=cell_p,
        raw_sum=np.bincount(c, weights=y, minlength=n_c),
        raw_n=np.bincount(c, minlength=n_c).astype(float),
    )


class _Batch(NamedTuple):
    """Candidates of one shape: ``B`` candidates, each with ``Q`` cells and ``P`` pairs."""

    candidates: np.ndarray  # (B,)
    cells: np.ndarray  # (B, Q) their cells
    pairs: np.ndarray  # (B, P) their pairs (so their interviewers)
    marks: np.ndarray  # (B, Q, P) True where the pair's interviewer rated the cell


def _candidate_batches(layout: _Layout) -> Iterator[_Batch]:
    """Every candidate with ratings, in batches of one shape, for dense batched products."""
    n_cells, n_pairs = np.diff(layout.cell_ptr), np.diff(layout.pair_ptr)
    for same in _same_shape(n_cells, n_pairs):
        n_q, n_p = int(n_cells[same[0]]), int(n_pairs[same[0]])
        if n_q == 0:
            continue  # a candidate with no ratings
        for part in _batches(same, 2 * n_q * n_p + n_p * n_p):
            owner, at = _ranges(layout.rating_ptr[part], layout.rating_ptr[part + 1])
            r = layout.by_pair[at]
            q_at = layout.q[r] - layout.cell_ptr[part][owner]
            p_at = layout.pair_of[r] - layout.pair_ptr[part][owner]
            marks = np.zeros((len(part), n_q, n_p), dtype=bool)
            marks.ravel()[(owner * n_q + q_at) * n_p + p_at] = True
            yield _Batch(
                candidates=part,
                cells=layout.cell_ptr[part][:, None] + np.arange(n_q),
                pairs=layout.pair_ptr[part][:, None] + np.arange(n_p),
                marks=marks,
            )


def _precision_entries(
    data: _Data,
    layout: _Layout,
    cell_n: np.ndarray,
    d_cell: np.ndarray,
    f: np.ndarray,
    d_cand: np.ndarray,
    h: np.ndarray,
    lam_s: float,
) -> tuple[np.ndarray, np.ndarray]:
    """The precision of (leniencies, competency means) after absorbing, except the
    interviewers' coupling through shared candidates (:func:`_interviewer_coupling`), as
    (flat index ``row * n + column``, value) entries to be summed.

    With ``Z`` the design of those unknowns (one column per interviewer and competency),
    the precision is ``Z'Z + priors - sum_c (R_c' W_c R_c + u_c u_c' / D_c)``: ``R_c =
    [diag(n_q) | M_c]`` holds candidate ``c``'s cells' rows of ``Z`` summed (``M_c`` marks
    which of its interviewers rated each cell), ``W_c = diag(1 / D_q)`` and ``u_c = R_c' f
    = [n_q f_q | h_c]``. Here: the diagonal of ``Z'Z`` and the priors of the interviewers,
    and every part with the (few) competencies, by sparse products.
    """
    i, k, q = data.i, data.k, layout.q
    n_c, n_i, n_k = len(data.candidates), len(data.interviewers), len(data.competencies)
    n_g = n_i + n_k
    w = 1.0 / d_cell
    v = sp.diags(1.0 / d_cand)
    pair_c = np.repeat(np.arange(n_c), np.diff(layout.pair_ptr))
    u_k = sp.csr_matrix((cell_n * f, (layout.cell_c, layout.cell_k)), shape=(n_c, n_k))
    u_i = sp.csr_matrix((h, (pair_c, layout.pair_i)), shape=(n_c, n_i))
    kk = (
        np.diag(
            np.bincount(k, minlength=n_k)
            - np.bincount(layout.cell_k, weights=cell_n**2 * w, minlength=n_k)
            + 1e-10
        )
        - (u_k.T @ v @ u_k).toarray()
    )
    ki = np.bincount(k * n_i + i, weights=1.0 - (cell_n * w)[q], minlength=n_k * n_i)
    ki = ki.reshape(n_k, n_i) - (u_k.T @ v @ u_i).toarray()
    competency = n_i + np.arange(n_k)
    interviewer = np.arange(n_i)
    indices = [
        (competency[:, None] * n_g + competency).ravel(),
        (competency[:, None] * n_g + interviewer).ravel(),
        (interviewer[:, None] * n_g + competency).ravel(),
        interviewer * (n_g + 1),
    ]
    entries = [kk.ravel(), ki.ravel(), ki.T.ravel(), np.bincount(i, minlength=n_i) + lam_s]
    return np.concatenate(indices), np.concatenate(entries)


def _interviewer_coupling(
    data: _Data, layout: _Layout, d_cell: np.ndarray, d_cand: np.ndarray, h: np.ndarray
) -> sp.csr_matrix:
    """``sum_c (M_c' W_c M_c + h_c h_c' / D_c)``: how absorbing each candidate's effects
    couples the interviewers who rated them (see :func:`_precision_entries`).

    One sparse product ``S'S`` of the stacked rows ``sqrt(W_q) m_q`` (a cell's
    interviewers) and ``h_c / sqrt(D_c)`` (a candidate's): done by scipy's compiled
    sparse product, which sums the candidates' many small outer products in place (with
    interviewers drawn at random, a million ratings give some fifty million of them).
    """
    return _cross_product(_coupling_rows(data, layout, d_cell, d_cand, h))


def _coupling_rows(
    data: _Data, layout: _Layout, d_cell: np.ndarray, d_cand: np.ndarray, h: np.ndarray
) -> sp.csr_matrix:
    """The rows ``S`` whose ``S'S`` is the interviewer coupling (see
    :func:`_interviewer_coupling`)."""
    n_i, n_cells, n_c = len(data.interviewers), len(layout.cell_c), len(data.candidates)
    by_cell = sp.csr_matrix(
        (np.sqrt(1.0 / d_cell)[layout.q], (layout.q, data.i)), shape=(n_cells, n_i)
    )
    pair_c = np.repeat(np.arange(n_c), np.diff(layout.pair_ptr))
    by_candidate = sp.csr_matrix(
        (h / np.sqrt(d_cand)[pair_c], (pair_c, layout.pair_i)), shape=(n_c, n_i)
    )
    stacked: sp.csr_matrix = sp.vstack([by_cell, by_candidate], format="csr")
    return stacked


def _cross_product(rows: sp.csr_matrix) -> sp.csr_matrix:
    """``rows' rows`` by scipy's compiled sparse product, without its first pass.

    scipy's ``@`` first walks the whole product only to count the entries of the result,
    then walks it again to fill them. That count is bounded beforehand here: by ``n * n``
    (the result is ``n x n``) and by the number of terms (the sum of each row's entries
    squared), so one walk does; the result is the same, bit for bit. Falls back on ``@``
    when scipy's compiled routine is not where it is expected.
    """
    per_row = np.diff(rows.indptr).astype(np.int64)
    return _product(rows.T.tocsr(), rows, int((per_row * per_row).sum()))


def _product(left: sp.csr_matrix, right: sp.csr_matrix, terms: int) -> sp.csr_matrix:
    """``left @ right`` in one walk of scipy's compiled product, ``terms`` bounding the
    number of products it sums (see :func:`_cross_product`)."""
    n, m = left.shape[0], right.shape[1]
    bound = int(min(n * m, terms))
    try:
        from scipy.sparse import _sparsetools  # private: the routine behind ``@``
    except ImportError:  # pragma: no cover - another scipy layout
        return (left @ right).tocsr()
    index = np.int32 if max(bound, left.nnz, right.nnz) < np.iinfo(np.int32).max else np.int64
    indptr, indices = np.empty(n + 1, dtype=index), np.empty(bound, dtype=index)
    data = np.empty(bound, dtype=np.result_type(left.dtype, right.dtype, np.float64))
    _sparsetools.csr_matmat(
        n, m,
        left.indptr.astype(index, copy=False), left.indices.astype(index, copy=False),
        left.data.astype(data.dtype, copy=False),
        right.indptr.astype(index, copy=False), right.indices.astype(index, copy=False),
        right.data.astype(data.dtype, copy=False),
        indptr, indices, data,
    )  # fmt: skip
    size = int(indptr[-1])
    return sp.csr_matrix((data[:size], indices[:size], indptr), shape=(n, m))


def _dense_cross_product(rows: sp.csr_matrix) -> np.ndarray:
    """``rows' rows`` as a dense array, in blocks of columns when there are many.

    With the columns in two halves the product is three blocks, not four: the block
    below the diagonal is the transpose of the one above. Each entry is the same sum of
    the same products in the same order (the rows, ascending) as in one product, so the
    result is the same bit for bit, for three quarters of the work.
    """
    n = rows.shape[1]
    if n < SPLIT_PRODUCT_FROM:
        dense: np.ndarray = _cross_product(rows).toarray()
        return dense
    cuts = [0, n // 2, n]
    columns = rows.tocsc()
    halves = [columns[:, cuts[a] : cuts[a + 1]].tocsr() for a in range(2)]
    counts = [np.diff(half.indptr).astype(np.int64) for half in halves]
    out = np.empty((n, n))
    for a in range(2):
        left = halves[a].T.tocsr()
        for b in range(a, 2):
            terms = int((counts[a] * counts[b]).sum())
            block = _product(left, halves[b], terms).toarray()
            out[cuts[a] : cuts[a + 1], cuts[b] : cuts[b + 1]] = block
            if b != a:
                out[cuts[b] : cuts[b + 1], cuts[a] : cuts[a + 1]] = block.T
    return out


class _Couplings(NamedTuple):
    """Where candidates meet interviewers: the support of every score's coupling vector.

    Pairs are the distinct (candidate, interviewer) combinations, sorted by candidate.
    """

    pair_i: np.ndarray  # (P,) interviewer of each pair
    pair_ptr: np.ndarray  # (C+1,) pairs of candidate c are pair_ptr[c]:pair_ptr[c+1]
    h: np.ndarray  # (P,) the candidate's coupling to that interviewer (sum of f over cells)
    rating_pair: np.ndarray  # (N,) pair of each rating, ratings sorted by pair
    rating_cell: np.ndarray  # (N,) cell of each rating, same order
    rating_ptr: np.ndarray  # (C+1,) sorted ratings of candidate c


def _ranges(starts: np.ndarray, stops: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For ranges ``starts[j]:stops[j]``: (owner ``j`` of each position, the position)."""
    counts = stops - starts
    owner = np.repeat(np.arange(len(starts)), counts)
    offsets = np.arange(int(counts.sum())) - np.repeat(np.cumsum(counts) - counts, counts)
    return owner, np.repeat(starts, counts) + offsets


class _Blocks(NamedTuple):
    """Sparse vectors over interviewers, in blocks that share a support.

    Block ``b`` holds ``n_rows[b]`` vectors, all supported on the interviewers
    ``support[support_ptr[b]:support_ptr[b + 1]]``; its non-zero coefficients are
    ``coef[coef_ptr[b]:coef_ptr[b + 1]]``, each at vector ``row`` and at position ``column``
    of the support (no two at the same row and column). Without ``row`` and ``column``
    every block is dense: all ``n_rows x width`` coefficients, row after row.
    """

    coef: np.ndarray
    row: np.ndarray | None
    column: np.ndarray | None
    coef_ptr: np.ndarray
    n_rows: np.ndarray
    support: np.ndarray
    support_ptr: np.ndarray


def _block_forms(cov_i: _InterviewerCovariance, blocks: _Blocks) -> np.ndarray:
    """Every block's matrix of ``x_a' Sigma x_b`` over its vectors: ``n_rows**2`` numbers
    per block, row-major, block after block.

    Blocks of one shape are done together as dense batched products, so the cost is about
    that of the small dense matrices, whatever the number of blocks; wide blocks one by one.
    """
    n_rows = blocks.n_rows.astype(np.int64)
    width = np.diff(blocks.support_ptr)
    out_ptr = np.concatenate([[0], np.cumsum(n_rows * n_rows)]).astype(np.int64)
    out = np.zeros(int(out_ptr[-1]))
    wide = np.flatnonzero((width >= WIDE_BLOCK) & (n_rows > 0))
    _wide_block_forms(cov_i, blocks, wide, out, out_ptr)
    for same in _same_shape(n_rows, width):
        m, t = int(n_rows[same[0]]), int(width[same[0]])
        if m == 0 or t >= WIDE_BLOCK:
            continue
        for part in _batches(same, m * t + t * t + m * m):
            x = _dense_rows(blocks, part, m, t)
            index = blocks.support[blocks.support_ptr[part][:, None] + np.arange(t)]
            result = (x @ cov_i.blocks(index)) @ x.transpose(0, 2, 1)
            out[out_ptr[part][:, None] + np.arange(m * m)] = result.reshape(len(part), m * m)
    return out


def _dense_rows(blocks: _Blocks, part: np.ndarray, m: int, t: int) -> np.ndarray:
    """The vectors of blocks ``part`` (all of shape ``m x t``) as a dense (B, m, t) array."""
    if blocks.row is None or blocks.column is None:
        at = blocks.coef_ptr[part][:, None] + np.arange(m * t)
        dense: np.ndarray = blocks.coef[at].reshape(len(part), m, t)
        return dense
    owner, at = _ranges(blocks.coef_ptr[part], blocks.coef_ptr[part + 1])
    x = np.zeros((len(part), m, t))
    x.ravel()[(owner * m + blocks.row[at]) * t + blocks.column[at]] = blocks.coef[at]
    return x


def _wide_block_forms(
    cov_i: _InterviewerCovariance,
    blocks: _Blocks,
    wide: np.ndarray,
    out: np.ndarray,
    out_ptr: np.ndarray,
) -> None:
    """:func:`_block_forms` for the wide blocks (groups whose candidates met many
    different interviewers), one by one, each covariance block read row by row, in single
    precision: these matrices only feed the (single-precision) P(best) draws, and reading
    half the bytes is what makes them fast. Their dense vectors are laid out for all of
    them at once (one by one, the bookkeeping cost as much as the products)."""
    m = blocks.n_rows[wide].astype(np.int64)
    t = np.diff(blocks.support_ptr)[wide]
    start = np.concatenate([[0], np.cumsum(m * t)]).astype(np.int64)
    owner, at = _ranges(blocks.coef_ptr[wide], blocks.coef_ptr[wide + 1])
    if blocks.row is None or blocks.column is None:  # dense blocks: row after row
        place = start[owner] + at - blocks.coef_ptr[wide][owner]
    else:
        place = start[owner] + blocks.row[at] * t[owner] + blocks.column[at]
    dense = np.zeros(int(start[-1]), dtype=np.float32)
    dense[place] = blocks.coef[at]
    for j, b in enumerate(wide.tolist()):
        rows, width = int(m[j]), int(t[j])
        x = dense[start[j] : start[j + 1]].reshape(rows, width)
        index = blocks.support[int(blocks.support_ptr[b]) : int(blocks.support_ptr[b + 1])]
        out[out_ptr[b] : out_ptr[b + 1]] = ((x @ cov_i.block(index, single=True)) @ x.T).ravel()


def _candidate_grams(
    batches: Iterable[_Batch], layout: _Layout, h: np.ndarray, cov_i: _InterviewerCovariance
) -> tuple[np.ndarray, np.ndarray]:
    """Per candidate ``c``: ``G_c = B_c' Sigma B_c`` for the basis ``B_c = [h_c | m_q1 ...
    m_qQ]`` over its interviewers (its coupling vector, then the marks of which of them
    rated each of its cells), as (flat values, pointers).

    Every posterior variance of the candidate's scores is a quadratic form in the
    interviewer covariance ``Sigma`` of a vector in that basis (a cell's: ``-(f_q/D_c) h_c
    - m_q/D_q``; an overall score's under weights ``w``: ``-(alpha/D_c) h_c - sum_q
    (w_q/D_q) m_q``). So ``Sigma`` is read once per candidate, here, and every standard
    error after that (also under new weights) costs a few numbers per candidate.
    """
    n_cells = np.diff(layout.cell_ptr)
    gram_ptr = np.concatenate([[0], np.cumsum((n_cells + 1) ** 2)]).astype(np.int64)
    gram = np.zeros(int(gram_ptr[-1]))
    for batch in batches:
        n_q, n_p = batch.marks.shape[1:]
        step = max(1, _GATHER_BUDGET // (n_p * n_p))  # small slices: products read from cache
        for first in range(0, len(batch.candidates), step):
            part = slice(first, first + step)
            pairs = batch.pairs[part]
            basis = np.concatenate(
                [h[pairs][:, :, None], batch.marks[part].transpose(0, 2, 1).astype(float)],
                axis=2,
            )  # (B, P, Q + 1)
            sigma = cov_i.blocks(layout.pair_i[pairs])
            grams = basis.transpose(0, 2, 1) @ (sigma @ basis)
            at = gram_ptr[batch.candidates[part]][:, None] + np.arange((n_q + 1) ** 2)
            gram[at] = grams.reshape(len(pairs), -1)
    return gram, gram_ptr


def _cell_standard_errors(
    layout: _Layout,
    gram: np.ndarray,
    gram_ptr: np.ndarray,
    f: np.ndarray,
    d_cell: np.ndarray,
    d_cand: np.ndarray,
    s_e: float,
) -> np.ndarray:
    """Posterior SE of each observed candidate × competency score.

    The score's interviewer-coupling vector is ``u = -(f_q/D_c) h_c - m_q / D_q``, the
    basis vectors 0 and ``1 + j`` of its candidate's Gram matrix (cell ``q`` being the
    candidate's ``j``-th): ``u' Sigma u`` takes three of its numbers.
    """
    c = layout.cell_c
    j = np.arange(len(c)) - layout.cell_ptr[c]  # the cell's place among its candidate's
    width = np.diff(layout.cell_ptr)[c] + 1
    start = gram_ptr[c]
    g00 = gram[start]
    g0q = gram[start + 1 + j]
    gqq = gram[start + (1 + j) * width + 1 + j]
    a, b = -f / d_cand[c], -1.0 / d_cell
    quad = a * a * g00 + 2 * a * b * g0q + b * b * gqq
    local = f**2 / d_cand[c] + 1.0 / d_cell
    se: np.ndarray = np.sqrt(s_e * (local + quad))
    return se


def _disagreement(
    q: np.ndarray,
    i: np.ndarray,
    free: np.ndarray,
    cov_i: _InterviewerCovariance,
    s_e: float,
    n_cells: int,
) -> np.ndarray:
    """Chi-square p-value that each cell's interviewers agree within the model's noise."""
    variance = s_e * (1.0 + cov_i.diagonal[i])
    w = 1.0 / variance
    sw = np.bincount(q, weights=w, minlength=n_cells)
    mean = np.bincount(q, weights=w * free, minlength=n_cells) / sw
    stat = np.bincount(q, weights=w * (free - mean[q]) ** 2, minlength=n_cells)
    df = np.bincount(q, minlength=n_cells) - 1
    p = np.full(n_cells, np.nan)
    ok = df > 0
    p[ok] = scipy.special.chdtrc(df[ok], stat[ok])
    return p


# -------------------------------------------------------------------------- the scoring


def _score_groups(
    state: _State,
    weight_vector: np.ndarray | None,
    group_codes: Iterable[int],
    level: float,
    n_draws: int,
    seed: int,
) -> ScoreTable:
    """Score the chosen groups: means, covariances, intervals, p_best and ranks."""
    data = state.data
    codes = list(group_codes)
    members = [data.members[g] for g in codes]
    sizes = np.array([len(m) for m in members], dtype=np.int64)
    entry_cand = np.concatenate(members) if members else np.zeros(0, dtype=np.int64)
    entry_group = np.repeat(np.arange(len(codes)), sizes)
    weights = _group_weights(state, entry_cand, entry_group, weight_vector, codes)
    bounds = np.concatenate([[0], np.cumsum(sizes)]).astype(np.int64)
    mean, local, quad, vectors = _entry_functionals(state, entry_cand, entry_group, weights)
    s_e = state.sigma2[3]
    se = np.sqrt(s_e * (quad + local))
    joint = sizes <= MAX_JOINT_GROUP
    drawn = _contenders(mean, se, bounds, np.flatnonzero(joint))
    covariances = _joint_covariances(state.cov_i, vectors, local, bounds, drawn, s_e)
    p_best = _p_best(mean, se, covariances, bounds, n_draws, seed, drawn)
    # rank within each group by score (then P(best)); rows in group order, then rank
    order = np.lexsort((-p_best, -mean, entry_group))
    rank = np.arange(len(order)) - bounds[entry_group[order]] + 1
    z = float(scipy.special.ndtri(0.5 + level / 2))
    cands = entry_cand[order]
    with np.errstate(invalid="ignore", divide="ignore"):
        raw_mean = np.where(state.raw_n > 0, state.raw_sum / state.raw_n, np.nan)[cands]
    cell_p = state.cell_p
    with np.errstate(invalid="ignore"):
        disagree = cell_p < DISAGREEMENT_ALPHA
    return ScoreTable(
        groups=tuple(data.groups[g] for g in codes),
        weights=_weight_maps(weights, data.competencies),
        joint=joint,
        bounds=bounds,
        candidate_names=data.candidates,
        competency_names=data.competencies,
        candidate=cands,
        score=mean[order],
        se=se[order],
        low=mean[order] - z * se[order],
        high=mean[order] + z * se[order],
        p_best=p_best[order],
        rank=rank,
        raw_mean=raw_mean,
        n_ratings=state.raw_n[cands].astype(np.int64),
        cell_start=state.cell_ptr[cands],
        cell_stop=state.cell_ptr[cands + 1],
        cell_competency=state.cell_k,
        cell_score=state.beta[state.cell_k] + state.a[state.cell_c] + state.b,
        cell_se=state.cell_se,
        cell_n=state.cell_n.astype(np.int64),
        cell_p=cell_p,
        cell_disagree=disagree,
    )


def _weight_maps(
    weights: np.ndarray, competencies: tuple[str, ...]
) -> tuple[dict[str, float], ...]:
    """Each group's weights by competency name (made once per distinct row: most groups
    share their weights)."""
    distinct, which = np.unique(weights, axis=0, return_inverse=True)
    maps = [{competencies[k]: float(row[k]) for k in np.flatnonzero(row)} for row in distinct]
    return tuple(dict(maps[j]) for j in which.ravel().tolist())


def _group_weights(
    state: _State,
    entry_cand: np.ndarray,
    entry_group: np.ndarray,
    weight_vector: np.ndarray | None,
    codes: Sequence[int],
) -> np.ndarray:
    """Each group's normalised weights over the competencies rated for its candidates."""
    n_k = len(state.data.competencies)
    entry, cells = _cells_of(state, entry_cand)
    seen = np.zeros((len(codes), n_k), dtype=bool)
    seen[entry_group[entry], state.cell_k[cells]] = True
    weights = seen.astype(float) if weight_vector is None else weight_vector * seen
    totals = weights.sum(axis=1)
    if (totals <= 0).any():
        name = state.data.groups[codes[int(np.argmax(totals <= 0))]]
        label = "all candidates" if name is None else f"group {name!r}"
        raise CalibrationError(f"weights: every competency rated in {label} has weight 0")
    normalised: np.ndarray = weights / totals[:, None]
    return normalised


def _cells_of(state: _State, cands: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For candidates ``cands``: (position in ``cands`` of each cell, cell index)."""
    return _ranges(state.cell_ptr[cands], state.cell_ptr[cands + 1])


def _entry_functionals(
    state: _State, cands: np.ndarray, groups: np.ndarray, weights: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, _Blocks]:
    """Per (group, candidate) entry: weighted score, local variance, ``u' Sigma u`` and
    the coupling vectors ``u``.

    For weights ``w`` the score is ``sum_k w_k (beta_k + a_c + b_ck)``; after absorbing the
    candidate's own effects its posterior variance is ``sigma_e^2 (local + u' S^-1 u)``
    with ``u = -(alpha / D_a) h_c - sum_q (w_q / D_q) m_q`` (see the module docstring),
    which is non-zero only on the candidate's interviewers.
    """
    e = len(cands)
    entry, cells = _cells_of(state, cands)
    w_cell = weights[groups[entry], state.cell_k[cells]]
    d_cand = state.d_cand[cands]
    alpha = 1.0 - np.bincount(entry, weights=w_cell * (1 - state.f[cells]), minlength=e)
    w2_obs = np.bincount(entry, weights=w_cell**2, minlength=e)
    local = (
        alpha**2 / d_cand
        + np.bincount(entry, weights=w_cell**2 / state.d_cell[cells], minlength=e)
        + ((weights**2).sum(axis=1)[groups] - w2_obs) / state.lam_b
    )
    mean = (
        weights[groups] @ state.beta
        + state.a[cands]
        + np.bincount(entry, weights=w_cell * state.b[cells], minlength=e)
    )
    couplings = state.couplings
    ptr = couplings.pair_ptr
    owner, pair = _ranges(ptr[cands], ptr[cands + 1])  # entries x the candidate's pairs
    size = ptr[cands + 1] - ptr[cands]
    start = np.cumsum(size) - size
    coef = -(alpha / d_cand)[owner] * couplings.h[pair]
    r_owner, r_pos = _ranges(couplings.rating_ptr[cands], couplings.rating_ptr[cands + 1])
    q = couplings.rating_cell[r_pos]
    slot = start[r_owner] + couplings.rating_pair[r_pos] - ptr[cands[r_owner]]
    marks = weights[groups[r_owner], state.cell_k[q]] / state.d_cell[q]
    coef -= np.bincount(slot, weights=marks, minlength=len(coef))
    coef_ptr = np.concatenate([[0], np.cumsum(size)])
    vectors = _Blocks(
        coef=coef,  # per entry: its candidate's interviewers
        row=None,
        column=None,
        coef_ptr=coef_ptr,
        n_rows=np.ones(e, dtype=np.int64),
        support=couplings.pair_i[pair],
        support_ptr=coef_ptr,
    )
    return mean, local, _entry_quads(state, cands, entry, cells, w_cell, alpha), vectors


def _entry_quads(
    state: _State,
    cands: np.ndarray,
    entry: np.ndarray,
    cells: np.ndarray,
    w_cell: np.ndarray,
    alpha: np.ndarray,
) -> np.ndarray:
    """``u' Sigma u`` of every entry's coupling vector ``u`` from its candidate's Gram
    matrix (see :func:`_candidate_grams`): ``u = B_c x`` with ``x = [-(alpha/D_c),
    -(w_q/D_q) for each cell q]``, so the form is ``x' G_c x``."""
    start, stop = state.gram_ptr[cands], state.gram_ptr[cands + 1]
    width = state.cell_ptr[cands + 1] - state.cell_ptr[cands] + 1
    x_ptr = np.concatenate([[0], np.cumsum(width)])
    x = np.empty(int(x_ptr[-1]))
    x[x_ptr[:-1]] = -alpha / state.d_cand[cands]
    x[x_ptr[entry] + 1 + cells - state.cell_ptr[cands][entry]] = -w_cell / state.d_cell[cells]
    owner, at = _ranges(start, stop)
    row, column = np.divmod(at - start[owner], width[owner])
    terms = x[x_ptr[owner] + row] * x[x_ptr[owner] + column] * state.gram[at]
    return np.bincount(owner, weights=terms, minlength=len(cands))


def _contenders(
    mean: np.ndarray, se: np.ndarray, bounds: np.ndarray, groups: np.ndarray
) -> dict[int, np.ndarray]:
    """For each of ``groups``: the positions (within the group) of the candidates who may
    be its best. A candidate whose gap to the leader exceeds ``OUT_OF_CONTENTION_Z`` times
    ``sqrt(se**2 + se_leader**2)`` is out (P(best) 0), with no covariance needed: that is
    the gap's standard deviation were the two independent, and they are never negatively
    correlated. (The interviewer precision has no positive entry off its diagonal, so its
    inverse has no negative entry; every score's coupling vector is <= 0; so any two
    scores' covariance is >= 0. A test checks it.)

    Only contenders need the joint covariance for the draws, which saves most of its cost
    where groups are large or clearly ordered.
    """
    groups = np.asarray(groups, dtype=np.int64)
    if len(groups) == 0:
        return {}
    sizes = bounds[groups + 1] - bounds[groups]
    owner, at = _ranges(bounds[groups], bounds[groups + 1])
    m, s = mean[at], se[at]
    if (sizes == 0).any() or np.isnan(m).any():  # argmax's own rules, group by group
        return _contenders_one_by_one(mean, se, bounds, groups)
    # each group's leader: its highest mean, the first of equals (as np.argmax)
    order = np.lexsort((np.arange(len(m)), -m, owner))
    lead = order[np.concatenate([[0], np.cumsum(sizes)[:-1]])][owner]
    reach = OUT_OF_CONTENTION_Z * np.sqrt(s**2 + s[lead] ** 2)
    keep = m[lead] - m <= reach
    local = (at - bounds[groups][owner])[keep]
    cuts = np.cumsum(np.bincount(owner[keep], minlength=len(groups)))[:-1]
    return dict(zip(groups.tolist(), np.split(local, cuts), strict=True))


def _contenders_one_by_one(
    mean: np.ndarray, se: np.ndarray, bounds: np.ndarray, groups: np.ndarray
) -> dict[int, np.ndarray]:
    """:func:`_contenders`, one group at a time."""
    drawn: dict[int, np.ndarray] = {}
    for g in groups.tolist():
        rows = slice(int(bounds[g]), int(bounds[g + 1]))
        m, s = mean[rows], se[rows]
        lead = int(np.argmax(m))
        reach = OUT_OF_CONTENTION_Z * np.sqrt(s**2 + s[lead] ** 2)
        drawn[g] = np.flatnonzero(m[lead] - m <= reach)
    return drawn


def _joint_covariances(
    cov_i: _InterviewerCovariance,
    vectors: _Blocks,
    local: np.ndarray,
    bounds: np.ndarray,
    drawn: Mapping[int, np.ndarray],
    s_e: float,
) -> dict[int, np.ndarray]:
    """Posterior covariance of each group's contenders (``drawn[g]``, two or more), in
    rating points squared (``local`` and the quadratic forms are in units of ``s_e``)."""
    chosen = np.array([g for g, at in drawn.items() if len(at) > 1], dtype=np.int64)
    if len(chosen) == 0:
        return {}
    entries = np.concatenate([bounds[g] + drawn[g] for g in chosen.tolist()])
    counts = np.array([len(drawn[g]) for g in chosen.tolist()], dtype=np.int64)
    sub_bounds = np.concatenate([[0], np.cumsum(counts)])
    subset = _group_blocks(_take_vectors(vectors, entries), sub_bounds, np.arange(len(chosen)))
    flat = _block_forms(cov_i, subset)
    covariances: dict[int, np.ndarray] = {}
    offset = 0
    for g, k in zip(chosen.tolist(), counts.tolist(), strict=True):
        block = flat[offset : offset + k * k].reshape(k, k)
        offset += k * k
        rows = bounds[g] + drawn[g]
        covariances[g] = s_e * ((block + block.T) / 2 + np.diag(local[rows]))
    return covariances


def _take_vectors(vectors: _Blocks, entries: np.ndarray) -> _Blocks:
    """The one-vector blocks of ``entries`` (in that order)."""
    ptr = vectors.coef_ptr
    _owner, at = _ranges(ptr[entries], ptr[entries + 1])
    new_ptr = np.concatenate([[0], np.cumsum(ptr[entries + 1] - ptr[entries])])
    return _Blocks(
        coef=vectors.coef[at],
        row=None,
        column=None,
        coef_ptr=new_ptr,
        n_rows=np.ones(len(entries), dtype=np.int64),
        support=vectors.support[at],
        support_ptr=new_ptr,
    )


def _group_blocks(vectors: _Blocks, bounds: np.ndarray, chosen: np.ndarray) -> _Blocks:
    """Regroup one-vector-per-entry blocks into one block per chosen group (its entries
    ``bounds[g]:bounds[g + 1]``), supported on all the group's interviewers."""
    ptr = vectors.coef_ptr
    owner, at = _ranges(ptr[bounds[chosen]], ptr[bounds[chosen + 1]])
    entry = np.repeat(np.arange(len(ptr) - 1), np.diff(ptr))[at]
    interviewer = vectors.support[at]
    n_i = int(interviewer.max(initial=0)) + 1
    support_keys, where, _ = _distinct(owner * n_i + interviewer)
    support_ptr = np.searchsorted(support_keys, np.arange(len(chosen) + 1) * n_i)
    counts = ptr[bounds[chosen + 1]] - ptr[bounds[chosen]]
    return _Blocks(
        coef=vectors.coef[at],
        row=entry - bounds[chosen][owner],
        column=where - support_ptr[owner],
        coef_ptr=np.concatenate([[0], np.cumsum(counts)]),
        n_rows=bounds[chosen + 1] - bounds[chosen],
        support=support_keys % n_i,
        support_ptr=support_ptr,
    )


def _p_best(
    mean: np.ndarray,
    se: np.ndarray,
    covariances: Mapping[int, np.ndarray],
    bounds: np.ndarray,
    n_draws: int,
    seed: int,
    drawn: Mapping[int, np.ndarray] | None = None,
) -> np.ndarray:
    """Share of posterior draws in which each candidate has the highest score.

    Groups with a covariance (``covariances[g]``) are drawn jointly: their candidates at
    positions ``drawn[g]`` (every one by default), the others being out of contention
    (P(best) 0). Groups drawing the same number share their standard normal draws
    (common random numbers): each group's estimate is as good as with draws of its own, it
    costs one set of draws per number, and a group's P(best) does not move when other
    groups are added or removed. A group with one contender has P(best) 1 for it. The
    others (groups too large for a joint covariance, few) are drawn from their standard
    errors, one by one.
    """
    drawn = drawn or {}
    p_best = np.zeros(len(mean))
    by_number: dict[int, list[int]] = {}
    for g in range(len(bounds) - 1):
        at = drawn.get(g, np.arange(bounds[g + 1] - bounds[g]))
        if g in covariances:
            by_number.setdefault(len(at), []).append(g)
        elif g in drawn and len(at) == 1:
            p_best[bounds[g] + at[0]] = 1.0
        else:
            group = slice(int(bounds[g]), int(bounds[g + 1]))
            p_best[group] = _independent_shares(mean[group], se[group], n_draws, seed)
    for number, groups in by_number.items():
        rows = np.array(
            [bounds[g] + drawn.get(g, np.arange(number)) for g in groups], dtype=np.int64
        )
        z = np.random.default_rng([seed, number]).standard_normal((n_draws, number), np.float32)
        covs = np.array([covariances[g] for g in groups])
        p_best[rows] = _joint_shares(mean[rows], covs, z)
    return p_best


def _out_of_contention(means: np.ndarray, gap_variance: np.ndarray, lead: np.ndarray) -> np.ndarray:
    """Which candidates have less than ``Phi(-OUT_OF_CONTENTION_Z)`` chance of beating their
    group's leader: ``means`` and ``gap_variance`` (the variance of each one's gap to the
    leader ``lead``) are (B, m). They never win a draw: their P(best) is exactly 0."""
    at_lead = np.arange(len(means)), lead
    gap = means[at_lead][:, None] - means
    out: np.ndarray = gap > OUT_OF_CONTENTION_Z * np.sqrt(np.clip(gap_variance, 0.0, None))
    out[at_lead] = False
    return out


def _roots(covariances: np.ndarray) -> np.ndarray:
    """Matrices ``R`` with ``R R' = covariance``, for a batch of covariances: Cholesky
    factors (posterior covariances are positive definite), or symmetric roots should
    rounding make one of them only semi-definite."""
    try:
        return np.linalg.cholesky(covariances)
    except np.linalg.LinAlgError:
        values, vectors = np.linalg.eigh(covariances)
        return vectors * np.sqrt(np.clip(values, 0.0, None))[:, None, :]


def _joint_shares(means: np.ndarray, covariances: np.ndarray, z: np.ndarray) -> np.ndarray:
    """P(best) in each of ``B`` groups of ``m`` candidates: ``means`` (B, m), their
    posterior ``covariances`` (B, m, m), ``z`` standard normal draws (n_draws, m)."""
    n_groups, m = means.shape
    lead = np.argmax(means, axis=1)
    variances = np.diagonal(covariances, axis1=1, axis2=2)
    with_lead = covariances[np.arange(n_groups), :, lead]
    gap_variance = variances + variances[np.arange(n_groups), lead][:, None] - 2 * with_lead
    out = _out_of_contention(means, gap_variance, lead)
    centres = np.where(out, -np.inf, means).astype(np.float32)  # -inf: never the best
    roots_t = np.ascontiguousarray(_roots(covariances).transpose(0, 2, 1), dtype=np.float32)
    n_draws = len(z)
    wins = np.zeros((n_groups, m))
    step = max(1, _DRAW_BUDGET // (n_draws * m))
    for first in range(0, n_groups, step):
        part = slice(first, first + step)
        draws = z @ roots_t[part]
        draws += centres[part][:, None, :]
        best = np.argmax(draws, axis=2) + m * np.arange(len(draws))[:, None]
        wins[part] = np.bincount(best.ravel(), minlength=len(draws) * m).reshape(-1, m)
    return wins / n_draws


def _independent_shares(mean: np.ndarray, se: np.ndarray, n_draws: int, seed: int) -> np.ndarray:
    """P(best) in one (large) group from independent normal posteriors; only candidates
    in contention are drawn (in a large group, most are not)."""
    lead = np.array([int(np.argmax(mean))])
    gap_variance = se**2 + se[lead] ** 2
    keep = np.flatnonzero(~_out_of_contention(mean[None], gap_variance[None], lead)[0])
    rng = np.random.default_rng([seed, len(mean), len(keep)])
    centres, scales = mean[keep].astype(np.float32), se[keep].astype(np.float32)
    wins = np.zeros(len(keep))
    step = max(1, _DRAW_BUDGET // len(keep))
    for done in range(0, n_draws, step):
        z = rng.standard_normal((min(step, n_draws - done), len(keep)), np.float32)
        wins += np.bincount(np.argmax(z * scales + centres, axis=1), minlength=len(keep))
    p_best = np.zeros(len(mean))
    p_best[keep] = wins / n_draws
    return p_best


# ------------------------------------------------------------- interviewers, competencies


def _interviewer_results(state: _State) -> tuple[InterviewerResult, ...]:
    data = state.data
    c, i, k, y = data.c, data.i, data.k, data.y
    n_i = len(data.interviewers)
    merit = state.a[c] + state.b[state.rating_cell]
    fitted = state.beta[k] + state.lenience[i] + merit
    resid2 = (y - fitted) ** 2
    n = np.bincount(i, minlength=n_i).astype(float)
    fit_ms = np.bincount(i, weights=resid2, minlength=n_i) / np.maximum(n, 1)
    fit_ms = fit_ms / max(float(resid2.mean()), 1e-12)
    free = y - state.beta[k] - state.lenience[i]
    slope_num = np.bincount(i, weights=free * merit, minlength=n_i)
    slope_den = np.bincount(i, weights=merit * merit, minlength=n_i)
    pooled = float((free * merit).sum() / max(float((merit * merit).sum()), 1e-12))
    with np.errstate(invalid="ignore", divide="ignore"):
        spread = np.where(slope_den > 1e-12, slope_num / slope_den, np.nan)
    spread = spread / pooled if pooled > 1e-12 else np.full(n_i, np.nan)
    se = np.sqrt(state.sigma2[3] * state.cov_i.diagonal)
    out = []
    for idx, name in enumerate(data.interviewers):
        flag = None
        if n[idx] >= MIN_RATINGS_TO_FLAG:
            if fit_ms[idx] > ERRATIC_FIT:
                flag = "erratic"
            elif math.isfinite(spread[idx]) and spread[idx] < MIDDLE_SPREAD:
                flag = "middle of the scale"
        out.append(
            InterviewerResult(
                interviewer=name,
                severity=float(-state.lenience[idx]),
                se=float(se[idx]),
                n_ratings=int(n[idx]),
                fit=float(fit_ms[idx]) if n[idx] else float("nan"),
                spread=float(spread[idx]),
                flag=flag,
            )
        )
    return tuple(out)


def _competency_results(state: _State) -> tuple[CompetencyResult, ...]:
    data = state.data
    counts = np.bincount(data.k, minlength=len(data.competencies))
    average = float(state.beta.mean())
    return tuple(
        CompetencyResult(
            competency=name,
            difficulty=float(average - state.beta[k]),
            mean=float(state.beta[k]),
            n_ratings=int(counts[k]),
        )
        for k, name in enumerate(data.competencies)
    )
