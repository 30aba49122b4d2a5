"""Fuzz harness (atheris / libFuzzer) for infobits' loss, measure and
estimator entry points.

Usage:
    python tools/ci/fuzz_infobits.py -max_total_time=60 -print_final_stats=1 [corpus_dir]

Each input chooses one public function from the registry of the public API
(src/infobits/_registry.py: every row of infobits and infobits.estimate;
the hand-written branches below give some rows their own options, every
other row is called generically from its operands' kinds and its standard
keywords, so a new row is fuzzed without editing this file), a dtype (float16/32/64, both byte orders,
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
    from infobits._registry import ROWS

#: the rows fuzzed: every public function that takes arrays (the Dask twins
#: run the same kernels per chunk)
FUZZED = [r for r in ROWS if r.operands and not r.name.startswith("dask.")
          and r.name != "set_num_threads"]
#: rows with a hand-written branch in one_input (their branch number)
BRANCH = {"entropy": 0, "kl_divergence": 1, "jensen_shannon_divergence": 2,
          "mutual_information": 3, "conditional_entropy": 4,
          "pointwise_mutual_information": 5, "self_information": 6, "logsumexp": 7,
          "softmax": 8, "log_softmax": 9, "log1pexp": 10, "log_sigmoid": 10,
          "cross_entropy": 11, "nll_loss": 13, "focal_loss": 14, "perplexity": 15,
          "binary_cross_entropy": 16, "binary_focal_loss": 17,
          "estimate.differential_entropy": 18, "estimate.kl_divergence": 19,
          "estimate.gaussian_entropy": 21, "estimate.entropy": 22,
          "estimate.mutual_information": 23, "estimate.entropy_from_counts": 24,
          "estimate.mutual_information_from_counts": 25, "estimate.transfer_entropy": 26,
          "estimate.active_information_storage": 28, "estimate.lagged_mutual_information": 29}

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
    if "normalize" in names and fdp.ConsumeBool():
        o["normalize"] = True
    if "keepdims" in names and fdp.ConsumeBool():
        o["keepdims"] = True
    if "axes" in names and fdp.ConsumeBool():
        o["axes"] = (fdp.ConsumeIntInRange(-3, 3), fdp.ConsumeIntInRange(-3, 3))
    if "method" in names and fdp.ConsumeBool():
        o["method"] = [None, "plugin", "miller_madow", "ksg", "knn", "bad"][fdp.ConsumeIntInRange(0, 5)]
    if "reduction" in names and fdp.ConsumeBool():
        o["reduction"] = ["mean", "sum", "none", "max"][fdp.ConsumeIntInRange(0, 3)]
    if "return_grad" in names:
        o["return_grad"] = fdp.ConsumeBool()
    return o


def _generic(fdp, r, keep):
    """A row without a hand-written branch: operands by kind, standard
    keywords from the row."""
    f = ib
    for part in r.name.split("."):
        f = est if part == "estimate" else getattr(f, part)
    args = []
    for kind in r.kinds:
        if kind == "labels":
            v = _labels(fdp, fdp.ConsumeIntInRange(0, 8), fdp.ConsumeIntInRange(0, 4))
        elif kind == "counts":
            v = np.abs(_array(fdp)).astype(np.int64) if fdp.ConsumeBool() else _array(fdp)
        elif kind == "int":
            v = fdp.ConsumeIntInRange(-3, 3)
        else:
            v = _array(fdp)
        keep.append(v if isinstance(v, np.ndarray) else None)
        args.append(v)
    return f(*args, **_opts(fdp, tuple(r.keywords)))


def one_input(data):
    fdp = atheris.FuzzedDataProvider(data)
    row = FUZZED[fdp.ConsumeIntInRange(0, len(FUZZED) - 1)]
    which = BRANCH.get(row.name, -1)
    if which == 23 and fdp.ConsumeBool():
        which = 20                      # the continuous methods
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
        if which == -1:
            return _generic(fdp, row, keep)
        if which == 0:
            return ib.entropy(a, **_opts(fdp, M + ("keepdims", "normalize")))
        if which == 1:
            b = _array(fdp)
            keep.append(b)
            return ib.kl_divergence(a, b, **_opts(fdp, M + ("keepdims", "normalize")))
        if which == 2:
            b = _array(fdp)
            keep.append(b)
            return ib.jensen_shannon_divergence(a, b, **_opts(fdp, M + ("normalize",)))
        if which == 3:
            return ib.mutual_information(a, **_opts(fdp, tuple(row.keywords)))
        if which == 4:
            return ib.conditional_entropy(a, **_opts(fdp, tuple(row.keywords)))
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
            return ib.log1pexp(a) if row.name == "log1pexp" else ib.log_sigmoid(a)
        if which == 11:
            which_ = 11 if fdp.ConsumeBool() else 12
        else:
            which_ = which
        if which_ == 11 or which_ == 12:
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
            return ib.cross_entropy(a, y, from_logits=which_ == 11, **o)
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
