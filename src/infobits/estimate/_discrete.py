"""Discrete (label) estimators: plug-in and bias-corrected entropy and MI.

Labels are factorized once per variable with NumPy (a counting pass for
integers and bools in a small range, ``np.unique`` otherwise), and the joint
occurrences are counted by the compiled kernels of :mod:`infobits._estimate`
(GIL released).  No Python loop touches samples.

Contingency tables are dense while they stay small: a table of
``kx * ky`` cells is dense when ``kx * ky <= max(65536, 8 * n_samples)``
and ``kx * ky <= 2**24``; otherwise only the nonzero cells are kept (sorted
joint keys, a ``scipy.sparse`` array where a table is returned).
"""
from __future__ import annotations

import operator
from typing import Any, cast

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .. import _estimate as _k
from .._typing import Base, Estimate
from .._validation import log_base
from . import _frames

METHODS = ("plugin", "miller_madow", "grassberger", "james_stein", "chao_shen")

_DENSE_MIN = 1 << 16
_DENSE_MAX = 1 << 24
_INT_RANGE_MAX = 1 << 24  # value range of the counting factorization (remap table)

__all__ = [
    "entropy",
    "entropy_from_counts",
    "mutual_information",
    "conditional_entropy",
    "conditional_mutual_information",
    "mutual_information_matrix",
    "contingency_table",
    "mutual_information_from_counts",
]


# --------------------------------------------------------------------------
# argument handling
# --------------------------------------------------------------------------

def _dense_ok(kx: int, ky: int, n: int) -> bool:
    """True if a kx x ky contingency table is kept dense (see module doc)."""
    cells = kx * ky
    return cells <= _DENSE_MAX and cells <= max(_DENSE_MIN, 8 * n)


def _method_code(method: Any, arrays: Any = (), names: Any = (), func: Any = "entropy") -> Any:
    """The kernel code of *method*; None means plugin for labels and raises
    ValueError for float samples."""
    if method is None:
        for a, nm in zip(arrays, names):
            if a.dtype.kind in "fc":
                cont = {"entropy": "differential_entropy(x)",
                        "mutual_information": "method='ksg'",
                        "conditional_mutual_information": "method='ksg'"}.get(
                    func, "the continuous estimators (mutual_information(..., "
                          "method='ksg'), differential_entropy)")
                raise ValueError(
                    f"{nm} holds float samples ({a.dtype}), which may be labels or "
                    f"continuous data: pass method='plugin' (or another discrete "
                    f"method) to treat the values as labels, or use {cont} for "
                    f"continuous data"
                )
        method = "plugin"
    if not isinstance(method, str) or method not in METHODS:
        raise ValueError(f"method must be one of {METHODS} or None; got {method!r}")
    return _k.METHODS[method]


def _as_labels(x: Any, name: str, max_ndim: int = 2) -> np.ndarray:
    arr = np.asarray(x)
    if arr.ndim == 0 or arr.ndim > max_ndim:
        want = "1-D (n_samples,)" + (" or 2-D (n_samples, n_variables)" if max_ndim == 2 else "")
        raise ValueError(f"{name} must be {want}; got shape {arr.shape}")
    if arr.dtype.kind == "V":
        raise TypeError(f"{name}: structured or void dtype {arr.dtype} cannot be used as labels")
    return arr


def _nan_index(mask: Any, name: Any) -> None:
    idx = np.flatnonzero(mask)
    if idx.size:
        raise ValueError(f"{name} contains NaN at index {int(idx[0])}; "
                         "missing labels are not supported (drop or encode them)")


def _int_ranges(arr: np.ndarray) -> Any:
    """For integer/bool labels (n, m) whose columns span small ranges: the
    int64 values, column minima and ranges; None otherwise."""
    kind = arr.dtype.kind
    if kind not in "biu" or arr.shape[0] == 0:
        return None
    v = arr.view(np.uint8) if kind == "b" else arr
    if v.dtype == np.uint64 and v.max() > np.iinfo(np.int64).max:
        return None
    x64 = v.astype(np.int64, copy=False)
    mn, mx = _k.minmax_int(x64)
    R = mx - mn  # wraps negative if the range exceeds int64
    limit = min(_INT_RANGE_MAX - 1, max(_DENSE_MIN, 4 * arr.shape[0]))
    if not np.all((R >= 0) & (R <= limit)):
        return None
    return x64, mn, R


def _code_dtype(kmax: int) -> Any:
    if kmax <= 1 << 8:
        return np.uint8
    if kmax <= 1 << 16:
        return np.uint16
    if kmax <= 1 << 31:
        return np.int32
    return np.int64


def _factorize_small_ints(ranges: Any, dtype: Any) -> Any:
    x64, mn, R = ranges
    n, m = x64.shape
    codes = np.empty((m, n), dtype=dtype)
    K = np.empty(m, dtype=np.int64)
    _k.factorize_int(x64, mn, R, codes.view(np.uint8).reshape(m, n * codes.itemsize),
                     codes.itemsize, K)
    return codes, K


