"""infobits on Dask arrays: the same reductions and estimators, lazily, chunk by chunk.

Every function takes Dask arrays (array-likes are wrapped with
:func:`dask.array.asarray`, one chunk) and returns a lazy Dask array (0-d
for a reduction over all elements); nothing is computed until
``.compute()`` (or :func:`dask.compute`).  The compiled kernels of
infobits run on each chunk (through :func:`dask.array.map_blocks` and
:func:`dask.array.reduction`), and the partial results combine exactly:

- entropy, joint entropy, KL and Jensen-Shannon divergence and the
  cross-entropy: per-chunk sums in nats (in float64), added in a tree, then
  divided by ``log(base)`` once, as in memory; the Renyi and Tsallis
  entropies: per-chunk power sums, added, then transformed once;
- logsumexp: each chunk's signed log-sum ``r = m + log(s)`` (its maximum
  ``m`` and the sum ``s`` of ``exp(a - m)``, one number), combined by the
  same kernel, which takes the maximum of the ``r`` and sums
  ``exp(r - max)`` (the usual (max, sum-exp) combination);
- the discrete estimators: per-chunk counts keyed by the labels, summed,
  then the estimator runs once on the summed counts.

In memory a reduction sums its terms in one fixed pairwise tree; on Dask
the tree follows the chunks, so results agree with the in-memory ones to
about 1e-15 relative (tested at ``rtol=1e-12``), not bit for bit, and
depend on the chunking only at that level.

Errors about the arguments (dtype, shape, ``base``, ``axis``,
``nan_policy``, ``method``) are raised when the graph is built; errors
about values (``nan_policy="raise"``, a class label out of range, NaN
labels) are raised at compute time, with the index in the whole array.

Requires the ``dask`` extra: ``pip install "infobits[dask]"``.
"""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any, cast

import dask.array as da
import numpy as np
from numpy.typing import ArrayLike, NDArray

from .. import losses as _losses_mod
from .. import measures as _measures
from .. import numerics as _numerics
from .._typing import Axis, Base
from .._validation import as_float_array, check_nan_policy, log_base, normalize_axes

__all__ = [
    "entropy",
    "joint_entropy",
    "kl_divergence",
    "jensen_shannon_divergence",
    "renyi_entropy",
    "tsallis_entropy",
    "logsumexp",
    "cross_entropy",
]

_F64 = np.dtype(np.float64)


# --------------------------------------------------------------------------
# helpers

def _as_dask(x: da.Array | ArrayLike) -> da.Array:
    return x if isinstance(x, da.Array) else da.asarray(x)


def _float_dask(x: da.Array | ArrayLike, name: str) -> da.Array:
    """Dask array with infobits' dtype policy (checked now, cast lazily)."""
    x = _as_dask(x)
    dt = as_float_array(np.empty(0, dtype=x.dtype), name).dtype
    return x if x.dtype == dt else x.astype(dt)


def _offsets(block_info: dict[Any, Any] | None, i: int = 0) -> tuple[int, ...] | None:
    """Start of block *i*'s array location (per dimension)."""
    if not block_info or i not in block_info:
        return None
    return tuple(start for start, _ in block_info[i]["array-location"])


def _broadcast(arrays: Sequence[da.Array], names: Sequence[str]) -> list[da.Array]:
    try:
        arrays = da.broadcast_arrays(*arrays)
    except ValueError:
        shapes = ", ".join(f"{n} {a.shape}" for a, n in zip(arrays, names))
        raise ValueError(f"operands could not be broadcast together: {shapes}") from None
    if len(arrays) > 1:
        ind = tuple(range(arrays[0].ndim))
        args = []
        for a in arrays:
            args += [a, ind]
        _, arrays = da.core.unify_chunks(*args)
    return list(arrays)


# --------------------------------------------------------------------------
# measures: per-chunk sums in nats

_FUNCS: dict[str, Any] = {
    "entropy": _measures.entropy,
    "joint_entropy": _measures.joint_entropy,
    "kl_divergence": _measures.kl_divergence,
    "jensen_shannon_divergence": _measures.jensen_shannon_divergence,
}


