"""Reliability battery, part 1: accuracy against mpmath and an extended-precision sum.

Elementwise kernels: every public elementwise function and the compiled
vector log/exp hooks of ``infobits._core`` / ``infobits._numerics`` are
compared with mpmath at 40 significant digits, correctly rounded to the
output format (subnormals rounded at their fixed exponent).  The error is
the integer distance in ulps between our result and that correctly rounded
value (the distance of the IEEE bit patterns).  Limits: 2 ulp in float64,
1 float32 ulp in float32.  The default suite uses 2 * 10^4 points per
kernel; ``-m reliability`` uses 10^5.

Reductions: entropy, KL, JS, MI, logsumexp and cross-entropy against a
reference whose terms are computed in x87 extended precision (64-bit
significand, NumPy ``longdouble``, a different log and exp from ours) and
summed pairwise in extended precision; for small n the reference is also
checked against mpmath with ``math.fsum``.  The bound is
``(log2 n + 4) * u * sum|terms|`` with ``u = 2^-53`` (see docs/reliability.md
for what the terms of logsumexp and cross-entropy are).  n up to 10^5 in the
default suite, 10^6 and 10^7 with ``-m reliability``.
"""
from __future__ import annotations

import math
import warnings

import numpy as np
import pytest

import infobits as ib
import infobits._core as core
import infobits._numerics as cnum

mpmath = pytest.importorskip("mpmath")

U = 2.0 ** -53
LD = np.longdouble
pytestmark = pytest.mark.skipif(np.finfo(LD).nmant < 63, reason="needs an 80-bit longdouble reference")

N_DEFAULT, N_FULL = 20_000, 100_000
SIZES = [pytest.param(N_DEFAULT, id="2e4"),
         pytest.param(N_FULL, id="1e5", marks=pytest.mark.reliability)]


# ---------------------------------------------------------------- rounding
def _round_mpf(v, fmt):
    """Correctly rounded value of the mpf v in float64 ('d') or float32 ('f')."""
    prec, emin, big = (53, -1022, float(np.finfo(np.float64).max)) if fmt == "d" else \
        (24, -126, float(np.finfo(np.float32).max))
    if mpmath.isnan(v):
        return math.nan
    if mpmath.isinf(v):
        return float(v)
    if v == 0:
        return 0.0
    a = abs(v)
    if a < mpmath.ldexp(1, emin):                      # subnormal: fixed exponent
        q = emin - prec + 1
        r = float(mpmath.nint(mpmath.ldexp(v, -q))) * 2.0 ** q
        return r
    with mpmath.workprec(prec):
        r = +v
    # overflow threshold: halfway between max and 2^(emax+1)
    if abs(r) > mpmath.mpf(big):
        return math.copysign(math.inf, float(v))
    return float(r)


def _ordered(a, fmt):
    a = np.asarray(a, dtype=np.float64 if fmt == "d" else np.float32)
    it, mask = (np.int64, 0x7FFFFFFFFFFFFFFF) if fmt == "d" else (np.int32, 0x7FFFFFFF)
    i = a.view(it).astype(np.int64)
    mag = i & mask
    return np.where(i < 0, -mag, mag)


def ulp_dist(ours, ref, fmt):
    """Integer ulp distance (NaN matches NaN; NaN vs a number is 2^62)."""
    ours = np.asarray(ours, dtype=np.float64 if fmt == "d" else np.float32)
    ref = np.asarray(ref, dtype=ours.dtype)
    d = np.abs(_ordered(ours, fmt) - _ordered(ref, fmt))
    nn = np.isnan(ours) | np.isnan(ref)
    return np.where(nn, np.where(np.isnan(ours) & np.isnan(ref), 0, 2 ** 62), d)


# ---------------------------------------------------------------- samples
def _bits64(rng, lo, hi, n):
    return rng.integers(lo, hi, n, dtype=np.uint64).view(np.float64)