def _factorize(col: np.ndarray, name: str, want_labels: bool = False) -> Any:
    """Codes (contiguous int64 in [0, K)) of one variable, K and (with
    want_labels) the sorted distinct labels."""
    n = col.shape[0]
    kind = col.dtype.kind
    if n == 0:
        return np.empty(0, np.int64), 0, col[:0]
    ranges = _int_ranges(col.reshape(n, 1))
    if ranges is not None:
        codes, K = _factorize_small_ints(ranges, np.int64)
        codes, K = codes[0], int(K[0])
        labels = None
        if want_labels:
            labels = np.empty(K, dtype=col.dtype)
            labels[codes] = col
        return codes, K, labels
    if kind in "fc":
        _nan_index(np.isnan(col), name)
    if kind == "O":
        try:
            labels, codes = np.unique(col, return_inverse=True)
        except TypeError as exc:
            raise TypeError(
                f"{name}: labels of object dtype must be mutually comparable "
                f"(sortable) and hashable; {exc}") from None
        bad_nan = []
        for i, lab in enumerate(labels):  # distinct labels only, not samples
            try:
                hash(lab)
            except TypeError:
                raise TypeError(
                    f"{name}: labels must be hashable; got an unhashable "
                    f"{type(lab).__name__} label") from None
            if isinstance(lab, (float, complex, np.floating, np.complexfloating)) and lab != lab:
                bad_nan.append(i)
        if bad_nan:
            _nan_index(np.isin(codes, bad_nan), name)
    else:
        labels, codes = np.unique(col, return_inverse=True)
    return np.ascontiguousarray(codes.reshape(-1), dtype=np.int64), len(labels), labels


def _columns(arr: np.ndarray, name: str) -> Any:
    """Factorized columns of a 1-D or 2-D label array: list of (codes, K)."""
    if arr.ndim == 1:
        c, K, _ = _factorize(arr, name)
        return [(c, K)]
    out = []
    for j in range(arr.shape[1]):
        c, K, _ = _factorize(arr[:, j], f"{name}[:, {j}]")
        out.append((c, K))
    return out


def _codes_matrix(arr: np.ndarray, name: str) -> Any:
    """All columns of a 2-D label array factorized into one (m, n) array of
    the narrowest integer type, and K per column."""
    n, m = arr.shape
    ranges = _int_ranges(arr)
    if ranges is not None:
        return _factorize_small_ints(ranges, _code_dtype(int(ranges[2].max()) + 1 if m else 1))
    cols = _columns(arr, name)
    K = np.array([k for _, k in cols], dtype=np.int64)
    codes = np.empty((m, n), dtype=_code_dtype(int(K.max()) if m else 1))
    for j, (c, _) in enumerate(cols):
        codes[j] = c
    return codes, K


def _int_or_none(v: Any, name: Any) -> Any:
    if v is None:
        return None
    if isinstance(v, (bool, np.bool_)):
        raise TypeError(f"{name} must be a positive int or None; got {v!r}")
    try:
        v = operator.index(v)
    except TypeError:
        raise TypeError(f"{name} must be a positive int or None; got {v!r}") from None
    if v < 1:
        raise ValueError(f"{name} must be a positive int or None; got {v}")
    return v


def _alphabet(nc: Any, K: int, name: str) -> float:
    """The alphabet size p (>= the K observed categories), as float."""
    nc = _int_or_none(nc, name)
    if nc is None:
        return float(K)
    if nc < K:
        raise ValueError(f"{name}={nc} is smaller than the {K} observed categories")
    return float(nc)


def _per_variable(nc: Any, count: int, name: str) -> Any:
    """n_categories for several variables: None, one int, or one per variable."""
    if nc is None or np.ndim(nc) == 0:
        return [nc] * count
    seq = list(nc)
    if len(seq) != count:
        raise ValueError(f"{name} must be None, an int or a sequence of {count} ints; got {nc!r}")
    return seq


def _check_lengths(arrays: Any, names: Any) -> Any:
    n0 = arrays[0].shape[0]
    for a, nm in zip(arrays[1:], names[1:]):
        if a.shape[0] != n0:
            raise ValueError(
                f"{names[0]} and {nm} must have the same number of samples (axis 0); "
                f"got {n0} and {a.shape[0]}")
    return n0


def _pair_columns(arrs: Any, names: Any) -> Any:
    """Column counts of 1-D/2-D inputs that broadcast against each other."""
    cols = [1 if a.ndim == 1 else a.shape[1] for a in arrs]
    batched = any(a.ndim == 2 for a in arrs)
    m = 0 if any(a.ndim == 2 and a.shape[1] == 0 for a in arrs) else max(cols)
    for c, a, nm in zip(cols, arrs, names):
        if a.ndim == 2 and c != m and c != 1:
            raise ValueError(
                f"2-D inputs must have the same number of columns (or one); "
                f"{nm} has {c}, another has {m}")
    return batched, m


def _scalar_or_array(vals: Any, batched: Any, lb: Any) -> Any:
    if batched:
        return np.array(vals, dtype=np.float64) / lb
    return np.float64(vals[0] / lb)


# --------------------------------------------------------------------------
# counts -> estimates (nats)
# --------------------------------------------------------------------------

def _joint(cx: Any, kx: Any, cy: Any, ky: Any, n: Any) -> Any:
    """Nonzero cells of the joint table in row-major order:
    (rows, cols, counts, a, b) with a, b the marginal counts."""
    if _dense_ok(kx, ky, n):
        t = _k.count_joint(cx, cy, kx, ky)
        rows, cols = np.nonzero(t)
        return rows, cols, t[rows, cols], t.sum(1), t.sum(0)
    keys = cx * ky + cy
    uk, cnt = np.unique(keys, return_counts=True)
    rows = uk // ky
    return rows, uk - rows * ky, cnt, _k.count_codes(cx, kx), _k.count_codes(cy, ky)


def _combine(cx: Any, kx: Any, cy: Any, ky: Any, n: Any) -> Any:
    """Codes of the pairs (x, y) over the observed pairs (row-major order),
    with the nonzero cells."""
    rows, cols, cnt, a, b = _joint(cx, kx, cy, ky, n)
    if _dense_ok(kx, ky, n):
        remap = np.full(kx * ky, -1, dtype=np.int64)
        remap[rows * ky + cols] = np.arange(rows.size, dtype=np.int64)
        codes = remap[cx * ky + cy]
    else:
        keys = rows * ky + cols
        codes = np.searchsorted(keys, cx * ky + cy).astype(np.int64)
    return codes, rows, cols, cnt, a, b


