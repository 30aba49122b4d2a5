"""Significance of an estimate: permutation tests.

``permutation_test(estimator, *args, ...)`` permutes the first argument of
an estimator against the others and recomputes the estimate on each
permuted copy.  The permutations come from keys drawn up front from one
``numpy.random.Generator``; each key defines its permutation through the
compiled Fisher-Yates shuffle of ``csrc/ib_perm.c`` (``ib_perm_indices``),
so that the generic path (NumPy indexing) and the compiled fast paths see
the same permutations and the results do not depend on the thread count.

Fast paths (taken when the estimator is one of infobits' own and the
arguments are plain arrays):

* plug-in MI of labels: both variables factorised once; the contingency
  table of each permutation counted in C (``ib_perm_mi_plugin``), one engine
  unit per permutation; the marginal terms computed once;
* KSG MI (one-dimensional x and y): the samples prepared (scaled,
  jittered) once as the estimator prepares them, x's and y's neighbour
  spaces built once, only the joint k-th-neighbour search and the counts
  run per permutation (on the neighbour engine); the prepared x is
  permuted, so the values equal the estimator's on permuted copies wherever
  no two distances are within the jitter (1e-10) of each other;
* transfer entropy (all methods): the embedding built once and the source's
  embedded history vectors permuted as units (JIDT's surrogates); for KSG
  the target's spaces (past, and next value with past) built once;
* active information storage (all methods): the embedding built once and
  the past vectors permuted as units against the next values (for KSG the
  next values' space built once).
"""
from __future__ import annotations

import functools
import numbers
import operator
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from .. import _estimate as _k
from .._validation import log_base

__all__ = ["PermutationTestResult", "permutation_test"]


@dataclass(frozen=True)
class PermutationTestResult:
    """The result of :func:`permutation_test`.

    Attributes
    ----------
    statistic : numpy.float64 or ndarray
        The estimate on the data as given.
    pvalue : numpy.float64 or ndarray
        ``(1 + #{null >= statistic}) / (1 + n_permutations)``, null values
        within 1e-12 of the statistic (relative; absolute below 1) counted
        as ties.
    null_distribution : ndarray
        The estimates on the permuted copies, shape
        ``(n_permutations,) + statistic.shape``.
    """

    statistic: Any
    pvalue: Any
    null_distribution: NDArray[np.float64]


def _check_count(v: Any, name: str) -> int:
    if isinstance(v, (bool, np.bool_)) or not isinstance(v, numbers.Integral):
        raise TypeError(f"{name} must be a positive int; got {v!r}")
    i = operator.index(v)
    if i < 1:
        raise ValueError(f"{name} must be a positive int; got {i}")
    return i


def _keys(random_state: Any, m: int) -> NDArray[np.uint64]:
    if isinstance(random_state, np.random.Generator):
        rng = random_state
    elif random_state is None or (isinstance(random_state, numbers.Integral)
                                  and not isinstance(random_state, (bool, np.bool_))):
        rng = np.random.default_rng(None if random_state is None else int(random_state))
    else:
        raise TypeError("random_state must be None, an int or a numpy.random.Generator; "
                        f"got {random_state!r}")
    return rng.integers(0, 2 ** 64, size=m, dtype=np.uint64, endpoint=False)


def _length(x: Any) -> int:
    if hasattr(x, "iloc"):
        return int(len(x))
    a = np.asarray(x)
    if a.ndim == 0:
        raise ValueError("the first argument (the one permuted) must have a sample axis (axis "
                         "0); got a scalar")
    return int(a.shape[0])


def _permuted(x: Any, pi: NDArray[np.int64]) -> Any:
    if hasattr(x, "iloc"):                      # pandas: rows permuted, labels kept
        out = x.iloc[pi].copy()
        out.index = x.index
        return out
    return np.asarray(x)[pi]


#: Null values this close to the statistic (relative; absolute below 1)
#: count as ties, i.e. as >= (SciPy's permutation_test does the same): a
#: permuted arrangement equivalent to the data (the same contingency
#: table, say) may be computed along another path (the compiled fast path,
#: another summation order) and land an ulp below the statistic; counting
#: it below would break the tie in the statistic's favour.
TIE_RTOL = 1e-12


