"""Information measures on probability arrays.

Each function validates its arguments, applies the dtype policy, arranges
the reduced axes last and hands 3-D views to the compiled kernels in
:mod:`infobits._core`.  Results are computed in nats, accumulated in float64
with a fixed pairwise tree, and divided by ``log(base)`` at the end.

Every term ``p log(p/d)`` is computed to a few ulps over the whole double
range, also where ``p/d`` would overflow or underflow and where ``p`` and
``d`` nearly cancel.  The result depends only on the values and the shape of
the inputs, not on how they are spelled: a 1-D call, ``axis=0``,
``keepdims=True``, a row of a batch, C or Fortran order, strided views and
byte order give the same bits.  Masked arrays (``numpy.ma``) with masked
entries raise ``TypeError``: masks are not read.
"""
from __future__ import annotations

import math
import operator
import warnings
from typing import Any, cast

import numpy as np
from numpy.lib.array_utils import normalize_axis_tuple
from numpy.typing import ArrayLike, NDArray

from . import _core, _ufuncs
from ._typing import Axis, Base, Elementwise, Result
from ._validation import (
    _aligned,
    as_float_array,
    as_kernel_views,
    check_nan_policy,
    common_float,
    log_base,
    normalize_axes,
)
from .numerics import _ufunc_input

__all__ = [
    "self_information",
    "entropy",
    "joint_entropy",
    "conditional_entropy",
    "mutual_information",
    "pointwise_mutual_information",
    "kl_divergence",
    "jensen_shannon_divergence",
    "renyi_entropy",
    "tsallis_entropy",
]

_POLICY = _core.NAN_POLICIES
_REDUCE: dict[np.dtype[Any], Any] = {np.dtype(np.float64): _core.reduce_f64, np.dtype(np.float32): _core.reduce_f32}
_REDUCE_MARGINS: dict[np.dtype[Any], Any] = {np.dtype(np.float64): _core.reduce_margins_f64,
                   np.dtype(np.float32): _core.reduce_margins_f32}
_LN2 = math.log(2.0)


_ESTIMATORS = {"entropy": "entropy", "joint_entropy": "entropy",
               "conditional_entropy": "conditional_entropy",
               "mutual_information": "mutual_information", "kl_divergence": "kl_divergence"}


def _fixes(who: str) -> str:
    est = _ESTIMATORS.get(who)
    tail = f" (infobits.estimate.{est})" if est else ""
    return (f"pass normalize=True for counts or weights, or use infobits.estimate{tail} "
            f"for samples")


def _first_invalid(arrays: Any, names: Any, policy: str = "raise", normalize: bool = False) -> Any:
    """Name, index and value of the first entry the kernels rejected
    (error path only): outside the probability range [0, 1] (+-inf
    included), or NaN under "raise"; with normalize, a negative or
    infinite entry."""
    for arr, name in zip(arrays, names):
        a = np.asarray(arr)
        with np.errstate(invalid="ignore"):
            if normalize:
                bad = (a < 0) | np.isinf(a)
                if policy == "raise":
                    bad |= np.isnan(a)
            elif policy == "raise":
                bad = ~((a >= 0) & (a <= _core.PROB_HI))
            else:
                bad = (a < 0) | (a > _core.PROB_HI)
        flat = np.flatnonzero(bad)
        if flat.size:
            idx = tuple(int(i) for i in np.unravel_index(flat[0], a.shape))
            return name, (idx[0] if len(idx) == 1 else idx), a[idx]
    return names[0], None, None


def _invalid_error(who: str, arrays: Any, names: Any, policy: str, normalize: bool,
                   offset: Any = None) -> ValueError:
    name, idx, val = _first_invalid(arrays, names, policy, normalize)
    if offset is not None and idx is not None:
        t = (idx,) if isinstance(idx, int) else idx
        t = tuple(int(o) + i for o, i in zip(offset, t))
        idx = t[0] if len(t) == 1 else t
    if val is None:
        return ValueError(f"{who}: an invalid value was found")
    v = float(val)
    if math.isnan(v):
        return ValueError(f"{who}: nan_policy='raise' and {name} contains NaN at index {idx}")
    if normalize:
        return ValueError(
            f"{who}: normalize=True needs finite non-negative values; {name} has "
            f"{v!r} at index {idx}")
    return ValueError(
        f"{who}: {name} must hold probabilities in [0, 1]; it has {v!r} at index "
        f"{idx}: {_fixes(who)}")


def _warn_sums(who: str, name: str, sums: Any, kshape: Any, tol: float,
               stacklevel: int) -> None:
    """RuntimeWarning for the slices of *name* whose sum is off 1 (sums: one
    per output, float64; NaN never warns)."""
    s = np.asarray(sums, dtype=np.float64).reshape(-1)
    with np.errstate(invalid="ignore"):
        off = np.abs(s - 1.0) > tol
    if not off.any():
        return
    i = int(np.flatnonzero(off)[0])
    if s.size == 1:
        where = f"{name} sums to {s[i]:.10g}, not 1"
    else:
        pos = tuple(int(t) for t in np.unravel_index(i, kshape)) if kshape else ()
        where = (f"{int(off.sum())} of the {s.size} slices of {name} do not sum to 1 "
                 f"(the first, at index {pos[0] if len(pos) == 1 else pos}, sums to "
                 f"{s[i]:.10g})")
    warnings.warn(
        f"{who}: {where}; pass normalize=True to divide each slice by its sum "
        f"(counts or weights).  The result uses the values as given.",
        RuntimeWarning, stacklevel=stacklevel + 1)


_SUM_TOL: dict[np.dtype[Any], float] = {np.dtype(np.float64): _core.SUM_TOL_F64,
                                        np.dtype(np.float32): _core.SUM_TOL_F32}


def _broadcast(arrays: Any, names: Any) -> Any:
    try:
        return list(np.broadcast_arrays(*arrays))
    except ValueError:
        shapes = ", ".join(f"{n} {np.shape(a)}" for a, n in zip(arrays, names))
        hint = ""
        s0 = np.shape(arrays[0])
        for a, n in zip(arrays[1:], names[1:]):
            sh = np.shape(a)
            if len(sh) == 1 and len(s0) >= 2 and sh[0] == s0[0] and sh[0] != s0[-1]:
                # a 1-D marginal of the first axis lines up with the last
                hint = (f"; a 1-D {n} lines up with the last axis of "
                        f"{names[0]}: pass {n}[:, None] (shape {(sh[0], 1)}) "
                        f"for a marginal along axis 0")
                break
        if not hint and names[0] == "p_xy":
            hint = ("; pass p_x as a column (p_x[:, None]) and p_y as a row "
                    "(p_y[None, :]), or leave them out to derive them")
        raise ValueError(f"shapes could not be broadcast together: {shapes}{hint}") from None


_FAST_DIVISORS = {2: _LN2, "bits": _LN2, "nats": 1.0}
_F64 = np.dtype(np.float64)


def _fast_divisor(base: Any, nan_policy: Any) -> Any:
    """(divisor, policy) for the small-call fast paths, or None when base
    or nan_policy need the general path's checks."""
    divisor: float | None
    if base is None:
        divisor = 1.0
    elif type(base) is int or type(base) is str:
        divisor = _FAST_DIVISORS.get(base)
        if divisor is None:
            return None
    else:
        return None
    policy = _POLICY.get(nan_policy) if type(nan_policy) is str else None
    if policy is None:
        return None
    return divisor, policy


def _fast_1d(term: Any, operands: Any, base: Any, nan_policy: Any, par: float = 0.0) -> Any:
    """Small-input fast path: 1-D contiguous float64 operands of equal length,
    reduced over everything, a common base.  Returns None when not eligible
    (the general path then handles the call, including every error)."""
    dp = _fast_divisor(base, nan_policy)
    if dp is None:
        return None
    divisor, policy = dp
    arrs = []
    for x in operands:
        if type(x) is not np.ndarray:
            if isinstance(x, np.ndarray):
                return None     # subclasses (masked arrays): the general path
            x = np.asarray(x)
        arrs.append(x)
    try:
        r = _core.fast1_f64(term, policy, arrs[0], arrs[1] if len(arrs) > 1 else None, par)
    except _core.InvalidValueError:
        return None  # the general path locates the offending value and raises
    if r is None:
        return None
    return np.float64(r / divisor if divisor != 1.0 else r)


