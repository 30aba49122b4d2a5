"""Multivariate measures from samples: total correlation, dual total
correlation, O- and S-information, interaction information.

Every measure is a signed sum of entropies of subsets of the variables (the
columns of ``X``):

* ``"plugin"`` (labels): each column factorized once, the joint codes of a
  subset built by combining the codes of a smaller subset with one more
  column (``np.unique`` of the pairs), the plug-in entropy of their counts
  in compiled code;
* ``"gaussian"`` / ``"gcmi"``: one covariance matrix of all the columns and
  the log-determinants of its principal submatrices
  (:func:`infobits.estimate._gaussian.subset_entropies_nats`);
* ``"ksg"`` (``total_correlation``, ``o_information``): the KSG estimators
  of JIDT's ``MultiInfoCalculatorKraskov1``/``2`` and
  ``OInfoCalculatorKraskov`` on the compiled neighbour engine
  (:class:`infobits._knn.KnnSpace`): the max-norm k-NN radius of each
  sample in the joint space, then counts in the marginal spaces.
"""
from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from typing import Any, cast

import numpy as np
from numpy.typing import ArrayLike

from .. import _estimate as _k
from .. import _knn
from .._typing import Base, Estimate
from .._validation import log_base
from . import _continuous as _c
from . import _discrete as _d
from . import _frames
from . import _gaussian as _g

__all__ = [
    "total_correlation",
    "dual_total_correlation",
    "o_information",
    "s_information",
    "interaction_information",
]

_PLUGIN = ("plugin",)
_GAUSS = _g.METHODS
_KSG_OK = {"total_correlation": True, "o_information": True}


# ------------------------------------------------------------- subsets --

def _tc(H: Callable[[tuple[int, ...]], float], n: int) -> float:
    return sum(H((i,)) for i in range(n)) - H(tuple(range(n)))


def _dtc(H: Callable[[tuple[int, ...]], float], n: int) -> float:
    if n < 2:
        return 0.0
    full = tuple(range(n))
    return sum(H(tuple(j for j in full if j != i)) for i in range(n)) - (n - 1) * H(full)


def _combine(which: str, H: Callable[[tuple[int, ...]], float], n: int) -> float:
    if which == "total_correlation":
        return _tc(H, n)
    if which == "dual_total_correlation":
        return _dtc(H, n)
    if which == "o_information":
        return _tc(H, n) - _dtc(H, n) if n >= 3 else 0.0
    if which == "s_information":
        return _tc(H, n) + _dtc(H, n)
    # co-information: -sum_S (-1)^|S| H(X_S), largest subsets first
    v = 0.0
    for size in range(n, 0, -1):
        sign = -1.0 if size % 2 == 0 else 1.0
        for s in itertools.combinations(range(n), size):
            v += sign * H(s)
    return v


def _subsets(which: str, n: int) -> list[tuple[int, ...]]:
    """The subsets whose entropies *which* needs."""
    full = tuple(range(n))
    singles = [(i,) for i in range(n)]
    rests = [tuple(j for j in full if j != i) for i in range(n)]
    if which == "total_correlation":
        return singles + [full]
    if which == "dual_total_correlation":
        return rests + [full]
    if which in ("o_information", "s_information"):
        return singles + rests + [full]
    return [s for size in range(n, 0, -1) for s in itertools.combinations(range(n), size)]


# -------------------------------------------------------------- plug-in --

def _plugin(which: str, X: np.ndarray, names: Sequence[str], div: float,
            groups: Sequence[Sequence[int]] | None = None) -> float:
    """Plug-in measure of the label columns of X (n, m), in the base whose
    log is *div* (each entropy converted before they are combined, so that
    exact entropies such as 1 and 2 bits combine exactly); with *groups*,
    variable v is the joint of the columns groups[v]."""
    n, m = X.shape
    if groups is None:
        groups = [[j] for j in range(m)]
    if n == 0 or m == 0:
        return 0.0
    cols: dict[tuple[int, ...], tuple[Any, int]] = {}
    for j in range(m):
        codes, K, _ = _d._factorize(X[:, j], names[j])
        cols[(j,)] = (codes, K)
    plug = _k.METHODS["plugin"]

    def codes_of(s: tuple[int, ...]) -> tuple[Any, int]:
        got = cols.get(s)
        if got is None:
            a, ka = codes_of(s[:-1])
            b, kb = cols[(s[-1],)]
            # pairs (a, b) as one key; K_a K_b < 2^62 always holds here
            # since K_a, K_b <= n after every combination step
            key = a * kb + b
            uniq, inv = np.unique(key, return_inverse=True)
            got = (np.ascontiguousarray(inv.reshape(-1), dtype=np.int64), int(uniq.size))
            cols[s] = got
        return got

    hs: dict[tuple[int, ...], float] = {}

    def H(s: tuple[int, ...]) -> float:
        c_idx = tuple(sorted({c for v in s for c in groups[v]}))
        h = hs.get(c_idx)
        if h is None:
            if not c_idx:
                return 0.0
            c, K = codes_of(c_idx)
            h = float(_k.entropy_counts(plug, _k.count_codes(c, K), float(K))) / div
            hs[c_idx] = h
        return h

    return _combine(which, H, len(groups))


