"""The Nemenman-Shafee-Bialek (NSB) entropy estimator, and the plug-in
Renyi and Tsallis entropies of labels.

NSB (Nemenman, Shafee & Bialek 2002) averages the posterior mean entropy of
a symmetric Dirichlet prior of concentration beta over a prior on beta that
is uniform in the prior expected entropy xi(beta) = psi(K beta + 1) -
psi(beta + 1):

    H = int dxi rho(xi | n) <H>_beta / int dxi rho(xi | n),
    rho = Gamma(K beta) / Gamma(N + K beta) prod_i Gamma(n_i + beta) / Gamma(beta),
    <H>_beta = psi(N + K beta + 1) - sum_i (n_i + beta)/(N + K beta) psi(n_i + beta + 1).

The integrals are taken over t = log beta (dxi = xi'(beta) beta dt, the
integrand decays at both ends) with SciPy's adaptive quadrature, after a
coarse grid has located the posterior's peak and the interval where it is
not negligible.  Every function of the counts is evaluated on the counts of
counts (the distinct count values and how many categories have them), so
one evaluation costs O(number of distinct counts), never O(samples).
"""
from __future__ import annotations

import math
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from .. import _estimate as _k
from .._typing import Base, Estimate
from .._validation import log_base
from . import _discrete as _d
from . import _frames

__all__ = ["nsb_nats", "renyi_entropy", "tsallis_entropy"]


def nsb_nats(counts: Any, K: float) -> float:
    """NSB entropy (nats) of the counts (any non-negative integers; zeros
    are unobserved categories) over an alphabet of K >= #nonzero counts."""
    from scipy.integrate import quad
    from scipy.special import digamma, gammaln, polygamma

    c = np.asarray(counts, dtype=np.int64)
    c = c[c > 0]
    N = float(c.sum())
    if N == 0 or K <= 1:
        return 0.0
    vals, mult = np.unique(c, return_counts=True)
    u = vals.astype(np.float64)
    m = mult.astype(np.float64)
    K = float(K)
    zeros = K - float(c.size)          # categories never observed

    def lg_ratio(x: Any, k: Any) -> Any:
        """log Gamma(x + k) - log Gamma(x), elementwise; for x >= 1e3 by
        Stirling's series of the difference (no cancellation of two large
        log-gammas)."""
        x, k = np.broadcast_arrays(np.asarray(x, dtype=np.float64),
                                   np.asarray(k, dtype=np.float64))
        out = np.empty(x.shape)
        big = x >= 1e3
        sm = ~big
        out[sm] = gammaln(x[sm] + k[sm]) - gammaln(x[sm])
        xb, kb = x[big], k[big]
        y = xb + kb
        out[big] = ((xb - 0.5) * np.log1p(kb / xb) + kb * np.log(y) - kb
                    + (1.0 / y - 1.0 / xb) / 12.0 - (1.0 / y ** 3 - 1.0 / xb ** 3) / 360.0)
        return out

    def dxi(b: Any) -> Any:
        """xi'(beta) = K psi1(K beta + 1) - psi1(beta + 1); for beta >= 1e3
        its asymptotic series (the two terms cancel to 1/beta^2)."""
        out = np.empty(b.shape)
        big = b >= 1e3
        sm = ~big
        bs = b[sm]
        out[sm] = K * polygamma(1, K * bs + 1) - polygamma(1, bs + 1)
        bb = b[big]
        out[big] = ((1 - 1 / K) / (2 * bb ** 2) - (1 - 1 / K ** 2) / (6 * bb ** 3)
                    + (1 - 1 / K ** 4) / (30 * bb ** 5))
        return out

    def log_post(t: Any) -> Any:
        """log rho(beta) + log xi'(beta) + log beta at t = log beta (array)."""
        b = np.exp(t)
        ll = -lg_ratio(K * b, N)
        ll = ll + (m[None, :] * lg_ratio(b[:, None], u[None, :])).sum(axis=1)
        return ll + np.log(dxi(b)) + t

    def mean_h(t: Any) -> Any:
        b = np.exp(t)
        tot = N + K * b
        s = (m[None, :] * (u[None, :] + b[:, None])
             * digamma(u[None, :] + b[:, None] + 1)).sum(axis=1)
        s = s + zeros * b * digamma(b + 1)
        return digamma(tot + 1) - s / tot

    # the peak and the support (where the integrand is above e^-60 of it)
    grid = np.linspace(-40.0, 40.0, 1601)
    g = log_post(grid)
    top = float(np.max(g))
    i = int(np.argmax(g))
    keep = np.flatnonzero(g > top - 60.0)
    lo = grid[max(int(keep[0]) - 1, 0)]
    hi = grid[min(int(keep[-1]) + 1, grid.size - 1)]
    peak = float(grid[i])

    def w(t: float) -> float:
        return math.exp(float(log_post(np.array([t]))[0]) - top)

    def wh(t: float) -> float:
        tt = np.array([t])
        return math.exp(float(log_post(tt)[0]) - top) * float(mean_h(tt)[0])

    opts = dict(epsabs=0.0, epsrel=1e-11, limit=400)
    pts = [peak] if lo < peak < hi else None
    den = quad(w, lo, hi, points=pts, **opts)[0]
    num = quad(wh, lo, hi, points=pts, **opts)[0]
    return float(num / den)