_ONE = np.ones(1, dtype=np.int64)


def _mi_codes(M: Any, cx: Any, kx: Any, cy: Any, ky: Any, px: Any, py: Any, n: Any) -> Any:
    if n == 0:
        return 0.0
    if _dense_ok(kx, ky, n):
        return _k.mi_table(M, _k.count_joint(cx, cy, kx, ky), px, py)
    rows, cols, cnt, a, b = _joint(cx, kx, cy, ky, n)
    return _mi_cells(M, rows, cols, cnt, a, b, px, py, n)


def _mi_cells(M: Any, rows: Any, cols: Any, cnt: Any, a: Any, b: Any, px: Any, py: Any,
              n: Any) -> Any:
    if M == _k.METHODS["plugin"]:
        v = _k.log_ratio_sum(cnt, cnt, np.array([n], dtype=np.int64),
                             np.ascontiguousarray(a[rows]), np.ascontiguousarray(b[cols]), float(n))
        return max(v, 0.0)
    hx = _k.entropy_counts(M, a, px)
    hy = _k.entropy_counts(M, b, py)
    return (hx + hy) - _k.entropy_counts(M, cnt, px * py)


def _ce_codes(M: Any, cy: Any, ky: Any, cx: Any, kx: Any, py: Any, px: Any, n: Any) -> Any:
    """H(Y | X) in nats."""
    if n == 0:
        return 0.0
    rows, cols, cnt, a, b = _joint(cx, kx, cy, ky, n)
    if M == _k.METHODS["plugin"]:
        v = _k.log_ratio_sum(cnt, np.ascontiguousarray(a[rows]), _ONE, cnt, _ONE, float(n))
        return max(v, 0.0)
    return _k.entropy_counts(M, cnt, px * py) - _k.entropy_counts(M, a, px)


def _cmi_codes(M: Any, cx: Any, kx: Any, cy: Any, ky: Any, cz: Any, kz: Any, px: Any, py: Any,
               pz: Any, n: Any) -> Any:
    """I(X; Y | Z) in nats."""
    if n == 0:
        return 0.0
    cxz, xz_x, xz_z, n_xz, _, n_z = _combine(cx, kx, cz, kz, n)
    yz_y, yz_z, n_yz, _, _ = _joint(cy, ky, cz, kz, n)
    kxz = n_xz.size
    r, c, n_xyz, _, _ = _joint(cxz, kxz, cy, ky, n)
    if M == _k.METHODS["plugin"]:
        z = xz_z[r]
        # the (y, z) cell of every (x, y, z) cell: yz cells are sorted by y*kz+z
        yz_idx = np.searchsorted(yz_y * kz + yz_z, c * kz + z)
        v = _k.log_ratio_sum(n_xyz, n_xyz, np.ascontiguousarray(n_z[z]),
                             np.ascontiguousarray(n_xz[r]),
                             np.ascontiguousarray(n_yz[yz_idx]), float(n))
        return max(v, 0.0)
    h = _k.entropy_counts
    return ((h(M, n_xz, px * pz) + h(M, n_yz, py * pz))
            - (h(M, n_xyz, px * py * pz) + h(M, n_z, pz)))


# --------------------------------------------------------------------------
# public functions
# --------------------------------------------------------------------------

_METHODS_DOC = """\
    Methods (all in nats before the change of base; n samples, c_k the count
    of category k, m the number of observed categories):

    - ``"plugin"``: maximum likelihood, ``sum_k (c_k/n) log(n/c_k)``.
    - ``"miller_madow"``: plugin + (m - 1) / (2n) (Miller 1955).
    - ``"grassberger"``: ``log n - (1/n) sum_k c_k G(c_k)`` with
      ``G(c) = psi(c) + (-1)^c / 2 (psi((c+1)/2) - psi(c/2))``
      (Grassberger 2003).
    - ``"james_stein"``: the plug-in entropy of the shrinkage frequencies
      ``lambda/p + (1 - lambda) c_k/n`` over p categories, with
      ``lambda = (1 - sum_k u_k^2) / ((n - 1) sum_k (1/p - u_k)^2)``,
      ``u_k = c_k/n``, clipped to [0, 1] (Hausser & Strimmer 2009);
      p is ``n_categories`` (default: the observed categories).  With one
      sample, or all frequencies already equal to 1/p, lambda is 1.
    - ``"chao_shen"``: coverage-adjusted Horvitz-Thompson,
      ``-sum_k pa_k log(pa_k) / (1 - (1 - pa_k)^n)``, ``pa_k = C c_k/n``,
      ``C = 1 - f1/n`` with f1 the singletons (f1 = n - 1 if every
      category is a singleton) (Chao & Shen 2003).
    - ``"nsb"``: Nemenman, Shafee & Bialek (2002): the posterior mean
      entropy of a symmetric Dirichlet prior over p categories, averaged over
      a prior on its concentration beta that is uniform in the prior's
      expected entropy; the one-dimensional integral over beta is taken by
      adaptive quadrature (SciPy's ``quad``, relative tolerance 1e-11) on the
      counts of counts.  p is ``n_categories`` (default: the observed
      categories).  Entropy and mutual information only.

"""