def _measure_chunk(*blocks: NDArray[Any], which: str, axes: tuple[int, ...],
                   nan_policy: str | None, names: tuple[str, ...], normalize: bool = False,
                   par: float = 0.0,
                   block_info: dict[Any, Any] | None = None) -> Any:
    # the in-memory kernel and checks on the chunk (the range; an error
    # names the index in the whole array), without the per-slice sum check
    off = _offsets(block_info) or (0,) * blocks[0].ndim
    return _measures._chunk_reduce(which, *blocks, axes=axes,
                                   nan_policy=nan_policy or "propagate", offset=off,
                                   renormed=normalize, par=par)


def _normalized(arrays: list[da.Array], axes: tuple[int, ...],
                nan_policy: str | None) -> tuple[list[da.Array], da.Array | None]:
    """normalize=True: each operand divided by its sums over the reduced axes
    (lazily; the sums follow the chunks).  Slices summing to 0 are divided
    by 1 and marked: their result is NaN, as in memory."""
    out = []
    zero = None
    for a in arrays:
        if nan_policy == "omit":
            sm = da.nansum(a, axis=axes, keepdims=True)
        else:
            sm = a.sum(axis=axes, keepdims=True)
        z = sm == 0
        out.append(a / da.where(z, 1, sm).astype(a.dtype))
        zero = z if zero is None else (zero | z)
    return out, zero


def _measure(func: str, operands: tuple[da.Array | ArrayLike, ...], names: tuple[str, ...],
             axis: Axis, keepdims: bool, base: Base, nan_policy: str | None,
             clip: bool = False, normalize: bool = False, par: float = 0.0) -> da.Array:
    if nan_policy is not None:
        check_nan_policy(nan_policy)
    lb = log_base(base)
    arrays = [_float_dask(a, n) for a, n in zip(operands, names)]
    dt = np.result_type(*[a.dtype for a in arrays])
    arrays = [a.astype(dt) if a.dtype != dt else a for a in arrays]
    arrays = _broadcast(arrays, names)
    if arrays[0].ndim == 0:
        arrays = [a.reshape(1) for a in arrays]
        squeeze = True
    else:
        squeeze = False
    nd = arrays[0].ndim
    axes = normalize_axes(axis, nd)
    if not isinstance(normalize, (bool, np.bool_)):
        raise TypeError(f"{func}: normalize must be a bool; got {normalize!r}")
    zero = None
    if normalize:
        arrays, zero = _normalized(arrays, axes, nan_policy)
    chunks = tuple((1,) * len(c) if i in axes else c for i, c in enumerate(arrays[0].chunks))
    part = da.map_blocks(_measure_chunk, *arrays, which=func, axes=axes, nan_policy=nan_policy,
                         names=tuple(names), normalize=bool(normalize), par=par,
                         chunks=chunks, dtype=_F64, meta=np.empty((0,) * nd, dtype=_F64))
    out: da.Array = part.sum(axis=axes, keepdims=keepdims, dtype=_F64)
    if zero is not None:
        out = da.where(zero if keepdims else zero.squeeze(axis=axes), np.nan, out)
    if squeeze and keepdims:
        out = out.reshape(())
    if lb != 1.0:
        out = out / lb
    if clip:
        out = da.maximum(out, 0.0)
    return out


