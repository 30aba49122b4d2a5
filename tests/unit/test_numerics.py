"""logsumexp, softmax, log_softmax, log1pexp, log_sigmoid.

SciPy (scipy.special) is the reference; mpmath checks the softplus family.
"""
import warnings

import mpmath
import numpy as np
import pytest
import scipy.special as sp
from numpy.exceptions import AxisError
from numpy.testing import assert_allclose, assert_array_equal

import infobits as ib

inf, nan = np.inf, np.nan
RNG = np.random.default_rng(20261123)


def ref_lse(a, **kw):
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        return sp.logsumexp(a, **kw)


def ref_softmax(x, axis):
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        return sp.softmax(x, axis=axis)


def ref_log_softmax(x, axis):
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        return sp.log_softmax(x, axis=axis)


def tol(dt):
    return dict(rtol=2e-6, atol=1e-6) if dt == np.float32 else dict(rtol=1e-13, atol=1e-14)


def layouts(a):
    """The same values in several memory layouts."""
    yield "C", np.ascontiguousarray(a)
    yield "F", np.asfortranarray(a)
    big = np.empty(tuple(2 * n for n in a.shape), dtype=a.dtype)
    sl = tuple(slice(None, None, 2) for _ in a.shape)
    big[sl] = a
    yield "strided", big[sl]
    if a.ndim:
        rev = np.flip(np.ascontiguousarray(np.flip(a)))
        assert rev.strides[0] < 0 or a.shape[0] <= 1
        yield "negative", rev
    ro = np.array(a)
    ro.flags.writeable = False
    yield "readonly", ro


SHAPES = [(7,), (1,), (3, 5), (4, 1), (1, 6), (2, 3, 4), (3, 2, 5, 2), (10000,), (300, 70)]


def axes_for(ndim):
    out = [None]
    for i in range(ndim):
        out += [i, i - ndim]
    if ndim >= 2:
        out += [(0, 1), (ndim - 1, 0)]
    if ndim >= 3:
        out += [(0, 2), tuple(range(ndim))]
    return out


# ----------------------------------------------------------- logsumexp --

@pytest.mark.parametrize("dt", [np.float64, np.float32])
@pytest.mark.parametrize("shape", SHAPES)
def test_logsumexp_matches_scipy(shape, dt):
    a = (RNG.standard_normal(shape) * 10).astype(dt)
    for axis in axes_for(len(shape)):
        for keepdims in (False, True):
            got = ib.logsumexp(a, axis=axis, keepdims=keepdims)
            want = ref_lse(a.astype(np.float64), axis=axis, keepdims=keepdims)
            assert np.shape(got) == np.shape(want)
            assert got.dtype == dt
            assert_allclose(got, want, **tol(dt))


@pytest.mark.parametrize("dt", [np.float64, np.float32])
def test_logsumexp_layouts(dt):
    a = (RNG.standard_normal((6, 9, 5)) * 5).astype(dt)
    for axis in (None, 0, 1, -1, (0, 2), (1, 2)):
        want = ib.logsumexp(np.ascontiguousarray(a), axis=axis)
        for name, v in layouts(a):
            got = ib.logsumexp(v, axis=axis)
            assert_allclose(got, want, rtol=1e-15 if dt == np.float64 else 1e-7,
                            err_msg=name)
    # broadcast (stride 0) input
    row = RNG.standard_normal(7)
    bc = np.broadcast_to(row, (5, 7))
    assert_allclose(ib.logsumexp(bc, axis=1), np.full(5, ref_lse(row)), rtol=1e-14)
    assert_allclose(ib.logsumexp(bc, axis=0), ref_lse(np.array(bc), axis=0), rtol=1e-14)


def test_logsumexp_does_not_modify_input():
    a = RNG.standard_normal((4, 5))
    b = RNG.standard_normal((4, 5))
    a0, b0 = a.copy(), b.copy()
    ib.logsumexp(a, axis=1, b=b, return_sign=True)
    assert_array_equal(a, a0)
    assert_array_equal(b, b0)


@pytest.mark.parametrize("dt", [np.float64, np.float32])
def test_logsumexp_b(dt):
    a = RNG.standard_normal((5, 8)).astype(dt)
    bs = [RNG.standard_normal((5, 8)), RNG.uniform(0, 2, 8), RNG.standard_normal((5, 1)),
          np.float64(3.0), RNG.integers(-2, 3, (5, 8)), np.zeros((5, 8))]
    for b in bs:
        b = np.asarray(b).astype(dt) if np.asarray(b).dtype.kind == "f" else b
        for axis in (None, 0, 1, -1, (0, 1)):
            for keepdims in (False, True):
                got, gs = ib.logsumexp(a, axis=axis, b=b, keepdims=keepdims, return_sign=True)
                wa, ws = ref_lse(a, axis=axis, b=b, keepdims=keepdims, return_sign=True)
                assert np.shape(got) == np.shape(wa)
                assert_allclose(gs, ws)
                assert_allclose(got, wa, rtol=1e-12 if dt == np.float64 else 2e-6,
                                atol=1e-12 if dt == np.float64 else 2e-6)
                nosign = ib.logsumexp(a, axis=axis, b=b, keepdims=keepdims)
                assert_allclose(nosign, ref_lse(a, axis=axis, b=b, keepdims=keepdims),
                                rtol=1e-12 if dt == np.float64 else 2e-6,
                                atol=1e-12 if dt == np.float64 else 2e-6)


