"""Multiclass losses: cross-entropy, NLL, focal, perplexity.

Each function checks its arguments, converts the labels to int64 and hands
(N, K) rows to the fused row kernels of :mod:`infobits._losses`.  A kernel
computes the row's maximum, ``exp(x - max)`` and their sum, the row loss and
(optionally) the gradient in one pass over the row; the row losses are summed
in float64 with a fixed pairwise tree, so results do not depend on the
thread count.  The binary losses live in :mod:`infobits.binary`.
"""
from __future__ import annotations

import numbers
import operator
from typing import Any, cast

import numpy as np
from numpy.typing import ArrayLike

from . import _losses
from ._typing import Base, Loss
from ._validation import as_float_array, log_base, unmasked
from .binary import _check_probabilities

__all__ = ["cross_entropy", "nll_loss", "focal_loss", "perplexity"]

_REDUCTIONS = ("mean", "sum", "none")
_KERNEL: dict[Any, Any] = {
    np.dtype(np.float64): _losses.loss_f64,
    np.dtype(np.float32): _losses.loss_f32,
}
_INT64_MIN = -(2**63)
_INT64_MAX = 2**63 - 1


# --------------------------------------------------------------------------
# argument checking


def _check_reduction(reduction: Any) -> Any:
    if not isinstance(reduction, str) or reduction not in _REDUCTIONS:
        raise ValueError(
            f"reduction must be one of 'mean', 'sum', 'none'; got {reduction!r}"
        )
    return reduction


def _real(value: Any, name: Any) -> Any:
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a real number; got {value!r}")
    return float(value)


def _check_smoothing(label_smoothing: Any) -> Any:
    eps = _real(label_smoothing, "label_smoothing")
    if not 0.0 <= eps <= 1.0:  # also rejects NaN
        raise ValueError(
            f"label_smoothing must be in [0, 1]; got {label_smoothing!r}"
        )
    return eps


def _check_ignore(ignore_index: Any) -> Any:
    if ignore_index is None:
        return False, 0
    if isinstance(ignore_index, (bool, np.bool_)):
        raise TypeError(f"ignore_index must be None or an int; got {ignore_index!r}")
    try:
        v = operator.index(ignore_index)
    except TypeError:
        raise TypeError(
            f"ignore_index must be None or an int; got {ignore_index!r}"
        ) from None
    if not _INT64_MIN <= v <= _INT64_MAX:
        raise ValueError(f"ignore_index must fit in int64; got {v}")
    return True, v


def _predictions(y_hat: Any, name: Any) -> Any:
    x = as_float_array(y_hat, name)
    if x.ndim not in (1, 2):
        raise ValueError(
            f"{name} must have shape (N, K), or (K,) for one sample; got shape "
            f"{x.shape}"
        )
    return x


def _rows_view(a: Any) -> Any:
    """*a* (2-D) if the kernels can read its rows in place, else a C copy."""
    if (
        (a.shape[1] > 1 and a.strides[1] != a.itemsize)
        or not a.flags.aligned
        or a.strides[0] % a.itemsize
    ):
        return np.ascontiguousarray(a)
    return a


def _class_vector(v: Any, K: Any, name: Any) -> Any:
    a = as_float_array(v, name)
    if a.shape != (K,):
        raise ValueError(
            f"{name} must have shape ({K},), one value per class; got shape "
            f"{a.shape}"
        )
    return np.ascontiguousarray(a, dtype=np.float64)


def _labels(ya: Any, has_ignore: Any, ignore: Any) -> Any:
    """int64 copy (or view) of integer labels of any integer dtype."""
    dt = ya.dtype
    if dt.kind not in "iu":
        raise TypeError(
            "y must hold integer class labels (any integer dtype), or be soft "
            f"targets of the same shape as the predictions; got dtype {dt} "
            f"with shape {ya.shape}"
        )
    ya = ya.reshape(-1)
    if dt == np.uint64 and ya.size and int(ya.max()) > _INT64_MAX:
        # Values beyond int64 are out of range: map them to a negative
        # sentinel that is not the ignore value, so the kernel reports them.
        lab = ya.astype(np.int64)
        sentinel = -2 if has_ignore and ignore == -1 else -1
        lab[ya > np.uint64(_INT64_MAX)] = sentinel
        return lab
    return np.ascontiguousarray(ya, dtype=np.int64)


