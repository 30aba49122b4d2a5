"""Numerically stable log-sum-exp, softmax and softplus.

Each function applies the dtype policy, arranges the reduced axes last as
2-D rows (R, C) (a view where NumPy can express one, else a copy) and hands
them to the compiled kernels in :mod:`infobits._numerics`, which release the
GIL, accumulate in float64 and give bitwise identical results for any thread
count.
"""
from __future__ import annotations

import math
from typing import Any, cast

import numpy as np
from numpy.typing import ArrayLike, NDArray

from . import _numerics, _ufuncs
from ._typing import Axis, Elementwise, LogSumExp
from ._validation import _aligned, as_float_array, normalize_axes, unmasked

__all__ = ["logsumexp", "softmax", "log_softmax", "log1pexp", "log_sigmoid"]

_LSE: dict[np.dtype[Any], Any] = {np.dtype(np.float64): _numerics.logsumexp_f64,
        np.dtype(np.float32): _numerics.logsumexp_f32}
_SOFTMAX: dict[np.dtype[Any], Any] = {np.dtype(np.float64): _numerics.softmax_f64,
            np.dtype(np.float32): _numerics.softmax_f32}


def _order(a: Any, axes: Any) -> Any:
    """Axis order (kept axes, then reduced axes) and the kept shape."""
    ndim = a.ndim
    kept = [i for i in range(ndim) if i not in axes]
    red = list(axes)
    # Reduced axes keep their logical order (never sorted by stride): the
    # summation order, hence every bit of the result, depends only on the
    # values and the shape, not on the memory layout.
    return kept + red, tuple(a.shape[i] for i in kept)


def _as_rows(a: Any, order: Any, R: Any, C: Any) -> Any:
    t = a.transpose(order) if order != list(range(a.ndim)) else a
    return _aligned(t.reshape(R, C))


def _rows_view(a: Any, order: Any, R: Any, C: Any) -> Any:
    """A writable (R, C) view of *a* in the given axis order, or None."""
    t = a.transpose(order) if order != list(range(a.ndim)) else a
    try:
        v = t.reshape(R, C, copy=False)
    except ValueError:
        return None
    except TypeError:
        # NumPy 2.0 has no copy argument: reshape, and keep the result only
        # if it is a view (fresh memory means a copy was made)
        v = t.reshape(R, C)
        if v.size and not np.may_share_memory(v, t):
            return None
    if not v.flags.aligned or any(s % v.itemsize for s in v.strides):
        return None
    return v


