"""Information measures on probability arrays.

Each function validates its arguments, applies the dtype policy, arranges
the reduced axes last and hands 3-D views to the compiled kernels in
:mod:`infobits._core`.  Results are computed in nats, accumulated in float64
with a fixed pairwise tree, and scaled to ``base`` at the end.
"""
from __future__ import annotations

import math

import numpy as np

from . import _core
from ._validation import (
    as_float_array,
    as_kernel_views,
    check_nan_policy,
    common_float,
    log_base,
    normalize_axes,
)

__all__ = [
    "self_information",
    "entropy",
    "joint_entropy",
    "conditional_entropy",
    "mutual_information",
    "pointwise_mutual_information",
    "kl_divergence",
    "jensen_shannon_divergence",
]

_POLICY = _core.NAN_POLICIES
_REDUCE = {np.dtype(np.float64): _core.reduce_f64, np.dtype(np.float32): _core.reduce_f32}
_LN2 = math.log(2.0)


def _first_invalid(arrays, names):
    """Name and index of the first NaN or negative value (error path only)."""
    for arr, name in zip(arrays, names):
        bad = np.flatnonzero(~(np.asarray(arr) >= 0))
        if bad.size:
            idx = np.unravel_index(bad[0], np.shape(arr))
            idx = tuple(int(i) for i in idx)
            return name, (idx[0] if len(idx) == 1 else idx), np.asarray(arr)[idx]
    return names[0], None, None


def _broadcast(arrays, names):
    try:
        return list(np.broadcast_arrays(*arrays))
    except ValueError:
        shapes = ", ".join(f"{n} {np.shape(a)}" for a, n in zip(arrays, names))
        raise ValueError(f"shapes could not be broadcast together: {shapes}") from None


_FAST_DIVISORS = {2: _LN2, "bits": _LN2, "nats": 1.0}
_F64 = np.dtype(np.float64)


def _fast_1d(term, operands, base, nan_policy):
    """Small-input fast path: 1-D contiguous float64 operands of equal length,
    reduced over everything, a common base.  Returns None when not eligible
    (the general path then handles the call, including every error)."""
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
    arrs = []
    for x in operands:
        a = x if type(x) is np.ndarray else np.asarray(x)
        if a.ndim != 1 or a.dtype != _F64 or not a.flags.c_contiguous or not a.flags.aligned:
            return None
        arrs.append(a)
    if len(arrs) == 2 and arrs[0].shape != arrs[1].shape:
        return None
    try:
        r = _core.reduce1_f64(term, policy, *arrs)
    except _core.InvalidValueError:
        return None  # the general path locates the offending value and raises
    return np.float64(r / divisor if divisor != 1.0 else r)


def _reduce(term, operands, names, *, axis=None, keepdims=False,
            nan_policy="omit", base=2, sign=1.0, originals=None):
    """Run one reduction kernel and shape, scale and sign its result."""
    policy = _POLICY[check_nan_policy(nan_policy)]
    divisor = log_base(base)
    arrays, dt = common_float(operands, names)
    if len(arrays) > 1:
        arrays = _broadcast(arrays, names)
    a0 = arrays[0]
    axes = normalize_axes(axis, a0.ndim)
    views, kshape = as_kernel_views(arrays, axes)
    out = np.empty(math.prod(kshape), dtype=np.float64)
    v = views + [None] * (3 - len(views))
    try:
        _REDUCE[dt](term, policy, v[0], v[1], v[2], out)
    except _core.InvalidValueError:
        src = originals if originals is not None else operands
        name, idx, val = _first_invalid(src, names)
        raise ValueError(
            f"nan_policy='raise': {name} contains an invalid value {val!r} at "
            f"index {idx} (probabilities must be non-negative and not NaN)"
        ) from None
    if sign != 1.0 or divisor != 1.0:
        out *= sign / divisor if divisor != 1.0 else sign
    if keepdims:
        shape = tuple(1 if i in axes else n for i, n in enumerate(a0.shape))
        return out.reshape(shape)
    if not kshape:
        return out[0]
    return out.reshape(kshape)


