"""Measures on probability arrays against independent references.

References: scipy.special.entr / rel_entr, scipy.stats.entropy, and plain
NumPy written for clarity below (the d2l chapter's formulas).
"""
import math

import numpy as np
import pytest
from numpy.exceptions import AxisError

import infobits as ib

scipy_special = pytest.importorskip("scipy.special")
scipy_stats = pytest.importorskip("scipy.stats")

LN2 = math.log(2.0)


# ---------------------------------------------------------------- references
def ref_terms_entropy(p, policy):
    p = np.asarray(p, dtype=np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        t = -p * np.log(p)
    if policy == "omit":
        return np.where(np.isnan(t), 0.0, t)
    t = np.where(p == 0, 0.0, t)
    return np.where((p >= 0), t, np.nan)


def ref_terms_kl(p, q, policy):
    p = np.asarray(p, dtype=np.float64)
    q = np.asarray(q, dtype=np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        t = p * np.log(p / q)
    if policy == "omit":
        return np.where(np.isnan(t), 0.0, t)
    t = np.where(p == 0, 0.0, t)
    return np.where((p >= 0) & (q >= 0), t, np.nan)


def ref_reduce(t, axis, keepdims=False, base=2):
    return np.sum(t, axis=axis, keepdims=keepdims) / math.log(base)


def assert_close(got, want, rtol=1e-12, atol=1e-12):
    np.testing.assert_allclose(np.asarray(got, dtype=np.float64),
                               np.asarray(want, dtype=np.float64),
                               rtol=rtol, atol=atol, equal_nan=True)


# ---------------------------------------------------------------- seed values
def test_d2l_values():
    assert ib.self_information(1 / 64) == 6.0
    assert round(float(ib.entropy([0.1, 0.5, 0.1, 0.3])), 7) == 1.6854753
    assert round(float(ib.entropy([0.1, 0.5, 0.2, 0.3])), 7) == 1.8176681
    assert round(float(ib.joint_entropy([[0.1, 0.5], [0.1, 0.3]])), 7) == 1.6854753
    # the chapter's marginals do not match its joints: reproduced, with a
    # RuntimeWarning naming the argument (tests/unit/test_marginals.py)
    with pytest.warns(RuntimeWarning, match="p_x"):
        assert round(float(ib.conditional_entropy([[0.1, 0.5], [0.2, 0.3]], [0.2, 0.8])), 7) == 0.8635472
    with pytest.warns(RuntimeWarning, match="p_x|p_y"):
        assert round(float(ib.mutual_information(
            [[0.1, 0.5], [0.1, 0.3]], [0.2, 0.8], [[0.75, 0.25]])), 7) == 0.7194603
    # first-edition examples
    assert round(float(ib.joint_entropy(np.array([0.1, 0.5, 0.2, 0.3]))), 7) == 1.8176681
    assert round(float(ib.conditional_entropy([0.1, 0.5, 0.2, 0.3], [1, 1, 1, 1])), 7) == 1.8176681
    # the card deck (bits)
    assert ib.self_information(1.0) == 0.0
    assert not np.signbit(ib.self_information(1.0))
    assert ib.self_information(1 / 4) == 2.0
    assert round(float(ib.self_information(1 / 52)), 1) == 5.7
    assert round(float(ib.self_information(1 / math.factorial(52))), 1) == 225.6
    assert math.isclose(ib.entropy(np.full(52, 1 / 52)), math.log2(52), rel_tol=1e-14)


def test_d2l_float32_printed_values():
    """The d2l chapter printed float32 results; float32 inputs give the same digits."""
    p32 = np.array([0.1, 0.5, 0.1, 0.3], dtype=np.float32)
    assert f"{ib.entropy(p32):.7f}" == "1.6854753"
    r = ib.joint_entropy(np.array([[0.1, 0.5], [0.1, 0.3]], np.float32), axis=1)
    # the d2l chapter printed float32 values, correct to float32 rounding
    np.testing.assert_allclose(r, [0.8321928, 0.8532826], atol=2e-7)


def _seed_kl_samples():
    rng = np.random.default_rng(1)
    n = 10_000
    p = np.sort(rng.normal(0, 1, n))
    q1 = np.sort(rng.normal(-1, 1, n))
    q2 = np.sort(rng.normal(1, 1, n))
    return p, q1, q2


def test_d2l_sorted_sample_kl_asymmetry():
    p, q1, q2 = _seed_kl_samples()
    # samples, not probabilities: the chapter's nansum is nan_policy="omit"
    kl_pq1 = abs(ib.kl_divergence(p, q1, nan_policy="omit"))
    kl_pq2 = abs(ib.kl_divergence(p, q2, nan_policy="omit"))
    kl_q2p = abs(ib.kl_divergence(q2, p, nan_policy="omit"))
    similar = abs(kl_pq1 - kl_pq2) / ((kl_pq1 + kl_pq2) / 2) * 100
    differ = abs(kl_q2p - kl_pq2) / ((kl_q2p + kl_pq2) / 2) * 100
    # the d2l chapter: a few percent apart; about 40-46 % apart
    assert 0 <= similar < 6
    assert 30 < differ < 60
    # magnitudes of the same order as the d2l chapter's (~8500 and ~13500 bits)
    assert 7000 < kl_pq1 < 10500 and 7000 < kl_pq2 < 10500
    assert 11000 < kl_q2p < 16000
    # and it equals the d2l chapter's own NumPy formula
    with np.errstate(divide="ignore", invalid="ignore"):
        seed = np.nansum(p * np.log2(p / q1))
    assert math.isclose(ib.kl_divergence(p, q1, nan_policy="omit"), seed, rel_tol=1e-12)
    # by default (nan_policy="propagate") samples are rejected, naming the fix
    with pytest.raises(ValueError, match=r"p must hold probabilities.*infobits\.estimate"):
        ib.kl_divergence(p, q1)


# ---------------------------------------------------------------- references
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_entropy_vs_scipy(dtype):
    rng = np.random.default_rng(0)
    p = rng.random((7, 33)).astype(dtype)
    p[0, :5] = 0
    # float32 input: single-precision logs (each within 1 float ulp), float64
    # sums; the terms are all positive here, so the sum is within 2^-23
    # relative, plus the float64 roundings
    rtol = 2.0 ** -22 if dtype == np.float32 else 1e-12
    for axis in (None, 0, 1, -1):
        want = np.sum(scipy_special.entr(p.astype(np.float64)), axis=axis) / LN2
        assert_close(ib.entropy(p, axis=axis), want, rtol=rtol)
    # scipy.stats.entropy normalises; compare on normalised rows
    pn = p / p.sum(axis=1, keepdims=True)
    assert_close(ib.entropy(pn, axis=1), scipy_stats.entropy(pn.astype(np.float64), axis=1, base=2),
                 rtol=1e-6 if dtype == np.float32 else 1e-12)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_kl_vs_scipy(dtype):
    rng = np.random.default_rng(1)
    p = rng.random((5, 40)).astype(dtype)
    q = rng.random((5, 40)).astype(dtype)
    p[1, :3] = 0
    q[2, 4] = 0
    for axis in (None, 0, 1):
        want = np.sum(scipy_special.rel_entr(p.astype(np.float64), q.astype(np.float64)),
                      axis=axis) / LN2
        assert_close(ib.kl_divergence(p, q, axis=axis), want, rtol=1e-12)
    pn = p / p.sum(1, keepdims=True)
    qn = q / q.sum(1, keepdims=True)
    assert_close(ib.kl_divergence(pn, qn, axis=1, base="nats"),
                 scipy_stats.entropy(pn.astype(np.float64), qn.astype(np.float64), axis=1),
                 rtol=1e-5 if dtype == np.float32 else 1e-12)


def test_kl_edge_terms():
    assert ib.kl_divergence([0.5, 0.5], [1.0, 0.0]) == np.inf
    assert ib.kl_divergence([0.0, 1.0], [0.0, 1.0]) == 0.0
    assert ib.kl_divergence([0.0, 1.0], [0.0, 1.0], nan_policy="propagate") == 0.0
    # omit drops NaN terms as the d2l chapter's nansum does: p/q < 0
    assert ib.kl_divergence([-0.5, 0.5], [0.5, 0.5], nan_policy="omit") == 0.0
    with pytest.raises(ValueError, match=r"p must hold probabilities .* -0\.5 at index 0"):
        ib.kl_divergence([-0.5, 0.5], [0.5, 0.5], nan_policy="propagate")
    # both negative: the d2l chapter's formula counts the pair
    want = -0.5 * math.log2(0.5 / 0.25)
    assert math.isclose(ib.kl_divergence([-0.5], [-0.25], nan_policy="omit"), want)


def test_js_vs_scipy():
    from scipy.spatial.distance import jensenshannon

    rng = np.random.default_rng(2)
    p = rng.random((6, 20))
    q = rng.random((6, 20))
    p /= p.sum(1, keepdims=True)
    q /= q.sum(1, keepdims=True)
    for base in (2, math.e, 10):
        want = jensenshannon(p, q, axis=1, base=base) ** 2
        assert_close(ib.jensen_shannon_divergence(p, q, axis=1, base=base), want, rtol=1e-10)
    assert ib.jensen_shannon_divergence([1, 0], [0, 1]) == 1.0
    assert ib.jensen_shannon_divergence(p[0], p[0]) == 0.0
    assert np.isnan(ib.jensen_shannon_divergence([np.nan, 1], [0.5, 0.5]))


def test_mi_and_conditional_entropy_identities():
    rng = np.random.default_rng(3)
    pxy = rng.random((6, 9))
    pxy /= pxy.sum()
    px, py = pxy.sum(1), pxy.sum(0)
    hx = -np.sum(px * np.log2(px))
    hy = -np.sum(py * np.log2(py))
    hxy = -np.sum(pxy * np.log2(pxy))
    assert math.isclose(ib.joint_entropy(pxy), hxy, rel_tol=1e-13)
    assert math.isclose(ib.conditional_entropy(pxy), hxy - hx, rel_tol=1e-12)
    assert math.isclose(ib.conditional_entropy(pxy, px[:, None]), hxy - hx, rel_tol=1e-12)
    mi = ib.mutual_information(pxy)
    assert math.isclose(mi, hx + hy - hxy, rel_tol=1e-11)
    assert math.isclose(ib.mutual_information(pxy, px[:, None], py[None, :]), mi, rel_tol=1e-13)
    assert math.isclose(ib.mutual_information(pxy, None, py[None, :]), mi, rel_tol=1e-13)
    # MI is the KL between the joint and the product of marginals
    assert math.isclose(ib.kl_divergence(pxy, np.outer(px, py)), mi, rel_tol=1e-12)
    # symmetric
    assert math.isclose(ib.mutual_information(pxy.T), mi, rel_tol=1e-12)
    # PMI averages to MI
    pmi = ib.pointwise_mutual_information(pxy)
    assert math.isclose(np.sum(pxy * pmi), mi, rel_tol=1e-12)


def test_pmi_values():
    pxy = np.array([[0.25, 0.25], [0.0, 0.5]])
    px, py = pxy.sum(1, keepdims=True), pxy.sum(0, keepdims=True)
    # reference: mpmath at 200 bits, rounded once (NumPy's np.log2 of the
    # rounded ratio is 1 ulp off at log2(2/3) and log2(4/3))
    import mpmath
    with mpmath.workprec(200):
        want = np.array([[-np.inf if pxy[i, j] == 0 else
                          float(mpmath.log(mpmath.mpf(pxy[i, j])
                                           / (mpmath.mpf(px[i, 0]) * mpmath.mpf(py[0, j])), 2))
                          for j in range(2)] for i in range(2)])
    got = ib.pointwise_mutual_information(pxy)
    assert got[0, 0] == 1.0 and got[1, 0] == -np.inf   # exact: a power of two, zero
    np.testing.assert_array_max_ulp(got[np.isfinite(want)], want[np.isfinite(want)], maxulp=1)
    npmi = ib.pointwise_mutual_information(pxy, normalized=True)
    assert npmi[1, 0] == -1.0
    assert math.isclose(npmi[0, 0], want[0, 0] / -math.log2(0.25))
    assert np.all((npmi >= -1) & (npmi <= 1))
    p32 = pxy.astype(np.float32)
    assert ib.pointwise_mutual_information(p32).dtype == np.float32
    # given marginals broadcast as in the d2l chapter
    with pytest.warns(RuntimeWarning, match="p_x"):
        r = ib.pointwise_mutual_information([[0.1, 0.5], [0.1, 0.3]], [0.2, 0.8], [[0.75, 0.25]])
    with np.errstate(divide="ignore"):
        w = np.log2(np.array([[0.1, 0.5], [0.1, 0.3]]) / (np.array([0.2, 0.8]) * np.array([[0.75, 0.25]])))
    np.testing.assert_allclose(r, w, rtol=1e-15)


def test_self_information():
    p = np.array([0.5, 0.25, 0.0, 1.0, -1.0, np.nan])
    with np.errstate(divide="ignore", invalid="ignore"):
        want = 0.0 - np.log2(p)
    np.testing.assert_array_equal(ib.self_information(p), want)
    assert ib.self_information(p.astype(np.float32)).dtype == np.float32
    assert ib.self_information(np.float16(0.5)).dtype == np.float32
    assert math.isclose(ib.self_information(0.5, base="nats"), math.log(2))
    assert math.isclose(ib.self_information(0.01, base=10), 2.0)
    assert math.isclose(ib.self_information(1 / 27, base=3), 3.0)
    assert isinstance(ib.self_information(0.5), np.floating)


# ---------------------------------------------------------------- layouts
def _layouts(base):
    """(name, array) pairs with equal values, different memory layouts."""
    yield "C", np.ascontiguousarray(base)
    yield "F", np.asfortranarray(base)
    big = np.zeros((base.shape[0] * 2, base.shape[1] * 3), dtype=base.dtype)
    big[::2, ::3] = base
    yield "strided", big[::2, ::3]
    neg = np.ascontiguousarray(base[::-1, ::-1])
    yield "negative", neg[::-1, ::-1]
    ro = base.copy()
    ro.flags.writeable = False
    yield "readonly", ro
    yield "broadcast", np.broadcast_to(base[:1], base.shape) if base.shape[0] else base


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("policy", ["omit", "propagate", "raise"])
@pytest.mark.parametrize("axis", [None, 0, 1, (0, 1), -1])
def test_entropy_layouts(dtype, policy, axis):
    rng = np.random.default_rng(4)
    base = rng.random((9, 130)).astype(dtype)
    base[0, 0] = 0
    if policy == "omit":
        base[1, 1] = np.nan
        base[2, 2] = -0.5
    ref_policy = "propagate" if policy == "raise" else policy
    for name, arr in _layouts(base):
        want = ref_reduce(ref_terms_entropy(np.array(arr), ref_policy), axis)
        got = ib.entropy(arr, axis=axis, nan_policy=policy)
        assert_close(got, want, rtol=1e-12 if dtype == np.float64 else 1e-6, atol=1e-10)
        if axis is None:
            assert isinstance(got, np.float64), name
        else:
            assert got.dtype == np.float64


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("policy", ["omit", "propagate"])
@pytest.mark.parametrize("axis", [None, 0, 1])
def test_kl_layouts(dtype, policy, axis):
    rng = np.random.default_rng(5)
    p = rng.random((8, 70)).astype(dtype)
    q = rng.random((8, 70)).astype(dtype)
    p[0, :2] = 0
    q[1, 3] = 0
    for (_, a), (_, b) in zip(_layouts(p), _layouts(q)):
        want = ref_reduce(ref_terms_kl(np.array(a), np.array(b), policy), axis)
        got = ib.kl_divergence(a, b, axis=axis, nan_policy=policy)
        assert_close(got, want, rtol=1e-12 if dtype == np.float64 else 1e-6, atol=1e-10)


def _awkward(rng, shape, dtype):
    """A view with the given shape: random axis order, steps and signs."""
    ndim = len(shape)
    perm = rng.permutation(ndim)
    bshape = [shape[perm[i]] for i in range(ndim)]
    steps = [int(st) for st in rng.integers(1, 3, ndim) * rng.choice([-1, 1], ndim)]
    big = rng.random([n * abs(st) + 1 for n, st in zip(bshape, steps)]).astype(dtype)
    big[big < 0.1] = 0.0
    v = big[tuple(slice(None, None, st) for st in steps)]
    v = v[tuple(slice(0, n) for n in bshape)]
    return np.transpose(v, np.argsort(perm))


@pytest.mark.parametrize("seed", range(40))
def test_random_awkward_arrays(seed):
    """Random shapes, strides, axes, dtypes and policies against plain NumPy."""
    rng = np.random.default_rng(1000 + seed)
    ndim = int(rng.integers(1, 5))
    shape = tuple(int(n) for n in rng.integers(0, 6, ndim))
    dtype = [np.float64, np.float32][seed % 2]
    p = _awkward(rng, shape, dtype)
    q = _awkward(rng, shape, dtype)
    assert p.shape == shape
    if rng.random() < 0.5:
        axis = None
    else:
        k = int(rng.integers(1, ndim + 1))
        axis = tuple(int(a) for a in rng.choice(ndim, k, replace=False))
        if k == 1 and rng.random() < 0.5:
            axis = axis[0] - ndim * int(rng.integers(0, 2))
    keepdims = bool(rng.random() < 0.3)
    policy = ["omit", "propagate"][int(rng.integers(0, 2))]
    if policy == "omit" and p.size:
        p.flat[int(rng.integers(0, p.size))] = np.nan
    tol = dict(rtol=1e-12 if dtype == np.float64 else 1e-6, atol=1e-9)
    want = ref_reduce(ref_terms_entropy(p, policy), axis, keepdims)
    got = ib.entropy(p, axis=axis, keepdims=keepdims, nan_policy=policy)
    assert np.shape(got) == np.shape(want)
    assert_close(got, want, **tol)
    want = ref_reduce(ref_terms_kl(p, q, policy), axis, keepdims)
    got = ib.kl_divergence(p, q, axis=axis, keepdims=keepdims, nan_policy=policy)
    assert np.shape(got) == np.shape(want)
    assert_close(got, want, **tol)


def test_broadcast_operands_and_keepdims():
    rng = np.random.default_rng(6)
    p = rng.random((4, 5, 6))
    q = rng.random(6)
    for axis in (None, 0, 1, 2, (0, 2), (1, 2)):
        for keepdims in (False, True):
            want = ref_reduce(ref_terms_kl(p, np.broadcast_to(q, p.shape), "omit"), axis, keepdims)
            got = ib.kl_divergence(p, q, axis=axis, keepdims=keepdims)
            assert np.shape(got) == np.shape(want)
            assert_close(got, want)
    # p broadcast against a bigger q
    got = ib.kl_divergence(q, p, axis=-1)
    want = ref_reduce(ref_terms_kl(np.broadcast_to(q, p.shape), p, "omit"), -1)
    assert_close(got, want)


def test_transposed_and_3d_axes():
    rng = np.random.default_rng(7)
    p = rng.random((3, 4, 500)).transpose(2, 0, 1)
    for axis in (None, 0, 1, 2, (0, 1), (0, 2), (1, 2)):
        want = ref_reduce(ref_terms_entropy(p, "omit"), axis)
        assert_close(ib.entropy(p, axis=axis), want)


def test_empty_inputs():
    assert ib.entropy([]) == 0.0
    assert isinstance(ib.entropy([]), np.float64)
    assert ib.kl_divergence([], []) == 0.0
    np.testing.assert_array_equal(ib.entropy(np.empty((3, 0)), axis=1), np.zeros(3))
    assert ib.entropy(np.empty((0, 4)), axis=1).shape == (0,)
    assert ib.entropy(np.empty((0, 4)), axis=0).shape == (4,)
    assert ib.jensen_shannon_divergence([], []) == 0.0
    assert ib.entropy(np.empty((2, 0)), axis=1, keepdims=True).shape == (2, 1)


def test_scalar_and_0d():
    assert math.isclose(ib.entropy(0.5), 0.5)
    assert math.isclose(ib.entropy(np.array(0.5)), 0.5)


def test_long_row_chunks_and_accuracy():
    """Rows longer than one chunk; accuracy no worse than numpy.sum."""
    rng = np.random.default_rng(8)
    n = 1_000_003
    p = rng.random(n) * np.exp(rng.uniform(-30, 0, n))
    t = ref_terms_entropy(p, "omit")
    exact = math.fsum(t.tolist())
    err_np = abs(np.sum(t) - exact)
    got = ib.entropy(p, base="nats")
    # our log differs from numpy's by <= 1 ulp per term: allow that on top
    term_err = np.sum(np.abs(t)) * 2 * np.finfo(float).eps
    assert abs(got - exact) <= err_np + term_err
    # float32 input accumulates in float64
    p32 = p.astype(np.float32)
    t32 = ref_terms_entropy(p32.astype(np.float64), "omit")
    exact32 = math.fsum(t32.tolist())
    assert abs(ib.entropy(p32, base="nats") - exact32) <= 1e-6 * abs(exact32)
    assert abs(np.sum(t32.astype(np.float32), dtype=np.float32) - exact32) > abs(ib.entropy(p32, base="nats") - exact32)


def test_base_options():
    p = [0.25, 0.75]
    nats = ib.entropy(p, base=None)
    assert math.isclose(ib.entropy(p, base="nats"), nats)
    assert math.isclose(ib.entropy(p, base=math.e), nats)
    assert math.isclose(ib.entropy(p), nats / math.log(2))
    assert math.isclose(ib.entropy(p, base="bits"), nats / math.log(2))
    assert math.isclose(ib.entropy(p, base="bans"), nats / math.log(10))
    assert math.isclose(ib.entropy(p, base=3.5), nats / math.log(3.5))
    for bad in (1, 1.0, 0, -2, "furlongs", float("nan"), float("inf"), True, [2]):
        with pytest.raises(ValueError, match="base"):
            ib.entropy(p, base=bad)


# ---------------------------------------------------------------- nan_policy
def test_nan_policy_semantics():
    p = np.array([0.5, 0.0, np.nan, 0.25, -0.25])
    omit = ib.entropy(p, nan_policy="omit")
    assert math.isclose(omit, 0.5 + 0.5)
    # a negative entry raises under "propagate" (the default), a NaN alone
    # propagates
    with pytest.raises(ValueError, match=r"p must hold probabilities .* -0\.25 at index 4"):
        ib.entropy(p, nan_policy="propagate")
    assert np.isnan(ib.entropy(p[:4], nan_policy="propagate"))
    assert np.isnan(ib.entropy(p[:4]))
    assert ib.entropy([0.5, 0.0, 0.5], nan_policy="propagate") == 1.0
    with pytest.raises(ValueError, match=r"p .*index 2"):
        ib.entropy(p, nan_policy="raise")
    with pytest.raises(ValueError, match=r"index \(1, 0\)"):
        ib.entropy([[0.5, 0.5], [-1.0, 0.1]], nan_policy="raise")
    with pytest.raises(ValueError, match=r"q .*index 1"):
        ib.kl_divergence([0.5, 0.5], [0.5, np.nan], nan_policy="raise")
    with pytest.raises(ValueError, match=r"p_x"):
        ib.conditional_entropy([[0.5, 0.5]], [np.nan, 1.0], nan_policy="raise")
    with pytest.raises(ValueError, match=r"p_y"):
        ib.mutual_information([[0.5, 0.5]], [[1.0]], [[0.5, -0.5]], nan_policy="raise")
    with pytest.raises(ValueError, match=r"p_xy .*index \(0, 1\)"):
        ib.mutual_information([[0.5, np.nan]], nan_policy="raise")
    assert ib.entropy([0.5, 0.5], nan_policy="raise") == 1.0
    for bad in ("ignore", None, 1):
        with pytest.raises(ValueError, match="nan_policy"):
            ib.entropy(p, nan_policy=bad)


def test_nan_policy_axis():
    p = np.array([[0.5, np.nan], [0.5, 0.5]])
    r = ib.entropy(p, axis=1, nan_policy="propagate")
    assert np.isnan(r[0]) and r[1] == 1.0
    np.testing.assert_array_equal(ib.entropy(p, axis=1, nan_policy="omit"), [0.5, 1.0])
    np.testing.assert_array_equal(np.isnan(ib.entropy(p, axis=1)), [True, False])


# ---------------------------------------------------------------- errors
@pytest.mark.parametrize("bad", [np.array([1 + 1j]), np.array(["a"]), np.array([object()]),
                                 np.array(["2020-01-01"], dtype="M8[D]")])
def test_bad_dtypes(bad):
    with pytest.raises(TypeError, match="p must be"):
        ib.entropy(bad)
    with pytest.raises(TypeError, match="q must be"):
        ib.kl_divergence([0.5], bad)
    with pytest.raises(TypeError, match="p_xy must be"):
        ib.mutual_information(bad.reshape(1, 1))


def test_dtype_policy():
    assert math.isclose(ib.entropy([True, False]), 0.0)
    assert ib.entropy(np.array([1, 0], dtype=np.int8)) == 0.0
    # float16 becomes float32, whose entropy takes single-precision logs
    assert math.isclose(ib.entropy(np.array([0.5, 0.5], dtype=np.float16)), 1.0,
                        rel_tol=2.0 ** -23)
    assert math.isclose(ib.entropy(np.array([0.5, 0.5], dtype=np.longdouble)), 1.0)
    # mixed float32/float64
    assert math.isclose(ib.kl_divergence(np.float32([0.5, 0.5]), [0.25, 0.75]),
                        ib.kl_divergence([0.5, 0.5], [0.25, 0.75]), rel_tol=1e-15)


def test_bad_axis():
    with pytest.raises(AxisError):
        ib.entropy(np.ones((2, 2)), axis=2)
    with pytest.raises(AxisError):
        ib.kl_divergence(np.ones(3), np.ones(3), axis=-2)
    with pytest.raises(ValueError):
        ib.entropy(np.ones((2, 2)), axis=(0, 0))
    with pytest.raises(TypeError, match="axis"):
        ib.entropy(np.ones(2), axis=0.5)


def test_shape_errors():
    with pytest.raises(ValueError, match=r"broadcast.*p \(3,\).*q \(2,\)"):
        ib.kl_divergence([0.2, 0.3, 0.5], [0.5, 0.5])
    with pytest.raises(ValueError, match="2-D p_xy"):
        ib.mutual_information([0.5, 0.5])
    with pytest.raises(ValueError, match="2-D p_xy"):
        ib.conditional_entropy(np.ones(2) / 2)
    with pytest.raises(ValueError, match="2-D p_xy"):
        ib.pointwise_mutual_information([0.5, 0.5])


def test_inputs_not_modified():
    rng = np.random.default_rng(9)
    p = rng.random((20, 30))
    q = rng.random((20, 30))
    p[0, 0] = np.nan
    p32 = p.astype(np.float32)
    copies = [a.copy() for a in (p, q, p32)]
    ib.entropy(p, axis=1)
    ib.entropy(p32)
    ib.kl_divergence(p, q, axis=0)
    ib.mutual_information(q)
    ib.conditional_entropy(q)
    ib.pointwise_mutual_information(q, normalized=True)
    ib.jensen_shannon_divergence(p, q)
    ib.self_information(p)
    for a, c in zip((p, q, p32), copies):
        np.testing.assert_array_equal(a, c)


# ---------------------------------------------------------------- determinism
def test_thread_count_does_not_change_results():
    rng = np.random.default_rng(10)
    p = rng.random(3_000_000)
    q = rng.random(3_000_000)
    old = ib.get_num_threads()
    try:
        ib.set_num_threads(1)
        r1 = (ib.entropy(p), ib.kl_divergence(p, q), ib.entropy(p.reshape(300, -1), axis=1))
        ib.set_num_threads(2)
        r2 = (ib.entropy(p), ib.kl_divergence(p, q), ib.entropy(p.reshape(300, -1), axis=1))
    finally:
        ib.set_num_threads(old)
    for a, b in zip(r1, r2):
        np.testing.assert_array_equal(a, b)


def test_simd_paths_bitwise_identical():
    from infobits import _config, _core

    levels = _core._simd_levels()
    if len(levels) < 2:
        pytest.skip("only the baseline SIMD path runs on this CPU")
    rng = np.random.default_rng(11)
    p = rng.random(200_001)
    q = rng.random(200_001)
    p[::17] = 0
    old = _core._get_simd_level()
    res = {}
    try:
        for lv in levels:
            _config._set_simd_path(lv)
            res[lv] = (ib.entropy(p), ib.kl_divergence(p, q), ib.mutual_information(p[:200_000].reshape(400, -1)),
                       ib.jensen_shannon_divergence(p, q), ib.entropy(p.astype(np.float32)))
    finally:
        _config._set_simd_path(old)
    first = res[levels[0]]
    for lv in levels[1:]:
        for a, b in zip(first, res[lv]):
            assert a.tobytes() == b.tobytes(), lv


def test_thread_api_errors():
    with pytest.raises(ValueError):
        ib.set_num_threads(0)
    with pytest.raises(TypeError):
        ib.set_num_threads(1.5)


def test_threadpoolctl_controls_threads():
    threadpoolctl = pytest.importorskip("threadpoolctl")
    import infobits._core  # noqa: F401  (load libgomp)

    with threadpoolctl.threadpool_limits(1, user_api="openmp"):
        assert ib.get_num_threads() == 1


def test_openmp_linked():
    import os

    from infobits import _core

    if os.environ.get("INFOBITS_OPENMP", "1") == "0":
        pytest.skip("built without OpenMP on purpose")
    assert _core._openmp_enabled()


def test_reductions_allocate_no_input_sized_temporaries():
    import tracemalloc

    rng = np.random.default_rng(12)
    p = rng.random((1000, 1000))
    q = rng.random((1000, 1000))
    p /= p.sum()
    q /= q.sum()
    px = p.sum(1, keepdims=True)
    py = p.sum(0, keepdims=True)
    pr = p / p.sum(1, keepdims=True)
    p2 = p / p[:, ::2].sum()
    calls = [lambda: ib.entropy(p), lambda: ib.entropy(pr, axis=1), lambda: ib.entropy(pr.T, axis=0),
             lambda: ib.kl_divergence(p, q), lambda: ib.kl_divergence(pr, pr[0], axis=1),
             lambda: ib.mutual_information(p, px, py), lambda: ib.mutual_information(p),
             lambda: ib.conditional_entropy(p), lambda: ib.jensen_shannon_divergence(p, q),
             lambda: ib.entropy(p2[::-1, ::2], axis=None)]
    for f in calls:
        f()
        tracemalloc.start()
        try:
            f()
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
        assert peak < p.nbytes / 50, peak


# ------------------------------------------------- fast path / full path split
# Blocks whose operands are all zeros or "ordinary" positive normals take a
# kernel path without subnormal/special-value handling; others take the full
# path.  These tests put values on both sides of each path's operand ranges
# (csrc/ib_reduce_path.h) and compare with mpmath at 60 digits (zeros and
# infinities: the IEEE values of the plain formula, as documented), and check
# that the two paths give bitwise the same terms.
_TINY = np.finfo(np.float64).tiny
_EDGES = [0.0, 5e-324, _TINY / 2, _TINY, 2 * _TINY, 2.0**-600, 2.0**-511, 2.0**-510,
          2.0**-500, 2.0**-341, 2.0**-340, 1e-3, 0.25, 1.0, 3.0, 2.0**340, 2.0**341,
          2.0**500, 2.0**511, 2.0**512, 2.0**969, 2.0**969.4, 2.0**969.6, 2.0**970,
          2.0**1000, np.finfo(np.float64).max, np.inf]


def _pairs():
    v, w = np.meshgrid(_EDGES, _EDGES, indexing="ij")
    return v.ravel(), w.ravel()


def _mp_term(kind, p, *d):
    """One term in nats with nan_policy="omit": mpmath (60 digits) for
    positive finite operands, else the IEEE value of the plain formula
    (0 log 0 and NaN terms dropped).  Returns (value, |value|)."""
    import mpmath

    if p == 0:
        return 0.0, 0.0
    ops = (p,) + d
    if all(0 < x < np.inf for x in ops):
        with mpmath.workdps(60):
            P, D = (mpmath.mpf(x) for x in (p, math.prod(mpmath.mpf(x) for x in d)))
            v = P * mpmath.log(P / D) * (-1 if kind == "entr" else 1)
            big = mpmath.mpf(np.finfo(np.float64).max)
            val = float(v) if abs(v) <= big else math.copysign(math.inf, v)
        return val, abs(val)
    with np.errstate(all="ignore"):
        if kind == "entr":
            v = -p * np.log(p)
        else:
            v = p * np.log(p / math.prod(d))
    v = 0.0 if np.isnan(v) else float(v)
    return v, abs(v)


def _assert_terms(got, wants, base=LN2):
    """got[i] vs the sum of the exact terms wants[i] (list of (v, |v|)),
    converted to base: within 2e-15 of sum|terms| plus 1e-320."""
    for g, terms in zip(np.atleast_1d(got), wants):
        exact = sum(t[0] for t in terms)
        scale = sum(t[1] for t in terms)
        want = exact / base
        if math.isinf(want) or math.isnan(want):
            assert (g == want) or (np.isnan(g) and np.isnan(want)), (g, want, terms)
        else:
            assert abs(g - want) <= 2e-15 * scale / base + 1e-320, (g, want, terms)


def test_entropy_operand_ranges():
    # one row per edge value, the other entries zero: the row's entropy is
    # that value's term alone, so a wrong term cannot hide in a sum
    e = np.array(_EDGES)
    p = np.zeros((len(e), 9))
    p[:, 4] = e
    # nan_policy="omit": no probability checks, so the terms can be tested
    # over the whole double range
    _assert_terms(ib.entropy(p, axis=1, nan_policy="omit"), [[_mp_term("entr", v)] for v in e])


def test_kl_operand_ranges():
    v, w = _pairs()
    p = np.zeros((len(v), 9))
    q = np.full((len(v), 9), 0.5)
    p[:, 4], q[:, 4] = v, w
    _assert_terms(ib.kl_divergence(p, q, axis=1, nan_policy="omit"),
                  [[_mp_term("kl", a, b)] for a, b in zip(v, w)])


@pytest.mark.parametrize("fixed", [1, 2])
@pytest.mark.filterwarnings("ignore:mutual_information.*does not match:RuntimeWarning")
def test_mi_operand_ranges(fixed):
    # p_xy has one non-zero entry; two of its three operands sweep the edge
    # values pairwise, the third is 0.3
    for v, w in zip(*_pairs()):
        pxy = np.zeros((3, 3))
        px, py = np.full((3, 1), 0.3), np.full((1, 3), 0.3)
        pxy[1, 2] = v
        (py if fixed == 1 else px).flat[1 if fixed == 2 else 2] = w
        want = [_mp_term("mi", pxy[1, 2], px[1, 0], py[0, 2])]
        _assert_terms(ib.mutual_information(pxy, px, py, nan_policy="omit"), [want])


def test_js_operand_ranges():
    v, w = _pairs()
    p = np.zeros((len(v), 9))
    q = np.zeros((len(v), 9))
    p[:, 4], q[:, 4] = v, w
    p[:, 6] = 0.5
    wants = []
    fixed = (0.5 * 0.5 * LN2, 0.5 * 0.5 * LN2)
    for a, b in zip(v, w):
        if np.isfinite(a) and np.isfinite(b) and (a > 0 or b > 0):
            # the two halves x log(x/m) / 2 against the exact mean m: the
            # issue's bound is relative to the sum of their magnitudes
            import mpmath

            with mpmath.workdps(60):
                M = (mpmath.mpf(a) + mpmath.mpf(b)) / 2
                halves = [float(mpmath.mpf(x) * mpmath.log(mpmath.mpf(x) / M) / 2)
                          for x in (a, b) if x]
            wants.append([(h, abs(h)) for h in halves] + [fixed])
        else:
            with np.errstate(all="ignore"):
                m = 0.5 * a + 0.5 * b
                t = 0.5 * ((a * np.log(a / m) if a else 0.0) + (b * np.log(b / m) if b else 0.0))
            t = 0.0 if np.isnan(t) else t           # "omit" leaves NaN terms out
            wants.append([(t, abs(t)), fixed])
    got = ib.jensen_shannon_divergence(p, q, axis=1, nan_policy="omit")
    _assert_terms(got, wants)


@pytest.mark.filterwarnings("ignore:mutual_information.*does not match:RuntimeWarning")
def test_fast_and_full_paths_bitwise_equal():
    # One block of ordinary values takes the fast path; the same block with
    # one NaN appended (dropped by nan_policy="omit", a zero term) takes the
    # full path.  The sums must agree to the last bit.
    rng = np.random.default_rng(34)
    for n in (1, 7, 64, 100, 127):
        p, q = rng.random(n), rng.random(n)
        p[::5] = 0.0
        pn, qn = np.append(p, np.nan), np.append(q, 0.5)
        a, b = ib.entropy(p), ib.entropy(pn, nan_policy="omit")
        assert a.tobytes() == b.tobytes(), n
        a, b = ib.kl_divergence(p, q), ib.kl_divergence(pn, qn, nan_policy="omit")
        assert a.tobytes() == b.tobytes(), n
        # JS has no nan_policy: append p = q = 2^-600 instead, outside the
        # fast range (so the block takes the full path) with a term of
        # exactly 0 (p/m = 1)
        t = 2.0**-600
        a = ib.jensen_shannon_divergence(p, q)
        b = ib.jensen_shannon_divergence(np.append(p, t), np.append(q, t))
        assert a.tobytes() == b.tobytes(), n
        px, py = rng.random((n, 1)), rng.random((1, 1))
        a = ib.mutual_information(p.reshape(n, 1), px, py)
        b = ib.mutual_information(np.append(p, np.nan).reshape(n + 1, 1),
                                  np.append(px, 0.5).reshape(n + 1, 1), py,
                                  nan_policy="omit")
        assert a.tobytes() == b.tobytes(), n


@pytest.mark.parametrize("policy", ["omit", "propagate"])
@pytest.mark.filterwarnings("ignore:mutual_information.*does not match:RuntimeWarning")
def test_negative_operand_pairs(policy):
    # a negative p over a negative q (or p_x p_y) has a positive ratio: the
    # kernels must still see the signs (propagate: NaN; omit: the d2l chapter's
    # formula counts the pair), in blocks that are otherwise ordinary
    rng = np.random.default_rng(35)
    p, q = rng.random(50), rng.random(50)
    p[9], q[9] = -0.5, -0.25
    if policy == "propagate":
        # negative entries are outside the probability range: an error
        with pytest.raises(ValueError, match=r"p must hold probabilities .* at index 9"):
            ib.kl_divergence(p, q, nan_policy=policy)
        return
    want = ref_reduce(ref_terms_kl(p, q, policy), None)
    assert_close(ib.kl_divergence(p, q, nan_policy=policy), want, rtol=1e-13, atol=0)
    pxy = rng.random((5, 6))
    px, py = rng.random((5, 1)), rng.random((1, 6))
    px[2], py[0, 3] = -0.5, -0.4
    with np.errstate(invalid="ignore"):
        t = pxy * np.log(pxy / (px * py))
    if policy == "propagate":
        assert np.isnan(ib.mutual_information(pxy, px, py, nan_policy=policy))
    else:
        want = np.where(np.isnan(t), 0.0, t).sum() / LN2
        assert_close(ib.mutual_information(pxy, px, py, nan_policy=policy), want, rtol=1e-13, atol=0)


@pytest.mark.parametrize("n", [5, 127, 1000, 20000])
def test_kl_of_signed_samples_omit(n):
    """KL under "omit" on samples of either sign (the d2l chapter's KL of
    normal samples): the terms where p and q share a sign count, the others
    (NaN in the chapter's formula) are left out.  A block of such values
    takes a short path; a NaN forces the general one, with the same bits."""
    rng = np.random.default_rng(n)
    x = np.sort(rng.normal(0, 1, n))
    y = np.sort(rng.normal(1, 1, n))
    x[rng.random(n) < 0.05] = 0.0
    with np.errstate(all="ignore"):
        t = x * np.log2(x / y)
    want = math.fsum(t[~np.isnan(t)].tolist())
    got = ib.kl_divergence(x, y, nan_policy="omit")
    assert math.isclose(got, want, rel_tol=1e-12, abs_tol=1e-12 * np.nansum(np.abs(t)))
    # the same values with one NaN (general path for its block) or a zero
    # (short path) appended: the same bits
    a = ib.kl_divergence(np.append(x, np.nan), np.append(y, 1.0), nan_policy="omit")
    b = ib.kl_divergence(np.append(x, 0.0), np.append(y, 1.0), nan_policy="omit")
    assert np.float64(a).tobytes() == np.float64(b).tobytes()
    # and along axis 0 of a table (the outer-axis path)
    tab = np.stack([x, -x, x[::-1]] * 6, axis=1)
    tq = np.stack([y, y, -y] * 6, axis=1)
    rows = ib.kl_divergence(tab, tq, axis=0, nan_policy="omit")
    cols = ib.kl_divergence(np.ascontiguousarray(tab.T), np.ascontiguousarray(tq.T), axis=1,
                            nan_policy="omit")
    assert rows.tobytes() == cols.tobytes()
