"""Gaussian and Gaussian-copula estimators of entropy, MI and CMI.

``"gaussian"``: the closed form of a multivariate normal fitted to the
samples, the covariance normalised by n - 1 and no bias correction, as in
JIDT's Gaussian calculators (``EntropyCalculatorMultiVariateGaussian``,
``MutualInfoCalculatorMultiVariateGaussian``,
``ConditionalMutualInfoCalculatorMultiVariateGaussian``), so the values
equal JIDT's.

``"gcmi"``: the Gaussian-copula estimator of Ince et al. (2017): each
dimension is replaced by the standard-normal quantiles of its ordinal ranks,
``ndtri(rank / (n + 1))``, then every entropy of the Gaussian formula gets
its own bias correction (the expected bias of the log-determinant of a
Wishart matrix), as in frites' ``gcmi`` functions.

Everything is vectorised NumPy: one covariance (Gram) matrix of all the
columns, then the log-determinants of its principal submatrices by Cholesky
factorisations.  The ranks of ``"gcmi"`` come from one ``argsort`` per
column; the quantiles are computed once for 1..n and scattered.

The helpers below (``samples``, ``prepare``, ``entropy_nats``, ``mi_nats``,
``cmi_nats``, ``subset_entropies_nats``) work in nats on float64 arrays of
shape (n, d) and are what the other estimators (transfer entropy, the
multivariate measures) build on.
"""
from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from .._typing import Base
from .._validation import as_float_array, log_base

__all__ = [
    "METHODS",
    "samples",
    "copnorm",
    "prepare",
    "entropy_nats",
    "mi_nats",
    "cmi_nats",
    "subset_entropies_nats",
    "differential_entropy",
    "mutual_information",
    "conditional_mutual_information",
]

#: The methods of this module.
METHODS = ("gaussian", "gcmi")

_LOG_2PI_E = math.log(2.0 * math.pi) + 1.0


def _check_method(method: Any, allowed: tuple[str, ...] = METHODS) -> str:
    if method not in allowed:
        raise ValueError(f"method must be one of {allowed}; got {method!r}")
    return str(method)


def samples(x: ArrayLike, name: str) -> np.ndarray:
    """Finite float64 samples as an (n, d) array (a 1-D input is (n, 1)).

    ValueError for more than two dimensions or for NaN or infinite values
    (naming *name* and the first index); TypeError for non-real dtypes.
    """
    a = as_float_array(x, name)
    if a.ndim == 1:
        a = a[:, None]
    elif a.ndim != 2:
        raise ValueError(
            f"{name} must be 1-D (n_samples,) or 2-D (n_samples, n_dims); "
            f"got shape {a.shape}"
        )
    a = np.asarray(a, dtype=np.float64)
    if a.size and not np.isfinite(a).all():
        bad = np.argwhere(~np.isfinite(a))[0]
        where = int(bad[0]) if a.shape[1] == 1 else (int(bad[0]), int(bad[1]))
        raise ValueError(
            f"{name} contains NaN or infinite values (first at index {where}); "
            "the Gaussian estimators need finite samples"
        )
    return a


def _same_length(arrays: Sequence[np.ndarray], names: Sequence[str]) -> Any:
    n = arrays[0].shape[0]
    for a, nm in zip(arrays[1:], names[1:]):
        if a.shape[0] != n:
            raise ValueError(
                f"{names[0]} and {nm} must have the same number of samples; got "
                f"{n} and {a.shape[0]}"
            )
    return n


def copnorm(a: np.ndarray) -> Any:
    """Copula normalisation of each column of the (n, d) float64 array *a*.

    Each value becomes ``ndtri(r / (n + 1))``, r in 1..n its ordinal rank
    within its column (tied values ranked in order of appearance).  The
    quantiles of 1..n are computed once and scattered by the sort order.
    """
    from scipy.special import ndtri

    n, d = a.shape
    q = ndtri(np.arange(1, n + 1, dtype=np.float64) / (n + 1.0))
    at = np.ascontiguousarray(a.T)
    # NumPy's default (SIMD) sort, several times faster than the stable
    # one; without ties the order is the same, and a column with ties is
    # sorted again stably (ties ranked in order of appearance)
    order = np.argsort(at, axis=1)
    if n > 1:
        srt = np.take_along_axis(at, order, axis=1)
        tied = np.any(srt[:, 1:] == srt[:, :-1], axis=1)
        if tied.any():
            order[tied] = np.argsort(at[tied], axis=1, kind="stable")
    out = np.empty((d, n), dtype=np.float64)
    np.put_along_axis(out, order, q[None, :], axis=1)
    return out.T


def prepare(a: np.ndarray, method: str) -> Any:
    """The (n, d) data the covariance is taken of: centred samples for
    ``"gaussian"`` (the fitted mean removed), the copula-normalised samples
    for ``"gcmi"`` (not centred, as in frites: their mean is 0 up to
    rounding)."""
    if method == "gcmi":
        return copnorm(a)
    return a - a.mean(axis=0)


