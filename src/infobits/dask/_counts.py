"""Per-chunk label counts for the discrete estimators of :mod:`infobits.dask`.

A chunk of samples is reduced to *partial counts* keyed by the labels
themselves (not by codes), so that chunks factorized independently combine
exactly:

- one variable: ``(labels, counts)``, ``labels`` sorted and distinct;
- a pair of variables: ``(labels_x, labels_y, rows, cols, counts)``, the
  nonzero cells of the joint table in row-major order, ``rows``/``cols``
  indices into the sorted label arrays.

Merging partials takes the sorted union of the labels (``np.unique`` of the
concatenation), maps each partial's indices into it (``searchsorted``) and
adds the counts of equal keys.  Its cost is in the number of distinct labels
(or observed pairs), never in the number of samples.  Each chunk is
factorized and counted by the same compiled code as the in-memory
estimators (``infobits.estimate``).
"""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeAlias

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .. import _estimate as _k
from ..estimate import _discrete as _d

_ONE = np.ones(1, dtype=np.int64)

#: Partial counts of one variable: (sorted distinct labels, counts).
Single: TypeAlias = "tuple[NDArray[Any], NDArray[np.int64]]"
#: Partial joint counts of a pair: (labels_x, labels_y, rows, cols, counts).
Pair: TypeAlias = ("tuple[NDArray[Any], NDArray[Any], NDArray[np.int64], NDArray[np.int64], "
                   "NDArray[np.int64]]")
#: Partial counts of every column and every pair of columns.
Matrix: TypeAlias = "tuple[list[Single], dict[tuple[int, int], Pair]]"


def _check_nan(col: NDArray[Any], name: str, offset: int) -> None:
    """NaN among float (or object) labels: ValueError with the global index."""
    bad: NDArray[Any] | list[int]
    if col.dtype.kind == "f":
        bad = np.flatnonzero(np.isnan(col))
    elif col.dtype.kind == "O":
        bad = np.flatnonzero(np.array([v != v for v in col], dtype=bool)) if col.size else []
    else:
        return
    if len(bad):
        raise ValueError(f"{name} contains NaN at index {offset + int(bad[0])}; "
                         "missing labels are not supported (drop or encode them)")


def _factorize(col: NDArray[Any], name: str, offset: int) -> Any:
    _check_nan(col, name, offset)
    codes, K, labels = _d._factorize(col, name, want_labels=True)
    return codes, K, labels


def column_counts(block: ArrayLike, name: str, offset: int) -> list[Single]:
    """Partial counts of every column of a 1-D or 2-D block: a list of
    ``(labels, counts)``, one per column."""
    block = np.asarray(block)
    cols = [block] if block.ndim == 1 else [block[:, j] for j in range(block.shape[1])]
    out = []
    for j, col in enumerate(cols):
        nm = name if block.ndim == 1 else f"{name}[:, {j}]"
        codes, K, labels = _factorize(col, nm, offset)
        out.append((labels, _k.count_codes(codes, K)))
    return out


def pair_counts(bx: ArrayLike, by: ArrayLike, names: Sequence[str], offset: int) -> Pair:
    """Partial joint counts of two 1-D blocks of paired labels."""
    bx = np.asarray(bx)
    by = np.asarray(by)
    cx, kx, lx = _factorize(bx, names[0], offset)
    cy, ky, ly = _factorize(by, names[1], offset)
    rows, cols, cnt, _, _ = _d._joint(cx, kx, cy, ky, cx.shape[0])
    return (lx, ly, np.asarray(rows, np.int64), np.asarray(cols, np.int64),
            np.asarray(cnt, np.int64))


def matrix_counts(block: ArrayLike, name: str, offset: int) -> Matrix:
    """Partial counts of every column and every pair of columns of a 2-D block."""
    block = np.asarray(block)
    m = block.shape[1]
    facs = [_factorize(block[:, j], f"{name}[:, {j}]", offset) for j in range(m)]
    singles = [(lab, _k.count_codes(c, K)) for c, K, lab in facs]
    pairs: dict[tuple[int, int], Pair] = {}
    n = block.shape[0]
    for i in range(m):
        ci, ki, li = facs[i]
        for j in range(i + 1, m):
            cj, kj, lj = facs[j]
            rows, cols, cnt, _, _ = _d._joint(ci, ki, cj, kj, n)
            pairs[i, j] = (li, lj, np.asarray(rows, np.int64), np.asarray(cols, np.int64),
                           np.asarray(cnt, np.int64))
    return singles, pairs


# --------------------------------------------------------------------------
# merging partials