def _pvalue(stat: Any, null: NDArray[np.float64]) -> Any:
    st = np.asarray(stat, dtype=np.float64)
    tol = TIE_RTOL * np.maximum(np.abs(st), 1.0)
    with np.errstate(invalid="ignore"):
        ge = np.sum(null >= st - tol, axis=0)
    p = (1.0 + ge) / (1.0 + null.shape[0])
    return np.float64(p) if np.ndim(p) == 0 else np.asarray(p, dtype=np.float64)


def _as_stat(v: Any) -> Any:
    if hasattr(v, "to_numpy"):                  # a pandas result
        v = v.to_numpy()
    a = np.asarray(v, dtype=np.float64)
    return np.float64(a) if a.ndim == 0 else a


# ----------------------------------------------------------- fast paths --

def _is(estimator: Any, name: str) -> bool:
    from .. import estimate as _est
    return estimator is getattr(_est, name, None)


def _plain(a: Any) -> bool:
    return isinstance(a, (np.ndarray, list, tuple)) and not hasattr(a, "iloc")


def _mi_plugin_fast(x: Any, y: Any, base: Any, keys: Any, block: int) -> Any:
    """Plug-in MI null distribution in C, or None when it does not apply."""
    from ._discrete import _columns
    a, b = np.asarray(x), np.asarray(y)
    if a.ndim != 1 or b.ndim != 1 or a.shape != b.shape or a.shape[0] < 1 \
            or a.shape[0] > 0x7FFFFFFF:
        return None
    (cx, kx), = _columns(a, "x")
    (cy, ky), = _columns(b, "y")
    n = a.shape[0]
    xi = np.ascontiguousarray(cx, dtype=np.int32)
    yi = np.ascontiguousarray(cy, dtype=np.int32)
    s_xy = _k.perm_mi_plugin(xi, int(kx), yi, int(ky), keys, block)

    def clogc(c: Any) -> float:
        c = c[c > 1].astype(np.float64)
        return float(np.sum(c * np.log(c)))

    s_x = clogc(np.bincount(xi, minlength=int(kx)))
    s_y = clogc(np.bincount(yi, minlength=int(ky)))
    mi = np.log(float(n)) + (s_xy - s_x - s_y) / float(n)
    return np.maximum(mi, 0.0) / log_base(base)


_KSG_KEYS = {"method", "base", "k", "jitter", "standardize", "random_state", "metric",
             "theiler", "algorithm"}