def entropy(p: da.Array | ArrayLike, *, base: Base = 2, axis: Axis = None,
            keepdims: bool = False, nan_policy: str = "propagate",
            normalize: bool = False) -> da.Array:
    """Shannon entropy ``H(P) = -sum p log p`` of a Dask array, lazily.

    The Dask counterpart of :func:`infobits.entropy`: the compiled kernel
    reduces each chunk, the per-chunk sums (in nats) are added, and the
    total is divided by ``log(base)``.

    Parameters
    ----------
    p : dask.array.Array or array_like
        Probabilities (not normalised by this function), any chunking.
    base : float or {"bits", "nats", "bans"} or None, optional
        Log base of the result; default 2 (bits).
    axis : None or int or tuple of ints, optional
        Axes to sum over; ``None`` (default) sums over all elements.  Axes
        that span several chunks are combined across them.
    keepdims : bool, optional
        Keep the reduced axes with length one.
    nan_policy : {"propagate", "raise", "omit"}, optional
        As in :func:`infobits.entropy`: each chunk's entries are checked
        (outside [0, 1]: ``ValueError``; NaN under ``"raise"``), at compute
        time, naming an offending index in the whole array (the first one
        of its chunk; which chunk reports first depends on scheduling).
        The sum-to-one check of the in-memory function is not made (a
        slice spans chunks).
    normalize : bool, optional
        Divide each slice by its sum first (lazily), as
        ``infobits.entropy(..., normalize=True)``; a slice summing to 0
        gives NaN.  The entries must then be finite and non-negative.

    Returns
    -------
    dask.array.Array
        Lazy float64 result: 0-d when reducing over all elements.  Its
        computed value equals the in-memory result to about 1e-15
        relative (the sum follows the chunks rather than one fixed
        pairwise tree).

    Examples
    --------
    >>> import dask.array as da
    >>> import infobits.dask as ibd
    >>> p = da.from_array(np.array([0.1, 0.5, 0.1, 0.3]), chunks=2)
    >>> h = ibd.entropy(p)
    >>> type(h).__name__
    'Array'
    >>> print(f"{h.compute(scheduler='synchronous'):.7f}")
    1.6854753
    >>> P = da.from_array(np.array([[0.5, 0.5, 0.0], [1.0, 0.0, 0.0]]), chunks=(1, 2))
    >>> ibd.entropy(P, axis=1).compute(scheduler="synchronous")
    array([1., 0.])
    """
    return _measure("entropy", (p,), ("p",), axis, keepdims, base, nan_policy,
                    normalize=normalize)


def joint_entropy(p_xy: da.Array | ArrayLike, *, base: Base = 2, axis: Axis = None,
                  keepdims: bool = False, nan_policy: str = "propagate",
                  normalize: bool = False) -> da.Array:
    """Joint entropy ``-sum p_xy log p_xy`` of a Dask array, lazily.

    The Dask counterpart of :func:`infobits.joint_entropy` (the same sum
    as :func:`entropy`, over a joint table).

    Parameters
    ----------
    p_xy : dask.array.Array or array_like
        Joint probabilities, any chunking.
    base, axis, keepdims, nan_policy, normalize : optional
        As in :func:`entropy`.

    Returns
    -------
    dask.array.Array
        Lazy float64 result.

    Examples
    --------
    >>> import dask.array as da
    >>> import infobits.dask as ibd
    >>> p_xy = da.from_array(np.array([[0.1, 0.5], [0.1, 0.3]]), chunks=1)
    >>> print(f"{ibd.joint_entropy(p_xy).compute(scheduler='synchronous'):.7f}")
    1.6854753
    """
    return _measure("joint_entropy", (p_xy,), ("p_xy",), axis, keepdims, base, nan_policy,
                    normalize=normalize)


def kl_divergence(p: da.Array | ArrayLike, q: da.Array | ArrayLike, *, base: Base = 2,
                  axis: Axis = None, keepdims: bool = False,
                  nan_policy: str = "propagate", normalize: bool = False) -> da.Array:
    """Kullback-Leibler divergence ``sum p log(p / q)`` of Dask arrays, lazily.

    The Dask counterpart of :func:`infobits.kl_divergence`.  ``p`` and
    ``q`` are broadcast against each other and rechunked to common chunks
    (:func:`dask.array.core.unify_chunks`) before the per-chunk kernels run.

    Parameters
    ----------
    p, q : dask.array.Array or array_like
        Probabilities, broadcast against each other.
    base, axis, keepdims, nan_policy, normalize : optional
        As in :func:`entropy` (``"raise"`` raises at compute time).

    Returns
    -------
    dask.array.Array
        Lazy float64 result.

    Examples
    --------
    >>> import dask.array as da
    >>> import infobits.dask as ibd
    >>> p = da.from_array(np.array([0.5, 0.25, 0.25]), chunks=2)
    >>> q = da.from_array(np.array([0.25, 0.25, 0.5]), chunks=1)
    >>> float(ibd.kl_divergence(p, q).compute(scheduler="synchronous"))
    0.25
    """
    return _measure("kl_divergence", (p, q), ("p", "q"), axis, keepdims, base, nan_policy,
                    normalize=normalize)


