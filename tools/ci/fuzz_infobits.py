"""Fuzz harness (atheris / libFuzzer) for infobits' loss, measure and
estimator entry points.

Usage:
    python tools/ci/fuzz_infobits.py -max_total_time=60 -print_final_stats=1 [corpus_dir]

Each input chooses one of 30 entry points (losses, measures, continuous
and discrete estimators), a dtype (float16/32/64, both byte orders,
int, bool), a shape (0-length axes included), a layout (contiguous,
Fortran, strided, reversed, broadcast, misaligned), the element values
(any bit pattern: NaN, infinities, subnormals, huge values) and the options
(axis, base, reduction, labels -- in range or not --, weights, ignore_index,
nan_policy, return_grad, k, method).  The call must either return or raise
TypeError / ValueError / IndexError (the documented errors); anything else
(another exception, a crash, a sanitizer report when run against the
tools/ci/sanitize.sh build) is a finding.  The input arrays must come back
unmodified.  Python code is coverage-instrumented (atheris.instrument_imports);
the C kernels are not (gcc build), so libFuzzer is guided by the Python
layer's branches only.
"""
from __future__ import annotations

import sys
import warnings

import atheris
import numpy as np

with atheris.instrument_imports():
    import infobits as ib
    import infobits.estimate as est

DTYPES = [np.dtype(s) for s in ("<f8", ">f8", "<f4", ">f4", "<f2", "<i8", "<i4", "|u1", "|b1")]
# (count tables with absurd totals once gave MemoryError; they now raise
# ValueError naming the argument, so MemoryError is a finding again)
ERRORS = (TypeError, ValueError, IndexError)


def _array(fdp, ndim=None, max_side=6):
    dt = DTYPES[fdp.ConsumeIntInRange(0, len(DTYPES) - 1)]
    nd = fdp.ConsumeIntInRange(0, 3) if ndim is None else ndim
    shape = tuple(fdp.ConsumeIntInRange(0, max_side) for _ in range(nd))
    n = int(np.prod(shape)) if shape else 1
    raw = fdp.ConsumeBytes(n * dt.itemsize)
    raw = raw + b"\0" * (n * dt.itemsize - len(raw))
    a = np.frombuffer(raw, dtype=dt).reshape(shape).copy()
    if dt.kind == "b":
        a = a.astype(bool)
    lay = fdp.ConsumeIntInRange(0, 5)
    if lay == 1:
        a = np.asfortranarray(a)
    elif lay == 2 and a.ndim:
        a = np.repeat(a, 2, axis=-1)[..., ::2]
    elif lay == 3 and a.ndim:
        a = a[::-1].copy()[::-1]
    elif lay == 4 and a.ndim and a.shape[0]:
        a = np.broadcast_to(a[:1], a.shape)
    elif lay == 5 and a.itemsize > 1:
        buf = np.empty(a.nbytes + 1, dtype=np.uint8)
        m = buf[1:].view(a.dtype).reshape(a.shape)
        m[...] = a
        a = m
    return a


def _labels(fdp, n, K):
    choice = fdp.ConsumeIntInRange(0, 3)
    if choice == 0:
        return np.array([fdp.ConsumeIntInRange(0, max(K - 1, 0)) for _ in range(n)], dtype=np.int64)
    dt = [np.int8, np.int32, np.int64, np.uint64][fdp.ConsumeIntInRange(0, 3)]
    info = np.iinfo(dt)
    vals = [fdp.ConsumeIntInRange(int(info.min), int(info.max)) for _ in range(n)]
    return np.array(vals, dtype=dt)


def _opts(fdp, names):
    o = {}
    if "axis" in names and fdp.ConsumeBool():
        o["axis"] = fdp.ConsumeIntInRange(-3, 3)
    if "base" in names and fdp.ConsumeBool():
        o["base"] = [2, None, 10, "bits", 0.5, -1.0, 1.0, "x"][fdp.ConsumeIntInRange(0, 7)]
    if "nan_policy" in names and fdp.ConsumeBool():
        o["nan_policy"] = ["omit", "propagate", "raise", "bad"][fdp.ConsumeIntInRange(0, 3)]
    if "reduction" in names and fdp.ConsumeBool():
        o["reduction"] = ["mean", "sum", "none", "max"][fdp.ConsumeIntInRange(0, 3)]
    if "return_grad" in names:
        o["return_grad"] = fdp.ConsumeBool()
    return o