def self_information(p, *, base=2):
    """Self-information (surprisal) ``-log p`` of each probability.

    Parameters
    ----------
    p : array_like
        Probabilities.  float32 and float64 keep their dtype; bool and
        integers become float64, float16 becomes float32.
    base : float or {"bits", "nats", "bans"} or None, optional
        Log base of the result; default 2 (bits).  ``None`` is the natural log.

    Returns
    -------
    ndarray or numpy scalar
        Elementwise ``-log_base(p)``, with the dtype of ``p``: ``+inf`` where
        ``p == 0`` and NaN where ``p < 0`` or ``p`` is NaN.

    Examples
    --------
    >>> import infobits as ib
    >>> float(ib.self_information(1 / 64))
    6.0
    >>> ib.self_information([0.5, 0.25, 1.0])
    array([1., 2., 0.])

    The card deck of the d2l information-theory chapter: a card, a heart, the 3 of spades.

    >>> [round(float(ib.self_information(p)), 1) for p in (1.0, 1 / 4, 1 / 52)]
    [0.0, 2.0, 5.7]
    """
    divisor = log_base(base)
    arr = as_float_array(p, "p")
    # 0 - log(p) rather than -log(p): a certain event carries +0 bits, not -0
    with np.errstate(divide="ignore", invalid="ignore"):
        if divisor == _LN2:
            out = 0.0 - np.log2(arr)
        elif divisor == math.log(10.0):
            out = 0.0 - np.log10(arr)
        else:
            out = 0.0 - np.log(arr)
            if divisor != 1.0:
                out = out / arr.dtype.type(divisor)
    return out[()] if isinstance(out, np.ndarray) and out.ndim == 0 else out


def entropy(p, *, base=2, axis=None, keepdims=False, nan_policy="omit"):
    """Shannon entropy ``H(P) = -sum p log p``.

    Parameters
    ----------
    p : array_like
        Probabilities (not normalised by this function).
    base : float or {"bits", "nats", "bans"} or None, optional
        Log base of the result; default 2 (bits).
    axis : None or int or tuple of ints, optional
        Axes to sum over; ``None`` (default) sums over all elements.
    keepdims : bool, optional
        Keep the reduced axes with length one, as in NumPy.
    nan_policy : {"omit", "propagate", "raise"}, optional
        ``"omit"`` (default, the d2l chapter's ``nansum``): terms that evaluate to
        NaN (``0 log 0``, NaN entries, negative entries) are left out.
        ``"propagate"``: a NaN or negative entry makes the result NaN, while
        ``0 log 0 = 0``.  ``"raise"``: a NaN or negative entry raises
        ``ValueError`` naming the first offending index.

    Returns
    -------
    numpy.float64 or ndarray of float64
        A scalar when reducing over all elements, else an array.  The sum
        over no terms is 0.

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

    A whole shuffled deck: 52! equally likely orders.

    >>> import math
    >>> round(float(ib.self_information(1 / math.factorial(52))), 1)
    225.6
    """
    if axis is None and not keepdims:
        r = _fast_1d(_core.TERM_ENTR, (p,), base, nan_policy)
        if r is not None:
            return r
    return _reduce(_core.TERM_ENTR, (p,), ("p",), axis=axis, keepdims=keepdims,
                   nan_policy=nan_policy, base=base)


def joint_entropy(p_xy, *, base=2, axis=None, keepdims=False, nan_policy="omit"):
    """Joint entropy ``H(X, Y) = -sum p_xy log p_xy`` of a joint table.

    Parameters
    ----------
    p_xy : array_like
        Joint probabilities, ``p_xy[i, j] = P(X = x_i, Y = y_j)``; any
        number of dimensions.
    base, axis, keepdims, nan_policy
        As in :func:`entropy`.

    Returns
    -------
    numpy.float64 or ndarray of float64

    Examples
    --------
    >>> import infobits as ib
    >>> print(f"{ib.joint_entropy([[0.1, 0.5], [0.1, 0.3]]):.7f}")
    1.6854753

    Per row (the d2l chapter's TensorFlow tab prints float32
    ``[0.8321928, 0.8532826]``):

    >>> ib.joint_entropy([[0.1, 0.5], [0.1, 0.3]], axis=1).round(6)
    array([0.832193, 0.853282])
    """
    return _reduce(_core.TERM_ENTR, (p_xy,), ("p_xy",), axis=axis,
                   keepdims=keepdims, nan_policy=nan_policy, base=base)


def _joint_2d(p_xy, who):
    arr = as_float_array(p_xy, "p_xy")
    if arr.ndim != 2:
        raise ValueError(
            f"{who} without marginals needs a 2-D p_xy (X along axis 0, Y "
            f"along axis 1); got shape {arr.shape}"
        )
    return arr


def _marginal(p_xy_2d, axis):
    """Row sums (axis=1, column vector) or column sums (axis=0, row)."""
    return np.sum(p_xy_2d, axis=axis, keepdims=True, dtype=np.float64).astype(
        p_xy_2d.dtype, copy=False
    )


