"""Continuous estimators: spacing and k-nearest-neighbour methods.

One-dimensional samples are sorted by a compiled radix sort (measured 2.4x
faster than ``np.sort`` on 10^5 doubles; see docs/performance.md) and
handed to compiled sweeps (:mod:`infobits._knn`); every k-nearest-neighbour
search and count runs on the compiled neighbour engine
(:class:`infobits._knn.KnnSpace`, ``csrc/ib_knn_engine.c``): no SciPy.
"""
from __future__ import annotations

import math
import operator
import warnings
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from .. import _knn
from .._typing import Base
from .._validation import as_float_array, log_base

__all__ = [
    "differential_entropy",
    "mutual_information",
    "kl_divergence",
    "gaussian_entropy",
    "gaussian_kl_divergence",
]

_SPACING = ("vasicek", "van es", "ebrahimi", "correa")
_EULER = 0.57721566490153286061
# Harmonic numbers H_0 .. H_15, for digamma at small integers.
_H = np.concatenate(([0.0], np.cumsum(1.0 / np.arange(1, 16))))


def _digamma_int(m: Any) -> Any:
    """digamma at positive integers (array): exact sums below 16, the
    asymptotic series above (error < 1e-15 relative)."""
    m = np.asarray(m, dtype=np.float64)
    small = m < 16
    out = np.empty_like(m)
    if small.any():
        out[small] = _H[(m[small] - 1).astype(np.intp)] - _EULER
    big = ~small
    if big.any():
        x = m[big]
        r = 1.0 / (x * x)
        out[big] = (np.log(x) - 0.5 / x
                    - r * (1.0 / 12 - r * (1.0 / 120 - r * (1.0 / 252 - r * (
                        1.0 / 240 - r * (1.0 / 132))))))
    return out


def _check_k(k: Any, name: Any = "k") -> Any:
    if isinstance(k, (bool, np.bool_)):
        raise TypeError(f"{name} must be a positive int; got {k!r}")
    try:
        k = operator.index(k)
    except TypeError:
        raise TypeError(f"{name} must be a positive int; got {k!r}") from None
    if k < 1:
        raise ValueError(f"{name} must be a positive int; got {k}")
    return k


def _real_samples(x: Any, name: Any) -> Any:
    """float64 samples as (n, d); also returns whether the input was 1-D."""
    a = as_float_array(x, name)
    if a.ndim == 1:
        a2 = a[:, None]
    elif a.ndim == 2:
        a2 = a
    else:
        raise ValueError(
            f"{name} must be 1-D (n_samples,) or 2-D (n_samples, n_dims); "
            f"got shape {a.shape}"
        )
    a2 = np.asarray(a2, dtype=np.float64)
    if a2.size and not np.isfinite(a2).all():
        bad = np.argwhere(~np.isfinite(a2))[0]
        where = int(bad[0]) if a.ndim == 1 else tuple(int(i) for i in bad)
        raise ValueError(
            f"{name} contains NaN or infinite values (first at index {where}); "
            "continuous estimators need finite samples"
        )
    return a2, a.ndim == 1


def _sorted(v: Any) -> Any:
    """A sorted float64 copy of the finite 1-D sample v (never the caller's
    array): the values of ``np.sort(v)``, with -0.0 before +0.0."""
    out = np.array(v, dtype=np.float64, order="C", copy=True)
    _knn.sort_rows_f64(out[None, :])
    return out


def _log_unit_ball(d: Any) -> Any:
    """log volume of the Euclidean unit ball in d dimensions."""
    return 0.5 * d * math.log(math.pi) - math.lgamma(0.5 * d + 1.0)


def _as_result(v: Any, div: Any) -> Any:
    return np.float64(v / div)


# --------------------------------------------------------------- entropy --