def logsumexp(a: ArrayLike, axis: Axis = None, b: ArrayLike | None = None, keepdims: bool = False,
              return_sign: bool = False) -> LogSumExp:
    """Log of the sum of exponentials, computed stably.

    .. math::

       \\log \\sum_i b_i e^{a_i} = m + \\log \\sum_i b_i e^{a_i - m}, \\qquad m = \\max_i a_i

    A drop-in for :func:`scipy.special.logsumexp` (same signature, same
    conventions and results), computed in one sweep over the data by a
    compiled kernel that keeps a running maximum and a rescaled sum, without
    temporaries the size of the input.

    Parameters
    ----------
    a : array_like
        Input values.  float32 and float64 are computed natively (summed in
        float64; for float32 without ``b`` the terms ``exp(a - max)`` are
        taken in single precision, each within 1 float32 ulp, and the result
        is within 2 float32 ulps plus an absolute 2^-26 of the float64
        result on the same values); bool and
        integers become float64, float16 float32.
    axis : None or int or tuple of ints, optional
        Axes to reduce; ``None`` (default) reduces over all elements.
    b : array_like, optional
        Weights of ``exp(a)``, broadcast against ``a``; may be negative.
        Entries with ``b == 0`` are left out (even where ``a`` is infinite
        or NaN), as in SciPy.
    keepdims : bool, optional
        Keep the reduced axes with length one.
    return_sign : bool, optional
        If True, return ``(res, sgn)`` with ``res = log|sum|`` and ``sgn``
        the sign of the sum (+1, 0, -1).  If False (default), a negative sum
        gives NaN.

    Returns
    -------
    res : ndarray or numpy scalar
        The result, with the float dtype of ``a`` (and ``b``): float32 input
        gives a float32 result, as in SciPy and PyTorch (the sum is still
        accumulated in float64).  This is the one exception to the rule that
        infobits reductions return float64.  A sum over no terms is
        ``-inf``.
    sgn : ndarray or numpy scalar
        Only with ``return_sign=True``.

    Notes
    -----
    Edge values: a row with a ``+inf`` entry gives ``+inf``; a row of all
    ``-inf`` gives ``-inf``; a NaN anywhere in the row gives NaN.  Without
    ``b``, finite inputs never overflow (the result is at most
    ``max(a) + log(n)``).  With ``b``, the weighted sum
    ``sum(b * exp(a - max(a)))`` is formed in double precision, so weights
    whose sum exceeds the double range overflow: ``logsumexp([1, 1],
    b=[1e308, 1e308])`` is ``inf`` (as in SciPy) although the true value,
    about 710.6, is finite; take ``log(b)`` into ``a`` instead
    (``logsumexp(a + log(b))``) for such weights.  Without ``b`` the
    results are SciPy's.  With
    ``b``, where SciPy falls back to the direct sum ``log(sum(b * exp(a)))``
    (weights cancelling the largest terms, or infinite entries) that sum can
    overflow to ``inf - inf = NaN``; infobits takes the same sum relative to
    the maximum, so it returns the limit instead: for example
    ``logsumexp([1000, 1000, 999], b=[1, -1, 1])`` is 999 (SciPy: NaN), and
    an entry with ``b == 0`` is left out even when ``a`` is ``+inf`` or NaN
    (SciPy's fallback gives NaN).

    Examples
    --------
    >>> import numpy as np
    >>> import infobits as ib
    >>> print(f"{ib.logsumexp(np.arange(10)):.10f}")
    9.4586297444
    >>> float(ib.logsumexp([1e308, 1e308]))
    1e+308
    >>> ib.logsumexp([[0.0, 0.0], [1.0, -np.inf]], axis=1)
    array([0.69314718, 1.        ])
    >>> res, sgn = ib.logsumexp([1, 2], b=[1, -1], return_sign=True)
    >>> print(f"{res:.6f} {sgn}")
    1.541325 -1.0
    >>> float(ib.logsumexp([]))
    -inf
    """
    if b is None and not keepdims and not return_sign and (
            axis is None or (type(axis) is int and axis == -1)):
        # one compiled call for plain 1-D / 2-D float arrays (else None)
        res = _numerics.logsumexp_rows(a, axis is None)
        if res is not None:
            return cast("np.floating[Any] | NDArray[np.floating[Any]]", res)
    a = as_float_array(a, "a")
    if b is not None:
        b = as_float_array(b, "b")
        dt = np.result_type(a.dtype, b.dtype)
        a = a.astype(dt, copy=False)
        b = b.astype(dt, copy=False)
        try:
            a, b = np.broadcast_arrays(a, b)
        except ValueError:
            raise ValueError(
                f"b with shape {b.shape} cannot be broadcast against a with "
                f"shape {a.shape}"
            ) from None
    dt = a.dtype
    if a.ndim == 0:
        a = a.reshape(1)
        b = b.reshape(1) if b is not None else None
    axes = normalize_axes(axis, a.ndim)
    order, kshape = _order(a, axes)
    outshape = (tuple(1 if i in axes else n for i, n in enumerate(a.shape))
                if keepdims else kshape)
    R = math.prod(kshape)
    C = math.prod(a.shape[i] for i in axes)
    if a.size == 0:
        res = np.full(outshape, -np.inf, dtype=dt)
        sgn = np.full(outshape, -1.0, dtype=dt)
    else:
        out = np.empty(R, dtype=np.float64)
        sg = np.empty(R, dtype=np.float64)
        av = _as_rows(a, order, R, C)
        bv = _as_rows(b, order, R, C) if b is not None else None
        _LSE[dt](av, bv, out, sg)
        if not return_sign:
            out[sg < 0] = np.nan
        res = out.astype(dt, copy=False).reshape(outshape)
        sgn = sg.astype(dt, copy=False).reshape(outshape)
    if res.ndim == 0:
        res = res[()]
        sgn = sgn[()]
    return (res, sgn) if return_sign else res


