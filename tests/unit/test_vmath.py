"""Tests for csrc/ib_vmath.h (branch-free vectorised log / exp / log1p).

The compiled module exposes test hooks that run the header's functions over
a 1-D float64 array:

    infobits._core._vec_log(x), _vec_exp(x), _vec_log1p(x)
    infobits._core._set_simd_level("baseline" | "x86-64-v3" | "x86-64-v4")
    infobits._core._get_simd_level()

The log-sum-exp term ib_exp_scaled_f64 (exp(x) * 2^512 for x <= 0) has its
own hook, infobits._numerics._vec_exp_scaled(x, y).

Checked here:
  * accuracy against mpmath (100-bit evaluation, correctly rounded to the
    nearest double, subnormals included): at most 1 ulp for all three
    functions, the ulp distance being measured on the IEEE bit patterns;
  * special values (NaN, +-inf, +-0, domain boundaries) exactly;
  * bitwise identical results for the "baseline", "x86-64-v3" and
    "x86-64-v4" builds.
"""
import math

import numpy as np
import pytest

mpmath = pytest.importorskip("mpmath")

import infobits  # noqa: E402
import infobits._core as core  # noqa: E402  (no fallback: the hooks must exist)

LEVELS = ("baseline", "x86-64-v3", "x86-64-v4")
MAX_ULP = {"log": 1, "exp": 1, "log1p": 1}
DBL_MAX = float(np.finfo(np.float64).max)
DBL_MIN = float(np.finfo(np.float64).tiny)    # 2^-1022
DENORM_MIN = 5e-324                           # 2^-1074
INF, NAN = math.inf, math.nan


def _vec(name):
    return getattr(core, "_vec_" + name)


def _run(name, x):
    x = np.ascontiguousarray(x, dtype=np.float64)
    y = _vec(name)(x)
    y = np.asarray(y)
    assert y.dtype == np.float64 and y.shape == x.shape
    return y


class _level:
    """Context manager: switch SIMD level, restore the previous one."""

    def __init__(self, name):
        self.name = name

    def __enter__(self):
        self.prev = core._get_simd_level()
        try:
            core._set_simd_level(self.name)
        except RuntimeError as e:
            pytest.skip(f"SIMD level {self.name!r} not available here: {e}")
        return self

    def __exit__(self, *exc):
        core._set_simd_level(self.prev)
        return False


# --------------------------------------------------------------------------
# reference values
# --------------------------------------------------------------------------
_MPFN = {"log": mpmath.log, "exp": mpmath.exp, "log1p": mpmath.log1p}


def _round_to_double(v):
    """Double nearest to the mpf v.  float(mpf) rounds to 53 bits first and
    then ldexp rounds again in the subnormal range (double rounding), so the
    two neighbours are checked as well."""
    d = float(v)
    if math.isinf(d):
        return d
    best, err = d, abs(mpmath.mpf(d) - v)
    for c in (math.nextafter(d, -INF), math.nextafter(d, INF)):
        if math.isinf(c):
            continue
        e = abs(mpmath.mpf(c) - v)
        if e < err:
            best, err = c, e
    return best


def _reference(name, x):
    f = _MPFN[name]
    with mpmath.workprec(100):
        return np.array([_round_to_double(f(mpmath.mpf(float(t)))) for t in x])


def _ordered(a):
    """Map doubles to integers so that adjacent doubles differ by 1
    (-0.0 and +0.0 both map to 0)."""
    i = np.ascontiguousarray(a, dtype=np.float64).view(np.int64)
    mag = i & np.int64(0x7FFFFFFFFFFFFFFF)
    return [(-int(m) if s < 0 else int(m)) for m, s in zip(mag, i)]


def ulp_distance(a, b):
    """Elementwise distance in ulps computed from the bit patterns."""
    return np.array([abs(p - q) for p, q in zip(_ordered(a), _ordered(b))], dtype=object)


def _neighbours(c, n):
    out = [c]
    lo = hi = c
    for _ in range(n):
        lo, hi = math.nextafter(lo, -INF), math.nextafter(hi, INF)
        out += [lo, hi]
    return out


def _bits(rng, lo, hi, n):
    return rng.integers(lo, hi, n, dtype=np.uint64).view(np.float64)