def _with_marginals(p_xy, p_x, p_y, who):
    """(p_xy, p_x, p_y) with missing marginals derived from a 2-D joint, and
    the arrays to search for an invalid value (a derived marginal is
    reported as the joint it came from)."""
    if p_x is not None and p_y is not None:
        return (p_xy, p_x, p_y), None
    arr = _joint_2d(p_xy, who)
    px = _marginal(arr, 1) if p_x is None else p_x
    py = _marginal(arr, 0) if p_y is None else p_y
    originals = (arr, arr if p_x is None else p_x, arr if p_y is None else p_y)
    return (arr, px, py), originals


def conditional_entropy(p_xy, p_x=None, *, base=2, nan_policy="omit"):
    """Conditional entropy ``H(Y | X) = -sum p_xy log(p_xy / p_x)``.

    Parameters
    ----------
    p_xy : array_like
        Joint probabilities with X along axis 0 and Y along axis 1.
    p_x : array_like, optional
        Marginal of X.  ``None`` derives it from a 2-D ``p_xy`` (row sums).
        A given marginal is used as it is, with NumPy broadcasting against
        ``p_xy``, as in the d2l chapter's formula: a 1-D ``p_x`` broadcasts along
        the last axis; pass ``p_x[:, None]`` for a column.
    base : float or {"bits", "nats", "bans"} or None, optional
        Log base; default 2.
    nan_policy : {"omit", "propagate", "raise"}, optional
        As in :func:`entropy`, applied to ``p_xy`` and ``p_x``.

    Returns
    -------
    numpy.float64

    Examples
    --------
    >>> import infobits as ib
    >>> print(f"{ib.conditional_entropy([[0.1, 0.5], [0.2, 0.3]], [0.2, 0.8]):.7f}")
    0.8635472

    With the marginal derived from the joint, ``H(Y|X) = H(X,Y) - H(X)``:

    >>> import numpy as np
    >>> p = np.array([[0.1, 0.5], [0.2, 0.2]])
    >>> bool(np.isclose(ib.conditional_entropy(p),
    ...                 ib.joint_entropy(p) - ib.entropy(p.sum(axis=1))))
    True
    """
    if p_x is None:
        arr = _joint_2d(p_xy, "conditional_entropy")
        px = _marginal(arr, 1)
        return _reduce(_core.TERM_KL, (arr, px), ("p_xy", "p_x"),
                       nan_policy=nan_policy, base=base, sign=-1.0,
                       originals=(arr, arr))
    return _reduce(_core.TERM_KL, (p_xy, p_x), ("p_xy", "p_x"),
                   nan_policy=nan_policy, base=base, sign=-1.0)


def mutual_information(p_xy, p_x=None, p_y=None, *, base=2, nan_policy="omit"):
    """Mutual information ``I(X; Y) = sum p_xy log(p_xy / (p_x p_y))``.

    Parameters
    ----------
    p_xy : array_like
        Joint probabilities with X along axis 0 and Y along axis 1.
    p_x, p_y : array_like, optional
        Marginals.  One left as ``None`` is derived from a 2-D ``p_xy``
        (``p_x`` = row sums as a column, ``p_y`` = column sums as a row).
        Given marginals are used as they are, with NumPy broadcasting
        against ``p_xy`` (the d2l chapter's formula).
    base : float or {"bits", "nats", "bans"} or None, optional
        Log base; default 2.
    nan_policy : {"omit", "propagate", "raise"}, optional
        As in :func:`entropy`, applied to all three operands.

    Returns
    -------
    numpy.float64

    Examples
    --------
    >>> import infobits as ib
    >>> print(f"{ib.mutual_information([[0.1, 0.5], [0.1, 0.3]], [0.2, 0.8], [[0.75, 0.25]]):.7f}")
    0.7194603

    Independent variables share no information; a copy shares all of it:

    >>> import numpy as np
    >>> float(ib.mutual_information(np.outer([0.5, 0.5], [0.25, 0.75])))
    0.0
    >>> round(float(ib.mutual_information(np.diag([0.25, 0.25, 0.5]))), 12)
    1.5
    """
    ops, originals = _with_marginals(p_xy, p_x, p_y, "mutual_information")
    return _reduce(_core.TERM_MI, ops, ("p_xy", "p_x", "p_y"),
                   nan_policy=nan_policy, base=base, originals=originals)