def positive_f64(n, seed):
    """Positive doubles over the whole range: uniform bit patterns (every
    binade), 5% subnormals, 20% probabilities in (0, 1], 5% near 1."""
    rng = np.random.default_rng(seed)
    parts = [_bits64(rng, 1, 0x7FF0000000000000, n - n // 20 * 2 - n // 5),
             _bits64(rng, 1, 0x0010000000000000, n // 20),
             rng.uniform(0, 1, n // 5),
             1.0 + rng.uniform(-1e-6, 1e-6, n // 20)]
    x = np.concatenate(parts)
    return x[x > 0]


def real_f64(n, seed):
    """Real doubles over the whole range, both signs, subnormals, and a
    dense band in [-50, 50] where softplus is not trivially x or exp(x)."""
    rng = np.random.default_rng(seed)
    k = n // 4
    x = np.concatenate([_bits64(rng, 1, 0x7FF0000000000000, n - 3 * k) * rng.choice([-1.0, 1.0], n - 3 * k),
                        rng.uniform(-50, 50, k), rng.uniform(-800, 800, k),
                        _bits64(rng, 1, 0x0010000000000000, k) * rng.choice([-1.0, 1.0], k)])
    return x


def positive_f32(n, seed):
    rng = np.random.default_rng(seed)
    x = np.concatenate([rng.integers(1, 0x7F800000, n - n // 5, dtype=np.uint32).view(np.float32),
                        rng.uniform(0, 1, n // 5).astype(np.float32)])
    return x[x > 0]


def real_f32(n, seed):
    rng = np.random.default_rng(seed)
    k = n // 3
    a = rng.integers(1, 0x7F800000, n - 2 * k, dtype=np.uint32).view(np.float32)
    a = a * rng.choice(np.float32([-1, 1]), a.size)
    return np.concatenate([a, rng.uniform(-30, 30, k).astype(np.float32),
                           rng.uniform(-120, 120, k).astype(np.float32)])


# ---------------------------------------------------------------- references
mp = mpmath.mp


def _ref_array(f, xs, fmt, *more):
    with mpmath.workdps(40):
        cols = [np.asarray(a, dtype=np.float64).tolist() for a in (xs, *more)]
        return np.array([_round_mpf(f(*[mpmath.mpf(c) for c in t]), fmt) for t in zip(*cols)],
                        dtype=np.float64)


def _mlog1pexp(x):
    return mpmath.log1p(mpmath.exp(x))


def _mlogsig(x):
    return -mpmath.log1p(mpmath.exp(-x))


LN = {2: mpmath.log(2), "e": 1, 10: mpmath.log(10), 3: mpmath.log(3)}

def _scaled_points(n, seed):
    """x in [-708.39, 0] (exp(x) normal): uniform, plus a tenth of tiny |x|
    (down to subnormal) where exp(x) is 1 to the last bits."""
    rng = np.random.default_rng(seed)
    k = n // 10
    return np.concatenate([-rng.uniform(0, 708.39, n - k), -(2.0 ** rng.uniform(-1074, -1, k))])


# name -> (callable on ndarray, mpmath function, sample generator, format, limit)
ELEMENTWISE = {
    "self_information_f64_b2": (lambda x: ib.self_information(x), lambda t: -mpmath.log(t, 2),
                                positive_f64, "d", 2),
    "self_information_f64_nats": (lambda x: ib.self_information(x, base=None), lambda t: -mpmath.log(t),
                                  positive_f64, "d", 2),
    "self_information_f64_b10": (lambda x: ib.self_information(x, base=10), lambda t: -mpmath.log10(t),
                                 positive_f64, "d", 2),
    "self_information_f64_b3": (lambda x: ib.self_information(x, base=3), lambda t: -mpmath.log(t, 3),
                                positive_f64, "d", 2),
    "self_information_f32_b2": (lambda x: ib.self_information(x), lambda t: -mpmath.log(t, 2),
                                positive_f32, "f", 1),
    "self_information_f32_nats": (lambda x: ib.self_information(x, base=None), lambda t: -mpmath.log(t),
                                  positive_f32, "f", 1),
    "log1pexp_f64": (ib.log1pexp, _mlog1pexp, real_f64, "d", 2),
    "log_sigmoid_f64": (ib.log_sigmoid, _mlogsig, real_f64, "d", 2),
    "log1pexp_f32": (ib.log1pexp, _mlog1pexp, real_f32, "f", 1),
    "log_sigmoid_f32": (ib.log_sigmoid, _mlogsig, real_f32, "f", 1),
    "_core._vec_log": (core._vec_log, mpmath.log, positive_f64, "d", 2),
    "_core._vec_exp": (core._vec_exp, mpmath.exp,
                       lambda n, s: np.random.default_rng(s).uniform(-746, 710, n), "d", 2),
    "_core._vec_log1p": (core._vec_log1p, mpmath.log1p,
                         lambda n, s: np.concatenate([positive_f64(n // 2, s),
                                                      -np.random.default_rng(s).uniform(0, 1, n - n // 2)]),
                         "d", 2),
    "_core._vec_log_f32": (core._vec_log_f32, mpmath.log, positive_f32, "f", 1),
    "_core._vec_exp_f32": (core._vec_exp_f32, mpmath.exp,
                           lambda n, s: np.random.default_rng(s).uniform(-104, 89, n).astype(np.float32),
                           "f", 1),
    "_numerics._vec_exp_scaled": (lambda x: _exp_scaled(x), lambda t: mpmath.exp(t) * mpmath.mpf(2) ** 512,
                                  _scaled_points, "d", 2),
}


def _exp_scaled(x):
    x = np.ascontiguousarray(x, dtype=np.float64)
    y = np.empty_like(x)
    cnum._vec_exp_scaled(x, y)
    return y


# The elementwise results of this run, for docs/reliability.md.
FIGURES: dict = {}


@pytest.mark.parametrize("n", SIZES)
@pytest.mark.parametrize("name", list(ELEMENTWISE))
def test_elementwise_ulp(name, n):
    fn, mf, gen, fmt, limit = ELEMENTWISE[name]
    x = gen(n, sum(map(ord, name)))
    if name == "_numerics._vec_exp_scaled":
        # the hook's domain: x <= 0 where exp(x) is a normal double
        x = x[(x <= 0) & (x >= -708.39)]
    ours = np.asarray(fn(x))
    assert ours.dtype == (np.float64 if fmt == "d" else np.float32)
    ref = _ref_array(mf, x, fmt)
    if name == "_numerics._vec_exp_scaled":
        # defined as exp(x) * 2^512 only where that is a normal double
        keep = np.abs(ref) >= 2.0 ** -1022
        x, ours, ref = x[keep], ours[keep], ref[keep]
    d = ulp_dist(ours, ref, fmt)
    worst = int(np.argmax(d))
    FIGURES[name] = (x.size, int(d.max()))
    assert d.max() <= limit, (f"{name}: {int(d.max())} ulp at x={x[worst]!r}: ours {ours[worst]!r}, "
                              f"mpmath {ref[worst]!r}; {int((d > limit).sum())} of {x.size} over")


def _vec_exp_diff_case(n):
    rng = np.random.default_rng(77)
    m = rng.uniform(-80, 80, n).astype(np.float32)
    x = (m - np.abs(rng.uniform(0, 100, n))).astype(np.float32)
    x = np.minimum(x, m)
    return x, m


@pytest.mark.parametrize("n", SIZES)
def test_vec_exp_diff_f32_ulp(n):
    x, m = _vec_exp_diff_case(n)
    ours = core._vec_exp_diff_f32(x, m)
    ref = _ref_array(lambda a, b: mpmath.exp(a - b), x, "f", m)
    d = ulp_dist(ours, ref, "f")
    FIGURES["_core._vec_exp_diff_f32"] = (x.size, int(d.max()))
    assert d.max() <= 1, (x[np.argmax(d)], m[np.argmax(d)])


# PMI: log_base(p_xy / (p_x p_y)) elementwise, with given marginals (not
# derived, so that any ratio can be reached).
def _pmi_case(n, seed, extreme):
    rng = np.random.default_rng(seed)
    if extreme:
        # operands over the whole positive range (products and ratios over-
        # and underflow in double)
        a, bx, by = (positive_f64(n, seed + i)[:n] for i in range(3))
        m = min(a.size, bx.size, by.size)
        return a[:m], bx[:m], by[:m]
    a = rng.uniform(0, 1, n)
    bx = rng.uniform(1e-3, 1, n)
    by = rng.uniform(1e-3, 1, n)
    # ratios near 1: p_xy = p_x p_y (1 + small)
    k = n // 4
    a[:k] = bx[:k] * by[:k] * (1 + rng.uniform(-1e-6, 1e-6, k))
    return a, bx, by


def _pmi(a, bx, by, base):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)   # given marginals don't sum to the joint
        return ib.pointwise_mutual_information(a, bx, by, base=base)


@pytest.mark.parametrize("n", SIZES)
@pytest.mark.parametrize("extreme", [False, True], ids=["ordinary", "extreme"])
@pytest.mark.parametrize("base", [2, None])
def test_pmi_ulp(base, extreme, n):
    a, bx, by = _pmi_case(n, 5, extreme)
    ours = _pmi(a, bx, by, base)
    if base == 2:
        f = lambda p, q, r: mpmath.log(p / (q * r), 2)
    else:
        f = lambda p, q, r: mpmath.log(p / (q * r))
    ref = _ref_array(lambda p, q, r: -mpmath.inf if p == 0 else f(p, q, r), a, "d", bx, by)
    d = ulp_dist(ours, ref, "d")
    FIGURES[f"pointwise_mutual_information_b{base or 'e'}_{'extreme' if extreme else 'ordinary'}"] = \
        (a.size, int(d.max()))
    # The limit is 2 ulp; the PMI ufunc (csrc) measures 3: asserted
    # here as a regression guard, the 2-ulp limit is the strict xfail below.
    assert d.max() <= 3, (a[np.argmax(d)], bx[np.argmax(d)], by[np.argmax(d)])


@pytest.mark.xfail(strict=True, reason="NOT MET: the PMI ufunc (infobits._ufuncs, csrc) is 3 ulp "
                   "from mpmath at 4 of 20000 ordinary points (e.g. p_xy=0.15710711137475755, "
                   "p_x=0.8907535744224248, p_y=0.17637553158931374, base 2; was 17 before the "
                   "base-2 conversion kept 2s + sR unrounded): the nats log-ratio's s = num/(x+b) "
                   "takes three roundings; the issue asks for 2")
def test_pmi_within_two_ulp():
    a, bx, by = _pmi_case(N_DEFAULT, 5, False)
    ours = _pmi(a, bx, by, 2)
    ref = _ref_array(lambda p, q, r: -mpmath.inf if p == 0 else mpmath.log(p / (q * r), 2), a, "d", bx, by)
    assert ulp_dist(ours, ref, "d").max() <= 2


@pytest.mark.parametrize("n", SIZES)
def test_pmi_f32_ulp(n):
    a, bx, by = (v.astype(np.float32) for v in _pmi_case(n, 9, False))
    ours = _pmi(a, bx, by, 2)
    assert ours.dtype == np.float32
    ref = _ref_array(lambda p, q, r: -mpmath.inf if p == 0 else mpmath.log(p / (q * r), 2), a, "f", bx, by)
    d = ulp_dist(ours, ref, "f")
    FIGURES["pointwise_mutual_information_f32_b2"] = (a.size, int(d.max()))
    assert d.max() <= 1


# ---------------------------------------------------------------- reductions
def _dist(n, seed, extreme, dtype=np.float64):
    """A positive vector of n values and a second one; with extreme=True a
    tenth of the entries are tiny (down to subnormal) or the pair has
    extreme ratios (1e-300 against 1, 1 against 1e-300; float32: 1e-44
    against 1)."""
    rng = np.random.default_rng(seed)
    p = rng.random(n)
    q = rng.random(n)
    lo = -320 if dtype == np.float64 else -44
    if extreme and n >= 10:
        k = max(n // 10, 1)
        idx = rng.choice(n, 3 * k, replace=False)
        i1, i2, i3 = idx[:k], idx[k:2 * k], idx[2 * k:]
        p[i1] = 10.0 ** rng.uniform(lo, lo / 2, k)
        q[i2] = 10.0 ** rng.uniform(lo * 0.9, lo / 2, k)
        p[i3] = 10.0 ** rng.uniform(lo * 0.9, lo / 2, k)
        q[i3] = 1.0
    return p, q


def _bound(n, abs_terms_sum, u=U):
    return (math.log2(max(n, 1)) + 4) * u * abs_terms_sum


def _ld_log(x):
    return np.log(np.asarray(x, dtype=LD))


def _entropy_ref(p):
    pl = p.astype(LD)
    t = np.where(pl > 0, -pl * _ld_log(np.where(pl > 0, pl, 1)), LD(0))
    return t.sum(), np.abs(t).sum()


def _kl_ref(p, q):
    pl, ql = p.astype(LD), q.astype(LD)
    t = pl * (_ld_log(pl) - _ld_log(ql))
    return t.sum(), np.abs(t).sum()


def _js_ref(p, q):
    pl, ql = p.astype(LD), q.astype(LD)
    m = (pl + ql) / 2
    t = (pl * (_ld_log(pl) - _ld_log(m)) + ql * (_ld_log(ql) - _ld_log(m))) / 2
    ta = (np.abs(pl * (_ld_log(pl) - _ld_log(m))) + np.abs(ql * (_ld_log(ql) - _ld_log(m)))) / 2
    return t.sum(), ta.sum()


def _lse_ref(x):
    xl = x.astype(LD)
    m = xl.max()
    s = np.exp(xl - m).sum()
    r = m + np.log(s)
    return r, abs(m) + abs(np.log(s)) + 1


REDUCTIONS = ["entropy", "kl_divergence", "jensen_shannon_divergence", "logsumexp",
              "mutual_information", "cross_entropy_logits", "cross_entropy_probs"]


def _check(name, ours, ref, absum, n, single=False):
    err = abs(LD(float(ours)) - ref)
    # float32 results (logsumexp of float32), the cross-entropy of float32
    # logits (single-precision exponentials) and the entropy of float32
    # input (single-precision logs), all documented, are bounded with the
    # float32 unit roundoff u = 2^-24
    u = 2.0 ** -24 if (single or np.asarray(ours).dtype == np.float32) else U
    bound = _bound(n, float(absum), u)
    FIGURES.setdefault("reductions", {})[name] = max(
        FIGURES.get("reductions", {}).get(name, 0.0), float(err / LD(bound)) if bound else 0.0)
    assert err <= bound, f"{name} n={n}: error {float(err):.3e} > bound {bound:.3e}"


def _run_reduction(name, n, dtype, extreme):
    p, q = _dist(n, 1000 + n % 97, extreme, dtype)
    if dtype == np.float32:
        p = p.astype(np.float32)
        q = q.astype(np.float32)
        # float32 underflows the extreme values to 0 or subnormals: fine,
        # the reference takes the float32 values as given
    pd, qd = p.astype(np.float64), q.astype(np.float64)
    if name == "entropy":
        ref, ab = _entropy_ref(pd)
        ours = ib.entropy(p, base=None, nan_policy="omit")
    elif name == "kl_divergence":
        ref, ab = _kl_ref(pd, qd)
        ours = ib.kl_divergence(p, q, base=None, nan_policy="omit")
    elif name == "jensen_shannon_divergence":
        ref, ab = _js_ref(pd, qd)
        ours = ib.jensen_shannon_divergence(p, q, base=None, nan_policy="omit")
    elif name == "logsumexp":
        x = (np.log(pd) * 30).astype(p.dtype)     # spread over ~ +-20000: extreme exponent ratios
        ref, ab = _lse_ref(x.astype(np.float64))
        ours = ib.logsumexp(x)
    elif name == "mutual_information":
        r = max(int(math.isqrt(n)), 1)
        c = max(n // r, 1)
        pxy = pd[: r * c].reshape(r, c)
        px = pxy.sum(axis=1)
        py = pxy.sum(axis=0)
        pxy_in = pxy.astype(p.dtype)
        pxl, pyl, pxyl = px.astype(LD), py.astype(LD), pxy.astype(LD)
        t = pxyl * (_ld_log(pxyl) - _ld_log(pxl)[:, None] - _ld_log(pyl)[None, :])
        ref, ab = t.sum(), np.abs(t).sum()
        # marginals are derived by infobits in its own fixed-order pass:
        # compare with given float64 marginals so the reference uses the same ones
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            ours = ib.mutual_information(pxy_in.astype(np.float64), px[:, None], py, base=None, nan_policy="omit")
        n = r * c
    elif name.startswith("cross_entropy"):
        K = 10
        N = max(n // K, 1)
        rng = np.random.default_rng(n)
        y = rng.integers(0, K, N)
        if name == "cross_entropy_logits":
            x = (np.log(pd[: N * K]) * 10).reshape(N, K) if n >= K else rng.normal(size=(N, K))
            x = x.astype(p.dtype)
            xl = x.astype(np.float64).astype(LD)
            m = xl.max(axis=1)
            lse = m + np.log(np.exp(xl - m[:, None]).sum(axis=1))
            xy = xl[np.arange(N), y]
            t = lse - xy
            ref, ab = t.sum(), (np.abs(lse) + np.abs(xy) + 1).sum()
            ours = ib.cross_entropy(x, y, from_logits=True, reduction="sum")
        else:
            x = pd[: N * K].reshape(N, K) if n >= K else rng.random((N, K))
            x = (x / x.sum(axis=1, keepdims=True)).astype(p.dtype)
            t = -_ld_log(x.astype(np.float64)[np.arange(N), y])
            ref, ab = t.sum(), np.abs(t).sum()
            ours = ib.cross_entropy(x, y, reduction="sum")
        n = N * K
    else:
        raise AssertionError(name)
    # single-precision internals, documented: the exponentials of float32
    # logits (cross-entropy) and the logs of float32 entropy terms
    _check(f"{name}_{np.dtype(dtype).name}{'_extreme' if extreme else ''}", ours, ref, ab, n,
           single=(name in ("cross_entropy_logits", "entropy") and dtype == np.float32))


def _power_sum_check(n, dtype, extreme, alpha):
    """Sum of p**alpha (renyi_entropy's and tsallis_entropy's pass) against
    long double: each term within (alpha |ln p| + 3) 2u (the log's rounding
    grows with alpha |ln p|; exact rounding for alpha 2 and 1/2), the sum
    within (log2 n + 4) u sum|terms| more."""
    from infobits.measures import _power_sum

    p, _ = _dist(n, 2000 + n % 89, extreme, dtype)
    if dtype == np.float32:
        p = p.astype(np.float32)
    pl = p.astype(np.float64).astype(LD)
    t = np.where(pl > 0, np.power(np.where(pl > 0, pl, 1), LD(alpha)), LD(0))
    ref = t.sum()
    term_err = np.abs(t) * (LD(alpha) * np.abs(_ld_log(np.where(pl > 0, pl, 1))) + 3) * 2
    bound = float((term_err.sum() + (math.log2(max(n, 1)) + 4) * t.sum()) * LD(U))
    ours = _power_sum("renyi_entropy", p, alpha, None, False, "omit", False)
    err = abs(LD(float(ours)) - ref)
    key = f"power_sum_{alpha}_{np.dtype(dtype).name}{'_extreme' if extreme else ''}"
    FIGURES.setdefault("reductions", {})[key] = max(
        FIGURES.get("reductions", {}).get(key, 0.0), float(err / LD(bound)) if bound else 0.0)
    assert err <= bound, f"{key} n={n}: error {float(err):.3e} > bound {bound:.3e}"


RED_SIZES = [1, 7, 1000, 100_000,
             pytest.param(1_000_000, marks=pytest.mark.reliability),
             pytest.param(10_000_000, marks=pytest.mark.reliability)]


@pytest.mark.parametrize("n", RED_SIZES)
@pytest.mark.parametrize("dtype", [np.float64, np.float32], ids=["f64", "f32"])
@pytest.mark.parametrize("extreme", [False, True], ids=["plain", "extreme"])
@pytest.mark.parametrize("name", REDUCTIONS)
def test_reduction_error_bound(name, extreme, dtype, n):
    _run_reduction(name, n, dtype, extreme)


def test_longdouble_reference_vs_mpmath_fsum():
    """The extended-precision reference itself against mpmath terms summed
    with math.fsum (n = 2000, extreme ratios included)."""
    p, q = _dist(2000, 3, True)
    ref, _ = _kl_ref(p, q)
    with mpmath.workdps(40):
        terms = [mpmath.mpf(a) * (mpmath.log(a) - mpmath.log(b)) for a, b in zip(p.tolist(), q.tolist())]
        hi = math.fsum(float(t) for t in terms)
        lo = math.fsum(float(t - mpmath.mpf(float(t))) for t in terms)
    exact = mpmath.mpf(hi) + lo
    assert abs(float(ref) - float(exact)) <= 1e-17 * float(sum(abs(t) for t in terms))
    # and infobits against the same mpmath/fsum value
    assert abs(float(ib.kl_divergence(p, q, base=None, nan_policy="omit")) - float(exact)) <= _bound(2000, float(
        sum(abs(t) for t in terms)))


@pytest.fixture(autouse=True, scope="module")
def _write_figures():
    """With INFOBITS_RELIABILITY_FIGURES=path, write the measured maxima
    (ulp per kernel and points, error/bound per reduction) as JSON."""
    yield
    import json
    import os
    path = os.environ.get("INFOBITS_RELIABILITY_FIGURES")
    if path:
        with open(path, "w") as fh:
            json.dump(FIGURES, fh, indent=1, sort_keys=True)


@pytest.mark.parametrize("n", RED_SIZES)
@pytest.mark.parametrize("dtype", [np.float64, np.float32], ids=["f64", "f32"])
@pytest.mark.parametrize("extreme", [False, True], ids=["plain", "extreme"])
@pytest.mark.parametrize("alpha", [0.5, 2.0, 2.5, 7.3])
def test_power_sum_error_bound(alpha, extreme, dtype, n):
    _power_sum_check(n, dtype, extreme, alpha)