def differential_entropy(x: ArrayLike, *, method: str = "auto", window_length: int | None = None,
                         k: int = 3, base: Base = 2, metric: str = "euclidean",
                         theiler: int = 0, jitter: float = 1e-10, standardize: bool = False,
                         local: bool = False, random_state: Any = None) -> Any:
    r"""Differential entropy estimated from samples of a continuous variable.

    Parameters
    ----------
    x : array_like
        Samples along axis 0.  For the spacing methods a 1-D array is one
        sample and a 2-D array of shape (n_samples, n_columns) is a batch of
        1-D samples, one per column (as ``scipy.stats.differential_entropy``
        with ``axis=0``).  For ``"knn"`` a 2-D array is one d-dimensional
        variable (n_samples, d).  Computed in float64 (float32, integer and
        bool input is converted).  NaN or infinite values raise ValueError.
    method : {"auto", "vasicek", "van es", "ebrahimi", "correa", "knn", "gaussian"}
        The spacing methods use the definitions, default window length and
        values of ``scipy.stats.differential_entropy``.  ``"auto"`` picks as
        SciPy does for 1-D input (``"van es"`` for n <= 10, ``"ebrahimi"``
        for n <= 1000, else ``"vasicek"``) and raises ValueError for 2-D
        input (ask for a method explicitly: a 2-D array is a batch for the
        spacing methods but one variable for ``"knn"``).  ``"knn"`` is the
        Kozachenko-Leonenko estimator with Euclidean distances.
        ``"gaussian"``: the entropy of a normal fitted to the samples (a 2-D
        array is one d-dimensional variable), ``(1/2) log((2 pi e)^d det C)``
        with the covariance C normalised by n - 1 and no bias correction,
        the value of JIDT's ``EntropyCalculatorMultiVariateGaussian`` (needs
        n > d and a positive definite C).
    window_length : int, optional
        Window m of the spacing methods, with 2 <= 2m < n; default
        ``floor(sqrt(n) + 0.5)`` as in SciPy.  Not used by ``"knn"``.
    k : int, default 3
        Neighbour order of ``"knn"`` (needs n > k + 2 theiler).  Not used
        otherwise.
    base : float or {"bits", "nats", "bans"}, default 2
        Log base of the result.
    metric : {"euclidean", "chebyshev"}, default "euclidean"
        ``"knn"`` only: the norm of the neighbour distances (the unit-ball
        volume follows it: pi^(d/2) / Gamma(d/2 + 1), or 2^d).
    theiler : int, default 0
        ``"knn"`` only: samples i and j with abs(i - j) <= theiler are
        never neighbours (time series; 0 excludes only the sample itself).
    jitter : float, default 1e-10
        ``"knn"`` only: tie-breaking noise of standard deviation ``jitter``
        times each dimension's standard deviation (after scaling), drawn
        from ``random_state``; 0 adds none.
    standardize : bool, default False
        ``"knn"`` only: scale each dimension to unit variance first (the
        estimate then is that of the scaled variable: h(x) minus the sum
        of the log standard deviations).
    local : bool, default False
        ``"knn"`` only: return the n local values, whose mean is the
        estimate.
    random_state : None, int, numpy.random.Generator or RandomState
        ``"knn"`` only: the random seed of the jitter (``None``: a fixed one, 0).

    Returns
    -------
    h : numpy.float64 or ndarray
        The estimate; for a 2-D input to a spacing method one value per
        column.

    Notes
    -----
    The spacing methods sort each sample (a compiled radix sort) and sum the
    log spacings in a compiled loop.  Where SciPy's formulas meet a zero spacing
    (at least 2m+1 tied values for ``"vasicek"``/``"ebrahimi"``, m+1 for
    ``"van es"``) they return what SciPy returns (``-inf``; ``"correa"``
    gives ``+inf`` or, for a window of 2m+1 equal values, NaN), and a
    ``RuntimeWarning`` says so.  A sample beyond 2^+-500 in magnitude is
    estimated on ``x * 2**-e`` (e the binary exponent of ``max(abs(x))``;
    exact) plus e ln 2, since H(aX) = H(X) + log a: SciPy's formulas
    overflow there (its estimate of a sample reaching 1e308 is inf; ours is
    finite).

    ``"knn"``: H = psi(n) - psi(k) + log V_d + (d/n) sum_i log eps_i, with
    eps_i the distance (Euclidean by default) from sample i to its k-th
    nearest neighbour and V_d the volume of the unit ball of that norm.
    The searches run on infobits' compiled neighbour engine (one
    dimension: a sweep over the sorted sample).  Constant columns (a
    degenerate distribution, whose entropy is -inf) raise ValueError, and
    so do tied samples (a zero k-NN distance) with ``jitter=0``.  With the
    default jitter, ties are broken by the noise: data with repeated values
    have no finite differential entropy, and their estimate then reflects
    the noise's scale (pass ``jitter=0`` to have them raise instead).

    Every method satisfies h(a x + b) = h(x) + log|a| for a scalar a != 0.

    Examples
    --------
    >>> import numpy as np
    >>> from infobits.estimate import differential_entropy
    >>> x = np.random.default_rng(0).standard_normal(10_000)
    >>> round(float(differential_entropy(x, method="vasicek", base="nats")), 3)
    1.418
    >>> round(0.5 * np.log(2 * np.pi * np.e), 4)  # the true value, nats
    np.float64(1.4189)
    >>> z = np.random.default_rng(1).standard_normal((20_000, 2))
    >>> round(float(differential_entropy(z, method="knn", base="nats")), 1)
    2.8
    >>> round(float(differential_entropy(z, method="gaussian", base="nats")), 2)
    2.83
    """
    div = log_base(base)
    if not isinstance(method, str):
        raise ValueError(f"method must be a string; got {method!r}")
    meth = method.lower()
    if meth == "gaussian":
        if window_length is not None:
            raise ValueError("window_length applies to the spacing methods, not 'gaussian'")
        from ._gaussian import differential_entropy as _gaussian_entropy
        return _gaussian_entropy(x, base=base)
    if meth not in _SPACING + ("auto", "knn"):
        raise ValueError(
            "method must be one of 'auto', 'vasicek', 'van es', 'ebrahimi', "
            f"'correa', 'knn', 'gaussian'; got {method!r}"
        )
    a, one_d = _real_samples(x, "x")
    if meth == "knn":
        if window_length is not None:
            raise ValueError("window_length applies to the spacing methods, not 'knn'")
        loc = _knn_entropy(a, _check_k(k), _check_metric(metric), _check_theiler(theiler),
                           _check_jitter(jitter), standardize, local, random_state)
        return loc / div if local else _as_result(loc, div)
    given = [nm for nm, v, dflt in (("metric", metric, "euclidean"), ("theiler", theiler, 0),
                                    ("jitter", jitter, 1e-10), ("standardize", standardize, False),
                                    ("local", local, False), ("random_state", random_state, None))
             if not (v is dflt or (type(v) is type(dflt) and v == dflt))]
    if given:
        raise ValueError(f"{', '.join(given)}: option(s) of method='knn', not of the spacing "
                         f"method {method!r}")
    if meth == "auto" and not one_d:
        raise ValueError(
            "method='auto' needs 1-D x; for 2-D x choose a method explicitly: a "
            "spacing method ('vasicek', ...) treats the columns as a batch of 1-D "
            "samples, 'knn' treats the rows as points of one variable"
        )
    n, ncols = a.shape
    if window_length is None:
        m = math.floor(math.sqrt(n) + 0.5)
    else:
        if isinstance(window_length, (bool, np.bool_)):
            raise TypeError(f"window_length must be an int; got {window_length!r}")
        try:
            m = operator.index(window_length)
        except TypeError:
            raise TypeError(f"window_length must be an int; got {window_length!r}") from None
    if not 2 <= 2 * m < n:
        raise ValueError(
            f"window_length ({m}) must be positive and less than half the sample "
            f"size ({n})"
        )
    if meth == "auto":
        meth = "van es" if n <= 10 else ("ebrahimi" if n <= 1000 else "vasicek")
    xs = np.array(a.T, order="C", copy=True)  # never sort the caller's array
    # Samples beyond 2^+-500 would overflow or underflow the spacing factors
    # (n d / (2m); Correa's squared deviations), as SciPy's do: estimate on
    # x * 2^-e, e the exponent of max |x| (a power of two: exact for normal
    # values), and add e ln 2, as H(aX) = H(X) + log a.
    shift = 0.0
    big = float(np.max(np.abs(xs))) if xs.size else 0.0
    if big > 2.0 ** 500 or 0.0 < big < 2.0 ** -500:
        e = math.frexp(big)[1]
        np.ldexp(xs, -e, out=xs)
        shift = e * math.log(2.0)
    _knn.sort_rows_f64(xs)
    out = np.empty(ncols)
    _knn.spacing_entropy_f64(_knn.SPACING_METHODS[meth], xs, m, out)
    out += shift
    if not np.isfinite(out).all():
        warnings.warn(
            f"differential_entropy: tied values in x give a zero spacing; the "
            f"{meth!r} estimate is {'NaN' if np.isnan(out).any() else 'infinite'} "
            "(as in scipy.stats.differential_entropy)",
            RuntimeWarning,
            stacklevel=2,
        )
    out /= div
    return np.float64(out[0]) if one_d else out


