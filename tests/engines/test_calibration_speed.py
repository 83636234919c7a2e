"""The fast paths of the calibration engine give what the plain computations give.

``_cross_product`` (the interviewer coupling's sparse product in one pass) against
scipy's ``@``; ``_block_forms`` (wide blocks laid out all at once) against dense
quadratic forms; and a whole fit with random interviewers against the same fit with the
plain product put back.
"""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp

from secondround.engines import calibration
from secondround.engines.calibration import RatingColumns, fit


@pytest.mark.parametrize(
    ("rows", "columns", "density"), [(200, 30, 0.1), (50, 1, 0.5), (0, 4, 0.0)]
)
def test_cross_product_is_scipys_product_bit_for_bit(rows, columns, density):
    rng = np.random.default_rng(rows + columns)
    matrix = sp.random(rows, columns, density=density, format="csr", random_state=rng)
    fast = calibration._cross_product(matrix)
    plain = (matrix.T.tocsr() @ matrix).tocsr()
    assert fast.shape == (columns, columns)
    assert np.array_equal(fast.toarray(), plain.toarray())


def _random_blocks(rng: np.random.Generator, n_i: int) -> calibration._Blocks:
    """Blocks of sparse vectors over interviewers: narrow ones and wide ones (at least
    ``WIDE_BLOCK`` interviewers), as ``_group_blocks`` makes them."""
    coef, row, column, n_rows, support, coef_ptr, support_ptr = [], [], [], [], [], [0], [0]
    for width in [3, 5, calibration.WIDE_BLOCK + 7, 4, calibration.WIDE_BLOCK * 2, 3]:
        m = int(rng.integers(1, 5))
        chosen = np.sort(rng.choice(n_i, width, replace=False))
        cells = [(r, c) for r in range(m) for c in range(width) if rng.random() < 0.3]
        coef += rng.normal(size=len(cells)).tolist()
        row += [r for r, _ in cells]
        column += [c for _, c in cells]
        n_rows.append(m)
        support += chosen.tolist()
        coef_ptr.append(coef_ptr[-1] + len(cells))
        support_ptr.append(support_ptr[-1] + width)
    return calibration._Blocks(
        coef=np.array(coef),
        row=np.array(row, dtype=np.int64),
        column=np.array(column, dtype=np.int64),
        coef_ptr=np.array(coef_ptr, dtype=np.int64),
        n_rows=np.array(n_rows, dtype=np.int64),
        support=np.array(support, dtype=np.int64),
        support_ptr=np.array(support_ptr, dtype=np.int64),
    )


def test_block_forms_match_dense_quadratic_forms():
    rng = np.random.default_rng(7)
    n_i = 3 * calibration.WIDE_BLOCK
    half = rng.normal(size=(n_i, n_i))
    covariance = half @ half.T / n_i + np.eye(n_i)
    cov_i = calibration._InterviewerCovariance(covariance, np.diag(covariance).copy())
    blocks = _random_blocks(rng, n_i)
    out = calibration._block_forms(cov_i, blocks)
    offset = 0
    for b in range(len(blocks.n_rows)):
        m, lo, hi = int(blocks.n_rows[b]), blocks.coef_ptr[b], blocks.coef_ptr[b + 1]
        index = blocks.support[blocks.support_ptr[b] : blocks.support_ptr[b + 1]]
        x = np.zeros((m, len(index)))
        x[blocks.row[lo:hi], blocks.column[lo:hi]] = blocks.coef[lo:hi]
        expected = x @ covariance[np.ix_(index, index)] @ x.T
        got = out[offset : offset + m * m].reshape(m, m)
        offset += m * m
        # wide blocks are read in single precision (they only feed the P(best) draws)
        assert got == pytest.approx(expected, rel=1e-5, abs=1e-5)