def _softmax(x: Any, axis: Any, out: Any, logsm: Any, name: Any) -> Any:
    x = as_float_array(x, "x")
    dt = x.dtype
    scalar = x.ndim == 0
    xx = x.reshape(1) if scalar else x
    if scalar and axis in (-1, 0, None, (), (0,), (-1,)):
        axis = 0
    axes = normalize_axes(axis, xx.ndim)
    if out is not None:
        if not isinstance(out, np.ndarray):
            raise TypeError(f"out must be a numpy.ndarray; got {type(out).__name__}")
        if out.shape != x.shape or out.dtype != dt:
            raise ValueError(
                f"out must have shape {x.shape} and dtype {dt} (those of the "
                f"{name} result); got shape {out.shape} and dtype {out.dtype}"
            )
        if not out.flags.writeable:
            raise ValueError("out must be writeable")
    order, kshape = _order(xx, axes)
    R = math.prod(kshape)
    C = math.prod(xx.shape[i] for i in axes)
    res = out if out is not None else np.empty(x.shape, dtype=dt)
    if xx.size == 0:
        return res
    target = res.reshape(1) if scalar else res
    view = None
    if out is None or not np.may_share_memory(out, x):
        view = _rows_view(target, order, R, C)
    xv = _as_rows(xx, order, R, C)
    if R > 1 and C > 1:
        # Rows that are not contiguous in memory (say softmax over axis 0
        # of a C-ordered array) are read three times and written once with
        # a large stride; a transposing copy in and out is much faster.
        if xv.strides[1] != xv.itemsize:
            xv = np.ascontiguousarray(xv)
        if view is not None and view.strides[1] != view.itemsize:
            view = None
    if view is not None:
        _SOFTMAX[dt](logsm, xv, view)
    else:
        tmp = np.empty((R, C), dtype=dt)
        _SOFTMAX[dt](logsm, xv, tmp)
        inv = np.argsort(order)
        shaped = tmp.reshape([xx.shape[i] for i in order]).transpose(inv)
        target[...] = shaped
    if scalar and out is None:
        return res[()]
    return res


def softmax(x: ArrayLike, axis: Any = -1, *, out: NDArray[Any] | None = None) -> NDArray[np.floating[Any]]:
    """Softmax along an axis, computed stably.

    .. math::

       \\sigma(x)_i = \\frac{e^{x_i}}{\\sum_j e^{x_j}}
       = \\frac{e^{x_i - m}}{\\sum_j e^{x_j - m}}, \\qquad m = \\max_j x_j

    Parameters
    ----------
    x : array_like
        Input values (logits).  float32 and float64 keep their dtype (sums in
        float64; for float32 rows longer than 32 the exponentials are taken
        in single precision, within 1 float32 ulp, and the result is within
        2 float32 ulps of the float64 softmax of the same values); bool and
        integers become float64, float16 float32.
    axis : int or tuple of ints or None, optional
        Axes that each distribution runs along.  The default is the last axis
        (the class axis of an (N, K) batch), not SciPy's ``None``; ``None``
        normalises over all elements.
    out : ndarray, optional
        Where to write the result: same shape as ``x`` and the result dtype,
        else ``ValueError``.

    Returns
    -------
    ndarray
        Same shape and float dtype as ``x``; sums to 1 along ``axis``.

    Notes
    -----
    One sweep finds the maximum, a second takes ``exp(x - max)`` and its sum
    (float64), a third multiplies by the reciprocal of the sum (its rounding
    adds at most 2**-53 relative).  A plain C-ordered float32/float64 array
    with the default ``axis`` goes to the kernel in one call.  Edge values:
    ``k > 0`` entries equal to
    ``+inf`` share the mass (``1/k`` there, 0 elsewhere); an all ``-inf`` row
    and a row with a NaN give NaN.

    Examples
    --------
    >>> import numpy as np
    >>> import infobits as ib
    >>> ib.softmax([1.0, 2.0, 3.0])
    array([0.09003057, 0.24472847, 0.66524096])
    >>> ib.softmax([[0.0, 0.0], [1000.0, 0.0]])
    array([[0.5, 0.5],
           [1. , 0. ]])
    >>> ib.softmax([np.inf, 1.0, np.inf])
    array([0.5, 0. , 0.5])
    """
    if out is None and type(axis) is int and axis == -1:
        res = _numerics.softmax_rows(x, False)   # None unless a plain array
        if res is not None:
            return res
    return cast("NDArray[np.floating[Any]]", _softmax(x, axis, out, False, "softmax"))