def jensen_shannon_divergence(p: da.Array | ArrayLike, q: da.Array | ArrayLike, *,
                              base: Base = 2, axis: Axis = None,
                              keepdims: bool = False, nan_policy: str = "propagate",
                              normalize: bool = False) -> da.Array:
    """Jensen-Shannon divergence of Dask arrays, lazily.

    The Dask counterpart of :func:`infobits.jensen_shannon_divergence`:
    per-chunk sums of the (never negative) terms, added, divided by
    ``log(base)`` and clipped below at 0, as in memory.

    Parameters
    ----------
    p, q : dask.array.Array or array_like
        Probabilities, broadcast against each other.
    base, axis, keepdims, nan_policy, normalize : optional
        As in :func:`entropy`.

    Returns
    -------
    dask.array.Array
        Lazy float64 result.

    Examples
    --------
    >>> import dask.array as da
    >>> import infobits.dask as ibd
    >>> p = da.from_array(np.array([1.0, 0.0]), chunks=1)
    >>> q = da.from_array(np.array([0.0, 1.0]), chunks=1)
    >>> float(ibd.jensen_shannon_divergence(p, q).compute(scheduler="synchronous"))
    1.0
    """
    return _measure("jensen_shannon_divergence", (p, q), ("p", "q"), axis, keepdims, base,
                    nan_policy, clip=True, normalize=normalize)


def _power_sum(who: str, p: da.Array | ArrayLike, order: float, axis: Axis, keepdims: bool,
               nan_policy: str | None, normalize: bool = False) -> tuple[da.Array, bool]:
    """The per-slice sums of p**order (0**order = 0), lazily, and whether
    the reduced slices are empty."""
    s = _measure(who, (p,), ("p",), axis, keepdims, None, nan_policy, par=order,
                 normalize=normalize)
    x = _as_dask(p)
    shape = x.shape if x.ndim else (1,)
    axes = normalize_axes(axis, len(shape))
    return s, int(np.prod([shape[i] for i in axes])) == 0


def renyi_entropy(p: da.Array | ArrayLike, alpha: float, *, base: Base = 2, axis: Axis = None,
                  keepdims: bool = False, nan_policy: str = "propagate",
                  normalize: bool = False) -> da.Array:
    """Renyi entropy ``log(sum p**alpha) / (1 - alpha)`` of a Dask array, lazily.

    The Dask counterpart of :func:`infobits.renyi_entropy`: the compiled
    power sum of each chunk (its entries checked as in :func:`entropy`),
    the per-chunk sums added, then ``log(sum) / (1 - alpha) / log(base)``
    once.  ``alpha = 1`` is :func:`entropy`; ``alpha = inf`` takes the
    maximum with :func:`dask.array.max` next to the checking pass.

    Parameters
    ----------
    p : dask.array.Array or array_like
        Probabilities (not normalised by this function), any chunking.
    alpha : float
        The order, a number in [0, inf].
    base, axis, keepdims, nan_policy, normalize : optional
        As in :func:`entropy`.

    Returns
    -------
    dask.array.Array
        Lazy float64 result (0 for an empty slice).

    Examples
    --------
    >>> import dask.array as da
    >>> import infobits.dask as ibd
    >>> p = da.from_array(np.array([0.25, 0.25, 0.25, 0.25]), chunks=3)
    >>> float(ibd.renyi_entropy(p, 2).compute(scheduler="synchronous"))
    2.0
    """
    a = _measures._order(alpha, "alpha", allow_inf=True)
    if a == 1.0:
        return entropy(p, base=base, axis=axis, keepdims=keepdims, nan_policy=nan_policy,
                       normalize=normalize)
    lb = log_base(base)
    s, empty = _power_sum("renyi_entropy", p, 1.0 if np.isinf(a) else a, axis, keepdims,
                          nan_policy, normalize)
    if empty:
        return cast(da.Array, da.zeros_like(s))
    if np.isinf(a):
        x = _float_dask(p, "p")
        ax = None if axis is None or x.ndim == 0 else normalize_axes(axis, x.ndim)
        mx = (da.nanmax if nan_policy == "omit" else da.max)(x, axis=ax, keepdims=keepdims)
        if normalize:   # the largest entry of each normalised slice
            sm = (da.nansum if nan_policy == "omit" else da.sum)(x, axis=ax, keepdims=keepdims)
            mx = mx / da.where(sm == 0, 1, sm)
        out = da.where(da.isnan(s), np.nan, 0.0 - da.log(mx.astype(_F64)).reshape(s.shape))
    else:
        out = da.log(s) / (1.0 - a) + 0.0
    return cast(da.Array, out / lb if lb != 1.0 else out)


