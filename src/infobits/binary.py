"""Binary losses: binary cross-entropy and sigmoid focal loss.

The elementwise losses, their sum and (on request) the gradient are
computed in one pass by the compiled kernels of :mod:`infobits._numerics`,
which release the GIL and accumulate in float64 with a fixed summation
order (bitwise identical for any thread count).
"""
from __future__ import annotations

import numbers
from typing import Any, cast

import numpy as np
from numpy.typing import ArrayLike

from . import _numerics
from ._typing import Loss
from ._validation import _aligned, as_float_array

__all__ = ["binary_cross_entropy", "binary_focal_loss"]

_BINARY: dict[np.dtype[Any], Any] = {np.dtype(np.float64): _numerics.binary_f64,
           np.dtype(np.float32): _numerics.binary_f32}
_REDUCTIONS = ("mean", "sum", "none")


def _check_reduction(reduction: Any) -> None:
    if not isinstance(reduction, str) or reduction not in _REDUCTIONS:
        raise ValueError(
            f"reduction must be one of 'mean', 'sum', 'none'; got {reduction!r}"
        )


def _as2d(a: Any) -> Any:
    """(R, C) view with C the last axis (a copy only where needed)."""
    if a.ndim == 0:
        return _aligned(a.reshape(1, 1))
    C = a.shape[-1]
    R = a.size // C if C else int(np.prod(a.shape[:-1]))
    return _aligned(a.reshape(R, C))


def _broadcast_to(v: Any, shape: Any, name: Any, xname: Any) -> Any:
    try:
        return np.broadcast_to(v, shape)
    except ValueError:
        raise ValueError(
            f"{name} with shape {v.shape} cannot be broadcast to the shape "
            f"{shape} of {xname}"
        ) from None


def _real(value: Any, name: Any) -> Any:
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a real number; got {value!r}")
    return float(value)


def _check_probabilities(x: Any, name: Any) -> None:
    """ValueError naming the first entry of *x* outside [0, 1] (NaN passes:
    it gives a NaN loss).  Two reductions that ignore NaN (fmin, fmax), no
    temporaries; the index is searched for only on the error path."""
    if x.size == 0:
        return
    lo = np.fmin.reduce(x, axis=None)
    hi = np.fmax.reduce(x, axis=None)
    if lo >= 0 and hi <= 1:
        return
    if np.isnan(lo):                            # all NaN
        return
    bad = np.flatnonzero((x < 0) | (x > 1))
    idx = np.unravel_index(bad[0], x.shape)
    idx = tuple(int(i) for i in idx)
    where = idx[0] if len(idx) == 1 else idx
    raise ValueError(
        f"{name} must hold probabilities in [0, 1] (or pass from_logits=True "
        f"for logits); got {float(x[idx])!r} at index {where}"
    )


def _run(kind: Any, x: Any, y: Any, xname: Any, *, weight: Any = None, pos_weight: Any = None,
         gamma: Any = 0.0,
         alpha: Any = -1.0, reduction: Any = "mean", return_grad: Any = False) -> Any:
    _check_reduction(reduction)
    x = as_float_array(x, xname)
    dt = x.dtype
    if kind == _numerics.BIN_PROB:
        _check_probabilities(x, xname)
    t = as_float_array(y, "y")
    if t.shape != x.shape:
        raise ValueError(
            f"y has shape {t.shape} but {xname} has shape {x.shape}; "
            f"they must be the same"
        )
    t = t.astype(dt, copy=False)
    w = pw = None
    if weight is not None:
        w = _broadcast_to(as_float_array(weight, "weight").astype(dt, copy=False),
                          x.shape, "weight", xname)
    if pos_weight is not None:
        pw = _broadcast_to(
            as_float_array(pos_weight, "pos_weight").astype(dt, copy=False),
            x.shape, "pos_weight", xname)
    n = x.size
    mean = reduction == "mean"
    gscale = 1.0 / n if (mean and n > 0) else 1.0
    loss: Any = np.empty(n, dtype=dt) if reduction == "none" else None
    grad: Any = np.empty(n, dtype=dt) if return_grad else None
    total = _BINARY[dt](
        kind, gamma, alpha, gscale, _as2d(x), _as2d(t),
        _as2d(w) if w is not None else None,
        _as2d(pw) if pw is not None else None, loss, grad)
    if reduction == "none":
        res = loss.reshape(x.shape)
        if res.ndim == 0:
            res = res[()]
    elif mean:
        res = np.float64(total / n) if n > 0 else np.float64(0.0)
    else:
        res = np.float64(total)
    if return_grad:
        g = grad.reshape(x.shape)
        return res, (g[()] if g.ndim == 0 else g)
    return res