def log_softmax(x: ArrayLike, axis: Any = -1, *, out: NDArray[Any] | None = None) -> NDArray[np.floating[Any]]:
    """Logarithm of the softmax along an axis.

    .. math::

       \\log \\sigma(x)_i = x_i - \\log \\sum_j e^{x_j}

    Computed as ``x - max - log(sum(exp(x - max)))``; never as the log of
    the softmax, so it stays accurate where the softmax underflows.

    Parameters
    ----------
    x : array_like
        Input values (logits).
    axis : int or tuple of ints or None, optional
        Axes each distribution runs along; default the last axis.
    out : ndarray, optional
        Where to write the result: same shape as ``x`` and the result dtype.

    Returns
    -------
    ndarray
        Same shape and float dtype as ``x``.

    Notes
    -----
    Edge values follow the log of :func:`softmax`: ``k > 0`` entries equal to
    ``+inf`` give ``-log k`` there and ``-inf`` elsewhere; an all ``-inf``
    row and a row with a NaN give NaN.

    Examples
    --------
    >>> import numpy as np
    >>> import infobits as ib
    >>> ib.log_softmax([1000.0, 1.0])
    array([   0., -999.])
    >>> ib.log_softmax([[0.0, 0.0, 0.0, 0.0]])
    array([[-1.38629436, -1.38629436, -1.38629436, -1.38629436]])
    """
    if out is None and type(axis) is int and axis == -1:
        res = _numerics.softmax_rows(x, True)   # None unless a plain array
        if res is not None:
            return res
    return cast("NDArray[np.floating[Any]]", _softmax(x, axis, out, True, "log_softmax"))


def _ufunc_input(x: Any, name: Any) -> Any:
    """*x* ready for one of the ufuncs of :mod:`infobits._ufuncs`.

    Objects with their own ``__array_ufunc__`` (Dask, CuPy, xarray, ...) are
    passed on untouched, so NumPy's protocol hands the call to them.
    Anything else gets the infobits argument checks: masked arrays with
    masked entries and complex, object or string data raise ``TypeError``
    naming *name*; float32/float64, bool and integers go to the ufunc's own
    loops (bool and integers give float64), other floats are converted as
    everywhere in infobits (float16 to float32, longdouble to float64).
    """
    hook = getattr(type(x), "__array_ufunc__", _NDARRAY_UFUNC)
    if hook is not _NDARRAY_UFUNC and hook is not None:
        return x
    arr = np.asarray(unmasked(x, name))
    if arr.dtype == np.float64 or arr.dtype == np.float32 or arr.dtype.kind in "biu":
        return arr
    return as_float_array(arr, name)


_NDARRAY_UFUNC = np.ndarray.__array_ufunc__


