"""Reliability battery, part 3: property tests (Hypothesis).

Arrays from ``hypothesis.extra.numpy`` in float16/32/64, little- and
big-endian, shapes with 0-length axes, and strided / negative-stride views
of larger arrays.  Properties:

* the result equals the call on a C-contiguous native-order copy, bitwise;
* spellings of the same reduction (axis=None, all axes, ravel, keepdims,
  negative axes) give the same bits;
* logsumexp(x + c) = logsumexp(x) + c (to the error bound);
* softmax rows sum to 1 within 2 (log2 n + 2) ulp (exact sum by math.fsum);
* 0 <= H <= log2 n, KL >= 0, JS >= 0, CE >= 0 for distributions;
* MI(p_xy) = MI(p_xy.T);
* batched rows are bitwise equal to single-row calls;
* rows of the cross-entropy gradient from logits sum to 0.

Derandomized, no example database, 40 examples per property by default
(``INFOBITS_HYPOTHESIS_EXAMPLES`` to change), so CI runs are reproducible.
"""
from __future__ import annotations

import math
import os
import warnings

import numpy as np
import pytest

hypothesis = pytest.importorskip("hypothesis")
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402
from hypothesis.extra import numpy as hnp  # noqa: E402

import infobits as ib  # noqa: E402

N_EX = int(os.environ.get("INFOBITS_HYPOTHESIS_EXAMPLES", "40"))
SETTINGS = settings(max_examples=N_EX, derandomize=True, database=None, deadline=None,
                    suppress_health_check=list(hypothesis.HealthCheck))

FLOAT_DTYPES = [np.dtype(f"{o}f{s}") for o in "<>" for s in (2, 4, 8)]


def _elements(dt, lo, hi):
    return st.floats(lo, hi, width=8 * dt.itemsize if dt.itemsize > 1 else 16,
                     allow_nan=False, allow_infinity=False)


@st.composite
def arrays(draw, lo=-50.0, hi=50.0, min_dims=1, max_dims=3, min_side=0, max_side=6, positive=False):
    """A float array in any float dtype and byte order, possibly a strided or
    negative-stride view of a larger array."""
    dt = draw(st.sampled_from(FLOAT_DTYPES))
    shape = draw(hnp.array_shapes(min_dims=min_dims, max_dims=max_dims, min_side=min_side, max_side=max_side))
    steps = [draw(st.sampled_from([1, 2, -1, -2])) for _ in shape]
    big = tuple(max(n * abs(s), 1) for n, s in zip(shape, steps))
    a = draw(hnp.arrays(dt, big, elements=_elements(dt, 0.0 if positive else lo, hi)))
    idx = tuple(slice(None, None, s) for s in steps)
    v = a[idx]
    v = v[tuple(slice(0, n) for n in shape)]
    assert v.shape == shape
    return v


def _native(a):
    return np.ascontiguousarray(a).astype(a.dtype.newbyteorder("="))


def _bits(r):
    if isinstance(r, tuple):
        return b"".join(_bits(t) for t in r)
    r = np.asarray(r)
    return r.dtype.str.replace(">", "<").encode() + np.ascontiguousarray(r).tobytes()


def _quiet():
    w = warnings.catch_warnings()
    w.__enter__()
    warnings.simplefilter("ignore")
    return w


VIEW_FUNCS = {
    "entropy": lambda a: ib.entropy(a),
    "entropy_last": lambda a: ib.entropy(a, axis=-1),
    "kl_self_shift": lambda a: ib.kl_divergence(a, a[..., ::-1] if a.ndim else a),
    "js": lambda a: ib.jensen_shannon_divergence(a, 0.25),
    "logsumexp": lambda a: ib.logsumexp(a),
    "logsumexp_0": lambda a: ib.logsumexp(a, axis=0),
    "softmax": lambda a: ib.softmax(a),
    "log_softmax_0": lambda a: ib.log_softmax(a, axis=0),
    "log1pexp": lambda a: ib.log1pexp(a),
    "log_sigmoid": lambda a: ib.log_sigmoid(a),
    "self_information": lambda a: ib.self_information(a),
}


@pytest.mark.parametrize("name", list(VIEW_FUNCS))
@SETTINGS
@given(data=st.data())
def test_view_equals_contiguous_native_copy(name, data):
    positive = name in ("entropy", "entropy_last", "kl_self_shift", "js", "self_information")
    a = data.draw(arrays(positive=positive, lo=0.0 if positive else -50.0, hi=1.0 if positive else 50.0))
    f = VIEW_FUNCS[name]
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        assert _bits(f(a)) == _bits(f(_native(a)))


@SETTINGS
@given(a=arrays(positive=True, hi=1.0))
def test_reduction_spellings(a):
    allax = tuple(range(a.ndim))
    neg = tuple(range(-a.ndim, 0))
    for fn in (ib.entropy, lambda x, **k: ib.kl_divergence(x, 0.5, **k), ib.logsumexp):
        r = _bits(fn(a))
        assert _bits(fn(a, axis=allax)) == r
        assert _bits(fn(a, axis=neg)) == r
        assert _bits(fn(a.ravel())) == r
        assert _bits(np.asarray(fn(a, axis=allax, keepdims=True)).reshape(())) == r


