"""Renyi and Tsallis entropies (the power-sum rows of the reduction term
table), against independent references: mpmath at 40 digits, NumPy's
``power`` and ``count_nonzero``/``max`` formulas, SciPy's Shannon entropy
for order 1, and the closed forms of uniform distributions."""
import math
import warnings

import mpmath
import numpy as np
import pytest
import scipy.stats

import infobits as ib
from infobits import _core

U = 2.0 ** -53
ORDERS = (0.0, 0.3, 0.5, 0.999, 1.5, 2.0, 2.5, 3.0, 7.3, 50.0)


def _mp_power_sum(p, a):
    return mpmath.fsum(mpmath.power(mpmath.mpf(float(x)), a) for x in p if x != 0)


def _dirichlet(rng, n, conc=0.3):
    p = rng.dirichlet(np.full(n, conc))
    p[rng.random(n) < 0.1] = 0.0
    return p / p.sum()


def test_power_term_accuracy_against_mpmath():
    # each term p^a = exp(a log p): within (|a ln p| + 3) * 2^-52 relative
    # (the log's rounding grows with a ln p; measured worst about half of it)
    mpmath.mp.dps = 40
    rng = np.random.default_rng(1)
    pol = _core.NAN_POLICIES["propagate"]
    for a in (0.3, 0.5, 0.999, 1.5, 2.5, 7.3, 50.0, 300.0):
        xs = np.r_[np.exp(rng.uniform(math.log(1e-300), 0.0, 400)), 1.0, 2.0 ** -1022, 0.5]
        for x in xs:
            v = _core.reduce1_f64(_core.TERM_POW, pol, np.array([x]), par=a)
            ref = mpmath.power(mpmath.mpf(float(x)), a)
            bound = (a * abs(math.log(x)) + 3) * 2 * U
            # (a subnormal result adds its final rounding, half a subnormal step)
            err = abs(mpmath.mpf(v) - ref)
            assert err <= bound * ref + mpmath.mpf(2) ** -1075, (a, x, v, ref)


def test_power_term_of_zero_and_order_zero():
    pol = _core.NAN_POLICIES["propagate"]
    for a in (0.0, 0.5, 2.0, 3.0):
        assert _core.reduce1_f64(_core.TERM_POW, pol, np.zeros(5), par=a) == 0.0
    x = np.array([0.5, 0.0, 0.25, 0.25, 0.0, 1e-310])
    assert _core.reduce1_f64(_core.TERM_POW, pol, x, par=0.0) == 4.0


@pytest.mark.parametrize("a", ORDERS)
def test_renyi_against_mpmath(a):
    mpmath.mp.dps = 40
    rng = np.random.default_rng(int(a * 1000) + 3)
    for n in (1, 5, 130, 3000):
        p = _dirichlet(rng, n)
        got = ib.renyi_entropy(p, a, base="nats")
        if a == 0.0:
            ref = mpmath.log(int(np.count_nonzero(p)))
        else:
            s = _mp_power_sum(p, a)
            # the input as given (p sums to 1 within rounding): reference of
            # the same values
            ref = mpmath.log(s) / (1 - mpmath.mpf(a)) if a != 1 else None
        # terms within (a |ln p_min| + 3) 2^-52, sum within log2(n) u more;
        # log(S)/(1 - a) magnifies S's relative error by 1/|(1 - a) H|
        pmin = p[p > 0].min()
        rel_s = ((a * abs(math.log(pmin)) + 3) * 2 + math.log2(n) + 4) * U
        tol = rel_s / abs(1 - a) + 4 * U * abs(float(ref))
        assert abs(got - float(ref)) <= tol + 1e-300, (a, n, got, float(ref))


def test_renyi_against_numpy_formula_and_peers_of_order_one():
    rng = np.random.default_rng(5)
    p = _dirichlet(rng, 1000, 1.0)
    for a in (0.5, 2.0, 2.5, 4.0):
        ref = np.log2(np.sum(np.power(p, a))) / (1 - a)
        assert ib.renyi_entropy(p, a) == pytest.approx(ref, rel=1e-13)
    assert ib.renyi_entropy(p, 1) == pytest.approx(scipy.stats.entropy(p, base=2), rel=1e-13)
    assert ib.renyi_entropy(p, 0) == pytest.approx(math.log2(np.count_nonzero(p)), rel=1e-15)
    assert ib.renyi_entropy(p, math.inf) == pytest.approx(-math.log2(p.max()), rel=1e-15)
    # Renyi entropies do not increase with the order
    vals = [ib.renyi_entropy(p, a) for a in (0, 0.5, 1, 2, 5, math.inf)]
    assert all(x >= y - 1e-12 for x, y in zip(vals, vals[1:]))


def test_uniform_closed_forms():
    for n in (1, 2, 7, 1024):
        p = np.full(n, 1.0 / n)
        for a in (0, 0.5, 2, 3, 9.5, math.inf):
            assert ib.renyi_entropy(p, a) == pytest.approx(math.log2(n), rel=1e-14, abs=1e-14)
        for q in (0, 0.5, 2, 3):
            ref = (1 - n ** (1 - q)) / (q - 1)
            assert ib.tsallis_entropy(p, q) == pytest.approx(ref, rel=1e-14, abs=1e-14)


