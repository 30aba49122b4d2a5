"""One call, one answer: every spelling of the same reduction gives the same
bits (1-D call, axis=0, keepdims, a row of a batch, a column of the
transposed batch, big-endian, strided and list inputs, every base), for the
measures, logsumexp, softmax rows and single-row losses.

The reference of each comparison is another spelling of the same call, so a
difference in the last bit fails; the values themselves are checked against
SciPy elsewhere (test_measures.py, test_numerics.py, test_losses.py).
"""
import math

import numpy as np
import pytest

import infobits as ib

BASES = [2, "bits", math.e, "nats", None, 10, "bans", 3.7]


def _same(a, b, what):
    a = np.asarray(a, dtype=np.float64)
    b = np.asarray(b, dtype=np.float64)
    assert a.shape == b.shape, what
    assert a.tobytes() == b.tobytes(), (what, a, b)


def _vectors(seed, count=120):
    rng = np.random.default_rng(seed)
    for _ in range(count):
        n = int(rng.integers(1, 700))
        p = rng.random(n)
        p[rng.random(n) < 0.1] = 0.0
        p /= p.sum() or 1.0
        q = rng.random(n) + 1e-3
        q /= q.sum()
        yield rng, n, p, q


def _spellings(v):
    """The same values as other arrays: big-endian, strided view, list."""
    strided = np.empty(2 * len(v))
    strided[::2] = v
    strided[1::2] = -7.0
    return {"big-endian": v.astype(">f8"), "strided": strided[::2],
            "list": v.tolist(), "fortran 1-D": np.asfortranarray(v)}


def _batch(rng, v, rows=5):
    """A batch with v as row i, other rows random, and i."""
    i = int(rng.integers(0, rows))
    B = rng.random((rows, len(v)))
    B[i] = v
    return B, i


@pytest.mark.parametrize("name", ["entropy", "joint_entropy"])
def test_entropy_spellings(name):
    f = getattr(ib, name)
    for k, (rng, n, p, _) in enumerate(_vectors(1)):
        base = BASES[k % len(BASES)]
        ref = f(p, base=base)
        _same(f(p, base=base, axis=0), ref, (name, n, base, "axis=0"))
        _same(f(p, base=base, axis=-1), ref, (name, n, base, "axis=-1"))
        _same(f(p, base=base, keepdims=True), np.reshape(ref, (1,)), (name, n, base, "keepdims"))
        _same(f(p, base=base, axis=(0,)), ref, (name, n, base, "axis=(0,)"))
        for what, v in _spellings(p).items():
            _same(f(v, base=base), ref, (name, n, base, what))
        B, i = _batch(rng, p)
        _same(f(B, base=base, axis=1)[i], ref, (name, n, base, "row"))
        _same(f(B.T, base=base, axis=0)[i], ref, (name, n, base, "column"))
        _same(f(B.astype(">f8"), base=base, axis=1)[i], ref, (name, n, base, "row BE"))
        _same(f(B[i:i + 1], base=base), ref, (name, n, base, "1-row 2-D"))
        _same(f(np.asfortranarray(B[i:i + 1]), base=base), ref, (name, n, base, "F 1-row"))


@pytest.mark.parametrize("name", ["kl_divergence", "jensen_shannon_divergence"])
def test_divergence_spellings(name):
    f = getattr(ib, name)
    for k, (rng, n, p, q) in enumerate(_vectors(2)):
        base = BASES[k % len(BASES)]
        ref = f(p, q, base=base)
        _same(f(p, q, base=base, axis=0), ref, (name, n, base, "axis=0"))
        _same(f(p, q, base=base, keepdims=True), np.reshape(ref, (1,)), (name, n, base, "keepdims"))
        sp, sq = _spellings(p), _spellings(q)
        for what in sp:
            _same(f(sp[what], sq[what], base=base), ref, (name, n, base, what))
        _same(f(p, sq["big-endian"], base=base), ref, (name, n, base, "mixed order"))
        B, i = _batch(rng, p)
        C = rng.random(B.shape)
        C[i] = q
        _same(f(B, C, base=base, axis=1)[i], ref, (name, n, base, "row"))
        _same(f(B.T, C.T, base=base, axis=0)[i], ref, (name, n, base, "column"))
        _same(f(B, q, base=base, axis=1)[i], ref, (name, n, base, "row, q broadcast"))


