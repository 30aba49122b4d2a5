"""Probability inputs (issue 17, library side): the range and sum checks of
the reductions, normalize=True, the nan_policy default, batches of joint
tables (axes, keepdims), and the rows of the issue's table.

References: SciPy (scipy.stats.entropy normalises as normalize=True does,
scipy.special.rel_entr / entr), and NumPy formulas written out here.
"""
from __future__ import annotations

import math
import warnings

import numpy as np
import pytest
import scipy.special as sc
import scipy.stats as st

import infobits as ib

LN2 = math.log(2.0)


def _no_warning(f, *a, **k):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        return f(*a, **k)


# ------------------------------------------------------------ the rows
def test_counts_raise_and_normalize_matches_scipy():
    # was -51.58 bits, silently
    with pytest.raises(ValueError, match=r"entropy: p must hold probabilities in \[0, 1\]; "
                                         r"it has 3\.0 at index 0: pass normalize=True .*"
                                         r"infobits\.estimate"):
        ib.entropy([3, 5, 2, 10])
    got = _no_warning(ib.entropy, [3, 5, 2, 10], normalize=True)
    assert got == pytest.approx(st.entropy([3, 5, 2, 10], base=2), rel=1e-15)
    assert got == pytest.approx(1.7427376486136672, rel=1e-15)


def test_kl_of_counts_raises_and_normalize_matches_scipy():
    # was 16.36, silently
    with pytest.raises(ValueError, match=r"kl_divergence: p .* 3\.0 at index 0.*normalize=True"):
        ib.kl_divergence([3, 5], [1, 1])
    got = _no_warning(ib.kl_divergence, [3, 5], [1, 1], normalize=True)
    assert got == pytest.approx(st.entropy([3, 5], [1, 1], base=2), rel=1e-14)
    assert round(float(got), 4) == 0.0456
    with pytest.raises(ValueError, match=r"q must hold probabilities .* 2\.0 at index 1"):
        ib.kl_divergence([0.5, 0.5], [0.5, 2.0])


def test_negative_entry_raises():
    # was -0.877 (the default "omit" dropped the negative term)
    with pytest.raises(ValueError, match=r"p must hold probabilities .* -0\.5 at index 0"):
        ib.entropy([-0.5, 1.5])
    # the chapter's nansum, when asked for
    assert ib.entropy([-0.5, 1.5], nan_policy="omit") == pytest.approx(
        -1.5 * math.log2(1.5), rel=1e-15)


def test_huge_base_is_a_value_error_naming_base():
    # was OverflowError naming nothing
    for call in (lambda: ib.entropy([0.5, 0.5], base=10**400),
                 lambda: ib.kl_divergence([0.5, 0.5], [0.5, 0.5], base=10**400),
                 lambda: ib.cross_entropy([[0.5, 0.5]], [0], base=10**400),
                 lambda: ib.self_information(0.5, base=10**400)):
        with pytest.raises(ValueError, match="base"):
            call()


def test_every_reduction_takes_the_standard_keywords():
    # the README's claim: every reduction takes axis (or axes), keepdims,
    # base and nan_policy; the distributions' measures take normalize
    import inspect

    for f in (ib.entropy, ib.joint_entropy, ib.kl_divergence, ib.jensen_shannon_divergence,
              ib.mutual_information, ib.conditional_entropy):
        params = inspect.signature(f).parameters
        assert {"keepdims", "base", "nan_policy", "normalize"} <= set(params), f.__name__
        assert "axis" in params or "axes" in params, f.__name__
        assert params["nan_policy"].default == "propagate"


# ------------------------------------------------------------ range check
@pytest.mark.parametrize("bad", [-1e-30, 1.5, 2.0, np.inf, -np.inf, 1e308])
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_range_errors_name_argument_value_and_logical_index(bad, dtype):
    p = np.full((4, 300), 1 / 1200, dtype=dtype)
    p[2, 257] = bad
    for arr, idx in ((p, r"\(2, 257\)"), (np.asfortranarray(p), r"\(2, 257\)"),
                     (p.T, r"\(257, 2\)")):
        for pol in ("propagate", "raise"):
            with pytest.raises(ValueError, match=r"p must hold probabilities .* at index " + idx):
                ib.entropy(arr, nan_policy=pol)
            with pytest.raises(ValueError, match=r"p must hold probabilities .* at index " + idx):
                ib.entropy(arr, axis=0, nan_policy=pol)
        with pytest.raises(ValueError, match=r"p_xy must hold probabilities"):
            ib.mutual_information(arr)
        with pytest.raises(ValueError, match=r"q must hold probabilities .* at index " + idx):
            ib.kl_divergence(np.full(arr.shape, 1 / 1200, dtype), arr)
        with pytest.raises(ValueError, match=r"p must hold probabilities"):
            ib.jensen_shannon_divergence(arr, np.full(arr.shape, 1 / 1200, dtype))
        # omit checks nothing
        with warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.simplefilter("ignore")
            ib.entropy(arr, nan_policy="omit")