def _log_unit_ball_metric(d: int, metric: int) -> float:
    return d * math.log(2.0) if metric == _knn.METRICS["chebyshev"] else _log_unit_ball(d)


def _tie_checks(z: int, k: int, what: str) -> None:
    """Zero k-NN distances (tied samples without jitter) raise."""
    if z:
        raise ValueError(what.format(z=z, k=k))


def _knn_entropy(a: Any, k: int, metric: int, theiler: int, jitter: float, standardize: Any,
                 local: bool, random_state: Any) -> Any:
    """Kozachenko-Leonenko: the estimate (nats), or the local values."""
    n, d = a.shape
    _check_enough(n, k, theiler, "'knn'")
    _check_not_constant(a, "x")
    (a,), e2 = _pow2_scale(a)
    a = _prepare(a, standardize, jitter, _rng(random_state))
    if standardize:
        e2 = 0   # the scaled variable's entropy: no power of two to add back
    msg = ("x has tied samples: {z} point(s) have k = {k} or more identical "
           "neighbours (zero k-NN distance); the k-NN estimate needs distinct "
           "points (add tiny noise, keep the default jitter, or increase k)")
    psi = _digamma_int([n, k])
    const = float(psi[0] - psi[1] + _log_unit_ball_metric(d, metric)) + d * e2 * math.log(2.0)
    if d == 1 and theiler == 0 and not local:
        # the sorted sweep with its compiled log sum
        s, z, _ = _knn.knn1d_logsum_f64(_sorted(a[:, 0]), None, k)
        _tie_checks(z, k, msg)
        return const + d * s / n
    eps = _knn.KnnSpace(a).knn(k, metric, theiler)
    _tie_checks(int(np.count_nonzero(eps == 0)), k, msg)
    loc = const + d * np.log(eps)
    return loc if local else float(np.mean(loc))


def _check_not_constant(a: Any, name: Any) -> None:
    if a.shape[0] > 0:
        const = np.flatnonzero(np.ptp(a, axis=0) == 0)
        if const.size:
            where = f"column {int(const[0])} of {name}" if a.shape[1] > 1 else name
            raise ValueError(
                f"{where} is constant: a degenerate distribution has no finite "
                "differential entropy (-inf)"
            )


# ----------------------------------------------------- mutual information --

def _rng(random_state: Any) -> Any:
    if random_state is None:
        return np.random.default_rng(0)
    if isinstance(random_state, np.random.RandomState):
        return random_state
    return np.random.default_rng(random_state)


_METRICS = ("chebyshev", "euclidean")


def _check_metric(metric: Any) -> int:
    if not isinstance(metric, str) or metric not in _METRICS:
        raise ValueError(f"metric must be 'chebyshev' or 'euclidean'; got {metric!r}")
    return int(_knn.METRICS[metric])


def _check_theiler(theiler: Any) -> int:
    if isinstance(theiler, (bool, np.bool_)):
        raise TypeError(f"theiler must be a non-negative int; got {theiler!r}")
    try:
        t = operator.index(theiler)
    except TypeError:
        raise TypeError(f"theiler must be a non-negative int; got {theiler!r}") from None
    if t < 0:
        raise ValueError(f"theiler must be a non-negative int; got {t}")
    return t