def one_input(data):
    fdp = atheris.FuzzedDataProvider(data)
    which = fdp.ConsumeIntInRange(0, 29)
    a = _array(fdp)
    snaps = []

    class _Keep(list):
        def append(self, v):
            snaps.append(None if v is None else np.asarray(v).tobytes())
            super().append(v)

    keep = _Keep()
    keep.append(a)
    M = ("axis", "base", "nan_policy")
    L = ("reduction", "return_grad")

    def call():
        if which == 0:
            return ib.entropy(a, **_opts(fdp, M + ("keepdims",)))
        if which == 1:
            b = _array(fdp)
            keep.append(b)
            return ib.kl_divergence(a, b, **_opts(fdp, M))
        if which == 2:
            b = _array(fdp)
            keep.append(b)
            return ib.jensen_shannon_divergence(a, b, **_opts(fdp, ("axis", "base")))
        if which == 3:
            return ib.mutual_information(a, **_opts(fdp, ("base", "nan_policy")))
        if which == 4:
            return ib.conditional_entropy(a, **_opts(fdp, ("base", "nan_policy")))
        if which == 5:
            return ib.pointwise_mutual_information(a, normalized=fdp.ConsumeBool())
        if which == 6:
            return ib.self_information(a, **_opts(fdp, ("base",)))
        if which == 7:
            b = _array(fdp) if fdp.ConsumeBool() else None
            keep.append(b)
            return ib.logsumexp(a, axis=_opts(fdp, ("axis",)).get("axis"), b=b, return_sign=fdp.ConsumeBool())
        if which == 8:
            return ib.softmax(a, axis=fdp.ConsumeIntInRange(-3, 3))
        if which == 9:
            return ib.log_softmax(a, axis=fdp.ConsumeIntInRange(-3, 3))
        if which == 10:
            return ib.log1pexp(a) if fdp.ConsumeBool() else ib.log_sigmoid(a)
        if which == 11 or which == 12:
            N = a.shape[0] if a.ndim == 2 else 1
            K = a.shape[-1] if a.ndim else 0
            y = _labels(fdp, N, K) if a.ndim == 2 else (_labels(fdp, 1, K)[0] if a.ndim else 0)
            keep.append(y)
            o = _opts(fdp, L)
            if fdp.ConsumeBool():
                o["weight"] = _array(fdp, ndim=1)
                keep.append(o["weight"])
            if fdp.ConsumeBool():
                o["ignore_index"] = fdp.ConsumeIntInRange(-200, 10)
            if fdp.ConsumeBool():
                o["label_smoothing"] = fdp.ConsumeFloat()
            return ib.cross_entropy(a, y, from_logits=which == 11, **o)
        if which == 13:
            N = a.shape[0] if a.ndim == 2 else 1
            K = a.shape[-1] if a.ndim else 0
            y = _labels(fdp, N, K) if a.ndim == 2 else 0
            keep.append(y)
            return ib.nll_loss(a, y, reduction=_opts(fdp, ("reduction",)).get("reduction", "mean"))
        if which == 14:
            N = a.shape[0] if a.ndim == 2 else 1
            K = a.shape[-1] if a.ndim else 0
            y = _labels(fdp, N, K) if a.ndim == 2 else 0
            keep.append(y)
            return ib.focal_loss(a, y, gamma=fdp.ConsumeFloat(), from_logits=fdp.ConsumeBool(), **_opts(fdp, L))
        if which == 15:
            N = a.shape[0] if a.ndim == 2 else 1
            K = a.shape[-1] if a.ndim else 0
            y = _labels(fdp, N, K) if a.ndim == 2 else 0
            keep.append(y)
            return ib.perplexity(a, y, from_logits=fdp.ConsumeBool())
        if which == 16:
            b = _array(fdp)
            keep.append(b)
            return ib.binary_cross_entropy(a, b, from_logits=fdp.ConsumeBool(), **_opts(fdp, L))
        if which == 17:
            b = _array(fdp)
            keep.append(b)
            return ib.binary_focal_loss(a, b, gamma=fdp.ConsumeFloat(), **_opts(fdp, L))
        # the k-NN keywords of the neighbour engine
        def knn_opts():
            return {"metric": ["chebyshev", "euclidean", "bad"][fdp.ConsumeIntInRange(0, 2)],
                    "theiler": fdp.ConsumeIntInRange(-1, 4),
                    "jitter": [0.0, 1e-10, fdp.ConsumeFloat()][fdp.ConsumeIntInRange(0, 2)],
                    "local": fdp.ConsumeBool()}
        if which == 18:
            meth = ["auto", "vasicek", "van es", "ebrahimi", "correa", "knn", "bad"][fdp.ConsumeIntInRange(0, 6)]
            if meth == "knn" and fdp.ConsumeBool():
                return est.differential_entropy(a, method=meth, k=fdp.ConsumeIntInRange(-1, 5),
                                                **knn_opts())
            return est.differential_entropy(a, method=meth, k=fdp.ConsumeIntInRange(-1, 5))
        if which == 19:
            b = _array(fdp)
            keep.append(b)
            opts = knn_opts() if fdp.ConsumeBool() else {}
            return est.kl_divergence(a, b, k=fdp.ConsumeIntInRange(-1, 5), **opts)
        if which == 20:
            b = _array(fdp)
            keep.append(b)
            opts = knn_opts() if fdp.ConsumeBool() else {}
            if fdp.ConsumeBool():
                c = _array(fdp)
                keep.append(c)
                return est.conditional_mutual_information(
                    a, b, c, method="ksg", k=fdp.ConsumeIntInRange(-1, 5),
                    algorithm=fdp.ConsumeIntInRange(0, 3), **opts)
            return est.mutual_information(a, b, method=["ksg", "ross"][fdp.ConsumeIntInRange(0, 1)],
                                          k=fdp.ConsumeIntInRange(-1, 5), **opts)
        if which == 21:
            return est.gaussian_entropy(a)
        DMETH = [None, "plugin", "miller_madow", "grassberger", "james_stein", "chao_shen", "bad"]
        if which == 22:
            return est.entropy(a, method=DMETH[fdp.ConsumeIntInRange(0, 6)])
        if which == 23:
            b = _array(fdp)
            keep.append(b)
            return est.mutual_information(a, b, method=DMETH[fdp.ConsumeIntInRange(0, 6)])
        if which == 24:
            return est.entropy_from_counts(a, method=DMETH[fdp.ConsumeIntInRange(1, 6)])
        if which == 25:
            return est.mutual_information_from_counts(a, method=DMETH[fdp.ConsumeIntInRange(1, 6)])
        # information dynamics: a series against another (labels or reals),
        # embedding parameters in and out of range
        TMETH = ["plugin", "ksg", "gaussian", "gcmi", "bad"]
        emb = {nm: fdp.ConsumeIntInRange(-1, 4) for nm in ("history", "tau", "delay")}
        if which == 26 or which == 27:
            b = _array(fdp)
            keep.append(b)
            return est.transfer_entropy(a, b, method=TMETH[fdp.ConsumeIntInRange(0, 4)],
                                        local=fdp.ConsumeBool(), **emb)
        if which == 28:
            return est.active_information_storage(a, method=TMETH[fdp.ConsumeIntInRange(0, 4)],
                                                  history=emb["history"], tau=emb["tau"])
        b = _array(fdp)
        keep.append(b)
        lags = [fdp.ConsumeIntInRange(-5, 5) for _ in range(fdp.ConsumeIntInRange(0, 3))]
        return est.lagged_mutual_information(a, b, lags, method=TMETH[fdp.ConsumeIntInRange(0, 4)])

    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        try:
            call()
        except ERRORS:
            pass
    for arr, before in zip(keep, snaps):
        if arr is not None and np.asarray(arr).tobytes() != before:
            raise AssertionError(f"entry point {which} modified its input")


def main():
    atheris.Setup(sys.argv, one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