_REFS_DOC = """\
    References
    ----------
    G. A. Miller, "Note on the bias of information estimates", in
    Information Theory in Psychology, 1955, pp. 95-100.

    P. Grassberger, "Entropy estimates from insufficient samplings",
    arXiv:physics/0307138, 2003.

    J. Hausser and K. Strimmer, "Entropy inference and the James-Stein
    estimator, with application to nonlinear gene association networks",
    J. Mach. Learn. Res. 10, 1469-1484, 2009.

    A. Chao and T.-J. Shen, "Nonparametric estimation of Shannon's index of
    diversity when there are unseen species in sample", Environ. Ecol.
    Stat. 10, 429-443, 2003.

    I. Nemenman, F. Shafee and W. Bialek, "Entropy and inference,
    revisited", in Advances in Neural Information Processing Systems 14,
    2002.

"""


def _doc(f: Any) -> Any:
    f.__doc__ = f.__doc__.replace("    {methods}\n", _METHODS_DOC).replace("    {refs}\n", _REFS_DOC)
    return f


@_doc
def entropy(x: ArrayLike, *, method: str | None = None, base: Base = 2,
            n_categories: ArrayLike | None = None) -> Estimate:
    """Entropy H(X) estimated from samples of discrete labels.

    Parameters
    ----------
    x : array_like, shape (n_samples,) or (n_samples, n_variables)
        Labels of any hashable, sortable dtype: integers, bools, strings,
        objects.  A 2-D array is a batch of variables (one per column); the
        result then has one value per column, bitwise equal to calling this
        function on each column.
    method : {None, "plugin", "miller_madow", "grassberger", "james_stein", \
"chao_shen", "nsb"}, optional
        The estimator.  ``None`` (default) means ``"plugin"`` for labels;
        float samples need an explicit method (``"plugin"`` treats the values
        as labels; :func:`differential_entropy` estimates from continuous
        data), so nothing treats continuous data as labels silently.
    base : {"bits", "nats", "bans"} or float, default 2
        Logarithm base of the result.
    n_categories : int or sequence of int, optional
        Alphabet size (James-Stein's shrinkage target is uniform over it,
        NSB's prior is over it); by default the number of observed
        categories.  Must not be smaller
        than that.  For a 2-D ``x``, one int for all columns or one per
        column.  The other methods ignore it.

    Returns
    -------
    float64 or ndarray of float64
        The estimate (a NumPy float64 scalar for 1-D ``x``).  An empty
        sample has entropy 0 for every method.

    Raises
    ------
    ValueError
        Float samples with ``method=None``; NaN among float labels (the
        message gives its index); an unknown method.
    TypeError
        Object labels that cannot be compared or hashed.

    Notes
    -----
    {methods}
    The labels are factorized once (a counting pass for integers in a small
    range, :func:`numpy.unique` otherwise); the counting and the estimators
    run in compiled code.

    {refs}
    Examples
    --------
    >>> import numpy as np
    >>> from infobits.estimate import entropy
    >>> x = ["a", "b", "a", "c", "a", "b"]
    >>> print(f"{entropy(x):.6f}")
    1.459148
    >>> print(f"{entropy(x, method='miller_madow', base='nats'):.6f}")
    1.178071
    >>> entropy(np.array([[0, 1], [0, 1], [1, 1], [1, 1]]))
    array([1., 0.])

    NSB over the observed alphabet, and over 26 letters:

    >>> print(f"{entropy(x, method='nsb'):.6f}")
    1.423721
    >>> print(f"{entropy(x, method='nsb', n_categories=26):.6f}")
    2.278465
    >>> entropy([0.5, 1.5])
    Traceback (most recent call last):
    ...
    ValueError: x holds float samples (float64), ...
    """
    if _frames.has_pandas(x):  # DataFrames and Series, column by column
        return _frames.dispatch(entropy, (x,),
                                dict(method=method, base=base, n_categories=n_categories))
    arr = _as_labels(x, "x")
    if method == "nsb":
        from . import _nsb
        return _nsb.entropy_labels(arr, base, n_categories)
    M = _method_code(method, (arr,), ("x",), "entropy")
    lb = log_base(base)
    cols = _columns(arr, "x")
    ncs = _per_variable(n_categories, len(cols), "n_categories")
    vals = []
    for (codes, K), nc in zip(cols, ncs):
        p = _alphabet(nc, K, "n_categories")
        vals.append(_k.entropy_counts(M, _k.count_codes(codes, K), p))
    return cast("Estimate", _scalar_or_array(vals, arr.ndim == 2, lb))


def _pair_alphabets(nc: Any, count: Any, name: Any) -> Any:
    if nc is None or np.ndim(nc) == 0:
        return [nc] * count
    seq = list(nc)
    if len(seq) != count:
        raise ValueError(f"{name} must be None, an int or a sequence of {count} ints; got {nc!r}")
    return seq


def _pair_estimate(kernel: Any, u: ArrayLike, v: ArrayLike, names: tuple[str, str],
                   method: str | None, base: Base, n_categories: ArrayLike | None,
                   fname: str) -> Any:
    """One estimate per pair of columns of *u* and *v* (a 1-D or one-column
    input pairs with every column): the body of mutual_information and
    conditional_entropy, *kernel* being _mi_codes or _ce_codes."""
    au = _as_labels(u, names[0])
    av = _as_labels(v, names[1])
    n = _check_lengths([au, av], list(names))
    M = _method_code(method, (au, av), names, fname)
    lb = log_base(base)
    batched, m = _pair_columns([au, av], list(names))
    nu, nv = _pair_alphabets(n_categories, 2, "n_categories")
    colu = _columns(au, names[0])
    colv = _columns(av, names[1])
    vals = []
    for j in range(m):
        cu, ku = colu[j if len(colu) > 1 else 0]
        cv, kv = colv[j if len(colv) > 1 else 0]
        vals.append(kernel(M, cu, ku, cv, kv, _alphabet(nu, ku, "n_categories"),
                           _alphabet(nv, kv, "n_categories"), n))
    return _scalar_or_array(vals, batched, lb)