def test_logsumexp_b_broadcasts_a():
    # b with more dimensions than a broadcasts a, as in SciPy
    a = RNG.standard_normal(4)
    b = RNG.uniform(0.5, 1.5, (3, 4))
    for axis in (None, 0, 1):
        assert_allclose(ib.logsumexp(a, axis=axis, b=b), ref_lse(a, axis=axis, b=b), rtol=1e-13)
    with pytest.raises(ValueError, match="b"):
        ib.logsumexp(np.ones(3), b=np.ones(4))


def test_logsumexp_dtype_promotion():
    a32 = np.float32([1, 2, 3])
    assert ib.logsumexp(a32).dtype == np.float32
    assert ib.logsumexp(a32, b=np.float64([1, 1, 1])).dtype == np.float64
    assert ib.logsumexp([1, 2, 3]).dtype == np.float64
    assert ib.logsumexp(np.float16([1, 2])).dtype == np.float32
    assert ib.logsumexp([True, False]).dtype == np.float64
    assert isinstance(ib.logsumexp([1.0, 2.0]), np.float64)
    assert isinstance(ib.logsumexp(np.float32([1.0, 2.0])), np.float32)
    with pytest.raises(TypeError, match="a must be"):
        ib.logsumexp(np.array([1 + 1j]))
    with pytest.raises(TypeError, match="b must be"):
        ib.logsumexp([1.0], b=np.array([1j]))
    with pytest.raises(TypeError):
        ib.logsumexp(np.array(["x"]))


EDGE = [
    ([1e308, 1e308], None),
    ([-1e308, -1e308], None),
    ([1.7e308, 1.7e308, 1.7e308], None),
    ([0.0, -40.0], None),
    ([-inf, -inf], None),
    ([inf, 1.0], None),
    ([1.0, inf, inf], None),
    ([nan, 1.0], None),
    ([inf, nan], None),
    ([-inf, nan], None),
    ([nan, nan], None),
    ([-inf, 1.0], None),
    ([inf, inf], [1, -1]),
    ([1.0, 1.0], [1, -1]),
    ([1.0, 1.0, 0.0], [1, -1, 1]),
    ([-inf, -inf], [0, 0]),
    ([inf, 1.0], [0, 1]),
    ([nan, 1.0], [0, 1]),
    ([1.0, 2.0], [0, 0]),
    ([1.0, 2.0], [-1, -1]),
    ([1.0, 2.0], [1, -1]),
    ([-inf, 1.0], [1, 0]),
    ([5.0], [-2.0]),
    ([3.0, 3.0, 3.0], [1, 1, -2]),
]


@pytest.mark.parametrize("a,b", EDGE)
def test_logsumexp_edges_match_scipy(a, b):
    got, gs = ib.logsumexp(a, b=b, return_sign=True)
    want, ws = ref_lse(np.array(a), b=b, return_sign=True)
    assert_allclose(got, want, rtol=1e-15, atol=2e-16)
    assert_allclose(gs, ws)
    assert_allclose(ib.logsumexp(a, b=b), ref_lse(np.array(a), b=b), rtol=1e-15, atol=2e-16)


def test_logsumexp_spec_edges():
    assert ib.logsumexp([1e308, 1e308]) == 1e308
    assert ib.logsumexp([inf, 0.0, -inf]) == inf
    assert ib.logsumexp([-inf, -inf, -inf]) == -inf
    assert np.isnan(ib.logsumexp([inf, nan]))
    assert np.isnan(ib.logsumexp([-inf, nan, 3.0]))
    assert ib.logsumexp(np.float32([3e38, 3e38])) == np.float32(3e38) + np.float32(np.log(2))
    # rows: one with +inf, one all -inf, one with NaN, one ordinary
    a = np.array([[0.0, inf], [-inf, -inf], [1.0, nan], [0.0, 0.0]])
    got = ib.logsumexp(a, axis=1)
    assert got[0] == inf and got[1] == -inf and np.isnan(got[2])
    assert got[3] == np.log(2.0)


def test_logsumexp_weights_cancelling_max_do_not_overflow():
    # SciPy falls back to the direct sum here (exp(1000) overflows: nan);
    # infobits takes the same sum relative to the maximum.
    got = ib.logsumexp([1000.0, 1000.0, 999.0], b=[1, -1, 1])
    assert_allclose(got, 999.0, rtol=1e-15)


def test_logsumexp_precision_near_zero():
    # log1p(s) separation: result ~4e-18 keeps full relative precision
    assert_allclose(ib.logsumexp([0.0, -40.0]), np.exp(-40.0), rtol=1e-15)
    x = np.array([0.0, -50.0, -60.0, -45.0])
    with mpmath.workdps(60):
        want = float(mpmath.log(sum(mpmath.exp(mpmath.mpf(v)) for v in x)))
    assert_allclose(ib.logsumexp(x), want, rtol=1e-14)