@pytest.mark.parametrize("q", (0.0, 0.3, 0.5, 1.5, 2.0, 3.0, 7.3))
def test_tsallis_against_mpmath(q):
    mpmath.mp.dps = 40
    rng = np.random.default_rng(int(q * 100) + 11)
    for n in (1, 9, 500):
        p = _dirichlet(rng, n)
        s = int(np.count_nonzero(p)) if q == 0 else _mp_power_sum(p, q)
        ref = float((1 - mpmath.mpf(s)) / (mpmath.mpf(q) - 1))
        pmin = p[p > 0].min()
        tol = ((q * abs(math.log(pmin)) + 3) * 2 + math.log2(n) + 4) * U * float(s) / abs(q - 1)
        assert abs(ib.tsallis_entropy(p, q) - ref) <= tol + 4 * U * abs(ref), (q, n)


def test_tsallis_special_orders():
    p = np.array([0.5, 0.25, 0.125, 0.125, 0.0])
    assert ib.tsallis_entropy(p, 1) == pytest.approx(scipy.stats.entropy(p), rel=1e-15)
    assert ib.tsallis_entropy(p, 2) == 1 - np.sum(p * p)        # Gini-Simpson, exact here
    assert ib.tsallis_entropy(p, 0) == 3.0                       # support size - 1


def test_order_two_squares_match_the_general_power():
    rng = np.random.default_rng(9)
    p = _dirichlet(rng, 10_000, 1.0)
    exact = math.fsum(float(x) * float(x) for x in p)   # correctly rounded sum of the squares
    s2 = _core.reduce1_f64(_core.TERM_SQ, _core.NAN_POLICIES["propagate"], p)
    assert abs(s2 - exact) <= 16 * U * exact
    near = ib.renyi_entropy(p, 2.0 + 1e-9)
    assert ib.renyi_entropy(p, 2) == pytest.approx(near, rel=1e-8)


def test_order_half_square_roots_match_the_general_power():
    rng = np.random.default_rng(10)
    p = _dirichlet(rng, 10_000, 1.0)
    pol = _core.NAN_POLICIES["propagate"]
    exact = math.fsum(math.sqrt(float(x)) for x in p)   # correctly rounded roots, exact sum
    s = _core.reduce1_f64(_core.TERM_SQRT, pol, p)
    assert abs(s - exact) <= 16 * U * exact
    assert _core.reduce1_f64(_core.TERM_SQRT, pol, np.array([-0.0, 0.0])) == 0.0
    assert math.copysign(1.0, _core.reduce1_f64(_core.TERM_SQRT, pol, np.array([-0.0]))) == 1.0
    near = ib.renyi_entropy(p, 0.5 + 1e-9)
    assert ib.renyi_entropy(p, 0.5) == pytest.approx(near, rel=1e-8)
    assert ib.tsallis_entropy(p, 0.5) == pytest.approx(ib.tsallis_entropy(p, 0.5 + 1e-9),
                                                       rel=1e-8)


def test_axis_keepdims_layouts_give_the_same_bits():
    rng = np.random.default_rng(3)
    A = rng.random((40, 300))
    A /= A.sum(axis=1, keepdims=True)
    for a in (0.5, 2.0, 3.5):
        rows = np.array([ib.renyi_entropy(r, a) for r in A])
        assert np.array_equal(ib.renyi_entropy(A, a, axis=1), rows)
        assert np.array_equal(ib.renyi_entropy(np.asfortranarray(A), a, axis=-1), rows)
        assert np.array_equal(ib.renyi_entropy(A.T.copy(), a, axis=0), rows)
        kd = ib.renyi_entropy(A, a, axis=1, keepdims=True)
        assert kd.shape == (40, 1) and np.array_equal(kd[:, 0], rows)
        trows = np.array([ib.tsallis_entropy(r, a) for r in A])
        assert np.array_equal(ib.tsallis_entropy(A.T.copy(), a, axis=0), trows)
        assert np.array_equal(ib.tsallis_entropy(A[:, ::-1], a, axis=1),
                              np.array([ib.tsallis_entropy(r[::-1], a) for r in A]))


def test_threads_give_the_same_bits():
    rng = np.random.default_rng(4)
    p = rng.random(1_000_003)
    p /= p.sum()
    old = ib.get_num_threads()
    try:
        res = []
        for t in (1, 2, 3):
            ib.set_num_threads(t)
            res.append((ib.renyi_entropy(p, 2.5), ib.tsallis_entropy(p, 0.7),
                        ib.renyi_entropy(p, 2)))
    finally:
        ib.set_num_threads(old)
    assert res[0] == res[1] == res[2]


def test_float32_input():
    rng = np.random.default_rng(6)
    p = rng.random(5000).astype(np.float32)
    p /= p.sum()
    ref = np.log2(np.sum(p.astype(np.float64) ** 2.5)) / (1 - 2.5)
    assert ib.renyi_entropy(p, 2.5) == pytest.approx(ref, rel=1e-13)
    assert isinstance(ib.renyi_entropy(p, 2.5), np.float64)