def _samples(name):
    rng = np.random.default_rng({"log": 101, "exp": 202, "log1p": 303}[name])
    sgn = lambda n: rng.choice([-1.0, 1.0], n)
    if name == "log":
        parts = [
            _bits(rng, 1, 0x7FF0000000000000, 1500),           # every binade, subnormals too
            rng.uniform(0.5, 2.0, 1000),                        # dense around 1
            1.0 + sgn(500) * 2.0 ** rng.uniform(-53, -5, 500),
            _bits(rng, 1, 0x0010000000000000, 300),             # subnormals
            _neighbours(math.sqrt(0.5), 20), _neighbours(math.sqrt(2.0), 20),
            _neighbours(1.0, 20), _neighbours(DBL_MIN, 5), _neighbours(DBL_MAX, 5)[::2],
            [DENORM_MIN, 2 * DENORM_MIN, math.e, 2.0, 0.5, 10.0],
            2.0 ** np.arange(-1074, 1024, 7.0),
        ]
    elif name == "exp":
        ln2 = math.log(2.0)
        parts = [
            rng.uniform(-746.0, 710.0, 1500),
            rng.uniform(-1.0, 1.0, 700),
            sgn(300) * 2.0 ** rng.uniform(-60, -1, 300),        # near 0
            rng.uniform(-745.2, -708.3, 400),                   # subnormal results
            rng.uniform(700.0, 709.79, 200),                    # near overflow
            _neighbours(709.782712893384, 10), _neighbours(-745.1332191019411, 10),
            _neighbours(-708.3964185322641, 10), _neighbours(0.0, 10),
            np.arange(-1075, 1025, 3) * ln2, (np.arange(-2150, 2048, 5) + 0.5) * (ln2 / 2),
        ]
    else:
        parts = [
            rng.uniform(-1.0, 0.0, 500),
            _bits(rng, 1, 0x7FF0000000000000, 800),             # positive, every binade
            rng.uniform(-1e-3, 1e-3, 1000),                     # dense around 0
            sgn(500) * 2.0 ** rng.uniform(-1074, -10, 500),     # tiny, subnormal too
            -1.0 + 2.0 ** rng.uniform(-53, -1, 300),            # near -1
            rng.uniform(-0.3, 0.45, 500),                       # k == 0 region and its edges
            rng.uniform(0.3, 4.0, 300),
            _neighbours(math.sqrt(2.0) - 1.0, 10), _neighbours(math.sqrt(0.5) - 1.0, 10),
            _neighbours(1.0, 10), _neighbours(2.0 ** 53, 5), _neighbours(DBL_MAX, 5)[::2],
            [math.nextafter(-1.0, 0.0), 2.0 ** -54, -(2.0 ** -54), 2.0 ** -29, 1e-300, -1e-300],
        ]
    x = np.concatenate([np.asarray(p, dtype=np.float64) for p in parts])
    x = x[np.isfinite(x)]
    if name == "log":
        x = x[x > 0]
    elif name == "log1p":
        x = x[x > -1]
    return x


_REF_CACHE = {}


def _case(name):
    if name not in _REF_CACHE:
        x = _samples(name)
        _REF_CACHE[name] = (x, _reference(name, x))
    return _REF_CACHE[name]


# --------------------------------------------------------------------------
# tests
# --------------------------------------------------------------------------
def test_ulp_distance_helper():
    a = np.array([1.0, -1.0, 0.0, -0.0, DENORM_MIN, -DENORM_MIN, DBL_MAX])
    b = np.array([math.nextafter(1.0, 2.0), math.nextafter(-1.0, -2.0), -0.0, DENORM_MIN,
                  0.0, DENORM_MIN, INF])
    assert list(ulp_distance(a, b)) == [1, 1, 0, 1, 1, 2, 1]


@pytest.mark.parametrize("level", LEVELS)
@pytest.mark.parametrize("name", ["log", "exp", "log1p"])
def test_accuracy_vs_mpmath(name, level):
    x, ref = _case(name)
    assert x.size >= 3000
    with _level(level):
        y = _run(name, x)
    assert not np.isnan(y).any(), x[np.isnan(y)][:5]
    d = ulp_distance(y, ref)
    worst = int(np.argmax(d.astype(float)))
    assert d[worst] <= MAX_ULP[name], (
        f"{name}: {d[worst]} ulp at x={x[worst]!r}: got {y[worst]!r}, "
        f"correctly rounded {ref[worst]!r}")
    # almost all results are correctly rounded
    assert np.mean(d.astype(float) == 0) > 0.8


SPECIALS = {
    "log": [
        (0.0, -INF), (-0.0, -INF), (INF, INF), (-INF, NAN), (NAN, NAN), (-NAN, NAN),
        (-1.0, NAN), (-DENORM_MIN, NAN), (-DBL_MAX, NAN), (1.0, 0.0),
        (DENORM_MIN, -744.4400719213812), (DBL_MAX, 709.782712893384),
        (2.0, math.log(2.0)), (0.5, -math.log(2.0)),
    ],
    "exp": [
        (0.0, 1.0), (-0.0, 1.0), (INF, INF), (-INF, 0.0), (NAN, NAN), (-NAN, NAN),
        (709.782712893384, 1.7976931348622732e308),             # largest finite result
        (math.nextafter(709.782712893384, INF), INF),
        (710.0, INF), (1e300, INF), (DBL_MAX, INF),
        (-745.1332191019411, DENORM_MIN),                       # smallest subnormal result
        (math.nextafter(-745.1332191019411, -INF), 0.0),
        (-746.0, 0.0), (-1e300, 0.0), (-DBL_MAX, 0.0),
        (-708.3964185322641, 2.2250738585072626e-308),
        (DENORM_MIN, 1.0), (-DENORM_MIN, 1.0),
    ],
    "log1p": [
        (0.0, 0.0), (-0.0, -0.0), (-1.0, -INF), (INF, INF), (-INF, NAN), (NAN, NAN),
        (-NAN, NAN), (math.nextafter(-1.0, -INF), NAN), (-2.0, NAN), (-DBL_MAX, NAN),
        (DENORM_MIN, DENORM_MIN), (-DENORM_MIN, -DENORM_MIN), (1e-300, 1e-300),
        (-1e-300, -1e-300), (2.0 ** -60, 2.0 ** -60), (-(2.0 ** -60), -(2.0 ** -60)),
        (DBL_MAX, 709.782712893384), (1.0, math.log(2.0)),
    ],
}