def tsallis_entropy(p: da.Array | ArrayLike, q: float, *, axis: Axis = None,
                    keepdims: bool = False, nan_policy: str = "propagate",
                    normalize: bool = False) -> da.Array:
    """Tsallis entropy ``(1 - sum p**q) / (q - 1)`` of a Dask array, lazily.

    The Dask counterpart of :func:`infobits.tsallis_entropy` (the same
    per-chunk power sums as :func:`renyi_entropy`).

    Parameters
    ----------
    p : dask.array.Array or array_like
        Probabilities, any chunking.
    q : float
        The order, a finite number >= 0 (``q = 1``: Shannon in nats).
    axis, keepdims, nan_policy, normalize : optional
        As in :func:`entropy`.

    Returns
    -------
    dask.array.Array
        Lazy float64 result (0 for an empty slice).

    Examples
    --------
    >>> import dask.array as da
    >>> import infobits.dask as ibd
    >>> p = da.from_array(np.array([0.5, 0.5]), chunks=1)
    >>> float(ibd.tsallis_entropy(p, 2).compute(scheduler="synchronous"))
    0.5
    """
    v = _measures._order(q, "q", allow_inf=False)
    if v == 1.0:
        return entropy(p, base=None, axis=axis, keepdims=keepdims, nan_policy=nan_policy,
                       normalize=normalize)
    s, empty = _power_sum("tsallis_entropy", p, v, axis, keepdims, nan_policy, normalize)
    if empty:
        return cast(da.Array, da.zeros_like(s))
    return cast(da.Array, (1.0 - s) / (v - 1.0))


# --------------------------------------------------------------------------
# logsumexp: signed log-sums per chunk, combined by the same kernel

def _lse_chunk(a: NDArray[Any], b: NDArray[Any] | None = None, *,
               axes: tuple[int, ...]) -> NDArray[np.float64]:
    """(r, sign) of one chunk along a new last axis of length 2 (float64)."""
    a = np.asarray(a, dtype=np.float64)
    if b is not None:
        b = np.asarray(b, dtype=np.float64)
    if a.size == 0:
        shape = tuple(1 if i in axes else n for i, n in enumerate(a.shape))
        res = np.full(shape, -np.inf)
        sgn = np.zeros(shape)
    else:
        res, sgn = cast(Any, _numerics.logsumexp(a, axis=axes, b=b, keepdims=True, return_sign=True))
    return np.stack([np.asarray(res, np.float64), np.asarray(sgn, np.float64)], axis=-1)


def _lse_pairs(x: NDArray[Any], axis: Any = None, keepdims: bool = True,
               computing_meta: bool = False, **kwargs: Any) -> NDArray[Any]:
    """Combine (r, sign) pairs over *axis* (an int or tuple of ints, from
    :func:`dask.array.reduction`): r = logsumexp(r_i, b=sign_i)."""
    if computing_meta:
        return x
    if isinstance(axis, int):
        axis = (axis,)
    x = np.asarray(x)
    r, s = x[..., 0], x[..., 1]
    if r.size == 0:
        shape = tuple(1 if i in axis else n for i, n in enumerate(r.shape))
        res, sgn = np.full(shape, -np.inf), np.zeros(shape)
    else:
        # a chunk whose sum is 0 (r = -inf) contributes nothing whatever its sign
        s = np.where(np.isneginf(r), 0.0, s)
        res, sgn = cast(Any, _numerics.logsumexp(r, axis=axis, b=s, keepdims=True, return_sign=True))
    out = np.stack([np.asarray(res, np.float64), np.asarray(sgn, np.float64)], axis=-1)
    if not keepdims:
        out = out.reshape(tuple(n for i, n in enumerate(out.shape[:-1]) if i not in axis) + (2,))
    return out


