"""scikit-learn drop-ins: ``mutual_info_classif`` and ``mutual_info_regression``.

Same signature and semantics as ``sklearn.feature_selection`` (nats, clipped
at 0, continuous features scaled by their standard deviation and jittered
with the same random draws as scikit-learn for the same ``random_state``),
computed on infobits' compiled neighbour engine (``csrc/ib_knn_engine.c``):

* continuous feature, continuous target: KSG algorithm 1 with the max-norm,
  scikit-learn's ``_compute_mi_cc`` (radius ``nextafter(eps, 0)`` with
  points counted inside it: the engine's strict counts ``< eps``);
* continuous against discrete: Ross (2014), scikit-learn's
  ``_compute_mi_cd`` (``k = min(n_neighbors, count - 1)`` per label, labels
  seen once left out);
* discrete against discrete: the plug-in estimate of
  ``sklearn.metrics.mutual_info_score``.

The target's neighbour structure is built once for all features.
"""
from __future__ import annotations

import numbers
import operator
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .. import _knn
from . import _continuous as _c

__all__ = ["mutual_info_classif", "mutual_info_regression"]

_EPS64 = float(np.finfo(np.float64).eps)


def _check_random_state(random_state: Any) -> np.random.RandomState:
    # scikit-learn's check_random_state: its draws are those of RandomState
    if random_state is None:
        return np.random.mtrand._rand
    if isinstance(random_state, np.random.RandomState):
        return random_state
    if isinstance(random_state, numbers.Integral) and not isinstance(random_state, bool):
        return np.random.RandomState(int(random_state))
    raise ValueError(
        "random_state must be None, an int or a numpy.random.RandomState (scikit-learn's "
        f"draws); got {random_state!r}")


def _check_n_neighbors(n_neighbors: Any) -> int:
    if isinstance(n_neighbors, (bool, np.bool_)) or not isinstance(n_neighbors, numbers.Integral):
        raise TypeError(f"n_neighbors must be an int >= 1; got {n_neighbors!r}")
    k = operator.index(n_neighbors)
    if k < 1:
        raise ValueError(f"n_neighbors must be an int >= 1; got {k}")
    return k


def _as_X(X: Any) -> tuple[Any, bool]:
    """(X as a 2-D array, or a scipy.sparse CSC matrix; whether sparse)."""
    if hasattr(X, "tocsc") and hasattr(X, "nnz"):        # scipy.sparse, without importing it
        Xs = X.tocsc()
        if Xs.ndim != 2:
            raise ValueError(f"X must be 2-D (n_samples, n_features); got shape {Xs.shape}")
        if Xs.dtype.kind not in "biuf":
            raise TypeError(f"X must hold real numbers; got dtype {Xs.dtype}")
        if not np.isfinite(Xs.data).all():
            raise ValueError("X contains NaN or infinity")
        return Xs, True
    if hasattr(X, "iloc") and hasattr(X, "to_numpy"):   # pandas: its numeric columns
        try:
            a = np.asarray(X.to_numpy(dtype=np.float64))
        except (TypeError, ValueError):
            raise TypeError("X must hold real numbers; a column of the DataFrame does "
                            "not") from None
    else:
        a = np.asarray(X)
    if a.dtype.kind not in "biuf":
        raise TypeError(f"X must hold real numbers (bool, integer or float); got dtype "
                        f"{a.dtype}")
    if a.ndim != 2:
        raise ValueError(f"X must be 2-D (n_samples, n_features); got shape {a.shape}")
    if a.shape[0] < 1 or a.shape[1] < 1:
        raise ValueError(f"X needs at least one sample and one feature; got shape {a.shape}")
    if a.dtype.kind == "f" and not np.isfinite(a).all():
        raise ValueError("X contains NaN or infinity")
    return a, False


def _as_y(y: Any, n: int, discrete: bool) -> NDArray[Any]:
    v = np.asarray(y.to_numpy() if hasattr(y, "to_numpy") else y)
    if v.ndim == 2 and v.shape[1] == 1:
        v = v[:, 0]
    if v.ndim != 1:
        raise ValueError(f"y must be 1-D (n_samples,); got shape {v.shape}")
    if v.shape[0] != n:
        raise ValueError(f"X and y must have the same number of samples; got {n} and {v.shape[0]}")
    if v.dtype.kind == "c":
        raise TypeError("y must hold real numbers or labels; got complex values")
    if discrete:
        if v.dtype.kind == "f":
            if not np.isfinite(v).all():
                raise ValueError("y contains NaN or infinity")
            if np.any(v != np.round(v)):
                raise ValueError("y must be class labels for mutual_info_classif; got "
                                 "continuous values (use mutual_info_regression)")
        return v
    if v.dtype.kind not in "biuf":
        raise TypeError(f"y must hold real numbers (bool, integer or float); got dtype "
                        f"{v.dtype}")
    if v.dtype.kind != "f":
        v = v.astype(np.float64)
    if not np.isfinite(v).all():
        raise ValueError("y contains NaN or infinity")
    return v