@pytest.mark.parametrize("level", LEVELS)
@pytest.mark.parametrize("name", ["log", "exp", "log1p"])
def test_special_values(name, level):
    xs = [a for a, _ in SPECIALS[name]]
    want = [b for _, b in SPECIALS[name]]
    # repeat each input 7 times: exercises the vector body and the scalar tail
    x = np.repeat(np.array(xs, dtype=np.float64), 7)
    with _level(level):
        y = _run(name, x).reshape(len(xs), 7)
    for xi, wi, row in zip(xs, want, y):
        for v in row:
            if math.isnan(wi):
                assert np.isnan(v), f"{name}({xi!r}) = {v!r}, expected NaN"
            else:
                assert v == wi, f"{name}({xi!r}) = {v!r}, expected {wi!r}"
                assert math.copysign(1.0, v) == math.copysign(1.0, wi), (
                    f"{name}({xi!r}) = {v!r}: wrong sign, expected {wi!r}")


def _bitwise_inputs(name):
    rng = np.random.default_rng(4242)
    n = 25_000
    anything = _bits(rng, 0, 2 ** 64, n)             # NaNs, infs, negatives, subnormals
    if name == "log":
        typical = np.concatenate([_bits(rng, 1, 0x7FF0000000000000, n), rng.uniform(0.0, 2.0, n)])
    elif name == "exp":
        typical = np.concatenate([rng.uniform(-750.0, 712.0, n), rng.uniform(-2.0, 2.0, n)])
    else:
        typical = np.concatenate([rng.uniform(-1.0, 1.0, n), _bits(rng, 1, 0x7FF0000000000000, n)])
    specials = np.array([a for a, _ in SPECIALS[name]], dtype=np.float64)
    return np.concatenate([anything, typical, specials, _samples(name)[:n]])


def _on_simd_paths(run):
    """{path: run()} on every SIMD path this CPU runs (skips where only the
    baseline runs); the previous path is restored."""
    prev = core._get_simd_level()
    levels = core._simd_levels()
    if len(levels) < 2:
        pytest.skip("only the baseline SIMD path runs on this machine")
    try:
        out = {}
        for lv in levels:
            core._set_simd_level(lv)
            out[lv] = run()
    finally:
        core._set_simd_level(prev)
    assert core._get_simd_level() == prev
    return out


def _assert_same_bits(res, name, utype, *xs):
    """Every path's results bitwise those of the baseline path."""
    base = res["baseline"]
    for lv, y in res.items():
        diff = np.nonzero(y.view(utype) != base.view(utype))[0]
        assert diff.size == 0, (
            f"{name}: {diff.size} results differ between baseline and {lv}, "
            f"e.g. x={[x[diff[0]] for x in xs]!r}: {base[diff[0]]!r} vs {y[diff[0]]!r}")


@pytest.mark.parametrize("name", ["log", "exp", "log1p"])
def test_bitwise_identical_across_simd_levels(name):
    x = _bitwise_inputs(name)
    assert x.size >= 75_000
    _assert_same_bits(_on_simd_paths(lambda: _run(name, x)), name, np.uint64, x)


# --------------------------------------------------------------------------
# ib_exp_scaled_f64: exp(x) * 2^512 for x <= 0 (the log-sum-exp block term;
# hook infobits._numerics._vec_exp_scaled)
# --------------------------------------------------------------------------
TWO512 = 2.0 ** 512


def _run_scaled(x, level, hook="_vec_exp_scaled"):
    from infobits import _numerics as nx
    x = np.ascontiguousarray(x, dtype=np.float64)
    y = np.full_like(x, -1.0)
    prev = nx._get_simd_level()
    try:
        try:
            nx._set_simd_level(level)
        except RuntimeError as e:
            pytest.skip(f"SIMD level {level!r} not available here: {e}")
        getattr(nx, hook)(x, y)
    finally:
        nx._set_simd_level(prev)
    return y