def logsumexp(a: da.Array | ArrayLike, axis: Axis = None, b: da.Array | ArrayLike | None = None,
              keepdims: bool = False, return_sign: bool = False) -> da.Array | tuple[da.Array, da.Array]:
    """Log of the sum of exponentials of a Dask array, lazily.

    The Dask counterpart of :func:`infobits.logsumexp` (SciPy's signature
    and conventions).  Each chunk is reduced by the compiled kernel to its
    signed log-sum ``r = m + log(s)``, where ``m`` is the chunk's maximum and
    ``s`` the sum of ``b * exp(a - m)``; the ``r`` of all chunks are then
    combined by the same kernel (the maximum of the ``r``, and the sum of
    ``sign * exp(r - max)``), in a tree over the chunks.

    Parameters
    ----------
    a : dask.array.Array or array_like
        Input values, any chunking.
    axis : None or int or tuple of ints, optional
        Axes to reduce; ``None`` (default) reduces over all elements.
    b : dask.array.Array or array_like, optional
        Weights of ``exp(a)``, broadcast against ``a``; may be negative.
    keepdims : bool, optional
        Keep the reduced axes with length one.
    return_sign : bool, optional
        If True, return ``(res, sgn)``, two lazy arrays.

    Returns
    -------
    res : dask.array.Array
        Lazy result with the float dtype of ``a`` (and ``b``): float32 input
        gives float32, as in memory (chunks are reduced in float64).
    sgn : dask.array.Array
        Only with ``return_sign=True``.

    Notes
    -----
    Edge values hold across chunks as in memory: a ``+inf`` in any chunk
    gives ``+inf``; all ``-inf`` (or no elements) gives ``-inf``; a NaN in
    any chunk gives NaN; ``+inf`` entries with weights of both signs give
    NaN; a chunk with no elements, or whose weighted sum is exactly 0,
    contributes nothing.  Finite inputs never overflow
    (``logsumexp([1e308, 1e308])`` is ``1e308 + log 2`` rounded, also when
    the two entries are in different chunks).

    Examples
    --------
    >>> import dask.array as da
    >>> import infobits.dask as ibd
    >>> x = da.arange(10, chunks=3)
    >>> print(f"{ibd.logsumexp(x).compute(scheduler='synchronous'):.10f}")
    9.4586297444
    >>> y = da.from_array(np.array([1e308, 1e308]), chunks=1)
    >>> float(ibd.logsumexp(y).compute(scheduler="synchronous"))
    1e+308
    >>> z = da.from_array(np.array([[0.0, 0.0], [1.0, -np.inf]]), chunks=1)
    >>> ibd.logsumexp(z, axis=1).compute(scheduler="synchronous")
    array([0.69314718, 1.        ])
    """
    a = _float_dask(a, "a")
    names = ["a"]
    arrays = [a]
    if b is not None:
        b = _float_dask(b, "b")
        dt = np.result_type(a.dtype, b.dtype)
        try:
            arrays = _broadcast([a.astype(dt), b.astype(dt)], ["a", "b"])
        except ValueError:
            raise ValueError(f"b with shape {b.shape} cannot be broadcast against a with "
                             f"shape {a.shape}") from None
        names.append("b")
    dt = arrays[0].dtype
    if arrays[0].ndim == 0:
        arrays = [x.reshape(1) for x in arrays]
    nd = arrays[0].ndim
    axes = normalize_axes(axis, nd)
    outshape = tuple(1 if i in axes else n for i, n in enumerate(arrays[0].shape)) \
        if keepdims else tuple(n for i, n in enumerate(arrays[0].shape) if i not in axes)
    if arrays[0].size == 0:
        res = da.full(outshape, -np.inf, dtype=dt)
        sgn = da.full(outshape, -1.0, dtype=dt)   # as in memory
        return (res, sgn) if return_sign else res
    chunks = tuple((1,) * len(c) if i in axes else c for i, c in enumerate(arrays[0].chunks))
    part = da.map_blocks(_lse_chunk, *arrays, axes=axes, chunks=chunks + ((2,),),
                         new_axis=nd, dtype=_F64, meta=np.empty((0,) * (nd + 1), dtype=_F64))
    pairs = da.reduction(part, chunk=_lse_pairs, combine=_lse_pairs, aggregate=_lse_pairs,
                         axis=axes, keepdims=keepdims, dtype=_F64, concatenate=True,
                         meta=np.empty((0,) * (len(outshape) + 1), dtype=_F64))
    res = pairs[..., 0]
    sgn = pairs[..., 1]
    if not return_sign:
        res = da.where(sgn < 0, np.nan, res)
    res = res.astype(dt)
    sgn = sgn.astype(dt)
    return (res, sgn) if return_sign else res