def pointwise_mutual_information(p_xy, p_x=None, p_y=None, *, base=2, normalized=False):
    """Pointwise mutual information ``log(p_xy / (p_x p_y))``, elementwise.

    Parameters
    ----------
    p_xy : array_like
        Joint probabilities with X along axis 0 and Y along axis 1.
    p_x, p_y : array_like, optional
        Marginals, derived from a 2-D ``p_xy`` when ``None``; given ones
        broadcast against ``p_xy`` as in :func:`mutual_information`.
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
    ops, _ = _with_marginals(p_xy, p_x, p_y, "pointwise_mutual_information")
    (a, bx, by), _ = common_float(ops, ("p_xy", "p_x", "p_y"))
    _broadcast((a, bx, by), ("p_xy", "p_x", "p_y"))
    divisor = 1.0 if normalized else log_base(base)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = a / (bx * by)
        if divisor == _LN2:
            pmi = np.log2(ratio)
        else:
            pmi = np.log(ratio)
            if divisor != 1.0:
                pmi = pmi / a.dtype.type(divisor)
        if normalized:
            h = -np.log(a)
            pmi = np.where(a == 0, -1.0, np.where(a == 1, 1.0, pmi / h)).astype(a.dtype)
    return pmi[()] if pmi.ndim == 0 else pmi


def kl_divergence(p, q, *, base=2, axis=None, keepdims=False, nan_policy="omit"):
    """Kullback-Leibler divergence ``D(P || Q) = sum p log(p / q)``.

    Parameters
    ----------
    p, q : array_like
        Probabilities, broadcast against each other.
    base : float or {"bits", "nats", "bans"} or None, optional
        Log base; default 2.
    axis, keepdims : optional
        As in :func:`entropy`.
    nan_policy : {"omit", "propagate", "raise"}, optional
        ``"omit"`` (default) drops every term the d2l chapter's formula makes NaN
        (``p/q < 0``, NaN operands, ``0 log(0/0)``); ``"propagate"`` makes
        NaN or negative inputs give NaN while ``0 log(0/q) = 0``;
        ``"raise"`` raises ``ValueError`` for them.

    Returns
    -------
    numpy.float64 or ndarray of float64
        The signed sum: unlike the d2l chapter's code it does not take an absolute
        value (for distributions KL >= 0 already).  ``p > 0`` with
        ``q == 0`` gives ``+inf``.

    Examples
    --------
    >>> import infobits as ib
    >>> float(ib.kl_divergence([0.5, 0.5], [0.25, 0.75]).round(7))
    0.2075187
    >>> float(ib.kl_divergence([0.5, 0.5], [1.0, 0.0]))
    inf
    >>> float(ib.kl_divergence([1.0, 0.0], [0.5, 0.5]))
    1.0

    The d2l chapter's asymmetry example on sorted samples (signed sums):

    >>> import numpy as np
    >>> rng = np.random.default_rng(1)
    >>> p, q1, q2 = (np.sort(rng.normal(m, 1, 10_000)) for m in (0, -1, 1))
    >>> kl_pq1, kl_pq2 = abs(ib.kl_divergence(p, q1)), abs(ib.kl_divergence(p, q2))
    >>> bool(abs(kl_pq1 - kl_pq2) / ((kl_pq1 + kl_pq2) / 2) < 0.05)
    True
    """
    if axis is None and not keepdims:
        r = _fast_1d(_core.TERM_KL, (p, q), base, nan_policy)
        if r is not None:
            return r
    return _reduce(_core.TERM_KL, (p, q), ("p", "q"), axis=axis, keepdims=keepdims,
                   nan_policy=nan_policy, base=base)


def jensen_shannon_divergence(p, q, *, base=2, axis=None, keepdims=False):
    """Jensen-Shannon divergence ``KL(p || m)/2 + KL(q || m)/2``, ``m = (p+q)/2``.

    Parameters
    ----------
    p, q : array_like
        Probabilities, broadcast against each other (not normalised here).
    base : float or {"bits", "nats", "bans"} or None, optional
        Log base; default 2, where the divergence of distributions lies in
        [0, 1].
    axis, keepdims : optional
        As in :func:`entropy`.

    Returns
    -------
    numpy.float64 or ndarray of float64
        Never negative (rounding below zero is clipped to 0).  A NaN or
        negative input gives NaN; ``0 log 0 = 0``.  This is the divergence,
        the square of SciPy's ``jensenshannon`` distance.

    Examples
    --------
    >>> import infobits as ib
    >>> float(ib.jensen_shannon_divergence([1.0, 0.0], [0.0, 1.0]))
    1.0
    >>> float(ib.jensen_shannon_divergence([0.3, 0.7], [0.3, 0.7]))
    0.0
    """
    out = _reduce(_core.TERM_JS, (p, q), ("p", "q"), axis=axis, keepdims=keepdims,
                  nan_policy="propagate", base=base)
    return np.maximum(out, 0.0)