def _scaled_samples():
    rng = np.random.default_rng(505)
    parts = [
        rng.uniform(-1000.0, 0.0, 1500),
        -(2.0 ** rng.uniform(-60, 3, 600)),                 # near 0
        rng.uniform(-745.2, -708.3, 500),                   # exp(x) subnormal
        rng.uniform(-1000.0, -745.0, 300),                  # exp(x) rounds to 0
        _neighbours(-745.1332191019411, 10), _neighbours(-708.3964185322641, 10),
        _neighbours(-1000.0, 3), [-0.0, 0.0, -DENORM_MIN],
        -np.arange(0, 1000, 3) * math.log(2.0),
    ]
    x = np.concatenate([np.asarray(p, dtype=np.float64) for p in parts])
    return x[(x <= 0) & (x >= -1000.0)]


@pytest.mark.parametrize("level", LEVELS)
def test_exp_scaled_accuracy_vs_mpmath(level):
    x = _scaled_samples()
    assert x.size >= 3000
    with mpmath.workprec(100):
        ref = np.array([_round_to_double(mpmath.exp(mpmath.mpf(float(t))) * TWO512)
                        for t in x])
    assert (ref > 2.0 ** -1000).all()              # all normal: no gradual underflow
    y = _run_scaled(x, level)
    d = ulp_distance(y, ref)
    worst = int(np.argmax(d.astype(float)))
    assert d[worst] <= 1, (f"{d[worst]} ulp at x={x[worst]!r}: got {y[worst]!r}, "
                           f"correctly rounded {ref[worst]!r}")
    assert np.mean(d.astype(float) == 0) > 0.8


@pytest.mark.parametrize("level", LEVELS)
def test_exp_scaled_special_values(level):
    xs = [0.0, -0.0, -DENORM_MIN, -1000.0, math.nextafter(-1000.0, -INF), -1e4, -DBL_MAX,
          -INF, NAN, -NAN]
    want = [TWO512, TWO512, TWO512, None, 0.0, 0.0, 0.0, 0.0, NAN, NAN]
    y = _run_scaled(np.repeat(xs, 7), level).reshape(len(xs), 7)
    for xi, wi, row in zip(xs, want, y):
        for v in row:
            if wi is None:
                assert v > 0.0 and v == row[0]
            elif math.isnan(wi):
                assert np.isnan(v), f"exp_scaled({xi!r}) = {v!r}, expected NaN"
            else:
                assert v == wi and math.copysign(1.0, v) == 1.0, (
                    f"exp_scaled({xi!r}) = {v!r}, expected {wi!r}")


def test_exp_scaled_is_the_exp_of_nonpositive_arguments():
    # The log-sum-exp kernel relies on ib_exp_scaled_f64(x) * 2^-512 being
    # ib_exp_f64(x) bit for bit for x <= 0 (so its sums do not change
    # wherever the terms are normal numbers); both paths, both functions.
    rng = np.random.default_rng(606)
    x = np.concatenate([
        _scaled_samples(), rng.uniform(-1100.0, 0.0, 20_000), -_bits(rng, 0, 0x7FF0000000000000, 5000),
        rng.uniform(-745.2, -745.0, 5000), [-INF, NAN],
    ])
    for level in LEVELS:
        y = _run_scaled(x, level) * 2.0 ** -512
        with _level(level):
            e = _run("exp", x)
        diff = np.nonzero(y.view(np.uint64) != e.view(np.uint64))[0]
        assert diff.size == 0, (f"{level}: {diff.size} differ, e.g. x={x[diff[0]]!r}: "
                                f"{y[diff[0]]!r} vs exp {e[diff[0]]!r}")


def test_exp_scaled_bitwise_identical_across_simd_levels():
    rng = np.random.default_rng(707)
    x = np.concatenate([_scaled_samples(), rng.uniform(-1100.0, 0.0, 30_000),
                        _bits(rng, 0, 2 ** 64, 20_000)])    # also outside the contract
    res = {lv: _run_scaled(x, lv) for lv in core._simd_levels()}
    _assert_same_bits(res, "exp_scaled", np.uint64, x)


# ib_exp16_scaled_f64: the same contract with a 16-entry table, looked up
# by in-register permutes on the x86-64-v4 path (vector code of its own,
# ib_numerics_vexp.h; hook infobits._numerics._vec_exp16_scaled, which runs
# the block loop, so lengths off a multiple of 8 test the scalar tails)
EXP16 = "_vec_exp16_scaled"