# ------------------------------------------------------------- Gaussian --

def _gaussian(which: str, a: np.ndarray, method: str, dims: Sequence[int]) -> float:
    """Gaussian / GCMI measure (nats): the variables are consecutive column
    blocks of a, of widths dims."""
    starts = np.concatenate(([0], np.cumsum(dims)))
    nv = len(dims)
    need = _subsets(which, nv)
    cols = [[c for v in s for c in range(int(starts[v]), int(starts[v + 1]))] for s in need]
    hs = _g.subset_entropies_nats(a, cols, method, "the samples")
    table = dict(zip(need, hs))
    return _combine(which, lambda s: table[tuple(sorted(s))], nv)


# ------------------------------------------------------------------ KSG --

def _ksg(which: str, a: np.ndarray, k: int, metric: int, theiler: int, algorithm: int) -> Any:
    """Local KSG values (nats) of the total correlation (JIDT's
    MultiInfoCalculatorKraskov1/2) or the O-information
    (OInfoCalculatorKraskov) of the prepared (n, D) samples a."""
    n, D = a.shape
    psi_n, psi_k = _c._digamma_int([n, k])
    if which == "o_information" and D < 3:
        return np.zeros(n)
    joint = _knn.KnnSpace(np.ascontiguousarray(a))
    if algorithm == 2:
        _, ge = _knn.KnnSpace(np.ascontiguousarray(a), (1,) * D).knn(
            k, metric, theiler, group_max=True)
        loc = np.full(n, psi_k - (D - 1) / k + (D - 1) * psi_n)
        for d in range(D):
            nd = _knn.KnnSpace(np.ascontiguousarray(a[:, d:d + 1])).count(
                np.ascontiguousarray(ge[:, d]), metric, False, theiler)
            loc -= _c._digamma_int(nd)
        return loc
    eps = joint.knn(k, metric, theiler)
    small = [_knn.KnnSpace(np.ascontiguousarray(a[:, d:d + 1])).count(eps, metric, True, theiler)
             for d in range(D)]
    if which == "total_correlation":
        loc = np.full(n, psi_k + (D - 1) * psi_n)
        for nd in small:
            loc -= _c._digamma_int(nd + 1)
        return loc
    # O-information: (2 - D)(psi(k) - psi(n)) + sum_d [psi(n_rest_d + 1) - psi(n_d + 1)]
    loc = np.full(n, (2 - D) * (psi_k - psi_n))
    for d in range(D):
        rest = np.ascontiguousarray(np.delete(a, d, axis=1))
        nb = _knn.KnnSpace(rest).count(eps, metric, True, theiler)
        loc += _c._digamma_int(nb + 1) - _c._digamma_int(small[d] + 1)
    return loc


# ------------------------------------------------------------ front end --

def _matrix(X: Any, method: Any, who: str) -> tuple[np.ndarray, list[str]]:
    """X as an (n, m) array (a DataFrame: its columns, each checked by the
    dtype rule) and the names of its columns for messages."""
    if _frames.is_pandas(X):
        import pandas as pd

        if isinstance(X, pd.Series):
            X = X.to_frame()
        vals = [_frames._series_values(X[c], _frames._label(c, "X"), method, True)
                for c in X.columns]
        names = [_frames._label(c, "X") for c in X.columns]
        if not vals:
            return np.empty((len(X), 0)), names
        if all(v.dtype == vals[0].dtype for v in vals):
            return np.stack(vals, axis=1), names
        out = np.empty((len(X), len(vals)), dtype=object)
        for j, v in enumerate(vals):
            out[:, j] = v
        return out, names
    arr = np.asarray(X)
    if arr.ndim != 2:
        raise ValueError(f"{who}: X must be 2-D (n_samples, n_variables), one variable per "
                         f"column; got shape {arr.shape}")
    return arr, [f"X[:, {j}]" for j in range(arr.shape[1])]