def test_empty_and_base():
    assert ib.renyi_entropy([], 2) == 0.0
    assert ib.tsallis_entropy([], 2) == 0.0
    assert np.array_equal(ib.renyi_entropy(np.zeros((3, 0)), 0.5, axis=1), np.zeros(3))
    p = [0.5, 0.25, 0.25]
    assert ib.renyi_entropy(p, 2, base=10) == pytest.approx(
        math.log10(1 / (0.25 + 2 * 0.0625)), rel=1e-15)
    assert ib.renyi_entropy(p, 2, base="nats") == pytest.approx(
        math.log(1 / 0.375), rel=1e-15)


@pytest.mark.parametrize("fn,name", ((ib.renyi_entropy, "alpha"), (ib.tsallis_entropy, "q")))
def test_order_checks(fn, name):
    for bad in (-1, -0.5, math.nan, -math.inf):
        with pytest.raises(ValueError, match=name):
            fn([0.5, 0.5], bad)
    for bad in ("2", None, [2.0], True):
        with pytest.raises(TypeError, match=name):
            fn([0.5, 0.5], bad)
    if name == "q":
        with pytest.raises(ValueError, match="q"):
            fn([0.5, 0.5], math.inf)


@pytest.mark.parametrize("fn", (ib.renyi_entropy, ib.tsallis_entropy))
def test_probability_checks(fn):
    with pytest.raises(ValueError, match=r"p must hold probabilities.*3\.0 at index 0"):
        fn([3, 5, 2], 2.5)
    with pytest.raises(ValueError, match="normalize=True"):
        fn([0.5, -0.5, 1.0], 0.5)
    with pytest.warns(RuntimeWarning, match="sums to 1.1"):
        fn([0.1, 0.5, 0.2, 0.3], 2.5)
    with pytest.raises(ValueError, match="NaN at index 1"):
        fn([0.5, math.nan, 0.5], 2.5, nan_policy="raise")
    assert math.isnan(fn([0.5, math.nan, 0.5], 2.5))
    # omit: the NaN term is left out
    assert fn([0.5, math.nan, 0.5], 2.5, nan_policy="omit") == fn([0.5, 0.5], 2.5)
    counts = np.array([3.0, 5.0, 2.0])
    assert fn(counts, 2.5, normalize=True) == fn(counts / counts.sum(), 2.5)
    assert math.isnan(fn([0.0, 0.0], 2.5, normalize=True))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fn(np.full(10, 0.1), 2.5)          # sums to 1 within rounding: no warning


def test_min_entropy_policies():
    assert math.isnan(ib.renyi_entropy([0.5, math.nan, 0.5], math.inf))
    assert ib.renyi_entropy([0.25, math.nan, 0.75], math.inf, nan_policy="omit") == \
        pytest.approx(-math.log2(0.75), rel=1e-15)
    assert ib.renyi_entropy([1.0, 3.0], math.inf, normalize=True) == \
        pytest.approx(-math.log2(0.75), rel=1e-15)
    with pytest.raises(ValueError, match="p must hold probabilities"):
        ib.renyi_entropy([2.0, 0.5], math.inf)


def test_dask_twins_agree_with_in_memory():
    da = pytest.importorskip("dask.array")
    import infobits.dask as ibd

    rng = np.random.default_rng(12)
    A = rng.random((30, 200))
    A[A < 0.05] = 0.0
    A /= A.sum(axis=1, keepdims=True)
    X = da.from_array(A, chunks=(7, 45))
    for a in (0, 0.5, 1, 2, 2.5, math.inf):
        got = ibd.renyi_entropy(X, a, axis=1).compute(scheduler="synchronous")
        np.testing.assert_allclose(got, ib.renyi_entropy(A, a, axis=1), rtol=1e-12)
        got = ibd.renyi_entropy(X, a, axis=1, keepdims=True, base="nats")
        np.testing.assert_allclose(got.compute(scheduler="synchronous"),
                                   ib.renyi_entropy(A, a, axis=1, keepdims=True, base="nats"),
                                   rtol=1e-12)
    for q in (0, 0.5, 1, 2, 3.5):
        got = ibd.tsallis_entropy(X, q, axis=1).compute(scheduler="synchronous")
        np.testing.assert_allclose(got, ib.tsallis_entropy(A, q, axis=1), rtol=1e-12)
    p = A[0]
    P = da.from_array(p, chunks=33)
    assert float(ibd.renyi_entropy(P, 3).compute(scheduler="synchronous")) == pytest.approx(
        ib.renyi_entropy(p, 3), rel=1e-12)
    assert float(ibd.renyi_entropy(da.zeros(0, chunks=1), 2).compute()) == 0.0
    with pytest.raises(ValueError, match="alpha"):
        ibd.renyi_entropy(P, -1)
    with pytest.raises(ValueError, match="p must hold probabilities"):
        ibd.renyi_entropy(da.from_array(np.array([0.5, 2.0]), chunks=1), 2).compute(
            scheduler="synchronous")
