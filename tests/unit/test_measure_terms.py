"""KL, JS and MI terms over the whole double range and for nearly equal
operands, against mpmath at 60 digits (and SciPy's own rel_entr test values).

Each single term p log(p/q) (and the JS and MI terms) must be within 1e-15
relative plus 1e-320 absolute of the exact value for the operands as given;
a term beyond DBL_MAX is +-inf.  Sums must be within (log2 n + 4) u
sum|terms| of the exact sum (u = 2^-53), where the terms are the individual
p log(p/d) parts.
"""
import itertools
import math

import numpy as np
import pytest

import infobits as ib

mp = pytest.importorskip("mpmath")

# The MI terms use arbitrary marginals on purpose (single terms, near
# independence): the marginal check's warning is expected and not tested here.
pytestmark = pytest.mark.filterwarnings(
    "ignore:mutual_information.*does not match:RuntimeWarning")

TINY = np.finfo(np.float64).tiny
BIG = np.finfo(np.float64).max
GRID = [5e-324, 1e-320, TINY, 1e-300, 1e-200, 1e-10, 0.5, 1.0, 1e10, 1e200, 1e300, BIG]
U = 2.0**-53


@pytest.fixture(autouse=True)
def _dps():
    old = mp.mp.dps
    mp.mp.dps = 60
    yield
    mp.mp.dps = old


def _to_double(x):
    if abs(x) > mp.mpf(BIG):
        return math.copysign(math.inf, x)
    return float(x)


def _check_term(got, exact, what):
    want = _to_double(exact)
    if math.isinf(want):
        assert got == want, (what, got, want)
    else:
        assert abs(got - want) <= 1e-15 * abs(want) + 1e-320, (what, got, want)


def kl_term(p, q):
    p, q = mp.mpf(p), mp.mpf(q)
    return p * mp.log(p / q)


def js_parts(p, q):
    p, q = mp.mpf(p), mp.mpf(q)
    m = (p + q) / 2
    return [p * mp.log(p / m) / 2 if p else mp.mpf(0), q * mp.log(q / m) / 2 if q else mp.mpf(0)]


def mi_term(p, x, y):
    p, x, y = mp.mpf(p), mp.mpf(x), mp.mpf(y)
    return p * mp.log(p / (x * y))


# ------------------------------------------------------- every single term
def test_kl_every_term_of_the_grid():
    for p, q in itertools.product(GRID, GRID):
        got = float(ib.kl_divergence([p], [q], base="nats", nan_policy="omit"))
        _check_term(got, kl_term(p, q), ("kl", p, q))


def test_kl_grid_terms_in_one_batch():
    # the same terms as rows of one call (K outputs, the full path per block)
    pq = np.array(list(itertools.product(GRID, GRID)))
    got = ib.kl_divergence(pq[:, :1], pq[:, 1:], base="nats", axis=1, nan_policy="omit")
    for (p, q), g in zip(pq, got):
        _check_term(float(g), kl_term(p, q), ("kl batch", p, q))


def test_js_every_term_of_the_grid():
    for p, q in itertools.product(GRID, GRID):
        got = float(ib.jensen_shannon_divergence([p], [q], base="nats", nan_policy="omit"))
        _check_term(got, sum(js_parts(p, q)), ("js", p, q))


def test_mi_every_term_of_the_grid():
    for p, x, y in itertools.product(GRID, GRID, GRID):
        got = float(ib.mutual_information([[p]], [[x]], [[y]], base="nats", nan_policy="omit"))
        _check_term(got, mi_term(p, x, y), ("mi", p, x, y))