def _check_knn_options(method: str, given: dict[str, Any]) -> None:
    bad = [k for k, v in given.items() if v]
    if bad:
        raise ValueError(f"{', '.join(bad)}: option(s) of method 'ksg', not of method "
                         f"{method!r}")


def _estimate(which: str, X: Any, method: Any, base: Base, k: Any, metric: str, theiler: int,
              jitter: Any, standardize: bool, algorithm: int, local: bool,
              random_state: Any) -> Any:
    div = log_base(base)
    arr, names = _matrix(X, method, which)
    knn_given = {"k": k is not None, "jitter": jitter is not None,
                 "random_state": random_state is not None,
                 "metric": metric != "chebyshev", "theiler": theiler != 0,
                 "standardize": standardize is not True, "algorithm": algorithm != 1,
                 "local": local is not False}
    if method is None or method in _PLUGIN:
        if method is None and arr.dtype.kind in "fc":
            raise ValueError(
                f"X holds float samples ({arr.dtype}), which may be labels or continuous "
                f"data: pass method='plugin' to treat the values as labels, or "
                f"method='gaussian', 'gcmi'"
                + (" or 'ksg'" if which in _KSG_OK else "") + " for continuous data")
        _check_knn_options("plugin", knn_given)
        return np.float64(_plugin(which, arr, names, div))
    if method in _GAUSS:
        _check_knn_options(method, knn_given)
        a = _g.samples(arr, "X")
        return np.float64(_gaussian(which, a, method, [1] * a.shape[1]) / div)
    if method == "ksg" and which in _KSG_OK:
        kk = _c._check_k(4 if k is None else k)
        m = _c._check_metric(metric)
        t = _c._check_theiler(theiler)
        j = _c._check_jitter(1e-10 if jitter is None else jitter)
        alg = _c._check_algorithm(algorithm)
        if alg == 2 and which == "o_information":
            raise ValueError("algorithm=2 applies to total_correlation only (JIDT's "
                             "OInfoCalculatorKraskov has algorithm 1)")
        a, _ = _c._real_samples(arr, "X")
        if alg == 2 and a.shape[1] > _knn.MAX_GROUPS:
            raise ValueError(f"algorithm=2 takes at most {_knn.MAX_GROUPS} columns; X has "
                             f"{a.shape[1]} (use algorithm=1)")
        n = a.shape[0]
        _c._check_enough(n, kk, t, "'ksg'")
        (a,), _ = _c._pow2_scale(a)
        a = _c._prepare(a, standardize, j, _c._rng(random_state))
        return _c._finish(_ksg(which, a, kk, m, t, alg), div, bool(local))
    allowed = ("plugin",) + _GAUSS + (("ksg",) if which in _KSG_OK else ())
    raise ValueError(f"method must be one of {allowed} or None; got {method!r}")


_PARAMS = """\
    X : array_like or pandas.DataFrame, shape (n_samples, n_variables)
        The samples, one variable per column (a DataFrame's columns are the
        variables).  For ``"plugin"``: labels of any hashable, sortable
        dtype.  For the continuous methods: real samples (computed in
        float64; NaN or infinite values raise ValueError).
    method : str or None, default None
        ``None`` means ``"plugin"`` for labels and raises ValueError for
        float samples (pass ``method="plugin"`` to treat them as labels, or
        a continuous method).  ``"plugin"``: the plug-in entropies of the
        observed joint frequencies.  ``"gaussian"``: the closed form of a
        multivariate normal fitted to the samples (covariance normalised by
        n - 1, no bias correction), the value of JIDT's Gaussian
        calculators.  ``"gcmi"``: the Gaussian-copula estimate (Ince et
        al. 2017), each column replaced by ``ndtri(rank / (n + 1))``, each
        Gaussian entropy with its bias correction, as frites.
    base : {"bits", "nats", "bans"} or float, default 2
        Logarithm base of the result."""