@_doc
def mutual_information(x: ArrayLike, y: ArrayLike, *, method: str | None = None, base: Base = 2,
                       n_categories: ArrayLike | None = None) -> Estimate:
    """Mutual information I(X; Y) from paired samples of discrete labels.

    The discrete estimators behind :func:`infobits.estimate.mutual_information`
    (which also dispatches the continuous methods).

    Parameters
    ----------
    x, y : array_like, shape (n_samples,) or (n_samples, n_variables)
        Paired labels (any hashable, sortable dtype).  A 2-D input is a batch:
        column j of ``x`` pairs with column j of ``y`` (a 1-D or one-column
        input pairs with every column).
    method : {None, "plugin", "miller_madow", "grassberger", "james_stein", \
"chao_shen", "nsb"}, optional
        ``None`` means ``"plugin"`` for labels and raises ValueError for
        float samples.
    base : {"bits", "nats", "bans"} or float, default 2
    n_categories : int or (int, int), optional
        Alphabet sizes of X and Y (one int for both); the joint alphabet is
        their product.  Default: the observed categories.

    Returns
    -------
    float64 or ndarray of float64

    Notes
    -----
    ``"plugin"``: ``sum_xy (n_xy/n) log(n n_xy / (n_x n_y))``, clipped at 0
    (the exact value is never negative; clipping removes rounding only).
    Corrected methods: ``H(X) + H(Y) - H(X, Y)``, each entropy estimated by
    the method, with the joint alphabet the product of the marginal ones;
    these estimates are not clipped and can be slightly negative.
    """
    if method == "nsb":
        from . import _nsb
        return _nsb.mi_labels(x, y, base, n_categories)
    return cast("Estimate", _pair_estimate(_mi_codes, x, y, ("x", "y"), method, base, n_categories,
                          "mutual_information"))


@_doc
def conditional_entropy(y: ArrayLike, x: ArrayLike, *, method: str | None = None, base: Base = 2,
                        n_categories: ArrayLike | None = None) -> Estimate:
    """Conditional entropy H(Y | X) from paired samples of discrete labels.

    Parameters
    ----------
    y, x : array_like, shape (n_samples,) or (n_samples, n_variables)
        Paired labels; 2-D inputs are batches as in :func:`mutual_information`.
    method : {None, "plugin", "miller_madow", "grassberger", "james_stein", \
"chao_shen"}, optional
        ``None`` means ``"plugin"`` for labels and raises ValueError for
        float samples (pass ``method="plugin"`` to treat them as labels).
    base : {"bits", "nats", "bans"} or float, default 2
    n_categories : int or (int, int), optional
        Alphabet sizes of Y and X (in argument order); default observed.

    Returns
    -------
    float64 or ndarray of float64

    Notes
    -----
    ``"plugin"``: ``sum_xy (n_xy/n) log(n_x / n_xy)`` (never negative).
    Corrected methods: ``H(X, Y) - H(X)``, both estimated by the method.

    {refs}
    Examples
    --------
    >>> from infobits.estimate import conditional_entropy
    >>> x = [0, 0, 1, 1]
    >>> y = ["a", "b", "c", "c"]
    >>> print(conditional_entropy(y, x))
    0.5
    """
    if _frames.has_pandas(y, x):  # DataFrames and Series, column by column
        return _frames.dispatch(conditional_entropy, (y, x),
                                dict(method=method, base=base, n_categories=n_categories),
                                ("y", "x"))
    return cast("Estimate", _pair_estimate(_ce_codes, y, x, ("y", "x"), method, base, n_categories,
                          "conditional_entropy"))


@_doc
def conditional_mutual_information(x: ArrayLike, y: ArrayLike, z: ArrayLike, *,
                                   method: str | None = None, base: Base = 2,
                                   n_categories: ArrayLike | None = None) -> Estimate:
    """Conditional mutual information I(X; Y | Z) from samples of labels.

    Parameters
    ----------
    x, y, z : array_like, shape (n_samples,) or (n_samples, n_variables)
        Labels (any hashable, sortable dtype); 2-D inputs are batches of
        columns as in :func:`mutual_information`.
    method : {None, "plugin", "miller_madow", "grassberger", "james_stein", \
"chao_shen"}, optional
        ``None`` means ``"plugin"`` for labels and raises ValueError for
        float samples.
    base : {"bits", "nats", "bans"} or float, default 2
    n_categories : int or (int, int, int), optional
        Alphabet sizes of X, Y and Z; default observed.

    Returns
    -------
    float64 or ndarray of float64

    Notes
    -----
    ``"plugin"``: ``sum_xyz (n_xyz/n) log(n_xyz n_z / (n_xz n_yz))``,
    clipped at 0 (rounding only; the exact value is never negative).
    Corrected methods: ``H(X,Z) + H(Y,Z) - H(X,Y,Z) - H(Z)``, each
    estimated by the method, joint alphabets the products of the marginal
    ones (not clipped).

    {refs}
    Examples
    --------
    >>> from infobits.estimate import conditional_mutual_information
    >>> x = [0, 1, 0, 1, 0, 1, 0, 1]
    >>> z = [0, 0, 1, 1, 0, 0, 1, 1]
    >>> y = [0, 1, 1, 0, 0, 1, 1, 0]    # y = x xor z
    >>> print(conditional_mutual_information(x, y, z))
    1.0
    """
    if _frames.has_pandas(x, y, z):  # DataFrames and Series, column by column
        return _frames.dispatch(conditional_mutual_information, (x, y, z),
                                dict(method=method, base=base, n_categories=n_categories))
    arrs = [_as_labels(v, nm) for v, nm in ((x, "x"), (y, "y"), (z, "z"))]
    names = ["x", "y", "z"]
    n = _check_lengths(arrs, names)
    M = _method_code(method, arrs, names, "conditional_mutual_information")
    lb = log_base(base)
    batched, m = _pair_columns(arrs, names)
    ncs = _pair_alphabets(n_categories, 3, "n_categories")
    cols = [_columns(a, nm) for a, nm in zip(arrs, names)]
    vals = []
    for j in range(m):
        (cx, kx), (cy, ky), (cz, kz) = (c[j if len(c) > 1 else 0] for c in cols)
        vals.append(_cmi_codes(M, cx, kx, cy, ky, cz, kz,
                               _alphabet(ncs[0], kx, "n_categories"),
                               _alphabet(ncs[1], ky, "n_categories"),
                               _alphabet(ncs[2], kz, "n_categories"), n))
    return cast("Estimate", _scalar_or_array(vals, batched, lb))


