"""Discrete estimators on Dask arrays, lazily: ``infobits.dask.estimate``.

The Dask counterparts of the discrete estimators of
:mod:`infobits.estimate`, with the same names and arguments.  Each chunk of
samples is factorized and counted by the compiled code of the in-memory
estimators; the counts are keyed by the labels themselves (not by codes),
so chunks factorized independently combine exactly: the partial counts are
merged in a tree of fan-in 8 (the sorted union of the labels, counts of
equal labels or label pairs added; a cost in the number of distinct labels
or observed pairs, never in the number of samples), and the estimator runs
once on the summed counts.  Results are lazy Dask arrays; their computed
values equal the in-memory estimates to about 1e-15 relative.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

import dask.array as da
import numpy as np
from dask.delayed import Delayed, delayed
from numpy.typing import ArrayLike

from .._typing import Base
from .._validation import log_base
from ..estimate import _discrete as _d
from . import _as_dask, _counts

__all__ = [
    "entropy",
    "mutual_information",
    "conditional_entropy",
    "mutual_information_matrix",
]

_F64 = np.dtype(np.float64)

# --------------------------------------------------------------------------
# discrete estimators: per-chunk counts keyed by label, summed

_SPLIT_EVERY = 8


def _tree(parts: Iterable[Delayed], merge: Callable[[list[Any]], Any]) -> Delayed:
    """Merge delayed partials in a tree of fan-in 8."""
    parts = list(parts)
    while len(parts) > 1:
        parts = [delayed(merge, pure=True)(parts[i:i + _SPLIT_EVERY])
                 for i in range(0, len(parts), _SPLIT_EVERY)]
    return parts[0]


def _labels_dask(x: da.Array | ArrayLike, name: str, max_ndim: int = 2) -> da.Array:
    a = _as_dask(x)
    if a.ndim == 0 or a.ndim > max_ndim:
        want = "1-D (n_samples,)" + (" or 2-D (n_samples, n_variables)" if max_ndim == 2 else "")
        raise ValueError(f"{name} must be {want}; got shape {a.shape}")
    if a.dtype.kind == "V":
        raise TypeError(f"{name}: structured or void dtype {a.dtype} cannot be used as labels")
    if a.ndim == 2:
        a = a.rechunk({1: -1})
    return a


def _row_offsets(chunks: tuple[int, ...]) -> list[int]:
    return np.concatenate([[0], np.cumsum(chunks[:-1])]).astype(int).tolist() if chunks else []


def _method(method: str | None, arrays: Sequence[da.Array], names: Sequence[str],
            func: str) -> int:
    """Kernel code and name of a discrete method (checked now, as in memory)."""
    if isinstance(method, str) and method not in _d.METHODS:
        raise ValueError(f"infobits.dask supports the discrete methods {_d.METHODS} (or None); "
                         f"got {method!r}")
    M: int = _d._method_code(method, tuple(np.empty(0, a.dtype) for a in arrays), names, func)
    return M


def _row_blocks(x: da.Array) -> list[Delayed]:
    blocks: list[Delayed] = x.to_delayed().reshape(-1).tolist()
    return blocks


def _entropy_final(merged: list[tuple[Any, Any]], *, M: Any, ncs: Sequence[Any], lb: float,
                   batched: bool) -> Any:
    vals = [_counts.entropy_nats(M, counts, nc) for (_, counts), nc in zip(merged, ncs)]
    return _d._scalar_or_array(vals, batched, lb)


def entropy(x: da.Array | ArrayLike, *, method: str | None = None, base: Base = 2,
            n_categories: ArrayLike | None = None) -> da.Array:
    """Entropy estimated from discrete labels in a Dask array, lazily.

    The Dask counterpart of :func:`infobits.estimate.entropy`.  Each chunk
    of samples is factorized and counted by the compiled code of the
    in-memory estimator; the counts, keyed by the labels themselves, are
    merged in a tree (the sorted union of the labels, counts of equal labels
    added, a cost in the number of distinct labels, not of samples), and
    the estimator runs once on the summed counts.

    Parameters
    ----------
    x : dask.array.Array or array_like, shape (n_samples,) or (n_samples, n_variables)
        Labels (integers, bools, strings; float labels need an explicit
        ``method``), chunked along the samples; a 2-D array is a batch of
        variables (its columns are made one chunk).
    method : {None, "plugin", "miller_madow", "grassberger", "james_stein", \
"chao_shen"}, optional
        As in :func:`infobits.estimate.entropy`.
    base : {"bits", "nats", "bans"} or float, default 2
    n_categories : int or sequence of int, optional
        As in :func:`infobits.estimate.entropy`.

    Returns
    -------
    dask.array.Array
        Lazy float64: 0-d for 1-D ``x``, one value per column for 2-D ``x``.
        NaN among float labels raises ``ValueError`` at compute time, with
        its index in the whole array.

    Examples
    --------
    >>> import dask.array as da
    >>> import infobits.dask.estimate as ide
    >>> x = da.from_array(np.array(["a", "b", "a", "c", "a", "b"]), chunks=4)
    >>> print(f"{ide.entropy(x).compute(scheduler='synchronous'):.6f}")
    1.459148
    >>> X = da.from_array(np.array([[0, 1], [0, 1], [1, 1], [1, 1]]), chunks=(3, 1))
    >>> ide.entropy(X).compute(scheduler="synchronous")
    array([1., 0.])
    """
    x = _labels_dask(x, "x")
    M = _method(method, (x,), ("x",), "entropy")
    lb = log_base(base)
    m = 1 if x.ndim == 1 else x.shape[1]
    ncs = _d._per_variable(n_categories, m, "n_categories")
    parts = [delayed(_counts.column_counts, pure=True)(blk, "x", off)
             for blk, off in zip(_row_blocks(x), _row_offsets(x.chunks[0]))]
    merged = _tree(parts, _counts.merge_columns)
    batched = x.ndim == 2
    out = delayed(_entropy_final, pure=True)(merged, M=M, ncs=ncs, lb=lb, batched=batched)
    res: da.Array = da.from_delayed(out, shape=(m,) if batched else (), dtype=_F64)
    return res


def _pair_graph(x: da.Array, y: da.Array, names: tuple[str, ...]) -> Delayed:
    """Delayed summed joint counts of two 1-D label arrays (same length)."""
    y = y.rechunk(x.chunks)
    parts = [delayed(_counts.pair_counts, pure=True)(bx, by, names, off)
             for bx, by, off in zip(_row_blocks(x), _row_blocks(y), _row_offsets(x.chunks[0]))]
    return _tree(parts, _counts.merge_pair)


def _pairs(x: da.Array, y: da.Array, names: tuple[str, str], final: Callable[..., Any],
           **kw: Any) -> da.Array:
    """Lazy estimates over the column pairs of 1-D/2-D paired label arrays
    (a 2-D input is a batch: column j pairs with column j, a 1-D or
    one-column input with every column), as in memory."""
    x = _labels_dask(x, names[0])
    y = _labels_dask(y, names[1])
    if x.shape[0] != y.shape[0]:
        raise ValueError(f"{names[0]} and {names[1]} must have the same number of samples; "
                         f"got {x.shape[0]} and {y.shape[0]}")
    batched, m = _d._pair_columns([np.empty((0,) + a.shape[1:]) for a in (x, y)], names)

    def col(a: da.Array, j: int) -> da.Array:
        if a.ndim == 1:
            return a
        c: da.Array = a[:, j if a.shape[1] > 1 else 0]
        return c

    outs: list[da.Array] = []
    for j in range(m if batched else 1):
        xj, yj = col(x, j), col(y, j)
        nms = names if not batched else tuple(f"{n}[:, {j}]" if a.ndim == 2 else n
                                              for n, a in zip(names, (x, y)))
        d = delayed(final, pure=True)(_pair_graph(xj, yj, nms), **kw)
        outs.append(da.from_delayed(d, shape=(), dtype=_F64))
    if not batched:
        return outs[0]
    res: da.Array = da.stack(outs) if outs else da.zeros((0,), dtype=_F64)
    return res


def _mi_final(pair: tuple[Any, ...], *, M: Any, nx: Any, ny: Any, lb: float) -> Any:
    return np.float64(_counts.mi_nats(M, pair, nx, ny) / lb)


def mutual_information(x: da.Array | ArrayLike, y: da.Array | ArrayLike, *,
                       method: str | None = None, base: Base = 2,
                       n_categories: ArrayLike | None = None) -> da.Array:
    """Mutual information estimated from paired discrete labels in Dask arrays, lazily.

    The Dask counterpart of :func:`infobits.estimate.mutual_information` for
    the discrete methods.  Each chunk of pairs is counted by the compiled
    code of the in-memory estimator into the nonzero cells of its joint
    table, keyed by the label pairs; the cells are merged in a tree (sorted
    union of the labels of each variable, counts of equal pairs added, a
    cost in the number of observed pairs), and the estimator runs once on
    the summed contingency table (dense or sparse by the same rule as in
    memory).

    Parameters
    ----------
    x, y : dask.array.Array or array_like, shape (n_samples,) or (n_samples, n_variables)
        Paired labels; ``y`` is rechunked to the chunks of ``x``.  A 2-D
        input is a batch, as in memory: column j of ``x`` pairs with column
        j of ``y`` (a 1-D or one-column input pairs with every column); each
        pair of columns is counted in its own pass over the chunks.
    method : {None, "plugin", "miller_madow", "grassberger", "james_stein", \
"chao_shen"}, optional
        The discrete methods of :func:`infobits.estimate.mutual_information`
        (the continuous ones, ``"ksg"`` and ``"ross"``, need all samples at
        once and raise ``ValueError`` here).
    base : {"bits", "nats", "bans"} or float, default 2
    n_categories : int or (int, int), optional
        Alphabet sizes of X and Y; default the observed ones.

    Returns
    -------
    dask.array.Array
        Lazy float64: 0-d, or one value per column pair for a batch.

    Examples
    --------
    >>> import dask.array as da
    >>> import infobits.dask.estimate as ide
    >>> x = da.from_array(np.array([0, 0, 1, 1, 2, 2]), chunks=4)
    >>> y = da.from_array(np.array(["a", "a", "b", "b", "a", "a"]), chunks=2)
    >>> print(f"{ide.mutual_information(x, y).compute(scheduler='synchronous'):.6f}")
    0.918296
    """
    x0, y0 = _as_dask(x), _as_dask(y)
    M = _method(method, (x0, y0), ("x", "y"), "mutual_information")
    lb = log_base(base)
    nx, ny = _d._pair_alphabets(n_categories, 2, "n_categories")
    return _pairs(x0, y0, ("x", "y"), _mi_final, M=M, nx=nx, ny=ny, lb=lb)


def _ce_est_final(pair: tuple[Any, ...], *, M: Any, ny: Any, nx: Any, lb: float) -> Any:
    return np.float64(_counts.ce_nats(M, pair, ny, nx) / lb)


def conditional_entropy(y: da.Array | ArrayLike, x: da.Array | ArrayLike, *,
                        method: str | None = None, base: Base = 2,
                        n_categories: ArrayLike | None = None) -> da.Array:
    """Conditional entropy H(Y | X) estimated from paired discrete labels, lazily.

    The Dask counterpart of :func:`infobits.estimate.conditional_entropy`
    from summed joint counts as in
    :func:`mutual_information`.

    Parameters
    ----------
    y, x : dask.array.Array or array_like, shape (n_samples,) or (n_samples, n_variables)
        Paired labels (``y`` first, as in memory); 2-D inputs are batches as
        in :func:`mutual_information`.
    method : {None, "plugin", "miller_madow", "grassberger", "james_stein", \
"chao_shen"}, optional
    base : {"bits", "nats", "bans"} or float, default 2
    n_categories : int or (int, int), optional
        Alphabet sizes of Y and X (in argument order); default observed.

    Returns
    -------
    dask.array.Array
        Lazy float64: 0-d, or one value per column pair for a batch.

    Examples
    --------
    >>> import dask.array as da
    >>> import infobits.dask.estimate as ide
    >>> x = da.from_array(np.array([0, 0, 1, 1]), chunks=3)
    >>> y = da.from_array(np.array(["a", "b", "c", "c"]), chunks=3)
    >>> float(ide.conditional_entropy(y, x).compute(scheduler="synchronous"))
    0.5
    """
    y0, x0 = _as_dask(y), _as_dask(x)
    M = _method(method, (y0, x0), ("y", "x"), "conditional_entropy")
    lb = log_base(base)
    ny, nx = _d._pair_alphabets(n_categories, 2, "n_categories")
    return _pairs(x0, y0, ("x", "y"), _ce_est_final, M=M, ny=ny, nx=nx, lb=lb)


def _matrix_final(merged: tuple[list[Any], dict[tuple[int, int], Any]], *, M: Any,
                  ncs: Sequence[Any], lb: float) -> Any:
    singles, pairs = merged
    m = len(singles)
    out = np.zeros((m, m), dtype=np.float64)
    for i, ((_, counts), nc) in enumerate(zip(singles, ncs)):
        out[i, i] = _counts.entropy_nats(M, counts, nc)
    for (i, j), pair in pairs.items():
        out[i, j] = out[j, i] = _counts.mi_nats(M, pair, ncs[i], ncs[j])
    return out / lb


def mutual_information_matrix(X: da.Array | ArrayLike, *, method: str | None = None,
                              base: Base = 2,
                              n_categories: ArrayLike | None = None) -> da.Array:
    """Mutual information between every pair of columns of a Dask array, lazily.

    The Dask counterpart of
    :func:`infobits.estimate.mutual_information_matrix`.  Each chunk of rows
    gives the counts of every column and the joint cells of every pair of
    columns (``m (m - 1) / 2`` joint counts per chunk, so this is meant for
    tens of columns, not thousands); they are merged in a tree and the
    estimator runs once per pair on the summed tables.

    Parameters
    ----------
    X : dask.array.Array or array_like, shape (n_samples, n_variables)
        Labels, one variable per column; the columns are made one chunk.
    method : {None, "plugin", "miller_madow", "grassberger", "james_stein", \
"chao_shen"}, optional
    base : {"bits", "nats", "bans"} or float, default 2
    n_categories : int or sequence of int, optional
        Alphabet size of every column (one int, or one per column).

    Returns
    -------
    dask.array.Array
        Lazy ``(n_variables, n_variables)`` float64, symmetric, the
        entropies on the diagonal.

    Examples
    --------
    >>> import dask.array as da
    >>> import infobits.dask.estimate as ide
    >>> X = da.from_array(np.array([[0, 0, 1], [0, 0, 0], [1, 1, 1], [1, 1, 0]]), chunks=(3, 3))
    >>> ide.mutual_information_matrix(X).compute(scheduler="synchronous")
    array([[1., 1., 0.],
           [1., 1., 0.],
           [0., 0., 1.]])
    """
    X = _labels_dask(X, "X")
    if X.ndim != 2:
        raise ValueError(f"X must be 2-D (n_samples, n_variables); got shape {X.shape}")
    M = _method(method, (X,), ("X",), "mutual_information_matrix")
    lb = log_base(base)
    m = X.shape[1]
    ncs = _d._per_variable(n_categories, m, "n_categories")
    parts = [delayed(_counts.matrix_counts, pure=True)(blk, "X", off)
             for blk, off in zip(_row_blocks(X), _row_offsets(X.chunks[0]))]
    merged = _tree(parts, _counts.merge_matrix)
    out = delayed(_matrix_final, pure=True)(merged, M=M, ncs=ncs, lb=lb)
    res: da.Array = da.from_delayed(out, shape=(m, m), dtype=_F64)
    return res
