"""The NumPy ufuncs of infobits._ufuncs: log1pexp, log_sigmoid,
self-information (nats, bits) and pointwise mutual information.

References are mpmath at 60 digits and NumPy's own ufunc semantics
(out=, where=, dtype=, broadcasting, __array_ufunc__)."""
import math

import mpmath
import numpy as np
import pytest
from numpy.testing import assert_array_equal

import infobits as ib
from infobits import _ufuncs

RNG = np.random.default_rng(20261126)
TINY = np.finfo(np.float64).tiny
SUB = [5e-324, 1e-320, 3e-315, 1e-310, TINY * 0.75]


def _ulps(got, want):
    """|got - want| in units of the last place of want (want rounded to got's dtype)."""
    got = np.asarray(got)
    want = np.asarray(want, dtype=got.dtype)
    ok = np.isfinite(want)
    assert_array_equal(np.isfinite(got), ok)
    assert_array_equal(got[~ok], want[~ok])
    d = np.abs(got[ok].astype(np.float64) - want[ok].astype(np.float64))
    return d / np.spacing(np.abs(want[ok])).astype(np.float64)


def _mp(f, xs):
    with mpmath.workdps(60):
        return np.array([float(f(mpmath.mpf(float(x)))) for x in xs])


def _softplus(x):
    return mpmath.log1p(mpmath.exp(x))


SOFTPLUS_X = np.concatenate([
    np.linspace(-745, 745, 401), RNG.standard_normal(300) * 40,
    RNG.uniform(-1, 1, 100), [0.0, -0.0, 36.0, 37.0, 33.3, 18.0, -37.0, -744.0, 709.0, 710.0],
    SUB, [-s for s in SUB]])


def test_softplus_accuracy_vs_mpmath():
    x = SOFTPLUS_X
    for path in _ufuncs._simd_levels():
        old = _ufuncs._get_simd_level()
        _ufuncs._set_simd_level(path)
        try:
            got = _ufuncs.log1pexp(x)
            got_s = _ufuncs.log_sigmoid(x)
            got32 = _ufuncs.log1pexp(x.astype(np.float32))
        finally:
            _ufuncs._set_simd_level(old)
        assert _ulps(got, _mp(_softplus, x)).max() <= 2, path
        assert _ulps(got_s, -_mp(_softplus, -x)).max() <= 2, path
        x32 = x.astype(np.float32).astype(np.float64)
        assert got32.dtype == np.float32
        assert _ulps(got32, _mp(_softplus, x32).astype(np.float32)).max() <= 1, path


def test_self_information_accuracy_vs_mpmath():
    p = np.concatenate([RNG.uniform(0, 1, 500), 10.0 ** RNG.uniform(-307, 0, 500),
                        SUB, [TINY, 1.0, 0.5, 1 - 2 ** -53, 1 + 2 ** -52, 2.0, 1e300,
                              np.finfo(np.float64).max]])
    p32 = p[(p > 1e-37) & (p < 1e37)].astype(np.float32)
    for path in _ufuncs._simd_levels():
        old = _ufuncs._get_simd_level()
        _ufuncs._set_simd_level(path)
        try:
            nats = _ufuncs.self_information_nats(p)
            bits = _ufuncs.self_information_bits(p)
            bits32 = _ufuncs.self_information_bits(p32)
        finally:
            _ufuncs._set_simd_level(old)
        assert _ulps(nats, _mp(lambda v: -mpmath.log(v), p)).max() <= 2, path
        assert _ulps(bits, _mp(lambda v: -mpmath.log(v, 2), p)).max() <= 2, path
        want32 = _mp(lambda v: -mpmath.log(v, 2), p32.astype(np.float64))
        assert _ulps(bits32, want32.astype(np.float32)).max() <= 1, path
    # exact at powers of two, +0 at 1, the IEEE special values
    k = np.arange(-1074, 1024)
    assert_array_equal(_ufuncs.self_information_bits(np.ldexp(1.0, k)), -k.astype(float))
    got = _ufuncs.self_information_bits(np.array([1.0, 0.0, -0.0, -1.0, np.nan, np.inf]))
    assert_array_equal(got, [0.0, np.inf, np.inf, np.nan, np.nan, -np.inf])
    assert not np.signbit(got[0])


def test_pmi_accuracy_where_the_product_underflows():
    a = 10.0 ** RNG.uniform(-300, 0, 300)
    b = 10.0 ** RNG.uniform(-200, 0, 300)
    c = 10.0 ** RNG.uniform(-200, 0, 300)
    with mpmath.workdps(60):
        want = np.array([float(mpmath.log(mpmath.mpf(x) / (mpmath.mpf(y) * mpmath.mpf(z))))
                         for x, y, z in zip(a, b, c)])
    assert _ulps(_ufuncs.pmi_nats(a, b, c), want).max() <= 4
    assert _ulps(_ufuncs.pmi_bits(a, b, c), want / math.log(2)).max() <= 4
    # b * c underflows to 0 here, the naive log(a / (b c)) gives inf
    T = np.array([[1e-300, 0.0], [0.0, 1.0]])
    got = ib.pointwise_mutual_information(T, base="nats")
    assert math.isclose(got[0, 0], 300 * math.log(10.0), rel_tol=1e-15)
    assert got[1, 1] == 0.0 and got[0, 1] == -np.inf
    # consistent with the MI reduction: MI = sum p_xy * pmi
    P = np.array([[1e-300, 2e-300], [0.5, 0.5 - 3e-300]])
    mi = ib.mutual_information(P, base="nats")
    assert math.isclose(np.sum(P * ib.pointwise_mutual_information(P, base="nats")), mi,
                        rel_tol=1e-14)