def _mi_ksg_fast(x: Any, y: Any, kw: dict[str, Any], keys: Any, block: int) -> Any:
    """KSG MI null distribution reusing y's space, or None."""
    from .. import _knn
    from . import _continuous as _c
    if not set(kw) <= _KSG_KEYS or kw.get("metric", "chebyshev") != "chebyshev" \
            or kw.get("theiler", 0) != 0 or kw.get("algorithm", 1) != 1:
        return None
    rs = kw.get("random_state")
    if not (rs is None or (isinstance(rs, numbers.Integral) and not isinstance(rs, bool))):
        return None                  # a Generator advances between calls: generic path
    a0, b0 = np.asarray(x), np.asarray(y)
    if a0.dtype.kind != "f" or b0.dtype.kind != "f" or a0.ndim != 1 or b0.ndim != 1 \
            or a0.shape != b0.shape:
        return None
    k = _c._check_k(kw.get("k", 3))
    jitter = _c._check_jitter(kw.get("jitter", 1e-10))
    standardize = kw.get("standardize", True)
    div = log_base(kw.get("base", 2))
    a0, b0 = a0[:, None].astype(np.float64), b0[:, None].astype(np.float64)
    n = a0.shape[0]
    big = max(float(np.max(np.abs(a0))), float(np.max(np.abs(b0)))) if n else 0.0
    if n <= k or _c._constant(a0) or _c._constant(b0) or not np.isfinite(big) \
            or big > 2.0 ** 500 or 0.0 < big < 2.0 ** -500:
        return None
    # the samples prepared once, exactly as the estimator prepares the data
    # (so the identity permutation gives the statistic's bits); the
    # prepared x is permuted, so x's and y's spaces and the grid's box are
    # built once
    rng = _c._rng(rs)
    a = _c._prepare(a0, standardize, jitter, rng)
    b = _c._prepare(b0, standardize, jitter, rng)
    xs, ys = _knn.KnnSpace(a), _knn.KnnSpace(b)
    box = (*_c._bulk(a[:, 0]), *_c._bulk(b[:, 0]))
    grid = k <= 64 and box[1] > box[0] and box[3] > box[2]
    bcol = np.ascontiguousarray(b[:, 0])
    psi_n, psi_k = _c._digamma_int([n, k])
    # digamma at the integers 1 .. n + 1 once (the same elementwise values as
    # the estimator's calls), gathered per permutation
    psi = _c._digamma_int(np.arange(1, n + 2))
    out = np.empty(keys.shape[0])
    r = np.empty(n)
    eps = np.empty(n)
    for p, key in enumerate(keys):
        pi = _k.perm_indices(int(key), n, block)
        ap = np.ascontiguousarray(a[pi])
        ok = False
        if grid:
            ok, _ = _knn.knn2d_maxnorm_f64(ap[:, 0], bcol, k, (box[0], box[2], box[1], box[3]),
                                           _c._max_work(n, k), eps)
        if not ok:
            eps = _c._space((ap, b), (1, 1)).knn(k, 0, 0)
        # joint point i is (a[pi[i]], b[i]): its x count is x's count at
        # point pi[i] with radius eps[i]
        r[pi] = eps
        nx = xs.count(r, 0, True, 0)[pi]
        ny = ys.count(eps, 0, True, 0)
        local = psi_k + psi_n - psi[nx] - psi[ny]
        out[p] = float(np.mean(local)) / div
    return out


# --------------------------------------------------------------- public --