def _check_jitter(jitter: Any) -> float:
    if isinstance(jitter, (bool, np.bool_)) or not isinstance(jitter, (int, float, np.number)):
        raise TypeError(f"jitter must be a non-negative float; got {jitter!r}")
    j = float(jitter)
    if not (math.isfinite(j) and j >= 0):
        raise ValueError(f"jitter must be a non-negative finite float; got {jitter!r}")
    return j


def _check_algorithm(algorithm: Any) -> int:
    if isinstance(algorithm, (bool, np.bool_)) or algorithm not in (1, 2):
        raise ValueError(f"algorithm must be 1 or 2; got {algorithm!r}")
    return int(algorithm)


def _check_enough(n: int, k: int, theiler: int, what: str) -> None:
    """k neighbours outside a Theiler window need n - (2 theiler + 1) >= k."""
    if n - min(2 * theiler + 1, n) < k:
        if theiler:
            raise ValueError(
                f"{what} needs more than k + 2 theiler samples: n = {n}, k = {k}, "
                f"theiler = {theiler}")
        raise ValueError(f"{what} needs more samples than k: n = {n}, k = {k}")


def _prepare(a: Any, standardize: Any, jitter: float, rng: Any) -> Any:
    """A C-contiguous float64 copy of the samples a (n, d): each column
    scaled to unit variance (``standardize``; constant columns unscaled),
    then tie-breaking noise of standard deviation ``jitter`` times the
    column's standard deviation added (drawn from rng; none when jitter is
    0 or the column is constant)."""
    a = np.array(a, dtype=np.float64, order="C", copy=True)
    if a.shape[0] == 0:
        return a
    # the standard deviation of a / max|a|, scaled back: no overflow or
    # underflow for samples of any magnitude
    big = np.max(np.abs(a), axis=0)
    big[big == 0] = 1.0
    sd = (a / big).std(axis=0) * big
    if standardize:
        s = sd.copy()
        s[s == 0] = 1.0
        a /= s
        sd = np.where(sd == 0, 0.0, 1.0)
    if jitter:
        noise = rng.standard_normal(size=a.shape)
        with np.errstate(over="ignore", invalid="ignore"):
            a += (jitter * sd) * noise
        if not np.isfinite(a).all():
            raise ValueError(f"jitter = {jitter!r} times the samples' standard deviation "
                             "overflows; use a small jitter (default 1e-10) or 0")
    return a


def _pow2_scale(*arrays: Any) -> tuple[list[Any], int]:
    """Samples beyond 2^+-500 in magnitude scaled by 2^-e (e the exponent of
    the largest magnitude; exact for normal values), so that differences
    and squared distances neither overflow nor underflow; the caller adds
    the e ln 2 per dimension that the scaling takes off (entropy) or
    nothing (the KL divergence, invariant to a common scaling)."""
    big = max((float(np.max(np.abs(v))) for v in arrays if v.size), default=0.0)
    if big > 2.0 ** 500 or 0.0 < big < 2.0 ** -500:
        e = math.frexp(big)[1]
        return [np.ldexp(v, -e) for v in arrays], e
    return list(arrays), 0


def _space(cols: Any, groups: Any) -> Any:
    """The neighbour space over the columns of the arrays in cols."""
    data = cols[0] if len(cols) == 1 else np.hstack(cols)
    return _knn.KnnSpace(np.ascontiguousarray(data), groups)


def _finish(local: Any, div: Any, want_local: bool) -> Any:
    if want_local:
        return local / div
    return np.float64(float(np.mean(local)) / div) if local.size else np.float64(0.0)


def mutual_information(x: ArrayLike, y: ArrayLike, *, method: str, base: Base = 2, k: int = 3,
                       metric: str = "chebyshev", theiler: int = 0, jitter: float = 1e-10,
                       standardize: bool = True, algorithm: int = 1, local: bool = False,
                       random_state: Any = None) -> Any:
    """KSG and Ross k-NN estimates of I(X; Y); see
    :func:`infobits.estimate.mutual_information` for the documentation."""
    div = log_base(base)
    k = _check_k(k)
    m = _check_metric(metric)
    t = _check_theiler(theiler)
    j = _check_jitter(jitter)
    alg = _check_algorithm(algorithm)
    if method == "ksg":
        return _finish(_ksg(x, y, k, m, t, j, standardize, alg, random_state), div, local)
    if method == "ross":
        if alg != 1:
            raise ValueError("algorithm applies to method='ksg' only")
        return _finish(_ross(x, y, k, m, t, j, standardize, random_state), div, local)
    raise ValueError(f"method must be 'ksg' or 'ross'; got {method!r}")


# Work budget of the compiled 2-D grid search (cells visited plus candidates
# examined).  Smooth data (normal, uniform, exponential; n = 1e3..1e5,
# k = 1..10) need 2-7 (k + 8) per point; far outliers (Cauchy: 300-2000)
# exceed the budget and go to the k-d tree.
def _max_work(n: Any, k: Any) -> Any:
    return 32 * (k + 8) * n + 65536