def _discrete_mask(discrete_features: Any, p: int, sparse: bool) -> NDArray[np.bool_]:
    if isinstance(discrete_features, str):
        if discrete_features != "auto":
            raise ValueError(
                f"discrete_features must be 'auto', a bool, a boolean mask or indices; "
                f"got {discrete_features!r}")
        return np.full(p, sparse)
    if isinstance(discrete_features, (bool, np.bool_)):
        return np.full(p, bool(discrete_features))
    d = np.asarray(discrete_features)
    if d.dtype == bool:
        if d.shape != (p,):
            raise IndexError(      # scikit-learn's exception for it
                f"discrete_features as a boolean mask must have one entry per feature "
                f"({p}); got shape {d.shape}")
        return np.array(d, dtype=bool)
    if d.dtype.kind not in "iu" or d.ndim > 1:
        raise ValueError(
            "discrete_features must be 'auto', a bool, a boolean mask or integer indices; "
            f"got {discrete_features!r}")
    mask = np.zeros(p, dtype=bool)
    try:
        mask[d] = True
    except IndexError:
        raise IndexError(
            f"discrete_features holds an index out of range for {p} features: "
            f"{discrete_features!r}") from None
    return mask


def _column(X: Any, j: int, sparse: bool) -> NDArray[Any]:
    if not sparse:
        return np.asarray(X[:, j])
    x = np.zeros(X.shape[0])
    lo, hi = X.indptr[j], X.indptr[j + 1]
    x[X.indices[lo:hi]] = X.data[lo:hi]
    return x


def _psi_mean(m: NDArray[Any]) -> float:
    return float(np.mean(_c._digamma_int(m)))


def _mi_cc(a: NDArray[np.float64], b: NDArray[np.float64], ys: Any, k: int) -> float:
    """scikit-learn's _compute_mi_cc (nats, unclipped) of 1-D a, b; ys: b's space."""
    n = a.shape[0]
    if n <= k:
        raise ValueError(f"n_neighbors = {k} needs more samples than that; got {n}")
    a2, b2 = a[:, None], b[:, None]
    eps = _c._grid_eps(a2, b2, k)
    if eps is None:
        eps = _knn.KnnSpace(np.ascontiguousarray(np.hstack((a2, b2))), (1, 1)).knn(k, 0, 0)
    nx = _knn.KnnSpace(np.ascontiguousarray(a2)).count(eps, 0, True, 0)
    ny = ys.count(eps, 0, True, 0)
    psi_n, psi_k = _c._digamma_int([n, k])
    return float(psi_n + psi_k - _psi_mean(nx + 1) - _psi_mean(ny + 1))


class _Labels:
    """A discrete variable's groups, computed once and used for every feature."""

    def __init__(self, d: NDArray[Any], k: int) -> None:
        _, inv, counts = np.unique(d, return_inverse=True, return_counts=True)
        inv = inv.reshape(-1)
        keep = counts[inv] > 1
        self.kept = np.flatnonzero(keep)
        self.inv = inv[self.kept]
        order = np.argsort(self.inv, kind="stable")
        bounds = np.flatnonzero(np.diff(self.inv[order])) + 1
        self.groups = [g for g in np.split(order, bounds) if g.size]
        nk = self.kept.size
        self.k_all = np.empty(nk, dtype=np.int64)
        for g in self.groups:
            self.k_all[g] = min(k, g.size - 1)
        self.nk = nk
        if nk:
            self.const = float(_c._digamma_int([nk])[0] + _psi_mean(self.k_all)
                               - _psi_mean(np.bincount(self.inv)[self.inv]))


def _mi_cd(c: NDArray[np.float64], lab: _Labels) -> float:
    """scikit-learn's _compute_mi_cd (Ross; nats, unclipped) of continuous c."""
    if lab.nk == 0:
        return 0.0
    a = np.ascontiguousarray(c[lab.kept])
    radius = np.empty(lab.nk)
    for g in lab.groups:
        sp = _knn.KnnSpace(np.ascontiguousarray(a[g, None]))
        radius[g] = sp.knn(int(lab.k_all[g[0]]), 0, 0)
    m_all = _knn.KnnSpace(a[:, None]).count(radius, 0, True, 0) + 1
    return lab.const - _psi_mean(m_all)