@_doc
def mutual_information_matrix(X: ArrayLike, *, method: str | None = None, base: Base = 2,
                              n_categories: ArrayLike | None = None) -> Estimate:
    """Mutual information between every pair of columns of ``X``.

    Parameters
    ----------
    X : array_like, shape (n_samples, n_variables)
        Labels, one variable per column (any hashable, sortable dtype).
    method : {None, "plugin", "miller_madow", "grassberger", "james_stein", \
"chao_shen"}, optional
        ``None`` means ``"plugin"`` for labels and raises ValueError for
        float samples.
    base : {"bits", "nats", "bans"} or float, default 2
    n_categories : int or sequence of int, optional
        Alphabet size of every column (one int for all, or one per column);
        default the observed categories.

    Returns
    -------
    ndarray, shape (n_variables, n_variables)
        Symmetric; the diagonal holds the entropies H(X_i) (by the same
        method), entry (i, j) equals ``mutual_information(X[:, i], X[:, j])``.

    Notes
    -----
    Each column is factorized once; all pairs are then counted and
    estimated in one compiled call, multithreaded over pairs with OpenMP
    (see :func:`infobits.set_num_threads`).  Every pair has one fixed result,
    so the matrix is bitwise identical for any thread count.  Pairs whose
    joint table would not be dense (see :func:`contingency_table`) are
    computed from their nonzero cells, one pair at a time.

    {refs}
    Examples
    --------
    >>> import numpy as np
    >>> from infobits.estimate import mutual_information_matrix
    >>> X = np.array([[0, 0, 1], [0, 0, 0], [1, 1, 1], [1, 1, 0]])
    >>> mutual_information_matrix(X)
    array([[1., 1., 0.],
           [1., 1., 0.],
           [0., 0., 1.]])
    """
    if _frames.has_pandas(X):  # DataFrames and Series, column by column
        return _frames.dispatch(mutual_information_matrix, (X,),
                                dict(method=method, base=base, n_categories=n_categories),
                                ("X",),
                                kind="matrix")
    arr = _as_labels(X, "X")
    if arr.ndim != 2:
        raise ValueError(f"X must be 2-D (n_samples, n_variables); got shape {arr.shape}")
    M = _method_code(method, (arr,), ("X",), "mutual_information_matrix")
    lb = log_base(base)
    n, m = arr.shape
    codes, K = _codes_matrix(arr, "X")
    ncs = _per_variable(n_categories, m, "n_categories")
    P = np.array([_alphabet(nc, int(k), "n_categories") for k, nc in zip(K, ncs)],
                 dtype=np.float64)
    Kl = K.tolist()
    dense = np.array([[_dense_ok(a, b, n) for b in Kl] for a in Kl], dtype=np.uint8) \
        if m else np.zeros((0, 0), np.uint8)
    out = np.zeros((m, m), dtype=np.float64)
    _k.mi_matrix(M, codes.view(np.uint8).reshape(m, n * codes.itemsize), codes.itemsize,
                 K, P, dense, out)
    for i, j in zip(*np.nonzero(np.triu(dense == 0, 1))):
        ci = np.ascontiguousarray(codes[i], dtype=np.int64)
        cj = np.ascontiguousarray(codes[j], dtype=np.int64)
        out[i, j] = out[j, i] = _mi_codes(M, ci, Kl[i], cj, Kl[j], P[i], P[j], n)
    return out / lb


_MAX_TOTAL = 2.0 ** 53


def _counts_array(c: Any, name: Any) -> Any:
    """Nonnegative integer counts as int64 (ValueError naming the index)."""
    arr = np.asarray(c)
    kind = arr.dtype.kind
    if kind in "biu":
        if kind == "u" and arr.size and arr.max() > np.iinfo(np.int64).max:
            raise ValueError(f"{name} has a count above 2**63 - 1")
        out = arr.astype(np.int64, copy=False)
    elif kind == "f":
        bad = ~np.isfinite(arr) | (arr != np.floor(arr))
        if bad.any():
            idx = np.unravel_index(int(np.argmax(bad)), arr.shape)
            raise ValueError(f"{name} must hold finite integer counts; got "
                             f"{arr[idx]!r} at index {idx if arr.ndim != 1 else idx[0]}")
        if arr.size and np.abs(arr).max() > _MAX_TOTAL:
            raise ValueError(f"{name} has a count above 2**53 (the largest total "
                             "the estimators take)")
        out = arr.astype(np.int64)
    else:
        raise TypeError(f"{name} must be an array of counts (integer, bool or "
                        f"integer-valued float); got dtype {arr.dtype}")
    neg = out < 0
    if neg.any():
        idx = np.unravel_index(int(np.argmax(neg)), out.shape)
        raise ValueError(f"{name} must be nonnegative; got {out[idx]} at index "
                         f"{idx if out.ndim != 1 else idx[0]}")
    # The kernels sum the counts in int64 and divide in float64: a total
    # above 2**53 would lose counts (and could overflow the int64 sums).
    total = float(out.sum(dtype=np.float64)) if out.size else 0.0
    if total > _MAX_TOTAL:
        raise ValueError(f"{name} holds counts summing to {total:.6g}, above 2**53 "
                         "(the largest total the estimators take exactly)")
    return out