# --------------------------------------------------- the issue's examples
def test_ratio_overflow_and_underflow_examples():
    # p/q overflows: scipy.special.rel_entr's sum is 367.7204732649271
    got = ib.kl_divergence([0.5, 0.5], [1.0, 1e-320], base="nats", nan_policy="omit")
    want = kl_term(0.5, 1.0) + kl_term(0.5, 1e-320)
    assert math.isclose(got, float(want), rel_tol=1e-15)
    assert math.isclose(got, 367.7204732649271, rel_tol=1e-15)
    # p/q underflows to 0: the term is about -1.15e-317, not -inf
    got = ib.kl_divergence([1e-320, 1.0], [4e180, 1.0], base="nats", nan_policy="omit")
    want = _to_double(kl_term(1e-320, 4e180))
    assert abs(got - want) <= 1e-320 and got < 0
    # a subnormal ratio loses its digits: DBL_MIN / 1e10
    got = ib.kl_divergence([TINY], [1e10], base="nats", nan_policy="omit")
    assert math.isclose(got, float(kl_term(TINY, 1e10)), rel_tol=1e-15)
    # p_x p_y underflows in MI with derived marginals
    t = 1e-170
    P = np.array([[t, t], [t, 1 - 3 * t]])
    px, py = P.sum(1), P.sum(0)
    want = sum(mi_term(P[i, j], px[i], py[j]) for i in range(2) for j in range(2))
    got = ib.mutual_information(P, base="nats", nan_policy="omit")
    assert math.isfinite(got)
    assert math.isclose(got, float(want), rel_tol=1e-14)


def test_scipy_rel_entr_gh_20710_cases():
    # scipy/special/tests/test_basic.py: test_rel_entr_gh_20710_near_zero and
    # _overflow (expected values from x * mpmath.log(x / y) at dps=30)
    cases = [
        (0.9456657713430001, 0.9456657713430094, -9.325873406851269e-15),
        (0.48066098564791515, 0.48066098564794774, -3.258504577274724e-14),
        (0.786048657854401, 0.7860486578542367, 1.6431300764454033e-13),
        (4, 2.22e-308, 2839.139983229607),
        (1e-200, 1e+200, -9.210340371976183e-198),
        (2.22e-308, 1e15, -1.6493212008074475e-305),
    ]
    x = np.array([c[0] for c in cases], dtype=np.float64)
    y = np.array([c[1] for c in cases])
    want = np.array([c[2] for c in cases])
    for i in range(len(cases)):
        got = ib.kl_divergence(x[i:i + 1], y[i:i + 1], base="nats", nan_policy="omit")
        np.testing.assert_allclose(got, want[i], rtol=1e-13, atol=0)
    np.testing.assert_allclose(ib.kl_divergence(x[:, None], y[:, None], axis=1, base="nats", nan_policy="omit"),
                               want, rtol=1e-13, atol=0)


# ------------------------------------------------------ nearly equal operands
def _bound(parts):
    n = len(parts)
    return (math.log2(max(n, 1)) + 4) * U * float(sum(abs(t) for t in parts))


def test_near_equal_table_of_the_issue():
    for d in (1e-6, 1e-8, 1e-10, 1e-12, 1e-14):
        p = np.array([0.3 + d, 0.7 - d])
        q = np.array([0.3, 0.7])
        parts = [kl_term(a, b) for a, b in zip(p, q)]
        got = ib.kl_divergence(p, q, base="nats")
        assert abs(got - float(sum(parts))) <= _bound(parts), (d, got, float(sum(parts)))
        assert got >= 0
        parts = [t for a, b in zip(p, q) for t in js_parts(a, b)]
        got = ib.jensen_shannon_divergence(p, q, base="nats")
        assert abs(got - float(sum(parts))) <= _bound(parts), d


def _perturbed(rng, n, scale):
    p = rng.random(n) + 0.05
    p /= p.sum()
    q = p * (1 + scale * rng.standard_normal(n))
    return p, np.abs(q)