def test_rounding_above_one_is_accepted():
    # a marginal summed from a joint table can exceed 1 by a few ulps
    p = np.array([1.0 + 2.0**-52, 0.0])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert ib.entropy(p) == pytest.approx(0.0, abs=1e-15)
    with pytest.raises(ValueError):
        ib.entropy([1.0 + 2.0**-19, 0.0])


def test_nan_under_each_policy():
    p = np.array([0.5, np.nan, 0.5])
    assert np.isnan(_no_warning(ib.entropy, p))                 # propagate: NaN, no sum warning
    with pytest.raises(ValueError, match=r"nan_policy='raise' and p contains NaN at index 1"):
        ib.entropy(p, nan_policy="raise")
    assert ib.entropy(p, nan_policy="omit") == 1.0
    r = _no_warning(ib.entropy, np.array([[0.5, np.nan], [0.5, 0.5]]), axis=1)
    assert np.isnan(r[0]) and r[1] == 1.0


# ------------------------------------------------------------ sum check
def test_sum_warning_names_argument_sum_and_fix():
    with pytest.warns(RuntimeWarning, match=r"entropy: p sums to 1\.1, not 1; pass normalize=True"):
        h = ib.entropy([0.1, 0.5, 0.2, 0.3])
    assert h == pytest.approx(1.8176681, abs=1e-7)        # the chapter's value, as given
    with pytest.warns(RuntimeWarning, match=r"kl_divergence: q sums to 0\.9"):
        ib.kl_divergence([0.5, 0.5], [0.45, 0.45])
    with pytest.warns(RuntimeWarning, match=r"2 of the 3 slices of p do not sum to 1 .*index 1"):
        ib.entropy([[0.5, 0.5], [0.5, 0.6], [0.2, 0.2]], axis=1)
    with pytest.warns(RuntimeWarning, match=r"p_xy sums to"):
        ib.mutual_information([[0.2, 0.2], [0.2, 0.2]])
    with pytest.warns(RuntimeWarning, match=r"jensen_shannon_divergence: p sums to"):
        ib.jensen_shannon_divergence([0.5, 0.6], [0.5, 0.5])


def test_sum_tolerance_lines():
    # off by more than 1e-4 always warns (both dtypes); float64 within 1e-6 never
    for dt in (np.float64, np.float32):
        p = np.full(1000, 1e-3, dtype=dt)
        p[0] += dt(2e-4)
        with pytest.warns(RuntimeWarning):
            ib.entropy(p)
    p = np.full(1000, 1e-3)
    p[0] += 1e-6
    _no_warning(ib.entropy, p)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("n", [1, 7, 1000, 10**6])
def test_normalised_counts_never_warn(dtype, n):
    rng = np.random.default_rng(n)
    c = rng.integers(0, 1000, n).astype(dtype) + dtype(1)
    p = c / c.sum()                          # in the input's own dtype
    assert p.dtype == dtype
    _no_warning(ib.entropy, p)
    _no_warning(ib.kl_divergence, p, p[::-1])
    _no_warning(ib.jensen_shannon_divergence, p, p[::-1])
    q = (c.reshape(-1, 1) * np.ones((1, 3), dtype))
    q = q / q.sum()
    _no_warning(ib.mutual_information, q)
    _no_warning(ib.entropy, np.stack([p, p[::-1]]), axis=1)
    _no_warning(ib.entropy, np.stack([p, p[::-1]], axis=1), axis=0)


def test_empty_slices_sum_to_zero_without_warning():
    assert _no_warning(ib.entropy, []) == 0.0
    np.testing.assert_array_equal(_no_warning(ib.entropy, np.empty((3, 0)), axis=1), [0, 0, 0])
    assert _no_warning(ib.kl_divergence, [], []) == 0.0