def test_mi_and_conditional_entropy_spellings():
    rng = np.random.default_rng(3)
    for k in range(150):
        base = BASES[k % len(BASES)]
        nx, ny = (int(v) for v in rng.integers(1, 40, 2))
        P = rng.random((nx, ny))
        P[rng.random((nx, ny)) < 0.1] = 0
        P /= P.sum() or 1.0
        px, py = P.sum(1, keepdims=True), P.sum(0, keepdims=True)
        ref = ib.mutual_information(P, base=base)
        # marginals summed by NumPy may differ from the derived ones in the
        # last bit: a different input, so close rather than bitwise
        np.testing.assert_allclose(ib.mutual_information(P, px, py, base=base), ref,
                                   rtol=1e-12, atol=1e-15)
        _same(ib.mutual_information(P.astype(">f8"), base=base), ref, (nx, ny, base, "BE"))
        _same(ib.mutual_information(P.tolist(), base=base), ref, (nx, ny, base, "list"))
        _same(ib.mutual_information(np.asfortranarray(P), base=base), ref, (nx, ny, base, "F"))
        ref = ib.conditional_entropy(P, base=base)
        _same(ib.conditional_entropy(np.asfortranarray(P), base=base), ref,
              (nx, ny, base, "H(Y|X) F"))
        ref = ib.joint_entropy(P, base=base)
        _same(ib.joint_entropy(np.asfortranarray(P), base=base), ref, (nx, ny, base, "H F"))
        _same(ib.entropy(P.ravel(), base=base), ref, (nx, ny, base, "H ravel"))
        _same(ib.entropy(np.asfortranarray(P), base=base), ref, (nx, ny, base, "H F"))


def test_elementwise_measure_spellings():
    rng = np.random.default_rng(4)
    for k in range(40):
        base = BASES[k % len(BASES)]
        P = rng.random((5, 7))
        P /= P.sum()
        ref = ib.self_information(P, base=base)
        for j in range(5):
            _same(ib.self_information(P[j], base=base), ref[j], (base, "self row"))
            _same(ib.self_information(P[j, 3], base=base), ref[j, 3], (base, "self scalar"))
        _same(ib.self_information(P.astype(">f8"), base=base), ref, (base, "self BE"))
        ref = ib.pointwise_mutual_information(P, base=base)
        _same(ib.pointwise_mutual_information(P.astype(">f8"), base=base), ref, (base, "pmi BE"))
        _same(ib.pointwise_mutual_information(np.asfortranarray(P), base=base), ref, (base, "pmi F"))


def test_logsumexp_spellings():
    rng = np.random.default_rng(5)
    for _ in range(150):
        n = int(rng.integers(1, 700))
        a = rng.standard_normal(n) * 10
        ref = ib.logsumexp(a)
        _same(ib.logsumexp(a, axis=0), ref, (n, "axis=0"))
        _same(ib.logsumexp(a, keepdims=True), np.reshape(ref, (1,)), (n, "keepdims"))
        for what, v in _spellings(a).items():
            _same(ib.logsumexp(v), ref, (n, what))
        B, i = _batch(rng, a)
        _same(ib.logsumexp(B, axis=1)[i], ref, (n, "row"))
        _same(ib.logsumexp(B.T, axis=0)[i], ref, (n, "column"))
        _same(ib.logsumexp(B[i:i + 1]), ref, (n, "1-row 2-D"))
        _same(ib.logsumexp(np.asfortranarray(B[i:i + 1])), ref, (n, "F 1-row"))
        full = ib.logsumexp(B)
        _same(ib.logsumexp(np.asfortranarray(B)), full, (n, "F full"))
        _same(ib.logsumexp(B.astype(">f8")), full, (n, "BE full"))
        _same(ib.logsumexp(B[:, None, :], axis=(1, 2))[i], ref, (n, "3-D row"))
        b = rng.random(n)
        ref = ib.logsumexp(a, b=b)
        Bb = rng.random(B.shape)
        Bb[i] = b
        _same(ib.logsumexp(B, axis=1, b=Bb)[i], ref, (n, "row with b"))