def _is_sparse(a: Any) -> Any:
    try:
        import scipy.sparse as sps
    except ImportError:
        return False
    return sps.issparse(a)


def _sparse_cells(t: Any, name: Any) -> Any:
    """Row-major nonzero cells (rows, cols, counts) of a scipy.sparse table."""
    coo = t.tocoo()
    coo.sum_duplicates()
    data = _counts_array(coo.data, name)
    keep = data != 0
    rows = np.asarray(coo.row, dtype=np.int64)[keep]
    cols = np.asarray(coo.col, dtype=np.int64)[keep]
    data = data[keep]
    order = np.lexsort((cols, rows))
    return rows[order], cols[order], data[order]


@_doc
def entropy_from_counts(counts: Any, *, method: str = "plugin", base: Base = 2,
                        n_categories: ArrayLike | None = None, axis: int | None = -1) -> Estimate:
    """Entropy estimated from category counts.

    Parameters
    ----------
    counts : array_like or scipy.sparse array
        Nonnegative integer counts (integer, bool or integer-valued float
        dtype), e.g. a histogram or a :func:`contingency_table`.
    method : {"plugin", "miller_madow", "grassberger", "james_stein", \
"chao_shen"}, default "plugin"
    base : {"bits", "nats", "bans"} or float, default 2
    n_categories : int or array_like of int, optional
        Alphabet size (James-Stein); default the number of nonzero counts
        (the observed categories).  One int, or one per estimate.
    axis : int or None, default -1
        The axis holding the categories; the other axes are a batch.
        ``None`` treats all cells as one variable (the joint entropy of a
        contingency table).  A sparse table takes ``axis=None`` (or -1/1:
        one entropy per row).

    Returns
    -------
    float64 or ndarray of float64
        All-zero counts (no samples) give 0.

    Notes
    -----
    {methods}
    {refs}
    Examples
    --------
    >>> from infobits.estimate import entropy_from_counts
    >>> print(f"{entropy_from_counts([3, 2, 1]):.6f}")
    1.459148
    >>> entropy_from_counts([[2, 2], [4, 0]])
    array([1., 0.])
    >>> print(f"{entropy_from_counts([3, 2, 1], method='chao_shen', base='nats'):.6f}")
    1.257316
    """
    if not isinstance(method, str) or method not in METHODS:
        raise ValueError(f"method must be one of {METHODS}; got {method!r}")
    M = _k.METHODS[method]
    lb = log_base(base)
    if _is_sparse(counts):
        if counts.ndim != 2:
            raise ValueError("a sparse counts array must be 2-D")
        if axis is None:
            _, _, data = _sparse_cells(counts, "counts")
            p: Any = _alphabet(n_categories, int(np.count_nonzero(data)), "n_categories")
            return cast("Estimate", np.float64(_k.entropy_counts(M, data, p) / lb))
        if axis not in (-1, 1):
            raise ValueError("a sparse counts array takes axis=None, -1 or 1")
        rows, _, data = _sparse_cells(counts, "counts")
        R = counts.shape[0]
        bounds = np.searchsorted(rows, np.arange(R + 1))
        ncs = _per_variable(n_categories, R, "n_categories")
        vals = []
        for r in range(R):  # one call per row of the table
            d = data[bounds[r]:bounds[r + 1]]
            vals.append(_k.entropy_counts(M, d, _alphabet(ncs[r], d.size, "n_categories")))
        return np.array(vals) / lb
    c = _counts_array(counts, "counts")
    if c.ndim == 0:
        raise ValueError("counts must have at least one dimension")
    if axis is None:
        c = c.reshape(1, -1)
        scalar_shape = None
    else:
        if isinstance(axis, (bool, np.bool_)):
            raise TypeError(f"axis must be an int or None; got {axis!r}")
        ax = operator.index(axis)
        if not -c.ndim <= ax < c.ndim:
            raise np.exceptions.AxisError(ax, c.ndim)
        c = np.moveaxis(c, ax, -1)
        scalar_shape = c.shape[:-1]
        c = c.reshape(-1, c.shape[-1])
    nz = np.count_nonzero(c, axis=1)
    R = c.shape[0]
    if n_categories is None:
        p = nz.astype(np.float64)
    else:
        if np.ndim(n_categories) == 0:
            p = np.full(R, float(_int_or_none(n_categories, "n_categories")))
        else:
            nca = np.asarray(n_categories)
            if nca.dtype.kind not in "iu" or nca.size != R:
                raise ValueError(f"n_categories must be None, an int or {R} ints (one per "
                                 f"estimate); got {n_categories!r}")
            if (nca < 1).any():
                raise ValueError("n_categories must be positive")
            p = nca.reshape(-1).astype(np.float64)
        small = p < nz
        if small.any():
            i = int(np.argmax(small))
            raise ValueError(f"n_categories={p[i]:g} is smaller than the {nz[i]} observed "
                             f"categories")
    out = np.empty(R, dtype=np.float64)
    _k.entropy_counts_rows(M, c, np.ascontiguousarray(p), out)
    out /= lb
    if scalar_shape is None or scalar_shape == ():
        return cast("Estimate", np.float64(out[0]))
    return cast("Estimate", out.reshape(scalar_shape))


