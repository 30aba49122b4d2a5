"""Argument checking and normalisation shared by the public API.

Nothing here loops over elements: it converts inputs, checks arguments and
arranges arrays as 3-D strided views (K, R, C) for the compiled kernels.
"""
from __future__ import annotations

import math
import numbers
import operator
from typing import Any

import numpy as np
from numpy.lib.array_utils import normalize_axis_tuple
from numpy.typing import ArrayLike

from ._typing import Base

_FLOAT_KINDS = {"f"}
_CONVERT_KINDS = {"b", "i", "u"}

_BASE_NAMES = {"bits": 2.0, "nats": math.e, "bans": 10.0}

__all__ = ["as_float_array", "unmasked", "log_base", "check_nan_policy", "normalize_axes"]


def unmasked(x: ArrayLike, name: str) -> Any:
    """*x* itself, or the data of a masked array without masked entries.

    infobits does not read masks: a ``numpy.ma`` array with any masked
    entry raises ``TypeError`` naming *name* (its masked values would
    otherwise be used as if they were data).  Drop them (``x.compressed()``)
    or fill them (``x.filled(np.nan)`` with ``nan_policy="omit"``) first.
    """
    if isinstance(x, np.ma.MaskedArray):
        if np.ma.getmaskarray(x).any():
            raise TypeError(
                f"{name} is a masked array with masked entries; infobits does not "
                f"read masks (the masked values would be used). Drop them with "
                f"{name}.compressed(), or fill them, e.g. {name}.filled(np.nan) "
                f"with nan_policy='omit'"
            )
        return np.ma.getdata(x)
    return x


def as_float_array(x: ArrayLike, name: str) -> np.ndarray:
    """Convert *x* with ``np.asarray`` and apply the dtype policy.

    float32 and float64 pass through unchanged (no copy); bool and integers
    become float64, float16 becomes float32, longdouble becomes float64;
    non-native byte order keeps the size (native copy).  A masked array
    with masked entries raises ``TypeError`` (see :func:`unmasked`).
    complex, object, string and other dtypes raise ``TypeError`` naming
    *name*.
    """
    arr = np.asarray(unmasked(x, name))
    dt = arr.dtype
    if dt == np.float64 or dt == np.float32:
        return arr
    kind = dt.kind
    if kind in _CONVERT_KINDS:
        return arr.astype(np.float64)
    if kind == "f":
        # float16 -> float32; non-native byte order keeps its size;
        # longdouble -> float64
        if dt.itemsize <= 4:
            return arr.astype(np.float32)
        return arr.astype(np.float64)
    raise TypeError(
        f"{name} must be an array of real numbers (bool, integer or float); "
        f"got dtype {dt}"
    )


def common_float(arrays: Any, names: Any) -> Any:
    """Convert several inputs and bring them to one float dtype."""
    out = [as_float_array(a, n) for a, n in zip(arrays, names)]
    dt = np.result_type(*out) if len(out) > 1 else out[0].dtype
    return [a if a.dtype == dt else a.astype(dt) for a in out], dt


def log_base(base: Base, name: str = "base") -> float:
    """Return ln(base), the divisor that turns nats into units of *base*.

    ``None`` and ``"nats"`` mean the natural log (divisor 1).  Any positive
    finite real other than 1 is accepted, and ``"bits"`` (2), ``"bans"`` (10).
    """
    if base is None:
        return 1.0
    if isinstance(base, str):
        try:
            base = _BASE_NAMES[base]
        except KeyError:
            raise ValueError(
                f"{name} must be a positive number other than 1 or one of "
                f"'bits', 'nats', 'bans'; got {base!r}"
            ) from None
        return 1.0 if base == math.e else math.log(base)
    if isinstance(base, (bool, np.bool_)) or not isinstance(base, numbers.Real):
        raise ValueError(
            f"{name} must be a positive number other than 1 or one of "
            f"'bits', 'nats', 'bans'; got {base!r}"
        )
    try:
        b = float(base)
    except OverflowError:           # an int beyond the double range, e.g. 10**400
        raise ValueError(f"{name} must be positive, finite and not 1; got {base!r} "
                         f"(beyond the double range)") from None
    if not (b > 0.0 and math.isfinite(b)) or b == 1.0:
        raise ValueError(f"{name} must be positive, finite and not 1; got {base!r}")
    if b == math.e:
        return 1.0
    return math.log(b)


_NAN_POLICIES = ("omit", "propagate", "raise")


def check_nan_policy(nan_policy: str) -> str:
    if nan_policy not in _NAN_POLICIES:
        raise ValueError(
            f"nan_policy must be one of 'omit', 'propagate', 'raise'; got {nan_policy!r}"
        )
    return nan_policy


def normalize_axes(axis: Any, ndim: int) -> Any:
    """Reduced axes as a sorted tuple (all axes for ``None``)."""
    if axis is None:
        return tuple(range(ndim))
    if isinstance(axis, (bool, np.bool_)):
        raise TypeError(f"axis must be None, an int or a tuple of ints; got {axis!r}")
    if isinstance(axis, (tuple, list)):
        axes = tuple(operator.index(a) for a in axis)
    else:
        try:
            axes = (operator.index(axis),)
        except TypeError:
            raise TypeError(
                f"axis must be None, an int or a tuple of ints; got {axis!r}"
            ) from None
    return tuple(sorted(normalize_axis_tuple(axes, ndim, "axis")))


def _aligned(a: np.ndarray) -> np.ndarray:
    """A copy if the kernels cannot read *a* in place (misaligned data or
    strides that are not a multiple of the item size)."""
    if not a.flags.aligned or any(s % a.itemsize for s in a.strides):
        return np.array(a, copy=True)
    return a


def as_kernel_views(arrays: Any, axes: Any) -> Any:
    """Arrange same-shape arrays as 3-D views (K, R, C) for the kernels.

    The kept axes become K, the reduced axes R and C (C the last reduced
    axis).  Views are used where NumPy can reshape without a copy; otherwise
    reshape copies (a contiguous copy where a layout cannot be read in place).
    Returns the views and the shape of the kept axes.
    """
    a0 = arrays[0]
    ndim = a0.ndim
    kept = [i for i in range(ndim) if i not in axes]
    red = list(axes)
    # Reduced axes stay in their logical order (never sorted by stride), so
    # the summation order, hence every bit of the result, depends only on
    # the values and the shape, not on the memory layout (C or Fortran
    # order, strides, byte order): the kernels read any strides.
    order = kept + red
    kshape = tuple(a0.shape[i] for i in kept)
    K = math.prod(kshape)
    rshape = [a0.shape[i] for i in red]
    C = rshape[-1] if rshape else 1
    R = math.prod(rshape[:-1]) if rshape else 1
    views = []
    for a in arrays:
        t = a.transpose(order) if order != list(range(ndim)) else a
        views.append(_aligned(t.reshape(K, R, C)))
    return views, kshape