@pytest.mark.parametrize("fn", ["softmax", "log_softmax"])
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_softmax_row_spellings(fn, dtype):
    f = getattr(ib, fn)
    rng = np.random.default_rng(6)
    for _ in range(120):
        n = int(rng.integers(1, 300))
        x = (rng.standard_normal(n) * 5).astype(dtype)
        ref = f(x)
        B, i = _batch(rng, x, rows=int(rng.integers(1, 40)))
        B = B.astype(dtype)
        _same(f(B, axis=1)[i], ref, (fn, n, "row"))
        _same(f(B.T, axis=0)[:, i], ref, (fn, n, "column"))
        _same(f(x.astype(x.dtype.newbyteorder(">"))), ref, (fn, n, "BE"))
        s = np.empty(2 * n, dtype=dtype)
        s[::2] = x
        _same(f(s[::2]), ref, (fn, n, "strided"))
        out = np.empty_like(B)
        f(B, axis=1, out=out)
        _same(out[i], ref, (fn, n, "out="))


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_single_row_loss_equals_batch_row(dtype):
    rng = np.random.default_rng(7)
    for k in range(100):
        K = int(rng.integers(2, 200))
        N = int(rng.integers(1, 40))
        X = (rng.standard_normal((N, K)) * 3).astype(dtype)
        y = rng.integers(0, K, N)
        i = int(rng.integers(0, N))
        base = BASES[k % len(BASES)]
        rows = ib.cross_entropy(X, y, from_logits=True, reduction="none", base=base)
        _same(ib.cross_entropy(X[i], y[i], from_logits=True, reduction="none", base=base),
              rows[i], (K, N, base, "ce logits"))
        if dtype == np.float64:
            _same(ib.cross_entropy(X[i], y[i], from_logits=True, base=base), rows[i],
                  (K, N, base, "ce logits mean of one row"))
            _same(ib.cross_entropy(X[i:i + 1], y[i:i + 1], from_logits=True, base=base),
                  rows[i], (K, N, base, "ce 1-row batch"))
        P = ib.softmax(X, axis=1)
        rows = ib.cross_entropy(P, y, reduction="none", base=base)
        _same(ib.cross_entropy(P[i], y[i], reduction="none", base=base), rows[i],
              (K, N, base, "ce probs"))
        T = ib.softmax(rng.standard_normal((N, K)).astype(dtype), axis=1)
        rows = ib.cross_entropy(X, T, from_logits=True, reduction="none", base=base)
        _same(ib.cross_entropy(X[i], T[i], from_logits=True, reduction="none", base=base),
              rows[i], (K, N, base, "ce soft"))
        rows = ib.focal_loss(X, y, reduction="none")
        _same(ib.focal_loss(X[i], y[i], reduction="none"), rows[i], (K, N, "focal"))
        L = ib.log_softmax(X, axis=1)
        rows = ib.nll_loss(L, y, reduction="none")
        _same(ib.nll_loss(L[i], y[i], reduction="none"), rows[i], (K, N, "nll"))


def test_binary_loss_spellings():
    rng = np.random.default_rng(8)
    for _ in range(60):
        n = int(rng.integers(1, 300))
        z = rng.standard_normal(n) * 4
        t = (rng.random(n) < 0.5).astype(float)
        ref = ib.binary_cross_entropy(z, t, from_logits=True, reduction="none")
        B, i = _batch(rng, z)
        T = (rng.random(B.shape) < 0.5).astype(float)
        T[i] = t
        _same(ib.binary_cross_entropy(B, T, from_logits=True, reduction="none")[i], ref, n)
        s = ib.binary_cross_entropy(z, t, from_logits=True, reduction="sum")
        _same(ib.binary_cross_entropy(z.astype(">f8"), t, from_logits=True, reduction="sum"), s, n)
        _same(ib.binary_cross_entropy(z[None, :], t[None, :], from_logits=True, reduction="sum"), s, n)


@pytest.mark.parametrize("name", ["entropy", "kl_divergence", "jensen_shannon_divergence"])
def test_float32_spellings(name):
    f = getattr(ib, name)
    for k, (rng, n, p, q) in enumerate(_vectors(9, count=60)):
        base = BASES[k % len(BASES)]
        args = (p.astype(np.float32),) if name == "entropy" else (p.astype(np.float32),
                                                                    q.astype(np.float32))
        ref = f(*args, base=base)
        assert ref.dtype == np.float64
        _same(f(*args, base=base, axis=0), ref, (name, n, base, "axis=0"))
        _same(f(*(a.astype(">f4") for a in args), base=base), ref, (name, n, base, "BE"))
        B = np.stack([rng.random(n).astype(np.float32), args[0]])
        rest = [np.stack([rng.random(n).astype(np.float32), a]) for a in args[1:]]
        _same(f(B, *rest, base=base, axis=1)[1], ref, (name, n, base, "row"))
        _same(f(np.asfortranarray(B), *rest, base=base, axis=1)[1], ref, (name, n, base, "F row"))


def _same_or_nan(a, b, what):
    """_same, except that a NaN matches any NaN (its sign and payload depend
    on the operand order the compiler picked for an addition)."""
    a = np.asarray(a, dtype=np.float64)
    b = np.asarray(b, dtype=np.float64)
    assert a.shape == b.shape, what
    assert (np.isnan(a) == np.isnan(b)).all(), (what, a, b)
    ok = ~np.isnan(a)
    assert a[ok].tobytes() == b[ok].tobytes(), (what, a, b)