def _label_error(ya: Any, row: Any, K: Any, one: Any) -> Any:
    val = ya.reshape(-1)[row].item()
    if one:
        msg = f"y is the class label {val}, outside [0, {K}) for K = {K} classes"
    else:
        msg = (
            f"y contains the class label {val} at position {row}, outside "
            f"[0, {K}) for K = {K} classes"
        )
    return IndexError(msg)


# --------------------------------------------------------------------------
# the shared driver


def _check_read_probabilities(x2: Any, lab: Any, eps: Any, has_ignore: Any, ignore: Any, one: Any,
                              name: str) -> None:
    """ValueError naming the first probability the loss read that lies
    outside [0, 1] (NaN passes and gives NaN, as in binary_cross_entropy).
    With class labels and no smoothing only the labels' entries are read,
    so only they are checked (O(N)); otherwise the whole table."""
    if lab is None or eps != 0.0:
        _check_probabilities(x2[0] if one else x2, name)
        return
    rows = np.arange(x2.shape[0])
    if has_ignore:
        rows = rows[lab != ignore]
    if rows.size == 0:
        return
    vals = x2[rows, lab[rows]]
    with np.errstate(invalid="ignore"):
        bad = np.flatnonzero((vals < 0) | (vals > 1))
    if bad.size:
        raise _probability_error(x2, lab, int(rows[bad[0]]), one, name)


def _probability_error(x2: Any, lab: Any, i: int, one: Any, name: str) -> ValueError:
    """The ValueError for row i's labelled probability outside [0, 1]."""
    where = int(lab[i]) if one else (i, int(lab[i]))
    return ValueError(
        f"{name} must hold probabilities in [0, 1] (or pass from_logits=True "
        f"for logits); got {float(x2[i, lab[i]])!r} at index {where}"
    )