def _bulk(v: Any) -> Any:
    """(lo, hi): mean +- 3 sd clipped to the data range; where the search
    grid goes (any box gives exact results, this one is fast)."""
    lo, hi = float(v.min()), float(v.max())
    with np.errstate(over="ignore", under="ignore", invalid="ignore"):
        mu, sd = float(v.mean()), float(v.std())
    if math.isfinite(mu) and math.isfinite(sd) and sd > 0 and mu - 3 * sd < mu + 3 * sd:
        lo, hi = max(lo, mu - 3 * sd), min(hi, mu + 3 * sd)
    return lo, hi


def _grid_eps(a: Any, b: Any, k: int) -> Any:
    """KSG's joint max-norm k-NN distances of 1-D a and b by the compiled
    2-D grid search, or None when it does not apply (its work budget)."""
    n = a.shape[0]
    if k > 64:
        return None
    box = (*_bulk(a[:, 0]), *_bulk(b[:, 0]))
    if not (box[1] > box[0] and box[3] > box[2]):
        return None
    eps = np.empty(n)
    ok, _ = _knn.knn2d_maxnorm_f64(np.ascontiguousarray(a[:, 0]),
                                   np.ascontiguousarray(b[:, 0]), k,
                                   (box[0], box[2], box[1], box[3]), _max_work(n, k), eps)
    return eps if ok else None


def _paired(arrs: Any, names: Any) -> Any:
    out = [_real_samples(v, nm)[0] for v, nm in zip(arrs, names)]
    n = out[0].shape[0]
    for v, nm in zip(out[1:], names[1:]):
        if v.shape[0] != n:
            raise ValueError(
                f"{names[0]} and {nm} must have the same number of samples; got {n} and "
                f"{v.shape[0]}")
    return out, n


def _constant(a: Any) -> bool:
    # (max - min can overflow for samples near 2^1024: inf, not constant)
    with np.errstate(over="ignore"):
        return bool(a.shape[0] and np.all(np.ptp(a, axis=0) == 0))


def _ksg(x: Any, y: Any, k: int, metric: int, theiler: int, jitter: float, standardize: Any,
         algorithm: int, random_state: Any) -> Any:
    """Local KSG values (nats) of I(X; Y)."""
    (a, b), n = _paired((x, y), ("x", "y"))
    _check_enough(n, k, theiler, "'ksg'")
    if _constant(a) or _constant(b):
        return np.zeros(n)  # a constant carries no information
    rng = _rng(random_state)
    # a common power-of-two scaling changes no max-norm neighbourhood and
    # keeps the differences of samples near 2^+-1024 finite and exact
    (a, b), _ = _pow2_scale(a, b)
    a = _prepare(a, standardize, jitter, rng)
    b = _prepare(b, standardize, jitter, rng)
    dx, dy = a.shape[1], b.shape[1]
    psi_n, psi_k = _digamma_int([n, k])
    if algorithm == 1:
        eps = None
        if dx == 1 and dy == 1 and theiler == 0 and metric == _knn.METRICS["chebyshev"]:
            eps = _grid_eps(a, b, k)
        if eps is None:
            eps = _space((a, b), (dx, dy)).knn(k, metric, theiler)
        nx = _knn.KnnSpace(a).count(eps, metric, True, theiler)
        ny = _knn.KnnSpace(b).count(eps, metric, True, theiler)
        return psi_k + psi_n - _digamma_int(nx + 1) - _digamma_int(ny + 1)
    _, ge = _space((a, b), (dx, dy)).knn(k, metric, theiler, group_max=True)
    nx = _knn.KnnSpace(a).count(ge[:, 0], metric, False, theiler)
    ny = _knn.KnnSpace(b).count(ge[:, 1], metric, False, theiler)
    return psi_k - 1.0 / k + psi_n - _digamma_int(nx) - _digamma_int(ny)


def conditional_mutual_information(x: ArrayLike, y: ArrayLike, z: ArrayLike, *,
                                   method: str = "ksg", base: Base = 2, k: int = 4,
                                   metric: str = "chebyshev", theiler: int = 0,
                                   jitter: float = 1e-10, standardize: bool = True,
                                   algorithm: int = 1, local: bool = False,
                                   random_state: Any = None) -> Any:
    """KSG (Frenzel-Pompe) estimate of I(X; Y | Z); see
    :func:`infobits.estimate.conditional_mutual_information` for the
    documentation."""
    div = log_base(base)
    if method != "ksg":
        raise ValueError(f"method must be 'ksg'; got {method!r}")
    k = _check_k(k)
    m = _check_metric(metric)
    t = _check_theiler(theiler)
    j = _check_jitter(jitter)
    alg = _check_algorithm(algorithm)
    return _finish(_ksg_cmi(x, y, z, k, m, t, j, standardize, alg, random_state), div, local)