def binary_cross_entropy(y_hat: ArrayLike, y: ArrayLike, *, from_logits: bool = False,
                         weight: ArrayLike | None = None,
                         pos_weight: ArrayLike | None = None, reduction: str = "mean",
                         return_grad: bool = False) -> Loss:
    """Binary cross-entropy between predictions and (soft) binary targets.

    With probabilities :math:`p`, targets :math:`y`, weights :math:`w`
    (``weight``) and positive-class weights :math:`w_+` (``pos_weight``) the
    elementwise loss is

    .. math::

       \\ell = -w \\left[ w_+ \\, y \\log p + (1 - y) \\log(1 - p) \\right] ;

    with logits :math:`x` (PyTorch's ``binary_cross_entropy_with_logits``) it
    is :math:`w \\left[ w_+ \\, y \\operatorname{softplus}(-x) + (1 - y) \\operatorname{softplus}(x) \\right]`,
    computed stably.

    Parameters
    ----------
    y_hat : array_like
        Predicted probabilities of the positive class, or logits when
        ``from_logits=True``.  Any shape.  Probabilities outside [0, 1]
        raise ``ValueError`` naming the first offending index (as PyTorch
        raises); NaN gives a NaN loss.
    y : array_like
        Targets, the same shape as ``y_hat`` (no broadcasting, as in
        PyTorch).  Soft targets (values in or outside [0, 1]) are allowed; a
        NaN target gives a NaN loss.
    from_logits : bool, optional
        Whether ``y_hat`` holds logits (default False: probabilities).
    weight : array_like, optional
        Per-element weights, broadcast to the shape of ``y_hat``.  A weight
        of 0 makes the element's loss and gradient 0, even where the
        unweighted loss is infinite.
    pos_weight : array_like, optional
        Weight of the positive term, broadcast to the shape of ``y_hat`` (so
        a (C,) vector runs along the last, class, axis), as in PyTorch.  Also
        accepted with probabilities (PyTorch has it only with logits).
    reduction : {"mean", "sum", "none"}, optional
        ``"mean"`` (default) divides the sum by the number of elements (an
        empty input gives 0.0); ``"none"`` returns the elementwise losses.
    return_grad : bool, optional
        Also return the gradient with respect to ``y_hat`` (the logits when
        ``from_logits``), computed in the same pass.  With
        ``reduction="none"`` it is the gradient of the sum of the elementwise
        losses.

    Returns
    -------
    loss : numpy.float64 or ndarray
        A float64 scalar for ``"mean"`` and ``"sum"``; for ``"none"`` an array
        with the shape and float dtype of ``y_hat``.
    grad : ndarray
        Only with ``return_grad=True``: shape and float dtype of ``y_hat``.

    Notes
    -----
    Unlike PyTorch there is no clamping of the log at -100: a probability of
    0 for the true outcome gives ``+inf`` (and a gradient of ``-inf``), while
    ``0 log 0`` counts as 0.  From logits the loss is finite for every finite
    logit and exact at the infinities (``x = -inf, y = 0`` gives 0;
    ``x = -inf, y = 1`` gives ``+inf``).  It is summed from non-negative
    terms, so it keeps its relative accuracy where PyTorch's
    ``(1 - y) x + log(1 + exp(-x))`` cancels (for ``x = -32, y = 0`` PyTorch
    is 20% off), and ``log1p(-p)`` replaces ``log(1 - p)`` for
    probabilities.  Targets, weights and ``pos_weight`` are converted to the
    dtype of ``y_hat``.

    Examples
    --------
    >>> import infobits as ib
    >>> p, y = [0.9, 0.2, 0.6], [1.0, 0.0, 1.0]
    >>> print(f"{ib.binary_cross_entropy(p, y):.6f}")
    0.279777
    >>> x = [2.0, -1.0, 0.5]
    >>> print(f"{ib.binary_cross_entropy(x, y, from_logits=True):.6f}")
    0.304756
    >>> loss, grad = ib.binary_cross_entropy(x, y, from_logits=True,
    ...                                      reduction="sum", return_grad=True)
    >>> grad
    array([-0.11920292,  0.26894142, -0.37754067])
    >>> float(ib.binary_cross_entropy([0.0], [1.0]))
    inf
    >>> float(ib.binary_cross_entropy([-1e300], [0.0], from_logits=True))
    0.0
    """
    kind = _numerics.BIN_LOGITS if from_logits else _numerics.BIN_PROB
    return cast("Loss", _run(kind, y_hat, y, "y_hat", weight=weight, pos_weight=pos_weight,
                reduction=reduction, return_grad=return_grad))


