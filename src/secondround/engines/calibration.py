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

import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import numpy as np
import scipy.linalg
import scipy.linalg.lapack
import scipy.optimize
import scipy.sparse as sp
import scipy.stats

__all__ = [
    "CalibrationError",
    "CandidateResult",
    "Comparison",
    "CompetencyResult",
    "CompetencyScore",
    "GroupResult",
    "InterviewerResult",
    "ModelSummary",
    "Rating",
    "RatingColumns",
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

#: Fewest posterior draws per group; very large comparisons use this many, not ``n_draws``.
MIN_DRAWS = 1000

_DRAW_BUDGET = 20_000_000  # normal draws per simulation batch (memory bound)
_DRAW_TOTAL = 20_000_000  # normal draws over all groups (time bound), at least MIN_DRAWS each


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
class RatingColumns:
    """Ratings as parallel columns: the fast path for large inputs (the CLI uses it).

    Parameters
    ----------
    candidate, interviewer, competency : sequence of str
        One entry per row.
    rating : sequence of int or None, or ndarray of float
        ``None`` or NaN means "not assessed".
    group : sequence of (str or None), optional
        Comparison group per row; ``None`` for the whole column means no groups.
    line_numbers : sequence of int, optional
        Source line of each row; error messages then say "line N" instead of "row N".
    """

    candidate: Sequence[str]
    interviewer: Sequence[str]
    competency: Sequence[str]
    rating: Sequence[int | None] | np.ndarray
    group: Sequence[str | None] | None = None
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
    b: np.ndarray  # (Q,)
    f: np.ndarray  # (Q,) shrink factor lambda_b / (n_q + lambda_b)
    d_cell: np.ndarray  # (Q,) n_q + lambda_b
    d_cand: np.ndarray  # (C,) absorbed candidate precision
    lam_b: float
    hs: sp.csr_matrix  # (C, I) candidate coupling to interviewers
    ms: sp.csr_matrix  # (Q, I) cell coupling to interviewers
    cov_i: _InterviewerCovariance
    cell_se: np.ndarray  # (Q,)
    cell_p: np.ndarray  # (Q,) disagreement p-values (NaN when fewer than 2 ratings)
    raw_sum: np.ndarray  # (C,)
    raw_n: np.ndarray  # (C,)


class _InterviewerCovariance:
    """Posterior covariance of interviewer leniencies, in units of the residual variance."""

    def __init__(self, inverse: np.ndarray | None, diagonal: np.ndarray) -> None:
        self.dense = inverse is not None
        self.inverse = inverse if inverse is not None else np.empty((0, 0))
        self.diagonal = diagonal

    @classmethod
    def from_cholesky(cls, lower: np.ndarray) -> _InterviewerCovariance:
        """The exact inverse, from the lower Cholesky factor of the precision."""
        if lower.shape[0] == 0:
            return cls(np.zeros((0, 0)), np.zeros(0))
        inverse, info = scipy.linalg.lapack.dpotri(lower, lower=1)
        if info != 0:
            raise np.linalg.LinAlgError(f"interviewer precision is singular (dpotri {info})")
        inverse = np.tril(inverse) + np.tril(inverse, -1).T
        return cls(inverse, np.diag(inverse).copy())

    @classmethod
    def diagonal_only(cls, precision_diagonal: np.ndarray) -> _InterviewerCovariance:
        """Approximation for very many interviewers: ignore their posterior correlations."""
        return cls(None, 1.0 / np.asarray(precision_diagonal, dtype=float))

    def times(self, rows: sp.csr_matrix) -> np.ndarray:
        """Return ``rows @ Sigma`` as a dense array."""
        if self.dense:
            return np.asarray(rows @ self.inverse)
        return np.asarray(rows.multiply(self.diagonal[None, :]).toarray())

    def entries(self, first: np.ndarray, second: np.ndarray) -> np.ndarray:
        """Return ``Sigma[first, second]`` elementwise."""
        if self.dense:
            return np.asarray(self.inverse[first, second])
        return np.where(first == second, self.diagonal[first], 0.0)


@dataclass(frozen=True, eq=False)
class Comparison:
    """The result of :func:`fit`: groups, interviewers, competencies and the model.

    Use :meth:`reweighted` to rescore every group under new competency weights without
    refitting, and :meth:`group` to read one group.
    """

    groups: tuple[GroupResult, ...]
    interviewers: tuple[InterviewerResult, ...]
    competencies: tuple[CompetencyResult, ...]
    model: ModelSummary
    _state: _State = field(repr=False)

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
        results = _score_groups(
            state, weight_vector, codes, self.model.level, self.model.n_draws, self.model.seed
        )
        return Comparison(results, self.interviewers, self.competencies, self.model, state)


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
    say("estimating variance components")
    sigma2 = _variance_components(data)
    say("solving the mixed-model equations")
    state = _solve(data, sigma2)
    say("computing intervals and P(best)")
    n_entries = sum(len(m) for m in data.members)
    n_draws = min(n_draws, max(MIN_DRAWS, _DRAW_TOTAL // max(n_entries, 1)))
    groups = _score_groups(state, weight_vector, range(len(data.groups)), level, n_draws, seed)
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
    return Comparison(groups, interviewers, competencies, model, state)


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


def _encode(values: Sequence[Any], column: str, where: Callable[[int], str]) -> tuple:
    """Integer codes in first-seen order, after checking every distinct value is a name."""
    values = values.tolist() if isinstance(values, np.ndarray) else values
    distinct = dict.fromkeys(values)
    for value in distinct:
        if not isinstance(value, str) or not value.strip():
            row = next(r for r, v in enumerate(values) if v == value and type(v) is type(value))
            raise CalibrationError(
                f"{where(row)}, column {column!r}: {value!r} is not a non-empty name",
                row=row,
                column=column,
            )
    index = {value: code for code, value in enumerate(distinct)}
    codes = np.fromiter(map(index.__getitem__, values), dtype=np.int64, count=len(values))
    return tuple(index), codes


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
    order = np.argsort(key, kind="stable")
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
    group_column: Sequence[str | None] | None,
    c: np.ndarray,
    rated: np.ndarray,
    candidates: tuple[str, ...],
    where: Callable[[int], str],
) -> tuple[tuple[str | None, ...], tuple[np.ndarray, ...]]:
    names: list[str | None] = []
    members: list[np.ndarray] = []
    column: Sequence[str | None] = (
        group_column.tolist() if isinstance(group_column, np.ndarray) else group_column or []
    )
    distinct = dict.fromkeys(column)
    distinct.pop(None, None)
    if not distinct:
        names.append(None)
        members.append(np.unique(c))  # every candidate, in code (first-seen) order
    else:
        for g in distinct:
            if not isinstance(g, str) or not g.strip():
                row = next(r for r, v in enumerate(column) if v == g)
                raise CalibrationError(
                    f"{where(row)}, column 'group': {g!r} is not a non-empty name (use None "
                    "for ratings outside any comparison group)",
                    row=row,
                    column="group",
                )
        index = {name: code for code, name in enumerate(distinct)}
        index[None] = -1  # type: ignore[index]
        codes = np.fromiter(map(index.__getitem__, column), dtype=np.int64, count=len(c))
        inside = codes >= 0
        pairs = np.unique(codes[inside] * len(candidates) + c[inside])
        pair_group = pairs // len(candidates)
        cuts = np.searchsorted(pair_group, np.arange(len(distinct) + 1))
        for code, name in enumerate(distinct):
            names.append(name)
            members.append(pairs[cuts[code] : cuts[code + 1]] % len(candidates))
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


def _weight_vector(weights: Mapping[str, float] | None, competencies: tuple[str, ...]):
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


def _variance_components(data: _Data) -> tuple[float, float, float, float]:
    """Moment estimates of (candidate, candidate × competency, interviewer, residual).

    Each U-statistic is half the mean squared difference over pairs of ratings that share
    something; its expectation is a known combination of the variances. The system is
    solved by non-negative least squares (truncation at zero, as ANOVA estimators are).
    """
    c, i, k, y = data.c, data.i, data.k, data.y
    n_c, n_i, n_k = len(data.candidates), len(data.interviewers), len(data.competencies)
    means = np.bincount(k, weights=y, minlength=n_k) / np.maximum(np.bincount(k, minlength=n_k), 1)
    centred = y - means[k]
    p_cell, u_cell = _pair_sums(c * n_k + k, y, n_c * n_k)  # same candidate and competency
    p_ik, u_ik = _pair_sums(i * n_k + k, y, n_i * n_k)  # same interviewer and competency
    p_k, u_k = _pair_sums(k, y, n_k)  # same competency
    p_c, u_c = _pair_sums(c, centred, n_c)  # same candidate
    p_ci, _ = _pair_sums(c * n_i + i, centred, n_c * n_i)  # same candidate and interviewer
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
    solution, _ = scipy.optimize.nnls(matrix[:, columns], target)
    sigma2 = np.zeros(4)
    sigma2[columns] = solution
    total = float(np.var(y)) if len(y) > 1 else 1.0
    floor = 1e-6 * max(total, 1e-6)
    sigma2[3] = max(sigma2[3], floor)
    return (float(sigma2[0]), float(sigma2[1]), float(sigma2[2]), float(sigma2[3]))


# ------------------------------------------------------------------------ the equations


def _solve(data: _Data, sigma2: tuple[float, float, float, float]) -> _State:
    """Solve Henderson's mixed-model equations by absorbing the candidate blocks."""
    c, i, k, y = data.c, data.i, data.k, data.y
    n_c, n_i, n_k = len(data.candidates), len(data.interviewers), len(data.competencies)
    s_a, s_ab, s_s, s_e = sigma2
    floor = 1e-9 * s_e
    lam_a, lam_b, lam_s = s_e / max(s_a, floor), s_e / max(s_ab, floor), s_e / max(s_s, floor)

    cell_codes, q = np.unique(c * n_k + k, return_inverse=True)
    cell_c, cell_k = cell_codes // n_k, cell_codes % n_k
    cell_n = np.bincount(q).astype(float)
    cell_sum = np.bincount(q, weights=y)
    cell_ptr = np.searchsorted(cell_c, np.arange(n_c + 1))
    d_cell = cell_n + lam_b
    f = lam_b / d_cell
    d_cand = lam_a + np.bincount(cell_c, weights=cell_n * f, minlength=n_c)
    r_cand = np.bincount(cell_c, weights=cell_sum * f, minlength=n_c)

    n_g = n_k + n_i
    n_obs = len(y)
    ones = np.ones(n_obs)
    cols = np.concatenate([k, n_k + i])
    design = sp.csr_matrix(
        (np.concatenate([ones, ones]), (np.tile(np.arange(n_obs), 2), cols)), shape=(n_obs, n_g)
    )
    cell_map = sp.csr_matrix(
        (np.concatenate([ones, ones]), (np.tile(q, 2), cols)), shape=(len(cell_n), n_g)
    )
    f_r = np.tile(f[q], 2)
    cand_map = sp.csr_matrix((f_r, (np.tile(c, 2), cols)), shape=(n_c, n_g))

    precision = (
        design.T @ design
        - cell_map.T @ sp.diags(1.0 / d_cell) @ cell_map
        - cand_map.T @ sp.diags(1.0 / d_cand) @ cand_map
    )
    precision = precision + sp.diags(np.concatenate([np.full(n_k, 1e-10), np.full(n_i, lam_s)]))
    rhs = (
        np.concatenate(
            [np.bincount(k, weights=y, minlength=n_k), np.bincount(i, weights=y, minlength=n_i)]
        )
        - cell_map.T @ (cell_sum / d_cell)
        - cand_map.T @ (r_cand / d_cand)
    )
    # interviewers first, so the leading Cholesky block is that of their own precision
    order = np.concatenate([np.arange(n_k, n_g), np.arange(n_k)])
    if n_i <= MAX_DENSE_INTERVIEWERS:
        dense = precision.toarray()[np.ix_(order, order)]
        factor = scipy.linalg.cholesky((dense + dense.T) / 2, lower=True, check_finite=False)
        solution = np.empty(n_g)
        solution[order] = scipy.linalg.cho_solve((factor, True), rhs[order], check_finite=False)
        cov_i = _InterviewerCovariance.from_cholesky(factor[:n_i, :n_i])
    else:
        solution = sp.linalg.spsolve(precision.tocsc(), rhs)
        cov_i = _InterviewerCovariance.diagonal_only(precision.tocsr()[n_k:, n_k:].diagonal())
    beta, lenience = solution[:n_k], solution[n_k:]
    a = (r_cand - cand_map @ solution) / d_cand
    b = (cell_sum - cell_n * a[cell_c] - cell_map @ solution) / d_cell

    hs = sp.csr_matrix((f[q], (c, i)), shape=(n_c, n_i))
    ms = sp.csr_matrix((ones, (q, i)), shape=(len(cell_n), n_i))
    cell_se = _cell_standard_errors(q, c, i, f, d_cell, d_cand, cell_c, hs, cov_i, s_e)
    resid_free = y - beta[k] - lenience[i]  # rating with competency and interviewer removed
    cell_p = _disagreement(q, i, resid_free, cov_i, s_e, len(cell_n))
    return _State(
        data=data,
        sigma2=sigma2,
        beta=beta,
        lenience=lenience,
        a=a,
        cell_c=cell_c,
        cell_k=cell_k,
        cell_n=cell_n,
        cell_ptr=cell_ptr,
        b=b,
        f=f,
        d_cell=d_cell,
        d_cand=d_cand,
        lam_b=lam_b,
        hs=hs,
        ms=ms,
        cov_i=cov_i,
        cell_se=cell_se,
        cell_p=cell_p,
        raw_sum=np.bincount(c, weights=y, minlength=n_c),
        raw_n=np.bincount(c, minlength=n_c).astype(float),
    )


def _row_quadratic(rows: sp.csr_matrix, product: np.ndarray) -> np.ndarray:
    """Return ``diag(rows @ product.T)`` for sparse ``rows`` and dense ``product``."""
    coo = rows.tocoo()
    values = coo.data * product[coo.row, coo.col]
    return np.bincount(coo.row, weights=values, minlength=rows.shape[0])


def _row_chunks(n_rows: int, n_cols: int) -> Iterable[slice]:
    step = max(1, 4_000_000 // max(n_cols, 1))
    for start in range(0, n_rows, step):
        yield slice(start, min(n_rows, start + step))


def _cell_standard_errors(q, c, i, f, d_cell, d_cand, cell_c, hs, cov_i, s_e) -> np.ndarray:
    """Posterior SE of each observed candidate × competency score.

    The score's interviewer-coupling vector is ``u = -(f/D_a) h_c - m_q / D_q``; its
    quadratic form with the interviewer covariance is expanded so that only per-candidate
    products and within-cell pairs of ratings are needed.
    """
    n_c = hs.shape[0]
    hh = np.zeros(n_c)  # h_c' Sigma h_c
    hm = np.zeros(len(q))  # per rating: (Sigma h_c)[i_r]
    for rows in _row_chunks(n_c, hs.shape[1]):
        product = cov_i.times(hs[rows])
        hh[rows] = _row_quadratic(hs[rows], product)
        inside = (c >= rows.start) & (c < rows.stop)
        hm[inside] = product[c[inside] - rows.start, i[inside]]
    hm_cell = np.bincount(q, weights=hm, minlength=len(d_cell))
    # m_q' Sigma m_q: all ordered pairs of ratings within a cell
    order = np.argsort(q, kind="stable")
    q_sorted, i_sorted = q[order], i[order]
    counts = np.bincount(q_sorted, minlength=len(d_cell))
    starts = np.concatenate([[0], np.cumsum(counts)[:-1]])
    mm = np.zeros(len(d_cell))
    for size in np.unique(counts):
        cells = np.flatnonzero(counts == size)
        base = starts[cells]
        left = np.repeat(np.arange(size), size)
        right = np.tile(np.arange(size), size)
        first = i_sorted[base[:, None] + left[None, :]]
        second = i_sorted[base[:, None] + right[None, :]]
        mm[cells] = cov_i.entries(first, second).sum(axis=1)
    scale_a = f / d_cand[cell_c]
    quad = scale_a**2 * hh[cell_c] + 2 * scale_a * hm_cell / d_cell + mm / d_cell**2
    local = f**2 / d_cand[cell_c] + 1.0 / d_cell
    return np.sqrt(s_e * (local + quad))


def _disagreement(q, i, free, cov_i, s_e, n_cells) -> np.ndarray:
    """Chi-square p-value that each cell's interviewers agree within the model's noise."""
    variance = s_e * (1.0 + cov_i.diagonal[i])
    w = 1.0 / variance
    sw = np.bincount(q, weights=w, minlength=n_cells)
    mean = np.bincount(q, weights=w * free, minlength=n_cells) / sw
    stat = np.bincount(q, weights=w * (free - mean[q]) ** 2, minlength=n_cells)
    df = np.bincount(q, minlength=n_cells) - 1
    p = np.full(n_cells, np.nan)
    ok = df > 0
    p[ok] = scipy.stats.chi2.sf(stat[ok], df[ok])
    return p


# -------------------------------------------------------------------------- the scoring


def _score_groups(
    state: _State,
    weight_vector: np.ndarray | None,
    group_codes: Iterable[int],
    level: float,
    n_draws: int,
    seed: int,
) -> tuple[GroupResult, ...]:
    """Score the chosen groups: means, covariances, intervals, p_best and ranks."""
    data = state.data
    codes = list(group_codes)
    if not codes:
        return ()
    members = [data.members[g] for g in codes]
    sizes = np.array([len(m) for m in members])
    weights = np.array(
        [
            _group_weights(state, m, weight_vector, data.groups[g])
            for g, m in zip(codes, members, strict=True)
        ]
    )
    entry_cand = np.concatenate(members)
    entry_group = np.repeat(np.arange(len(codes)), sizes)
    mean, local, u = _entry_functionals(state, entry_cand, entry_group, weights)
    s_e = state.sigma2[3]
    bounds = np.concatenate([[0], np.cumsum(sizes)])
    variance = np.empty(len(entry_cand))
    covariances: dict[int, np.ndarray] = {}
    for first, last in _group_chunks(sizes, u.shape[1]):
        rows = slice(int(bounds[first]), int(bounds[last]))
        block = u[rows]
        product = state.cov_i.times(block)
        variance[rows] = _row_quadratic(block, product)
        joint = [g for g in range(first, last) if sizes[g] <= MAX_JOINT_GROUP]
        if joint:
            dense = block.toarray()
            for g in joint:
                inner = slice(int(bounds[g] - bounds[first]), int(bounds[g + 1] - bounds[first]))
                cov = product[inner] @ dense[inner].T
                covariances[g] = s_e * (
                    (cov + cov.T) / 2 + np.diag(local[bounds[g] : bounds[g + 1]])
                )
    variance = s_e * (variance + local)
    se = np.sqrt(variance)
    p_best = _p_best(mean, se, covariances, sizes, bounds, n_draws, np.random.default_rng(seed))
    z = float(scipy.stats.norm.ppf(0.5 + level / 2))
    cell_scores = _cell_score_objects(state)
    results = []
    for g, group_code in enumerate(codes):
        rows = slice(int(bounds[g]), int(bounds[g + 1]))
        m_mean, m_se, m_p = mean[rows], se[rows], p_best[rows]
        rank = np.empty(sizes[g], dtype=int)
        rank[np.lexsort((-m_p, -m_mean))] = np.arange(1, sizes[g] + 1)
        candidates = []
        for j, cand in enumerate(members[g].tolist()):
            raw_n = int(state.raw_n[cand])
            candidates.append(
                CandidateResult(
                    candidate=data.candidates[cand],
                    score=float(m_mean[j]),
                    se=float(m_se[j]),
                    low=float(m_mean[j] - z * m_se[j]),
                    high=float(m_mean[j] + z * m_se[j]),
                    p_best=float(m_p[j]),
                    rank=int(rank[j]),
                    raw_mean=float(state.raw_sum[cand] / raw_n) if raw_n else None,
                    n_ratings=raw_n,
                    competencies=cell_scores(cand),
                )
            )
        candidates.sort(key=lambda r: r.rank)
        named = {data.competencies[k]: float(weights[g, k]) for k in np.flatnonzero(weights[g])}
        results.append(
            GroupResult(data.groups[group_code], tuple(candidates), named, g in covariances)
        )
    return tuple(results)


def _group_chunks(sizes: np.ndarray, n_cols: int) -> Iterable[tuple[int, int]]:
    """Consecutive runs of whole groups with about a fixed number of rows each."""
    budget = max(1, 4_000_000 // max(n_cols, 1))
    first, rows = 0, 0
    for g, size in enumerate(sizes.tolist()):
        if rows and rows + size > budget:
            yield first, g
            first, rows = g, 0
        rows += size
    yield first, len(sizes)


def _group_weights(state: _State, members, weight_vector, name) -> np.ndarray:
    """Normalised weights over the competencies rated for the group's candidates."""
    seen = np.zeros(len(state.data.competencies), dtype=bool)
    cells = _cells_of(state, members)[1]
    seen[state.cell_k[cells]] = True
    weights = seen.astype(float) if weight_vector is None else weight_vector * seen
    if weights.sum() <= 0:
        label = "all candidates" if name is None else f"group {name!r}"
        raise CalibrationError(f"weights: every competency rated in {label} has weight 0")
    return weights / weights.sum()


def _cells_of(state: _State, cands: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For candidates ``cands``: (position in ``cands`` of each cell, cell index)."""
    starts, stops = state.cell_ptr[cands], state.cell_ptr[cands + 1]
    counts = stops - starts
    owner = np.repeat(np.arange(len(cands)), counts)
    offsets = np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts)
    return owner, np.repeat(starts, counts) + offsets


def _entry_functionals(state: _State, cands, groups, weights):
    """Per (group, candidate) entry: weighted score, local variance, coupling rows.

    For weights ``w`` the score is ``sum_k w_k (beta_k + a_c + b_ck)``; after absorbing the
    candidate's own effects its posterior variance is ``sigma_e^2 (local + u' S^-1 u)``
    with ``u = -(alpha / D_a) h_c - sum_q (w_q / D_q) m_q`` (see the module docstring).
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
    coupling = sp.csr_matrix(
        (-w_cell / state.d_cell[cells], (entry, cells)), shape=(e, len(state.cell_n))
    )
    u = sp.csr_matrix(sp.diags(-alpha / d_cand) @ state.hs[cands] + coupling @ state.ms)
    return mean, local, u


def _p_best(mean, se, covariances, sizes, bounds, n_draws, rng) -> np.ndarray:
    """Share of posterior draws in which each candidate has the highest score."""
    p_best = np.zeros(len(mean))
    joint_groups = sorted(covariances)
    for size in np.unique(sizes[joint_groups]) if joint_groups else []:
        same = [g for g in joint_groups if sizes[g] == size]
        covs = np.array([covariances[g] for g in same])
        values, vectors = np.linalg.eigh(covs)
        roots = (vectors * np.sqrt(np.clip(values, 0.0, None))[:, None, :]).astype(np.float32)
        means = np.array([mean[bounds[g] : bounds[g + 1]] for g in same], dtype=np.float32)
        batch = max(1, _DRAW_BUDGET // (n_draws * int(size)))
        for start in range(0, len(same), batch):
            part = slice(start, start + batch)
            z = rng.standard_normal((len(means[part]), n_draws, int(size)), dtype=np.float32)
            draws = z @ roots[part].transpose(0, 2, 1) + means[part][:, None, :]
            best = np.argmax(draws, axis=2) + int(size) * np.arange(len(draws))[:, None]
            wins = np.bincount(best.ravel(), minlength=len(draws) * int(size))
            wins = wins.reshape(len(draws), int(size)) / n_draws
            for g, share in zip(same[part], wins, strict=True):
                p_best[bounds[g] : bounds[g + 1]] = share
    for g in range(len(sizes)):
        if g in covariances:
            continue
        rows = slice(int(bounds[g]), int(bounds[g + 1]))
        p_best[rows] = _p_best_independent(mean[rows], se[rows], n_draws, rng)
    return p_best


def _p_best_independent(mean, se, n_draws, rng) -> np.ndarray:
    m = len(mean)
    wins = np.zeros(m)
    batch = max(1, _DRAW_BUDGET // m)
    done = 0
    mean32, se32 = mean.astype(np.float32), se.astype(np.float32)
    while done < n_draws:
        size = min(batch, n_draws - done)
        draws = rng.standard_normal((size, m), dtype=np.float32) * se32 + mean32
        wins += np.bincount(np.argmax(draws, axis=1), minlength=m)
        done += size
    return wins / n_draws


def _cell_score_objects(state: _State) -> Callable[[int], tuple[CompetencyScore, ...]]:
    """A memoised builder of each candidate's per-competency scores."""
    data = state.data
    score = (state.beta[state.cell_k] + state.a[state.cell_c] + state.b).tolist()
    se, n = state.cell_se.tolist(), state.cell_n.astype(int).tolist()
    make = CompetencyScore._make
    p = state.cell_p.tolist()
    names = [data.competencies[k] for k in state.cell_k.tolist()]
    ptr = state.cell_ptr.tolist()
    cache: dict[int, tuple[CompetencyScore, ...]] = {}

    def build(cand: int) -> tuple[CompetencyScore, ...]:
        if cand not in cache:
            cache[cand] = tuple(
                [
                    make((names[q], score[q], se[q], n[q], p[q], p[q] < DISAGREEMENT_ALPHA))
                    if p[q] == p[q]  # not NaN
                    else make((names[q], score[q], se[q], n[q], None, False))
                    for q in range(ptr[cand], ptr[cand + 1])
                ]
            )
        return cache[cand]

    return build


# ------------------------------------------------------------- interviewers, competencies


def _interviewer_results(state: _State) -> tuple[InterviewerResult, ...]:
    data = state.data
    c, i, k, y = data.c, data.i, data.k, data.y
    n_i = len(data.interviewers)
    cell_of = _cell_index(state)
    merit = state.a[c] + state.b[cell_of]
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


def _cell_index(state: _State) -> np.ndarray:
    data = state.data
    n_k = len(data.competencies)
    codes = state.cell_c * n_k + state.cell_k
    return np.searchsorted(codes, data.c * n_k + data.k)


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