@pytest.mark.parametrize("level", LEVELS)
def test_exp16_scaled_accuracy_vs_mpmath(level):
    rng = np.random.default_rng(808)
    x = np.concatenate([_scaled_samples(),
                        # both ends of the reduced range: k ln2/16 +- ln2/32
                        np.arange(-64000, 1) * (math.log(2.0) / 16) + math.log(2.0) / 32
                        * rng.choice([-1.0, 1.0], 64001) * (1 - 2.0 ** -20)])
    x = x[(x <= 0) & (x >= -1000.0)][:20_000]
    x = np.concatenate([x, x[:5]])            # a length off a multiple of 8
    with mpmath.workprec(100):
        ref = np.array([_round_to_double(mpmath.exp(mpmath.mpf(float(t))) * TWO512)
                        for t in x])
    y = _run_scaled(x, level, EXP16)
    d = ulp_distance(y, ref)
    worst = int(np.argmax(d.astype(float)))
    assert d[worst] <= 1, (f"{d[worst]} ulp at x={x[worst]!r}: got {y[worst]!r}, "
                           f"correctly rounded {ref[worst]!r}")
    assert np.mean(d.astype(float) == 0) > 0.8


@pytest.mark.parametrize("level", LEVELS)
def test_exp16_scaled_special_values(level):
    xs = [0.0, -0.0, -DENORM_MIN, -1000.0, math.nextafter(-1000.0, -INF), -1e4, -DBL_MAX,
          -INF, NAN, -NAN]
    want = [TWO512, TWO512, TWO512, None, 0.0, 0.0, 0.0, 0.0, NAN, NAN]
    y = _run_scaled(np.repeat(xs, 9), level, EXP16).reshape(len(xs), 9)
    for xi, wi, row in zip(xs, want, y):
        for v in row:
            if wi is None:
                assert v > 0.0 and v == row[0]
            elif math.isnan(wi):
                assert np.isnan(v), f"exp16_scaled({xi!r}) = {v!r}, expected NaN"
            else:
                assert v == wi and math.copysign(1.0, v) == 1.0, (
                    f"exp16_scaled({xi!r}) = {v!r}, expected {wi!r}")


def test_exp16_scaled_bitwise_identical_across_simd_levels():
    rng = np.random.default_rng(909)
    x = np.concatenate([_scaled_samples(), rng.uniform(-1100.0, 0.0, 30_001),
                        -_bits(rng, 0, 0x7FF0000000000000, 20_000), [-INF, NAN]])
    res = _on_simd_paths(lambda: _run_scaled(x, core._get_simd_level(), EXP16))
    _assert_same_bits(res, "exp16_scaled", np.uint64, x)


def test_simd_level_roundtrip():
    prev = core._get_simd_level()
    assert prev in LEVELS
    try:
        core._set_simd_level("baseline")
        assert core._get_simd_level() == "baseline"
    finally:
        core._set_simd_level(prev)
    assert core._get_simd_level() == prev


# --------------------------------------------------------------------------
# single precision: ib_exp_f32 (hook infobits._core._vec_exp_f32)
# --------------------------------------------------------------------------
FLT_MAX = float(np.finfo(np.float32).max)
FLT_TRUE_MIN = 2.0 ** -149
EXPF_O = float(np.uint32(0x42B17217).view(np.float32))   # largest x, finite expf
EXPF_U = float(np.uint32(0xC2CFF1B4).view(np.float32))   # smallest x, nonzero expf


def _run_f32(x):
    x = np.ascontiguousarray(x, dtype=np.float32)
    y = np.asarray(core._vec_exp_f32(x))
    assert y.dtype == np.float32 and y.shape == x.shape
    return y


def _round_to_float(v):
    """float32 nearest to the mpf v (v is never a tie: exp(x) is irrational
    for x != 0).  float(v) rounds to 53 bits first, so the float32 neighbours
    are checked as well."""
    f = np.float32(float(v)) if abs(v) < 2 ** 128 else np.float32(np.inf)
    if np.isinf(f):
        # rounds to +inf iff v >= 2^128 - 2^103 (halfway to the next binade)
        return np.float32(np.inf) if v >= mpmath.mpf(2) ** 128 - mpmath.mpf(2) ** 103 \
            else np.float32(FLT_MAX)
    best, err = f, abs(mpmath.mpf(float(f)) - v)
    for c in (np.nextafter(f, np.float32(-np.inf)), np.nextafter(f, np.float32(np.inf))):
        if np.isinf(c):
            continue
        e = abs(mpmath.mpf(float(c)) - v)
        if e < err:
            best, err = c, e
    return best


def _reference_f32(x):
    with mpmath.workprec(100):
        return np.array([_round_to_float(mpmath.exp(mpmath.mpf(float(t)))) for t in x],
                        dtype=np.float32)


def _ordered_f32(a):
    i = np.ascontiguousarray(a, dtype=np.float32).view(np.int32).astype(np.int64)
    mag = i & 0x7FFFFFFF
    return np.where(i < 0, -mag, mag)


def ulp_distance_f32(a, b):
    return np.abs(_ordered_f32(a) - _ordered_f32(b))


def _f32_bits(rng, lo, hi, n):
    return rng.integers(lo, hi, n, dtype=np.uint64).astype(np.uint32).view(np.float32)