# ------------------------------------------------------------ normalize
def test_normalize_matches_scipy_per_slice_and_zero_slices_give_nan():
    rng = np.random.default_rng(3)
    c = rng.integers(0, 50, (5, 40)).astype(float)
    c[2] = 0.0
    d = rng.integers(1, 50, (5, 40)).astype(float)
    with np.errstate(all="ignore"):
        want_h = st.entropy(c, base=2, axis=1)
        want_kl = st.entropy(c, d, base=2, axis=1)
    got_h = _no_warning(ib.entropy, c, axis=1, normalize=True)
    got_kl = _no_warning(ib.kl_divergence, c, d, axis=1, normalize=True)
    np.testing.assert_allclose(got_h, want_h, rtol=1e-14)
    np.testing.assert_allclose(got_kl, want_kl, rtol=1e-13)
    assert np.isnan(got_h[2]) and np.isnan(want_h[2])
    # the same bits for any layout
    assert _no_warning(ib.entropy, np.asfortranarray(c), axis=1, normalize=True).tobytes() \
        == got_h.tobytes()
    # JS: SciPy's jensenshannon distance squared, of normalised vectors
    from scipy.spatial.distance import jensenshannon

    js = _no_warning(ib.jensen_shannon_divergence, c[0], d[0], normalize=True)
    assert js == pytest.approx(jensenshannon(c[0], d[0], base=2) ** 2, rel=1e-12)


def test_normalize_rejects_negative_and_infinite_values():
    with pytest.raises(ValueError, match=r"normalize=True needs finite non-negative .* -1\.0 at index 1"):
        ib.entropy([3.0, -1.0, 5.0], normalize=True)
    with pytest.raises(ValueError, match=r"normalize=True needs finite non-negative .* inf at index 2"):
        ib.entropy([3.0, 1.0, np.inf], normalize=True)
    with pytest.raises(ValueError, match=r"normalize=True needs finite non-negative"):
        ib.kl_divergence([1.0, 1.0], [-1.0, -3.0], normalize=True)


def test_normalize_marginals_of_two_variable_measures():
    rng = np.random.default_rng(5)
    counts = rng.integers(1, 30, (4, 6)).astype(float)
    p = counts / counts.sum()
    want_mi = _no_warning(ib.mutual_information, p)
    want_ce = _no_warning(ib.conditional_entropy, p)
    assert _no_warning(ib.mutual_information, counts, normalize=True) == pytest.approx(want_mi, rel=1e-13)
    assert _no_warning(ib.conditional_entropy, counts, normalize=True) == pytest.approx(want_ce, rel=1e-13)
    # given marginals, as counts, normalised the same way
    rows, cols = counts.sum(1, keepdims=True), counts.sum(0, keepdims=True)
    got = _no_warning(ib.mutual_information, counts, rows * 7, cols * 3, normalize=True)
    assert got == pytest.approx(want_mi, rel=1e-13)


# ------------------------------------------------------------ batches of tables
def _mi_ref(t):
    px = t.sum(1, keepdims=True)
    py = t.sum(0, keepdims=True)
    with np.errstate(all="ignore"):
        return sc.rel_entr(t, px * py).sum() / LN2


def _ce_ref(t):
    px = t.sum(1, keepdims=True)
    with np.errstate(all="ignore"):
        return sc.rel_entr(t, px).sum() / -LN2


def test_axes_and_keepdims_batches_of_joint_tables():
    rng = np.random.default_rng(8)
    b = rng.random((3, 2, 4, 5))
    b /= b.sum(axis=(2, 3), keepdims=True)
    mi = _no_warning(ib.mutual_information, b)
    ce = _no_warning(ib.conditional_entropy, b)
    assert mi.shape == ce.shape == (3, 2)
    for i in range(3):
        for j in range(2):
            assert mi[i, j] == pytest.approx(_mi_ref(b[i, j]), rel=1e-13, abs=1e-15)
            assert ce[i, j] == pytest.approx(_ce_ref(b[i, j]), rel=1e-13)
            # a table of the batch gives the bits of the single-table call
            assert mi[i, j].tobytes() == np.float64(ib.mutual_information(b[i, j])).tobytes()
            assert ce[i, j].tobytes() == np.float64(ib.conditional_entropy(b[i, j])).tobytes()
    assert _no_warning(ib.mutual_information, b, keepdims=True).shape == (3, 2, 1, 1)
    # X and Y elsewhere: axes names them
    t = np.moveaxis(b, (2, 3), (0, 3))                   # (4, 3, 2, 5): X axis 0, Y axis 3
    got = _no_warning(ib.mutual_information, t, axes=(0, 3))
    np.testing.assert_array_equal(got, mi)
    assert _no_warning(ib.conditional_entropy, t, axes=(0, 3), keepdims=True).shape == (1, 3, 2, 1)
    # H(X|Y) is H(Y|X) of the transposed tables
    np.testing.assert_allclose(_no_warning(ib.conditional_entropy, b, axes=(-1, -2)),
                               [[_ce_ref(b[i, j].T) for j in range(2)] for i in range(3)],
                               rtol=1e-13)
    with pytest.raises(ValueError, match="axes"):
        ib.mutual_information(b, axes=(1, 1))
    with pytest.raises(TypeError, match="axes"):
        ib.mutual_information(b, axes=1)