def _union(label_arrays: Sequence[NDArray[Any]]) -> tuple[NDArray[Any], list[NDArray[np.int64]]]:
    """Sorted distinct union of label arrays and, per array, the positions of
    its labels in the union."""
    label_arrays = [np.asarray(a) for a in label_arrays]
    nonempty = [a for a in label_arrays if a.size]
    if not nonempty:
        u = label_arrays[0][:0]
        return u, [np.empty(0, np.int64) for _ in label_arrays]
    u = np.unique(np.concatenate(nonempty))
    return u, [np.searchsorted(u, a).astype(np.int64) for a in label_arrays]


def merge_single(parts: Sequence[Single]) -> Single:
    """Merge ``(labels, counts)`` partials of one variable."""
    u, maps = _union([p[0] for p in parts])
    counts = np.zeros(u.shape[0], dtype=np.int64)
    for (_, c), mp in zip(parts, maps):
        np.add.at(counts, mp, np.asarray(c, np.int64))
    return u, counts


def merge_columns(parts: Sequence[list[Single]]) -> list[Single]:
    """Merge lists of per-column partials (see :func:`column_counts`)."""
    return [merge_single([p[j] for p in parts]) for j in range(len(parts[0]))]


def merge_pair(parts: Sequence[Pair]) -> Pair:
    """Merge joint-count partials of a pair of variables."""
    ux, mx = _union([p[0] for p in parts])
    uy, my = _union([p[1] for p in parts])
    ky = max(uy.shape[0], 1)
    keys = np.concatenate([mx_[p[2]] * ky + my_[p[3]] for p, mx_, my_ in zip(parts, mx, my)])
    cnt = np.concatenate([np.asarray(p[4], np.int64) for p in parts])
    uk, inv = np.unique(keys, return_inverse=True)
    total = np.zeros(uk.shape[0], dtype=np.int64)
    np.add.at(total, inv.reshape(-1), cnt)
    rows = uk // ky
    return ux, uy, rows, uk - rows * ky, total


def merge_matrix(parts: Sequence[Matrix]) -> Matrix:
    m = len(parts[0][0])
    singles = [merge_single([p[0][j] for p in parts]) for j in range(m)]
    pairs = {key: merge_pair([p[1][key] for p in parts]) for key in parts[0][1]}
    return singles, pairs


# --------------------------------------------------------------------------
# summed counts -> estimates (nats)

def entropy_nats(M: int, counts: NDArray[np.int64], nc: Any) -> float:
    """Entropy of summed counts (every label observed at least once)."""
    K = counts.shape[0]
    if K == 0:
        return 0.0
    return _k.entropy_counts(M, counts, _d._alphabet(nc, K, "n_categories"))


def pair_margins(pair: Pair) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    lx, ly, rows, cols, cnt = pair
    a = np.zeros(lx.shape[0], np.int64)
    np.add.at(a, rows, cnt)
    b = np.zeros(ly.shape[0], np.int64)
    np.add.at(b, cols, cnt)
    return a, b


def mi_nats(M: int, pair: Pair, nx: Any, ny: Any) -> float:
    """Mutual information of summed joint counts: the dense contingency
    table through the kernel of ``mutual_information_from_counts`` when the
    in-memory estimator keeps it dense, else its nonzero cells."""
    lx, ly, rows, cols, cnt = pair
    n = int(cnt.sum())
    if n == 0:
        return 0.0
    kx, ky = lx.shape[0], ly.shape[0]
    px = _d._alphabet(nx, kx, "n_categories")
    py = _d._alphabet(ny, ky, "n_categories")
    if _d._dense_ok(kx, ky, n):
        t = np.zeros((kx, ky), dtype=np.int64)
        t[rows, cols] = cnt
        return _k.mi_table(M, t, px, py)
    a, b = pair_margins(pair)
    v: float = _d._mi_cells(M, rows, cols, cnt, a, b, px, py, n)
    return v


def ce_nats(M: int, pair: Pair, ny: Any, nx: Any) -> float:
    """H(Y | X) of summed joint counts of (x, y) (rows: x, columns: y), by
    the definitions of ``infobits.estimate.conditional_entropy``."""
    lx, ly, rows, cols, cnt = pair
    n = int(cnt.sum())
    if n == 0:
        return 0.0
    a, _ = pair_margins(pair)
    if M == _k.METHODS["plugin"]:
        v = _k.log_ratio_sum(cnt, np.ascontiguousarray(a[rows]), _ONE, cnt, _ONE, float(n))
        return max(v, 0.0)
    px = _d._alphabet(nx, lx.shape[0], "n_categories")
    py = _d._alphabet(ny, ly.shape[0], "n_categories")
    return _k.entropy_counts(M, cnt, px * py) - _k.entropy_counts(M, a, px)