_KSG_PARAMS = """\
    k : int, default 4
        ``"ksg"``: neighbour order (as JIDT).  Needs n > k + 2 theiler.
    metric : {"chebyshev", "euclidean"}, default "chebyshev"
        ``"ksg"``: the norm of the joint space and of every marginal space
        (as ``NORM_TYPE`` of JIDT's ``OInfoCalculatorKraskov``; JIDT's
        ``MultiInfoCalculatorKraskov`` keeps the max-norm, so the total
        correlation equals JIDT's with ``"chebyshev"`` only); each
        variable is one column.
    theiler : int, default 0
        ``"ksg"``: samples i and j with abs(i - j) <= theiler are never
        neighbours nor counted (JIDT's ``DYN_CORR_EXCL``).
    jitter : float, default 1e-10
        ``"ksg"``: tie-breaking Gaussian noise of standard deviation
        ``jitter`` times each column's standard deviation (after scaling),
        drawn from ``random_state``; 0 adds none.
    standardize : bool, default True
        ``"ksg"``: scale each column to unit variance first.
    algorithm : {1, 2}, default 1
        ``"ksg"``: Kraskov et al.'s algorithm 1 or 2 (2: total correlation
        only).
    local : bool, default False
        ``"ksg"``: return the local (per-sample) values, whose mean is the
        estimate.
    random_state : None, int, numpy.random.Generator or RandomState
        ``"ksg"``: the random generator of the jitter (``None``: seed=0)."""

_RAISES = """\
    Raises
    ------
    ValueError
        X not 2-D, float samples without a method, NaN among float labels,
        NaN or infinite continuous samples, too few samples (n <= number of
        columns for the Gaussian methods, n <= k for ``"ksg"``), a
        covariance that is not positive definite (a constant or duplicated
        column), an unknown method, or a ``"ksg"`` option given to another
        method."""


def _doc(f: Any) -> Any:
    f.__doc__ = (f.__doc__.replace("    {params}\n", _PARAMS + "\n")
                 .replace("    {ksg}\n", _KSG_PARAMS + "\n")
                 .replace("    {raises}\n", _RAISES + "\n"))
    return f


@_doc
def total_correlation(X: ArrayLike, *, method: str | None = None, base: Base = 2,
                      k: int | None = None, metric: str = "chebyshev", theiler: int = 0,
                      jitter: float | None = None, standardize: bool = True,
                      algorithm: int = 1, local: bool = False,
                      random_state: Any = None) -> Estimate:
    """Total correlation (multi-information) of the columns of X, from samples.

    ``TC = sum_i H(X_i) - H(X_0, ..., X_{m-1})``.

    Parameters
    ----------
    {params}
        ``"ksg"``: the Kraskov-Stoegbauer-Grassberger estimator of the
        multi-information, as JIDT's ``MultiInfoCalculatorKraskov1``
        (algorithm 1) and ``MultiInfoCalculatorKraskov2`` (algorithm 2).
    {ksg}

    Returns
    -------
    numpy.float64 or ndarray
        The estimate in units of ``base`` (the local values with
        ``local=True``).

    {raises}

    Notes
    -----
    ``"ksg"``, algorithm 1: eps_i is the max-norm distance from sample i to
    its k-th nearest neighbour in the joint space of the m columns and
    n_d(i) counts the other samples strictly within eps_i in column d:
    ``TC = psi(k) + (m - 1) psi(n) - < sum_d psi(n_d + 1) >``.  Algorithm 2
    counts within or on each column's largest distance among the k
    neighbours: ``psi(k) - (m - 1)/k + (m - 1) psi(n) - < sum_d psi(n_d) >``.
    With ``jitter=0, standardize=False`` the values equal JIDT's with its
    noise and normalisation off.  The searches run on infobits' compiled
    neighbour engine.

    Examples
    --------
    >>> import numpy as np
    >>> from infobits.estimate import total_correlation
    >>> X = np.array([[0, 0, 0], [0, 1, 1], [1, 0, 1], [1, 1, 0]] * 5)  # z = x xor y
    >>> float(total_correlation(X))
    1.0
    >>> rng = np.random.default_rng(0)
    >>> C = np.array([[1.0, 0.5, 0.3], [0.5, 1.0, 0.2], [0.3, 0.2, 1.0]])
    >>> G = rng.multivariate_normal(np.zeros(3), C, size=20_000)
    >>> round(float(-0.5 * np.log(np.linalg.det(C))), 3)   # the true value, nats
    0.193
    >>> round(float(total_correlation(G, method="gaussian", base="nats")), 2)
    0.19
    >>> round(float(total_correlation(G, method="ksg", base="nats")), 2)
    0.19
    """
    return cast("Estimate", _estimate("total_correlation", X, method, base, k, metric, theiler,
                                      jitter, standardize, algorithm, local, random_state))