def entropy_labels(arr: np.ndarray, base: Base, n_categories: Any) -> Estimate:
    """estimate.entropy(x, method="nsb") on the label array arr (1-D or
    2-D, a batch of columns)."""
    lb = log_base(base)
    cols = _d._columns(arr, "x")
    ncs = _d._per_variable(n_categories, len(cols), "n_categories")
    vals = []
    for (codes, K), nc in zip(cols, ncs):
        p = _d._alphabet(nc, K, "n_categories")
        vals.append(nsb_nats(_k.count_codes(codes, K), p) if codes.size else 0.0)
    return _d._scalar_or_array(vals, arr.ndim == 2, lb)  # type: ignore[no-any-return]


def mi_labels(x: ArrayLike, y: ArrayLike, base: Base, n_categories: Any) -> Estimate:
    """estimate.mutual_information(x, y, method="nsb"): H(X) + H(Y) -
    H(X, Y) of NSB entropies, the joint alphabet the product of the two."""
    au = _d._as_labels(x, "x")
    av = _d._as_labels(y, "y")
    n = _d._check_lengths([au, av], ["x", "y"])
    lb = log_base(base)
    batched, mcols = _d._pair_columns([au, av], ["x", "y"])
    nu, nv = _d._pair_alphabets(n_categories, 2, "n_categories")
    colu = _d._columns(au, "x")
    colv = _d._columns(av, "y")
    vals = []
    for j in range(mcols):
        cu, ku = colu[j if len(colu) > 1 else 0]
        cv, kv = colv[j if len(colv) > 1 else 0]
        if n == 0:
            vals.append(0.0)
            continue
        pu = _d._alphabet(nu, ku, "n_categories")
        pv = _d._alphabet(nv, kv, "n_categories")
        _, _, _, cnt, a, b = _d._combine(cu, ku, cv, kv, n)
        vals.append(nsb_nats(a, pu) + nsb_nats(b, pv) - nsb_nats(cnt, pu * pv))
    return _d._scalar_or_array(vals, batched, lb)  # type: ignore[no-any-return]


# --------------------------------------------------------- Renyi, Tsallis --

def _order(v: Any, name: str) -> float:
    if isinstance(v, (bool, np.bool_)) or not isinstance(v, (int, float, np.integer,
                                                             np.floating)):
        raise TypeError(f"{name} must be a real number; got {v!r}")
    f = float(v)
    if math.isnan(f) or f < 0:
        raise ValueError(f"{name} must be a non-negative real number (inf allowed); got {v!r}")
    return f


def _label_probs(x: Any, fname: str) -> tuple[list[Any], bool]:
    """The frequencies of each column's observed labels."""
    arr = _d._as_labels(x, "x")
    cols = _d._columns(arr, "x")
    out = []
    for codes, K in cols:
        c = _k.count_codes(codes, K).astype(np.float64)
        out.append(c / c.sum() if c.size else c)
    return out, arr.ndim == 2


def _renyi_nats(p: np.ndarray, alpha: float) -> float:
    if p.size == 0:
        return 0.0
    if alpha == 0:
        return math.log(p.size)
    if alpha == 1:
        return float(-np.sum(p * np.log(p)))
    if math.isinf(alpha):
        return float(-math.log(float(p.max())))
    # log(sum p^alpha) / (1 - alpha), the sum scaled by the largest p^alpha
    lp = alpha * np.log(p)
    mx = float(lp.max())
    return (mx + math.log(float(np.sum(np.exp(lp - mx))))) / (1.0 - alpha)


def _tsallis(p: np.ndarray, q: float) -> float:
    if p.size == 0:
        return 0.0
    if q == 1:
        return float(-np.sum(p * np.log(p)))
    if math.isinf(q):
        return 0.0
    return float((1.0 - np.sum(p ** q)) / (q - 1.0))


