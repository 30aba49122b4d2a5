"""Thin signature shims: SciPy's and scikit-learn's function names mapped
onto infobits, so that their own test files run against infobits.

Only the calling conventions are adapted (no numerical work is done here
beyond what the convention requires):

* ``logsumexp``: infobits' is a drop-in (same signature).
* ``softmax`` / ``log_softmax``: SciPy's default ``axis=None`` means the
  whole array; infobits' default is the last axis, so ``axis=None`` is
  passed as all axes.
* ``stats.entropy(pk, qk=None, base=None, axis=0)``: SciPy normalizes pk
  and qk along ``axis`` and defaults to nats; infobits defaults to bits and
  to probabilities, so the shim passes ``normalize=True`` (SciPy's
  ``pk / sum(pk)``) and ``base=None`` (natural log) unless a base is given,
  and calls ``entropy`` or ``kl_divergence``.
* ``stats.differential_entropy(values, window_length=None, base=None,
  axis=0, method="auto")``: samples are moved to axis 0 (infobits' sample
  axis), base defaults to e.
* ``special.entr`` / ``special.rel_entr``: elementwise terms, as one-element
  reductions of ``entropy`` / ``kl_divergence`` in nats (the term is all a
  one-element sum holds).
* scikit-learn's ``mutual_info_regression`` / ``mutual_info_classif``:
  infobits' drop-ins ``infobits.estimate.mutual_info_regression`` /
  ``mutual_info_classif`` themselves (same signature).  Its private
  ``_compute_mi`` (one pair of variables, already scaled):
  ``infobits.estimate.mutual_information`` with ``method="ksg"`` (continuous
  target) or ``"ross"`` (discrete target), ``base="nats"``,
  ``standardize=False``; two discrete variables: the plug-in estimate on
  labels (float-coded labels get ``method="plugin"``, which infobits
  requires for float data).
"""
from __future__ import annotations

import math
import types

import numpy as np
import scipy.stats as _sstats

import infobits as ib
import infobits.estimate as est

logsumexp = ib.logsumexp


def _all_axes(x):
    return tuple(range(np.ndim(x)))


def softmax(x, axis=None):
    x = np.asarray(x)
    if x.ndim == 0:
        return ib.softmax(x.reshape(1))[0]
    return ib.softmax(x, axis=_all_axes(x) if axis is None else axis)


def log_softmax(x, axis=None):
    x = np.asarray(x)
    if x.ndim == 0:
        return ib.log_softmax(x.reshape(1))[0]
    return ib.log_softmax(x, axis=_all_axes(x) if axis is None else axis)


def _base(base):
    return None if base is None else base


def _entropy(pk, qk=None, base=None, axis=0, *, nan_policy="propagate", keepdims=False):
    if base is not None and base <= 0:
        raise ValueError("`base` must be a positive number or `None`.")
    pk = np.asarray(pk)
    if qk is not None:
        qk = np.asarray(qk)
    # SciPy normalises: normalize=True
    if qk is None:
        return ib.entropy(pk, base=_base(base), axis=axis, keepdims=keepdims, normalize=True)
    return ib.kl_divergence(pk, qk, base=_base(base), axis=axis, keepdims=keepdims,
                            normalize=True)


def _differential_entropy(values, *, window_length=None, base=None, axis=0, method="auto", **kw):
    values = np.moveaxis(np.asarray(values), axis, 0)
    if method == "auto" and values.ndim > 1:
        # SciPy's rule for 'auto' (infobits applies it to 1-D samples only)
        n = values.shape[0]
        method = "van es" if n <= 10 else ("ebrahimi" if n <= 1000 else "vasicek")
    return est.differential_entropy(values, method=method, window_length=window_length,
                                    base=_base(base))


class _Stats(types.ModuleType):
    """scipy.stats with entropy and differential_entropy from infobits."""

    def __getattr__(self, name):
        return getattr(_sstats, name)


stats = _Stats("stats")
stats.entropy = _entropy
stats.differential_entropy = _differential_entropy


# entr and rel_entr are SciPy's elementwise terms over any real numbers:
# nan_policy="omit" (no probability checks, so values above 1 reach the
# kernel's terms), with NaN restored where a NaN or negative operand makes
# the term NaN (the terms' convention; "omit" would drop them)
def entr(x):
    x = np.asarray(x, dtype=float)
    r = ib.entropy(x[..., None], base=None, axis=-1, nan_policy="omit")
    with np.errstate(invalid="ignore"):
        return np.where(np.isnan(x) | (x < 0), np.nan, r)[()]


def rel_entr(x, y):
    x, y = np.broadcast_arrays(np.asarray(x, dtype=float), np.asarray(y, dtype=float))
    r = ib.kl_divergence(x[..., None], y[..., None], base=None, axis=-1, nan_policy="omit")
    with np.errstate(invalid="ignore"):
        bad = np.isnan(x) | np.isnan(y) | (x < 0) | (y < 0)
        return np.where(bad, np.nan, r)[()]


# ---------------------------------------------------------------- sklearn
def _labels(v):
    # integer-valued floats (scikit-learn passes discrete features as floats)
    # are labels: infobits asks for an explicit method for float data
    return {"method": "plugin"} if np.asarray(v).dtype.kind == "f" else {}


def _compute_mi(x, y, x_discrete, y_discrete, n_neighbors=3):
    if x_discrete and y_discrete:
        return est.mutual_information(x, y, base="nats", **_labels(np.r_[x, y]))
    if x_discrete:                                  # continuous y against labels x
        return est.mutual_information(y, x, method="ross", k=n_neighbors, base="nats",
                                      standardize=False)
    if y_discrete:
        return est.mutual_information(x, y, method="ross", k=n_neighbors, base="nats",
                                      standardize=False)
    return est.mutual_information(x, y, method="ksg", k=n_neighbors, base="nats", standardize=False)


# The public functions are infobits' drop-ins (same signature and semantics).
mutual_info_regression = est.mutual_info_regression
mutual_info_classif = est.mutual_info_classif


__all__ = ["logsumexp", "softmax", "log_softmax", "stats", "entr", "rel_entr", "_compute_mi",
           "mutual_info_regression", "mutual_info_classif", "math"]