@pytest.mark.parametrize("scale", [1e-3, 1e-7, 1e-11, 1e-14])
def test_random_near_equal_sums_within_bound(scale):
    rng = np.random.default_rng(int(-math.log10(scale)))
    for _ in range(12):
        n = int(rng.integers(1, 300))
        p, q = _perturbed(rng, n, scale)
        parts = [kl_term(a, b) for a, b in zip(p, q)]
        got = ib.kl_divergence(p, q, base="nats", nan_policy="omit")
        assert abs(got - float(sum(parts))) <= _bound(parts), (n, scale)
        jparts = [t for a, b in zip(p, q) for t in js_parts(a, b)]
        exact = float(sum(jparts))
        got = ib.jensen_shannon_divergence(p, q, base="nats", nan_policy="omit")
        assert abs(got - max(exact, 0.0)) <= _bound(jparts), (n, scale)
        # MI with given marginals of a nearly independent joint
        nx = int(rng.integers(1, 20))
        ny = max(n // nx, 1)
        px = rng.random((nx, 1)) + 0.1
        py = rng.random((1, ny)) + 0.1
        pxy = px * py * (1 + scale * rng.standard_normal((nx, ny)))
        parts = [mi_term(pxy[i, j], px[i, 0], py[0, j]) for i in range(nx) for j in range(ny)]
        got = ib.mutual_information(pxy, px, py, base="nats", nan_policy="omit")
        assert abs(got - float(sum(parts))) <= _bound(parts), (nx, ny, scale)


def test_kl_of_distributions_never_negative():
    # q is p with mass moved exactly between entries: both sum to the same
    # exact value, so the exact KL is positive, however small
    rng = np.random.default_rng(5)
    for _ in range(200):
        n = int(rng.integers(2, 200))
        p = np.round(rng.random(n) + 0.1, 6) * 2.0**-8
        q = p.copy()
        i, j = rng.choice(n, 2, replace=False)
        d = 2.0**-int(rng.integers(40, 60))
        q[i] += d
        q[j] -= d
        assert q[i] - p[i] == d and p[j] - q[j] == d     # exact transfer
        assert ib.kl_divergence(p, q) >= 0
        assert ib.kl_divergence(q, p) >= 0
        assert ib.jensen_shannon_divergence(p, q) >= 0


# ------------------------------------------------ paths agree to the last bit
def test_near_equal_fast_and_full_paths_bitwise_equal():
    # a block of ordinary values takes the fast path; appending a value
    # outside its range (a zero-term: p = 0 under omit, or 2^-600 twice for
    # JS) sends the same terms through the full path
    rng = np.random.default_rng(6)
    for n in (1, 5, 8, 9, 64, 127):
        for scale in (1e-2, 1e-9, 1e-15):
            p, q = _perturbed(rng, n, scale)
            a = ib.kl_divergence(p, q, nan_policy="omit")
            b = ib.kl_divergence(np.append(p, np.nan), np.append(q, 0.5), nan_policy="omit")
            assert a.tobytes() == b.tobytes(), (n, scale)
            t = 2.0**-600
            a = ib.jensen_shannon_divergence(p, q, nan_policy="omit")
            b = ib.jensen_shannon_divergence(np.append(p, t), np.append(q, t), nan_policy="omit")
            assert a.tobytes() == b.tobytes(), (n, scale)
            px, py = rng.random((n, 1)) + 0.1, rng.random((1, 1)) + 0.1
            pxy = px * py * (1 + scale * rng.standard_normal((n, 1)))
            a = ib.mutual_information(pxy, px, py, nan_policy="omit")
            b = ib.mutual_information(np.append(pxy, np.nan).reshape(n + 1, 1),
                                      np.append(px, 0.5).reshape(n + 1, 1), py, nan_policy="omit")
            assert a.tobytes() == b.tobytes(), (n, scale)


def test_simd_paths_agree_on_near_equal_mi():
    # the two-product is one fma on the x86-64-v3 path and Dekker's product
    # on the baseline path: both exact, so the same bits
    from infobits import _config, _core

    levels = _core._simd_levels()
    if len(levels) < 2:
        pytest.skip("only the baseline SIMD path runs on this CPU")
    rng = np.random.default_rng(7)
    px = rng.random((300, 1)) + 0.1
    py = rng.random((1, 200)) + 0.1
    pxy = px * py * (1 + 1e-12 * rng.standard_normal((300, 200)))
    pxy[::7, ::3] = px[::7] * py[:, ::3]          # exactly rounded products
    tiny = pxy * 1e-300                           # the full path
    p, q = _perturbed(rng, 10_001, 1e-9)
    old = _core._get_simd_level()
    res = {}
    try:
        for lv in levels:
            _config._set_simd_path(lv)
            res[lv] = (ib.mutual_information(pxy, px, py, nan_policy="omit"),
                       ib.mutual_information(tiny, px * 1e-150, py * 1e-150, nan_policy="omit"),
                       ib.kl_divergence(p, q, nan_policy="omit"), ib.jensen_shannon_divergence(p, q, nan_policy="omit"))
    finally:
        _config._set_simd_path(old)
    first = res[levels[0]]
    for lv in levels[1:]:
        for a, b in zip(first, res[lv]):
            assert a.tobytes() == b.tobytes(), lv