def test_fit_with_random_interviewers_is_unchanged_by_the_fast_product(monkeypatch):
    rng = np.random.default_rng(3)
    n, n_c, n_i = 4000, 120, 60
    columns = RatingColumns(
        candidate=[f"c{c}" for c in rng.integers(n_c, size=n)],
        interviewer=[f"i{i}" for i in rng.integers(n_i, size=n)],
        competency=[f"k{k}" for k in rng.integers(4, size=n)],
        rating=rng.integers(1, 6, size=n).tolist(),
        group=[f"p{c % 12}" for c in rng.integers(n_c, size=n)],
    )
    keys = set()
    keep = []  # one rating per candidate, interviewer and competency
    for r in range(n):
        key = (columns.candidate[r], columns.interviewer[r], columns.competency[r])
        if key not in keys:
            keys.add(key)
            keep.append(r)
    columns = RatingColumns(
        *([getattr(columns, f)[r] for r in keep] for f in
          ("candidate", "interviewer", "competency", "rating", "group"))
    )  # fmt: skip
    fast = fit(columns, scale=(1, 5), seed=1)
    monkeypatch.setattr(calibration, "_cross_product", lambda m: (m.T.tocsr() @ m).tocsr())
    plain = fit(columns, scale=(1, 5), seed=1)
    for a, b in zip(fast.groups, plain.groups, strict=True):
        for x, y in zip(a.candidates, b.candidates, strict=True):
            assert x.candidate == y.candidate
            assert x.score == pytest.approx(y.score, abs=1e-9)
            assert x.se == pytest.approx(y.se, abs=1e-9)
            assert x.p_best == pytest.approx(y.p_best, abs=1e-9)


def test_contenders_match_group_by_group():
    rng = np.random.default_rng(11)
    sizes = rng.integers(1, 12, size=300)
    bounds = np.concatenate([[0], np.cumsum(sizes)]).astype(np.int64)
    mean = np.round(rng.normal(size=int(bounds[-1])), 1)  # ties among leaders
    se = rng.uniform(0.05, 0.5, size=len(mean))
    groups = np.flatnonzero(rng.random(len(sizes)) < 0.8)
    fast = calibration._contenders(mean, se, bounds, groups)
    slow = calibration._contenders_one_by_one(mean, se, bounds, groups)
    assert list(fast) == list(slow) == groups.tolist()
    for g in groups.tolist():
        assert np.array_equal(fast[g], slow[g])


def test_no_group_has_contenders_to_find():
    # one group too large for a joint covariance: nothing is drawn jointly
    bounds = np.array([0, 5], dtype=np.int64)
    none = np.zeros(0, dtype=np.int64)
    assert calibration._contenders(np.arange(5.0), np.ones(5), bounds, none) == {}


@pytest.mark.parametrize("shared", [False, True], ids=["one-group-each", "some-in-two"])
def test_group_members_are_each_groups_distinct_candidates_in_code_order(shared):
    rng = np.random.default_rng(5)
    n_c, n_groups, n = 300, 25, 5000
    home = rng.integers(n_groups, size=n_c)
    c = rng.integers(n_c, size=n)
    group = home[c]
    if shared:  # a few rows put their candidate in a second group too
        moved = rng.random(n) < 0.02
        group = np.where(moved, (group + 1) % n_groups, group)
    got = calibration._group_members(group, c, n_c)
    expected = [np.unique(c[group == g]) for g in range(n_groups)]
    assert len(got) == n_groups
    for g in range(n_groups):
        assert np.array_equal(got[g], expected[g])


@pytest.mark.parametrize(
    ("ascending", "count"),
    [(True, 30), (False, 30), (True, 1100)],
    ids=["ascending", "any-order", "large-batch"],
)
def test_covariance_blocks_from_the_packed_triangle_are_the_whole_blocks(ascending, count):
    rng = np.random.default_rng(9)
    n_i, t = 40, 7
    half = rng.normal(size=(n_i, n_i))
    covariance = half @ half.T
    cov_i = calibration._InterviewerCovariance(covariance, np.diag(covariance).copy())
    index = np.array([rng.choice(n_i, t, replace=False) for _ in range(count)])
    assert (count * t * t > calibration._GATHER_BUDGET) == (count > 30)
    if ascending:
        index = np.sort(index, axis=1)
    expected = np.array([covariance[np.ix_(row, row)] for row in index])
    assert np.array_equal(cov_i.blocks(index), expected)  # bit for bit
    assert np.array_equal(cov_i.blocks(index[:, :1]), expected[:, :1, :1])


@pytest.mark.parametrize(("rows", "columns"), [(3000, 1200), (500, 1001), (40, 1500)])
def test_dense_cross_product_in_halves_is_the_product_bit_for_bit(rows, columns):
    rng = np.random.default_rng(rows)
    matrix = sp.random(rows, columns, density=0.02, format="csr", random_state=rng)
    assert columns >= calibration.SPLIT_PRODUCT_FROM  # the path in halves
    halves = calibration._dense_cross_product(matrix)
    whole = calibration._cross_product(matrix).toarray()
    assert np.array_equal(halves, whole)
    assert np.array_equal(halves, (matrix.T @ matrix).toarray())