@_doc
def o_information(X: ArrayLike, *, method: str | None = None, base: Base = 2,
                  k: int | None = None, metric: str = "chebyshev", theiler: int = 0,
                  jitter: float | None = None, standardize: bool = True,
                  algorithm: int = 1, local: bool = False,
                  random_state: Any = None) -> Estimate:
    """O-information ``TC - DTC`` of the columns of X, from samples.

    Positive where redundancy dominates, negative where synergy does
    (Rosas et al. 2019); 0 for fewer than three columns.

    Parameters
    ----------
    {params}
        ``"ksg"``: the KSG estimator of JIDT's ``OInfoCalculatorKraskov``.
    {ksg}

    Returns
    -------
    numpy.float64 or ndarray
        The estimate in units of ``base`` (the local values with
        ``local=True``).

    {raises}

    Notes
    -----
    ``"ksg"``: eps_i is the max-norm distance from sample i to its k-th
    nearest neighbour in the joint space of the m columns; n_d(i) counts the
    other samples strictly within eps_i in column d, and r_d(i) in the
    space of all the columns but d:
    ``O = (2 - m)(psi(k) - psi(n)) + < sum_d [psi(r_d + 1) - psi(n_d + 1)] >``.
    With ``jitter=0, standardize=False`` the values equal JIDT's.

    References
    ----------
    F. E. Rosas, P. A. M. Mediano, M. Gastpar and H. J. Jensen,
    "Quantifying high-order interdependencies via multivariate extensions
    of the mutual information", Phys. Rev. E 100, 032305, 2019.

    Examples
    --------
    >>> import numpy as np
    >>> from infobits.estimate import o_information
    >>> X = np.array([[0, 0, 0], [0, 1, 1], [1, 0, 1], [1, 1, 0]] * 5)  # z = x xor y
    >>> float(o_information(X))
    -1.0
    >>> rng = np.random.default_rng(0)
    >>> s = rng.standard_normal(5000)
    >>> G = s[:, None] + 0.5 * rng.standard_normal((5000, 3))  # one shared source
    >>> float(o_information(G, method="gaussian")) > 0          # redundancy
    True
    """
    return cast("Estimate", _estimate("o_information", X, method, base, k, metric, theiler,
                                      jitter, standardize, algorithm, local, random_state))


def _no_ksg(which: str, X: ArrayLike, method: str | None, base: Base) -> Any:
    return _estimate(which, X, method, base, None, "chebyshev", 0, None, True, 1, False, None)


@_doc
def dual_total_correlation(X: ArrayLike, *, method: str | None = None,
                           base: Base = 2) -> np.float64:
    """Dual total correlation ``H(X) - sum_i H(X_i | X_rest)`` of the columns
    of X, from samples.

    Parameters
    ----------
    {params}

    Returns
    -------
    numpy.float64
        The estimate in units of ``base``.

    {raises}

    Examples
    --------
    >>> import numpy as np
    >>> from infobits.estimate import dual_total_correlation
    >>> X = np.array([[0, 0, 0], [0, 1, 1], [1, 0, 1], [1, 1, 0]] * 5)  # z = x xor y
    >>> float(dual_total_correlation(X))
    2.0
    """
    return cast("np.float64", _no_ksg("dual_total_correlation", X, method, base))


@_doc
def s_information(X: ArrayLike, *, method: str | None = None, base: Base = 2) -> np.float64:
    """S-information ``TC + DTC`` of the columns of X, from samples.

    Parameters
    ----------
    {params}

    Returns
    -------
    numpy.float64
        The estimate in units of ``base``.

    {raises}

    Examples
    --------
    >>> import numpy as np
    >>> from infobits.estimate import s_information
    >>> X = np.array([[0, 0, 0], [0, 1, 1], [1, 0, 1], [1, 1, 0]] * 5)  # z = x xor y
    >>> float(s_information(X))
    3.0
    """
    return cast("np.float64", _no_ksg("s_information", X, method, base))