def _samples_exp_f32(rng, scale=1):
    n = lambda k: k * scale
    parts = [
        rng.uniform(-104.0, 89.0, n(3000)),
        rng.uniform(-1.0, 1.0, n(1000)),
        rng.choice([-1.0, 1.0], n(500)) * 2.0 ** rng.uniform(-30, -1, n(500)),   # near 0
        rng.uniform(-104.0, -87.0, n(1000)),                  # subnormal results
        rng.uniform(85.0, 88.73, n(500)),                     # near overflow
        _f32_bits(rng, 0, 0x42B17218, n(1000)),               # positive, every binade
        _f32_bits(rng, 0x80000000, 0xC2CFF1B5, n(1000)),      # negative, every binade
        np.arange(-150, 129) * math.log(2.0),                 # n boundaries
        (np.arange(-300, 257) + 0.5) * (math.log(2.0) / 2),   # reduction edges
    ]
    x = np.concatenate([np.asarray(p, dtype=np.float32) for p in parts])
    near = []
    for c in (EXPF_O, EXPF_U, -87.33654, 0.0):                # result-range edges
        f = np.float32(c)
        lo = hi = f
        for _ in range(8):
            lo, hi = np.nextafter(lo, np.float32(-np.inf)), np.nextafter(hi, np.float32(np.inf))
            near += [lo, hi]
    return np.concatenate([x, np.array(near, dtype=np.float32)])


def test_ulp_distance_f32_helper():
    one = np.float32(1.0)
    a = np.array([1.0, -1.0, 0.0, -0.0, FLT_TRUE_MIN, -FLT_TRUE_MIN, FLT_MAX], dtype=np.float32)
    b = np.array([np.nextafter(one, np.float32(2)), -np.nextafter(one, np.float32(2)), -0.0,
                  FLT_TRUE_MIN, 0.0, FLT_TRUE_MIN, np.inf], dtype=np.float32)
    assert list(ulp_distance_f32(a, b)) == [1, 1, 0, 1, 1, 2, 1]


@pytest.mark.parametrize("level", LEVELS)
def test_exp_f32_accuracy_vs_mpmath(level):
    x = _samples_exp_f32(np.random.default_rng(505))
    assert x.size >= 8000
    ref = _reference_f32(x)
    with _level(level):
        y = _run_f32(x)
    assert not np.isnan(y).any()
    d = ulp_distance_f32(y, ref)
    worst = int(np.argmax(d))
    assert d[worst] <= 1, (f"exp_f32: {d[worst]} ulp at x={float(x[worst])!r}: got "
                           f"{float(y[worst])!r}, correctly rounded {float(ref[worst])!r}")
    assert np.mean(d == 0) > 0.95
    # the sample reaches subnormal results, +inf and 0
    assert (ref[(ref > 0)] < np.finfo(np.float32).tiny).sum() > 500
    assert np.isinf(ref).any() and (ref == 0).any()


def test_exp_f32_accuracy_large_sample():
    # 2e6 points: first against NumPy's float64 exp rounded to float32; every
    # point where that differs from ours is settled with mpmath.
    rng = np.random.default_rng(606)
    x = np.concatenate([rng.uniform(-104.0, 89.0, 10 ** 6).astype(np.float32),
                        _f32_bits(rng, 0, 2 ** 32, 10 ** 6)])
    x = x[~np.isnan(x)]
    y = _run_f32(x)
    with np.errstate(over="ignore"):
        approx = np.exp(x.astype(np.float64)).astype(np.float32)
    off = np.nonzero(ulp_distance_f32(y, approx) != 0)[0]
    assert off.size < 0.02 * x.size
    ref = _reference_f32(x[off])
    d = ulp_distance_f32(y[off], ref)
    assert d.max() <= 1, (float(x[off][np.argmax(d)]), float(y[off][np.argmax(d)]))


SPECIALS_F32 = [
    (0.0, 1.0), (-0.0, 1.0), (INF, INF), (-INF, 0.0), (NAN, NAN), (-NAN, NAN),
    (1.0, float(np.float32(math.e))), (-1.0, float(np.float32(1 / math.e))),
    (EXPF_O, 3.4027985e38),                                          # largest finite result
    (float(np.nextafter(np.float32(EXPF_O), np.float32(INF))), INF),
    (89.0, INF), (1e30, INF), (FLT_MAX, INF),
    (EXPF_U, FLT_TRUE_MIN),                                          # smallest subnormal
    (float(np.nextafter(np.float32(EXPF_U), np.float32(-INF))), 0.0),
    (-104.0, 0.0), (-1e30, 0.0), (-FLT_MAX, 0.0),
    (FLT_TRUE_MIN, 1.0), (-FLT_TRUE_MIN, 1.0), (1e-30, 1.0), (-1e-30, 1.0),
]


