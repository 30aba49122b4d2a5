"""Reliability battery, part 4: the input matrix.

Every implemented public function (``infobits.__all__`` and the
implemented names of ``infobits.estimate.__all__``) is called with its main
argument in every dtype (f16, f32, f64, int8/int32/int64/uint8, bool,
object, complex, str), every layout (C, Fortran, strided, negative stride,
stride 0, 0-d, empty, read-only, big-endian, misaligned) and as None, a
list and a scalar.  Each call either

* returns the result of the same call on the canonical input (a
  C-contiguous, native-order copy converted by the documented dtype policy:
  bool/int -> float64, float16 -> float32), bit for bit (the estimators,
  whose scaling uses NumPy's summation, within 1e-12 relative), or
* raises the documented TypeError / ValueError (the same one the canonical
  input raises, and TypeError for object/complex/str data);

it never crashes and never modifies its input (every input buffer is
compared byte for byte before and after the call).
"""
from __future__ import annotations

import warnings

import numpy as np
import pytest

import infobits as ib
import infobits.estimate as est

rng = np.random.default_rng(1)
SHAPE = (6, 5)
BASE = rng.uniform(0.05, 1.0, SHAPE)


def _labels(a):
    a = np.asarray(a)
    return 0 if a.ndim <= 1 else np.zeros(a.shape[0], dtype=np.int64)


# name -> callable(a); a is the varied argument
FUNCS = {
    "self_information": lambda a: ib.self_information(a),
    "entropy": lambda a: ib.entropy(a),
    "entropy_axis": lambda a: ib.entropy(a, axis=-1),
    "joint_entropy": lambda a: ib.joint_entropy(a),
    "conditional_entropy": lambda a: ib.conditional_entropy(a),
    "mutual_information": lambda a: ib.mutual_information(a),
    "pointwise_mutual_information": lambda a: ib.pointwise_mutual_information(a),
    "kl_divergence": lambda a: ib.kl_divergence(a, 0.5),
    "kl_divergence_q": lambda a: ib.kl_divergence(0.5, a),
    "jensen_shannon_divergence": lambda a: ib.jensen_shannon_divergence(a, 0.5),
    "logsumexp": lambda a: ib.logsumexp(a),
    "logsumexp_axis_b": lambda a: ib.logsumexp(a, axis=0, b=0.5),
    "softmax": lambda a: ib.softmax(a),
    "log_softmax": lambda a: ib.log_softmax(a, axis=0),
    "log1pexp": lambda a: ib.log1pexp(a),
    "log_sigmoid": lambda a: ib.log_sigmoid(a),
    "cross_entropy_probs": lambda a: ib.cross_entropy(a, _labels(a)),
    "cross_entropy_logits_grad": lambda a: ib.cross_entropy(a, _labels(a), from_logits=True, return_grad=True),
    "cross_entropy_soft": lambda a: ib.cross_entropy(a, np.full(np.shape(a), 0.2), from_logits=True),
    "nll_loss": lambda a: ib.nll_loss(a, _labels(a), reduction="none"),
    "focal_loss": lambda a: ib.focal_loss(a, _labels(a), return_grad=True),
    "perplexity": lambda a: ib.perplexity(a, _labels(a)),
    "binary_cross_entropy": lambda a: ib.binary_cross_entropy(a, np.ones(np.shape(a)), return_grad=True),
    "binary_cross_entropy_logits": lambda a: ib.binary_cross_entropy(a, 0.5, from_logits=True),
    "binary_focal_loss": lambda a: ib.binary_focal_loss(a, np.ones(np.shape(a)), reduction="none"),
    "estimate.differential_entropy": lambda a: est.differential_entropy(a, method="vasicek"),
    "estimate.differential_entropy_knn": lambda a: est.differential_entropy(a, method="knn", k=2),
    "estimate.kl_divergence": lambda a: est.kl_divergence(a, np.asarray(BASE) * 1.3 + 0.01),
    "estimate.mutual_information_ksg": lambda a: est.mutual_information(a, BASE[:, ::-1] ** 2, method="ksg", k=2),
    "estimate.mutual_information_ross": lambda a: est.mutual_information(a, np.arange(6) % 2, method="ross",
                                                                          k=1),
    "estimate.gaussian_entropy": lambda a: est.gaussian_entropy(a),
    "estimate.transfer_entropy_gaussian": lambda a: est.transfer_entropy(
        a, np.sin(np.arange(np.shape(a)[0] if np.ndim(a) else 1)), method="gaussian"),
    "estimate.gaussian_kl_divergence": lambda a: est.gaussian_kl_divergence(
        np.zeros(np.shape(a)[:1]), a, np.zeros(np.shape(a)[:1]), a),
}