def interaction_information(x: ArrayLike, y: ArrayLike, z: ArrayLike, *,
                            method: str | None = None, base: Base = 2) -> np.float64:
    """Interaction information (McGill's co-information) ``I(X; Y; Z)``
    from paired samples.

    ``I(X; Y; Z) = I(X; Y) - I(X; Y | Z)``: the inclusion-exclusion sum
    ``H(X) + H(Y) + H(Z) - H(X,Y) - H(X,Z) - H(Y,Z) + H(X,Y,Z)``; negative
    where the three are synergistic (xor), positive where redundant.  The
    sign convention of dit's ``coinformation``.

    Parameters
    ----------
    x, y, z : array_like or pandas.Series
        Paired samples along axis 0 (the same number each).  For
        ``"plugin"``: labels of any hashable, sortable dtype, a 2-D input
        (n, d) being one variable whose values are its rows.  For
        ``"gaussian"`` / ``"gcmi"``: real samples of shape (n,) or (n, d),
        a 2-D input being one d-dimensional variable.
    method : {None, "plugin", "gaussian", "gcmi"}, default None
        ``None`` means ``"plugin"`` for labels and raises ValueError for
        float samples.  See :func:`total_correlation` for the methods.
    base : {"bits", "nats", "bans"} or float, default 2
        Logarithm base of the result.

    Returns
    -------
    numpy.float64
        The estimate in units of ``base``.

    Raises
    ------
    ValueError
        Different sample counts, float samples without a method, more than
        2 dimensions, too few samples or a singular covariance
        for the Gaussian methods, an unknown method.

    Examples
    --------
    >>> from infobits.estimate import interaction_information
    >>> x = [0, 0, 1, 1] * 3
    >>> y = [0, 1, 0, 1] * 3
    >>> z = [0, 1, 1, 0] * 3      # x xor y
    >>> float(interaction_information(x, y, z))
    -1.0
    >>> float(interaction_information(x, x, x))
    1.0
    """
    div = log_base(base)
    ops = []
    v: Any
    for v, nm in zip((x, y, z), ("x", "y", "z")):
        if _frames.is_pandas(v):
            v = _frames._series_values(v, nm, method, True) if v.ndim == 1 else v.to_numpy()
        ops.append(np.asarray(v))
    if method is None or method in _PLUGIN:
        arrs = [_d._as_labels(a, nm) for a, nm in zip(ops, ("x", "y", "z"))]
        _d._check_lengths(arrs, ["x", "y", "z"])
        if method is None:
            for a, nm in zip(arrs, ("x", "y", "z")):
                if a.dtype.kind in "fc":
                    raise ValueError(
                        f"{nm} holds float samples ({a.dtype}), which may be labels or "
                        f"continuous data: pass method='plugin' to treat the values as "
                        f"labels, or method='gaussian' / 'gcmi' for continuous data")
        blocks = [a[:, None] if a.ndim == 1 else a for a in arrs]
        widths = [b.shape[1] for b in blocks]
        starts = np.concatenate(([0], np.cumsum(widths))).astype(int)
        groups = [list(range(starts[v], starts[v + 1])) for v in range(3)]
        names = [f"{nm}[:, {j}]" if b.shape[1] > 1 or a.ndim == 2 else nm
                 for a, b, nm in zip(arrs, blocks, ("x", "y", "z")) for j in range(b.shape[1])]
        n = blocks[0].shape[0]
        if all(b.dtype == blocks[0].dtype for b in blocks):
            X = np.concatenate(blocks, axis=1)
        else:
            X = np.empty((n, int(starts[-1])), dtype=object)
            for b, st in zip(blocks, starts):
                X[:, st:st + b.shape[1]] = b
        return cast("np.float64",
                    np.float64(_plugin("interaction_information", X, names, div, groups)))
    if method in _GAUSS:
        arrs = [_g.samples(a, nm) for a, nm in zip(ops, ("x", "y", "z"))]
        _g._same_length(arrs, ["x", "y", "z"])
        a = np.concatenate(arrs, axis=1)
        return cast("np.float64", np.float64(
            _gaussian("interaction_information", a, method, [b.shape[1] for b in arrs]) / div))
    raise ValueError(f"method must be one of {('plugin',) + _GAUSS} or None; got {method!r}")