def _ksg_cmi(x: Any, y: Any, z: Any, k: int, metric: int, theiler: int, jitter: float,
             standardize: Any, algorithm: int, random_state: Any) -> Any:
    """Local KSG values (nats) of I(X; Y | Z), Frenzel & Pompe's estimator
    (algorithm 1) and its algorithm-2 form (Wibral et al., as JIDT)."""
    (a, b, c), n = _paired((x, y, z), ("x", "y", "z"))
    _check_enough(n, k, theiler, "'ksg'")
    if _constant(a) or _constant(b):
        return np.zeros(n)  # a constant carries no information
    rng = _rng(random_state)
    (a, b, c), _ = _pow2_scale(a, b, c)   # see _ksg
    a = _prepare(a, standardize, jitter, rng)
    b = _prepare(b, standardize, jitter, rng)
    c = _prepare(c, standardize, jitter, rng)
    dx, dy, dz = a.shape[1], b.shape[1], c.shape[1]
    psi_k = _digamma_int([k])[0]
    joint = _space((a, b, c), (dx, dy, dz))
    if algorithm == 1:
        eps = joint.knn(k, metric, theiler)
        rx = ry = rz = eps
    else:
        _, ge = joint.knn(k, metric, theiler, group_max=True)
        rx, ry, rz = (np.ascontiguousarray(ge[:, g]) for g in range(3))
    strict = algorithm == 1
    if dx == 1 and dy == 1 and dz == 1:
        # one sweep along z answers the three counts (O(log n) a point)
        xs, ys, zs = _knn.spaces_1d([a[:, 0], b[:, 0], c[:, 0]])
        nz, (nxz, nyz) = _knn.count_prod(zs, rz, [xs, ys], [rx, ry], strict, theiler)
    else:
        zs = _knn.KnnSpace(c)
        nz = zs.count(rz, metric, strict, theiler)
        nxz = _count_with_z(a, c, zs, rx, rz, metric, strict, theiler)
        nyz = _count_with_z(b, c, zs, ry, rz, metric, strict, theiler)
    if algorithm == 1:
        return (psi_k - _digamma_int(nxz + 1) - _digamma_int(nyz + 1)
                + _digamma_int(nz + 1))
    return (psi_k - 2.0 / k + _digamma_int(nz) - _digamma_int(nxz) - _digamma_int(nyz)
            + 1.0 / nxz + 1.0 / nyz)


def _count_with_z(a: Any, c: Any, zs: Any, ra: Any, rz: Any, metric: int, strict: bool,
                  theiler: int) -> Any:
    """#{j outside the window: dist(a_j, a_i) within ra[i] and dist(c_j, c_i)
    within rz[i]}: for one-dimensional a and c the offline sweep over the two
    sorted samples (O(log n) a point), else a k-d tree over (a, c)."""
    if a.shape[1] == 1 and c.shape[1] == 1:
        return _knn.count2(_knn.KnnSpace(a), zs, ra, rz, strict, theiler)
    r = ra if ra is rz else np.column_stack((ra, rz))
    return _space((a, c), (a.shape[1], c.shape[1])).count(r, metric, strict, theiler)


def _labels(y: Any, n: Any) -> Any:
    lab = np.asarray(y)
    if lab.ndim != 1:
        raise ValueError(f"y must be 1-D labels for method='ross'; got shape {lab.shape}")
    if lab.shape[0] != n:
        raise ValueError(f"x and y must have the same number of samples; got {n} and {lab.shape[0]}")
    if lab.dtype.kind == "f" and np.isnan(lab).any():
        raise ValueError("y contains NaN; NaN is not a label (method='ross')")
    if lab.dtype.kind == "c":
        raise TypeError("y must hold labels (integers, bools, strings, ...), not complex numbers")
    try:
        _, inv, counts = np.unique(lab, return_inverse=True, return_counts=True)
    except TypeError:
        raise TypeError("y must hold sortable labels of one kind") from None
    return inv.reshape(-1), counts


def _ross(x: Any, y: Any, k: int, metric: int, theiler: int, jitter: float, standardize: Any,
          random_state: Any) -> Any:
    """Local Ross values (nats) of I(X; Y), one per kept point."""
    a, _ = _real_samples(x, "x")
    n = a.shape[0]
    inv, counts = _labels(y, n)
    keep = counts[inv] > 1
    if not keep.any():
        raise ValueError("'ross' needs a label that occurs at least twice in y")
    kept = np.flatnonzero(keep)
    if _constant(a):
        return np.zeros(kept.size)  # a constant carries no information
    (a,), _ = _pow2_scale(a)   # see _ksg
    a = _prepare(a, standardize, jitter, _rng(random_state))
    a = np.ascontiguousarray(a[kept])
    inv = inv[kept]
    nk = a.shape[0]
    radius = np.empty(nk)
    k_all = np.empty(nk, dtype=np.int64)
    order = np.argsort(inv, kind="stable")
    bounds = np.flatnonzero(np.diff(inv[order])) + 1
    for idx in np.split(order, bounds):
        # the label's points keep their original times (for the Theiler window)
        sp = _knn.KnnSpace(np.ascontiguousarray(a[idx]), None, kept[idx])
        kc = min(k, idx.size - sp._times_window(theiler))
        if kc < 1:
            raise ValueError(
                f"a label occurs {idx.size} times, too few for a neighbour outside the "
                f"Theiler window (theiler = {theiler})")
        k_all[idx] = kc
        radius[idx] = sp.knn(kc, metric, theiler)
    m_all = _knn.KnnSpace(a, None, kept).count(radius, metric, True, theiler) + 1
    label_counts = np.bincount(inv)[inv]
    return (_digamma_int([nk])[0] + _digamma_int(k_all) - _digamma_int(label_counts)
            - _digamma_int(m_all))


# ------------------------------------------------------------------- KL --