@pytest.mark.parametrize("uf", [_ufuncs.log1pexp, _ufuncs.log_sigmoid,
                                _ufuncs.self_information_nats,
                                _ufuncs.self_information_bits])
def test_one_input_ufunc_protocol(uf):
    assert isinstance(uf, np.ufunc) and uf.nin == 1 and uf.nout == 1
    x = RNG.uniform(0.01, 3, (7, 9))
    want = uf(x)
    # strided and reversed views, a transposed one, in place
    for v in (x[::2, ::3], x[::-1], x.T, np.asfortranarray(x)):
        assert_array_equal(uf(v), uf(np.ascontiguousarray(v)))
    y = x.copy()
    uf(y, out=y)
    assert_array_equal(y, want)
    # out= and where=
    out = np.full(x.shape, -7.0)
    mask = x > 1
    uf(x, out=out, where=mask)
    assert_array_equal(out[mask], want[mask])
    assert np.all(out[~mask] == -7.0)
    # non-contiguous output
    big = np.zeros((7, 18))
    uf(x, out=big[:, ::2])
    assert_array_equal(big[:, ::2], want)
    # dtype= and the loops: float32 stays, small ints and bool give float64
    assert uf(x, dtype=np.float32).dtype == np.float32
    assert uf(np.float16(0.5)).dtype == np.float32
    for dt in (np.bool_, np.int8, np.uint8, np.int16, np.uint16, np.int32, np.int64):
        r = uf(np.array([1, 1, 0], dtype=dt))
        assert r.dtype == np.float64
        assert_array_equal(r, uf(np.array([1.0, 1.0, 0.0])))
    # broadcasting output and a reduce-free ufunc's scalar result
    assert isinstance(uf(0.5), np.float64)
    # __array_ufunc__ dispatch
    class Duck:
        def __array_ufunc__(self, ufunc, method, *inputs, **kwargs):
            return ("duck", ufunc.__name__, method)
    assert uf(Duck()) == ("duck", uf.__name__, "__call__")


def test_public_wrappers_forward_ufunc_keywords_and_dispatch():
    class Duck:
        def __array_ufunc__(self, ufunc, method, *inputs, **kwargs):
            return ufunc.__name__
    assert ib.log1pexp(Duck()) == "log1pexp"
    assert ib.log_sigmoid(Duck()) == "log_sigmoid"
    assert ib.self_information(Duck()) == "self_information_bits"
    assert ib.self_information(Duck(), base="nats") == "self_information_nats"
    x = np.array([-1.0, 0.5, 2.0])
    out = np.zeros(3)
    ib.self_information(x, out=out, where=x > 0, base=3)
    assert out[0] == 0.0
    np.testing.assert_allclose(out[1:], -np.log(x[1:]) / math.log(3), rtol=1e-15)
    assert ib.log1pexp.ufunc is _ufuncs.log1pexp
    assert ib.self_information.ufunc is _ufuncs.self_information_bits
    with pytest.raises(TypeError, match="x must be"):
        ib.log_sigmoid(np.array(["a"]))
    with pytest.raises(TypeError, match="p must be"):
        ib.self_information(np.array([0.5 + 0j]))


def test_ufuncs_raise_no_spurious_warnings():
    import warnings
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        _ufuncs.log1pexp(np.array([np.nan, np.inf, -np.inf]))
        _ufuncs.self_information_bits(np.array([0.0, -1.0, np.nan]))
        _ufuncs.pmi_nats(np.array([0.0, 1.0]), np.array([0.0, 0.0]), np.array([1.0, 1.0]))


@pytest.mark.parametrize("bits", [False, True])
def test_pmi_fast_blocks_broadcasting_and_dtypes(bits):
    uf = _ufuncs.pmi_bits if bits else _ufuncs.pmi_nats
    scale = 1 / math.log(2) if bits else 1.0
    # ordinary magnitudes (the fast blocks), zeros, and exact powers of two
    a = 10.0 ** RNG.uniform(-90, 0, (40, 1))
    b = 10.0 ** RNG.uniform(-90, 0, (40, 1))
    c = 10.0 ** RNG.uniform(-90, 0, (1, 300))
    pxy = a * c * RNG.uniform(0.5, 2.0, (40, 300))
    pxy[3, 7] = 0.0
    with mpmath.workdps(60):
        want = np.array([[float(mpmath.log(mpmath.mpf(pxy[i, j]) / (mpmath.mpf(b[i, 0])
                                                                  * mpmath.mpf(c[0, j]))) * scale)
                          if pxy[i, j] > 0 else -np.inf for j in range(300)] for i in range(40)])
    got = uf(pxy, b, c)                      # b, c broadcast (stride-0 operands)
    assert _ulps(got, want).max() <= 4
    full = [np.ascontiguousarray(v) for v in np.broadcast_arrays(pxy, b, c)]
    assert_array_equal(uf(*full), got)
    assert_array_equal(uf(pxy.T, b.T, c.T), got.T)
    out = np.empty((300, 40)).T              # a strided output
    uf(pxy, b, c, out=out)
    assert_array_equal(out, got)
    g32 = uf(pxy.astype(np.float32), b.astype(np.float32), c.astype(np.float32))
    assert g32.dtype == np.float32
    r32 = uf(np.float32(0.5), np.float32(0.5), 0.25)       # a Python float is weak
    assert r32.dtype == np.float32
    assert r32 == (2.0 if bits else np.float32(math.log(4.0)))
    if bits:
        assert uf(1.0, 2.0 ** -600, 2.0 ** -500) == 1100.0
        assert uf(0.25, 0.5, 0.25) == 1.0
    assert uf(np.array([1, 2]), np.array([1, 1]), np.array([1, 1])).dtype == np.float64