def test_logsumexp_empty_and_scalar():
    assert ib.logsumexp([]) == -inf
    r, s = ib.logsumexp([], return_sign=True)
    wr, ws = ref_lse(np.array([]), return_sign=True)
    assert r == wr and s == ws
    z = np.zeros((0, 3))
    assert_array_equal(ib.logsumexp(z, axis=0), np.full(3, -inf))
    assert ib.logsumexp(z, axis=1).shape == (0,)
    assert ib.logsumexp(z, axis=0, keepdims=True).shape == (1, 3)
    assert ib.logsumexp(3.0) == 3.0
    assert ib.logsumexp(np.float32(3.0)).dtype == np.float32
    assert_allclose(ib.logsumexp(2.0, b=3.0), 2.0 + np.log(3.0), rtol=1e-15)
    # empty axis tuple: every element is its own sum
    a = RNG.standard_normal((2, 3))
    assert_allclose(ib.logsumexp(a, axis=()), ref_lse(a, axis=()), rtol=1e-15)


def test_logsumexp_bad_axis():
    with pytest.raises(AxisError):
        ib.logsumexp(np.ones((2, 3)), axis=2)
    with pytest.raises(AxisError):
        ib.logsumexp(np.ones((2, 3)), axis=(0, -3))
    with pytest.raises(TypeError):
        ib.logsumexp(np.ones(3), axis=1.5)


def test_logsumexp_large_row_chunks():
    # rows longer than one kernel chunk, with the max in a late chunk
    a = RNG.standard_normal((3, 50_000))
    a[1, 40_000] = 30.0
    a[2, :] = -1e300
    a[2, 49_999] = 5.0
    assert_allclose(ib.logsumexp(a, axis=1), ref_lse(a, axis=1), rtol=1e-13)
    b = RNG.standard_normal((3, 50_000))
    got, gs = ib.logsumexp(a, axis=1, b=b, return_sign=True)
    wa, ws = ref_lse(a, axis=1, b=b, return_sign=True)
    assert_allclose(got, wa, rtol=1e-11)
    assert_array_equal(gs, ws)