@pytest.mark.parametrize("level", LEVELS)
def test_exp_f32_special_values(level):
    xs = np.array([a for a, _ in SPECIALS_F32], dtype=np.float32)
    want = np.array([b for _, b in SPECIALS_F32], dtype=np.float32)
    # 11 copies: the 8-lane and 4-lane vector bodies and the scalar tail
    x = np.repeat(xs, 11)
    with _level(level):
        y = _run_f32(x).reshape(len(xs), 11)
    for xi, wi, row in zip(xs, want, y):
        for v in row:
            if np.isnan(wi):
                assert np.isnan(v), f"exp_f32({xi!r}) = {v!r}, expected NaN"
            else:
                assert v == wi and np.signbit(v) == np.signbit(wi), (
                    f"exp_f32({xi!r}) = {v!r}, expected {wi!r}")


def test_exp_f32_specials_are_correctly_rounded():
    # the expected values above are themselves the correctly rounded results
    xs = [a for a, _ in SPECIALS_F32 if math.isfinite(a)]
    want = np.array([b for a, b in SPECIALS_F32 if math.isfinite(a)], dtype=np.float32)
    assert (ulp_distance_f32(_reference_f32(xs), want) == 0).all()


def test_exp_f32_bitwise_identical_across_simd_levels():
    rng = np.random.default_rng(707)
    x = np.concatenate([_f32_bits(rng, 0, 2 ** 32, 10 ** 6),
                        rng.uniform(-105.0, 90.0, 10 ** 6).astype(np.float32),
                        np.array([a for a, _ in SPECIALS_F32], dtype=np.float32)])
    _assert_same_bits(_on_simd_paths(lambda: _run_f32(x)), "exp_f32", np.uint32, x)


# --------------------------------------------------------------------------
# ib_exp_diff_f32(x, m) = exp(x - m) for x <= m, the difference taken exactly
# --------------------------------------------------------------------------
def _run_diff(x, m):
    x = np.ascontiguousarray(x, dtype=np.float32)
    m = np.ascontiguousarray(m, dtype=np.float32)
    y = np.asarray(core._vec_exp_diff_f32(x, m))
    assert y.dtype == np.float32 and y.shape == x.shape
    return y


def _reference_diff(x, m):
    out = []
    for a, b in zip(x, m):
        with mpmath.workprec(400):              # x - m exact for these inputs
            d = mpmath.mpf(float(a)) - mpmath.mpf(float(b))
        with mpmath.workprec(100):
            out.append(_round_to_float(mpmath.exp(d)))
    return np.array(out, dtype=np.float32)