def kl_divergence(x: ArrayLike, y: ArrayLike, *, method: str = "knn", k: int = 1,
                  base: Base = 2, metric: str = "euclidean", theiler: int = 0,
                  jitter: float = 1e-10, standardize: bool = False, local: bool = False,
                  random_state: Any = None) -> Any:
    r"""Two-sample k-NN estimate of the KL divergence D(P || Q).

    Parameters
    ----------
    x : array_like
        Samples from P: shape (n,) or (n, d).  Computed in float64.
    y : array_like
        Samples from Q: shape (m,) or (m, d), the same d as x.
    method : {"knn"}
        The k-nearest-neighbour estimator of Wang, Kulkarni & Verdu (2009)
        and Perez-Cruz (2008).
    k : int, default 1
        Neighbour order; needs n > k + 2 theiler and m >= k.
    base : float or {"bits", "nats", "bans"}, default 2
        Log base of the result.
    metric : {"euclidean", "chebyshev"}, default "euclidean"
        The norm of the neighbour distances.
    theiler : int, default 0
        Samples x_i and x_j with abs(i - j) <= theiler are never neighbours
        among x (time series; 0 excludes only x_i itself).  The distances
        to y are not restricted.
    jitter : float, default 1e-10
        Tie-breaking noise of standard deviation ``jitter`` times each
        dimension's standard deviation (of each sample, after scaling),
        drawn from ``random_state``; 0 adds none.
    standardize : bool, default False
        Scale each dimension of both samples by the standard deviation of
        the pooled samples first (the same map for both: the divergence is
        unchanged in theory, the k-NN neighbourhoods change).
    local : bool, default False
        Return the n local values d log(nu_k(i) / rho_k(i)) + log(m / (n -
        1)), whose mean is the estimate.
    random_state : None, int, numpy.random.Generator or RandomState
        The random seed of the jitter (``None``: a fixed one, 0).

    Returns
    -------
    d : numpy.float64 (ndarray with ``local=True``)
        The estimate (it can be slightly negative when P and Q are close).

    Notes
    -----
    D = (d/n) sum_i log(nu_k(i) / rho_k(i)) + log(m / (n - 1)), where
    rho_k(i) is the Euclidean distance from x_i to its k-th nearest neighbour
    among the other x and nu_k(i) the distance to its k-th nearest neighbour
    among y.  In one dimension both samples are sorted (a compiled radix
    sort) and a compiled merge-style sweep finds the neighbours (O(n log n)
    in all); in more dimensions the searches run on infobits' compiled
    neighbour engine (k-d trees).  The estimate is invariant to applying
    the same invertible affine map a x + b to both samples.  With
    ``jitter=0``, zero distances (tied samples in x, or a value of x that
    occurs in y) make a log ratio infinite and raise ValueError; with the
    default jitter they are broken by the noise, and the estimate then
    reflects the noise's scale (pass ``jitter=0`` to have them raise).  NaN
    or infinite values raise ValueError.

    Unlike the d2l chapter's NumPy code, which sums ``p * log2(p / q)`` over
    the sorted sample values themselves as if they were probabilities, this
    estimates the divergence between the distributions the samples come
    from: for N(0, 1) against N(1, 1) the true value is 0.5 nats =
    0.7213 bits.

    Examples
    --------
    >>> import numpy as np
    >>> from infobits.estimate import kl_divergence
    >>> rng = np.random.default_rng(1)
    >>> p = rng.normal(0, 1, 100_000)   # P = N(0, 1)
    >>> q = rng.normal(1, 1, 100_000)   # Q = N(1, 1)
    >>> round(float(kl_divergence(p, q, base="nats")), 3)  # true value 0.5
    0.497
    >>> round(float(kl_divergence(p, q)), 3)  # bits; true value 0.7213
    0.717
    """
    div = log_base(base)
    if method != "knn":
        raise ValueError(f"method must be 'knn'; got {method!r}")
    k = _check_k(k)
    met = _check_metric(metric)
    t = _check_theiler(theiler)
    jit = _check_jitter(jitter)
    a, _ = _real_samples(x, "x")
    b, _ = _real_samples(y, "y")
    n, d = a.shape
    m = b.shape[0]
    if b.shape[1] != d:
        raise ValueError(f"x and y must have the same dimension; got {d} and {b.shape[1]}")
    if n - min(2 * t + 1, n) < k:
        raise ValueError(f"x needs more than k samples: n = {n}, k = {k}"
                         + (f", theiler = {t}" if t else ""))
    if m < k:
        raise ValueError(f"y needs at least k samples: m = {m}, k = {k}")
    if standardize:
        both = np.vstack((a, b))
        big = np.max(np.abs(both), axis=0)
        big[big == 0] = 1.0
        sd = (both / big).std(axis=0) * big
        sd[sd == 0] = 1.0
        a = a / sd
        b = b / sd
    (a, b), _ = _pow2_scale(a, b)
    rng = _rng(random_state)
    a = _prepare(a, False, jit, rng)
    b = _prepare(b, False, jit, rng)
    msg_rho = ("x has tied samples: {z} point(s) of x have k = {k} or more "
               "identical neighbours in x (zero distance); add tiny noise (keep the "
               "default jitter) or increase k")
    msg_nu = ("{z} point(s) of x coincide with k = {k} or more points of y (zero "
              "distance); add tiny noise (keep the default jitter) or increase k")
    const = math.log(m / (n - 1))
    if d == 1 and t == 0 and not local:
        xs = _sorted(a[:, 0])
        ys = _sorted(b[:, 0])
        s_rho, z_rho, _ = _knn.knn1d_logsum_f64(xs, None, k)
        s_nu, z_nu, _ = _knn.knn1d_logsum_f64(xs, ys, k)
        _tie_checks(z_rho, k, msg_rho)
        _tie_checks(z_nu, k, msg_nu)
        return _as_result(d * (s_nu - s_rho) / n + const, div)
    rho = _knn.KnnSpace(a).knn(k, met, t)
    nu = _knn.KnnSpace(b).knn_points(a, k, met)
    _tie_checks(int(np.count_nonzero(rho == 0)), k, msg_rho)
    _tie_checks(int(np.count_nonzero(nu == 0)), k, msg_nu)
    loc = d * np.log(nu / rho) + const
    if local:
        return loc / div
    return _as_result(float(np.mean(loc)), div)