def permutation_test(estimator: Callable[..., Any], *args: Any, n_permutations: int = 999,
                     block_size: int | None = None, random_state: Any = None,
                     **kwargs: Any) -> PermutationTestResult:
    """Permutation test of an estimate against independence.

    Computes ``estimator(*args, **kwargs)`` and its null distribution: the
    same estimate with the first argument permuted against the others,
    ``n_permutations`` times.  For mutual information and conditional
    mutual information the samples of x are permuted (a plain permutation,
    not one within strata of z); for
    :func:`~infobits.estimate.transfer_entropy` the source's embedded
    history vectors are permuted as units (JIDT's surrogates: the target's
    next value and past stay paired), and for
    :func:`~infobits.estimate.active_information_storage` the embedded past
    vectors against the next values.  With ``block_size`` the samples
    (or embedded vectors) are cut into consecutive blocks of that many (the
    last one shorter) and the blocks are permuted, each keeping its order:
    the surrogate for autocorrelated series.

    Parameters
    ----------
    estimator : callable
        An estimator of :mod:`infobits.estimate` (any callable taking the
        permuted argument first works through the generic path).
    *args : array_like
        The estimator's positional arguments; the first is permuted along
        axis 0 (a pandas object's rows, its index kept).
    n_permutations : int, default 999
        Number of permutations.
    block_size : int or None, default None
        Permute blocks of this many consecutive samples instead of samples.
    random_state : None, int or numpy.random.Generator, default None
        Draws the permutations (their 64-bit keys all drawn up front from
        one Generator, so a given random_state gives the same result
        whatever the thread count).  The estimator's own ``random_state``
        (for its tie-breaking jitter) cannot share the name: bind it with
        ``functools.partial(estimator, random_state=...)`` (a partial's
        keywords are passed through like ``**kwargs``); by default the
        estimator draws the same jitter on every call.
    **kwargs
        The estimator's keywords, passed through unchanged.

    Returns
    -------
    PermutationTestResult
        A frozen dataclass with ``statistic`` (the estimate), ``pvalue`` =
        ``(1 + #{null >= statistic}) / (1 + n_permutations)``, a null value
        within 1e-12 of the statistic (relative; absolute below 1) counting
        as a tie, i.e. as >=, so that rounding never breaks a tie in the
        statistic's favour (JIDT reports
        ``#{null >= statistic} / n_permutations``, without the +1s, which
        can be 0) and ``null_distribution`` (float64, shape
        ``(n_permutations,) + statistic.shape``; estimators with one value
        per column give one p-value per column).

    Notes
    -----
    infobits' own estimators run their surrogates without the per-call
    work a permutation does not change: plug-in mutual information of
    labels counts each permuted contingency table in compiled code
    (multithreaded over the permutations), KSG mutual information of
    one-dimensional samples prepares (scales, jitters) the samples once and
    reuses both marginal neighbour spaces, and transfer
    entropy builds the embedding and the target's neighbour spaces once.
    Every other estimator (and every other combination of arguments) is
    called on permuted copies; the values are the same either way (for KSG,
    which permutes the jittered samples rather than jittering each permuted
    copy, wherever no two distances lie within the jitter of each other).

    Examples
    --------
    >>> import numpy as np
    >>> import infobits.estimate as est
    >>> rng = np.random.default_rng(0)
    >>> x = rng.integers(0, 3, 500)
    >>> y = (x + (rng.random(500) < 0.3)) % 3
    >>> res = est.permutation_test(est.mutual_information, x, y, n_permutations=99,
    ...                            random_state=1)
    >>> float(res.pvalue), res.null_distribution.shape
    (0.01, (99,))
    >>> z = rng.integers(0, 3, 500)
    >>> bool(est.permutation_test(est.mutual_information, z, y, random_state=1).pvalue > 0.05)
    True
    """
    if not callable(estimator):
        raise TypeError(f"estimator must be a callable estimator; got {type(estimator).__name__}")
    if not args:
        raise TypeError("permutation_test needs the estimator's arguments (the first is "
                        "permuted)")
    m = _check_count(n_permutations, "n_permutations")
    block = 1 if block_size is None else _check_count(block_size, "block_size")
    keys = _keys(random_state, m)
    x = args[0]
    # functools.partial(estimator, ...): its bound keywords are the
    # estimator's (the way to give it its own random_state); unwrapped so
    # that infobits' estimators keep their fast paths
    while isinstance(estimator, functools.partial) and not estimator.args:
        kwargs = {**estimator.keywords, **kwargs}
        estimator = estimator.func

    te = _is(estimator, "transfer_entropy") and len(args) == 2
    ais = _is(estimator, "active_information_storage") and len(args) == 1
    if (te or ais) and "local" not in kwargs:
        from ._dynamics import _ais_plan, _te_plan
        plan = _te_plan(*args, **kwargs) if te else _ais_plan(*args, **kwargs)
        stat = np.float64(plan.estimate())
        te_null = np.array([plan.estimate(perm=_k.perm_indices(int(s), plan.n_units, block))
                            for s in keys], dtype=np.float64)
        return PermutationTestResult(stat, _pvalue(stat, te_null), te_null)

    stat = _as_stat(estimator(*args, **kwargs))
    n = _length(x)
    null: Any = None
    if _is(estimator, "mutual_information") and len(args) == 2 and _plain(x) \
            and _plain(args[1]):
        meth = kwargs.get("method")
        a, b = np.asarray(x), np.asarray(args[1])
        labels = a.dtype.kind not in "fc" and b.dtype.kind not in "fc"
        if set(kwargs) <= {"method", "base"} and (meth == "plugin" or (meth is None
                                                                      and labels)):
            null = _mi_plugin_fast(a, b, kwargs.get("base", 2), keys, block)
        elif meth == "ksg" and stat.ndim == 0:
            null = _mi_ksg_fast(a, b, kwargs, keys, block)
    if null is None:
        null = np.array([_as_stat(estimator(_permuted(x, _k.perm_indices(int(s), n, block)),
                                            *args[1:], **kwargs)) for s in keys],
                        dtype=np.float64)
    null = np.asarray(null, dtype=np.float64)
    return PermutationTestResult(stat, _pvalue(stat, null), null)