def binary_focal_loss(logits: ArrayLike, y: ArrayLike, *, gamma: float = 2.0, alpha: float = 0.25,
                      reduction: str = "mean",
                      return_grad: bool = False) -> Loss:
    """Sigmoid focal loss (Lin et al. 2017), as torchvision's ``sigmoid_focal_loss``.

    Elementwise

    .. math::

       \\ell = \\alpha_t (1 - p_t)^{\\gamma} \\, \\mathrm{BCE}(x, y), \\qquad
       p_t = p y + (1 - p)(1 - y), \\quad \\alpha_t = \\alpha y + (1 - \\alpha)(1 - y)

    with :math:`p = 1 / (1 + e^{-x})` the sigmoid of the logit :math:`x`.

    Parameters
    ----------
    logits : array_like
        Logits ``x``, any shape.
    y : array_like
        Binary (or soft) targets, the same shape as ``logits``.
    gamma : float, optional
        Focusing exponent, ``>= 0`` (default 2).  ``gamma = 0`` gives the
        (alpha-weighted) BCE with logits.
    alpha : float or None, optional
        Weight of the positive class (default 0.25).  ``None`` or a negative
        value disables the weighting, as in torchvision.
    reduction : {"mean", "sum", "none"}, optional
        As in :func:`binary_cross_entropy`.
    return_grad : bool, optional
        Also return the gradient with respect to ``logits``, computed in the
        same pass (for ``"none"`` the gradient of the sum).

    Returns
    -------
    loss : numpy.float64 or ndarray
        A float64 scalar for ``"mean"`` and ``"sum"``; for ``"none"`` an array
        with the shape and float dtype of ``logits``.
    grad : ndarray
        Only with ``return_grad=True``.

    Notes
    -----
    ``1 - p_t`` is computed as ``(1 - y) sigmoid(x) + y sigmoid(-x)``, which
    keeps its relative accuracy for confident predictions (torchvision's
    ``1 - p_t`` cancels), and the loss is finite for every finite logit.

    Examples
    --------
    >>> import infobits as ib
    >>> x, y = [2.0, -1.0, 0.5], [1.0, 0.0, 1.0]
    >>> print(f"{ib.binary_focal_loss(x, y):.6f}")
    0.011446
    >>> print(f"{ib.binary_focal_loss(x, y, gamma=0.0, alpha=None):.6f}")
    0.304756
    """
    g = _real(gamma, "gamma")
    if not (g >= 0.0 and np.isfinite(g)):
        raise ValueError(f"gamma must be a finite number >= 0; got {gamma!r}")
    a = -1.0 if alpha is None else _real(alpha, "alpha")
    if a != a:
        raise ValueError("alpha must not be NaN")
    return cast("Loss", _run(_numerics.BIN_FOCAL, logits, y, "logits", gamma=g, alpha=a,
                reduction=reduction, return_grad=return_grad))