def renyi_entropy(x: ArrayLike, alpha: float, *, method: str = "plugin",
                  base: Base = 2) -> Estimate:
    """Renyi entropy of order ``alpha`` estimated from samples of labels.

    ``H_alpha = log(sum_k p_k^alpha) / (1 - alpha)`` of the observed label
    frequencies ``p_k = c_k / n`` (plug-in); ``alpha = 0``: the log of the
    number of observed categories (Hartley), ``alpha = 1``: Shannon,
    ``alpha = inf``: ``-log max_k p_k`` (min-entropy).

    Parameters
    ----------
    x : array_like or pandas object, shape (n_samples,) or (n_samples, n_variables)
        Labels of any hashable, sortable dtype (float values are taken as
        labels: each distinct value is one category).  A 2-D array is a
        batch of variables, one result per column (a DataFrame: a Series
        labelled by its columns).
    alpha : float
        The order, ``0 <= alpha <= inf``.
    method : {"plugin"}, default "plugin"
        The plug-in estimate (the only method).
    base : {"bits", "nats", "bans"} or float, default 2
        Logarithm base of the result.

    Returns
    -------
    numpy.float64 or ndarray of float64
        The estimate (0 for an empty sample).

    Raises
    ------
    ValueError
        A negative or NaN ``alpha``, NaN among float labels, an unknown
        method.
    TypeError
        A non-real ``alpha``; labels that cannot be compared or hashed.

    Examples
    --------
    >>> from infobits.estimate import renyi_entropy
    >>> x = ["a", "a", "b", "c"]
    >>> round(float(renyi_entropy(x, 0)), 6)     # log2 of 3 categories
    1.584963
    >>> float(renyi_entropy(x, 1))          # Shannon
    1.5
    >>> float(renyi_entropy(x, 2))          # collision entropy
    1.4150374992788437
    >>> float(renyi_entropy(x, float("inf")))   # min-entropy, -log2(1/2)
    1.0
    """
    if _frames.has_pandas(x):
        return _frames.dispatch(lambda v, **kw: renyi_entropy(v, alpha, **kw), (x,),
                                dict(method=method, base=base), ambiguous=False)
    a = _order(alpha, "alpha")
    if method != "plugin":
        raise ValueError(f"method must be 'plugin'; got {method!r}")
    lb = log_base(base)
    probs, batched = _label_probs(x, "renyi_entropy")
    return _d._scalar_or_array([_renyi_nats(p, a) for p in probs], batched, lb)  # type: ignore[no-any-return]


def tsallis_entropy(x: ArrayLike, q: float, *, method: str = "plugin") -> Estimate:
    """Tsallis entropy of index ``q`` estimated from samples of labels.

    ``S_q = (1 - sum_k p_k^q) / (q - 1)`` of the observed label frequencies
    ``p_k = c_k / n`` (plug-in); ``q = 1``: the Shannon entropy in nats.
    The Tsallis entropy has no log base (its value is not a logarithm).

    Parameters
    ----------
    x : array_like or pandas object, shape (n_samples,) or (n_samples, n_variables)
        Labels of any hashable, sortable dtype; a 2-D array is a batch of
        variables, one result per column.
    q : float
        The entropic index, ``0 <= q <= inf`` (``q = inf`` gives 0).
    method : {"plugin"}, default "plugin"
        The plug-in estimate (the only method).

    Returns
    -------
    numpy.float64 or ndarray of float64
        The estimate (0 for an empty sample).

    Raises
    ------
    ValueError
        A negative or NaN ``q``, NaN among float labels, an unknown method.
    TypeError
        A non-real ``q``; labels that cannot be compared or hashed.

    Examples
    --------
    >>> from infobits.estimate import tsallis_entropy
    >>> x = ["a", "a", "b", "c"]
    >>> float(tsallis_entropy(x, 2))        # 1 - (1/4 + 1/16 + 1/16)
    0.625
    >>> float(tsallis_entropy(x, 0))        # observed categories - 1
    2.0
    >>> round(float(tsallis_entropy(x, 1)), 6)   # Shannon, nats
    1.039721
    """
    if _frames.has_pandas(x):
        return _frames.dispatch(lambda v, **kw: tsallis_entropy(v, q, **kw), (x,),
                                dict(method=method), ambiguous=False)
    qq = _order(q, "q")
    if method != "plugin":
        raise ValueError(f"method must be 'plugin'; got {method!r}")
    probs, batched = _label_probs(x, "tsallis_entropy")
    return _d._scalar_or_array([_tsallis(p, qq) for p in probs], batched, 1.0)  # type: ignore[no-any-return]