def _normalize_over(a: Any, red: Any, nan_policy: str) -> Any:
    """a divided by its sums over the axes red (in a's dtype), as a new
    array, and those sums (keepdims shape, float).  The sums are taken on a
    C-ordered copy with the reduced axes last (NumPy's pairwise sum per
    slice), so they depend only on the values and the shape, never on the
    layout."""
    nd = a.ndim
    kept = [i for i in range(nd) if i not in red]
    order = kept + list(red)
    c = np.array(a.transpose(order), copy=True, order="C")
    K = math.prod(a.shape[i] for i in kept)
    L = math.prod(a.shape[i] for i in red)
    flat = c.reshape(K, L)
    with np.errstate(invalid="ignore", over="ignore"):
        sm = np.nansum(flat, axis=1) if nan_policy == "omit" else flat.sum(axis=1)
        d = np.where(sm == 0, 1, sm).astype(a.dtype, copy=False)
        flat /= d[:, None]
    inv = [order.index(i) for i in range(nd)]
    shape = tuple(1 if i in red else n for i, n in enumerate(a.shape))
    return c.transpose(inv), np.asarray(sm).reshape(shape)


def _normalized(arrays: Any, names: Any, axes: Any, nan_policy: str, who: str,
                originals: Any) -> Any:
    """normalize=True: each operand divided by its sum over the reduced axes
    (in its own dtype, as scipy.stats.entropy does; a normalised copy).
    Returns the operands and a boolean array (keepdims shape) marking the
    slices that sum to 0 (their result is NaN), or None."""
    out = []
    zero = None
    for a in arrays:
        na, sm = _normalize_over(a, axes, nan_policy)
        if nan_policy != "omit":
            with np.errstate(invalid="ignore"):
                bad = (sm < 0) | np.isinf(sm)
            if bad.any():
                raise _invalid_error(who, originals, names, nan_policy, True)
        z = sm == 0
        if z.any():
            zero = z if zero is None else (zero | z)
        out.append(na)
    return out, zero