def test_2d_keepdims_and_given_marginals_in_a_batch():
    p = np.array([[0.1, 0.4], [0.2, 0.3]])
    assert _no_warning(ib.mutual_information, p, keepdims=True).shape == (1, 1)
    b = np.stack([p, p.T])
    px = b.sum(2, keepdims=True)
    py = b.sum(1, keepdims=True)
    got = _no_warning(ib.mutual_information, b, px, py)
    np.testing.assert_allclose(got, [_mi_ref(p), _mi_ref(p.T)], rtol=1e-13)


def test_js_nan_policy():
    p = np.array([0.5, np.nan, 0.5])
    q = np.array([0.25, 0.25, 0.5])
    assert np.isnan(ib.jensen_shannon_divergence(p, q))
    with pytest.raises(ValueError, match="NaN at index 1"):
        ib.jensen_shannon_divergence(p, q, nan_policy="raise")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        got = ib.jensen_shannon_divergence(p, q, nan_policy="omit")
    m = (np.array([0.5, 0.5]) + np.array([0.25, 0.5])) / 2
    want = 0.5 * (sc.rel_entr([0.5, 0.5], m).sum() + sc.rel_entr([0.25, 0.5], m).sum()) / LN2
    assert got == pytest.approx(want, rel=1e-14)


# ------------------------------------------------------------ the chapter
def test_chapter_values_reproduce():
    assert round(float(ib.entropy([0.1, 0.5, 0.1, 0.3])), 7) == 1.6854753
    with pytest.warns(RuntimeWarning):
        assert round(float(ib.entropy([0.1, 0.5, 0.2, 0.3])), 7) == 1.8176681
    assert round(float(ib.joint_entropy([[0.1, 0.5], [0.1, 0.3]])), 7) == 1.6854753
    with pytest.warns(RuntimeWarning):
        assert round(float(ib.conditional_entropy([[0.1, 0.5], [0.2, 0.3]], [0.2, 0.8])), 7) \
            == 0.8635472
    with pytest.warns(RuntimeWarning):
        assert round(float(ib.mutual_information([[0.1, 0.5], [0.1, 0.3]], [0.2, 0.8],
                                                 [[0.75, 0.25]])), 7) == 0.7194603
    rng = np.random.default_rng(1)
    p, q = np.sort(rng.normal(0, 1, 1000)), np.sort(rng.normal(1, 1, 1000))
    with np.errstate(all="ignore"):
        want = np.nansum(p * np.log2(p / q))
    assert ib.kl_divergence(p, q, nan_policy="omit") == pytest.approx(want, rel=1e-12)
    with pytest.raises(ValueError, match="infobits.estimate"):
        ib.kl_divergence(p, q)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("term", ["entropy", "kl", "js"])
def test_sums_on_every_kernel_path(dtype, term):
    # axis=0 of a C-ordered table with many columns takes the outer-axis
    # path, axis=1 the inner one; a subnormal entry sends its block to the
    # full path: every path reports the same slice sums
    rng = np.random.default_rng(9)
    c = rng.random((300, 40))
    c /= c.sum(0)
    c[5, 7] = 1e-310                           # full path (subnormal)
    c[:, 7] /= c[:, 7].sum()
    c[:, 23] *= 1.01                           # the one slice off
    c = c.astype(dtype)
    f = {"entropy": lambda a, **k: ib.entropy(a, **k),
         "kl": lambda a, **k: ib.kl_divergence(a, a[::-1], **k),
         "js": lambda a, **k: ib.jensen_shannon_divergence(a, a[::-1], **k)}[term]
    for arr, axis in ((c, 0), (np.ascontiguousarray(c.T), 1)):
        with pytest.warns(RuntimeWarning, match=r"1 of the 40 slices of p do not sum to 1 "
                                                 r"\(the first, at index 23, sums to 1\.01"):
            f(arr, axis=axis)
    ok = np.delete(c, 23, axis=1)
    _no_warning(f, ok, axis=0)
    _no_warning(f, np.ascontiguousarray(ok.T), axis=1)