# --------------------------------------------------------------------------
# cross-entropy: (loss sum, mean denominator, valid rows) per chunk

def _ce_partial(yh: NDArray[Any], y: NDArray[Any], *, kw: dict[str, Any], soft: bool,
                has_ignore: bool, ignore: int | None, weight: NDArray[np.float64] | None,
                block_info: dict[Any, Any] | None = None) -> NDArray[np.float64]:
    K = yh.shape[1]
    if not soft:
        y = np.asarray(y).reshape(-1)
    try:
        total = _losses_mod.cross_entropy(yh, y, reduction="sum", base=None, weight=weight,
                                          ignore_index=ignore if has_ignore else None, **kw)
    except IndexError:
        off = (_offsets(block_info, 1) or (0,))[0]
        ya = np.asarray(y).reshape(-1)
        bad = (ya < 0) | (ya >= K)
        if has_ignore:
            bad &= ya != ignore
        row = int(np.flatnonzero(bad)[0])
        raise IndexError(f"y contains the class label {ya[row].item()} at position "
                         f"{off + row}, outside [0, {K}) for K = {K} classes") from None
    n = yh.shape[0]
    if soft:
        den, nvalid = float(n), n
    else:
        lab = np.asarray(y).astype(np.int64).reshape(-1)
        if has_ignore:
            lab = lab[lab != ignore]
        nvalid = lab.shape[0]
        den = float(np.sum(weight[lab])) if weight is not None else float(nvalid)
    return np.array([[float(cast(float, total)), den, float(nvalid)]])


def _ce_rows(yh: NDArray[Any], y: NDArray[Any], *, kw: dict[str, Any], soft: bool,
             has_ignore: bool, ignore: int | None, weight: NDArray[np.float64] | None,
             base: Base, out_dtype: np.dtype[Any]) -> NDArray[Any]:
    """Per-row losses of one chunk of rows: the in-memory function itself."""
    if not soft:
        y = np.asarray(y).reshape(-1)
    rows = _losses_mod.cross_entropy(yh, y, reduction="none", base=base, weight=weight,
                                     ignore_index=ignore if has_ignore else None, **kw)
    return np.asarray(rows).astype(out_dtype, copy=False)