def _run(kind: Any, mode: Any, y_hat: Any, y: Any, *, pred_name: Any = "y_hat", weight: Any = None,
         ignore_index: int | None = None, eps: Any = 0.0, reduction: Any = "mean", divisor: Any = 1.0,
         return_grad: Any = False, allow_soft: Any = True, gamma: Any = 0.0,
         alpha: Any = None) -> Any:
    _check_reduction(reduction)
    has_ignore, ignore = _check_ignore(ignore_index)
    x = _predictions(y_hat, pred_name)
    one = x.ndim == 1
    K = x.shape[-1]
    N = 1 if one else x.shape[0]
    ya = np.asarray(unmasked(y, "y"))
    if ya.dtype.kind == "c":
        raise TypeError(f"y must be real (class labels or probabilities); got dtype {ya.dtype}")
    soft_ndim = 1 if one else 2
    if allow_soft and ya.ndim == soft_ndim:
        soft = True
        if ya.shape != x.shape:
            raise ValueError(
                f"soft targets y must have the shape of {pred_name} {x.shape}; "
                f"got shape {ya.shape}"
            )
    elif ya.ndim == soft_ndim - 1:
        soft = False
        if not one and ya.shape[0] != N:
            raise ValueError(
                f"y has {ya.shape[0]} labels but {pred_name} has {N} rows "
                f"(shape {x.shape})"
            )
    else:
        if one:
            want = "a class label (an integer scalar)"
            if allow_soft:
                want += f" or soft targets of shape ({K},)"
        else:
            want = f"class labels of shape ({N},)"
            if allow_soft:
                want += f" or soft targets of shape {x.shape}"
        raise ValueError(
            f"y must be {want} for {pred_name} of shape {x.shape}; got shape "
            f"{ya.shape}"
        )

    t2 = lab = None
    dt = x.dtype
    if soft:
        if has_ignore:
            raise ValueError(
                "ignore_index applies to class labels; it cannot be used with "
                "soft targets"
            )
        t = as_float_array(ya, "y")
        # float targets promote with the predictions (NumPy rules); integer
        # or bool targets (one-hot tables) take the predictions' dtype.
        dt = np.result_type(x.dtype, t.dtype) if ya.dtype.kind == "f" else x.dtype
        t = t.astype(dt, copy=False)
        t2 = _rows_view(t[None, :] if one else t)
    else:
        lab = _labels(ya, has_ignore, ignore)
    x = x.astype(dt, copy=False)
    x2 = _rows_view(x[None, :] if one else x)

    w = wsum = None
    if weight is not None:
        w = _class_vector(weight, K, "weight")
        wsum = float(np.sum(w))
    alpha_s, alpha_v = 1.0, None
    if alpha is not None:
        if np.ndim(alpha) == 0:
            alpha_s = _real(alpha.item() if isinstance(alpha, np.ndarray) else alpha, "alpha")
        else:
            alpha_v = _class_vector(alpha, K, "alpha")

    # Denominator of the mean, known before the pass so the gradient can be
    # scaled in it.  Without a gradient or weights it is the count of
    # non-ignored labels, which the kernel takes in its own pass (den None).
    nvalid = N
    if reduction == "mean":
        if (lab is not None and kind != _losses.LOSS_FOCAL and w is None
                and not return_grad):
            den = None
        elif lab is not None and kind != _losses.LOSS_FOCAL:
            try:
                den, nvalid = _losses.label_denominator(K, lab, w, has_ignore, ignore)
            except _losses.LabelError as exc:
                raise _label_error(ya, exc.args[1], K, one) from None
        else:
            den = float(N)
    else:
        den = 1.0
    if den is None:
        gscale = 1.0   # (no gradient)
    elif nvalid == 0:
        gscale = 0.0
    elif den == 0.0:
        gscale = float("nan")
    else:
        gscale = 1.0 / den
    if divisor != 1.0:
        gscale /= divisor

    grad: Any = np.empty((N, K), dtype=dt) if return_grad else None
    rows: Any = np.empty(N, dtype=np.float64) if reduction == "none" else None
    try:
        total, counted, checked = _KERNEL[dt](
            kind, mode, x2, lab, t2, w, K if wsum is None else wsum,
            has_ignore, ignore, eps, gamma, alpha_s, alpha_v, gscale, grad, rows,
        )
    except _losses.LabelError as exc:
        raise _label_error(ya, exc.args[1], K, one) from None
    except _losses.ProbabilityError as exc:
        raise _probability_error(x2, lab, exc.args[1], one, pred_name) from None
    if mode == _losses.IN_PROBS and not checked:
        _check_read_probabilities(x2, lab, eps, has_ignore, ignore, one, pred_name)
    if den is None:
        nvalid = counted
        den = float(counted)

    if reduction == "none":
        if divisor != 1.0:
            rows /= divisor
        out = rows.astype(dt, copy=False)
        loss = out[0] if one else out
    elif reduction == "sum":
        loss = np.float64(total / divisor)
    else:
        if nvalid == 0:
            loss = np.float64(0.0)
        else:
            with np.errstate(divide="ignore", invalid="ignore"):
                loss = np.float64(total) / np.float64(den) / np.float64(divisor)
    if return_grad:
        return loss, (grad[0] if one else grad)
    return loss


# --------------------------------------------------------------------------
# public API