# ------------------------------------------------------- Gaussian closed forms --

def _cov(cov: Any, name: Any, d: Any = None) -> Any:
    c = np.asarray(as_float_array(cov, name), dtype=np.float64)
    if c.ndim == 0:
        c = c.reshape(1, 1)
    if c.ndim != 2 or c.shape[0] != c.shape[1]:
        raise ValueError(f"{name} must be a variance (scalar) or a square (d, d) matrix; "
                         f"got shape {np.shape(cov)}")
    if d is not None and c.shape[0] != d:
        raise ValueError(f"{name} must be ({d}, {d}); got shape {c.shape}")
    if not np.isfinite(c).all():
        raise ValueError(f"{name} contains NaN or infinite values")
    if not np.allclose(c, c.T, rtol=1e-12, atol=0):
        raise ValueError(f"{name} must be symmetric")
    try:
        L = np.linalg.cholesky(c)
    except np.linalg.LinAlgError:
        raise ValueError(f"{name} must be positive definite") from None
    return c, L


def _mean(mu: Any, name: Any) -> Any:
    v = np.asarray(as_float_array(mu, name), dtype=np.float64)
    if v.ndim > 1:
        raise ValueError(f"{name} must be a scalar or 1-D; got shape {v.shape}")
    v = v.reshape(-1)
    if not np.isfinite(v).all():
        raise ValueError(f"{name} contains NaN or infinite values")
    return v


def gaussian_entropy(cov: ArrayLike, base: Base = 2) -> Any:
    r"""Differential entropy of a normal distribution N(mu, cov).

    h = (1/2) log((2 pi e)^d det(cov)); it does not depend on the mean.

    Parameters
    ----------
    cov : float or array_like
        The variance (a scalar: one dimension) or the (d, d) covariance
        matrix, symmetric positive definite (checked by a Cholesky
        factorisation; ValueError otherwise).
    base : float or {"bits", "nats", "bans"}, default 2
        Log base of the result.

    Returns
    -------
    h : numpy.float64

    Examples
    --------
    >>> from infobits.estimate import gaussian_entropy
    >>> round(float(gaussian_entropy(1.0, base="nats")), 6)  # N(0, 1)
    1.418939
    >>> round(float(gaussian_entropy([[1.0, 0.6], [0.6, 1.0]])), 4)  # bits
    3.7723
    """
    div = log_base(base)
    c, L = _cov(cov, "cov")
    d = c.shape[0]
    logdet = 2.0 * float(np.sum(np.log(np.diag(L))))
    return _as_result(0.5 * (d * math.log(2 * math.pi * math.e) + logdet), div)


def gaussian_kl_divergence(mu0: ArrayLike, cov0: ArrayLike, mu1: ArrayLike, cov1: ArrayLike,
                           base: Base = 2) -> Any:
    r"""KL divergence D(N(mu0, cov0) || N(mu1, cov1)) between two normals.

    D = (1/2) [tr(cov1^-1 cov0) + (mu1 - mu0)^T cov1^-1 (mu1 - mu0) - d
    + log(det cov1 / det cov0)].

    Parameters
    ----------
    mu0, mu1 : float or array_like
        Means: scalars (one dimension) or 1-D arrays of length d.
    cov0, cov1 : float or array_like
        Variances (scalars, one dimension) or (d, d) symmetric positive
        definite covariance matrices.
    base : float or {"bits", "nats", "bans"}, default 2
        Log base of the result.

    Returns
    -------
    d : numpy.float64

    Examples
    --------
    >>> from infobits.estimate import gaussian_kl_divergence
    >>> round(float(gaussian_kl_divergence(0.0, 1.0, 1.0, 1.0, base="nats")), 6)
    0.5
    >>> round(float(gaussian_kl_divergence(0.0, 1.0, 1.0, 1.0)), 4)  # bits
    0.7213
    """
    div = log_base(base)
    m0 = _mean(mu0, "mu0")
    m1 = _mean(mu1, "mu1")
    if m0.shape != m1.shape:
        raise ValueError(f"mu0 and mu1 must have the same length; got {m0.size} and {m1.size}")
    d = m0.size
    c0, L0 = _cov(cov0, "cov0", d)
    c1, L1 = _cov(cov1, "cov1", d)
    # cov1^-1 cov0 and cov1^-1 delta through the Cholesky factor of cov1
    A = np.linalg.solve(L1, L0)          # L1^-1 L0
    delta = np.linalg.solve(L1, m1 - m0)
    tr = float(np.sum(A * A))
    maha = float(delta @ delta)
    logdet = 2.0 * float(np.sum(np.log(np.diag(L1))) - np.sum(np.log(np.diag(L0))))
    return _as_result(0.5 * (tr + maha - d + logdet), div)