def _diff_samples(rng):
    n = 3000
    # softmax-like: m the row maximum, x below it, at every scale of m
    m = (rng.choice([-1.0, 1.0], n) * 2.0 ** rng.uniform(-8, 10, n)).astype(np.float32)
    gap = np.concatenate([rng.uniform(0, 30, n // 2), 2.0 ** rng.uniform(-20, 6.7, n // 2)])
    x = (m.astype(np.float64) - gap).astype(np.float32)
    # general pairs, results over the whole range down to subnormals
    m2 = rng.uniform(-60, 60, n).astype(np.float32)
    x2 = (m2 - rng.uniform(0, 104.0, n)).astype(np.float32)
    # near the maximum: x - m exact anyway
    m3 = rng.uniform(-5, 5, 500).astype(np.float32)
    x3 = (m3 - rng.uniform(0, 1e-3, 500)).astype(np.float32)
    x = np.concatenate([x, x2, x3])
    m = np.concatenate([m, m2, m3])
    d = x.astype(np.float64) - m.astype(np.float64)
    keep = (d > -104.0) & (d <= 0)
    return x[keep], m[keep]


@pytest.mark.parametrize("level", LEVELS)
def test_exp_diff_f32_accuracy_vs_mpmath(level):
    x, m = _diff_samples(np.random.default_rng(808))
    assert x.size >= 6000
    # most of these differences are not exact in float: the test would
    # catch exp(fl(x - m))
    inexact = (x - m).astype(np.float64) != x.astype(np.float64) - m.astype(np.float64)
    assert inexact.mean() > 0.3
    ref = _reference_diff(x, m)
    with _level(level):
        y = _run_diff(x, m)
    d = ulp_distance_f32(y, ref)
    worst = int(np.argmax(d))
    assert d[worst] <= 1, (f"exp_diff_f32: {d[worst]} ulp at x={float(x[worst])!r}, "
                           f"m={float(m[worst])!r}: got {float(y[worst])!r}, "
                           f"correctly rounded {float(ref[worst])!r}")
    assert np.mean(d == 0) > 0.95
    assert (ref < np.finfo(np.float32).tiny).sum() > 100       # subnormal results


@pytest.mark.parametrize("level", LEVELS)
def test_exp_diff_f32_special_values(level):
    big = np.float32(3e38)
    cases = [
        (2.5, 2.5, 1.0), (-0.0, 0.0, 1.0), (0.0, -0.0, 1.0), (-INF, 0.0, 0.0), (-INF, 5.0, 0.0),
        (NAN, 0.0, NAN), (0.0, NAN, NAN), (NAN, NAN, NAN), (INF, INF, NAN),
        (-INF, -INF, NAN), (0.0, INF, 0.0), (big, big, 1.0),
        (-big, big, 0.0),                                       # the difference overflows
        (1.0, 1.0 + 2.0 ** -23, float(np.float32(math.exp(-(2.0 ** -23))))),
        (EXPF_U, 0.0, FLT_TRUE_MIN), (-104.0, 0.0, 0.0),
    ]
    x = np.repeat(np.array([c[0] for c in cases], dtype=np.float32), 11)
    m = np.repeat(np.array([c[1] for c in cases], dtype=np.float32), 11)
    with _level(level):
        y = _run_diff(x, m).reshape(len(cases), 11)
    for (a, b, w), row in zip(cases, y):
        for v in row:
            if math.isnan(w):
                assert np.isnan(v), f"exp_diff_f32({a!r}, {b!r}) = {v!r}, expected NaN"
            else:
                assert v == np.float32(w), f"exp_diff_f32({a!r}, {b!r}) = {v!r}, expected {w!r}"


def test_exp_diff_f32_bitwise_identical_across_simd_levels():
    rng = np.random.default_rng(909)
    n = 10 ** 6
    a = np.concatenate([_f32_bits(rng, 0, 2 ** 32, n), rng.normal(0, 30, n).astype(np.float32)])
    b = np.concatenate([_f32_bits(rng, 0, 2 ** 32, n), rng.normal(0, 30, n).astype(np.float32)])
    x, m = np.minimum(a, b), np.maximum(a, b)          # x <= m (NaN: both NaN)
    _assert_same_bits(_on_simd_paths(lambda: _run_diff(x, m)), "exp_diff_f32", np.uint32, x, m)


def test_exp_diff_f32_hook_checks_sizes():
    with pytest.raises(ValueError):
        core._vec_exp_diff_f32(np.zeros(3, np.float32), np.zeros(4, np.float32))


# --------------------------------------------------------------------------
# single precision: ib_log_f32 (hook infobits._core._vec_log_f32); all 2^32
# inputs are checked by tools/exhaustive_log_f32.c (max 0.835 ulp)
# --------------------------------------------------------------------------
def _samples_log_f32(rng):
    return np.concatenate([
        _f32_bits(rng, 1, 0x7F800000, 4000),                  # every positive binade
        _f32_bits(rng, 1, 0x00800000, 500),                   # subnormals
        rng.uniform(0.5, 2.0, 2000),                          # around 1
        1.0 + rng.uniform(-2.0 ** -10, 2.0 ** -10, 500),      # log near 0
        [FLT_TRUE_MIN, 2.0 ** -126, FLT_MAX, 1.0, 2.0, 0.5],
    ]).astype(np.float32)


@pytest.mark.parametrize("level", LEVELS)
def test_log_f32_within_one_ulp_of_mpmath(level):
    """Each result is within 1 ulp of the true log (faithful): it is the
    correctly rounded float or its neighbour on the side of the true value."""
    x = _samples_log_f32(np.random.default_rng(21))
    with _level(level):
        y = np.asarray(core._vec_log_f32(x))
    assert y.dtype == np.float32
    with mpmath.workprec(100):
        for xi, yi in zip(x.tolist(), y.tolist()):
            v = mpmath.log(mpmath.mpf(xi))
            if v == 0:
                assert yi == 0.0
                continue
            # ulp of the float binade of v
            ulp = mpmath.mpf(2) ** (mpmath.floor(mpmath.log(abs(v), 2)) - 23)
            assert abs(mpmath.mpf(yi) - v) < ulp, (xi, yi, v)


@pytest.mark.parametrize("level", LEVELS)
def test_log_f32_special_values(level):
    x = np.array([0.0, -0.0, -1.0, -np.inf, np.inf, np.nan, 1.0], dtype=np.float32)
    with _level(level):
        y = np.asarray(core._vec_log_f32(x))
    assert y[0] == -np.inf and y[1] == -np.inf
    assert np.isnan(y[2]) and np.isnan(y[3]) and np.isnan(y[5])
    assert y[4] == np.inf
    assert y[6] == 0.0 and not np.signbit(y[6])


def test_log_f32_and_float32_entropy_identical_across_simd_levels():
    rng = np.random.default_rng(22)
    x = _samples_log_f32(rng)
    p = rng.random((300, 41)).astype(np.float32)
    p[p < 0.05] = 0.0
    p[0, 0] = np.nan
    outs = []
    for level in LEVELS:
        with _level(level):
            outs.append((np.asarray(core._vec_log_f32(x)).tobytes(),
                         np.asarray(infobits.entropy(p, axis=0)).tobytes(),
                         np.asarray(infobits.entropy(p, axis=1, nan_policy="propagate")).tobytes()))
    assert all(o == outs[0] for o in outs)