def log1pexp(x: ArrayLike, /, out: NDArray[Any] | None = None, **kwargs: Any) -> Elementwise:
    """Softplus, elementwise and overflow-free.

    .. math::

       \\operatorname{softplus}(x) = \\log(1 + e^{x}) = \\max(x, 0) + \\log\\left(1 + e^{-|x|}\\right)

    Computed as ``max(x, 0) + log1p(exp(-|x|))``, which is accurate for
    every finite ``x`` (within 2 ulps of the exact value; float32 results
    within 1 float32 ulp) and exact at the infinities.

    The computation is a NumPy ufunc (``log1pexp.ufunc``, the same object as
    ``infobits._ufuncs.log1pexp``).  This function checks ``x`` as every
    infobits function does and then calls it, forwarding ``out`` and the
    other ufunc keywords, as :func:`scipy.special.softplus` forwards its
    keywords to :data:`numpy.logaddexp`.  Inputs that define their own
    ``__array_ufunc__`` (Dask arrays, for example) go to the ufunc
    unchecked, so they dispatch.

    Parameters
    ----------
    x : array_like
        Input values; the float dtype is kept.
    out : ndarray or tuple of ndarray, optional
        Where to write the result, as for any ufunc.
    **kwargs
        Other ufunc keywords: ``where``, ``dtype``, ``casting``, ``order``,
        ``subok``.

    Returns
    -------
    ndarray or numpy scalar
        ``log(1 + exp(x))``: ``log1pexp(1000) = 1000``, ``log1pexp(inf) =
        inf``, ``log1pexp(-inf) = 0``, NaN for NaN.

    Examples
    --------
    >>> import numpy as np
    >>> import infobits as ib
    >>> ib.log1pexp([0.0, 1.0])
    array([0.69314718, 1.31326169])
    >>> [float(v) for v in ib.log1pexp([1000.0, -1000.0, np.inf, -np.inf])]
    [1000.0, 0.0, inf, 0.0]
    >>> print(f"{ib.log1pexp(-40.0):.6e}")
    4.248354e-18
    >>> out = np.zeros(3)
    >>> _ = ib.log1pexp([0.0, 1.0, 2.0], out=out, where=[True, False, True])
    >>> out
    array([0.69314718, 0.        , 2.12692801])
    """
    return cast("Elementwise", _ufuncs.log1pexp(_ufunc_input(x, "x"), out=out, **kwargs))


def log_sigmoid(x: ArrayLike, /, out: NDArray[Any] | None = None, **kwargs: Any) -> Elementwise:
    """Log of the logistic sigmoid, elementwise.

    .. math::

       \\log \\frac{1}{1 + e^{-x}} = -\\log(1 + e^{-x}) = -\\operatorname{softplus}(-x)

    Elementwise and overflow-free: ``min(x, 0) - log1p(exp(-|x|))``.  Like
    :func:`log1pexp`, a checked call of a NumPy ufunc (``log_sigmoid.ufunc``)
    that forwards ``out`` and the ufunc keywords.

    Parameters
    ----------
    x : array_like
        Input values; the float dtype is kept.
    out : ndarray or tuple of ndarray, optional
        Where to write the result, as for any ufunc.
    **kwargs
        Other ufunc keywords: ``where``, ``dtype``, ``casting``, ``order``,
        ``subok``.

    Returns
    -------
    ndarray or numpy scalar
        ``log(sigmoid(x))``: 0 at ``+inf``, ``-inf`` at ``-inf``, NaN for NaN.

    Examples
    --------
    >>> import numpy as np
    >>> import infobits as ib
    >>> ib.log_sigmoid([0.0, 1000.0, -1000.0])
    array([-6.93147181e-01,  0.00000000e+00, -1.00000000e+03])
    >>> float(ib.log_sigmoid(-np.inf))
    -inf
    """
    return cast("Elementwise", _ufuncs.log_sigmoid(_ufunc_input(x, "x"), out=out, **kwargs))


log1pexp.ufunc = _ufuncs.log1pexp  # type: ignore[attr-defined]
log_sigmoid.ufunc = _ufuncs.log_sigmoid  # type: ignore[attr-defined]