def cross_entropy(y_hat: ArrayLike, y: ArrayLike, *, from_logits: bool = False,
                  weight: ArrayLike | None = None, ignore_index: int | None = None,
                  label_smoothing: float = 0.0, reduction: str = "mean", base: Base = None,
                  return_grad: bool = False) -> Loss:
    """Cross-entropy loss of predictions against class labels or soft targets.

    For a row with target distribution :math:`t` and predicted distribution
    :math:`q` over :math:`K` classes, with class weights :math:`w`, the loss is

    .. math::

       \\ell = -\\sum_{k=1}^{K} w_k \\, t_k \\log q_k ;

    with a class label :math:`y`, :math:`t` is one-hot, after label smoothing
    :math:`t = (1 - \\varepsilon)\\, \\mathrm{onehot}(y) + \\varepsilon / K`.  This is
    PyTorch's ``torch.nn.functional.cross_entropy`` with the same options,
    and for probabilities the d2l chapter's ``-log(y_hat[range(N), y]).mean()``.

    Parameters
    ----------
    y_hat : array_like, shape (N, K) or (K,)
        Predicted probabilities, or logits when ``from_logits=True``.  A 1-D
        array is one sample.  float32 and float64 are computed natively;
        other real dtypes follow the package's dtype policy.
    y : array_like
        Class labels of shape (N,) (a scalar for a 1-D ``y_hat``) of any
        integer dtype, or target probabilities (soft targets) of the same
        shape as ``y_hat``.  A label outside ``[0, K)`` that is not
        ``ignore_index`` raises ``IndexError`` naming the label and its
        position; float labels raise ``TypeError``.
    from_logits : bool, optional
        ``y_hat`` holds logits: the loss is computed stably as
        ``logsumexp(x) - x_y`` (never as the log of a softmax).
    weight : array_like, shape (K,), optional
        Class weights ``w``.  With class labels, ``reduction="mean"`` divides
        by the summed weights of the non-ignored targets; with soft targets
        it divides by N (PyTorch's semantics).
    ignore_index : int, optional
        Label value whose rows contribute no loss and no gradient (labels
        only).  The default ``None`` ignores nothing (PyTorch's default is
        -100): a label of -100 is then out of range.
    label_smoothing : float in [0, 1], optional
        ``eps``: the target becomes ``(1 - eps) t + eps / K``; the class
        weights apply inside the smoothing sum, as in PyTorch.
    reduction : {"mean", "sum", "none"}, optional
        A mean over zero non-ignored samples is 0.0 (with a zero gradient).
        If there are some but their class weights sum to 0 the mean is NaN,
        as in PyTorch.  ``"none"`` returns the per-sample losses in the
        dtype of ``y_hat``.
    base : float or {"bits", "nats", "bans"} or None, optional
        Log base of the result; default ``None``, nats.
    return_grad : bool, optional
        Also return the gradient of the loss with respect to ``y_hat`` (the
        logits when ``from_logits``), computed in the same pass.  With
        ``reduction="none"`` row ``i`` of the gradient is the gradient of
        loss ``i``.

    Returns
    -------
    loss : numpy.float64, or ndarray of shape (N,) for ``reduction="none"``
    grad : ndarray of the shape and dtype of ``y_hat``
        Only with ``return_grad=True``.  From logits it is
        ``(sum_k w_k t_k) softmax - w t`` times the reduction's scale; from
        probabilities ``-w_k t_k / q_k`` (``-inf`` where a target has mass
        but ``q_k == 0``).

    Notes
    -----
    There is no clamping: a probability of 0 for the true class gives
    ``+inf``; a probability read by the loss that lies outside [0, 1]
    raises ``ValueError`` naming its index (NaN gives NaN); from logits a label whose logit is ``-inf`` gives ``+inf``.
    A term whose target weight ``w_k t_k`` is 0 contributes 0 even where
    ``log q_k = -inf`` (the ``0 log 0 = 0`` convention; PyTorch gives NaN
    there).  Logits with ``k`` entries equal to ``+inf`` give those entries
    probability ``1/k``; a row of all ``-inf`` logits, or any NaN, gives NaN.
    From probabilities with class labels and no smoothing only the label's
    probability is read (``-log y_hat[i, y_i]``, the d2l chapter's definition).
    Per-sample losses are computed and summed in float64 for float32 input
    too; the gradient keeps the input's dtype.  For float32 logits the
    exponentials ``exp(x - max)`` are evaluated in single precision (within
    1 ulp, with ``x - max`` taken exactly) and summed in float64, so row
    losses are within about 1 float32 ulp and gradients within 2 float32
    ulps of a float64 computation on the same float32 values.

    Examples
    --------
    The d2l chapter's example, with predicted probabilities:

    >>> import numpy as np
    >>> import infobits as ib
    >>> preds = np.array([[0.3, 0.6, 0.1], [0.2, 0.3, 0.5]])
    >>> labels = np.array([0, 2])
    >>> print(f"{ib.cross_entropy(preds, labels):.5f}")
    0.94856

    From logits (PyTorch's convention), with the gradient:

    >>> logits = np.log(preds)
    >>> loss, grad = ib.cross_entropy(logits, labels, from_logits=True,
    ...                               return_grad=True)
    >>> print(f"{loss:.5f}")
    0.94856
    >>> grad.round(3)
    array([[-0.35,  0.3 ,  0.05],
           [ 0.1 ,  0.15, -0.25]])

    Weights, ignored labels and label smoothing combine as in PyTorch:

    >>> ib.cross_entropy(logits, [0, -100], from_logits=True,
    ...                  ignore_index=-100).round(5)
    np.float64(1.20397)
    >>> ib.cross_entropy(preds, labels, weight=[1.0, 1.0, 3.0],
    ...                  label_smoothing=0.1, reduction="none").round(5)
    array([1.37099, 2.03459])

    For 1-D distributions ``p`` and ``q``, ``cross_entropy(q, p, base=2)`` is
    the cross-entropy H(P, Q) in bits:

    >>> float(ib.cross_entropy([0.5, 0.25, 0.25], [0.5, 0.25, 0.25], base=2))
    1.5
    """
    if (from_logits is True and weight is None and ignore_index is None
            and base is None and reduction == "mean" and type(return_grad) is bool
            and type(label_smoothing) in (float, int) and label_smoothing == 0):
        # the common training-loop call: one compiled call (None if the
        # inputs are not plain (N, K) float and (N,) int64 arrays)
        res = _losses.ce_logits_mean(y_hat, y, return_grad)
        if res is not None:
            return cast("Loss", res)
    if not isinstance(from_logits, (bool, np.bool_)):
        raise TypeError(f"from_logits must be a bool; got {from_logits!r}")
    eps = _check_smoothing(label_smoothing)
    divisor = log_base(base)
    mode = _losses.IN_LOGITS if from_logits else _losses.IN_PROBS
    return cast("Loss", _run(_losses.LOSS_CE, mode, y_hat, y, weight=weight,
                ignore_index=ignore_index, eps=eps, reduction=reduction,
                divisor=divisor, return_grad=bool(return_grad)))