def _mi_dd(x: NDArray[Any], y: NDArray[Any]) -> float:
    """The plug-in MI in nats (sklearn.metrics.mutual_info_score)."""
    _, xi = np.unique(x, return_inverse=True)
    _, yi = np.unique(y, return_inverse=True)
    xi, yi = xi.reshape(-1), yi.reshape(-1)
    ny = int(yi.max()) + 1
    joint = np.bincount(xi * ny + yi)
    nz = np.flatnonzero(joint)
    c = joint[nz].astype(np.float64)
    n = float(xi.size)
    px = np.bincount(xi).astype(np.float64)
    py = np.bincount(yi).astype(np.float64)
    outer = px[nz // ny] * py[nz % ny]
    return float(np.sum(c / n * (np.log(c) + np.log(n) - np.log(outer))))


def _estimate(X: Any, y: Any, discrete_features: Any, discrete_target: bool, n_neighbors: Any,
              copy: Any, random_state: Any, n_jobs: Any) -> NDArray[np.float64]:
    k = _check_n_neighbors(n_neighbors)
    if not isinstance(copy, (bool, np.bool_)):
        raise TypeError(f"copy must be a bool; got {copy!r}")
    if n_jobs is not None and (isinstance(n_jobs, bool) or not isinstance(n_jobs, numbers.Integral)):
        raise TypeError(f"n_jobs must be None or an int; got {n_jobs!r}")
    Xa, sparse = _as_X(X)
    n, p = Xa.shape
    yv = _as_y(y, n, discrete_target)
    mask = _discrete_mask(discrete_features, p, sparse)
    cont = ~mask
    if cont.any() and sparse:
        raise ValueError("Sparse matrix `X` can't have continuous features "
                         "(discrete_features selects them)")
    rng = _check_random_state(random_state)
    out = np.zeros(p)
    cols: dict[int, NDArray[np.float64]] = {}
    const = np.zeros(p, dtype=bool)
    if cont.any():
        idx = np.flatnonzero(cont)
        Xc = np.array(Xa[:, idx], dtype=np.float64)        # never modifies X
        with np.errstate(over="ignore"):
            const[idx] = np.ptp(Xc, axis=0) == 0
        sd = np.nanstd(Xc, axis=0)
        sd[sd < 10 * _EPS64] = 1.0
        Xc /= sd
        means = np.maximum(1, np.mean(np.abs(Xc), axis=0))
        Xc += 1e-10 * means * rng.standard_normal(size=(n, idx.size))
        for t, col in enumerate(idx.tolist()):
            cols[col] = np.ascontiguousarray(Xc[:, t])
    if not discrete_target:
        y_const = bool(np.ptp(yv) == 0)
        yv = np.array(yv, copy=True)
        s = np.nanstd(yv, axis=0)
        if s == 0.0:
            s = yv.dtype.type(1.0)
        yv /= s
        yv += 1e-10 * np.maximum(1, np.mean(np.abs(yv))) * rng.standard_normal(size=n)
        if y_const:
            return out                      # a constant target carries no information
        yf = np.ascontiguousarray(yv, dtype=np.float64)
        ys = _knn.KnnSpace(yf[:, None]) if cont.any() else None
        for j in range(p):
            if const[j]:
                continue
            if mask[j]:
                xj = _column(Xa, j, sparse)
                out[j] = _mi_cd(yf, _Labels(xj, k))
            else:
                out[j] = _mi_cc(cols[j], yf, ys, k)
    else:
        lab = _Labels(yv, k) if cont.any() else None
        for j in range(p):
            if const[j]:
                continue
            if mask[j]:
                out[j] = _mi_dd(_column(Xa, j, sparse), yv)
            else:
                assert lab is not None
                out[j] = _mi_cd(cols[j], lab)
    return np.maximum(out, 0.0)


def mutual_info_regression(X: ArrayLike, y: ArrayLike, *, discrete_features: Any = "auto",
                           n_neighbors: int = 3, copy: bool = True, random_state: Any = None,
                           n_jobs: int | None = None) -> NDArray[np.float64]:
    """Mutual information between each feature and a continuous target (nats).

    A drop-in for :func:`sklearn.feature_selection.mutual_info_regression`:
    the same signature and the same values (to 1e-10) for the same
    ``random_state``, computed on infobits' compiled neighbour engine.
    Continuous features and the target are scaled by their standard
    deviation and jittered exactly as scikit-learn does (the same
    ``RandomState`` draws); a continuous feature against the target is the
    KSG estimate (algorithm 1, max-norm), a discrete feature against it the
    Ross estimate; negative estimates are clipped to 0.

    Parameters
    ----------
    X : array-like or scipy.sparse matrix, shape (n_samples, n_features)
        The features (a pandas DataFrame gives the same array).
    y : array-like, shape (n_samples,)
        The continuous target.
    discrete_features : {'auto', bool, array-like}, default 'auto'
        Which features are discrete: all (True) or none (False), a boolean
        mask, or the indices of the discrete ones; ``'auto'`` means False for
        a dense ``X`` and True for a sparse one (scikit-learn's rule; a
        sparse ``X`` must have discrete features only).
    n_neighbors : int, default 3
        The k of the KSG and Ross estimators.
    copy : bool, default True
        Accepted for compatibility; ``X`` is never modified (infobits never
        modifies its inputs), so False changes nothing.
    random_state : None, int or numpy.random.RandomState, default None
        Draws the tie-breaking noise, as in scikit-learn (None: NumPy's
        global RandomState).
    n_jobs : None or int, default None
        Accepted for compatibility; the compiled loops use
        :func:`infobits.set_num_threads` threads.

    Returns
    -------
    ndarray of float64, shape (n_features,)
        The estimate for each feature, in nats, clipped at 0.  A constant
        feature scores 0, and a constant target gives all 0 (scikit-learn
        would score its tie-breaking noise).

    See Also
    --------
    mutual_info_classif : the same for a discrete target.
    permutation_test : whether an estimate differs from zero.

    Examples
    --------
    >>> import numpy as np
    >>> import infobits.estimate as est
    >>> rng = np.random.default_rng(0)
    >>> X = rng.normal(size=(500, 3))
    >>> y = X[:, 0] + 0.1 * rng.normal(size=500)
    >>> mi = est.mutual_info_regression(X, y, random_state=0)
    >>> int(np.argmax(mi)), bool(mi[0] > 1.5), bool(mi[1] < 0.1)
    (0, True, True)
    """
    return _estimate(X, y, discrete_features, False, n_neighbors, copy, random_state, n_jobs)


def mutual_info_classif(X: ArrayLike, y: ArrayLike, *, discrete_features: Any = "auto",
                        n_neighbors: int = 3, copy: bool = True, random_state: Any = None,
                        n_jobs: int | None = None) -> NDArray[np.float64]:
    """Mutual information between each feature and a discrete target (nats).

    A drop-in for :func:`sklearn.feature_selection.mutual_info_classif`:
    the same signature and the same values (to 1e-10) for the same
    ``random_state``, computed on infobits' compiled neighbour engine.
    Continuous features are scaled by their standard deviation and jittered
    exactly as scikit-learn does (the same ``RandomState`` draws), then
    scored by the Ross estimator (its k per label ``min(n_neighbors,
    count - 1)``, labels seen once left out); discrete features by the
    plug-in estimate (``sklearn.metrics.mutual_info_score``).  Negative
    estimates are clipped to 0.  It fits ``SelectKBest(score_func=...)``.

    Parameters
    ----------
    X : array-like or scipy.sparse matrix, shape (n_samples, n_features)
        The features (a pandas DataFrame gives the same array).
    y : array-like, shape (n_samples,)
        The class labels.
    discrete_features : {'auto', bool, array-like}, default 'auto'
        Which features are discrete: all (True) or none (False), a boolean
        mask, or the indices of the discrete ones; ``'auto'`` means False for
        a dense ``X`` and True for a sparse one.
    n_neighbors : int, default 3
        The k of the Ross estimator.
    copy : bool, default True
        Accepted for compatibility; ``X`` is never modified.
    random_state : None, int or numpy.random.RandomState, default None
        Draws the tie-breaking noise, as in scikit-learn.
    n_jobs : None or int, default None
        Accepted for compatibility; the compiled loops use
        :func:`infobits.set_num_threads` threads.

    Returns
    -------
    ndarray of float64, shape (n_features,)
        The estimate for each feature, in nats, clipped at 0 (a constant
        feature scores 0).

    See Also
    --------
    mutual_info_regression : the same for a continuous target.

    Examples
    --------
    >>> import numpy as np
    >>> import infobits.estimate as est
    >>> rng = np.random.default_rng(0)
    >>> y = rng.integers(0, 2, size=400)
    >>> X = np.column_stack([y + 0.3 * rng.normal(size=400), rng.normal(size=400)])
    >>> mi = est.mutual_info_classif(X, y, random_state=0)
    >>> bool(mi[0] > 0.4), bool(mi[1] < 0.05)
    (True, True)
    """
    return _estimate(X, y, discrete_features, True, n_neighbors, copy, random_state, n_jobs)