def _ylab(a):
    n = np.shape(a)[0] if np.ndim(a) else 1
    return np.arange(n) % 3


# the discrete estimators take labels of any dtype (strings and objects too):
# their canonical input keeps its dtype
LABEL_FUNCS = {
    "estimate.entropy": lambda a: est.entropy(a),
    "estimate.entropy_from_counts": lambda a: est.entropy_from_counts(a),
    "estimate.mutual_information_labels": lambda a: est.mutual_information(a, _ylab(a)),
    "estimate.conditional_entropy": lambda a: est.conditional_entropy(a, _ylab(a)),
    "estimate.conditional_mutual_information": lambda a: est.conditional_mutual_information(
        a, _ylab(a), _ylab(a)[::-1].copy()),
    "estimate.mutual_information_matrix": lambda a: est.mutual_information_matrix(a),
    "estimate.contingency_table": lambda a: est.contingency_table(a, _ylab(a)),
    "estimate.mutual_information_from_counts": lambda a: est.mutual_information_from_counts(a),
    "estimate.transfer_entropy": lambda a: est.transfer_entropy(a, _ylab(a), method="plugin"),
    "estimate.transfer_entropy_matrix": lambda a: est.transfer_entropy_matrix(a, method="plugin"),
    "estimate.active_information_storage": lambda a: est.active_information_storage(
        a, method="plugin"),
    "estimate.lagged_mutual_information": lambda a: est.lagged_mutual_information(
        a, _ylab(a), [-1, 0, 2], method="plugin"),
}
FUNCS.update(LABEL_FUNCS)

COVERED = {k.split("_axis")[0].split("_q")[0] for k in FUNCS}


def test_every_public_function_is_in_the_matrix():
    names = {n.replace("estimate.", "") for n in FUNCS}
    flat = set()
    for n in names:
        for pub in list(ib.__all__) + list(est.__all__):
            if n == pub or n.startswith(pub + "_"):
                flat.add(pub)
    core = set(ib.__all__) - {"set_num_threads", "get_num_threads", "simd_path"}
    assert core <= flat, core - flat
    assert set(est.__all__) <= flat, set(est.__all__) - flat


def _symmetric_cov(a):
    return a


def _data(dtype):
    """The 6 x 5 data in the given dtype (values the dtype can hold)."""
    dt = np.dtype(dtype)
    if dt.kind == "f":
        return BASE.astype(dt)
    if dt.kind in "iu":
        return (np.arange(30).reshape(SHAPE) % 3 + 1).astype(dt)
    if dt.kind == "b":
        return (np.arange(30).reshape(SHAPE) % 3 == 0)
    if dt.kind == "c":
        return BASE.astype(dt)
    if dt.kind == "O":
        return BASE.astype(object)
    if dt.kind == "U":
        return BASE.astype(str)
    raise AssertionError(dt)


def _misaligned(a):
    buf = np.empty(a.nbytes + 1, dtype=np.uint8)
    m = buf[1:].view(a.dtype).reshape(a.shape)
    m[...] = a
    assert not m.flags.aligned
    return m


def _layouts(a):
    big = np.repeat(np.repeat(a, 2, axis=0), 2, axis=1)
    ro = a.copy()
    ro.flags.writeable = False
    be = a.astype(a.dtype.newbyteorder(">")) if a.dtype.kind in "fiuc" and a.dtype.itemsize > 1 else None
    out = {
        "C": np.ascontiguousarray(a),
        "F": np.asfortranarray(a),
        "strided": big[::2, ::2],
        "neg-stride": np.ascontiguousarray(a[::-1, ::-1])[::-1, ::-1],
        "stride-0": np.broadcast_to(a[:1], a.shape),
        "0-d": a[:1, :1].reshape(()),
        "empty": a[:0],
        "read-only": ro,
        "big-endian": be,
        "misaligned": _misaligned(a) if a.dtype.kind in "fiuc" and a.dtype.itemsize > 1 else None,
    }
    return {k: v for k, v in out.items() if v is not None}


def _canonical(v, labels=False):
    """C-contiguous native copy, converted by the documented dtype policy
    (labels keep their dtype)."""
    a = np.array(v, copy=True, order="C")
    if labels:
        return a.astype(a.dtype.newbyteorder("=")) if a.dtype.kind in "fiuc" else a
    if a.dtype.kind in "biu":
        return a.astype(np.float64)
    if a.dtype.kind == "f":
        a = a.astype(a.dtype.newbyteorder("="))
        return a.astype(np.float32) if a.dtype.itemsize == 2 else a
    return a