def nll_loss(log_probs: ArrayLike, y: ArrayLike, *, weight: ArrayLike | None = None,
             ignore_index: int | None = None, reduction: str = "mean") -> Loss:
    """Negative log-likelihood loss of log-probabilities.

    .. math::

       \\ell_n = -w_{y_n} \\log q_{n, y_n}

    for row :math:`n` with label :math:`y_n`, where :math:`\\log q` is ``log_probs`` and :math:`w` the class ``weight``.

    ``nll_loss(log_softmax(x), y)`` equals ``cross_entropy(x, y,
    from_logits=True)``, and ``nll_loss(log(p), y)`` equals
    ``cross_entropy(p, y)``: NLL and cross-entropy are the same loss for
    class labels.  This is ``torch.nn.functional.nll_loss``.

    Parameters
    ----------
    log_probs : array_like, shape (N, K) or (K,)
        Log-probabilities (for example the output of a log-softmax).
    y : array_like, shape (N,) or scalar
        Class labels of any integer dtype.  A label outside ``[0, K)`` that
        is not ``ignore_index`` raises ``IndexError`` naming the label and
        its position.
    weight : array_like, shape (K,), optional
        Class weights; ``reduction="mean"`` divides by the summed weights of
        the non-ignored targets.
    ignore_index : int, optional
        Label value whose rows contribute nothing; ``None`` (default)
        ignores nothing.
    reduction : {"mean", "sum", "none"}, optional
        A mean over zero non-ignored samples is 0.0.

    Returns
    -------
    numpy.float64, or ndarray of shape (N,) for ``reduction="none"``

    Examples
    --------
    >>> import numpy as np
    >>> import infobits as ib
    >>> preds = np.array([[0.3, 0.6, 0.1], [0.2, 0.3, 0.5]])
    >>> labels = np.array([0, 2])
    >>> print(f"{ib.nll_loss(np.log(preds), labels):.5f}")
    0.94856
    >>> bool(np.isclose(ib.nll_loss(np.log(preds), labels),
    ...                 ib.cross_entropy(preds, labels)))
    True
    >>> ib.nll_loss(np.log(preds), labels, reduction="none").round(5)
    array([1.20397, 0.69315])
    >>> float(ib.nll_loss(np.log(preds), [-1, -1], ignore_index=-1))
    0.0
    """
    return cast("Loss", _run(_losses.LOSS_NLL, _losses.IN_LOGPROBS, log_probs, y,
                pred_name="log_probs", weight=weight, ignore_index=ignore_index,
                reduction=reduction, allow_soft=False))