def _reduce(term: Any, operands: Any, names: Any, *, axis: Any = None, keepdims: Any = False,
            nan_policy: Any = "propagate", base: Any = 2, sign: Any = 1.0, originals: Any = None,
            check: Any = None, who: str = "", chk: Any = None, sum_ops: Any = None,
            normalize: bool = False, renormed: bool = False, stacklevel: int = 2,
            offset: Any = None, par: float = 0.0) -> Any:
    """Run one reduction kernel and shape, scale and sign its result.

    chk: the operand indices whose probability range the kernel checks
    (default all; not under "omit"); sum_ops: the operand indices whose
    per-slice sums must be 1 (a RuntimeWarning otherwise; default the
    first, and the second for KL and JS).  normalize: divide each operand
    by its slice sums first (no range or sum check then, only finite and
    non-negative).  check: None, or a list of (who, name, given, given array)
    marginals to check against the first operand's row/column sums, taken in
    the same pass by the kernel (2-D first operand reduced entirely, not
    enlarged by broadcasting); returns (result, pending warnings) then.
    par: the term's parameter (TERM_POW: the exponent)."""
    pname = check_nan_policy(nan_policy)
    policy = _POLICY[pname]
    divisor = log_base(base)
    arrays, dt = common_float(operands, names)
    if len(arrays) > 1:
        arrays = _broadcast(arrays, names)
    a0 = arrays[0]
    axes = normalize_axes(axis, a0.ndim)
    src = originals if originals is not None else operands
    if chk is None:
        chk = range(len(arrays))
    if sum_ops is None:
        sum_ops = (0, 1) if term in (_core.TERM_KL, _core.TERM_JS) else (0,)
    zero = None
    if normalize:
        arrays, zero = _normalized(arrays, names, axes, pname, who, src)
        sum_ops = ()
    mask = 0
    for i in chk:
        mask |= 1 << i
    views, kshape = as_kernel_views(arrays, axes)
    K = math.prod(kshape)
    out = np.empty(K, dtype=np.float64)
    sums = np.empty(2 * K, dtype=np.float64)
    v = views + [None] * (3 - len(views))
    margins = pending = None
    if check is not None:
        pending = []
    if check and not kshape and a0.shape == np.shape(operands[0]) and a0.ndim == 2:
        R, C = a0.shape
        if (R + C) * _core._max_threads() <= max(R * C // 8, 4096):
            margins = (np.empty(R), np.empty(C))
        else:
            # per-thread margin buffers would rival the input (a long, thin
            # joint): one separate fixed-order pass instead
            rows, cols = _margins(a0)
            pending = _check_marginals(check, rows, cols, np.asarray(operands[0]).dtype)
            check = None
    try:
        if margins is None:
            _REDUCE[dt](term, policy, mask, v[0], v[1], v[2], out, sums, par)
        else:
            _REDUCE_MARGINS[dt](term, policy, mask, v[0], v[1], v[2], out, sums, *margins, par)
    except _core.InvalidValueError:
        idx = list(chk)
        raise _invalid_error(who, [src[i] for i in idx], [names[i] for i in idx],
                             pname, normalize or renormed, offset) from None
    if pname != "omit" and K and views[0].shape[1] * views[0].shape[2]:
        for i in sum_ops:
            _warn_sums(who, names[i], sums[i::2], kshape, _SUM_TOL[np.dtype(dt)],
                       stacklevel + 1)
    # Divide by ln(base) (not multiply by its inverse): the 1-D fast path
    # does the same, so every spelling of a call gives the same bits.
    if divisor != 1.0:
        np.divide(out, divisor, out=out)
    if sign != 1.0:
        np.subtract(0.0, out, out=out)      # 0 - x: +0, never -0
    if zero is not None and views[0].shape[1] * views[0].shape[2]:
        out[zero.reshape(-1)] = np.nan      # a slice summing to 0 (kept order)
    if margins is not None:
        pending = _check_marginals(check, margins[0][:, None], margins[1][None, :],
                                   np.asarray(operands[0]).dtype)
    if pending is not None:
        return out[0], pending
    if keepdims:
        shape = tuple(1 if i in axes else n for i, n in enumerate(a0.shape))
        return out.reshape(shape)
    if not kshape:
        return out[0]
    return out.reshape(kshape)


_CHUNK_TERMS = {"entropy": ("p",), "joint_entropy": ("p_xy",), "kl_divergence": ("p", "q"),
                "jensen_shannon_divergence": ("p", "q"), "renyi_entropy": ("p",),
                "tsallis_entropy": ("p",)}


def _chunk_reduce(which: str, *blocks: Any, axes: Any, nan_policy: str,
                  offset: Any = None, renormed: bool = False, par: float = 0.0) -> Any:
    """One chunk of a Dask twin (infobits.dask): the reduction in nats with
    keepdims, the range checked (an error names the index in the whole
    array: offset is the chunk's start), the sums not (a chunk's slice is
    part of a slice).  Renyi and Tsallis: the power sum of exponent par."""
    pw = _power_term(par)
    term = {"entropy": _core.TERM_ENTR, "joint_entropy": _core.TERM_ENTR,
            "kl_divergence": _core.TERM_KL, "jensen_shannon_divergence": _core.TERM_JS,
            "renyi_entropy": pw, "tsallis_entropy": pw}[which]
    out = _reduce(term, blocks, _CHUNK_TERMS[which], axis=axes, keepdims=True,
                  nan_policy=nan_policy, base=None, who=which, sum_ops=(), offset=offset,
                  renormed=renormed, par=par)
    return np.maximum(out, 0.0) if term == _core.TERM_JS else out


def self_information(p: ArrayLike, *, base: Base = 2, out: NDArray[Any] | None = None,
                     **kwargs: Any) -> Elementwise:
    """Self-information (surprisal) of each probability.

    .. math::

       I(p) = -\\log_b p

    with ``b`` the ``base``.

    Parameters
    ----------
    p : array_like
        Probabilities.  float32 and float64 keep their dtype; bool and
        integers become float64, float16 becomes float32.
    base : float or {"bits", "nats", "bans"} or None, optional
        Log base of the result; default 2 (bits).  ``None`` is the natural log.
    out : ndarray, optional
        Where to write the result, as for a NumPy ufunc.
    **kwargs
        Other ufunc keywords: ``where``, ``dtype``, ``casting``, ``order``,
        ``subok``.

    Returns
    -------
    ndarray or numpy scalar
        Elementwise ``-log_base(p)``, with the dtype of ``p``: ``+inf`` where
        ``p == 0`` and NaN where ``p < 0`` or ``p`` is NaN.

    Notes
    -----
    The computation is one of two NumPy ufuncs over the compiled vector
    log: ``self_information.ufunc`` (bits, ``0 - log2(p)``, exact integers
    at powers of two; also ``infobits._ufuncs.self_information_bits``) and
    ``self_information.ufunc_nats`` (nats, ``0 - log(p)``).  A ufunc takes no
    parameters, so the base is not a ufunc input: base 2 and base e call
    their ufunc directly, base 10 takes NumPy's ``log10`` (exact at powers of
    ten; with ``out`` or ufunc keywords it divides, as for other bases), and
    any other base divides the nats by ``ln(base)`` (in place, in
    ``out`` when given).  float64 results are within 2 ulps of the exact
    value, float32 results within 1 float32 ulp.  This function checks
    ``p`` (complex, object or string data, and masked arrays with masked
    entries, raise ``TypeError``) and forwards ``out`` and the other ufunc
    keywords; inputs that define their own ``__array_ufunc__`` go to the
    ufunc unchecked, so they dispatch.

    Examples
    --------
    >>> import infobits as ib
    >>> float(ib.self_information(1 / 64))
    6.0
    >>> ib.self_information([0.5, 0.25, 1.0])
    array([1., 2., 0.])

    The card deck of the d2l chapter: a card, a heart, the 3 of spades.

    >>> [round(float(ib.self_information(p)), 1) for p in (1.0, 1 / 4, 1 / 52)]
    [0.0, 2.0, 5.7]
    """
    divisor = log_base(base)
    arr = _ufunc_input(p, "p")
    if divisor == _LN2:
        return cast("Elementwise", _ufuncs.self_information_bits(arr, out=out, **kwargs))
    if divisor == 1.0:
        return cast("Elementwise", _ufuncs.self_information_nats(arr, out=out, **kwargs))
    if divisor == math.log(10.0) and out is None and not kwargs:
        # 0 - log10(p) rather than -log10(p): a certain event carries +0
        with np.errstate(divide="ignore", invalid="ignore"):
            return cast("Elementwise", 0.0 - np.log10(arr))
    res = _ufuncs.self_information_nats(arr, out=out, **kwargs)
    if isinstance(res, np.ndarray):
        np.divide(res, res.dtype.type(divisor), out=res, where=kwargs.get("where", True))
        return res
    return cast("Elementwise", res / res.dtype.type(divisor))


self_information.ufunc = _ufuncs.self_information_bits  # type: ignore[attr-defined]
self_information.ufunc_nats = _ufuncs.self_information_nats  # type: ignore[attr-defined]


def entropy(p: ArrayLike, *, base: Base = 2, axis: Axis = None, keepdims: bool = False,
            nan_policy: str = "propagate", normalize: bool = False) -> Result:
    """Shannon entropy of a probability distribution.

    .. math::

       H(P) = -\\sum_i p_i \\log_b p_i

    with :math:`0 \\log 0 = 0` and ``b`` the ``base``.

    Parameters
    ----------
    p : array_like
        Probabilities: entries in [0, 1] summing to 1 along the reduced
        axes (see Notes), or, with ``normalize=True``, any finite
        non-negative weights or counts.
    base : float or {"bits", "nats", "bans"} or None, optional
        Log base of the result; default 2 (bits).
    axis : None or int or tuple of ints, optional
        Axes to sum over; ``None`` (default) sums over all elements.
    keepdims : bool, optional
        Keep the reduced axes with length one, as in NumPy.
    nan_policy : {"propagate", "raise", "omit"}, optional
        ``"propagate"`` (default, as in SciPy): a NaN entry makes the result
        NaN, while ``0 log 0 = 0``.  ``"raise"``: a NaN entry raises
        ``ValueError`` naming the first offending index.  ``"omit"`` (the d2l
        chapter's ``nansum``): terms that evaluate to NaN (NaN entries,
        negative entries) are left out, and neither the range nor the sum
        is checked.
    normalize : bool, optional
        Divide each slice by its sum first, as ``scipy.stats.entropy`` does
        (accepts counts or weights: any finite non-negative values; a slice
        summing to 0 gives NaN).  This makes a normalised copy of ``p``.

    Returns
    -------
    numpy.float64 or ndarray of float64
        A scalar when reducing over all elements, else an array.  The sum
        over no terms is 0.  float32 input takes its logs in single
        precision (each within 1 float32 ulp, so every term within 2^-23
        relative) and sums the terms in float64.

    Raises
    ------
    ValueError
        An entry outside [0, 1] (the message names the fixes:
        ``normalize=True`` for counts or weights, :mod:`infobits.estimate`
        for samples), or a NaN under ``nan_policy="raise"``.

    Notes
    -----
    Probability inputs are checked in the kernel's own pass (except under
    ``nan_policy="omit"``): an entry below 0 or above 1 (beyond rounding:
    ``1 + 2**-20``), or +-inf, raises ``ValueError`` naming the argument,
    the value and its index; each reduced slice must sum to 1, else a
    ``RuntimeWarning`` names the argument and its sum (the result is still
    computed on the values as given).  The sum's tolerance is ``1e-5`` for
    float64 input and ``1e-4`` for float32: ``p = c / c.sum()`` computed in
    the input's own dtype never warns (for any n up to 10**8), a sum off by
    more than ``1e-4`` always does.  An empty slice sums to 0 and does not
    warn.

    Examples
    --------
    >>> import infobits as ib
    >>> print(f"{ib.entropy([0.1, 0.5, 0.1, 0.3]):.7f}")
    1.6854753
    >>> print(f"{ib.entropy([0.1, 0.5, 0.2, 0.3]):.7f}")
    1.8176681
    >>> float(ib.entropy([0.25] * 4))
    2.0
    >>> ib.entropy([[0.5, 0.5, 0.0], [1.0, 0.0, 0.0]], axis=1)
    array([1., 0.])
    >>> float(ib.entropy([]))
    0.0

    Counts are not probabilities: they raise, and ``normalize=True``
    divides them by their sum first (SciPy's ``entropy`` gives the same):

    >>> ib.entropy([3, 5, 2, 10])  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: entropy: p must hold probabilities in [0, 1]; it has 3.0 at index 0: pass normalize=True ...
    >>> print(f"{ib.entropy([3, 5, 2, 10], normalize=True):.4f}")
    1.7427

    The d2l chapter's second example sums to 1.1; its value is reproduced,
    with a warning:

    >>> import warnings
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     h = ib.entropy([0.1, 0.5, 0.2, 0.3])
    >>> print(caught[0].category.__name__)
    RuntimeWarning

    A whole shuffled deck: 52! equally likely orders.

    >>> import math
    >>> round(float(ib.self_information(1 / math.factorial(52))), 1)
    225.6
    """
    if not keepdims and not normalize and (
            axis is None or (type(axis) is int and -1 <= axis <= 0)):
        # (axis 0 or -1 of a 1-D array is the whole array; other arrays
        # are not eligible and take the general path)
        r = _fast_1d(_core.TERM_ENTR, (p,), base, nan_policy)
        if r is not None:
            return cast("Result", r)
    return cast("Result", _reduce(_core.TERM_ENTR, (p,), ("p",), axis=axis, keepdims=keepdims,
                   nan_policy=nan_policy, base=base, who="entropy", normalize=normalize))


def joint_entropy(p_xy: ArrayLike, *, base: Base = 2, axis: Axis = None, keepdims: bool = False,
                  nan_policy: str = "propagate", normalize: bool = False) -> Result:
    """Joint entropy of a joint probability table.

    .. math::

       H(X, Y) = -\\sum_{i,j} p_{ij} \\log_b p_{ij}

    with :math:`p_{ij} = P(X = x_i, Y = y_j)` (``p_xy[i, j]``).

    Parameters
    ----------
    p_xy : array_like
        Joint probabilities, ``p_xy[i, j] = P(X = x_i, Y = y_j)``; any
        number of dimensions.
    base, axis, keepdims, nan_policy, normalize
        As in :func:`entropy` (the probability checks too).

    Returns
    -------
    numpy.float64 or ndarray of float64

    Examples
    --------
    >>> import infobits as ib
    >>> print(f"{ib.joint_entropy([[0.1, 0.5], [0.1, 0.3]]):.7f}")
    1.6854753

    Per row (the d2l chapter's TensorFlow tab prints float32
    ``[0.8321928, 0.8532826]``; the rows are not distributions, hence the
    warning, silenced here):

    >>> import warnings
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore")
    ...     ib.joint_entropy([[0.1, 0.5], [0.1, 0.3]], axis=1).round(6)
    array([0.832193, 0.853282])
    """
    return cast("Result", _reduce(_core.TERM_ENTR, (p_xy,), ("p_xy",), axis=axis,
                   keepdims=keepdims, nan_policy=nan_policy, base=base,
                   who="joint_entropy", normalize=normalize))


def _joint_2d(p_xy: Any, who: Any) -> Any:
    arr = as_float_array(p_xy, "p_xy")
    if arr.ndim != 2:
        raise ValueError(
            f"{who} without marginals needs a 2-D p_xy (X along axis 0, Y "
            f"along axis 1); got shape {arr.shape}"
        )
    return arr


_MARGINS: dict[np.dtype[Any], Any] = {np.dtype(np.float64): _core.margins_f64, np.dtype(np.float32): _core.margins_f32}
_MARGINS_BATCH: dict[np.dtype[Any], Any] = {np.dtype(np.float64): _core.margins_batch_f64,
                                            np.dtype(np.float32): _core.margins_batch_f32}


def _margins(arr: Any) -> Any:
    """Row sums (a column) and column sums (a row) of a 2-D float array, in
    float64, in one pass and an order that does not depend on the memory
    layout (so that derived marginals, hence the results, are the same bits
    for C, Fortran and strided copies of the same table)."""
    v = _aligned(arr)
    rows = np.empty(v.shape[0], dtype=np.float64)
    cols = np.empty(v.shape[1], dtype=np.float64)
    _MARGINS[v.dtype](v, rows, cols)
    return rows[:, None], cols[None, :]


_SQRT_EPS: dict[np.dtype[Any], Any] = {np.dtype(np.float64): math.sqrt(np.finfo(np.float64).eps),
             np.dtype(np.float32): math.sqrt(np.finfo(np.float32).eps)}


def _mismatch(given: Any, own: Any, dt: Any) -> Any:
    """Largest difference between a given marginal (broadcast against the
    joint) and the joint's own marginal ``own`` (a column or a row, float64)
    beyond rounding: ``|given - own| > sqrt(eps) |own| + eps sum|own|``, eps
    of ``dt``; 0 when they agree (NaN never counts).  ``given`` has ndim <= 2
    and broadcasts against the joint.  O(size of given + size of own), except
    for a given marginal of the joint's full shape."""
    g = np.asarray(given, dtype=np.float64)
    g = g.reshape((1,) * (2 - g.ndim) + g.shape)
    o = own.reshape(-1)
    along = 0 if own.shape[1] == 1 else 1      # the axis own varies along
    with np.errstate(all="ignore"):            # inf - inf, NaN
        if g.shape[along] == o.size and g.shape[1 - along] == 1:
            d = g.reshape(-1) - o              # same orientation: compare
            ao = np.abs(o)
        elif g.shape[along] == 1:
            # constant along the axis own varies along: every value of g
            # must match every value of own
            gv = g.reshape(-1)
            lo, hi = np.min(o), np.max(o)
            d = np.maximum(np.abs(gv - lo), np.abs(gv - hi))
            ao = np.full_like(d, max(abs(lo), abs(hi)))
        else:
            full = np.broadcast_to(own, np.broadcast_shapes(g.shape, own.shape))
            d = (g - full).reshape(-1)
            ao = np.abs(full).reshape(-1)
        np.abs(d, out=d)
        total = float(np.abs(o).sum())
        if not math.isfinite(total):
            total = float(np.nansum(np.abs(o)))
        eps = _SQRT_EPS[np.dtype(dt)] ** 2
        ao *= _SQRT_EPS[np.dtype(dt)]
        ao += eps * total
        ex = d - ao
        worst = ex.max() if ex.size else 0.0
        if worst > 0:
            return float(d[ex > 0].max())
        if worst == worst:                     # not NaN: no mismatch
            return 0.0
        bad = ex > 0
        return float(d[bad].max()) if bad.any() else 0.0


def _warn_marginal(who: Any, name: Any, given: Any, diff: Any) -> None:
    shape = np.shape(given)
    if name == "p_x":
        what, fix, col = "row sums", "p_x[:, None]", len(shape) < 2 or shape[0] == 1
    else:
        what, fix, col = "column sums", "p_y[None, :]", len(shape) == 2 and shape[1] == 1
    if col:
        hint = (f"with NumPy broadcasting a {len(shape)}-D {name} of shape {shape} "
                f"lines up with the wrong axis of p_xy; if {name} is the marginal "
                f"of {'X (axis 0)' if name == 'p_x' else 'Y (axis 1)'}, pass {fix}")
    else:
        hint = f"pass the marginal of this joint, or leave {name} out to derive it"
    warnings.warn(
        f"{who}: {name} does not match the {what} of p_xy (largest difference "
        f"{diff:.3g}): {hint}.  The result uses {name} as given.",
        RuntimeWarning, stacklevel=4)


def _with_marginals(p_xy: Any, p_x: Any, p_y: Any, who: Any, need_y: Any = True,
                    fused: Any = True) -> Any:
    """(p_xy, p_x, p_y) with missing marginals derived from a 2-D joint, and
    the arrays to search for an invalid value (a derived marginal is
    reported as the joint it came from).  A given marginal is used as it is
    (NumPy broadcasting) but, when p_xy is 2-D, checked against the joint's
    own marginal along its axis (row sums for p_x, column sums for p_y): a
    mismatch beyond rounding warns (RuntimeWarning) with the likely fix.
    need_y=False (conditional entropy) ignores p_y.  Returns the operands,
    the originals and the pending warnings; with fused=True and both
    marginals given, the third item is instead the list of marginals to
    check, which _reduce(check=...) does in the kernel's pass."""
    if not need_y:
        p_y = 0.0
    if p_x is None or p_y is None:
        arr = _joint_2d(p_xy, who)
    else:
        arr = as_float_array(p_xy, "p_xy")
    checked = []
    try:
        np.broadcast_shapes(*(np.shape(g) for g in (arr, p_x, p_y) if g is not None))
        ok_shapes = True
    except ValueError:
        ok_shapes = False                       # _broadcast raises with the fix
    if arr.ndim == 2 and ok_shapes:
        for n, g in (("p_x", p_x), ("p_y", p_y if need_y else None)):
            if g is None:
                continue
            ga = as_float_array(g, n)
            if ga.ndim > 2:
                continue
            try:
                np.broadcast_shapes(ga.shape, arr.shape)
            except ValueError:
                continue                        # _broadcast raises with the fix
            checked.append((who, n, g, ga))
    if fused and p_x is not None and p_y is not None:
        # both given: the kernel takes the joint's margins in its own pass
        return (arr, p_x, p_y), (arr, p_x, p_y), checked
    if p_x is not None and p_y is not None and not checked:
        # both given and nothing to check (p_xy not 2-D): no joint margins
        return (arr, p_x, p_y), (arr, p_x, p_y), []
    rows, cols = _margins(arr)
    pending = _check_marginals(checked, rows, cols, arr.dtype)
    px = rows.astype(arr.dtype, copy=False) if p_x is None else p_x
    py = cols.astype(arr.dtype, copy=False) if p_y is None else p_y
    originals = (arr, arr if p_x is None else p_x, arr if p_y is None else p_y)
    return (arr, px, py), originals, pending


def _check_marginals(checked: Any, rows: Any, cols: Any, joint_dt: Any) -> Any:
    """Pending warnings for the given marginals that differ from the
    joint's row sums (p_x) or column sums (p_y)."""
    pending = []
    for who, n, g, ga in checked:
        # the coarser precision of the two decides what "rounding" is
        dt = np.float32 if np.float32 in (ga.dtype, joint_dt) else np.float64
        diff = _mismatch(ga, rows if n == "p_x" else cols, dt)
        if diff:
            pending.append((who, n, g, diff))
    return pending


def _emit(pending: Any) -> None:
    """Issue the marginal warnings once the computation has succeeded (an
    error, say under nan_policy="raise", takes precedence)."""
    for args in pending:
        _warn_marginal(*args)


def _two_axes(axes: Any, ndim: int) -> tuple[int, int]:
    """The (X, Y) axes of a batch of joint tables, normalised."""
    if not isinstance(axes, (tuple, list)) or len(axes) != 2:
        raise TypeError(f"axes must be a pair of ints (the X and Y axes); got {axes!r}")
    try:
        ix, iy = normalize_axis_tuple(tuple(operator.index(a) for a in axes), ndim, "axes")
    except ValueError:
        raise ValueError(f"axes must name two different axes; got {axes!r}") from None
    return ix, iy


def _normalize_joint(arr: Any, name: str, red: Any, nan_policy: str, who: str) -> Any:
    """normalize=True for a joint table or a given marginal: arr divided by
    its sum over the axes red (in its own dtype; a copy), and the mask of
    tables summing to 0 (keepdims shape), or None."""
    (out,), zero = _normalized([arr], [name], red, nan_policy, who, [arr])
    return out, zero


def _two_var(term: Any, who: str, p_xy: Any, p_x: Any, p_y: Any, axes: Any, base: Any,
             keepdims: bool, nan_policy: str, normalize: bool, need_y: bool) -> Any:
    """conditional_entropy (need_y False: p_y unused) and mutual_information:
    (result, pending marginal warnings)."""
    check_nan_policy(nan_policy)
    names = ("p_xy", "p_x", "p_y")[:3 if need_y else 2]
    arr = as_float_array(p_xy, "p_xy")
    given = [p_x, p_y if need_y else None]
    gnd = max([np.ndim(g) for g in given if g is not None] + [arr.ndim])
    if arr.ndim < 2 and (p_x is None or (need_y and p_y is None)):
        _joint_2d(arr, who)                     # raises: needs 2 dimensions
    if gnd < 2:
        if axes is not None and tuple(axes) != (-2, -1):
            _two_axes(axes, 2)
        ix, iy = 0, 1
    else:
        ix, iy = _two_axes(axes, gnd)
    chk = [0] + [i + 1 for i, g in enumerate(given) if g is not None]
    if gnd <= 2 and (ix, iy) == (0, 1):
        # one table: the marginal check against the joint's own sums
        zero = None
        if normalize:
            red = tuple(range(arr.ndim))
            arr, zero = _normalize_joint(arr, "p_xy", red, nan_policy, who)
            given = [None if g is None else
                     _normalize_joint(as_float_array(g, n), n,
                                      tuple(range(np.ndim(g))), nan_policy, who)[0]
                     for g, n in zip(given, ("p_x", "p_y"))]
        ops, originals, pending = _with_marginals(arr, given[0], given[1], who,
                                                  need_y=need_y)
        out, more = _reduce(term, ops[:len(names)], names, nan_policy=nan_policy,
                            base=base, sign=-1.0 if term == _core.TERM_KL else 1.0,
                            originals=originals[:len(names)], check=pending, who=who,
                            chk=chk, sum_ops=(0,), renormed=normalize, stacklevel=3)
        if zero is not None and zero.any():
            out = np.float64(np.nan)
        if keepdims:
            out = np.full((1,) * max(gnd, 2), out)
        return out, more
    # a batch of tables: X and Y moved last, the other axes kept
    zero = None
    arr = arr.reshape((1,) * (gnd - arr.ndim) + arr.shape)
    if normalize:
        arr, zero = _normalize_joint(arr, "p_xy", (ix, iy), nan_policy, who)
        norm_given: list[Any] = []
        for g, n in zip(given, ("p_x", "p_y")):
            if g is None:
                norm_given.append(None)
                continue
            ga = as_float_array(g, n)
            ga = ga.reshape((1,) * (gnd - ga.ndim) + ga.shape)
            norm_given.append(_normalize_joint(ga, n, (ix, iy), nan_policy, who)[0])
        given = norm_given
    present = [arr] + [g for g in given if g is not None]
    pnames = ["p_xy"] + [n for g, n in zip(given, ("p_x", "p_y")) if g is not None]
    arrays, dt = common_float(present, pnames)
    arrays = _broadcast(arrays, pnames)
    moved = [np.moveaxis(a, (ix, iy), (-2, -1)) for a in arrays]
    t = moved[0]
    batch, (X, Y) = t.shape[:-2], t.shape[-2:]
    ops = [t]
    derived = None
    if any(g is None for g in given):
        K = math.prod(batch)
        t3 = _aligned(t.reshape(K, X, Y))
        rows = np.empty((K, X), dtype=np.float64)
        cols = np.empty((K, Y), dtype=np.float64)
        _MARGINS_BATCH[t3.dtype](t3, rows, cols)
        derived = (rows.astype(dt, copy=False).reshape(batch + (X, 1)),
                   cols.astype(dt, copy=False).reshape(batch + (1, Y)))
    j = 1
    for i, g in enumerate(given):
        if g is None:
            if i == 0 or need_y:
                assert derived is not None
                ops.append(derived[i])
        else:
            ops.append(moved[j])
            j += 1
    originals = [p_xy if i == 0 else (given[i - 1] if given[i - 1] is not None else p_xy)
                 for i in range(len(names))]
    out = _reduce(term, tuple(ops), names, axis=(-2, -1), nan_policy=nan_policy, base=base,
                  sign=-1.0 if term == _core.TERM_KL else 1.0, originals=originals, who=who,
                  chk=chk, sum_ops=(0,), renormed=normalize, stacklevel=3)
    if zero is not None:
        z = np.moveaxis(np.broadcast_to(zero, zero.shape), (ix, iy), (-2, -1))
        z = np.broadcast_to(z.reshape(z.shape[:-2]), batch)
        out = np.where(z, np.nan, out)
    if keepdims:
        out = np.expand_dims(out, (ix, iy))
    return out, []


def conditional_entropy(p_xy: ArrayLike, p_x: ArrayLike | None = None, *,
                        axes: tuple[int, int] = (-2, -1), base: Base = 2,
                        keepdims: bool = False, nan_policy: str = "propagate",
                        normalize: bool = False) -> Result:
    """Conditional entropy of Y given X from their joint table.

    .. math::

       H(Y \\mid X) = -\\sum_{i,j} p_{ij} \\log_b \\frac{p_{ij}}{p_i}

    with :math:`p_{ij}` = ``p_xy[i, j]`` and :math:`p_i` = ``p_x[i]`` (by default the row sums).

    Parameters
    ----------
    p_xy : array_like
        Joint probabilities with X along ``axes[0]`` and Y along ``axes[1]``
        (by default the last two axes: axis 0 and 1 of a 2-D table); other
        axes index a batch of tables.
    p_x : array_like, optional
        Marginal of X.  ``None`` (recommended) derives it from ``p_xy``
        (the sums over Y, in a fixed order).  A given marginal is
        used as it is, with NumPy broadcasting against ``p_xy``, as in the
        d2l chapter's NumPy code: a 1-D ``p_x`` broadcasts along the last
        axis; pass ``p_x[:, None]`` for a column.  For a 2-D ``p_xy``, a
        given ``p_x`` that differs from the row sums beyond rounding
        (relative ``sqrt(eps)``) gives a ``RuntimeWarning`` naming the likely
        fix; the result still uses ``p_x`` as given.
    axes : pair of ints, optional
        The X and Y axes of ``p_xy``; default ``(-2, -1)``.  The other axes
        are a batch: the result has the batch's shape.
    base : float or {"bits", "nats", "bans"} or None, optional
        Log base; default 2.
    keepdims : bool, optional
        Keep the two axes with length one.
    nan_policy : {"propagate", "raise", "omit"}, optional
        As in :func:`entropy`, applied to ``p_xy`` and a given ``p_x``
        (range checks; the sum check applies to each table ``p_xy``).
    normalize : bool, optional
        Divide each table ``p_xy`` (and a given ``p_x``) by its sum first.

    Returns
    -------
    numpy.float64 or ndarray of float64
        A scalar for one table, else one value per table of the batch.

    Examples
    --------
    >>> import numpy as np
    >>> import infobits as ib
    >>> p_xy = np.array([[0.1, 0.5], [0.2, 0.3]])
    >>> print(f"{ib.conditional_entropy(p_xy):.7f}")
    0.8754888
    >>> print(f"{ib.conditional_entropy(p_xy, p_xy.sum(axis=1)[:, None]):.7f}")
    0.8754888

    With the marginal derived from the joint, ``H(Y|X) = H(X,Y) - H(X)``:

    >>> bool(np.isclose(ib.conditional_entropy(p_xy),
    ...                 ib.joint_entropy(p_xy) - ib.entropy(p_xy.sum(axis=1))))
    True

    The d2l chapter's call passes ``[0.2, 0.8]``, which is not the marginal
    of X of this joint (its row sums are 0.6 and 0.5) and, being 1-D,
    broadcasts along the columns.  The chapter's value is reproduced, with a
    warning:

    >>> import warnings
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     h = ib.conditional_entropy(p_xy, [0.2, 0.8])
    >>> print(f"{h:.7f}", caught[0].category.__name__)
    0.8635472 RuntimeWarning
    """
    out, pending = _two_var(_core.TERM_KL, "conditional_entropy", p_xy, p_x, None, axes,
                            base, keepdims, nan_policy, normalize, need_y=False)
    _emit(pending)
    return cast("Result", out)


def mutual_information(p_xy: ArrayLike, p_x: ArrayLike | None = None,
                       p_y: ArrayLike | None = None, *, axes: tuple[int, int] = (-2, -1),
                       base: Base = 2, keepdims: bool = False, nan_policy: str = "propagate",
                       normalize: bool = False) -> Result:
    """Mutual information of X and Y from their joint table.

    .. math::

       I(X; Y) = \\sum_{i,j} p_{ij} \\log_b \\frac{p_{ij}}{p_i \\, q_j}

    with :math:`p_{ij}` = ``p_xy[i, j]``, :math:`p_i` = ``p_x[i]`` and
    :math:`q_j` = ``p_y[j]`` (by default the row and column sums).

    Parameters
    ----------
    p_xy : array_like
        Joint probabilities with X along ``axes[0]`` and Y along ``axes[1]``
        (by default the last two axes: axis 0 and 1 of a 2-D table); other
        axes index a batch of tables.
    p_x, p_y : array_like, optional
        Marginals.  One left as ``None`` (recommended) is derived from
        ``p_xy`` (``p_x`` = the sums over Y, ``p_y`` = the sums over X,
        summed in a fixed order).  Given marginals are used as
        they are, with NumPy broadcasting against ``p_xy`` (the d2l
        chapter's formula): pass ``p_x`` as a column ``p_x[:, None]``; a
        1-D ``p_y`` is already a row.  For a 2-D ``p_xy``, a given marginal
        that differs from the joint's own (row sums for ``p_x``, column sums
        for ``p_y``) beyond rounding (relative ``sqrt(eps)``) gives a
        ``RuntimeWarning`` naming the argument and the likely fix; the
        result still uses it as given.  Shapes that cannot broadcast raise
        ``ValueError`` with the fix.
    axes : pair of ints, optional
        The X and Y axes of ``p_xy``; default ``(-2, -1)``.  The other axes
        are a batch: the result has the batch's shape.
    base : float or {"bits", "nats", "bans"} or None, optional
        Log base; default 2.
    keepdims : bool, optional
        Keep the two axes with length one.
    nan_policy : {"propagate", "raise", "omit"}, optional
        As in :func:`entropy`, applied to ``p_xy`` and the given marginals
        (range checks; the sum check applies to each table ``p_xy``).
    normalize : bool, optional
        Divide each table ``p_xy`` (and each given marginal) by its sum
        first.

    Returns
    -------
    numpy.float64 or ndarray of float64
        A scalar for one table, else one value per table of the batch.

    Examples
    --------
    >>> import numpy as np
    >>> import infobits as ib
    >>> p_xy = np.array([[0.1, 0.5], [0.1, 0.3]])
    >>> print(f"{ib.mutual_information(p_xy):.7f}")
    0.0074034
    >>> print(f"{ib.mutual_information(p_xy, p_xy.sum(1)[:, None], p_xy.sum(0)):.7f}")
    0.0074034

    The d2l chapter's call passes marginals that are not those of its joint
    (``[0.2, 0.8]`` are the column sums, given as a 1-D ``p_x`` that
    broadcasts along the columns; ``[[0.75, 0.25]]`` matches neither).  Its
    value is reproduced, with a warning for each argument:

    >>> import warnings
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     mi = ib.mutual_information(p_xy, [0.2, 0.8], [[0.75, 0.25]])
    >>> print(f"{mi:.7f}", [w.category.__name__ for w in caught])
    0.7194603 ['RuntimeWarning', 'RuntimeWarning']

    Independent variables share no information; a copy shares all of it:

    >>> float(ib.mutual_information(np.outer([0.5, 0.5], [0.25, 0.75])))
    0.0
    >>> round(float(ib.mutual_information(np.diag([0.25, 0.25, 0.5]))), 12)
    1.5
    """
    if p_x is None and p_y is None and not keepdims and not normalize and (
            type(axes) is tuple and axes == (-2, -1)):
        dp = _fast_divisor(base, nan_policy)
        if dp is not None:
            try:
                r = _core.mi_joint_f64(dp[1], p_xy)
            except _core.InvalidValueError:
                r = None        # the general path locates the value and raises
            if r is not None:
                return cast("Result", np.float64(r / dp[0] if dp[0] != 1.0 else r))
    out, pending = _two_var(_core.TERM_MI, "mutual_information", p_xy, p_x, p_y, axes, base,
                            keepdims, nan_policy, normalize, need_y=True)
    _emit(pending)
    return cast("Result", out)


def pointwise_mutual_information(p_xy: ArrayLike, p_x: ArrayLike | None = None,
                                 p_y: ArrayLike | None = None, *, base: Base = 2,
                                 normalized: bool = False) -> Elementwise:
    """Pointwise mutual information of each cell of a joint table.

    .. math::

       \\operatorname{pmi}(x_i; y_j) = \\log_b \\frac{p_{ij}}{p_i \\, q_j}

    elementwise, with :math:`p_{ij}` = ``p_xy[i, j]``, :math:`p_i` = ``p_x[i]``, :math:`q_j` = ``p_y[j]``.

    Parameters
    ----------
    p_xy : array_like
        Joint probabilities with X along axis 0 and Y along axis 1.
    p_x, p_y : array_like, optional
        Marginals, derived from a 2-D ``p_xy`` when ``None``; given ones
        broadcast against ``p_xy`` and are checked (with a
        ``RuntimeWarning``) as in :func:`mutual_information`.
    base : float or {"bits", "nats", "bans"} or None, optional
        Log base; default 2.  Ignored when ``normalized`` (NPMI has no unit).
    normalized : bool, optional
        Return the normalised PMI ``pmi / -log p_xy`` in [-1, 1] (Bouma 2009),
        with the usual conventions ``-1`` where ``p_xy == 0`` and ``1``
        where ``p_xy == 1``.

    Returns
    -------
    ndarray or numpy scalar
        The broadcast shape of the operands, in their float dtype.
        ``-inf`` where ``p_xy == 0`` (unnormalised).

    Examples
    --------
    >>> import infobits as ib
    >>> ib.pointwise_mutual_information([[0.25, 0.25], [0.0, 0.5]])
    array([[ 1.       , -0.5849625],
           [     -inf,  0.4150375]])
    >>> ib.pointwise_mutual_information([[0.5, 0.0], [0.0, 0.5]], normalized=True)
    array([[ 1., -1.],
           [-1.,  1.]])
    """
    ops, _, pending = _with_marginals(p_xy, p_x, p_y, "pointwise_mutual_information",
                                      fused=False)
    (a, bx, by), _ = common_float(ops, ("p_xy", "p_x", "p_y"))
    _broadcast((a, bx, by), ("p_xy", "p_x", "p_y"))
    divisor = 1.0 if normalized else log_base(base)
    with np.errstate(divide="ignore", invalid="ignore"):
        if divisor == _LN2:
            pmi = _ufuncs.pmi_bits(a, bx, by)
        else:
            pmi = _ufuncs.pmi_nats(a, bx, by)
            if divisor != 1.0:
                pmi = pmi / a.dtype.type(divisor)
        if normalized:
            h = -np.log(a)
            pmi = np.where(a == 0, -1.0, np.where(a == 1, 1.0, pmi / h)).astype(a.dtype)
    _emit(pending)
    return cast("Elementwise", pmi[()] if pmi.ndim == 0 else pmi)


def kl_divergence(p: ArrayLike, q: ArrayLike, *, base: Base = 2, axis: Axis = None,
                  keepdims: bool = False, nan_policy: str = "propagate",
                  normalize: bool = False) -> Result:
    """Kullback-Leibler divergence of P from Q.

    .. math::

       D_{\\mathrm{KL}}(P \\parallel Q) = \\sum_i p_i \\log_b \\frac{p_i}{q_i}

    with :math:`0 \\log (0 / q) = 0`.

    Parameters
    ----------
    p, q : array_like
        Probabilities, broadcast against each other; both are checked as in
        :func:`entropy` (range, and each slice's sum).
    base : float or {"bits", "nats", "bans"} or None, optional
        Log base; default 2.
    axis, keepdims : optional
        As in :func:`entropy`.
    nan_policy : {"propagate", "raise", "omit"}, optional
        ``"propagate"`` (default): a NaN operand gives NaN, while
        ``0 log(0/q) = 0``; ``"raise"`` raises ``ValueError`` for a NaN;
        ``"omit"`` (the chapter's ``nansum``) drops every term the formula
        makes NaN (``p/q < 0``, NaN operands, ``0 log(0/0)``) and checks
        neither the range nor the sums: this is how the chapter's KL of
        sorted normal samples reproduces.
    normalize : bool, optional
        Divide each slice of ``p`` and of ``q`` by its sum first (counts or
        weights), as ``scipy.stats.entropy(p, q)`` does.

    Returns
    -------
    numpy.float64 or ndarray of float64
        The signed sum: unlike the chapter's code it does not take an absolute
        value (for distributions KL >= 0 already).  ``p > 0`` with
        ``q == 0`` gives ``+inf``.

    Notes
    -----
    The probability checks (range and sums of ``p`` and ``q``) are those of
    :func:`entropy`.

    Examples
    --------
    >>> import infobits as ib
    >>> float(ib.kl_divergence([0.5, 0.5], [0.25, 0.75]).round(7))
    0.2075187
    >>> float(ib.kl_divergence([0.5, 0.5], [1.0, 0.0]))
    inf
    >>> float(ib.kl_divergence([1.0, 0.0], [0.5, 0.5]))
    1.0
    >>> print(f"{ib.kl_divergence([3, 5], [1, 1], normalize=True):.4f}")
    0.0456

    The d2l chapter's asymmetry example on sorted samples (signed sums; samples
    are not probabilities, so ``nan_policy="omit"`` asks for the chapter's
    ``nansum``):

    >>> import numpy as np
    >>> rng = np.random.default_rng(1)
    >>> p, q1, q2 = (np.sort(rng.normal(m, 1, 10_000)) for m in (0, -1, 1))
    >>> kl_pq1 = abs(ib.kl_divergence(p, q1, nan_policy="omit"))
    >>> kl_pq2 = abs(ib.kl_divergence(p, q2, nan_policy="omit"))
    >>> bool(abs(kl_pq1 - kl_pq2) / ((kl_pq1 + kl_pq2) / 2) < 0.05)
    True
    """
    if not keepdims and not normalize and (
            axis is None or (type(axis) is int and -1 <= axis <= 0)):
        r = _fast_1d(_core.TERM_KL, (p, q), base, nan_policy)
        if r is not None:
            return cast("Result", r)
    return cast("Result", _reduce(_core.TERM_KL, (p, q), ("p", "q"), axis=axis, keepdims=keepdims,
                   nan_policy=nan_policy, base=base, who="kl_divergence",
                   normalize=normalize))


def jensen_shannon_divergence(p: ArrayLike, q: ArrayLike, *, base: Base = 2, axis: Axis = None,
                              keepdims: bool = False, nan_policy: str = "propagate",
                              normalize: bool = False) -> Result:
    """Jensen-Shannon divergence of two distributions.

    .. math::

       \\mathrm{JSD}(P, Q) = \\tfrac{1}{2} D_{\\mathrm{KL}}(P \\parallel M)
       + \\tfrac{1}{2} D_{\\mathrm{KL}}(Q \\parallel M), \\qquad M = \\tfrac{1}{2}(P + Q)

    Parameters
    ----------
    p, q : array_like
        Probabilities, broadcast against each other; both are checked as in
        :func:`entropy` (range, and each slice's sum).
    base : float or {"bits", "nats", "bans"} or None, optional
        Log base; default 2, where the divergence of distributions lies in
        [0, 1].
    axis, keepdims : optional
        As in :func:`entropy`.
    nan_policy : {"propagate", "raise", "omit"}, optional
        As in :func:`kl_divergence`: ``"omit"`` leaves out the terms that
        are NaN (a NaN or negative operand) and checks nothing.
    normalize : bool, optional
        Divide each slice of ``p`` and of ``q`` by its sum first.

    Returns
    -------
    numpy.float64 or ndarray of float64
        Never negative (rounding below zero is clipped to 0); ``0 log 0 = 0``.
        This is the divergence, the square of SciPy's ``jensenshannon``
        distance.

    Examples
    --------
    >>> import infobits as ib
    >>> float(ib.jensen_shannon_divergence([1.0, 0.0], [0.0, 1.0]))
    1.0
    >>> float(ib.jensen_shannon_divergence([0.3, 0.7], [0.3, 0.7]))
    0.0
    >>> float(ib.jensen_shannon_divergence([3, 0], [0, 7], normalize=True))
    1.0
    """
    out = _reduce(_core.TERM_JS, (p, q), ("p", "q"), axis=axis, keepdims=keepdims,
                  nan_policy=nan_policy, base=base, who="jensen_shannon_divergence",
                  normalize=normalize)
    return cast("Result", np.maximum(out, 0.0))


def _order(value: Any, name: str, *, allow_inf: bool) -> float:
    """The order alpha (Renyi) or q (Tsallis) as a float: a real number >= 0
    (and finite unless allow_inf), else TypeError / ValueError naming it."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, float, np.integer,
                                                                      np.floating)):
        raise TypeError(f"{name} must be a real number, not {type(value).__name__}")
    v = float(value)
    if math.isnan(v) or v < 0 or (math.isinf(v) and not allow_inf):
        rng = "[0, inf]" if allow_inf else "[0, inf)"
        raise ValueError(f"{name} must be a number in {rng}; got {value!r}")
    return v


def _reduced_empty(p: Any, axis: Any) -> bool:
    """Whether the reduced slices of p hold no element (error paths are
    left to the kernel call that follows)."""
    try:
        shape = np.shape(p)
        axes = normalize_axes(axis, len(shape))
    except Exception:
        return False
    return bool(math.prod(shape[i] for i in axes) == 0)


def _power_term(order: float) -> int:
    """The kernel term of p**order: squares and square roots (exactly
    rounded, no log and exp) for orders 2 and 1/2, else exp(order log p)."""
    return {2.0: _core.TERM_SQ, 0.5: _core.TERM_SQRT}.get(order, _core.TERM_POW)


def _power_sum(who: str, p: Any, order: float, axis: Any, keepdims: bool, nan_policy: str,
               normalize: bool) -> Any:
    """Sum of p**order over the reduced axes (0**order = 0 for every order,
    so order 0 counts the support), in one pass of the compiled kernel with
    the probability checks of entropy."""
    term = _power_term(order)
    if not keepdims and not normalize and (
            axis is None or (type(axis) is int and -1 <= axis <= 0)):
        r = _fast_1d(term, (p,), None, nan_policy, par=order)
        if r is not None:
            return r
    return _reduce(term, (p,), ("p",), axis=axis, keepdims=keepdims,
                   nan_policy=nan_policy, base=None, who=who, normalize=normalize,
                   stacklevel=3, par=order)


def renyi_entropy(p: ArrayLike, alpha: float, *, base: Base = 2, axis: Axis = None,
                  keepdims: bool = False, nan_policy: str = "propagate",
                  normalize: bool = False) -> Result:
    """Renyi entropy of order ``alpha``: ``log(sum p**alpha) / (1 - alpha)``.

    Parameters
    ----------
    p : array_like
        Probabilities: entries in [0, 1] summing to 1 along the reduced
        axes, or, with ``normalize=True``, any finite non-negative weights
        or counts (checked as in :func:`entropy`).
    alpha : float
        The order, a number in [0, inf].  ``alpha = 0`` gives the log of
        the support size (the number of nonzero entries, Hartley entropy),
        ``alpha = 1`` the Shannon entropy (:func:`entropy`), ``alpha = 2``
        the collision entropy and ``alpha = inf`` the min-entropy
        ``-log max p``.
    base : float or {"bits", "nats", "bans"} or None, optional
        Log base of the result; default 2 (bits).
    axis, keepdims, nan_policy, normalize : optional
        As in :func:`entropy` (the probability checks too).

    Returns
    -------
    numpy.float64 or ndarray of float64
        A scalar when reducing over all elements, else an array.  The
        entropy of an empty slice is 0.

    Raises
    ------
    ValueError
        ``alpha`` negative or NaN; an entry of ``p`` outside [0, 1] (see
        :func:`entropy`), or a NaN under ``nan_policy="raise"``.
    TypeError
        ``alpha`` not a real number.

    Notes
    -----
    ``sum p**alpha`` is one pass of the compiled reduction (the probability
    checks in the same pass, float64 accumulation in a fixed pairwise tree:
    the same bits for any thread count and layout), each term taken as
    ``exp(alpha log p)`` with the library's vector log and exp, and
    ``0**alpha = 0`` for every ``alpha`` (so ``alpha = 0`` counts the
    support); orders 2 and 1/2 take squares and square roots instead
    (exactly rounded).  A term is within ``(|alpha ln p| + 3) 2**-52`` of
    ``p**alpha`` (relative; the log's rounding grows with ``alpha``), so
    the sum is within about ``(2 alpha |ln p_min| + 6 + log2 n)`` units of
    ``2**-53``.  Near
    ``alpha = 1`` the formula divides a small ``log(sum)`` by a small
    ``1 - alpha``: its relative accuracy there is about ``1e-16 /
    |1 - alpha|`` (inherent to the formula; ``alpha = 1`` itself is
    :func:`entropy`).  ``alpha = inf`` takes ``max p`` from NumPy after
    the checking pass.

    Examples
    --------
    >>> import infobits as ib
    >>> float(ib.renyi_entropy([0.25, 0.25, 0.25, 0.25], 2))
    2.0
    >>> float(ib.renyi_entropy([0.5, 0.25, 0.25, 0.0], 0))   # log2 of 3 outcomes
    1.5849625007211563
    >>> print(f"{ib.renyi_entropy([0.1, 0.5, 0.1, 0.3], 1):.7f}")   # Shannon
    1.6854753
    >>> float(ib.renyi_entropy([0.5, 0.25, 0.25], float("inf")))   # -log2 max p
    1.0
    >>> ib.renyi_entropy([[0.5, 0.5], [1.0, 0.0]], 2, axis=1)
    array([1., 0.])
    >>> print(f"{ib.renyi_entropy([3, 5, 2], 2, normalize=True):.4f}")   # -log2(0.38)
    1.3959
    """
    a = _order(alpha, "alpha", allow_inf=True)
    if a == 1.0:
        return entropy(p, base=base, axis=axis, keepdims=keepdims, nan_policy=nan_policy,
                       normalize=normalize)
    divisor = log_base(base)
    # (at alpha = inf the pass with exponent 1 only checks p; a slice that
    # is NaN there, or sums to 0 under normalize, stays NaN)
    s = _power_sum("renyi_entropy", p, 1.0 if math.isinf(a) else a, axis, keepdims,
                   nan_policy, normalize)
    s = np.asarray(s, dtype=np.float64)
    if _reduced_empty(p, axis):
        out = np.zeros_like(s)
    elif math.isinf(a):
        arr = np.asarray(p)
        if not np.issubdtype(arr.dtype, np.floating):
            arr = arr.astype(np.float64)
        ax = None if axis is None else normalize_axes(axis, arr.ndim)
        with np.errstate(all="ignore"):
            mx = (np.nanmax if nan_policy == "omit" else np.max)(arr, axis=ax,
                                                                 keepdims=keepdims)
            mx = np.asarray(mx, dtype=np.float64)
            if normalize:   # (s is the normalised slice's sum: take the input's)
                tot = (np.nansum if nan_policy == "omit" else np.sum)(arr, axis=ax,
                                                                      keepdims=keepdims)
                mx = mx / np.asarray(tot, dtype=np.float64)
            out = np.where(np.isnan(s), np.nan, 0.0 - np.log(mx))
    else:
        with np.errstate(all="ignore"):
            out = np.log(s) / (1.0 - a) + 0.0      # (+ 0: a certain outcome gives +0)
    if divisor != 1.0:
        out = out / divisor
    return cast("Result", out[()] if out.ndim == 0 else out)


def tsallis_entropy(p: ArrayLike, q: float, *, axis: Axis = None, keepdims: bool = False,
                    nan_policy: str = "propagate", normalize: bool = False) -> Result:
    """Tsallis entropy of order ``q``: ``(1 - sum p**q) / (q - 1)``.

    Parameters
    ----------
    p : array_like
        Probabilities: entries in [0, 1] summing to 1 along the reduced
        axes, or, with ``normalize=True``, any finite non-negative weights
        or counts (checked as in :func:`entropy`).
    q : float
        The order (entropic index), a finite number >= 0.  ``q = 1`` gives
        the Shannon entropy in nats; ``q = 0`` the support size minus 1;
        ``q = 2`` the Gini-Simpson index ``1 - sum p**2``.
    axis, keepdims, nan_policy, normalize : optional
        As in :func:`entropy`.

    Returns
    -------
    numpy.float64 or ndarray of float64
        Unitless (Tsallis entropy has no log base).  The entropy of an
        empty slice is 0.

    Raises
    ------
    ValueError
        ``q`` negative, NaN or infinite; an entry of ``p`` outside [0, 1],
        or a NaN under ``nan_policy="raise"``.
    TypeError
        ``q`` not a real number.

    Notes
    -----
    The sum is the same single pass as :func:`renyi_entropy`'s (the same
    bits, the same term accuracy).  Near ``q = 1`` the difference
    ``1 - sum p**q`` cancels: the relative accuracy there is about
    ``1e-16 / |q - 1|``.

    Examples
    --------
    >>> import infobits as ib
    >>> float(ib.tsallis_entropy([0.5, 0.5], 2))
    0.5
    >>> float(ib.tsallis_entropy([0.5, 0.25, 0.25, 0.0], 0))   # support size - 1
    2.0
    >>> print(f"{ib.tsallis_entropy([0.5, 0.5], 1):.6f}")   # Shannon, nats
    0.693147
    >>> ib.tsallis_entropy([[0.5, 0.5], [1.0, 0.0]], 3, axis=1)
    array([0.375, 0.   ])
    """
    v = _order(q, "q", allow_inf=False)
    if v == 1.0:
        return entropy(p, base=None, axis=axis, keepdims=keepdims, nan_policy=nan_policy,
                       normalize=normalize)
    s = np.asarray(_power_sum("tsallis_entropy", p, v, axis, keepdims, nan_policy, normalize),
                   dtype=np.float64)
    if _reduced_empty(p, axis):
        out = np.zeros_like(s)
    else:
        out = (1.0 - s) / (v - 1.0)
    return cast("Result", out[()] if out.ndim == 0 else out)