def _snapshot(x):
    if isinstance(x, np.ndarray):
        root = x
        while isinstance(root.base, np.ndarray):
            root = root.base
        return (x, np.array(root, copy=True), root)
    return (x, None, None)


def _unchanged(snap):
    x, copy, root = snap
    if copy is None:
        return True
    return copy.tobytes() == np.asarray(root).tobytes()


def _call(fn, a):
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        try:
            return "ok", fn(a)
        except (TypeError, ValueError) as e:
            return type(e), e


def _flat(r):
    if isinstance(r, tuple):
        return [np.asarray(t) for t in r]
    return [np.asarray(r)]


def _same(name, r1, r2):
    a, b = _flat(r1), _flat(r2)
    if len(a) != len(b):
        return False
    for x, y in zip(a, b):
        if x.shape != y.shape or x.dtype != y.dtype:
            return False
        if name.startswith("estimate."):
            if not np.allclose(x, y, rtol=1e-12, atol=0, equal_nan=True):
                return False
        elif x.tobytes() != y.tobytes() and not (np.isnan(x).all() and np.isnan(y).all()):
            return False
    return True


DTYPES = [np.float16, np.float32, np.float64, np.int8, np.int32, np.int64, np.uint8, np.bool_,
          object, np.complex128, str]
COUNTS = {"calls": 0, "results": 0, "errors": 0}


def _check(name, fn, a, expect_error=None, labels=False):
    snap = _snapshot(a)
    kind, r = _call(fn, a)
    COUNTS["calls"] += 1
    assert _unchanged(snap), f"{name} modified its input"
    if expect_error is not None:
        assert kind in expect_error, f"{name}: expected {expect_error}, got {kind} {r!r}"
        COUNTS["errors"] += 1
        return
    ckind, cr = _call(fn, _canonical(a, labels))
    if ckind != "ok":
        assert kind == ckind, f"{name}: canonical raised {ckind.__name__}: {cr}; this call gave {kind}"
        COUNTS["errors"] += 1
        return
    assert kind == "ok", f"{name}: the canonical input works but this raised {kind.__name__}: {r}"
    assert _same(name, r, cr), f"{name}: result differs from the canonical input's"
    COUNTS["results"] += 1


@pytest.mark.parametrize("name", list(FUNCS))
@pytest.mark.parametrize("dtype", DTYPES, ids=lambda d: np.dtype(d).name)
def test_dtype_layout_matrix(name, dtype):
    fn = FUNCS[name]
    data = _data(dtype)
    labels = name in LABEL_FUNCS
    bad = np.dtype(dtype).kind in "OcU" and not labels
    for lay, a in _layouts(data).items():
        # object/complex/str data: TypeError (documented); a shape error
        # (ValueError) may come first for 0-d or empty input
        _check(f"{name}[{np.dtype(dtype).name}, {lay}]", fn, a,
               expect_error=((TypeError,) if lay == "C" else (TypeError, ValueError)) if bad else None,
               labels=labels)


@pytest.mark.parametrize("name", list(FUNCS))
def test_none_list_scalar(name):
    fn = FUNCS[name]
    _check(f"{name}(None)", fn, None, expect_error=(TypeError, ValueError))
    kind, r = _call(fn, BASE.tolist())
    ckind, cr = _call(fn, BASE)
    assert kind == ckind
    if kind == "ok":
        assert _same(name, r, cr)
    kind, r = _call(fn, 0.25)
    ckind, cr = _call(fn, np.float64(0.25))
    assert kind == ckind, (kind, r, ckind, cr)
    if kind == "ok":
        assert _same(name, r, cr)
    if name in LABEL_FUNCS:
        return                      # strings, mixed lists and complex numbers are valid labels
    for bad in ("abc", [[1.0, "x"]], {"a": 1}, 1 + 2j):
        _check(f"{name}({bad!r})", fn, bad, expect_error=(TypeError, ValueError))


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_one_column_reversed_rows(dtype):
    """Found by the property tests: a (N, 1) view with row stride -1 item
    made the loss entry point return NULL without an exception (SystemError;
    _losses._row_stride uses -1 as its error value).  Now copied first."""
    x = np.arange(8, dtype=dtype).reshape(8, 1)[::-1]
    y = np.zeros(8, dtype=np.int64)
    for call in (lambda a: ib.cross_entropy(a, y, from_logits=True, return_grad=True),
                 lambda a: ib.cross_entropy(a, np.ones((8, 1))[::-1], from_logits=True),
                 lambda a: ib.nll_loss(a, y),
                 lambda a: ib.focal_loss(a, y, return_grad=True),
                 lambda a: ib.perplexity(np.ones_like(a), y)):
        assert _same("loss", call(x), call(np.ascontiguousarray(x)))