def _ce_final(s: NDArray[Any], *, mean: bool, divisor: float) -> Any:
    total, den, nvalid = (np.float64(v) for v in np.asarray(s).reshape(3))
    if not mean:
        return np.float64(total / divisor)
    if nvalid == 0:
        return np.float64(0.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.float64(total) / np.float64(den) / np.float64(divisor)


def cross_entropy(y_hat: da.Array | ArrayLike, y: da.Array | ArrayLike, *,
                  from_logits: bool = False, weight: ArrayLike | None = None,
                  ignore_index: int | None = None, label_smoothing: float = 0.0,
                  reduction: str = "mean", base: Base = None) -> da.Array:
    """Cross-entropy loss of a Dask array of predictions, lazily.

    The Dask counterpart of :func:`infobits.cross_entropy` for an ``(N, K)``
    batch chunked along its rows (the class axis is made one chunk).  Each
    chunk of rows gives its loss sum (in nats) with, for
    ``reduction="mean"``, the summed weights of its non-ignored targets
    (PyTorch's denominator) and its count of non-ignored rows; the pairs are
    summed exactly and the mean is ``sum(losses) / sum(weights)``, as in
    memory.  ``return_grad`` is not offered (use the in-memory function on
    a chunk, e.g. inside :func:`dask.array.map_blocks`).

    Parameters
    ----------
    y_hat : dask.array.Array or array_like, shape (N, K)
        Probabilities, or logits when ``from_logits=True``.
    y : dask.array.Array or array_like, shape (N,) or (N, K)
        Class labels, or soft targets; rechunked along the rows to match
        ``y_hat``.
    from_logits, weight, ignore_index, label_smoothing, base : optional
        As in :func:`infobits.cross_entropy` (``weight`` a NumPy array of
        length K, sent to every chunk).
    reduction : {"mean", "sum", "none"}, optional
        ``"none"`` gives the per-row losses as a lazy array chunked like the
        rows of ``y_hat``.

    Returns
    -------
    dask.array.Array
        Lazy result: 0-d float64 for ``"mean"`` and ``"sum"``.  A mean over
        zero non-ignored samples is 0.0.  A class label outside ``[0, K)``
        raises ``IndexError`` at compute time, naming its row in the whole
        array.

    Examples
    --------
    >>> import dask.array as da
    >>> import infobits.dask as ibd
    >>> preds = da.from_array(np.array([[0.3, 0.6, 0.1], [0.2, 0.3, 0.5]]), chunks=(1, 3))
    >>> labels = da.from_array(np.array([0, 2]), chunks=1)
    >>> print(f"{ibd.cross_entropy(preds, labels).compute(scheduler='synchronous'):.5f}")
    0.94856
    >>> ibd.cross_entropy(preds, labels, weight=[1.0, 1.0, 3.0],
    ...                   reduction="none").compute(scheduler="synchronous").round(5)
    array([1.20397, 2.07944])
    """
    yh = _as_dask(y_hat)
    yy = _as_dask(y)
    if yh.ndim != 2:
        raise ValueError(f"y_hat must be a 2-D (N, K) batch; got shape {yh.shape} "
                         f"(use infobits.cross_entropy for one sample)")
    N, K = yh.shape
    w = None if weight is None else np.asarray(weight)
    # argument checks on an empty batch of the same dtypes: the in-memory
    # messages, raised now rather than at compute time
    _losses_mod.cross_entropy(np.empty((0, K), yh.dtype), np.empty((0,) + yy.shape[1:], yy.dtype),
                              from_logits=from_logits, weight=w, ignore_index=ignore_index,
                              label_smoothing=label_smoothing, reduction=reduction, base=base)
    if yy.shape[0] != N:
        raise ValueError(f"y has {yy.shape[0]} rows but y_hat has {N} rows (shape {yh.shape})")
    soft = yy.ndim == 2
    if soft and yy.shape != yh.shape:
        raise ValueError(f"soft targets y must have the shape of y_hat {yh.shape}; "
                         f"got shape {yy.shape}")
    divisor = log_base(base)
    w = None if w is None else w.astype(np.float64)
    has_ignore = ignore_index is not None
    kw = {"from_logits": bool(from_logits), "label_smoothing": label_smoothing}
    yh = yh.rechunk({1: -1})
    if soft:
        yy = yy.rechunk({0: yh.chunks[0], 1: -1})
    else:
        yy = yy.rechunk({0: yh.chunks[0]})
    dt = as_float_array(np.empty(0, yh.dtype), "y_hat").dtype
    if soft and yy.dtype.kind == "f":
        dt = np.result_type(dt, as_float_array(np.empty(0, yy.dtype), "y").dtype)
    y2 = yy if soft else yy[:, None]
    if reduction == "none":
        rows: da.Array = da.map_blocks(
            _ce_rows, yh, y2, kw=kw, soft=soft, has_ignore=has_ignore, ignore=ignore_index,
            weight=w, base=base, out_dtype=dt, drop_axis=1, chunks=(yh.chunks[0],),
            dtype=dt, meta=np.empty(0, dtype=dt))
        return rows
    part = da.map_blocks(_ce_partial, yh, y2, kw=kw, soft=soft, has_ignore=has_ignore,
                         ignore=ignore_index, weight=w, chunks=((1,) * yh.numblocks[0], (3,)),
                         dtype=_F64, meta=np.empty((0, 0), dtype=_F64))
    s = part.sum(axis=0, dtype=_F64)
    out: da.Array = da.map_blocks(_ce_final, s, mean=(reduction == "mean"), divisor=divisor,
                                  drop_axis=0, dtype=_F64, meta=np.empty((), dtype=_F64))
    return out


from . import estimate  # noqa: E402, F401  (the discrete estimators: infobits.dask.estimate)