def _awkward(rng, shape, dtype):
    """Probabilities with zeros, NaNs, negatives, subnormals, huge and tiny
    values scattered in, so that blocks take both the fast and the full path."""
    a = rng.random(shape)
    u = rng.random(shape)
    a[u < 0.05] = 0.0
    a[(u >= 0.05) & (u < 0.06)] = np.nan
    a[(u >= 0.06) & (u < 0.07)] *= -1.0
    fi = np.finfo(dtype)
    a[(u >= 0.07) & (u < 0.08)] = float(fi.smallest_subnormal) * 3
    a[(u >= 0.08) & (u < 0.09)] = float(fi.max) ** 0.5 * 4   # beyond the fast ranges
    return a.astype(dtype)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("shape", [(5, 300), (300, 37), (9000, 20), (130, 1)])
@pytest.mark.filterwarnings("ignore::RuntimeWarning")
def test_outer_axis_equals_inner_axis(dtype, shape):
    """A reduction over a non-last axis of a C-ordered array (the outer-axis
    path: whole rows into a row of accumulators) gives the bits of the same
    reduction over the last axis of the transposed copy, for every term and
    policy, with several chunks per output (9000 rows) and partial tiles,
    on one thread and two."""
    rng = np.random.default_rng(11)
    R, K = shape
    a = _awkward(rng, (R, K), dtype)
    b = _awkward(rng, (R, K), dtype)
    aT, bT = np.ascontiguousarray(a.T), np.ascontiguousarray(b.T)
    old = ib.get_num_threads()
    for threads in (1, 2):
        ib.set_num_threads(threads)
        try:
            for pol in ("omit", "propagate"):
                x, y, xT, yT = a, b, aT, bT
                if pol == "propagate":
                    # probabilities (NaN kept): no range error; the sums
                    # are off 1 (warnings, ignored here)
                    x, y = (np.where(np.isnan(t), t, np.clip(t, 0, 1)).astype(dtype)
                            for t in (a, b))
                    xT, yT = np.ascontiguousarray(x.T), np.ascontiguousarray(y.T)
                _same_or_nan(ib.entropy(x, axis=0, nan_policy=pol),
                      ib.entropy(xT, axis=1, nan_policy=pol), ("entropy", pol))
                _same_or_nan(ib.kl_divergence(x, y, axis=0, nan_policy=pol),
                      ib.kl_divergence(xT, yT, axis=1, nan_policy=pol), ("kl", pol))
            pa, pb = np.abs(np.nan_to_num(a)), np.abs(np.nan_to_num(b))
            _same_or_nan(ib.jensen_shannon_divergence(pa, pb, axis=0, nan_policy="omit"),
                  ib.jensen_shannon_divergence(np.ascontiguousarray(pa.T),
                                               np.ascontiguousarray(pb.T), axis=1,
                                               nan_policy="omit"), "js")
            c3 = pa.reshape(R, 1, K) * np.ones((1, 3, 1), dtype)
            _same_or_nan(ib.entropy(c3, axis=(0, 1), nan_policy="omit"),
                  ib.entropy(np.ascontiguousarray(c3.transpose(2, 0, 1)), axis=(1, 2),
                             nan_policy="omit"),
                  "two reduced axes")
        finally:
            ib.set_num_threads(old)
    with pytest.raises(ValueError, match="p must hold probabilities|nan_policy='raise'"):
        ib.entropy(a, axis=0, nan_policy="raise")


def test_small_call_fast_paths_equal_general_path():
    """The small-call fast paths (plain 1-D float64, axis 0 of a vector; MI
    of a plain C-ordered float64 joint with derived marginals) give the bits
    of the general path (reached through a Fortran-ordered copy, a
    list, or keepdims)."""
    rng = np.random.default_rng(5)
    for n in (1, 2, 4, 7, 129, 5000):
        p = rng.random(n)
        q = rng.random(n) + 0.1
        p /= p.sum()
        q /= q.sum()
        ref = ib.entropy(p, keepdims=True)[0]
        for spelled in (ib.entropy(p), ib.entropy(p, axis=0), ib.entropy(p, axis=-1)):
            _same(spelled, ref, ("entropy", n))
        _same(ib.kl_divergence(p, q, axis=0), ib.kl_divergence(p, q, keepdims=True)[0],
              ("kl", n))
    for shape in ((2, 2), (1, 5), (37, 300), (300, 37)):
        j = rng.random(shape)
        j[j < 0.1] = 0.0
        j /= j.sum()
        for base in (2, None, "nats", 10):
            _same(ib.mutual_information(j, base=base),
                  ib.mutual_information(np.asfortranarray(j), base=base), ("mi", shape, base))
        _same(ib.mutual_information(j), ib.mutual_information(j.tolist()), ("mi list", shape))
    bad = np.array([[0.5, np.nan], [0.25, 0.25]])
    with pytest.raises(ValueError, match="index"):
        ib.mutual_information(bad, nan_policy="raise")