def contingency_table(x: ArrayLike, y: ArrayLike, *, return_labels: bool = False
                      ) -> NDArray[np.int64] | tuple[Any, NDArray[Any], NDArray[Any]]:
    """Joint counts of two label arrays.

    Parameters
    ----------
    x, y : array_like, shape (n_samples,)
        Paired labels of any hashable, sortable dtype (float labels are
        taken as they are; NaN raises ValueError).
    return_labels : bool, default False
        Also return the sorted distinct labels of ``x`` and ``y``.

    Returns
    -------
    table : ndarray of int64, shape (kx, ky), or scipy.sparse.csr_array
        ``table[i, j]`` counts the samples with the i-th label of ``x`` and
        the j-th label of ``y`` (labels in sorted order).  The table is
        dense when ``kx * ky <= max(65536, 8 * n_samples)`` and
        ``kx * ky <= 2**24`` (at most 128 MiB); above that it is a
        ``scipy.sparse.csr_array`` of int64 holding the nonzero cells only
        (SciPy is then required).
    x_labels, y_labels : ndarray
        Only with ``return_labels=True``.

    Examples
    --------
    >>> from infobits.estimate import contingency_table
    >>> t, xl, yl = contingency_table(["a", "b", "a"], [1, 1, 2], return_labels=True)
    >>> t
    array([[1, 1],
           [1, 0]])
    >>> xl, yl
    (array(['a', 'b'], dtype='<U1'), array([1, 2]))
    """
    ax = _as_labels(x, "x", max_ndim=1)
    ay = _as_labels(y, "y", max_ndim=1)
    n = _check_lengths([ax, ay], ["x", "y"])
    cx, kx, lx = _factorize(ax, "x", want_labels=return_labels)
    cy, ky, ly = _factorize(ay, "y", want_labels=return_labels)
    if _dense_ok(kx, ky, n):
        t = _k.count_joint(cx, cy, kx, ky)
    else:
        try:
            import scipy.sparse as sps
        except ImportError:  # pragma: no cover - scipy is optional
            raise ImportError(
                f"the {kx} x {ky} contingency table is too large to be dense; "
                "returning it as a sparse array needs SciPy (pip install scipy)") from None
        rows, cols, cnt, _, _ = _joint(cx, kx, cy, ky, n)
        t = sps.csr_array((cnt, (rows, cols)), shape=(kx, ky), dtype=np.int64)
    if return_labels:
        return t, lx, ly
    return t


@_doc
def mutual_information_from_counts(table: Any, *, method: str = "plugin", base: Base = 2,
                                   n_categories: ArrayLike | None = None) -> Estimate:
    """Mutual information I(X; Y) from a contingency table of joint counts.

    Parameters
    ----------
    table : array_like of shape (kx, ky), or scipy.sparse array
        Nonnegative integer joint counts (e.g. :func:`contingency_table`).
    method : {"plugin", "miller_madow", "grassberger", "james_stein", \
"chao_shen"}, default "plugin"
    base : {"bits", "nats", "bans"} or float, default 2
    n_categories : int or (int, int), optional
        Alphabet sizes of X and Y; default the number of nonzero rows and
        columns.  The joint alphabet is their product.

    Returns
    -------
    float64
        Equal to :func:`mutual_information` on the samples the table counts
        (same definitions; an all-zero table gives 0).

    Notes
    -----
    ``"plugin"``: ``sum_xy (n_xy/n) log(n n_xy / (n_x n_y))``, clipped at 0.
    Corrected methods: ``H(X) + H(Y) - H(X, Y)``, each estimated by the
    method.

    {refs}
    Examples
    --------
    >>> from infobits.estimate import mutual_information_from_counts
    >>> print(mutual_information_from_counts([[5, 0], [0, 5]]))
    1.0
    >>> print(mutual_information_from_counts([[2, 2], [2, 2]]))
    0.0
    """
    if not isinstance(method, str) or method not in METHODS:
        raise ValueError(f"method must be one of {METHODS}; got {method!r}")
    M = _k.METHODS[method]
    lb = log_base(base)
    nx, ny = _pair_alphabets(n_categories, 2, "n_categories")
    if _is_sparse(table):
        if table.ndim != 2:
            raise ValueError("table must be 2-D")
        kx, ky = table.shape
        rows, cols, cnt = _sparse_cells(table, "table")
        a = np.zeros(kx, np.int64)
        np.add.at(a, rows, cnt)
        b = np.zeros(ky, np.int64)
        np.add.at(b, cols, cnt)
        n = int(cnt.sum())
        if n == 0:
            return cast("Estimate", np.float64(0.0))
        px = _alphabet(nx, int(np.count_nonzero(a)), "n_categories")
        py = _alphabet(ny, int(np.count_nonzero(b)), "n_categories")
        return cast("Estimate", np.float64(_mi_cells(M, rows, cols, cnt, a, b, px, py, n) / lb))
    t = _counts_array(table, "table")
    if t.ndim != 2:
        raise ValueError(f"table must be 2-D (kx, ky); got shape {t.shape}")
    px = _alphabet(nx, int(np.count_nonzero(t.any(1))), "n_categories")
    py = _alphabet(ny, int(np.count_nonzero(t.any(0))), "n_categories")
    return cast("Estimate", np.float64(_k.mi_table(M, t, px, py) / lb))