@SETTINGS
@given(a=arrays(min_side=1), c=st.floats(-1e3, 1e3))
def test_logsumexp_shift(a, c):
    x = _native(a).astype(np.float64)
    xs = x + c
    lhs = float(ib.logsumexp(xs))
    rhs = float(ib.logsumexp(x)) + c
    n = x.size
    tol = (math.log2(n) + 4) * 2.0 ** -52 * (abs(lhs) + abs(c) + float(np.abs(x).max()) + 1)
    assert abs(lhs - rhs) <= tol


@SETTINGS
@given(a=arrays(min_dims=1, max_dims=2, min_side=1, max_side=64))
def test_softmax_rows_sum_to_one(a):
    dt = np.float32 if a.dtype.itemsize <= 4 else np.float64
    s = ib.softmax(a, axis=-1)
    assert s.dtype == dt
    n = a.shape[-1]
    eps = float(np.finfo(dt).eps)
    for row in s.reshape(-1, n):
        total = math.fsum(float(v) for v in row)
        assert abs(total - 1.0) <= 2 * (math.log2(n) + 2) * eps, (total, n)


def _dist(draw, n):
    w = draw(hnp.arrays(np.float64, n, elements=st.floats(0.0, 1.0)))
    if w.sum() == 0:
        w[0] = 1.0
    return w / w.sum()


@SETTINGS
@given(data=st.data(), n=st.integers(1, 40))
def test_measure_bounds(data, n):
    p = _dist(data.draw, n)
    q = _dist(data.draw, n)
    u = 2.0 ** -52
    h = float(ib.entropy(p))
    assert 0.0 <= h <= math.log2(n) + 8 * n * u
    kl = float(ib.kl_divergence(p, q))
    # p and q sum to 1 only to rounding: KL >= -(|sum p - 1| + |sum q - 1|) / ln 2 - rounding
    slack = (abs(math.fsum(p) - 1) + abs(math.fsum(q) - 1)) / math.log(2) + (math.log2(n) + 4) * u * 64
    assert kl >= -slack
    js = float(ib.jensen_shannon_divergence(p, q))
    assert 0.0 <= js <= 1.0 + 1e-12
    y = data.draw(st.integers(0, n - 1))
    if p[y] > 0:
        assert float(ib.cross_entropy(p, y)) >= 0.0
    t = q
    assert float(ib.cross_entropy(p[None, :], t[None, :])) >= 0.0


@SETTINGS
@given(pxy=hnp.arrays(np.float64, hnp.array_shapes(min_dims=2, max_dims=2, min_side=1, max_side=8),
                      elements=st.floats(0.0, 1.0)))
def test_mi_symmetric(pxy):
    s = pxy.sum()
    if s == 0:
        return
    pxy = pxy / s
    a = float(ib.mutual_information(pxy))
    b = float(ib.mutual_information(pxy.T))
    terms = float(np.sum(pxy)) * (abs(a) + 60)
    assert abs(a - b) <= 64 * 2.0 ** -52 * terms


@SETTINGS
@given(a=arrays(min_dims=2, max_dims=2, min_side=1, max_side=12), data=st.data())
def test_batched_rows_equal_single_rows(a, data):
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        p = np.abs(a)
        H = ib.entropy(p, axis=1, nan_policy="omit")       # any values: no checks
        L = ib.logsumexp(a, axis=1)
        S = ib.softmax(a, axis=1)
        LS = ib.log_softmax(a, axis=1)
        y = np.asarray(data.draw(hnp.arrays(np.int64, a.shape[0], elements=st.integers(0, a.shape[1] - 1))))
        CE, G = ib.cross_entropy(a, y, from_logits=True, reduction="none", return_grad=True)
        for i in range(a.shape[0]):
            assert _bits(H[i]) == _bits(ib.entropy(p[i], nan_policy="omit"))
            assert _bits(L[i]) == _bits(ib.logsumexp(a[i]))
            assert _bits(S[i]) == _bits(ib.softmax(a[i]))
            assert _bits(LS[i]) == _bits(ib.log_softmax(a[i]))
            ci, gi = ib.cross_entropy(a[i], y[i], from_logits=True, reduction="none", return_grad=True)
            assert _bits(CE[i]) == _bits(ci)
            assert _bits(G[i]) == _bits(gi)


@SETTINGS
@given(a=arrays(min_dims=2, max_dims=2, min_side=1, max_side=40), data=st.data())
def test_ce_logit_gradient_rows_sum_to_zero(a, data):
    y = np.asarray(data.draw(hnp.arrays(np.int64, a.shape[0], elements=st.integers(0, a.shape[1] - 1))))
    _, g = ib.cross_entropy(a, y, from_logits=True, reduction="sum", return_grad=True)
    eps = float(np.finfo(g.dtype).eps)
    K = a.shape[1]
    for row in g:
        assert abs(math.fsum(float(v) for v in row)) <= 2 * (K + 2) * eps