def _cov(b: np.ndarray) -> Any:
    """Covariance b^T b / (n - 1) of prepared (n, d) data."""
    n = b.shape[0]
    c = b.T @ b
    c /= n - 1.0
    return c


def _need_samples(n: int, d: int) -> None:
    if n <= d:
        raise ValueError(
            f"the Gaussian estimators need more samples than dimensions: n = {n}, "
            f"d = {d} (the fitted covariance would be singular)"
        )


def _bias(d: int, n: int) -> float:
    """Bias of the plug-in Gaussian entropy of d dimensions from n samples
    (nats): d (ln 2 - ln(n - 1))/2 + sum_{j=1..d} psi((n - j)/2)/2."""
    from scipy.special import digamma

    psi = digamma((n - np.arange(1, d + 1, dtype=np.float64)) / 2.0)
    return d * (math.log(2.0) - math.log(n - 1.0)) / 2.0 + float(np.sum(psi)) / 2.0


def _logdet(c: np.ndarray, what: str) -> float:
    try:
        L = np.linalg.cholesky(c)
    except np.linalg.LinAlgError:
        raise ValueError(
            f"the covariance of {what} is not positive definite: a constant column "
            "or linearly dependent columns (the Gaussian entropy would be -inf)"
        ) from None
    return 2.0 * float(np.sum(np.log(np.diagonal(L))))


def _h(c: np.ndarray, idx: Any, n: int, method: str, what: str) -> Any:
    """Entropy (nats) of the sub-vector *idx* of the covariance *c*."""
    sub = c[np.ix_(idx, idx)]
    d = sub.shape[0]
    if d == 0:
        return 0.0
    h = 0.5 * (d * _LOG_2PI_E + _logdet(sub, what))
    if method == "gcmi":
        h -= _bias(d, n)
    return h


def subset_entropies_nats(a: np.ndarray, subsets: Sequence[Sequence[int]], method: str,
                          what: str = "the samples") -> list[float]:
    """Entropies (nats) of the column subsets of the (n, d) samples *a*.

    One covariance matrix of all the columns; each subset's entropy is the
    Gaussian entropy of its principal submatrix (with the per-term bias
    correction for ``"gcmi"``).
    """
    n, d = a.shape
    _need_samples(n, d)
    c = _cov(prepare(a, method))
    return [_h(c, list(s), n, method, what) for s in subsets]


def entropy_nats(a: np.ndarray, method: str = "gaussian") -> float:
    """Gaussian entropy (nats) of the (n, d) samples *a*."""
    return subset_entropies_nats(a, [range(a.shape[1])], method, "x")[0]


def mi_nats(x: np.ndarray, y: np.ndarray, method: str) -> float:
    """I(X; Y) in nats of (n, dx) and (n, dy) float64 samples:
    H(X) + H(Y) - H(X, Y) of one fitted covariance."""
    dx, dy = x.shape[1], y.shape[1]
    a = np.concatenate([x, y], axis=1)
    hx, hy, hxy = subset_entropies_nats(
        a, [range(dx), range(dx, dx + dy), range(dx + dy)], method, "(x, y)")
    return hx + hy - hxy


def cmi_nats(x: np.ndarray, y: np.ndarray, z: np.ndarray, method: str) -> float:
    """I(X; Y | Z) in nats: H(X, Z) + H(Y, Z) - H(X, Y, Z) - H(Z)."""
    dx, dy, dz = x.shape[1], y.shape[1], z.shape[1]
    a = np.concatenate([x, y, z], axis=1)
    X = list(range(dx))
    Y = list(range(dx, dx + dy))
    Z = list(range(dx + dy, dx + dy + dz))
    hxz, hyz, hxyz, hz = subset_entropies_nats(
        a, [X + Z, Y + Z, X + Y + Z, Z], method, "(x, y, z)")
    return hxz + hyz - hxyz - hz


# ------------------------------------------------------- public entries --
# (reached through infobits.estimate's dispatchers; their docstrings
# describe the methods)

def differential_entropy(x: ArrayLike, *, base: Base = 2) -> Any:
    """Gaussian differential entropy of samples (``method="gaussian"``)."""
    div = log_base(base)
    a = samples(x, "x")
    return np.float64(entropy_nats(a) / div)


def mutual_information(x: ArrayLike, y: ArrayLike, *, method: str, base: Base = 2) -> Any:
    """I(X; Y) by ``method="gaussian"`` or ``"gcmi"``."""
    meth = _check_method(method)
    div = log_base(base)
    a, b = samples(x, "x"), samples(y, "y")
    _same_length([a, b], ["x", "y"])
    return np.float64(mi_nats(a, b, meth) / div)


def conditional_mutual_information(x: ArrayLike, y: ArrayLike, z: ArrayLike, *, method: str,
                                   base: Base = 2) -> Any:
    """I(X; Y | Z) by ``method="gaussian"`` or ``"gcmi"``."""
    meth = _check_method(method)
    div = log_base(base)
    a, b, c = samples(x, "x"), samples(y, "y"), samples(z, "z")
    _same_length([a, b, c], ["x", "y", "z"])
    return np.float64(cmi_nats(a, b, c, meth) / div)