def _block_patterns():
    """Long rows (blocks of 256, chunks of 8192 in the kernel) whose block
    maxima rise, repeat or fall in the orders that make the kernel sum a
    block before or after taking its max, and with special values landing
    in blocks summed either way."""
    rng = np.random.default_rng(808)   # own stream: collection-time data
    n = 20_000
    base = rng.standard_normal(n) * 10
    out = {"random": base, "rising": np.linspace(-30.0, 30.0, n),
           "falling": np.linspace(30.0, -30.0, n), "zeros": np.zeros(n),
           "period 300": np.tile(np.arange(300.0), n // 300 + 1)[:n] / 7.0}
    steps = base.copy()
    for i in (700, 3000, 3100, 9000, 16500):     # new max after blocks below it
        steps[i] = steps[:i].max() + 1.0
    out["late maxima"] = steps
    tie = base.copy()
    tie[[1000, 5000, 5100, 12000]] = tie.max()  # max reached again later
    out["max repeated"] = tie
    for name, v in (("nan", nan), ("+inf", inf), ("-inf", -inf)):
        a = base.copy()
        a[[4000, 15000]] = v
        out[name + " late"] = a
    a = base.copy()
    a[100] = inf
    a[9000] = nan                               # NaN after +inf made the max inf
    out["+inf then nan"] = a
    a = base.copy()
    a[6000:6300] = -inf                         # a whole block of -inf
    out["-inf block"] = a
    a = np.full(n, -1e30)
    a[7] = 0.0
    a[5000:5010] = -2000.0                      # terms far below exp's range
    out["far below"] = a
    return out


@pytest.mark.parametrize("name,a", list(_block_patterns().items()))
def test_logsumexp_block_patterns(name, a):
    for dt in (np.float64, np.float32):
        x = a.astype(dt)
        want = ref_lse(x.astype(np.float64))
        got = ib.logsumexp(x)
        assert_allclose(got, want, **tol(dt)), name
        # rows, and weights (the weighted kernel takes the same block paths)
        rows = np.stack([x, x[::-1]])
        assert_allclose(ib.logsumexp(rows, axis=1),
                        ref_lse(rows.astype(np.float64), axis=1), **tol(dt))
        b = np.abs(np.random.default_rng(909).standard_normal(x.size)) + 0.5
        assert_allclose(ib.logsumexp(x, b=b), ref_lse(x.astype(np.float64), b=b), **tol(dt))


def test_logsumexp_block_patterns_simd_paths_bitwise():
    from infobits import _config, _numerics
    levels = _numerics._simd_levels()
    if len(levels) < 2:
        pytest.skip("only one SIMD path on this CPU")
    cur = _numerics._get_simd_level()
    res = {}
    try:
        for lv in levels:
            _config._set_simd_path(lv)
            res[lv] = [ib.logsumexp(a) for a in _block_patterns().values()]
    finally:
        _config._set_simd_path(cur)
    for lv in levels[1:]:
        assert_array_equal(res[levels[0]], res[lv])


def test_logsumexp_tiny_terms_keep_full_precision():
    # Terms whose exponentials are subnormal, after the first block: the
    # block sums carry them unrounded (scaled by 2^512), so the (subnormal)
    # result is within one subnormal step of the exact value (SciPy, which
    # rounds every term to the subnormal grid first, is up to ~20 steps off
    # on such data).
    x = np.full(2048, -inf)
    x[0] = 0.0
    x[256:] = -720.0 - np.random.default_rng(1010).random(1792)
    with mpmath.workdps(50):
        s = mpmath.fsum(mpmath.exp(mpmath.mpf(float(v))) for v in x[256:])
        want = float(mpmath.log1p(s))
    got = ib.logsumexp(x)
    assert 0.0 < want < 2.3e-308
    assert abs(got - want) <= 5e-324


@pytest.mark.parametrize("dt", [np.float64, np.float32])
def test_logsumexp_thread_count_bitwise(dt):
    a = RNG.standard_normal((8, 300_000)).astype(dt)
    b = RNG.standard_normal((8, 300_000)).astype(dt)
    old = ib.get_num_threads()
    try:
        ib.set_num_threads(1)
        r1 = ib.logsumexp(a), ib.logsumexp(a, axis=1), ib.logsumexp(a, b=b, axis=1, return_sign=True)
        rows1 = ib.logsumexp(a.reshape(-1, 10), axis=1)
        ib.set_num_threads(2)
        r2 = ib.logsumexp(a), ib.logsumexp(a, axis=1), ib.logsumexp(a, b=b, axis=1, return_sign=True)
        rows2 = ib.logsumexp(a.reshape(-1, 10), axis=1)
    finally:
        ib.set_num_threads(old)
    assert_array_equal(r1[0], r2[0])
    assert_array_equal(r1[1], r2[1])
    assert_array_equal(r1[2][0], r2[2][0])
    assert_array_equal(rows1, rows2)


def test_logsumexp_simd_paths_bitwise():
    from infobits import _config, _numerics
    levels = _numerics._simd_levels()
    if len(levels) < 2:
        pytest.skip("only one SIMD path on this CPU")
    a = RNG.standard_normal((5, 20_000)) * 20
    b = RNG.standard_normal((5, 20_000))
    cur = _numerics._get_simd_level()
    res = {}
    try:
        for lv in levels:
            _config._set_simd_path(lv)
            res[lv] = (ib.logsumexp(a, axis=1), ib.logsumexp(a, b=b, axis=1, return_sign=True)[0],
                       ib.softmax(a), ib.log_softmax(a), ib.log1pexp(a),
                       ib.softmax(a.astype(np.float32)),
                       ib.log_softmax(a.astype(np.float32)),
                       ib.logsumexp(a.astype(np.float32), axis=1),
                       ib.binary_cross_entropy(a, (b > 0) * 1.0, from_logits=True,
                                               return_grad=True, reduction="sum"),
                       ib.binary_focal_loss(a, (b > 0) * 1.0, return_grad=True))
    finally:
        _config._set_simd_path(cur)
    r0 = res[levels[0]]
    for lv in levels[1:]:
        for x, y in zip(r0, res[lv]):
            if isinstance(x, tuple):
                for u, v in zip(x, y):
                    assert_array_equal(u, v)
            else:
                assert_array_equal(x, y)


# --------------------------------------------------- softmax/log_softmax --

@pytest.mark.parametrize("fn,ref", [(ib.softmax, ref_softmax), (ib.log_softmax, ref_log_softmax)])
@pytest.mark.parametrize("dt", [np.float64, np.float32])
@pytest.mark.parametrize("shape", SHAPES[:-2] + [(300, 70)])
def test_softmax_matches_scipy(fn, ref, shape, dt):
    x = (RNG.standard_normal(shape) * 10).astype(dt)
    for axis in axes_for(len(shape)):
        got = fn(x, axis=axis)
        want = ref(x.astype(np.float64), axis)
        assert got.shape == x.shape and got.dtype == dt
        # log_softmax near 0 is limited by the rounding of log(sum) in
        # SciPy's formula: absolute tolerance a few ulp of 1
        assert_allclose(got, want, rtol=2e-6 if dt == np.float32 else 1e-13,
                        atol=1e-6 if dt == np.float32 else 1e-15 if fn is ib.softmax else 4e-15)


def test_softmax_default_axis_is_last():
    x = RNG.standard_normal((4, 6))
    assert_allclose(ib.softmax(x), ref_softmax(x, -1), rtol=1e-14)
    assert_allclose(ib.log_softmax(x), ref_log_softmax(x, -1), rtol=1e-14)
    assert_allclose(ib.softmax(x).sum(axis=-1), 1.0, rtol=1e-15)


@pytest.mark.parametrize("fn", [ib.softmax, ib.log_softmax])
@pytest.mark.parametrize("dt", [np.float64, np.float32])
def test_softmax_layouts(fn, dt):
    x = (RNG.standard_normal((5, 7, 6)) * 4).astype(dt)
    for axis in (-1, 0, 1, (0, 2), None):
        want = fn(np.ascontiguousarray(x), axis=axis)
        for name, v in layouts(x):
            got = fn(v, axis=axis)
            assert_allclose(got, want, rtol=1e-15 if dt == np.float64 else 1e-6, err_msg=name)
    bc = np.broadcast_to(RNG.standard_normal(5), (3, 5))
    assert_allclose(fn(bc), fn(np.array(bc)), rtol=1e-15)
    x0 = np.ascontiguousarray(x)
    keep = x0.copy()
    fn(x0, axis=1)
    assert_array_equal(x0, keep)


def test_softmax_edges():
    x = np.array([[inf, 1.0, inf, -inf],
                  [-inf, -inf, -inf, -inf],
                  [nan, 1.0, 2.0, 3.0],
                  [inf, nan, 0.0, 0.0],
                  [1000.0, 0.0, -1000.0, 1000.0],
                  [-1e308, 1e308, 0.0, 0.0]])
    s = ib.softmax(x)
    assert_array_equal(s[0], [0.5, 0.0, 0.5, 0.0])
    assert np.isnan(s[1]).all() and np.isnan(s[2]).all() and np.isnan(s[3]).all()
    assert_array_equal(s[4], [0.5, 0.0, 0.0, 0.5])
    assert_array_equal(s[5], [0.0, 1.0, 0.0, 0.0])
    ls = ib.log_softmax(x)
    assert_allclose(ls[0], [-np.log(2), -inf, -np.log(2), -inf])
    assert np.isnan(ls[1]).all() and np.isnan(ls[2]).all() and np.isnan(ls[3]).all()
    assert_allclose(ls[4], [-np.log(2), -1000 - np.log(2), -2000 - np.log(2), -np.log(2)])
    assert_array_equal(ls[5], [-inf, 0.0, -1e308, -1e308])
    # a single +inf among finite values
    assert_array_equal(ib.softmax(np.float32([1, inf, 3])), np.float32([0, 1, 0]))
    # log_softmax never goes through log(softmax): no -inf where it is finite
    assert_allclose(ib.log_softmax([0.0, -800.0]), [0.0, -800.0], rtol=1e-15)


def test_softmax_out():
    x = RNG.standard_normal((4, 5))
    out = np.empty_like(x)
    r = ib.softmax(x, out=out)
    assert r is out
    assert_allclose(out, ref_softmax(x, -1), rtol=1e-14)
    outF = np.empty((4, 5), order="F")
    assert ib.log_softmax(x, axis=0, out=outF) is outF
    assert_allclose(outF, ref_log_softmax(x, 0), rtol=1e-14)
    big = np.zeros((8, 10))
    view = big[::2, ::2]
    ib.softmax(x, axis=(0, 1), out=view)
    assert_allclose(view, ref_softmax(x, (0, 1)), rtol=1e-14)
    assert_array_equal(big[1::2], 0.0)
    # in place
    y = x.copy()
    ib.softmax(y, out=y)
    assert_allclose(y, ref_softmax(x, -1), rtol=1e-14)
    y = x.copy()
    ib.log_softmax(y, axis=0, out=y)
    assert_allclose(y, ref_log_softmax(x, 0), rtol=1e-14)
    with pytest.raises(ValueError, match="out must have shape"):
        ib.softmax(x, out=np.empty((5, 4)))
    with pytest.raises(ValueError, match="dtype"):
        ib.softmax(x, out=np.empty((4, 5), dtype=np.float32))
    with pytest.raises(ValueError, match="dtype"):
        ib.log_softmax(x.astype(np.float32), out=np.empty((4, 5)))
    ro = np.empty((4, 5))
    ro.flags.writeable = False
    with pytest.raises(ValueError, match="writeable"):
        ib.softmax(x, out=ro)
    with pytest.raises(TypeError, match="out"):
        ib.softmax(x, out=[0.0] * 20)


def test_softmax_empty_scalar_and_errors():
    assert ib.softmax(np.zeros((0, 3))).shape == (0, 3)
    assert ib.log_softmax(np.zeros((3, 0))).shape == (3, 0)
    assert ib.softmax(2.0) == 1.0
    assert ib.log_softmax(np.float32(2.0)) == 0.0
    assert ib.softmax([1, 2]).dtype == np.float64
    assert ib.softmax(np.float16([1, 2])).dtype == np.float32
    with pytest.raises(AxisError):
        ib.softmax(np.ones((2, 3)), axis=2)
    with pytest.raises(TypeError, match="x must be"):
        ib.log_softmax(np.array([1j, 2j]))


def test_softmax_thread_count_bitwise():
    x = RNG.standard_normal((4000, 100))
    with np.errstate(over="ignore"):
        x32 = x.astype(np.float32)
    old = ib.get_num_threads()
    try:
        ib.set_num_threads(1)
        r1 = [ib.softmax(x), ib.log_softmax(x), ib.softmax(x32), ib.softmax(x, axis=0),
              ib.log1pexp(x), ib.log_sigmoid(x32)]
        ib.set_num_threads(2)
        r2 = [ib.softmax(x), ib.log_softmax(x), ib.softmax(x32), ib.softmax(x, axis=0),
              ib.log1pexp(x), ib.log_sigmoid(x32)]
    finally:
        ib.set_num_threads(old)
    for u, v in zip(r1, r2):
        assert_array_equal(u, v)


# ------------------------------------------------- log1pexp/log_sigmoid --

def mp_log1pexp(x):
    with mpmath.workdps(60):
        return float(mpmath.log1p(mpmath.exp(mpmath.mpf(float(x)))))


def test_log1pexp_accuracy_vs_mpmath():
    xs = np.concatenate([np.linspace(-745, 745, 301), RNG.standard_normal(200) * 30,
                         [-1e-300, 0.0, 1e-300, 36.0, 37.0, 38.0, -36.0, -37.0, 709.0, 710.0]])
    got = ib.log1pexp(xs)
    want = np.array([mp_log1pexp(v) for v in xs])
    assert_allclose(got, want, rtol=4e-16, atol=0)
    gs = ib.log_sigmoid(xs)
    want_s = np.array([-mp_log1pexp(-v) for v in xs])
    assert_allclose(gs, want_s, rtol=4e-16, atol=0)


def test_log1pexp_edges():
    x = np.array([1000.0, -1000.0, inf, -inf, nan, 1e300, -1e300, 0.0])
    y = ib.log1pexp(x)
    assert_array_equal(y, [1000.0, 0.0, inf, 0.0, nan, 1e300, 0.0, np.log(2.0)])
    z = ib.log_sigmoid(x)
    assert_array_equal(z, [0.0, -1000.0, 0.0, -inf, nan, 0.0, -1e300, -np.log(2.0)])
    assert not np.signbit(ib.log_sigmoid(1000.0))
    assert ib.log1pexp(np.float32(100.0)) == np.float32(100.0)
    assert ib.log1pexp(np.float32(-100.0)).dtype == np.float32
    assert_allclose(ib.log1pexp(np.float32(-80.0)), np.exp(-80.0), rtol=1e-6)


@pytest.mark.parametrize("fn", [ib.log1pexp, ib.log_sigmoid])
@pytest.mark.parametrize("dt", [np.float64, np.float32])
def test_log1pexp_layouts_and_dtypes(fn, dt):
    x = (RNG.standard_normal((6, 5, 4)) * 20).astype(dt)
    want = fn(np.ascontiguousarray(x))
    assert want.dtype == dt and want.shape == x.shape
    for name, v in layouts(x):
        got = fn(v)
        assert got.dtype == dt
        assert_array_equal(got, want, err_msg=name)
    v = x[0, 0]
    assert_array_equal(fn(v[::-1]), want[0, 0][::-1])
    bc = np.broadcast_to(x[0, 0], (3, 4))
    assert_array_equal(fn(bc), np.broadcast_to(want[0, 0], (3, 4)))
    assert fn(np.zeros((0, 3), dtype=dt)).shape == (0, 3)
    s = fn(dt(0.5))
    assert np.ndim(s) == 0 and s.dtype == dt
    assert fn([1, 2]).dtype == np.float64
    assert fn(np.float16([1, 2])).dtype == np.float32
    keep = x.copy()
    fn(x)
    assert_array_equal(x, keep)
    with pytest.raises(TypeError, match="x must be"):
        fn(np.array([1j]))


def test_log1pexp_relations():
    x = RNG.standard_normal(1000) * 10
    assert_allclose(ib.log1pexp(x) - ib.log1pexp(-x), x, rtol=1e-12, atol=1e-12)
    assert_allclose(ib.log_sigmoid(x), -ib.log1pexp(-x), rtol=0, atol=0)
    assert_allclose(ib.log1pexp(x), np.logaddexp(0, x), rtol=1e-15)


def test_logsumexp_zero_weight_removes_nonfinite_entries():
    # SciPy's direct-sum fallback turns 0 * exp(inf) into NaN; infobits keeps
    # its documented rule that b == 0 removes the term.
    assert ib.logsumexp([inf, 1.0], b=[0, 1]) == 1.0
    assert ib.logsumexp([nan, 1.0], b=[0, 1]) == 1.0
    assert ib.logsumexp([inf], b=[0]) == -inf
    r, s = ib.logsumexp([1e308, 1.0, inf], b=[1, -1, -1], return_sign=True)
    assert r == inf and s == -1.0


@pytest.mark.parametrize("dt", [np.float64, np.float32])
def test_softmax_few_long_rows_chunked_path(dt):
    # fewer rows than threads: each row is split across threads in chunks;
    # the bits must not depend on the thread count (nor on the path taken)
    x = (RNG.standard_normal((2, 100_003)) * 5).astype(dt)
    x1 = x[:1]
    special = x[:1].copy()
    special[0, 50_000] = inf
    special[0, 99_999] = inf
    allneg = np.full((1, 70_000), -inf, dtype=dt)
    withnan = x[:1].copy()
    withnan[0, 12345] = nan
    old = ib.get_num_threads()
    res = []
    try:
        for nt in (1, 2, 3):
            ib.set_num_threads(nt)
            res.append([f(v) for f in (ib.softmax, ib.log_softmax)
                        for v in (x, x1, special, allneg, withnan)])
    finally:
        ib.set_num_threads(old)
    for other in res[1:]:
        for u, v in zip(res[0], other):
            assert_array_equal(u, v)
    sm, lsm = res[1][0], res[1][5]
    assert_allclose(sm, ref_softmax(x.astype(np.float64), -1), **tol(dt))
    assert_allclose(lsm, ref_log_softmax(x.astype(np.float64), -1),
                    rtol=2e-6 if dt == np.float32 else 1e-13)
    sp_ = res[1][2]
    assert sp_[0, 50_000] == 0.5 and sp_[0, 99_999] == 0.5 and sp_.sum() == 1.0
    assert np.isnan(res[1][3]).all() and np.isnan(res[1][4]).all()
    # in place, chunked
    y = x1.copy()
    ib.softmax(y, out=y)
    assert_array_equal(y, res[1][1])


@pytest.mark.parametrize("K", [1, 2, 3, 10, 32, 33])
def test_short_rows_many_at_a_time(K):
    # rows of at most 32 entries go through a grouped kernel
    x = RNG.standard_normal((5003, K)) * 8
    x[7, 0] = inf
    x[8, :] = -inf
    x[9, K // 2] = nan
    x[10, 0] = 1e308
    b = RNG.standard_normal((5003, K))
    b[11, :] = 0.0
    with np.errstate(over="ignore"):
        x32 = x.astype(np.float32)
    x32[10, 0] = 3e38
    old = ib.get_num_threads()
    res = []
    try:
        for nt in (1, 2):
            ib.set_num_threads(nt)
            res.append([ib.softmax(x), ib.log_softmax(x), ib.logsumexp(x, axis=1),
                        ib.logsumexp(x, axis=1, b=b, return_sign=True)[0],
                        ib.softmax(x32), ib.logsumexp(x.T, axis=0)])
    finally:
        ib.set_num_threads(old)
    for u, v in zip(*res):
        assert_array_equal(u, v)
    sm, lsm, lse, lseb = res[0][:4]
    fin = np.ones(len(x), bool)
    fin[[7, 8, 9]] = False
    assert_allclose(sm[fin], ref_softmax(x[fin], -1), rtol=1e-13, atol=1e-300)
    assert_allclose(lsm[fin], ref_log_softmax(x[fin], -1), rtol=1e-13, atol=4e-15)
    # (cancellation between log1p(s) and the max near 0: absolute tolerance)
    assert_allclose(lse, ref_lse(x, axis=1), rtol=1e-14, atol=1e-15)
    wb, ws = ref_lse(x, axis=1, b=b, return_sign=True)
    ok = np.isfinite(wb)
    assert_allclose(lseb[ok], wb[ok], rtol=1e-12, atol=1e-13)
    if K > 1:
        assert_array_equal(sm[7], np.eye(K)[0])
    assert np.isnan(sm[8]).all() and np.isnan(sm[9]).all()
    sm32 = res[0][4]
    assert_allclose(sm32[fin], ref_softmax(x32[fin].astype(np.float64), -1), rtol=2e-6,
                    atol=1e-7)
    assert_array_equal(res[0][5], lse)


# ------------------------------------------- float32 in single precision --

def f32_ulps(got, want):
    """|got - want| in float32 ulps of want (want float64; an output below
    the float32 normal range counts in units of the smallest normal's ulp)."""
    w32 = np.abs(want).astype(np.float32)
    sp_ = np.spacing(np.maximum(w32, np.finfo(np.float32).tiny)).astype(np.float64)
    return np.abs(got.astype(np.float64) - want) / sp_


@pytest.mark.parametrize("C", [40, 1000, 20_000])
@pytest.mark.parametrize("scale", [1.0, 5.0, 30.0, 200.0])
def test_float32_softmax_within_2_ulps(C, scale):
    # float32 rows take exp(x - max) in single precision (each within 1 ulp)
    # with float64 sums: within 2 float32 ulps of the float64 softmax of the
    # same float32 values (SciPy's, an independent reference)
    rng = np.random.default_rng(int(C + scale))
    x = (rng.standard_normal((20, C)) * scale).astype(np.float32)
    want = sp.softmax(x.astype(np.float64), axis=-1)
    got = ib.softmax(x)
    assert got.dtype == np.float32
    assert f32_ulps(got, want).max() <= 2.0
    # column softmax (rows gathered) and a strided output give the same bits
    assert_array_equal(ib.softmax(x.T, axis=0), got.T)
    out = np.empty((20, 2 * C), dtype=np.float32)[:, ::2]
    ib.softmax(x, out=out)
    assert_array_equal(out, got)


def _mp_log_softmax_row(row):
    with mpmath.workdps(40):
        v = [mpmath.mpf(float(t)) for t in row]
        lse = mpmath.log(mpmath.fsum(mpmath.exp(t) for t in v))
        return np.array([float(t - lse) for t in v])


@pytest.mark.parametrize("scale", [1.0, 30.0])
def test_float32_log_softmax_within_2_ulps_of_mpmath(scale):
    rng = np.random.default_rng(int(scale))
    x = (rng.standard_normal((4, 300)) * scale).astype(np.float32)
    got = ib.log_softmax(x)
    want = np.array([_mp_log_softmax_row(r) for r in x])
    assert f32_ulps(got, want).max() <= 2.0


def test_float32_softmax_special_rows():
    inf, nan = np.inf, np.nan
    x = np.float32([[1.0, -inf, 2.0] + [0.0] * 40,
                    [1.0, nan, 2.0] + [0.0] * 40,
                    [-inf] * 43,
                    [inf, 1.0, inf] + [0.0] * 40])
    got = ib.softmax(x)
    want0 = sp.softmax(x[0].astype(np.float64))
    assert got[0, 1] == 0.0 and f32_ulps(got[0], want0).max() <= 2.0
    assert np.isnan(got[1]).all() and np.isnan(got[2]).all()
    assert got[3, 0] == 0.5 and got[3, 2] == 0.5 and got[3].sum() == 1.0
    lg = ib.log_softmax(x)
    assert lg[0, 1] == -inf and np.isnan(lg[1]).all()


@pytest.mark.parametrize("n", [10, 300, 100_000])
@pytest.mark.parametrize("scale", [1.0, 30.0, 1000.0])
@pytest.mark.parametrize("centred", [False, True])
def test_float32_logsumexp_single_precision_accuracy(n, scale, centred):
    # float32 without weights: single-precision exps, float64 sums; within
    # 2 float32 ulps of the result plus 2^-26 absolute (results near 0) of
    # SciPy's float64 logsumexp of the same float32 values
    rng = np.random.default_rng(n + int(scale))
    x = (rng.standard_normal(n) * scale).astype(np.float32)
    if centred:   # a result near 0, where an absolute error shows
        x = x - np.float32(sp.logsumexp(x.astype(np.float64)))
    want = sp.logsumexp(x.astype(np.float64))
    got = ib.logsumexp(x)
    assert got.dtype == np.float32
    bound = 2 * float(np.spacing(np.float32(abs(want)))) + 2.0 ** -26
    assert abs(float(got) - want) <= bound
    # rows: the same bits per row as the 1-D call
    rows = np.stack([x, x[::-1]])
    assert_array_equal(ib.logsumexp(rows, axis=1),
                       np.float32([got, ib.logsumexp(x[::-1])]))


@pytest.mark.parametrize("dt", [np.float64, np.float32])
@pytest.mark.parametrize("shape", [(512, 128), (3, 1000), (1, 40), (7, 33), (50,)])
def test_small_call_fast_paths_match_general_path(dt, shape):
    # softmax/log_softmax(x) and logsumexp(x, axis=-1 or None) on a plain
    # C-ordered array take a one-call path; it must give the bits of the
    # general path (reached here through axis=ndim-1 / a tuple axis) and
    # match the references
    x = (RNG.standard_normal(shape) * 6).astype(dt)
    last = x.ndim - 1
    for f, ref in ((ib.softmax, ref_softmax), (ib.log_softmax, ref_log_softmax)):
        fast, gen = f(x), f(x, axis=last)
        assert fast.dtype == dt and fast.shape == x.shape
        assert_array_equal(fast, gen)
        assert_allclose(fast, ref(x.astype(np.float64), -1), **tol(dt))
    whole, whole_gen = ib.logsumexp(x), ib.logsumexp(x, axis=tuple(range(x.ndim)))
    assert type(whole) is type(whole_gen) and whole == whole_gen
    assert_allclose(whole, sp.logsumexp(x.astype(np.float64)),
                    rtol=1e-6 if dt == np.float32 else 1e-15)
    if x.ndim == 2:
        rows, rows_gen = ib.logsumexp(x, axis=-1), ib.logsumexp(x, axis=1)
        assert rows.dtype == dt and rows.shape == (x.shape[0],)
        assert_array_equal(rows, rows_gen)
        assert_allclose(rows, sp.logsumexp(x.astype(np.float64), axis=-1),
                        rtol=1e-6 if dt == np.float32 else 1e-15)


def test_small_call_fast_paths_leave_other_inputs_to_the_general_path():
    # Fortran order, strided and byte-swapped views, subclasses, lists,
    # int and float16 input: the general path (same values, its own checks)
    x = RNG.standard_normal((6, 9))
    for v in (np.asfortranarray(x), x[:, ::2], x.astype(">f8"), x.tolist(),
              np.ma.masked_array(x), (x * 10).astype(np.int64), x.astype(np.float16)):
        ref = ref_softmax(np.asarray(v, dtype=np.float64), -1)
        assert_allclose(ib.softmax(v), ref, rtol=1e-3 if np.asarray(v).dtype == np.float16
                        else 1e-14)
        assert_allclose(ib.logsumexp(v, axis=-1),
                        sp.logsumexp(np.asarray(v, dtype=np.float64), axis=-1),
                        rtol=1e-3 if np.asarray(v).dtype == np.float16 else 1e-15)
    assert ib.softmax(np.float64(2.0)) == 1.0
    assert ib.softmax(np.ones((0, 3))).shape == (0, 3)
    assert ib.logsumexp(np.ones((0, 3)), axis=-1).shape == (0,)
    assert ib.logsumexp(np.ones((3, 0)), axis=-1).tolist() == [-inf] * 3
    with pytest.raises(TypeError, match="x must be"):
        ib.softmax(np.array([[1j]]))


@pytest.mark.parametrize("dt", [np.float64, np.float32])
@pytest.mark.parametrize("case", ["random", "dominant", "rising"])
def test_log_softmax_long_rows(dt, case):
    # rows of more than one kernel chunk (8192 entries) take logsumexp's
    # one-read pass for (max, log S): against mpmath, including a row whose
    # one dominant entry makes log S tiny (the max entries kept apart) and
    # a rising row (the running max raised in every block)
    rng = np.random.default_rng(4242)
    C = 20_011
    if case == "random":
        x = rng.standard_normal((2, C)) * 7
    elif case == "dominant":
        x = rng.standard_normal((2, C)) - 60.0
        x[0, 15_000] = 0.0
        x[1, 3] = 0.0
    else:
        x = np.tile(np.linspace(-30.0, 30.0, C), (2, 1))
    x = x.astype(dt)
    got = ib.log_softmax(x)
    want = np.array([_mp_log_softmax_row(r) for r in x])
    if dt == np.float32:
        assert f32_ulps(got, want).max() <= 2.0
    else:
        assert_allclose(got, want, rtol=4e-16 * 8, atol=0)
    old = ib.get_num_threads()
    try:
        ib.set_num_threads(2)
        assert_array_equal(ib.log_softmax(x), got)
        ib.set_num_threads(3)
        assert_array_equal(ib.log_softmax(x[:1]), got[:1])
    finally:
        ib.set_num_threads(old)