def focal_loss(y_hat: ArrayLike, y: ArrayLike, *, gamma: float = 2.0, alpha: ArrayLike | None = None,
               from_logits: bool = True,
               reduction: str = "mean", return_grad: bool = False) -> Loss:
    """Multiclass (softmax) focal loss.

    .. math::

       \\ell_n = -\\alpha_{y_n} (1 - q_{n, y_n})^{\\gamma} \\log q_{n, y_n}

    for row :math:`n` with label :math:`y_n` and predicted probabilities :math:`q_n`.

    The focal loss of Lin et al. (2017) as in the d2l chapter: cross-entropy
    down-weighted by ``(1 - p_y)^gamma`` for well-classified samples.
    ``gamma=0`` and ``alpha=None`` give the cross-entropy.

    Parameters
    ----------
    y_hat : array_like, shape (N, K) or (K,)
        Logits (default) or probabilities when ``from_logits=False``.
    y : array_like, shape (N,) or scalar
        Class labels of any integer dtype, in ``[0, K)``.
    gamma : float, optional
        Focusing parameter, ``>= 0``; default 2.
    alpha : float or array_like of shape (K,), optional
        Weighting factor: a scalar for every class or one per class
        (``alpha_y``).  ``None`` (default) is 1.
    from_logits : bool, optional
        ``y_hat`` holds logits (default ``True``); ``p_y`` is then the
        softmax probability, computed stably.
    reduction : {"mean", "sum", "none"}, optional
        ``"mean"`` divides the summed loss by N, the number of samples
        (alpha does not enter the denominator).
    return_grad : bool, optional
        Also return the gradient with respect to ``y_hat``, computed in the
        same pass.

    Returns
    -------
    loss : numpy.float64, or ndarray of shape (N,) for ``reduction="none"``
    grad : ndarray of the shape and dtype of ``y_hat``
        Only with ``return_grad=True``.

    Examples
    --------
    >>> import numpy as np
    >>> import infobits as ib
    >>> logits = np.array([[2.0, 1.0, 0.5], [0.5, 2.5, 1.0]])
    >>> labels = np.array([0, 1])
    >>> print(f"{ib.focal_loss(logits, labels):.6f}")
    0.042705
    >>> print(f"{ib.focal_loss(logits, labels, gamma=0.0):.6f}")
    0.385362
    >>> print(f"{ib.cross_entropy(logits, labels, from_logits=True):.6f}")
    0.385362
    >>> ib.focal_loss(logits, labels, alpha=[0.25, 0.75, 0.5],
    ...               reduction="none").round(6)
    array([0.016019, 0.015999])
    """
    g = _real(gamma, "gamma")
    if not (g >= 0.0 and np.isfinite(g)):
        raise ValueError(f"gamma must be a finite number >= 0; got {gamma!r}")
    if not isinstance(from_logits, (bool, np.bool_)):
        raise TypeError(f"from_logits must be a bool; got {from_logits!r}")
    mode = _losses.IN_LOGITS if from_logits else _losses.IN_PROBS
    return cast("Loss", _run(_losses.LOSS_FOCAL, mode, y_hat, y, reduction=reduction,
                return_grad=bool(return_grad), allow_soft=False, gamma=g,
                alpha=alpha))


def perplexity(y_hat: ArrayLike, y: ArrayLike, *, from_logits: bool = False,
               ignore_index: int | None = None) -> np.float64:
    """Perplexity: the exponential of the mean cross-entropy in nats.

    .. math::

       \\mathrm{PP} = \\exp\\Big(-\\frac{1}{N} \\sum_{n=1}^{N} \\log q_{n, y_n}\\Big)

    Parameters
    ----------
    y_hat : array_like, shape (N, K) or (K,)
        Predicted probabilities, or logits when ``from_logits=True``.
    y : array_like
        Class labels (any integer dtype) or soft targets, as in
        :func:`cross_entropy`.
    from_logits : bool, optional
        ``y_hat`` holds logits.
    ignore_index : int, optional
        Label value left out of the mean.  With every label ignored the mean
        is 0 and the perplexity 1.

    Returns
    -------
    numpy.float64

    Examples
    --------
    A uniform guess over K classes has perplexity K:

    >>> import numpy as np
    >>> import infobits as ib
    >>> float(ib.perplexity(np.full((3, 4), 0.25), [0, 1, 3]))
    4.0
    >>> preds = np.array([[0.3, 0.6, 0.1], [0.2, 0.3, 0.5]])
    >>> print(f"{ib.perplexity(preds, [0, 2]):.5f}")
    2.58199
    """
    ce = cross_entropy(y_hat, y, from_logits=from_logits,
                       ignore_index=ignore_index, reduction="mean")
    with np.errstate(over="ignore"):
        return cast("np.float64", np.exp(np.float64(cast(float, ce))))
